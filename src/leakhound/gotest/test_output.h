// `go test` output, plain or `-json`, read as a goroutine dump whose goroutines are attributed to the package and
// test that printed them: goleak reports ("found unexpected goroutines", per test or from VerifyTestMain), test
// timeout panics (attributed to the tests still running) and SIGQUIT dumps of test binaries.
//
// The Run owns its Dump; `owners` is index-aligned with dump.goroutines.
#ifndef LEAKHOUND_GOTEST_TEST_OUTPUT_H_
#define LEAKHOUND_GOTEST_TEST_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"

namespace leakhound::gotest {

enum class Origin {
  kGoleak,   // goleak reported it: a leak by goleak's judgement
  kTimeout,  // part of a test-timeout panic or a SIGQUIT dump: every goroutine of the test binary
  kAfterTests,  // still running after the package's tests ended and settled (`leakhound test`'s report)
};

struct Owner {
  std::string package;  // import path; empty when the output never named it
  std::string test;     // "TestX", "TestX/sub"; empty for package-level reports (VerifyTestMain, timeouts)
  Origin origin = Origin::kTimeout;
};

struct Run {
  dump::Dump dump;
  std::vector<Owner> owners;
  bool json = false;  // the input was `go test -json`
};

// Never fails: lines that are neither test events nor goroutines are skipped; malformed JSON lines become
// diagnostics with their line numbers.
Run ReadTestOutput(std::string name, std::string_view bytes, unsigned threads = 0);

}  // namespace leakhound::gotest

#endif  // LEAKHOUND_GOTEST_TEST_OUTPUT_H_
