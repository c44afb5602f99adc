// The scan driver: walking directories, rule selection, the scan: config section, suppression and exclusion end to
// end, go.mod version lookup.
#include "leakhound/scan/scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace leakhound::scan {
namespace {

namespace fs = std::filesystem;

// A temporary directory tree, removed at the end of the test.
class TempTree {
 public:
  TempTree() {
    std::string tmpl = (fs::temp_directory_path() / "leakhound-scan-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string Write(const std::string& rel, const std::string& text) const {
    fs::path p = fs::path(root_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string Path(const std::string& rel = "") const { return (fs::path(root_) / rel).string(); }

 private:
  std::string root_;
};

constexpr const char* kLeak = R"(package p

func F() {
	var ch chan int
	<-ch
}
)";

std::vector<std::string> Names(const std::vector<std::string>& paths, const std::string& root) {
  std::vector<std::string> out;
  for (const std::string& p : paths) out.push_back(fs::path(p).lexically_relative(root).generic_string());
  return out;
}

TEST(FindGoFiles, SkipsVendorTestdataHiddenAndNodeModules) {
  TempTree t;
  for (const char* f : {"a.go", "a_test.go", "sub/b.go", "vendor/v.go", "testdata/t.go", ".git/g.go",
                        "node_modules/n.go", "_old/o.go", "sub/deep/c.go", "notes.txt"}) {
    t.Write(f, "package p\n");
  }
  auto all = FindGoFiles({t.Path() + "/..."}, IncludeTests::kYes);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Names(*all, t.Path()), (std::vector<std::string>{"a.go", "a_test.go", "sub/b.go", "sub/deep/c.go"}));
  auto no_tests = FindGoFiles({t.Path() + "/..."}, IncludeTests::kNo);
  ASSERT_TRUE(no_tests.ok());
  EXPECT_EQ(Names(*no_tests, t.Path()), (std::vector<std::string>{"a.go", "sub/b.go", "sub/deep/c.go"}));
  // A plain directory is not recursive; a file is taken as named.
  auto dir = FindGoFiles({t.Path("sub"), t.Path("vendor/v.go")}, IncludeTests::kYes);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(Names(*dir, t.Path()), (std::vector<std::string>{"sub/b.go", "vendor/v.go"}));
  EXPECT_FALSE(FindGoFiles({t.Path("missing")}, IncludeTests::kYes).ok());
}

TEST(GlobMatch, StarsStayInAnElementDoubleStarsSpanThem) {
  EXPECT_TRUE(GlobMatch("gen/**", "gen/a/b.go"));
  EXPECT_TRUE(GlobMatch("**/mock_*.go", "x/y/mock_db.go"));
  EXPECT_TRUE(GlobMatch("**/mock_*.go", "mock_db.go"));
  EXPECT_TRUE(GlobMatch("*_mock.go", "db_mock.go"));
  EXPECT_FALSE(GlobMatch("*_mock.go", "sub/db_mock.go"));
  EXPECT_FALSE(GlobMatch("gen/*", "gen/a/b.go"));
  EXPECT_TRUE(GlobMatch("a?c.go", "abc.go"));
}

TEST(ParseScanConfig, ReadsEnableDisableSeverityAndExclude) {
  auto c = ParseScanConfig(R"(ignore:
  - top: foo.
    reason: x
scan:
  enable: [LH001]
  disable: [nil-channel]
  severity: {LH004: note}
  exclude: ["gen/**", "*_mock.go"]
)", "/proj/.leakhound.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->enable, (std::vector<std::string>{"LH001"}));
  EXPECT_EQ(c->disable, (std::vector<std::string>{"LH013"}));
  EXPECT_EQ(c->severity.at("LH004"), Severity::kNote);
  EXPECT_EQ(c->exclude.size(), 2u);
  EXPECT_TRUE(Excluded(*c, "/proj/gen/x/y.go"));
  EXPECT_TRUE(Excluded(*c, "/proj/pkg/db_mock.go"));
  EXPECT_FALSE(Excluded(*c, "/proj/pkg/db.go"));
}

TEST(ParseScanConfig, ErrorsNameFileAndLine) {
  auto unknown_rule = ParseScanConfig("scan:\n  disable:\n    - LH999\n", "cfg.yaml");
  ASSERT_FALSE(unknown_rule.ok());
  EXPECT_EQ(unknown_rule.status().message(), "cfg.yaml:3: unknown rule 'LH999'");
  auto unknown_key = ParseScanConfig("scan:\n  enabled: [LH001]\n", "cfg.yaml");
  ASSERT_FALSE(unknown_key.ok());
  EXPECT_EQ(unknown_key.status().message().rfind("cfg.yaml:2: unknown key 'scan.enabled'", 0), 0u);
  auto bad_level = ParseScanConfig("scan:\n  severity:\n    LH001: fatal\n", "cfg.yaml");
  ASSERT_FALSE(bad_level.ok());
  EXPECT_EQ(bad_level.status().message().rfind("cfg.yaml:3: severity must be", 0), 0u);
}

TEST(SelectRules, DefaultsThenConfigThenFlags) {
  ScanOptions o;
  auto all = SelectRules(o);
  ASSERT_TRUE(all.ok());
  size_t defaults = 0;
  for (const RuleInfo& r : AllRules()) defaults += !r.experimental && r.id != "LH020";  // LH020: only with rewrites
  EXPECT_EQ(all->size(), defaults);
  o.config.disable = {"LH001", "LH003"};
  o.enable = {"LH003"};
  o.disable = {"for-select-no-exit"};
  auto some = SelectRules(o);
  ASSERT_TRUE(some.ok());
  auto has = [&](std::string_view id) {
    return std::any_of(some->begin(), some->end(), [&](const RuleInfo* r) { return r->id == id; });
  };
  EXPECT_FALSE(has("LH001"));  // disabled by the config
  EXPECT_TRUE(has("LH003"));   // disabled by the config, enabled by a flag
  EXPECT_FALSE(has("LH004"));  // experimental, and disabled by name on the command line
  EXPECT_TRUE(has("LH013"));   // default
  EXPECT_EQ(some->size(), defaults - 1);
  o.enable = {"LH042"};
  EXPECT_FALSE(SelectRules(o).ok());
}

TEST(Scan, SuppressedFindingsAreKeptAndMarked) {
  TempTree t;
  t.Write("p/a.go", R"(package p

func F() {
	var ch chan int
	<-ch //nolint:LH013 // on purpose
	//nolint:leakhound
	<-ch
	<-ch
}
)");
  ScanOptions o;
  o.paths = {t.Path("p")};
  auto r = Scan(o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.size(), 3u);
  EXPECT_TRUE(r->findings[0].suppressed);
  EXPECT_EQ(r->findings[0].suppression, "//nolint:LH013 // on purpose");
  EXPECT_TRUE(r->findings[1].suppressed);
  EXPECT_FALSE(r->findings[2].suppressed);
  EXPECT_EQ(r->findings[2].start.line, 8u);
  EXPECT_EQ(r->findings[2].start.column, 2u);
}

TEST(Scan, ConfigExcludesFilesAndChangesSeverity) {
  TempTree t;
  t.Write("gen/x.go", kLeak);
  t.Write("pkg/y.go", kLeak);
  std::string cfg = t.Write(".leakhound.yaml", "scan:\n  exclude: [\"gen/**\"]\n  severity: {LH013: note}\n");
  auto c = LoadScanConfig(cfg);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ScanOptions o;
  o.paths = {t.Path() + "/..."};
  o.config = *c;
  auto r = Scan(o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_NE(r->findings[0].file.find("pkg/y.go"), std::string::npos);
  EXPECT_EQ(r->findings[0].severity, Severity::kNote);
  EXPECT_EQ(r->files, 1u);
}

TEST(Scan, BrokenFileGetsADiagnosticAndItsGoodPartsAreStillChecked) {
  TempTree t;
  t.Write("p/a.go", std::string(kLeak) + "\nfunc G() {\n\tif {\n}\n");
  ScanOptions o;
  o.paths = {t.Path("p")};
  auto r = Scan(o);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->diagnostics.empty());
  EXPECT_NE(r->diagnostics[0].message.find("syntax error"), std::string::npos);
  EXPECT_GT(r->diagnostics[0].position.line, 6u);
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].rule_id, "LH013");
}

TEST(Scan, FilesOfOnePackageAreAnalysedTogether) {
  // The goroutine's function lives in another file of the package.
  TempTree t;
  t.Write("p/a.go", R"(package p

import "context"

func F(ctx context.Context) int {
	ch := make(chan int)
	go produce(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
)");
  t.Write("p/b.go", "package p\n\nfunc produce(ch chan int) { ch <- 1 }\n");
  ScanOptions o;
  o.paths = {t.Path("p")};
  auto r = Scan(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->packages, 1u);
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].rule_id, "LH001");
  EXPECT_EQ(r->findings[0].start.line, 7u);
}

// examples/leaky-service's search handler fans queries out to goroutines that send on one unbuffered channel and
// takes the first reply or a timeout: LH002 (buffer for every sender) and LH001 (buffer of one) describe the same send,
// and LH002's fix is the one that works, so only it is reported there; LH008 (no context) is a different problem.
TEST(Scan, OneSendOneFixLH002SubsumesLH001AtTheSamePlace) {
  const std::string dir = std::string(LEAKHOUND_SOURCE_DIR) + "/examples/leaky-service";
  auto at_send = [](const ScanResult& r) {
    std::vector<std::string> ids;
    for (const Finding& f : r.findings) {
      if (f.file.ends_with("catalog.go") && f.start.line == 53) ids.emplace_back(f.rule_id);
    }
    return ids;
  };
  ScanOptions all;
  all.paths = {dir};
  auto r = Scan(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(at_send(*r), (std::vector<std::string>{"LH002", "LH008"}));

  ScanOptions without_lh002 = all;
  without_lh002.disable = {"LH002"};
  auto r2 = Scan(without_lh002);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(at_send(*r2), (std::vector<std::string>{"LH001", "LH008"}));
}

TEST(FindGoVersion, ReadsTheNearestGoMod) {
  TempTree t;
  t.Write("go.mod", "module x\n\ngo 1.23.4\n\ntoolchain go1.24.0\n");
  t.Write("a/b/c.go", "package b\n");
  auto v = FindGoVersion(t.Path("a/b"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, std::make_pair(1, 23));
}

// Every rule takes broken input: each fixture file cut at many points (mid-token, mid-block) goes through the parser
// and every rule, which must neither crash nor report outside the text.
TEST(ScanInMemory, EveryRuleSurvivesTruncatedFixtures) {
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : AllRules()) rules.push_back(&r);
  size_t inputs = 0;
  for (const auto& e : fs::recursive_directory_iterator(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan")) {
    if (e.path().extension() != ".go") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t cut = 0; cut < text.size(); cut += 53) {
      std::string prefix = text.substr(0, cut);
      ScanResult r = ScanInMemory({{"cut.go", prefix}}, rules);
      size_t lines = 1 + static_cast<size_t>(std::count(prefix.begin(), prefix.end(), '\n'));
      for (const Finding& f : r.findings) {
        EXPECT_GE(f.start.line, 1u);
        EXPECT_LE(f.start.line, lines) << e.path() << " cut at " << cut << ": " << f.message;
      }
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 100u);
}

}  // namespace
}  // namespace leakhound::scan
