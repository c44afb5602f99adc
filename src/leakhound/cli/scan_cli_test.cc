// `leakhound scan` and `leakhound rules` as a user runs them: exit codes, the three formats (SARIF checked against
// the official schema with tests/sarif/validate.js), flags and the config file.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "leakhound/scan/rules.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;

std::string Source(const std::string& rel) { return std::string(LEAKHOUND_SOURCE_DIR) + "/" + rel; }

testing::CommandResult Cli(const std::vector<std::string>& args, const std::string& cwd = LEAKHOUND_SOURCE_DIR) {
  std::vector<std::string> argv = {testing::CliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunCommand(argv, std::chrono::seconds(120), {}, cwd);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : testing::CommandResult{};
}

TEST(ScanCli, HostileSourceNeitherCrashesNorHangs) {
  // What go build accepts but no one writes: nesting thousands deep (once a stack overflow), and random bytes (once
  // quadratic: 128 KiB took 40 s). Deep files are reported and skipped; the rest of the tree is still scanned.
  const fs::path dir = fs::path(::testing::TempDir()) / "hostile-source";
  fs::remove_all(dir);
  fs::create_directories(dir / "deep");
  fs::create_directories(dir / "noise");
  fs::create_directories(dir / "ok");
  {
    std::ofstream f(dir / "deep" / "blocks.go");
    f << "package deep\nfunc f() {\n";
    for (int i = 0; i < 4000; ++i) f << "{\n";
    for (int i = 0; i < 4000; ++i) f << "}\n";
    f << "}\n";
  }
  {
    std::ofstream f(dir / "deep" / "minus.go");
    f << "package deep\nvar x = " << std::string(10000, '-') << "1\n";
  }
  {
    std::ofstream f(dir / "noise" / "random.go", std::ios::binary);
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 128 * 1024; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      f.put(static_cast<char>(x));
    }
  }
  {
    std::ofstream f(dir / "ok" / "leak.go");
    f << "package ok\nfunc F() int {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\tselect {}\n}\n";
  }
  testing::CommandResult r = Cli({"scan", "./...", "-f", "json", "--threads", "1"}, dir.string());
  EXPECT_LT(r.exit_code, 2) << "not a crash, not a usage error: " << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out.substr(0, 500) << r.err;
  EXPECT_NE(r.err.find("blocks.go"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("levels deep"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(ScanCli, NonUtf8BytesInSourceAndFileNamesGiveValidJsonAndSarif) {
  // A non-UTF-8 byte quoted in a syntax error, and one in a file name (once SIGABRT with empty output): both reports
  // stay valid UTF-8 JSON (strict parse), and the finding in the oddly named file is kept.
  const fs::path dir = fs::path(::testing::TempDir()) / "non-utf8";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "x.go", std::ios::binary) << "package p\n\nvar s = 1 \xff\n";
  std::ofstream(dir / "b\xfe.go", std::ios::binary)
      << "package p\n\nfunc f() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}\n";
  for (const char* format : {"json", "sarif"}) {
    testing::CommandResult r = Cli({"scan", "-f", format, "."}, dir.string());
    EXPECT_EQ(r.exit_code, 1) << format << ": " << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << format << ": " << r.out.substr(0, 300);
    // JSON shows the name with U+FFFD; SARIF's artifact URI percent-encodes the byte itself (RFC 3986).
    const char* name = std::string(format) == "json" ? "\"b\xef\xbf\xbd.go\"" : "\"b%FE.go\"";
    EXPECT_NE(r.out.find(name), std::string::npos) << format << ": " << r.out.substr(0, 2000);
    EXPECT_NE(r.out.find("LH001"), std::string::npos) << format;
    if (std::string(format) == "json") {
      ASSERT_EQ(j["diagnostics"].size(), 1u);
      EXPECT_NE(j["diagnostics"][0]["message"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos);
    }
  }
  fs::remove_all(dir);
}

TEST(ScanCli, TextOutputIsFileLineColMessageRuleLikeGolangciLint) {
  auto r = Cli({"scan", "--color", "never", "tests/scan/LH013"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("tests/scan/LH013/leaks.go:17:2: receive from nil channel done blocks forever: it is declared "
                       "at line 16 but never made; use done := make(chan struct{}) (LH013 nil-channel)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("8 findings (8 errors) in 3 files, 1 package"), std::string::npos) << r.err;
}

TEST(ScanCli, ExitCodesFollowFailOn) {
  EXPECT_EQ(Cli({"scan", "-q", "tests/scan/LH004/ok.go"}).exit_code, 0);
  EXPECT_EQ(Cli({"scan", "-q", "--enable", "LH004", "tests/scan/LH004/leaks.go"}).exit_code, 1);           // warnings
  EXPECT_EQ(Cli({"scan", "-q", "--enable", "LH004", "--fail-on", "error", "tests/scan/LH004/leaks.go"}).exit_code, 0);
  EXPECT_EQ(Cli({"scan", "-q", "tests/scan/LH004/leaks.go"}).exit_code, 0);  // experimental: off by default
  EXPECT_EQ(Cli({"scan", "-q", "--fail-on", "never", "tests/scan/LH013"}).exit_code, 0);
  EXPECT_EQ(Cli({"scan", "-q", "--fail-on", "sometimes", "tests/scan/LH013"}).exit_code, 2);
  EXPECT_EQ(Cli({"scan", "-q", "no/such/dir"}).exit_code, 2);
  EXPECT_EQ(Cli({"scan", "-q", "--enable", "LH999", "tests/scan/LH013"}).exit_code, 2);
  EXPECT_EQ(Cli({"scan", "-q", "--format", "xml", "tests/scan/LH013"}).exit_code, 2);
}

TEST(ScanCli, DisableAndEnableSelectRules) {
  auto r = Cli({"scan", "-q", "--disable", "LH013", "tests/scan/LH013"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "");
}

TEST(ScanCli, JsonFollowsTheDocumentedSchema) {
  auto r = Cli({"scan", "-q", "-f", "json", "tests/scan/LH001"});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "leakhound.scan/v1");
  ASSERT_FALSE(j["findings"].empty());
  const auto& f = j["findings"][0];
  for (const char* key : {"file", "line", "column", "end_line", "end_column", "rule", "name", "severity", "message",
                          "suppressed"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  size_t suppressed = 0;
  for (const auto& x : j["findings"]) suppressed += x["suppressed"].get<bool>();
  EXPECT_EQ(suppressed, 1u);  // ok.go's //nolint:LH001
  EXPECT_EQ(j["summary"]["suppressed"], 1);
  EXPECT_EQ(j["summary"]["files"], 3);
}

TEST(ScanCli, SarifValidatesAgainstTheOfficialSchema) {
  fs::path out = fs::path(LEAKHOUND_BINARY_DIR) / "scan-cli-test.sarif";
  // A broken file too, so that toolExecutionNotifications are exercised.
  fs::path broken_dir = fs::path(LEAKHOUND_BINARY_DIR) / "scan-cli-broken";
  fs::create_directories(broken_dir);
  std::ofstream(broken_dir / "b.go") << "package b\n\nfunc F() {\n\tvar ch chan int\n\tch <- 1\n\tif {\n}\n";
  auto r = Cli({"scan", "-q", "-f", "sarif", "-o", out.string(), "tests/scan/...", broken_dir.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto v = RunCommand({"/usr/bin/env", "node", Source("tests/sarif/validate.js"), out.string()},
                      std::chrono::seconds(60));
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->exit_code, 0) << v->out << v->err;

  std::ifstream in(out);
  auto j = nlohmann::json::parse(in);
  const auto& run = j["runs"][0];
  EXPECT_EQ(j["version"], "2.1.0");
  size_t on_by_default = 0;
  for (const scan::RuleInfo& r : scan::AllRules()) on_by_default += !r.experimental && r.id != "LH020";
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), on_by_default);
  nlohmann::json res;
  for (const auto& x : run["results"]) {
    if (x["ruleId"] == "LH001") res = x;
  }
  ASSERT_FALSE(res.is_null());
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().rfind("tests/scan/", 0),
            0u);
  EXPECT_TRUE(res["partialFingerprints"].contains("primaryLocationLineHash"));
  EXPECT_EQ(run["tool"]["driver"]["rules"][res["ruleIndex"].get<int>()]["id"], res["ruleId"]);
  EXPECT_FALSE(run["invocations"][0]["toolExecutionNotifications"].empty());
  size_t suppressed = 0;
  for (const auto& x : run["results"]) suppressed += x.contains("suppressions");
  EXPECT_GE(suppressed, 2u);  // LH001's //nolint and LH003's //lint:ignore
}

// Progress goes to stderr only when it is a terminal: under a pseudo-terminal a scan longer than half a second
// redraws "scan: directories N/M" in place and erases it at the end; through a pipe none of it shows.
TEST(ScanCli, ShowsProgressOnATerminalOnly) {
  auto goroot = RunCommand({testing::FindGo(), "env", "GOROOT"}, std::chrono::seconds(60));
  ASSERT_TRUE(goroot.ok()) << goroot.status().message();
  std::string src = goroot->out.substr(0, goroot->out.find('\n')) + "/src";
  ASSERT_TRUE(fs::is_directory(src + "/net")) << src;
  // net and runtime on one thread: a few seconds here, well over the half second before progress shows.
  std::vector<std::string> args = {"scan", "--threads", "1", "--fail-on", "never", src + "/net/...", src + "/runtime/..."};

  std::string cli = testing::CliPath();
  std::vector<char*> argv = {cli.data()};
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::string tty;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char buf[8192];
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      tty.append(buf, static_cast<size_t>(n));
    } else if (!(n < 0 && errno == EINTR)) {
      break;  // EIO: the child closed the terminal
    }
  }
  ::kill(pid, SIGKILL);  // a no-op when it has ended
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << tty.substr(0, 2000);
  size_t shown = tty.find("\r\x1b[2Kscan: directories ");
  ASSERT_NE(shown, std::string::npos) << tty.substr(0, 2000);
  EXPECT_NE(tty.find('/', shown), std::string::npos);                 // N/M
  EXPECT_NE(tty.find("findings", shown), std::string::npos);          // the summary comes after it
  EXPECT_NE(tty.rfind("\r\x1b[2K"), shown) << "the progress line is erased at the end";

  auto piped = Cli(args);
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err.find("scan: directories"), std::string::npos) << piped.err.substr(0, 500);
  EXPECT_EQ(piped.err.find('\r'), std::string::npos);
}

TEST(ScanCli, TestsFalseDropsTestFiles) {
  fs::path dir = fs::path(LEAKHOUND_BINARY_DIR) / "scan-cli-tests-flag";
  fs::create_directories(dir);
  std::ofstream(dir / "x_test.go") << "package x\n\nfunc helper() {\n\tvar ch chan int\n\t<-ch\n}\n";
  std::ofstream(dir / "x.go") << "package x\n";
  EXPECT_EQ(Cli({"scan", "-q", dir.string()}).exit_code, 1);
  EXPECT_EQ(Cli({"scan", "-q", "--tests=false", dir.string()}).exit_code, 0);
}

TEST(ScanCli, ConfigFileSectionIsReadAndItsErrorsAreUsageErrors) {
  fs::path dir = fs::path(LEAKHOUND_BINARY_DIR) / "scan-cli-config";
  fs::create_directories(dir);
  std::ofstream(dir / "a.go") << "package a\n\nfunc F() {\n\tvar ch chan int\n\t<-ch\n}\n";
  std::ofstream(dir / ".leakhound.yaml") << "scan:\n  severity:\n    LH013: note\n";
  auto noted = Cli({"scan", "-f", "json", "."}, dir.string());
  EXPECT_EQ(noted.exit_code, 0) << noted.err;  // a note is below --fail-on warning
  EXPECT_EQ(nlohmann::json::parse(noted.out)["findings"][0]["severity"], "note");
  std::ofstream(dir / "bad.yaml") << "scan:\n  disable: [LH777]\n";
  auto bad = Cli({"scan", "--config", "bad.yaml", "."}, dir.string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.yaml:2: unknown rule 'LH777'"), std::string::npos) << bad.err;
}

TEST(RulesCli, ListsEveryRuleAndPrintsOneRulesDoc) {
  auto list = Cli({"rules"});
  EXPECT_EQ(list.exit_code, 0);
  for (const scan::RuleInfo& r : scan::AllRules()) {
    EXPECT_NE(list.out.find(std::string(r.id) + "  " + std::string(r.name)), std::string::npos) << list.out;
  }
  auto doc = Cli({"rules", "LH001"});
  EXPECT_EQ(doc.exit_code, 0);
  EXPECT_NE(doc.out.find("Leaks:"), std::string::npos);
  EXPECT_NE(doc.out.find("Fixed:"), std::string::npos);
  EXPECT_NE(doc.out.find("make(chan string, 1)"), std::string::npos);
  EXPECT_EQ(Cli({"rules", "LH0"}).exit_code, 2);
}

}  // namespace
}  // namespace leakhound::cli
