// `leakhound scan`: walk Go source trees, parse every file with tree-sitter on all cores, group files into packages,
// run the enabled rules per package (in parallel) and collect findings, suppressed or not, plus diagnostics (syntax
// errors, unreadable files).
//
// Scan() owns everything it parses; the ScanResult holds plain strings, so it outlives the parse. Thread-safety:
// Scan() may be called from any thread; it starts and joins its own worker threads.
#ifndef LEAKHOUND_SCAN_SCAN_H_
#define LEAKHOUND_SCAN_SCAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "leakhound/scan/build_constraints.h"
#include "leakhound/scan/deps.h"
#include "leakhound/scan/config.h"
#include "leakhound/scan/package.h"
#include "leakhound/scan/rewrite.h"
#include "leakhound/scan/rules.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

enum class IncludeTests { kNo, kYes };
enum class ShowProgress { kNo, kYes };

struct ScanOptions {
  std::vector<std::string> paths;  // "./...", "dir/...", "dir", "file.go"; empty: "./..."
  IncludeTests tests = IncludeTests::kYes;
  std::vector<std::string> enable;   // --enable: rule ids or names (also experimental ones)
  std::vector<std::string> disable;  // --disable
  std::vector<std::string> only;     // --only: these rules and no others
  bool all_rules = false;            // --all-rules: experimental rules too
  ScanConfig config;
  unsigned threads = 0;              // 0: all cores
  ShowProgress progress = ShowProgress::kNo;  // "parsed N/M files" on stderr for long scans
  BuildContext build = BuildContext::FromEnvironment();  // files a build in it would not compile are left out
  // Read summaries of the module's dependencies (deps.h) from the module cache or vendor/, kept in summary_cache
  // ("" keeps nothing on disk).
  bool dependencies = true;
  std::string summary_cache = DefaultSummaryCacheDir();
};

struct ScanResult {
  std::vector<Finding> findings;        // sorted by file, line, column, rule; suppressed ones included
  std::vector<Diagnostic> diagnostics;  // syntax errors, unreadable files
  std::vector<const RuleInfo*> rules;   // the rules that ran, in table order
  std::vector<std::pair<std::string, Severity>> severities;  // effective severity per rule id that ran
  size_t files = 0;
  size_t packages = 0;
  uint64_t bytes = 0;
};

// Which rules run given the options (defaults, config, then flags). Errors name an unknown rule.
util::Result<std::vector<const RuleInfo*>> SelectRules(const ScanOptions& options);

// Expands the paths into .go files (skipping vendor/, testdata/, node_modules/, hidden and _ directories, and
// _test.go files when tests are off). Errors: a path that does not exist.
util::Result<std::vector<std::string>> FindGoFiles(const std::vector<std::string>& paths, IncludeTests tests);

util::Result<ScanResult> Scan(const ScanOptions& options);

// Parses in-memory files (name, text) as the files of one directory and runs `rules` over their packages, on the
// calling thread. For tests and fuzzing; names are used as given.
// `rewrites` (with LH020 among `rules`) are the project's rewrites.
ScanResult ScanInMemory(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<const RuleInfo*>& rules,
                        const std::vector<CompiledRewrite>& rewrites = {});

// The path shown for `path`: relative to the working directory when below it, otherwise as given.
std::string DisplayPath(const std::string& path);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_SCAN_H_
