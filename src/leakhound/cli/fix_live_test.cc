// `leakhound scan --fix` on real leaking Go programs (tests/go/fixes/): each is built and run before the fix, where
// its goroutine count grows with its work, then fixed in a copy, checked with gofmt and go vet, built and run again:
// the goroutines no longer pile up.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <cstdlib>
#include <string>

#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the program in `dir` (go run .) and returns its GOROUTINES count, or -1.
int Goroutines(const std::string& go, const fs::path& dir) {
  auto r = lt::RunCommand({go, "run", "."}, std::chrono::seconds(300), {"GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"},
                          dir.string());
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return -1;
  EXPECT_EQ(r->exit_code, 0) << r->err;
  std::smatch m;
  std::regex re(R"(GOROUTINES (\d+))");
  return std::regex_search(r->out, m, re) ? std::stoi(m[1]) : -1;
}

class FixLive : public ::testing::TestWithParam<const char*> {};

TEST_P(FixLive, TheFixedProgramNoLongerLeaks) {
  const std::string go = lt::FindGo();
  ASSERT_FALSE(go.empty()) << "go is needed";
  const std::string name = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("leakhound-fix-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/go/fixes/" + name + "/main.go", dir / "main.go");
  std::ofstream(dir / "go.mod") << "module fixcase\n\ngo 1.23\n";

  const int before = Goroutines(go, dir);
  ASSERT_GE(before, 40) << "the program leaks before the fix";

  // The diff first: what --fix will do, as a reviewer sees it.
  auto diff = lt::RunCommand({lt::CliPath(), "scan", "--diff", "./..."}, std::chrono::seconds(60), {}, dir.string());
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(diff->out.rfind("--- a/main.go\n+++ b/main.go\n@@ ", 0), 0u) << diff->out;
  const std::string original = ReadFile(dir / "main.go");

  const std::string path = "PATH=" + fs::path(go).parent_path().string() + ":" + std::getenv("PATH");
  auto fixed =
      lt::RunCommand({lt::CliPath(), "scan", "--fix", "./..."}, std::chrono::seconds(60), {path}, dir.string());
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->exit_code, 0) << fixed->err;
  EXPECT_NE(fixed->err.find("applied 1 fix in 1 file"), std::string::npos) << fixed->err;
  EXPECT_NE(ReadFile(dir / "main.go"), original);

  const fs::path gofmt = fs::path(go).parent_path() / "gofmt";
  auto fmt = lt::RunCommand({gofmt.string(), "-l", "."}, std::chrono::seconds(60), {}, dir.string());
  ASSERT_TRUE(fmt.ok());
  EXPECT_EQ(fmt->out, "") << "not gofmt-clean after the fix";
  auto vet = lt::RunCommand({go, "vet", "./..."}, std::chrono::seconds(300), {"GOTOOLCHAIN=local"}, dir.string());
  ASSERT_TRUE(vet.ok());
  EXPECT_EQ(vet->exit_code, 0) << vet->err;

  const int after = Goroutines(go, dir);
  EXPECT_GE(after, 1);
  EXPECT_LE(after, 10) << "the goroutines still pile up after the fix (" << before << " before)";
  // And the rescan finds nothing left to fix.
  auto again = lt::RunCommand({lt::CliPath(), "scan", "--diff", "./..."}, std::chrono::seconds(60), {}, dir.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->out, "");
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Programs, FixLive, ::testing::Values("abandoned", "unclosedbody"));

// Every fix offered on the rule fixtures (tests/scan: real Go packages), applied together, leaves code that gofmt
// accepts as it is and go vet type-checks.
TEST(FixFixtures, EveryOfferedFixIsGofmtCleanAndCompiles) {
  const std::string go = lt::FindGo();
  ASSERT_FALSE(go.empty()) << "go is needed";
  const fs::path dir = fs::temp_directory_path() / ("leakhound-fix-fixtures-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan", dir, fs::copy_options::recursive);
  const std::string path = "PATH=" + fs::path(go).parent_path().string() + ":" + std::getenv("PATH");
  auto fixed = lt::RunCommand({lt::CliPath(), "scan", "--fix", "./..."}, std::chrono::seconds(120), {path},
                              dir.string());
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->exit_code, 0) << fixed->err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(fixed->err, m, std::regex(R"(applied (\d+) fix)"))) << fixed->err;
  RecordProperty("fixes_applied", m[1].str());
  EXPECT_GE(std::stoi(m[1]), 20) << fixed->err;
  EXPECT_EQ(fixed->err.find("gofmt"), std::string::npos) << fixed->err;
  auto fmt = lt::RunCommand({(fs::path(go).parent_path() / "gofmt").string(), "-l", "."}, std::chrono::seconds(60),
                            {}, dir.string());
  ASSERT_TRUE(fmt.ok());
  EXPECT_EQ(fmt->out, "") << "not gofmt-clean after the fixes";
  auto vet = lt::RunCommand({go, "vet", "-lostcancel=false", "./..."}, std::chrono::seconds(300),
                            {"GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"}, dir.string());
  ASSERT_TRUE(vet.ok());
  EXPECT_EQ(vet->exit_code, 0) << vet->err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leakhound::cli
