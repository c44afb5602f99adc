// How `leakhound test` makes a package's test binary report the goroutines its tests leave running, without an edit
// to the package: files laid over the package with `go test -overlay`.
//
//   - No TestMain: a generated _test.go file adds one (m.Run, then the report, then os.Exit).
//   - A TestMain of its own: its file is laid over with a copy in which the function is renamed and every os.Exit in
//     it reports first; a generated TestMain calls the renamed one and reports when it returns (Go >= 1.15 lets a
//     TestMain return). A TestMain that exits elsewhere (a shared harness's os.Exit, log.Fatal) leaves no report:
//     `leakhound test` says so, and the package needs leakcheck.Run or leakcheck.Report (go/leakcheck).
//   - A file that imports leakhound.dev/leakcheck already reports: nothing is laid over.
//   - A TestMain that calls goleak.VerifyTestMain checks the package itself (with the project's ignore options) and
//     exits: nothing is laid over, and goleak's report in the test output is what leakhound judges.
// The report itself is go/leakcheck/report.go, compiled into leakhound, under the package's own package clause.
//
// Thread-safety: pure functions.
#ifndef LEAKHOUND_GOTEST_TESTMAIN_H_
#define LEAKHOUND_GOTEST_TESTMAIN_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakhound::gotest {

inline constexpr std::string_view kCompanionImport = "leakhound.dev/leakcheck";

struct TestMainPlan {
  enum class Kind {
    kGenerated,  // the package had no TestMain: one is added
    kRewritten,  // its TestMain is wrapped
    kCompanion,  // it calls leakcheck itself
    kGoleak,     // its TestMain hands m to goleak.VerifyTestMain, which checks and exits: goleak's report is read
  };
  Kind kind = Kind::kGenerated;
  std::string testmain_file;                  // the file holding the package's own TestMain (kRewritten, kCompanion)
  std::map<std::string, std::string> files;   // path in the package directory -> contents to lay over it (new or not)
  size_t exits_rewritten = 0;                 // os.Exit calls in the TestMain that now report first
};

// `name`: the package's name (go list's Name); `test_files`: its _test.go files (path, contents), in-package and
// external. Paths of new files are made in `dir`.
TestMainPlan PlanTestMain(const std::string& dir, const std::string& name,
                          const std::vector<std::pair<std::string, std::string>>& test_files);

// go/leakcheck/report.go under `package <name>`, with `extra` (Go declarations) appended and `testing` imported as
// lhtesting when `need_testing`.
std::string ReportSource(std::string_view name, std::string_view extra, bool need_testing);

}  // namespace leakhound::gotest

#endif  // LEAKHOUND_GOTEST_TESTMAIN_H_
