// `leakhound watch` as a user runs it, against a fleet where most targets misbehave at once: one drips its response
// headers forever, one serves a gzip bomb, one an amplification profile (a few hundred bytes naming 100,000 frames),
// one non-UTF-8 function names with terminal escape sequences (and grows, so its alert reaches the webhook), one
// restarts on the same port; beside them a real Go program that leaks. The webhook receiver is down for the first
// 60 s after the leak's alert. The leaking target must alert on time with a complete series, the others must be
// classified without disturbing it, memory must stay bounded, every alert must reach the receiver exactly once (by
// id) once it is up, and SIGTERM must end the run within 2 s.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "leakhound/dump/source.h"
#include "leakhound/testing/child.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/testing/peers.h"
#include "leakhound/util/text.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A debug=1 profile whose function names carry invalid UTF-8, a window-title (OSC) and a clear-screen (CSI)
// sequence; `n` goroutines in its growing bucket.
std::string HostileProfile(int n) {
  return "goroutine profile: total " + std::to_string(n + 2) + "\n" + std::to_string(n) +
         " @ 0x1 0x2\n#\t0x1\tmain.w\xff\xfeker\x1b]0;pwned\x07+0x1\t/src/ma\xc3\x28in.go:10\n"
         "#\t0x2\tmain.\x1b[2Jrun+0x2\t/src/main.go:20\n\n"
         "2 @ 0x4\n#\t0x4\truntime.gopark+0x0\t/usr/lib/go/src/runtime/proc.go:1\n\n";
}

// The misbehaving HTTP targets: /bomb, /amp and /bad under one loopback server.
class HostileTargets {
 public:
  HostileTargets() {
    amplification_ = ReadFile(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/fuzz/watch-amplification.pb.gz");
    server_.Get(R"(/(\w+)/debug/pprof/goroutine)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string kind = req.matches[1];
      if (kind == "bomb") {
        res.set_content(lt::GzipBomb(512), "application/octet-stream");
      } else if (kind == "amp") {
        res.set_content(amplification_, "application/octet-stream");
      } else if (kind == "bad") {
        const int scrapes = req.get_param_value("debug") == "0" ? bad_scrapes_++ : bad_scrapes_.load();
        res.set_content(HostileProfile(5 + 3 * scrapes), "text/plain");
      } else {
        res.status = 404;
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HostileTargets() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& kind) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + kind; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::string amplification_;
  std::atomic<int> bad_scrapes_{0};
};

// The CLI as a child process; stdout (JSON lines) read on a thread, stderr to a file.
class WatchProcess : public lt::Child {
 public:
  WatchProcess(std::vector<std::string> args, const std::string& err_path)
      : lt::Child(WithCli(std::move(args)), err_path) {}
  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::milliseconds timeout) const {
    return lt::Child::WaitFor(pred, timeout);
  }

 private:
  static std::vector<std::string> WithCli(std::vector<std::string> args) {
    args.insert(args.begin(), lt::CliPath());
    return args;
  }
};

// kB of a /proc/<pid>/status field ("VmRSS", "VmHWM"); 0 when unreadable.
uint64_t ProcStatusKb(pid_t pid, const std::string& field) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return 0;
}

// The memory the run may use: the watcher's own ~100 MiB (series, knowledge, threads) plus one gzip bomb inflated to
// the scrape budget (4 x --max-body-mb, 256 MiB by default) and the 64 MiB body beside it.
constexpr uint64_t kRssBoundMb = 512;

TEST(WatchFaults, ALeakIsCaughtOnTimeAmongHostileTargetsAndItsAlertSurvivesAReceiverDownForAMinute) {
  lt::GzipBomb(512);  // made before anything is timed
  auto leaky = lt::GoProgram::Start("verdict_classes", {"-mode", "stopper", "-n", "2", "-every", "60ms"});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  auto restarting = lt::GoProgram::Start("watch-restart", {"-sessions", "20"});
  ASSERT_TRUE(restarting.ok()) << restarting.status().message();
  const std::string restart_url = (*restarting)->base_url();
  lt::HeaderDripServer drip;
  ASSERT_GT(drip.port(), 0);
  HostileTargets hostile;

  const fs::path dir = fs::temp_directory_path() / ("leakhound-faults-" + std::to_string(::getpid()));
  fs::create_directories(dir / "dumps");
  const std::string config = (dir / "targets.yaml").string();
  std::ofstream(config) << "targets:\n"
                        << "  - {url: " << (*leaky)->base_url() << ", name: leaky}\n"
                        << "  - {url: " << drip.Url() << ", name: drip}\n"
                        << "  - {url: " << hostile.Url("bomb") << ", name: bomb}\n"
                        << "  - {url: " << hostile.Url("amp") << ", name: amp}\n"
                        << "  - {url: " << hostile.Url("bad") << ", name: bad}\n"
                        << "  - {url: " << restart_url << ", name: restart}\n";
  const int hook_port = lt::DeadPort();
  const int metrics_port = lt::DeadPort();
  const std::string hook_url = "http://127.0.0.1:" + std::to_string(hook_port) + "/hook";
  const std::string err_path = (dir / "stderr.txt").string();
  const auto started = Clock::now();
  WatchProcess watch({"watch", "--config", config, "--interval", "250ms", "--timeout", "2s", "--format", "json",
                      "--webhook", hook_url, "--dump-dir", (dir / "dumps").string(), "--metrics-listen",
                      "127.0.0.1:" + std::to_string(metrics_port)},
                     err_path);
  ASSERT_GT(watch.pid(), 0);
  // Memory is sampled from the first event on (before the exec, the child is a copy of this test process).
  ASSERT_TRUE(watch.WaitFor([&] { return !watch.Events("start").empty(); }, std::chrono::seconds(10)));
  std::atomic<bool> sampling{true};
  std::atomic<uint64_t> rss_max_kb{0};
  std::thread rss([&] {
    while (sampling) {
      rss_max_kb = std::max<uint64_t>(rss_max_kb, ProcStatusKb(watch.pid(), "VmRSS"));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  struct Joiner {
    std::atomic<bool>& flag;
    std::thread& t;
    ~Joiner() {
      flag = false;
      if (t.joinable()) t.join();
    }  // on an early return
  } joiner{sampling, rss};

  // The leak alerts on time: within min-samples (8) + 2 of its own samples.
  ASSERT_TRUE(watch.WaitFor([&] { return !watch.Events("alert", "leaky").empty(); }, std::chrono::seconds(60)))
      << "no alert for the leaking target; samples: " << watch.Events("sample", "leaky").size()
      << "\nstderr:\n" << ReadFile(err_path);
  const auto alerted = Clock::now();
  const json first = watch.Events("alert", "leaky").front();
  EXPECT_LE(first["round"].get<size_t>(), 10u) << first.dump();
  EXPECT_EQ(first["rule"], "growth") << first.dump();

  // The restarting target goes down and comes back on the same port, a new process.
  ASSERT_TRUE(watch.WaitFor([&] { return watch.Events("sample", "restart").size() >= 4; }, std::chrono::seconds(20)));
  (*restarting)->Kill();
  auto second = lt::GoProgram::Start("watch-restart",
                                     {"-addr", restart_url.substr(restart_url.find("://") + 3), "-sessions", "20"});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(watch.WaitFor([&] { return !watch.Events("restart", "restart").empty(); }, std::chrono::seconds(20)));

  // The receiver comes up 60 s after the first alert was queued; every alert the run has fired by then arrives.
  std::this_thread::sleep_until(alerted + std::chrono::seconds(60));
  lt::WebhookReceiver receiver(0, 503, hook_port);
  ASSERT_EQ(receiver.port(), hook_port);
  std::set<std::string> fired;
  for (const json& a : watch.Events("alert")) fired.insert(a["id"].get<std::string>());
  auto received_ids = [&] {
    std::map<std::string, int> ids;
    for (const std::string& body : receiver.bodies()) {
      json j = json::parse(body, nullptr, false);  // strict: invalid UTF-8 does not parse
      ids[j.is_discarded() ? "(not JSON)" : j.value("id", "(no id)")]++;
    }
    return ids;
  };
  EXPECT_TRUE(watch.WaitFor(
      [&] {
        auto ids = received_ids();
        for (const std::string& id : fired) {
          if (!ids.count(id)) return false;
        }
        return true;
      },
      std::chrono::seconds(45)))
      << receiver.bodies().size() << " bodies received, " << fired.size() << " alerts fired";

  // The metrics page is valid exposition text, whatever the targets served.
  auto metrics = dump::FetchUrl("http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics", dump::FetchOptions{});
  ASSERT_TRUE(metrics.ok()) << metrics.status().message();
  EXPECT_TRUE(util::IsValidUtf8(*metrics));
  EXPECT_NE(metrics->find("leakhound_watch_up{target=\"leaky\"} 1"), std::string::npos) << *metrics;
  EXPECT_NE(metrics->find("leakhound_watch_scrape_errors_total{target=\"drip\",reason=\"timeout\"}"),
            std::string::npos);
  EXPECT_NE(metrics->find("leakhound_watch_scrape_errors_total{target=\"bomb\",reason=\"too_large\"}"),
            std::string::npos);

  const uint64_t peak_kb = ProcStatusKb(watch.pid(), "VmHWM");
  sampling = false;
  rss.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  int status = 0;
  const double stop_seconds = watch.Terminate(std::chrono::seconds(10), &status);
  EXPECT_GE(stop_seconds, 0) << "SIGTERM did not end the run";
  EXPECT_LT(stop_seconds, 2.0);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping";
  EXPECT_EQ(watch.not_json(), 0);

  // Exactly once, by id; nothing else arrived.
  std::map<std::string, int> ids = received_ids();
  for (const json& a : watch.Events("alert")) {
    EXPECT_EQ(ids[a["id"].get<std::string>()], 1) << a.dump();
  }
  EXPECT_EQ(ids.size(), watch.Events("alert").size());
  EXPECT_EQ(ids.count("(not JSON)"), 0u);
  EXPECT_FALSE(watch.Events("alert", "bad").empty()) << "the non-UTF-8 target grows: its alert must be posted too";

  // The leaking target's series is complete: every round a sample, no scrape error, about one per interval.
  std::vector<json> samples = watch.Events("sample", "leaky");
  for (size_t k = 0; k < samples.size(); ++k) ASSERT_EQ(samples[k]["round"], k) << samples[k].dump();
  EXPECT_TRUE(watch.Events("scrape_error", "leaky").empty());
  EXPECT_GE(static_cast<double>(samples.size()), 0.5 * elapsed / 0.25) << elapsed << " s";

  // Each hostile target is classified, and only as what it is.
  auto reasons = [&](const std::string& target) {
    std::set<std::string> out;
    for (const json& e : watch.Events("scrape_error", target)) out.insert(e["reason"].get<std::string>());
    return out;
  };
  EXPECT_EQ(reasons("drip"), std::set<std::string>{"timeout"});
  EXPECT_EQ(reasons("bomb"), std::set<std::string>{"too_large"});
  EXPECT_TRUE(reasons("amp").empty());
  EXPECT_FALSE(watch.Events("sample", "amp").empty());
  EXPECT_TRUE(reasons("bad").empty());
  EXPECT_EQ(watch.Events("restart", "restart").size(), 1u);
  for (const std::string& r : reasons("restart")) EXPECT_EQ(r, "connect");

  EXPECT_LT(std::max(rss_max_kb.load(), peak_kb) / 1024, kRssBoundMb)
      << "peak RSS " << peak_kb / 1024 << " MiB, sampled max " << rss_max_kb / 1024 << " MiB";
  const std::string err = ReadFile(err_path);
  EXPECT_EQ(err.find('\x1b'), std::string::npos) << "an escape sequence from a profile reached stderr";
  for (const auto& entry : fs::directory_iterator(dir / "dumps")) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }
  std::printf("[ faults ] %.0f s, %zu leaky samples, peak RSS %llu MiB, stop %.2f s, %zu alerts delivered once\n",
              elapsed, samples.size(), static_cast<unsigned long long>(peak_kb / 1024), stop_seconds, ids.size());
  (*leaky)->Kill();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leakhound::cli
