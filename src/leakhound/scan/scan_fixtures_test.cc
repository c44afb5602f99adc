// The rule fixtures under tests/scan/LH0NN/: real Go packages whose `// want "REGEXP"` comments name the findings
// each line must produce (go/analysis's analysistest convention). Each rule runs alone over its directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "leakhound/scan/scan.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::scan {
namespace {

namespace fs = std::filesystem;

struct Want {
  std::string file;
  uint32_t line;
  std::string pattern;
  bool matched = false;
};

std::string FixtureDir(std::string_view rule) { return std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan/" + std::string(rule); }

// Reads every `// want "re" "re2"` comment below dir.
std::vector<Want> ReadWants(const std::string& dir) {
  std::vector<Want> out;
  std::regex want_re(R"(// want (.*)$)");
  std::regex quoted(R"re("((?:[^"\\]|\\.)*)")re");
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".go") continue;
    std::ifstream in(e.path());
    std::string line;
    uint32_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::smatch m;
      if (!std::regex_search(line, m, want_re)) continue;
      std::string rest = m[1];
      for (auto it = std::sregex_iterator(rest.begin(), rest.end(), quoted); it != std::sregex_iterator(); ++it) {
        // Go string escapes used in the fixtures: \\ -> \ .
        std::string p = (*it)[1];
        std::string unescaped;
        for (size_t i = 0; i < p.size(); ++i) {
          if (p[i] == '\\' && i + 1 < p.size() && (p[i + 1] == '\\' || p[i + 1] == '"')) ++i;
          unescaped += p[i];
        }
        out.push_back({fs::canonical(e.path()).string(), n, unescaped});
      }
    }
  }
  return out;
}

void CheckFixtures(std::string_view rule_id) {
  const std::string dir = FixtureDir(rule_id);
  ScanOptions options;
  options.paths = {dir + "/..."};
  for (const RuleInfo& r : AllRules()) {
    if (r.id != rule_id) options.disable.emplace_back(r.id);
  }
  options.enable = {std::string(rule_id)};
  // A rule that needs the project file (LH020's rewrites) has one beside its fixtures.
  if (fs::exists(dir + "/.leakhound.yaml")) {
    auto config = LoadScanConfig(dir + "/.leakhound.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    options.config = std::move(config).value();
  }
  auto result = Scan(options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(result->diagnostics.empty()) << result->diagnostics.front().file << ": "
                                           << result->diagnostics.front().message;
  std::vector<Want> wants = ReadWants(dir);
  ASSERT_GE(wants.size(), 4u) << "each rule needs at least 4 positive fixtures";
  size_t negatives_file_lines = 0;
  for (const auto& e : fs::directory_iterator(dir)) negatives_file_lines += e.path().filename().string().rfind("ok", 0) == 0;
  EXPECT_GE(negatives_file_lines, 1u) << "no ok*.go with negative cases";

  for (const Finding& f : result->findings) {
    if (f.suppressed) continue;
    std::string file = fs::canonical(f.file).string();
    bool matched = false;
    for (Want& w : wants) {
      if (w.matched || w.file != file || w.line != f.start.line) continue;
      if (std::regex_search(f.message, std::regex(w.pattern))) {
        w.matched = matched = true;
        break;
      }
    }
    EXPECT_TRUE(matched) << "unexpected finding " << f.file << ":" << f.start.line << ":" << f.start.column << ": "
                         << f.message;
    EXPECT_EQ(f.rule_id, rule_id);
  }
  for (const Want& w : wants) {
    EXPECT_TRUE(w.matched) << w.file << ":" << w.line << ": no finding matched want \"" << w.pattern << "\"";
  }
}

// The three library shapes (tests/scan/shapes/README.md): each buggy package, a faithful small reproduction, is
// flagged where its `// want` says, by the cross-function rules (LH014-LH019); each fixed twin is silent.
TEST(ScanFixtures, LibraryShapesFlaggedAndTheirFixedTwinsSilent) {
  const std::string dir = FixtureDir("shapes");
  ScanOptions options;
  options.paths = {dir + "/..."};
  options.all_rules = true;
  for (const RuleInfo& r : AllRules()) {
    if (r.id < std::string_view("LH014")) options.disable.emplace_back(r.id);
  }
  auto result = Scan(options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  std::vector<Want> wants = ReadWants(dir);
  ASSERT_EQ(wants.size(), 3u) << "one want per shape";
  for (const Finding& f : result->findings) {
    const std::string file = fs::canonical(f.file).string();
    EXPECT_EQ(file.find("/fixed/"), std::string::npos) << "a fixed twin is flagged: " << f.file << ":"
                                                       << f.start.line << ": " << f.message;
    for (Want& w : wants) {
      if (w.file == file && w.line == f.start.line && std::regex_search(f.message, std::regex(w.pattern))) {
        w.matched = true;
      }
    }
  }
  for (const Want& w : wants) {
    EXPECT_TRUE(w.matched) << w.file << ":" << w.line << ": no finding matched want \"" << w.pattern << "\"";
  }
}

TEST(ScanFixtures, LH001AbandonedSender) { CheckFixtures("LH001"); }
TEST(ScanFixtures, LH002SendersOutnumberReceives) { CheckFixtures("LH002"); }
TEST(ScanFixtures, LH003RangeUnclosed) { CheckFixtures("LH003"); }
TEST(ScanFixtures, LH004ForSelectNoExit) { CheckFixtures("LH004"); }
TEST(ScanFixtures, LH005ContextCancelNotCalled) { CheckFixtures("LH005"); }
TEST(ScanFixtures, LH006TimerNotStopped) { CheckFixtures("LH006"); }
TEST(ScanFixtures, LH007HttpServerNoTimeouts) { CheckFixtures("LH007"); }
TEST(ScanFixtures, LH008HandlerGoroutineNoDeadline) { CheckFixtures("LH008"); }
TEST(ScanFixtures, LH009ResponseBodyNotClosed) { CheckFixtures("LH009"); }
TEST(ScanFixtures, LH012ContextIgnored) { CheckFixtures("LH012"); }
TEST(ScanFixtures, LH010LockOrWaitGroupMisuse) { CheckFixtures("LH010"); }
TEST(ScanFixtures, LH011HandleNeverStopped) { CheckFixtures("LH011"); }
TEST(ScanFixtures, LH013NilChannel) { CheckFixtures("LH013"); }
TEST(ScanFixtures, LH014Relock) { CheckFixtures("LH014"); }
TEST(ScanFixtures, LH015LockAcrossChannel) { CheckFixtures("LH015"); }
TEST(ScanFixtures, LH016NeverCompleted) { CheckFixtures("LH016"); }
TEST(ScanFixtures, LH017LockOrder) { CheckFixtures("LH017"); }
TEST(ScanFixtures, LH018WaitForSelf) { CheckFixtures("LH018"); }
TEST(ScanFixtures, LH019GoroutineUntilCancel) { CheckFixtures("LH019"); }
TEST(ScanFixtures, LH020Rewrite) { CheckFixtures("LH020"); }
TEST(ScanFixtures, LH021BackgroundContext) { CheckFixtures("LH021"); }
TEST(ScanFixtures, LH022StopCheckThenBlock) { CheckFixtures("LH022"); }
TEST(ScanFixtures, LH023CondWaitUnchecked) { CheckFixtures("LH023"); }
TEST(ScanFixtures, LH024ConsumerLeavesEarly) { CheckFixtures("LH024"); }

// Every implemented rule has a fixture directory (so a new rule cannot land without fixtures).
TEST(ScanFixtures, EveryRuleHasFixtures) {
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(fs::is_directory(FixtureDir(r.id))) << r.id << " has no tests/scan/" << r.id;
  }
}

// The fixtures are real Go: `go vet ./...` accepts them.
TEST(ScanFixtures, GoVetAcceptsFixtures) {
  const char* path = std::getenv("PATH");
  std::vector<std::string> env = {"GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-buildvcs=false",
                                  std::string("PATH=") + (path ? path : "/usr/bin:/bin") + ":/usr/local/go/bin"};
  if (std::getenv("HOME") == nullptr && std::getenv("GOCACHE") == nullptr) {
    env.push_back(std::string("GOCACHE=") + LEAKHOUND_BINARY_DIR + "/gocache");
  }
  // -lostcancel=false: LH005's positive fixtures (tests/scan/LH005/leaks.go) lose cancel funcs on purpose, which is
  // exactly what vet's lostcancel analyzer reports; every other analyzer still runs.
  auto run = testing::RunCommand({"/usr/bin/env", "go", "vet", "-lostcancel=false", "./..."}, std::chrono::minutes(5),
                                 env, std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 0) << run->out << run->err;
}

}  // namespace
}  // namespace leakhound::scan
