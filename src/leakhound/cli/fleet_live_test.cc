// `leakhound watch` in a fleet, end to end with the real peers (Debian's prometheus 2.42 and alertmanager 0.25,
// installed by scripts/install-deps.sh) on loopback: targets from a file_sd file, the project's Prometheus rules on
// leakhound's /metrics, alerts through Alertmanager to a webhook receiver, and leakhound's own Alertmanager alerts,
// firing and then resolved. And two shards over one target list.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "leakhound/testing/child.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/testing/peers.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using SysClock = std::chrono::system_clock;

constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr const char* kAlertmanager = "/usr/bin/prometheus-alertmanager";

std::string HostPort(const std::string& base_url) { return base_url.substr(base_url.find("://") + 3); }

// GET http://127.0.0.1:port<path>: the body when the status is 200, else "".
std::string Get(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2);
  c.set_read_timeout(5);
  auto r = c.Get(path.c_str());
  return r && r->status == 200 ? r->body : std::string();
}

// "2026-12-06T23:46:07.963Z" or Prometheus's "2026-12-06T23:46:09.0012345Z" as a time point (UTC).
SysClock::time_point ParseTime(const std::string& s) {
  std::tm tm{};
  if (::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return {};
  SysClock::time_point t = SysClock::from_time_t(::timegm(&tm));
  const size_t dot = s.find('.');
  if (dot != std::string::npos) {
    std::string frac = s.substr(dot + 1, s.find_first_not_of("0123456789", dot + 1) - dot - 1);
    frac = (frac + "000000").substr(0, 6);
    t += std::chrono::microseconds(std::stoll(frac));
  }
  return t;
}

// Requests to a leaking service's /order on a thread, while on.
class Traffic {
 public:
  explicit Traffic(const std::string& host_port) {
    thread_ = std::thread([this, host_port] {
      const size_t colon = host_port.rfind(':');
      httplib::Client c(host_port.substr(0, colon), std::stoi(host_port.substr(colon + 1)));
      for (int i = 0; !stop_.load(); ++i) {
        if (on_.load()) c.Get(("/order?id=" + std::to_string(i)).c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
  }
  ~Traffic() {
    stop_ = true;
    thread_.join();
  }
  void Set(bool on) { on_ = on; }

 private:
  std::atomic<bool> on_{false}, stop_{false};
  std::thread thread_;
};

// The alerts of Alertmanager's webhook bodies: (status, alertname) for each alert of each notification.
std::vector<std::pair<std::string, json>> Notified(const lt::WebhookReceiver& receiver) {
  std::vector<std::pair<std::string, json>> out;
  for (const std::string& body : receiver.bodies()) {
    json n = json::parse(body, nullptr, false);
    if (!n.is_object() || !n.contains("alerts")) continue;
    for (const json& a : n["alerts"]) out.emplace_back(a.value("status", ""), a["labels"]);
  }
  return out;
}

bool Has(const lt::WebhookReceiver& receiver, const std::string& status, const std::string& alertname) {
  for (const auto& [s, labels] : Notified(receiver)) {
    if (s == status && labels.value("alertname", "") == alertname) return true;
  }
  return false;
}

TEST(FleetLive, PrometheusAndAlertmanagerSeeLeakhoundsAlertAndItsResolution) {
  ASSERT_TRUE(fs::exists(kPrometheus) && fs::exists(kAlertmanager))
      << "Debian's prometheus and prometheus-alertmanager are needed (make deps installs them)";
  const fs::path dir = fs::temp_directory_path() / ("leakhound-fleet-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  auto leaky = lt::GoProgram::Start("watch-leaky", {});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  Traffic traffic(HostPort((*leaky)->base_url()));
  lt::WebhookReceiver receiver;
  ASSERT_GT(receiver.port(), 0);

  // Alertmanager: every notification at once to the receiver, resolutions too.
  const int am_port = lt::DeadPort();
  std::ofstream(dir / "alertmanager.yml") << "route:\n  receiver: hook\n  group_by: [alertname, target, rule]\n"
                                             "  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\n"
                                             "receivers:\n  - name: hook\n    webhook_configs:\n      - url: "
                                          << receiver.Url() << "\n        send_resolved: true\n";
  lt::Child am({kAlertmanager, "--config.file=" + (dir / "alertmanager.yml").string(),
                "--storage.path=" + (dir / "am").string(), "--web.listen-address=127.0.0.1:" + std::to_string(am_port),
                "--cluster.listen-address="},
               (dir / "alertmanager.log").string());
  ASSERT_GT(am.pid(), 0);
  ASSERT_TRUE(lt::Child::WaitFor([&] { return !Get(am_port, "/-/ready").empty(); }, std::chrono::seconds(30)))
      << "alertmanager did not come up; see " << (dir / "alertmanager.log");

  // leakhound watch: the target from a file_sd file; alerts to Alertmanager directly and as metrics.
  std::ofstream(dir / "targets.json") << json::array({{{"targets", {HostPort((*leaky)->base_url())}},
                                                       {"labels", {{"job", "shop"}, {"instance", "shop-1"}}}}})
                                             .dump();
  const int lh_port = lt::DeadPort();
  lt::Child watch({lt::CliPath(), "watch", "--file-sd", (dir / "targets.json").string(), "--interval", "250ms",
                   "--min-samples", "4", "--window", "1m", "--metrics-listen", "127.0.0.1:" + std::to_string(lh_port),
                   "--alertmanager", "http://127.0.0.1:" + std::to_string(am_port), "--alertmanager-resend", "2s",
                   "--dump-dir", (dir / "dumps").string(), "-f", "json"},
                  (dir / "watch.log").string());
  ASSERT_GT(watch.pid(), 0);

  // Prometheus: scrapes leakhound every 500 ms, evaluates the project's rules every second.
  const int prom_port = lt::DeadPort();
  const double evaluation = 1.0;
  std::ofstream(dir / "prometheus.yml")
      << "global:\n  scrape_interval: 500ms\n  evaluation_interval: 1s\n"
      << "rule_files:\n  - " << LEAKHOUND_SOURCE_DIR << "/examples/prometheus/leakhound-alerts.yml\n"
      << "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:" << am_port << "']\n"
      << "scrape_configs:\n  - job_name: leakhound\n    static_configs:\n      - targets: ['127.0.0.1:" << lh_port
      << "']\n";
  lt::Child prom({kPrometheus, "--config.file=" + (dir / "prometheus.yml").string(),
                  "--storage.tsdb.path=" + (dir / "prom").string(),
                  "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
                 (dir / "prometheus.log").string());
  ASSERT_GT(prom.pid(), 0);
  // The zero-valued alert counter is in Prometheus before anything leaks: its first increase is visible.
  ASSERT_TRUE(lt::Child::WaitFor(
      [&] {
        json r = json::parse(Get(prom_port, "/api/v1/query?query=leakhound_watch_alerts_total%7Brule%3D%22growth%22%7D"),
                             nullptr, false);
        return r.is_object() && r["data"]["result"].size() == 1 && r["data"]["result"][0]["value"][1] == "0";
      },
      std::chrono::seconds(60)))
      << "prometheus never scraped leakhound; see " << (dir / "prometheus.log");
  // The discovered target carries its file_sd labels.
  const std::string metrics = Get(lh_port, "/metrics");
  EXPECT_NE(metrics.find("leakhound_watch_up{target=\"shop-1\",job=\"shop\""), std::string::npos) << metrics;

  // The same inventory read from the running Prometheus (its real /api/v1/targets): the job `leakhound` has one
  // active target, leakhound's own metrics address, which serves no pprof (so its scrape fails, by reason).
  lt::Child from_prom({lt::CliPath(), "watch", "--prometheus", "http://127.0.0.1:" + std::to_string(prom_port),
                       "--prometheus-job", "leakhound", "--once", "-f", "json"},
                      (dir / "watch-prometheus.log").string());
  ASSERT_TRUE(lt::Child::WaitFor([&] { return !from_prom.Events("summary").empty(); }, std::chrono::seconds(30)));
  ASSERT_EQ(from_prom.Events("targets").size(), 1u) << (dir / "watch-prometheus.log");
  EXPECT_EQ(from_prom.Events("targets")[0]["added"][0]["url"], "http://127.0.0.1:" + std::to_string(lh_port));
  EXPECT_EQ(from_prom.Events("scrape_error")[0]["reason"], "http_status");

  traffic.Set(true);
  ASSERT_TRUE(lt::Child::WaitFor([&] { return !watch.Events("alert").empty(); }, std::chrono::seconds(60)))
      << "leakhound never alerted";
  const json alert = watch.Events("alert").front();
  EXPECT_EQ(alert["rule"], "growth");
  const SysClock::time_point fired = ParseTime(alert["time"].get<std::string>());

  // Prometheus's rule on leakhound_watch_alerts_total fires within two evaluation intervals of leakhound's alert.
  std::string active_at;
  ASSERT_TRUE(lt::Child::WaitFor(
      [&] {
        json r = json::parse(Get(prom_port, "/api/v1/alerts"), nullptr, false);
        if (!r.is_object()) return false;
        for (const json& a : r["data"]["alerts"]) {
          if (a["labels"].value("alertname", "") == "GoroutineLeakGrowing" && a.value("state", "") == "firing") {
            active_at = a.value("activeAt", "");
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(30)));
  const double lag = std::chrono::duration<double>(ParseTime(active_at) - fired).count();
  RecordProperty("prometheus_lag_seconds", std::to_string(lag));
  EXPECT_LE(lag, 2 * evaluation) << "leakhound alerted at " << alert["time"] << ", Prometheus's rule at " << active_at;

  // Alertmanager delivers both: Prometheus's rule and leakhound's own alert, with its labels.
  ASSERT_TRUE(lt::Child::WaitFor(
      [&] { return Has(receiver, "firing", "GoroutineLeakGrowing") && Has(receiver, "firing", "GoroutineLeak"); },
      std::chrono::seconds(30)))
      << receiver.bodies().size() << " notifications";
  for (const auto& [status, labels] : Notified(receiver)) {
    if (labels.value("alertname", "") != "GoroutineLeak") continue;
    EXPECT_EQ(labels.value("target", ""), "shop-1");
    EXPECT_EQ(labels.value("job", ""), "shop");
    EXPECT_EQ(labels.value("rule", ""), "growth");
    EXPECT_EQ(labels.value("bucket", ""), "main.notifyAudit");
    EXPECT_NE(labels.value("site", "").find("main.notifyAudit"), std::string::npos);
    EXPECT_FALSE(labels.value("verdict", "").empty());
  }

  // The leak stops growing (no more requests): leakhound resolves its alert, Alertmanager says so.
  traffic.Set(false);
  EXPECT_TRUE(lt::Child::WaitFor([&] { return Has(receiver, "resolved", "GoroutineLeak"); }, std::chrono::seconds(60)))
      << "leakhound's alert was never resolved";

  int status = 0;
  EXPECT_GT(watch.Terminate(std::chrono::seconds(5), &status), 0);
  EXPECT_TRUE(watch.Events("alertmanager_error").empty()) << watch.Events("alertmanager_error").front().dump();
  fs::remove_all(dir);
}

TEST(FleetLive, TwoShardsCoverEveryTargetOnceAndADeadOneLosesOnlyItsOwn) {
  const fs::path dir = fs::temp_directory_path() / ("leakhound-shards-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::unique_ptr<lt::GoProgram>> programs;
  json group = {{"targets", json::array()}};
  for (int i = 0; i < 6; ++i) {
    auto p = lt::GoProgram::Start("healthy", {});
    ASSERT_TRUE(p.ok()) << p.status().message();
    group["targets"].push_back(HostPort((*p)->base_url()));
    programs.push_back(std::move(p).value());
  }
  // One replica reads the inventory from a file_sd file, the other from an HTTP SD endpoint serving the same.
  const std::string inventory = json::array({group}).dump();
  std::ofstream(dir / "targets.json") << inventory;
  httplib::Server sd;
  sd.Get("/sd", [&](const httplib::Request&, httplib::Response& res) { res.set_content(inventory, "application/json"); });
  const int sd_port = sd.bind_to_any_port("127.0.0.1");
  std::thread sd_thread([&] { sd.listen_after_bind(); });
  struct Stop {
    httplib::Server& s;
    std::thread& t;
    ~Stop() {
      s.stop();
      t.join();
    }
  } stop_sd{sd, sd_thread};
  std::vector<std::unique_ptr<lt::Child>> shards;
  std::vector<int> ports;
  for (const char* shard : {"1/2", "2/2"}) {
    ports.push_back(lt::DeadPort());
    const bool file = shard[0] == '1';
    shards.push_back(std::make_unique<lt::Child>(
        std::vector<std::string>{lt::CliPath(), "watch", file ? "--file-sd" : "--http-sd",
                                 file ? (dir / "targets.json").string()
                                      : "http://127.0.0.1:" + std::to_string(sd_port) + "/sd",
                                 "--shard", shard, "--interval", "200ms", "--metrics-listen",
                                 "127.0.0.1:" + std::to_string(ports.back()), "-f", "json"},
        (dir / (std::string("watch-") + shard[0] + ".log")).string()));
  }
  auto sampled = [&](const lt::Child& c) {
    std::set<std::string> names;
    for (const json& e : c.Events("sample")) names.insert(e.value("target", ""));
    return names;
  };
  // Every target sampled by exactly one of the two.
  ASSERT_TRUE(lt::Child::WaitFor([&] { return sampled(*shards[0]).size() + sampled(*shards[1]).size() == 6; },
                                 std::chrono::seconds(30)));
  std::set<std::string> first = sampled(*shards[0]), second = sampled(*shards[1]), all;
  all.insert(first.begin(), first.end());
  all.insert(second.begin(), second.end());
  EXPECT_EQ(all.size(), 6u);
  for (const std::string& t : first) EXPECT_EQ(second.count(t), 0u) << t << " watched twice";
  // Their series say their shard.
  const std::string m = Get(ports[1], "/metrics");
  if (!second.empty()) {
    EXPECT_NE(m.find("shard=\"2/2\""), std::string::npos) << m;
  }
  EXPECT_EQ(m.find("shard=\"1/2\""), std::string::npos);

  // The first dies: the second goes on with its own targets, and only those.
  shards[0]->Kill();
  const size_t before = shards[1]->Events("sample").size();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_GT(shards[1]->Events("sample").size(), before + second.size());
  EXPECT_EQ(sampled(*shards[1]), second);
  int status = 0;
  EXPECT_GT(shards[1]->Terminate(std::chrono::seconds(5), &status), 0);
  fs::remove_all(dir);
}

TEST(FleetLive, TargetsComeAndGoWithTheFileSdFile) {
  const fs::path dir = fs::temp_directory_path() / ("leakhound-comego-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto a = lt::GoProgram::Start("healthy", {});
  auto b = lt::GoProgram::Start("healthy", {});
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string name_a = HostPort((*a)->base_url()), name_b = HostPort((*b)->base_url());
  const fs::path file = dir / "targets.yml";
  std::ofstream(file) << "- targets: ['" << name_a << "']\n  labels: {team: a}\n";
  const int port = lt::DeadPort();
  lt::Child watch({lt::CliPath(), "watch", "--file-sd", file.string(), "--interval", "200ms", "--sd-grace", "1s",
                   "--metrics-listen", "127.0.0.1:" + std::to_string(port), "-f", "json"},
                  (dir / "watch.log").string());
  ASSERT_TRUE(lt::Child::WaitFor([&] { return !watch.Events("sample", name_a).empty(); }, std::chrono::seconds(30)));
  // The inventory changes under the running watch: b replaces a.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ofstream(dir / "next.yml") << "- targets: ['" << name_b << "']\n  labels: {team: b}\n";
  fs::rename(dir / "next.yml", file);
  ASSERT_TRUE(lt::Child::WaitFor([&] { return !watch.Events("sample", name_b).empty(); }, std::chrono::seconds(30)));
  std::vector<json> changes = watch.Events("targets");
  ASSERT_GE(changes.size(), 2u);
  EXPECT_EQ(changes.back()["added"][0]["name"], name_b);
  EXPECT_EQ(changes.back()["removed"][0]["name"], name_a);
  const size_t samples_of_a = watch.Events("sample", name_a).size();
  // Past the grace period a's series are gone from the metrics; b's are there with its label.
  EXPECT_TRUE(lt::Child::WaitFor(
      [&] {
        const std::string m = Get(port, "/metrics");
        return m.find("target=\"" + name_a + "\"") == std::string::npos &&
               m.find("leakhound_watch_up{target=\"" + name_b + "\",team=\"b\"} 1") != std::string::npos;
      },
      std::chrono::seconds(10)))
      << Get(port, "/metrics");
  EXPECT_EQ(watch.Events("sample", name_a).size(), samples_of_a) << "a is no longer scraped";
  // A broken edit keeps the targets and says why.
  std::ofstream(dir / "next.yml") << "- targets: [unclosed\n";
  fs::rename(dir / "next.yml", file);
  EXPECT_TRUE(lt::Child::WaitFor([&] { return !watch.Events("discovery_error").empty(); }, std::chrono::seconds(10)));
  const size_t samples_of_b = watch.Events("sample", name_b).size();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_GT(watch.Events("sample", name_b).size(), samples_of_b);
  int status = 0;
  EXPECT_GT(watch.Terminate(std::chrono::seconds(5), &status), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leakhound::cli
