// The `scan:` section of .leakhound.yaml:
//   scan:
//     enable: [LH002]            # rule ids or names, also experimental ones
//     disable: [LH013]
//     severity: {LH006: note}    # error | warning | note
//     exclude: ["gen/**", "*_mock.go"]   # globs relative to the config file's directory
//     fixes:
//       read-header-timeout: 5s  # the ReadHeaderTimeout LH007's fix sets (a Go duration; default 10s)
//     rewrite:                   # team-defined batch fixes (rewrite.h), reported as LH020
//       - name: cache-per-request
//         match: jwk.NewCache(context.Background())
//         replace: jwk.NewCache($ctx)
//         message: a cache made per request with a background context keeps its goroutine forever
//         imports: [context]     # optional: import paths the replacement needs
//         severity: error        # optional, default: LH020's
// Other top-level keys belong to the knowledge base (verdict/knowledge.h) and are ignored here.
//
// A ScanConfig is a plain value.
#ifndef LEAKHOUND_SCAN_CONFIG_H_
#define LEAKHOUND_SCAN_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

// One entry of scan.rewrite.
struct RewriteRule {
  std::string name;
  std::string match;    // a Go expression or statement with metavariables $x, $*args
  std::string replace;  // Go text using the match's metavariables, and $ctx: the context in scope
  std::string message;  // optional
  std::vector<std::string> imports;
  std::optional<Severity> severity;
  std::string where;  // "FILE:LINE" of the entry, for errors
};

struct ScanConfig {
  std::string source;    // the file it came from; empty: none
  std::string base_dir;  // exclude globs are relative to this directory
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::map<std::string, Severity> severity;  // by rule id
  std::vector<std::string> exclude;
  std::vector<RewriteRule> rewrite;
  FixSettings fixes;
};

// A Go duration ("10s", "1m30s", "500ms") as a Go expression of package time ("10 * time.Second", "90 *
// time.Second", "500 * time.Millisecond", "time.Minute"); nullopt when it is not a positive duration.
std::optional<std::string> DurationExpr(std::string_view duration);

// Parses the `scan:` key of a .leakhound.yaml text. Errors read "SOURCE:LINE: message". Unknown rule ids or keys
// under `scan:` are errors.
util::Result<ScanConfig> ParseScanConfig(std::string_view yaml, const std::string& source);
util::Result<ScanConfig> LoadScanConfig(const std::string& path);

// Glob match of a slash-separated path: `*` and `?` stay within a path element, `**` spans elements.
bool GlobMatch(std::string_view pattern, std::string_view path);
// Is `path` (absolute or relative to the working directory) excluded by the config's globs? A pattern without a
// slash also matches the file's base name.
bool Excluded(const ScanConfig& config, const std::string& path);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_CONFIG_H_
