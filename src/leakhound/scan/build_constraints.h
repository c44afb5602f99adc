// Which Go files a build would compile, as go/build decides it: `//go:build` expressions (or the older `// +build`
// lines) in a file's header, and _GOOS / _GOARCH / _GOOS_GOARCH file name suffixes. `scan` reads only those, like
// `go vet`: a file for another system, or one marked `//go:build ignore`, is left out.
//
// Thread-safety: pure functions; a BuildContext is a value.
#ifndef LEAKHOUND_SCAN_BUILD_CONSTRAINTS_H_
#define LEAKHOUND_SCAN_BUILD_CONSTRAINTS_H_

#include <set>
#include <string>
#include <string_view>

namespace leakhound::scan {

struct BuildContext {
  std::string goos = "linux";
  std::string goarch = "amd64";
  std::set<std::string, std::less<>> tags;  // extra tags (-tags)
  int go_minor = 26;                        // go1.1 ... go1.N are satisfied
  bool cgo = true;

  // $GOOS / $GOARCH when set, else the machine's (linux/amd64 here).
  static BuildContext FromEnvironment();
  bool Has(std::string_view tag) const;
};

// True when a build in `ctx` compiles the file named `file_name` (a base name) with this `source`.
bool FileMatches(std::string_view file_name, std::string_view source, const BuildContext& ctx);

// Evaluates one `//go:build` expression (without the prefix); false on a malformed one.
bool EvalBuildExpression(std::string_view expr, const BuildContext& ctx, bool* ok = nullptr);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_BUILD_CONSTRAINTS_H_
