#include "leakhound/verdict/check.h"

#include <gtest/gtest.h>

#include "leakhound/gotest/test_output.h"

namespace leakhound::verdict {
namespace {

// Two goroutines of one leak started by two `go` statements on adjacent lines: one bucket of the report, one key.
TEST(CheckRuns, OneLeakStartedFromTwoLinesIsOneBucket) {
  const std::string out = R"(panic: test timed out after 1s
	running tests:
		TestX (1s)

goroutine 7 [chan send]:
example.com/p.worker(...)
	/src/p/p.go:20 +0x1
created by example.com/p.start in goroutine 6
	/src/p/p.go:12 +0x2

goroutine 8 [chan send]:
example.com/p.worker(...)
	/src/p/p.go:20 +0x1
created by example.com/p.start in goroutine 6
	/src/p/p.go:13 +0x2
FAIL	example.com/p	1.0s
)";
  std::vector<gotest::Run> runs;
  runs.push_back(gotest::ReadTestOutput("out.txt", out));
  auto check = CheckRuns(runs, CheckOptions{});
  ASSERT_TRUE(check.ok()) << check.status().message();
  ASSERT_EQ(check->buckets.size(), 1u);
  EXPECT_EQ(check->buckets[0].bucket.count, 2u);
  EXPECT_EQ(check->leaked, 2u);
  EXPECT_EQ(check->new_buckets, 1u);
  EXPECT_EQ(check->buckets[0].tests, std::vector<std::string>{"example.com/p.TestX"});
}

}  // namespace
}  // namespace leakhound::verdict
