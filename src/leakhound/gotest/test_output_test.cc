#include "leakhound/gotest/test_output.h"

#include <gtest/gtest.h>

namespace leakhound::gotest {
namespace {

// goleak.VerifyTestMain reports after all tests passed, for the package as a whole (goleak v1.3.0 wording).
constexpr std::string_view kVerifyTestMain = R"(PASS
goleak: Errors on successful test run: found unexpected goroutines:
[Goroutine 9 in state select, with example.com/cache.(*Cache).janitor on top of the stack:
example.com/cache.(*Cache).janitor(0xc000120000)
	/src/cache/cache.go:88 +0x8c
created by example.com/cache.New in goroutine 7
	/src/cache/cache.go:40 +0x1a5
]
FAIL	example.com/cache	0.512s
ok  	example.com/other	0.100s
)";

TEST(TestOutput, VerifyTestMainReportBelongsToThePackage) {
  gotest::Run run = ReadTestOutput("out.txt", kVerifyTestMain);
  EXPECT_FALSE(run.json);
  ASSERT_EQ(run.dump.goroutines.size(), 1u);
  ASSERT_EQ(run.owners.size(), 1u);
  EXPECT_EQ(run.owners[0].package, "example.com/cache");
  EXPECT_EQ(run.owners[0].test, "");
  EXPECT_EQ(run.owners[0].origin, Origin::kGoleak);
}

TEST(TestOutput, JsonFieldsOfTheWrongTypeReadAsAbsent) {
  // Hostile or broken go test -json lines: fields that are not strings must not abort the reader.
  std::string json =
      R"({"Action":"output","Package":"p","Output":null})" "\n"
      R"({"Action":"output","Package":7,"Test":[],"Output":{"x":1}})" "\n"
      R"({"Action":null})" "\n"
      R"({"Action":"output","Package":"p","Test":"TestA","Output":"goroutine 5 [chan receive]:\n"})" "\n"
      R"({"Action":"output","Package":"p","Test":"TestA","Output":"main.wait()\n\t/src/p/p.go:5 +0x1\n"})" "\n";
  gotest::Run run = ReadTestOutput("out.json", json);
  EXPECT_TRUE(run.json);
  EXPECT_EQ(run.dump.goroutines.size(), 1u);
}

TEST(TestOutput, JsonEventsCarryPackageAndTest) {
  std::string json =
      R"({"Action":"run","Package":"example.com/p","Test":"TestA"})" "\n"
      R"({"Action":"output","Package":"example.com/p","Test":"TestA","Output":"    a_test.go:9: found unexpected goroutines:\n"})" "\n"
      R"({"Action":"output","Package":"example.com/p","Test":"TestA","Output":"        [Goroutine 8 in state chan receive, with example.com/p.wait on top of the stack:\n"})" "\n"
      R"({"Action":"output","Package":"example.com/p","Test":"TestA","Output":"        example.com/p.wait(...)\n"})" "\n"
      R"({"Action":"output","Package":"example.com/p","Test":"TestA","Output":"        \t/src/p/p.go:5\n"})" "\n"
      R"({"Action":"output","Package":"example.com/p","Test":"TestA","Output":"        ]\n"})" "\n"
      "not json\n";
  gotest::Run run = ReadTestOutput("out.json", json);
  EXPECT_TRUE(run.json);
  ASSERT_EQ(run.dump.goroutines.size(), 1u);
  EXPECT_EQ(run.owners[0].package, "example.com/p");
  EXPECT_EQ(run.owners[0].test, "TestA");
  EXPECT_EQ(run.owners[0].origin, Origin::kGoleak);
  ASSERT_FALSE(run.dump.diagnostics.empty());
  EXPECT_EQ(run.dump.diagnostics.back().line, 7u);
}

}  // namespace
}  // namespace leakhound::gotest
