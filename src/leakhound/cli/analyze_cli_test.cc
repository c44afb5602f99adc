// End-to-end tests of `leakhound analyze`: the real binary, run on real dumps of the Go programs under tests/go
// (fetched live over loopback, or a SIGQUIT dump saved to a file), with its JSON parsed and checked against the
// "leakhound.analyze/v1" schema and against what the library itself finds in the same dump.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fstream>
#include <algorithm>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
using nlohmann::json;

constexpr uint64_t kLeaks = 200;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::unique_ptr<lt::GoProgram> StartCase(const std::string& name) {
  auto program = lt::GoProgram::Start(name, {"-n", std::to_string(kLeaks)});
  EXPECT_TRUE(program.ok()) << program.status().message();
  return program.ok() ? std::move(program.value()) : nullptr;
}

// Runs the CLI; fails the test when it cannot run or crashes.
lt::CommandResult RunLeakhound(const std::vector<std::string>& args) {
  auto result = lt::RunCli(args);
  EXPECT_TRUE(result.ok()) << result.status().message();
  if (!result.ok()) return lt::CommandResult{};
  EXPECT_LT(result->exit_code, 128) << "leakhound died from signal " << result->exit_code - 128 << "; stderr:\n"
                                    << result->err;
  return std::move(result.value());
}

json ParseJson(const lt::CommandResult& r) {
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON:\n" << r.out.substr(0, 2000) << "\nstderr:\n" << r.err;
  return j;
}

bool IsSite(const json& s) {
  return s.is_object() && s.contains("function") && s["function"].is_string() &&
         !s["function"].get<std::string>().empty() && s.contains("file") && s["file"].is_string() &&
         s.contains("line") && s["line"].is_number_unsigned();
}

// The shape of leakhound.analyze/v1 that every output must have.
void ExpectAnalyzeSchema(const json& j) {
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.value("schema", std::string()), "leakhound.analyze/v1");
  ASSERT_TRUE(j.contains("total_goroutines") && j["total_goroutines"].is_number_unsigned()) << j.dump().substr(0, 500);
  ASSERT_TRUE(j.contains("buckets") && j["buckets"].is_array());
  const std::set<std::string> verdicts = {"definite", "suspect", "benign", "active"};
  uint64_t previous = UINT64_MAX, sum = 0;
  for (size_t i = 0; i < j["buckets"].size(); ++i) {
    const json& b = j["buckets"][i];
    SCOPED_TRACE("bucket " + std::to_string(i) + ": " + b.dump().substr(0, 400));
    ASSERT_TRUE(b.is_object());
    ASSERT_TRUE(b.contains("count") && b["count"].is_number_unsigned());
    const uint64_t count = b["count"].get<uint64_t>();
    EXPECT_GE(count, 1u);
    EXPECT_LE(count, previous) << "buckets not sorted by count, descending";
    previous = count;
    sum += count;
    EXPECT_TRUE(b.contains("state") && b["state"].is_string());
    ASSERT_TRUE(b.contains("wait_minutes"));
    const json& wait = b["wait_minutes"];
    EXPECT_TRUE(wait.is_null() || wait.is_number() ||
                (wait.is_object() && wait.contains("min") && wait["min"].is_number() && wait.contains("max") &&
                 wait["max"].is_number()))
        << wait.dump();
    ASSERT_TRUE(b.contains("verdict") && b["verdict"].is_string());
    EXPECT_EQ(verdicts.count(b["verdict"].get<std::string>()), 1u) << b["verdict"];
    ASSERT_TRUE(b.contains("reason") && b["reason"].is_string());
    EXPECT_FALSE(b["reason"].get<std::string>().empty());
    ASSERT_TRUE(b.contains("frames") && b["frames"].is_array());
    for (const json& f : b["frames"]) EXPECT_TRUE(IsSite(f)) << f.dump();
    ASSERT_TRUE(b.contains("blocking_site"));
    if (b["frames"].empty()) {
      EXPECT_TRUE(b["blocking_site"].is_null() || IsSite(b["blocking_site"]));
    } else {
      EXPECT_TRUE(IsSite(b["blocking_site"])) << b["blocking_site"].dump();
    }
    ASSERT_TRUE(b.contains("created_by"));
    EXPECT_TRUE(b["created_by"].is_null() || IsSite(b["created_by"])) << b["created_by"].dump();
    ASSERT_TRUE(b.contains("goroutine_ids") && b["goroutine_ids"].is_array());
    EXPECT_LE(b["goroutine_ids"].size(), 20u);
    EXPECT_LE(b["goroutine_ids"].size(), count);
    for (const json& id : b["goroutine_ids"]) EXPECT_TRUE(id.is_number_unsigned()) << id.dump();
  }
  EXPECT_EQ(sum, j["total_goroutines"].get<uint64_t>()) << "with no filters every goroutine is in a bucket";
}

// The nilchan leak as the JSON must show it: the biggest bucket, at the program's own function; definite where the
// dump prints the wait reason "chan send (nil chan)", at least suspect where it cannot (debug=0 and debug=1).
void ExpectNilChanLeak(const json& j, bool traceback) {
  ASSERT_TRUE(j.contains("buckets") && j["buckets"].is_array() && !j["buckets"].empty());
  EXPECT_GE(j["total_goroutines"].get<uint64_t>(), kLeaks);
  const json& b = j["buckets"][0];
  SCOPED_TRACE("top bucket: " + b.dump().substr(0, 600));
  EXPECT_EQ(b.value("count", uint64_t{0}), kLeaks);
  const std::string verdict = b.value("verdict", std::string());
  if (traceback) {
    EXPECT_EQ(verdict, "definite");
  } else {
    EXPECT_TRUE(verdict == "definite" || verdict == "suspect") << verdict;
  }
  ASSERT_TRUE(IsSite(b["blocking_site"]));
  EXPECT_EQ(b["blocking_site"]["function"], "main.(*publisher).deliver");
  EXPECT_TRUE(EndsWith(b["blocking_site"]["file"].get<std::string>(), "tests/go/nilchan/main.go"));
  EXPECT_GT(b["blocking_site"]["line"].get<uint64_t>(), 0u);
  if (traceback) {
    EXPECT_EQ(b.value("state", std::string()), "chan send (nil chan)");
    ASSERT_TRUE(IsSite(b["created_by"]));
    EXPECT_EQ(b["created_by"]["function"], "main.(*publisher).Publish");
    EXPECT_EQ(b["goroutine_ids"].size(), 20u);
    std::set<uint64_t> ids;
    for (const json& id : b["goroutine_ids"]) ids.insert(id.get<uint64_t>());
    EXPECT_EQ(ids.size(), b["goroutine_ids"].size()) << "duplicate goroutine ids";
  }
}

TEST(AnalyzeCli, HostileNamesReachNeitherTheTerminalNorBreakJson) {
  // A function name carrying a window-title OSC sequence, a bell and an invalid UTF-8 byte.
  const std::string path = ::testing::TempDir() + "/hostile-names.txt";
  {
    std::ofstream f(path, std::ios::binary);
    for (int i = 0; i < 3; ++i) {
      f << "goroutine " << 10 + i << " [chan receive]:\nmain.evil\x1b]0;pwned\x07\xff()\n\t/app/e\x1b[2J.go:3 +0x1\n\n";
    }
  }
  lt::CommandResult text = RunLeakhound({"analyze", path, "--format", "text", "--color", "always"});
  EXPECT_EQ(text.out.find("\x1b]"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("\x07"), std::string::npos);
  EXPECT_EQ(text.out.find("\x1b[2J"), std::string::npos);
  EXPECT_NE(text.out.find("\x1b[1m"), std::string::npos) << "leakhound's own colours stay";
  EXPECT_NE(text.out.find("main.evil"), std::string::npos);
  lt::CommandResult j = RunLeakhound({"analyze", path, "--format", "json"});
  json parsed = ParseJson(j);
  ASSERT_TRUE(parsed.is_object());
  EXPECT_EQ(parsed["total_goroutines"], 3);
}

TEST(AnalyzeCli, JsonOfLiveUrlFollowsSchemaAndNamesTheLeak) {
  std::unique_ptr<lt::GoProgram> program = StartCase("nilchan");
  ASSERT_NE(program, nullptr);
  lt::CommandResult r = RunLeakhound({"analyze", program->base_url(), "--format", "json"});
  json j = ParseJson(r);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_NO_FATAL_FAILURE(ExpectAnalyzeSchema(j));
  ExpectNilChanLeak(j, /*traceback=*/true);  // a base URL fetches ?debug=2
}

TEST(AnalyzeCli, JsonOfEveryProfileUrlFollowsSchema) {
  std::unique_ptr<lt::GoProgram> program = StartCase("nilchan");
  ASSERT_NE(program, nullptr);
  for (int debug : {0, 1, 2}) {
    SCOPED_TRACE(program->ProfileUrl(debug));
    lt::CommandResult r = RunLeakhound({"analyze", program->ProfileUrl(debug), "--format", "json"});
    json j = ParseJson(r);
    ASSERT_FALSE(j.is_discarded());
    ASSERT_NO_FATAL_FAILURE(ExpectAnalyzeSchema(j));
    ExpectNilChanLeak(j, /*traceback=*/debug == 2);
  }
}

TEST(AnalyzeCli, SigquitDumpFileAgreesWithTheLibrary) {
  std::unique_ptr<lt::GoProgram> program = StartCase("nilchan");
  ASSERT_NE(program, nullptr);
  auto text = program->Quit();
  ASSERT_TRUE(text.ok()) << text.status().message();
  const std::string file = program->stderr_path();  // the SIGQUIT dump, kept until `program` goes away

  lt::CommandResult r = RunLeakhound({"analyze", file, "--format", "json"});
  json j = ParseJson(r);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_NO_FATAL_FAILURE(ExpectAnalyzeSchema(j));
  ExpectNilChanLeak(j, /*traceback=*/true);

  // The library on the same bytes: same total, same bucket sizes in the same order.
  dump::Dump d = lt::ParseText(file, std::move(*text));
  auto analysis = verdict::Analyze(std::span<const dump::Dump>(&d, 1), verdict::AnalyzeOptions{});
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  EXPECT_EQ(j["total_goroutines"].get<uint64_t>(), analysis->total_goroutines);
  ASSERT_EQ(j["buckets"].size(), analysis->buckets.size());
  for (size_t i = 0; i < analysis->buckets.size(); ++i) {
    EXPECT_EQ(j["buckets"][i]["count"].get<uint64_t>(), analysis->buckets[i].bucket.count) << "bucket " << i;
    EXPECT_EQ(j["buckets"][i]["verdict"], std::string(verdict::VerdictName(analysis->buckets[i].assessment.verdict)))
        << "bucket " << i;
  }

  // Without --format the report still names the leak, whichever format the CLI picks for a pipe.
  lt::CommandResult plain = RunLeakhound({"analyze", file});
  EXPECT_NE(plain.out.find("(*publisher).deliver"), std::string::npos) << plain.out.substr(0, 2000);
  EXPECT_EQ(plain.exit_code, 1) << "default --fail-on is definite; stderr:\n" << plain.err;
}

TEST(AnalyzeCli, FailOnDefiniteExitsOneForNilChan) {
  std::unique_ptr<lt::GoProgram> program = StartCase("nilchan");
  ASSERT_NE(program, nullptr);
  lt::CommandResult r = RunLeakhound({"analyze", program->base_url(), "--format", "json", "--fail-on", "definite"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(r.out.empty()) << "the report is still written when findings make the exit code 1";
}

TEST(AnalyzeCli, FailOnDefiniteExitsZeroForHealthyProgram) {
  std::unique_ptr<lt::GoProgram> program = StartCase("healthy");
  ASSERT_NE(program, nullptr);
  lt::CommandResult r = RunLeakhound({"analyze", program->base_url(), "--format", "json", "--fail-on", "definite"});
  EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << r.out.substr(0, 3000);
  json j = ParseJson(r);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_NO_FATAL_FAILURE(ExpectAnalyzeSchema(j));
  for (const json& b : j["buckets"]) EXPECT_NE(b["verdict"], "definite") << b.dump().substr(0, 400);
}

TEST(AnalyzeCli, MissingFileExitsTwoNamingTheFile) {
  const std::string missing = std::string(LEAKHOUND_BINARY_DIR) + "/go/no-such-dump-4f1c.txt";
  lt::CommandResult r = RunLeakhound({"analyze", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(missing), std::string::npos) << "stderr does not name the file:\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(AnalyzeCli, UnreachableUrlExitsTwoSayingWhy) {
  // A port nothing listens on: bind one, then close it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  lt::CommandResult r = RunLeakhound({"analyze", url, "--timeout", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(url + "/debug/pprof/goroutine?debug=2: cannot connect"), std::string::npos) << r.err;
}

TEST(AnalyzeCli, TextThatIsNoDumpExitsTwoWithADiagnostic) {
  const std::string path = std::string(LEAKHOUND_BINARY_DIR) + "/go/not-a-dump.txt";
  { std::ofstream(path) << "hello\nworld\n"; }
  lt::CommandResult r = RunLeakhound({"analyze", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ": no goroutines found"), std::string::npos) << r.err;
}

TEST(AnalyzeCli, TruncatedDumpIsAnalyzedAndTheCutIsReportedWithItsLine) {
  auto program = lt::GoProgram::Start("abandoned_sender", {"-n", "50"});
  ASSERT_TRUE(program.ok()) << program.status().message();
  auto body = (*program)->Fetch("/debug/pprof/goroutine?debug=2");
  ASSERT_TRUE(body.ok()) << body.status().message();
  // Cut inside a file:line (as the 64 MB cap does: anywhere), a few characters after its tab.
  size_t cut = body.value().find("\n\t", body.value().size() * 2 / 3);
  ASSERT_NE(cut, std::string::npos);
  std::string text = body.value().substr(0, cut + 6);
  const std::string path = std::string(LEAKHOUND_BINARY_DIR) + "/go/truncated-dump.txt";
  { std::ofstream(path) << text; }
  lt::CommandResult r = RunLeakhound({"analyze", path, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  EXPECT_NE(r.err.find(path + ":" + std::to_string(lines) + ": "), std::string::npos)
      << "expected a diagnostic on the last line (" << lines << "):\n" << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_GT(json["total_goroutines"].get<uint64_t>(), 10u);
}

// Usage mistakes get a sentence that says what to do: diff without snapshots, -o into a directory that does not
// exist; and analyze reads `go test -json` output that holds goroutines (goleak's report here) as check does.
TEST(CliTypos, UsageMistakesAreExplained) {
  auto diff = ::leakhound::testing::RunCli({"diff"});
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(diff->exit_code, 2);
  EXPECT_NE(diff->err.find("give two or more snapshots, oldest first"), std::string::npos) << diff->err;
  const std::string fixture =
      std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/goleak/go1.26-goleak1.3.0-test-output.json";
  auto missing = ::leakhound::testing::RunCli({"analyze", "-f", "text", fixture, "-o", "/nonexistent-dir/out.txt"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->exit_code, 2);
  EXPECT_NE(missing->err.find("the directory /nonexistent-dir does not exist"), std::string::npos) << missing->err;
  auto json_output = ::leakhound::testing::RunCli({"analyze", "-f", "text", fixture});
  ASSERT_TRUE(json_output.ok());
  EXPECT_EQ(json_output->err.find("no goroutines found"), std::string::npos) << json_output->err;
  EXPECT_NE(json_output->out.find("goroutines in"), std::string::npos) << json_output->out;
}

}  // namespace
}  // namespace leakhound::cli

namespace leakhound::cli {
namespace {

// Typos get the nearest name: a command (`analyse`) and an option (`--formt`); `help` and `help COMMAND` print help.
TEST(CliTypos, UnknownCommandsAndOptionsNameTheNearestOne) {
  auto command = ::leakhound::testing::RunCli({"analyse", "x.txt"});
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(command->exit_code, 2);
  EXPECT_NE(command->err.find("unknown command 'analyse'; did you mean 'analyze'?"), std::string::npos)
      << command->err;
  auto option = ::leakhound::testing::RunCli({"analyze", "--formt", "json", "x.txt"});
  ASSERT_TRUE(option.ok());
  EXPECT_EQ(option->exit_code, 2);
  EXPECT_NE(option->err.find("did you mean --format?"), std::string::npos) << option->err;
  auto help = ::leakhound::testing::RunCli({"help", "diff"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->exit_code, 0);
  EXPECT_NE(help->out.find("snapshots"), std::string::npos) << help->out;
  auto version = ::leakhound::testing::RunCli({"--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->out.rfind("leakhound 0.1.0 (commit ", 0), 0u) << version->out;
  EXPECT_NE(version->out.find(", built 20"), std::string::npos) << version->out;
  auto test_help = ::leakhound::testing::RunCli({"help", "test"});
  ASSERT_TRUE(test_help.ok());
  EXPECT_NE(test_help->out.find("--repeat N"), std::string::npos) << test_help->out;
}

}  // namespace
}  // namespace leakhound::cli
