// `leakhound test`: runs `go test` so that every test binary reports the goroutines still running once its tests
// have ended and settled (testmain.h lays the report over each package), collects the reports and the `go test
// -json` output as Runs for verdict::CheckRuns, and repeats packages that have not leaked yet (`--repeat`).
//
// What a run costs: one `go list`, the overlay (files written once), `go test -count=1` per round (the build cache
// keeps the test binaries after the first), and per package the settle time when goroutines are left (up to
// `settle`; a clean package pays nothing, stuck goroutines ~0.3 s).
//
// Thread-safety: RunGoTests is reentrant; progress callbacks run on the calling thread.
#ifndef LEAKHOUND_GOTEST_RUNNER_H_
#define LEAKHOUND_GOTEST_RUNNER_H_

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "leakhound/gotest/test_output.h"
#include "leakhound/util/status.h"

namespace leakhound::gotest {

// The arguments of `go test` as given, split into what leakhound needs to know.
struct GoTestArgs {
  std::vector<std::string> flags;        // every flag before -args, with its value, as given
  std::vector<std::string> packages;     // package patterns (default: ".")
  std::vector<std::string> binary_args;  // after -args
  std::vector<std::string> list_flags;   // the build flags `go list` must see too (-tags, -mod, -modfile, -race, ...)
  std::string overlay;                   // the user's own -overlay file, merged with leakhound's
  bool count = false;                    // -count given
};
util::Result<GoTestArgs> SplitGoTestArgs(const std::vector<std::string>& args);

struct TestOptions {
  GoTestArgs args;
  std::string go = "go";
  int repeat = 1;                                   // rounds at most; a package stops at its first leak
  std::chrono::milliseconds settle{2000};           // how long goroutines may take to end after the tests
  bool proof = true;                                // GOEXPERIMENT=goroutineleakprofile where the toolchain has it
  int ancestors = 3;                                // GODEBUG=tracebackancestors: attributes leaks to tests
  bool per_test = false;  // each top-level test in a test binary run of its own (-run '^Name$'): exact attribution
  std::string work_dir;                             // empty: a temporary directory, removed at the end
  // Called after each round that another may follow: the packages that leaked in it (the caller judges the
  // round with CheckRuns).
  std::function<std::vector<std::string>(const std::vector<Run>& round_runs)> leaked_packages;
  // Progress lines for people (stderr).
  std::function<void(const std::string& line)> progress;
};

// One package of the run.
struct PackageOutcome {
  std::string package;
  std::string status;      // "ok", "FAIL", "no test files", "build failed", "not run"
  double seconds = 0;      // the last round's
  int rounds = 0;          // test binary runs
  bool reported = false;   // every run left a report
  bool needs_helper = false;  // a run ended without the report: its TestMain exits before leakhound's check
  bool fails_only_with_report = false;  // its tests fail with the report laid over them, pass without
  uint64_t left = 0;       // goroutines left after the tests, summed over rounds
  std::string testmain;    // "generated", "rewritten", "companion"
};

struct TestRun {
  std::vector<Run> runs;                  // the reports (one per test binary run that left goroutines), then go test's
  std::vector<PackageOutcome> packages;   // in go list order
  std::vector<std::string> notes;         // for people: what leakhound had to do or could not
  bool proof = false;                     // the goroutineleak profile was used
  int rounds = 0;
  bool tests_failed = false;              // go test reported a failing package
};

util::Result<TestRun> RunGoTests(const TestOptions& options);

// The test a goroutine of a report belongs to, from the dump text: a Test/Benchmark/Fuzz/Example function of
// `package` (or its _test package) in the goroutine's frames, its creator, or its ancestors (tracebackancestors);
// by goroutine id. Exposed for tests.
std::map<uint64_t, std::string> AttributeToTests(std::string_view dump_text, std::string_view package);

}  // namespace leakhound::gotest

#endif  // LEAKHOUND_GOTEST_RUNNER_H_
