// End-to-end tests of `leakhound watch` as a user runs it: JSON lines on a pipe, bounded runs, exit codes, SIGTERM.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <thread>

#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
using json = nlohmann::json;

lt::CommandResult RunWatchCli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {lt::CliPath(), "watch"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = lt::RunCommand(argv, std::chrono::seconds(60), {"NO_COLOR=1"});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : lt::CommandResult{};
}

std::vector<json> Lines(const std::string& out) {
  std::vector<json> events;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto e = json::parse(line, nullptr, false);
    EXPECT_FALSE(e.is_discarded()) << "not JSON: " << line;
    if (!e.is_discarded()) events.push_back(e);
  }
  return events;
}

TEST(WatchCli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunWatchCli({}).exit_code, 2);
  lt::CommandResult r = RunWatchCli({"127.0.0.1:6060"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pprof base URL"), std::string::npos) << r.err;
  r = RunWatchCli({"http://127.0.0.1:1", "--interval", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--interval"), std::string::npos) << r.err;
  r = RunWatchCli({"http://127.0.0.1:1", "--interval", "1m", "--window", "5m"});
  EXPECT_EQ(r.exit_code, 2) << "a window shorter than min-samples intervals";
  EXPECT_NE(r.err.find("cannot hold --min-samples"), std::string::npos) << r.err;
  r = RunWatchCli({"http://127.0.0.1:1", "--format", "html"});
  EXPECT_EQ(r.exit_code, 2) << "the page needs a file";
  EXPECT_NE(r.err.find("--format html needs -o FILE"), std::string::npos) << r.err;
  r = RunWatchCli({"http://127.0.0.1:1", "-o", "x.html"});
  EXPECT_EQ(r.exit_code, 2) << "-o without --format html";
  r = RunWatchCli({"http://127.0.0.1:1", "--profile", "debug2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--profile must be debug0 or debug1"), std::string::npos) << r.err;
}

TEST(WatchCli, NoTargetEverReachableExitsTwo) {
  // Port 1 on loopback: nothing listens there.
  lt::CommandResult r = RunWatchCli({"http://127.0.0.1:1", "--once", "--timeout", "1s"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no target was ever reachable"), std::string::npos) << r.err;
  std::vector<json> events = Lines(r.out);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[1]["event"], "scrape_error");
  EXPECT_EQ(events[1]["reason"], "connect");
  EXPECT_EQ(events.back()["event"], "summary");
}

TEST(WatchCli, OnceWithTheFuseBlownExitsOneAndPrintsJsonLines) {
  auto leaky = lt::GoProgram::Start("watch-leaky", {});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  for (int i = 0; i < 12; ++i) ASSERT_TRUE((*leaky)->Fetch("/order?id=" + std::to_string(i)).ok());

  lt::CommandResult quiet = RunWatchCli({(*leaky)->base_url(), "--once"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_NE(quiet.err.find("growth needs --min-samples samples"), std::string::npos)
      << "--once says which alerts it cannot raise: " << quiet.err;

  lt::CommandResult r = RunWatchCli({(*leaky)->base_url(), "--once", "--max-goroutines", "10"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<json> events = Lines(r.out);
  ASSERT_EQ(events.size(), 4u) << r.out;
  EXPECT_EQ(events[0]["event"], "start");
  EXPECT_EQ(events[1]["event"], "sample");
  EXPECT_EQ(events[2]["event"], "alert");
  EXPECT_EQ(events[3]["event"], "summary");
  for (const json& e : events) EXPECT_EQ(e["schema"], "leakhound.watch/v1");
  const json& a = events[2];
  EXPECT_EQ(a["rule"], "max_goroutines");
  EXPECT_GT(a["goroutines"].get<uint64_t>(), 10u);
  EXPECT_EQ(a["bucket"]["name"], "main.notifyAudit") << "the fuse names the largest bucket";
  EXPECT_TRUE(a["bucket"]["creating"].get<std::string>().starts_with("main.handleOrder ")) << a.dump();
  EXPECT_NE(r.err.find("1 alert(s)"), std::string::npos) << r.err;
}

TEST(WatchCli, SigtermStopsCleanlyWithASummary) {
  auto leaky = lt::GoProgram::Start("watch-leaky", {});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  int out_pipe[2], err_pipe[2];
  ASSERT_EQ(::pipe(out_pipe), 0);
  ASSERT_EQ(::pipe(err_pipe), 0);
  std::string cli = lt::CliPath(), url = (*leaky)->base_url();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::execl(cli.c_str(), cli.c_str(), "watch", url.c_str(), "--interval", "100ms", "--format", "json",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // Read until the third sample, then ask it to stop.
  std::string out;
  char buf[4096];
  size_t samples = 0;
  while (samples < 3) {
    ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    samples = 0;
    for (size_t at = out.find("\"event\":\"sample\""); at != std::string::npos;
         at = out.find("\"event\":\"sample\"", at + 1)) {
      ++samples;
    }
  }
  ASSERT_EQ(samples, 3u) << out;
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  for (ssize_t n; (n = ::read(out_pipe[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  std::string err;
  for (ssize_t n; (n = ::read(err_pipe[0], buf, sizeof buf)) > 0;) err.append(buf, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping";
  EXPECT_EQ(WEXITSTATUS(status), 0) << err;
  std::vector<json> events = Lines(out);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["event"], "summary");
  EXPECT_NE(err.find("round(s)"), std::string::npos) << err;
}

}  // namespace
}  // namespace leakhound::cli
