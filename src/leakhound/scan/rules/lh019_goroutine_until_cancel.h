// LH019 across the packages of one scan: a library package's constructor whose goroutine ends only on its ctx
// parameter, called from another package of the module with a context that never ends. Each package yields what it
// knows (its summaries, and its calls into other packages with such a context); Scan joins them after every package
// was checked and keeps the calls whose callee has a summary.
#ifndef LEAKHOUND_SCAN_RULES_LH019_GOROUTINE_UNTIL_CANCEL_H_
#define LEAKHOUND_SCAN_RULES_LH019_GOROUTINE_UNTIL_CANCEL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/scan/rules.h"

namespace leakhound::scan {

class FindingSink;

struct CtxOnlyDoneSummary {
  std::string function;   // "example.com/lib/cache.NewCache"
  int param = 0;          // the ctx parameter's position
  std::string goroutine;  // "Cache.refresh"
  std::string package;    // its package clause's name ("ctxcache", even in a directory named otherwise)
};

// What is known of imported packages: the summary of "path.Func#arg" (an imported function whose goroutine ends only
// on its ctx argument number arg), or nullopt.
using ImportedCtxOnlyDone = std::function<std::optional<CtxOnlyDoneSummary>(const std::string& key)>;

// Exported functions of `pkg` (whose import path is `import_path`) that start a goroutine ending only on their ctx
// parameter number `param`: themselves, or by passing that parameter on to a function of the package or (through
// `imported`, when given) of an imported package that does.
std::vector<CtxOnlyDoneSummary> CtxOnlyDoneSummaries(const Package& pkg, const std::string& import_path,
                                                     const ImportedCtxOnlyDone& imported = nullptr);

// Calls of `pkg` to functions of other packages with a never-ending context as argument number `arg`, each reported
// through `sink` into its own finding list; the key says which summary makes it a finding ("path.Func#arg").
// What a candidate's message says of the goroutine until its summary is known; the join replaces it with
// "(GOROUTINE, in IMPORT-PATH)" when the summary comes from a dependency.
inline constexpr std::string_view kGoroutineSeeItsPackage = "(see its package)";

struct CrossPackageCandidate {
  std::vector<std::string> keys;  // "path.Func#arg"; several when the package name differs from its import path's
  std::string package;            // the name the call uses ("ctxcache" in ctxcache.NewCache)
  std::vector<Finding> findings;
};
std::vector<CrossPackageCandidate> BackgroundCallsToImports(const Package& pkg, const RuleInfo& rule,
                                                            Severity severity, bool configured);

// The import path of the package in `dir`: the module path of the nearest go.mod plus the directory below it; ""
// when there is no go.mod.
std::string ImportPathOf(const std::string& dir);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_LH019_GOROUTINE_UNTIL_CANCEL_H_
