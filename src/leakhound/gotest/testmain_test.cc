// What `leakhound test` lays over a package, checked on the Go sources themselves; the live test
// (cli/test_cli_live_test.cc) compiles and runs the result.
#include "leakhound/gotest/testmain.h"

#include <gtest/gtest.h>

#include "leakhound/gotest/runner.h"

namespace leakhound::gotest {
namespace {

TEST(TestMainPlan, APackageWithoutTestMainGetsOne) {
  TestMainPlan plan = PlanTestMain("/src/p", "p", {{"/src/p/p_test.go", "package p\n\nfunc TestX(t *testing.T) {}\n"}});
  EXPECT_EQ(plan.kind, TestMainPlan::Kind::kGenerated);
  ASSERT_EQ(plan.files.size(), 1u);
  const auto& [path, src] = *plan.files.begin();
  EXPECT_EQ(path, "/src/p/zz_leakhound_testmain_test.go");
  EXPECT_EQ(src.find("package leakcheck"), std::string::npos);
  EXPECT_NE(src.find("\npackage p\n"), std::string::npos);
  EXPECT_NE(src.find("lhtesting \"testing\""), std::string::npos);
  EXPECT_NE(src.find("func TestMain(m *lhtesting.M) {\n\tleakhoundExit(m.Run())\n}"), std::string::npos) << src;
  EXPECT_NE(src.find("func leakhoundReport()"), std::string::npos);
}

TEST(TestMainPlan, AnOwnTestMainIsRenamedAndItsExitsReportFirst) {
  const std::string src = R"(package p_test

import (
	sys "os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code != 0 {
		sys.Exit(code)
	}
	teardown()
	sys.Exit(0)
}

func helper() { sys.Exit(3) }
)";
  TestMainPlan plan = PlanTestMain("/src/p", "p", {{"/src/p/other_test.go", "package p\n"}, {"/src/p/main_test.go", src}});
  EXPECT_EQ(plan.kind, TestMainPlan::Kind::kRewritten);
  EXPECT_EQ(plan.testmain_file, "/src/p/main_test.go");
  EXPECT_EQ(plan.exits_rewritten, 2u);
  ASSERT_EQ(plan.files.count("/src/p/main_test.go"), 1u);
  const std::string& rewritten = plan.files["/src/p/main_test.go"];
  EXPECT_NE(rewritten.find("func leakhoundUserTestMain(m *testing.M) {"), std::string::npos) << rewritten;
  EXPECT_NE(rewritten.find("\t\tleakhoundExit(code)\n"), std::string::npos) << rewritten;
  EXPECT_NE(rewritten.find("\tleakhoundExit(0)\n"), std::string::npos) << rewritten;
  EXPECT_NE(rewritten.find("func helper() { sys.Exit(3) }"), std::string::npos) << "only TestMain's exits change";
  EXPECT_NE(rewritten.find("var _ = sys.Exit"), std::string::npos) << "the os import stays used";
  const std::string& generated = plan.files["/src/p/zz_leakhound_testmain_test.go"];
  EXPECT_NE(generated.find("\npackage p_test\n"), std::string::npos) << "the TestMain file's package";
  EXPECT_NE(generated.find("leakhoundUserTestMain(m)\n\tleakhoundReport()"), std::string::npos) << generated;
}

TEST(TestMainPlan, APackageThatCallsTheCompanionIsLeftAlone) {
  TestMainPlan plan = PlanTestMain(
      "/src/p", "p",
      {{"/src/p/main_test.go",
        "package p\n\nimport (\n\t\"os\"\n\t\"testing\"\n\n\t\"leakhound.dev/leakcheck\"\n)\n\nfunc TestMain(m *testing.M) "
        "{ os.Exit(leakcheck.Run(m)) }\n"}});
  EXPECT_EQ(plan.kind, TestMainPlan::Kind::kCompanion);
  EXPECT_TRUE(plan.files.empty());
}

TEST(TestMainPlan, GoleaksVerifyTestMainIsLeftToReportItself) {
  TestMainPlan plan = PlanTestMain(
      "/src/p", "p",
      {{"/src/p/main_test.go",
        "package p\n\nimport (\n\t\"testing\"\n\n\t\"go.uber.org/goleak\"\n)\n\nfunc TestMain(m *testing.M) {\n"
        "\tgoleak.VerifyTestMain(m, goleak.IgnoreTopFunction(\"x.loop\"))\n}\n"}});
  EXPECT_EQ(plan.kind, TestMainPlan::Kind::kGoleak);
  EXPECT_TRUE(plan.files.empty());
}

TEST(GoTestArgs, FlagsValuesPackagesAndBinaryArgsAreTold) {
  auto a = SplitGoTestArgs({"-run", "TestX", "-v", "-count=3", "-tags", "integration", "./...", "-race", "-json",
                            "-overlay", "o.json", "other/pkg", "-args", "-custom", "x"});
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->packages, (std::vector<std::string>{"./...", "other/pkg"}));
  EXPECT_EQ(a->flags, (std::vector<std::string>{"-run", "TestX", "-v", "-count=3", "-tags", "integration", "-race"}));
  EXPECT_EQ(a->list_flags, (std::vector<std::string>{"-tags", "integration", "-race"}));
  EXPECT_EQ(a->binary_args, (std::vector<std::string>{"-custom", "x"}));
  EXPECT_EQ(a->overlay, "o.json");
  EXPECT_TRUE(a->count);
  auto d = SplitGoTestArgs({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->packages, std::vector<std::string>{"."});
  EXPECT_FALSE(d->count);
  EXPECT_FALSE(SplitGoTestArgs({"-run"}).ok());
}

TEST(AttributeToTests, TheTestIsFoundInFramesCreatorOrAncestors) {
  const std::string dump = R"(goroutine 7 [chan send]:
example.com/p.compute(...)
	/src/p/p.go:20 +0x1
created by example.com/p.TestDirect in goroutine 6
	/src/p/p_test.go:9 +0x2

goroutine 9 [chan receive]:
example.com/p.worker()
	/src/p/p.go:30 +0x1
created by example.com/p.start in goroutine 8
	/src/p/p.go:12 +0x2
[originating from goroutine 8]:
example.com/p.start(...)
	/src/p/p.go:12 +0x2
example.com/p_test.TestViaHelper.func1(...)
	/src/p/x_test.go:5 +0x3
testing.tRunner(...)
	/usr/lib/go/src/testing/testing.go:1 +0x4

goroutine 11 [select]:
example.com/p.loop()
	/src/p/p.go:40 +0x1
created by example.com/p.init in goroutine 1
	/src/p/p.go:50 +0x2

goroutine 12 [select]:
example.com/p.Testify()
	/src/p/p.go:60 +0x1
created by example.com/p.Benchmark_Big in goroutine 1
	/src/p/p.go:50 +0x2
)";
  std::map<uint64_t, std::string> tests = AttributeToTests(dump, "example.com/p");
  EXPECT_EQ(tests[7], "TestDirect");
  EXPECT_EQ(tests[9], "TestViaHelper");
  EXPECT_EQ(tests.count(11), 0u);
  EXPECT_EQ(tests[12], "Benchmark_Big") << "Testify is no test name (lower case after Test)";
}

}  // namespace
}  // namespace leakhound::gotest
