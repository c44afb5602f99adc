// The `scan:` section of .leakhound.yaml:
//   scan:
//     enable: [LH002]            # rule ids or names, also experimental ones
//     disable: [LH013]
//     severity: {LH006: note}    # error | warning | note
//     exclude: ["gen/**", "*_mock.go"]   # globs relative to the config file's directory
// Other top-level keys belong to the knowledge base (verdict/knowledge.h) and are ignored here.
//
// A ScanConfig is a plain value.
#ifndef LEAKHOUND_SCAN_CONFIG_H_
#define LEAKHOUND_SCAN_CONFIG_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

struct ScanConfig {
  std::string source;    // the file it came from; empty: none
  std::string base_dir;  // exclude globs are relative to this directory
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::map<std::string, Severity> severity;  // by rule id
  std::vector<std::string> exclude;
};

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
