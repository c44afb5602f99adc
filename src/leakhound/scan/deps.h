// Summaries of the packages a module imports, read from the Go module cache (or the module's vendor/ directory): what
// a library function starts and what ends it, so that a call into a library can be judged like a call into the
// module's own code. Today: LH019's "the goroutine this function starts ends only on its ctx parameter", followed
// through the library's own calls and its imports (a few levels deep).
//
// Read-only. Which version of a dependency is meant comes from the scanned module's go.mod (its require and replace
// lines; a go.mod lists every module of the build since Go 1.17) or from vendor/modules.txt. A package of the module
// cache never changes, so its summaries are kept on disk by import path and module version (`cache_dir`) and read
// from there by the next scan. Thread-safe.
#ifndef LEAKHOUND_SCAN_DEPS_H_
#define LEAKHOUND_SCAN_DEPS_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "leakhound/scan/build_constraints.h"
#include "leakhound/scan/rules/lh019_goroutine_until_cancel.h"

namespace leakhound::scan {

// The module cache directory, as the go command decides it: $GOMODCACHE, else the first $GOPATH entry's pkg/mod (each
// from the environment or the go command's env file, `go env -w`), else ~/go/pkg/mod.
std::string ModuleCacheDir();
// The summary cache directory: $LEAKHOUND_CACHE_DIR, else $XDG_CACHE_HOME/leakhound, else ~/.cache/leakhound.
std::string DefaultSummaryCacheDir();
// A module path or version as the module cache spells it: every upper-case letter becomes '!' and its lower case.
std::string EscapeModulePath(std::string_view path);

struct DependencyOptions {
  std::string module_cache = ModuleCacheDir();
  std::string cache_dir = DefaultSummaryCacheDir();  // "" keeps nothing on disk
  BuildContext build = BuildContext::FromEnvironment();
  int depth = 3;  // how many imports deep a library's summaries follow its calls
};

class Dependencies {
 public:
  // `module_root`: the directory of the scanned module's go.mod (or vendor.mod).
  Dependencies(std::string module_root, DependencyOptions options);

  // The summary of "path.Func#arg" when path is a package the module imports from a dependency and its Func starts
  // a goroutine that ends only on its context argument number arg.
  std::optional<CtxOnlyDoneSummary> CtxOnlyDone(const std::string& key);

  // Where an imported package's source is: vendor/<path>, the directory a replace line names, or
  // <module cache>/<module>@<version>/<rest of the path>; "" when the module does not require it (the standard
  // library, the module itself, a missing download). `version` gets the module version ("" for directories).
  std::string DirOf(const std::string& import_path, std::string* version = nullptr) const;

  // Packages parsed (not read from the disk cache) and read from the disk cache so far.
  size_t parsed() const;
  size_t cached() const;

 private:
  struct Requirement {
    std::string version;  // "v1.2.3"; empty for a directory replacement
    std::string dir;      // a directory replacement (absolute)
    std::string path;     // the module path to look up in the cache (a replacement's when replaced)
  };
  const std::vector<CtxOnlyDoneSummary>& Summaries(const std::string& import_path, int depth);
  std::vector<CtxOnlyDoneSummary> Compute(const std::string& dir, const std::string& import_path, int depth);
  std::string CacheFile(const std::string& import_path, const std::string& version) const;

  std::string root_;
  DependencyOptions options_;
  std::map<std::string, Requirement, std::less<>> requires_;  // module path -> what the build uses
  bool vendored_ = false;
  mutable std::recursive_mutex mu_;
  std::map<std::string, std::vector<CtxOnlyDoneSummary>, std::less<>> memo_;
  size_t parsed_ = 0, cached_ = 0;
};

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_DEPS_H_
