// `leakhound scan --fix` on real leaking Go programs (tests/go/fixes/): each is built and run before the fix, where
// its goroutine count grows with its work, then fixed in a copy, checked with gofmt and go vet, built and run again:
// the goroutines no longer pile up.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
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
  // The program, with its go.mod (real libraries, pinned by go.sum) and .leakhound.yaml when it has them.
  fs::copy(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/go/fixes/" + name, dir, fs::copy_options::recursive);
  if (!fs::exists(dir / "go.mod")) std::ofstream(dir / "go.mod") << "module fixcase\n\ngo 1.23\n";

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
  EXPECT_TRUE(std::regex_search(fixed->err, std::regex("applied [1-9][0-9]* fix(es)? in 1 file"))) << fixed->err;
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

// slowloris: LH007 with the timeout set in .leakhound.yaml. stopcase: the stop case (LH001, LH004) where a
// context is in scope. jwkcache: the project's own rewrite (.leakhound.yaml, LH020) over a real library, github.com/lestrrat-go/jwx.
INSTANTIATE_TEST_SUITE_P(Programs, FixLive, ::testing::Values("abandoned", "unclosedbody", "jwkcache", "slowloris", "stopcase"));

// Every fix offered on the rule fixtures (tests/scan: real Go packages), applied together, leaves code that gofmt
// accepts as it is and go vet type-checks.
TEST(FixFixtures, EveryOfferedFixIsGofmtCleanAndCompiles) {
  const std::string go = lt::FindGo();
  ASSERT_FALSE(go.empty()) << "go is needed";
  const fs::path dir = fs::temp_directory_path() / ("leakhound-fix-fixtures-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan", dir, fs::copy_options::recursive);
  const std::string path = "PATH=" + fs::path(go).parent_path().string() + ":" + std::getenv("PATH");
  // LH020's rewrites first, from its own directory (where its .leakhound.yaml is), before other rules' fixes
  // change the same calls.
  auto rewritten = lt::RunCommand({lt::CliPath(), "scan", "--only", "LH020", "--fix", "./..."},
                                  std::chrono::seconds(120), {path}, (dir / "LH020").string());
  ASSERT_TRUE(rewritten.ok());
  EXPECT_NE(rewritten->err.find("applied 7 fixes in 1 file"), std::string::npos) << rewritten->err;
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

// Oracle counts per file: {time.After sites, context.WithTimeout(context.Background(), d) sites}, from go/ast
// (tests/go/rewritecount), honouring build constraints as leakhound does.
std::map<std::string, std::pair<int, int>> OracleCounts(const std::string& go, const fs::path& dir) {
  auto r = lt::RunCommand({go, "run", std::string(LEAKHOUND_SOURCE_DIR) + "/tests/go/rewritecount/main.go", "."},
                          std::chrono::seconds(300), {"GOTOOLCHAIN=local", "GOFLAGS="}, dir.string());
  EXPECT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->err : r.status().message());
  std::map<std::string, std::pair<int, int>> out;
  if (!r.ok()) return out;
  std::istringstream in(r->out);
  std::string file;
  int after = 0, bg = 0;
  while (in >> file >> after >> bg) out[file] = {after, bg};
  return out;
}

// A team's batch rewrite (scan.rewrite, LH020) over a real module from the module proxy, nats.go v1.42.0: the
// findings are exactly the sites go/ast counts, --fix changes exactly the sites offered a fix (and no other file),
// and the module still passes gofmt and go vet.
TEST(RewriteBatch, RealModuleChangesExactlyTheMatchedSites) {
  const std::string go = lt::FindGo();
  ASSERT_FALSE(go.empty()) << "go is needed";
  const fs::path dir = fs::temp_directory_path() / ("leakhound-rewrite-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto dl = lt::RunCommand({go, "mod", "download", "-json", "github.com/nats-io/nats.go@v1.42.0"},
                           std::chrono::seconds(300), {"GOTOOLCHAIN=local", "GOFLAGS="}, dir.string());
  ASSERT_TRUE(dl.ok() && dl->exit_code == 0) << (dl.ok() ? dl->err : dl.status().message());
  const fs::path module = nlohmann::json::parse(dl->out).at("Dir").get<std::string>();
  const fs::path copy = dir / "nats.go";
  fs::copy(module, copy, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(copy)) {
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
  }
  fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(copy / ".leakhound.yaml") << R"(scan:
  rewrite:
    - name: stoppable-timer
      match: time.After($d)
      replace: time.NewTimer($d).C
    - name: timeout-from-caller
      match: context.WithTimeout(context.Background(), $d)
      replace: context.WithTimeout($ctx, $d)
)";
  const auto before = OracleCounts(go, copy);
  int oracle_after = 0, oracle_bg = 0;
  for (const auto& [file, n] : before) oracle_after += n.first, oracle_bg += n.second;
  ASSERT_GT(oracle_after, 100);
  ASSERT_GT(oracle_bg, 100);

  // The findings, per file and rewrite, against the oracle; and which of them carry a fix.
  auto json = lt::RunCommand({lt::CliPath(), "scan", "--only", "LH020", "-f", "json", "./..."},
                             std::chrono::seconds(120), {}, copy.string());
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->exit_code, 1) << json->err;  // warnings
  std::map<std::string, std::pair<int, int>> found, fixable;
  const nlohmann::json report = nlohmann::json::parse(json->out);
  for (const auto& f : report.at("findings")) {
    ASSERT_EQ(f.at("rule").get<std::string>(), "LH020");
    const bool timer = f.at("message").get<std::string>().find("'stoppable-timer'") != std::string::npos;
    auto& n = found[f.at("file").get<std::string>()];
    (timer ? n.first : n.second)++;
    if (f.contains("fix")) {
      auto& x = fixable[f.at("file").get<std::string>()];
      (timer ? x.first : x.second)++;
    }
  }
  EXPECT_EQ(found, before) << "the findings are not exactly the sites go/ast counts";
  int fixes = 0;
  for (const auto& [file, n] : fixable) fixes += n.first + n.second;
  RecordProperty("sites", oracle_after + oracle_bg);
  RecordProperty("fixes_offered", fixes);

  std::map<std::string, std::string> originals;
  for (const auto& e : fs::recursive_directory_iterator(copy)) {
    if (e.path().extension() == ".go") originals[fs::relative(e.path(), copy).generic_string()] = ReadFile(e.path());
  }
  const std::string path = "PATH=" + fs::path(go).parent_path().string() + ":" + std::getenv("PATH");
  auto fixed = lt::RunCommand({lt::CliPath(), "scan", "--only", "LH020", "--fix", "./..."}, std::chrono::seconds(120),
                              {path}, copy.string());
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->exit_code, 0) << fixed->err;
  EXPECT_NE(fixed->err.find(fmt::format("applied {} fixes", fixes)), std::string::npos) << fixed->err;
  // The count per file that --fix prints.
  for (const auto& [file, n] : fixable) {
    const int total = n.first + n.second;
    EXPECT_NE(fixed->err.find(fmt::format("{}: {} fix{} (LH020 {})\n", file, total, total == 1 ? "" : "es", total)),
              std::string::npos)
        << file << "\n" << fixed->err;
  }

  // Exactly the fixed sites are gone; files without one are untouched.
  const auto after = OracleCounts(go, copy);
  for (const auto& [file, n] : before) {
    const auto x = fixable.count(file) ? fixable.at(file) : std::pair<int, int>{0, 0};
    const auto left = after.count(file) ? after.at(file) : std::pair<int, int>{0, 0};
    EXPECT_EQ(left, std::make_pair(n.first - x.first, n.second - x.second)) << file;
  }
  for (const auto& [file, text] : originals) {
    if (!fixable.count(file)) {
      EXPECT_EQ(ReadFile(copy / file), text) << file << " changed without a fix";
    }
  }
  auto gofmt = lt::RunCommand({(fs::path(go).parent_path() / "gofmt").string(), "-l", "."}, std::chrono::seconds(60),
                              {}, copy.string());
  ASSERT_TRUE(gofmt.ok());
  EXPECT_EQ(gofmt->out, "") << "not gofmt-clean after the rewrite";
  auto vet = lt::RunCommand({go, "vet", "./..."}, std::chrono::seconds(600), {"GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"},
                            copy.string());
  ASSERT_TRUE(vet.ok());
  EXPECT_EQ(vet->exit_code, 0) << vet->err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leakhound::cli
