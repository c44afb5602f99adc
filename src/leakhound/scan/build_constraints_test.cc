#include "leakhound/scan/build_constraints.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "leakhound/scan/scan.h"

namespace leakhound::scan {
namespace {

namespace fs = std::filesystem;

TEST(BuildConstraints, ExpressionsAsGoBuildReadsThem) {
  BuildContext host;
  EXPECT_TRUE(EvalBuildExpression("linux && amd64", host));
  EXPECT_TRUE(EvalBuildExpression("unix && !windows", host));
  EXPECT_FALSE(EvalBuildExpression("ignore", host));
  EXPECT_TRUE(EvalBuildExpression("(darwin || linux) && go1.21 && !go1.99", host));
  EXPECT_FALSE(EvalBuildExpression("go1.27", host)) << "the toolchain is 1.26";
  EXPECT_TRUE(EvalBuildExpression("cgo || purego", host));
  bool ok = true;
  EXPECT_FALSE(EvalBuildExpression("linux &&", host, &ok));
  EXPECT_FALSE(ok);
  BuildContext tagged;
  tagged.tags = {"integration"};
  EXPECT_TRUE(EvalBuildExpression("integration", tagged));
}

TEST(BuildConstraints, FileNamesAndHeaders) {
  BuildContext c;
  EXPECT_TRUE(FileMatches("poll_linux.go", "package p\n", c));
  EXPECT_FALSE(FileMatches("poll_windows.go", "package p\n", c));
  EXPECT_FALSE(FileMatches("poll_windows_test.go", "package p\n", c));
  EXPECT_FALSE(FileMatches("asm_linux_arm64.go", "package p\n", c));
  EXPECT_TRUE(FileMatches("asm_linux_amd64.go", "package p\n", c));
  EXPECT_TRUE(FileMatches("windows.go", "package p\n", c)) << "a bare GOOS name is no suffix";
  EXPECT_FALSE(FileMatches("gen.go", "//go:build ignore\n\npackage main\n", c));
  EXPECT_FALSE(FileMatches("x.go", "// Copyright\n\n/* block */\n//go:build windows\n\npackage p\n", c));
  EXPECT_TRUE(FileMatches("x.go", "package p\n\n//go:build windows\n", c)) << "only the header counts";
  EXPECT_FALSE(FileMatches("old.go", "// +build ignore\n\npackage p\n", c));
  EXPECT_TRUE(FileMatches("old.go", "// +build linux,amd64 darwin\n\npackage p\n", c));
  EXPECT_TRUE(FileMatches("both.go", "//go:build linux\n// +build ignore\n\npackage p\n", c)) << "go:build wins";
}

class ScanDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("leakhound-bc-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  ScanResult Run(ScanOptions o = {}) {
    o.paths = {dir_.string()};
    auto r = Scan(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : ScanResult{};
  }
  fs::path dir_;
};

const std::string kLeak = R"(
import "time"

func Poll(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}
)";

// go vet compiles only the files of this build: a file for Windows, a generator marked ignore, and a file that needs
// a tag nobody gave are not read, so their findings (and syntax) do not count.
TEST_F(ScanDir, FilesOutsideTheBuildAreNotRead) {
  Write("a_windows.go", "package p\n" + kLeak);
  Write("gen.go", "//go:build ignore\n\npackage main\n" + kLeak);
  Write("it.go", "//go:build integration\n\npackage p\n" + kLeak);
  Write("broken_plan9.go", "package p\n\nfunc {\n");
  ScanResult plain = Run();
  EXPECT_EQ(plain.files, 0u);
  EXPECT_TRUE(plain.findings.empty());
  EXPECT_TRUE(plain.diagnostics.empty());
  ScanOptions tagged;
  tagged.build.tags = {"integration"};
  ScanResult with_tag = Run(tagged);
  EXPECT_EQ(with_tag.files, 1u);
  ASSERT_EQ(with_tag.findings.size(), 1u);
  EXPECT_EQ(with_tag.findings[0].rule_id, "LH006");
}

// Go 1.26's new(expr) is no syntax error.
TEST_F(ScanDir, NewOfAnExpressionParses) {
  Write("n.go", "package p\n\nfunc f() *uint64 { return new(uint64(3)) }\n\nfunc g() *int { p := new(int); return p }\n"
                "\nfunc h(x int) *int { return new(x + 1) }\n");
  ScanResult r = Run();
  EXPECT_EQ(r.files, 1u);
  for (const Diagnostic& d : r.diagnostics) ADD_FAILURE() << d.message;
}

// go 1.23's GC collects unreferenced unstopped timers: LH006 says nothing there, unless the project file sets its
// severity (code that must also build with older Go), which then wins.
TEST_F(ScanDir, LH006IsSilentOnGo123UnlessItsSeverityIsConfigured) {
  Write("go.mod", "module x\n\ngo 1.23\n");
  Write("p.go", "package p\n" + kLeak);
  ScanResult plain = Run();
  EXPECT_TRUE(plain.findings.empty()) << "go 1.23 collects unstopped timers: " << plain.findings[0].message;
  ScanOptions configured;
  configured.config.severity["LH006"] = Severity::kWarning;
  ScanResult r = Run(configured);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
}

// A module whose module file is vendor.mod (moby's layout) has its go line read from there.
TEST_F(ScanDir, TheGoVersionComesFromVendorModWithoutGoMod) {
  Write("vendor.mod", "module x\n\ngo 1.24.0\n");
  Write("p.go", "package p\n" + kLeak);
  EXPECT_TRUE(Run().findings.empty());
  Write("vendor.mod", "module x\n\ngo 1.21\n");
  EXPECT_EQ(Run().findings.size(), 1u);
}

}  // namespace
}  // namespace leakhound::scan
