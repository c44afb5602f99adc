// Discovery in Prometheus's formats, sharding, and the Alertmanager alert body. The live fleet test (Debian's real
// prometheus and alertmanager) is cli/fleet_live_test.cc.
#include "leakhound/watch/discovery.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "leakhound/watch/alertmanager.h"
#include "leakhound/watch/events.h"

namespace leakhound::watch {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> LabelsOf(const Target& t) {
  return std::map<std::string, std::string>(t.labels.begin(), t.labels.end());
}

TEST(Discovery, FileSdJsonGroupsBecomeTargetsWithTheirLabels) {
  auto targets = ParseSdGroups(R"([
      {"targets": ["10.0.0.1:6060", "10.0.0.2:6060"], "labels": {"job": "api", "env": "prod", "__meta_x": "y"}},
      {"targets": ["[::1]:7070"], "labels": {"instance": "db-1", "rule": "mine"}}])",
                               /*yaml=*/false, "sd.json", {}, Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok()) << targets.status().message();
  ASSERT_EQ(targets->size(), 3u);
  EXPECT_EQ((*targets)[0].base, "http://10.0.0.1:6060/debug/pprof/");
  EXPECT_EQ((*targets)[0].name, "10.0.0.1:6060");
  // Meta labels (__...) stay out; job and env go on every series.
  EXPECT_EQ(LabelsOf((*targets)[0]), (std::map<std::string, std::string>{{"job", "api"}, {"env", "prod"}}));
  // `instance` names the target; a label named like one of leakhound's own is renamed as Prometheus does.
  EXPECT_EQ((*targets)[2].name, "db-1");
  EXPECT_EQ((*targets)[2].base, "http://[::1]:7070/debug/pprof/");
  EXPECT_EQ(LabelsOf((*targets)[2]).count("exported_rule"), 1u);
  EXPECT_EQ(LabelsOf((*targets)[2]).count("rule"), 0u);
}

TEST(Discovery, FileSdYamlAndThePprofPortOrLabel) {
  SdTargetOptions sd;
  sd.pprof_port = 6061;
  auto targets = ParseSdGroups(R"(
- targets: ['web-1:9100', 'web-2:9100']
  labels:
    job: web
- targets: ['cache:9100']
  labels:
    pprof: 'cache:7777'
    __scheme__: https
)",
                               /*yaml=*/true, "sd.yml", sd, Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok()) << targets.status().message();
  ASSERT_EQ(targets->size(), 3u);
  EXPECT_EQ((*targets)[0].base, "http://web-1:6061/debug/pprof/");
  EXPECT_EQ((*targets)[2].base, "https://cache:6061/debug/pprof/");
  sd.pprof_label = "pprof";
  targets = ParseSdGroups("- targets: ['cache:9100']\n  labels: {pprof: 'cache:7777'}\n", true, "sd.yml", sd,
                          Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ((*targets)[0].base, "http://cache:7777/debug/pprof/");
}

TEST(Discovery, BadFilesSayWhereAndWhy) {
  auto bad = ParseSdGroups(R"([{"targets": "10.0.0.1:6060"}])", false, "sd.json", {}, Rules{}, Millis(5000));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sd.json: group 0: targets must be a list"), std::string::npos);
  bad = ParseSdGroups("- targets: [a:1]\n  lables: {job: x}\n", true, "sd.yml", {}, Rules{}, Millis(5000));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sd.yml:1: group 0: unknown key 'lables'"), std::string::npos)
      << bad.status().message();
  bad = ParseSdGroups("{not json", false, "sd.json", {}, Rules{}, Millis(5000));
  EXPECT_FALSE(bad.ok());
  // An empty file has no targets (a fleet scaled to zero), and is no error.
  auto empty = ParseSdGroups("", true, "sd.yml", {}, Rules{}, Millis(5000));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(Discovery, PrometheusActiveTargetsSelectedByJobAndLabels) {
  // The shape of Prometheus 2.42's GET /api/v1/targets?state=active.
  const std::string body = R"({"status":"success","data":{"activeTargets":[
    {"discoveredLabels":{"__address__":"127.0.0.1:8080","__scheme__":"http","job":"api","__meta_pprof":"127.0.0.1:6060"},
     "labels":{"instance":"api-1","job":"api","team":"orders"},"scrapePool":"api",
     "scrapeUrl":"http://127.0.0.1:8080/metrics","health":"up"},
    {"discoveredLabels":{"__address__":"127.0.0.1:9090","job":"prometheus"},
     "labels":{"instance":"127.0.0.1:9090","job":"prometheus"},"scrapePool":"prometheus",
     "scrapeUrl":"http://127.0.0.1:9090/metrics","health":"up"}],"droppedTargets":[]}})";
  PrometheusSelector select;
  select.jobs = {"api"};
  auto targets = ParsePrometheusTargets(body, "prom", select, {}, Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok()) << targets.status().message();
  ASSERT_EQ(targets->size(), 1u);
  EXPECT_EQ((*targets)[0].name, "api-1");
  EXPECT_EQ((*targets)[0].base, "http://127.0.0.1:8080/debug/pprof/");
  EXPECT_EQ(LabelsOf((*targets)[0]).at("team"), "orders");
  // The pprof address from a discovered (meta) label relabelling dropped.
  SdTargetOptions sd;
  sd.pprof_label = "__meta_pprof";
  targets = ParsePrometheusTargets(body, "prom", select, sd, Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ((*targets)[0].base, "http://127.0.0.1:6060/debug/pprof/");
  select = {};
  select.match = {{"team", "orders"}};
  targets = ParsePrometheusTargets(body, "prom", select, {}, Rules{}, Millis(5000));
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ(targets->size(), 1u);
  auto error = ParsePrometheusTargets(R"({"status":"error","error":"bad"})", "prom", {}, {}, Rules{}, Millis(5000));
  EXPECT_FALSE(error.ok());
}

TEST(Shard, ReplicasSplitEveryTargetExactlyOnce) {
  for (uint32_t n : {1u, 2u, 3u, 7u}) {
    std::vector<size_t> per(n, 0);
    for (int i = 0; i < 300; ++i) {
      auto t = MakeTarget("http://10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":6060",
                          Rules{}, Millis(5000));
      ASSERT_TRUE(t.ok());
      int owners = 0;
      for (uint32_t k = 0; k < n; ++k) {
        if (Shard{k, n}.Owns(*t)) {
          ++owners;
          ++per[k];
        }
      }
      EXPECT_EQ(owners, 1) << t->url;
    }
    // Spread: no replica gets less than half its share of 300 targets.
    for (size_t c : per) EXPECT_GE(c, 300 / n / 2) << n;
  }
  auto s = ParseShard("2/3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 1u);
  EXPECT_EQ(s->Label(), "2/3");
  EXPECT_FALSE(ParseShard("0/3").ok());
  EXPECT_FALSE(ParseShard("4/3").ok());
  EXPECT_FALSE(ParseShard("3").ok());
}

TEST(Discovery, FileChangesAreSeenWithoutARestart) {
  const fs::path dir = fs::path(::testing::TempDir()) / "leakhound-file-sd";
  fs::create_directories(dir);
  const fs::path file = dir / "targets.json";
  std::ofstream(file) << R"([{"targets": ["127.0.0.1:1"]}])";
  Discovery::Options options;
  options.files = {file.string()};
  Discovery d(options, Rules{}, Millis(5000), nullptr);
  EXPECT_TRUE(d.Start().empty());
  uint64_t g1 = 0, g2 = 0;
  std::vector<std::string> errors;
  EXPECT_EQ(d.Latest(&g1, &errors).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a later mtime
  std::ofstream(file) << R"([{"targets": ["127.0.0.1:1", "127.0.0.1:2"]}])";
  std::vector<Target> now;
  for (int i = 0; i < 40 && now.size() != 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = d.Latest(&g2, &errors);
  }
  EXPECT_EQ(now.size(), 2u);
  EXPECT_GT(g2, g1);
  // A broken edit keeps the last good list and says why.
  std::ofstream(file) << "[{";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(d.Latest(&g2, &errors).size(), 2u);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().find("targets.json"), std::string::npos) << errors.back();
  fs::remove_all(dir);
}

TEST(Alertmanager, BodyCarriesLabelsAnnotationsAndTimes) {
  Alert a;
  a.rule = AlertRule::kGrowth;
  a.target = "api-1";
  a.url = "http://127.0.0.1:8080";
  a.bucket = "main.notifyAudit";
  a.blocking = "main.notifyAudit main.go:27";
  a.verdict = "suspect";
  a.reason = "grew +40";
  a.message = "main.notifyAudit grew by 40";
  a.dump_path = "/var/lib/leakhound/api-1.txt";
  a.total = 120;
  Target t;
  t.labels = {{"job", "api"}, {"shard", "1/2"}};
  nlohmann::json b = AlertmanagerSink::Body(a, t, "2026-12-06T10:00:00.000Z", "2026-12-06T10:04:00.000Z", "http://x");
  EXPECT_EQ(b["labels"]["alertname"], "GoroutineLeak");
  EXPECT_EQ(b["labels"]["rule"], "growth");
  EXPECT_EQ(b["labels"]["target"], "api-1");
  EXPECT_EQ(b["labels"]["bucket"], "main.notifyAudit");
  EXPECT_EQ(b["labels"]["site"], "main.notifyAudit main.go:27");
  EXPECT_EQ(b["labels"]["verdict"], "suspect");
  EXPECT_EQ(b["labels"]["job"], "api");
  EXPECT_EQ(b["labels"]["shard"], "1/2");
  EXPECT_EQ(b["annotations"]["dump"], "/var/lib/leakhound/api-1.txt");
  EXPECT_EQ(b["annotations"]["summary"], "main.notifyAudit grew by 40");
  EXPECT_EQ(b["startsAt"], "2026-12-06T10:00:00.000Z");
  EXPECT_EQ(b["endsAt"], "2026-12-06T10:04:00.000Z");
  EXPECT_EQ(AlertmanagerSink::Rfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(1234))),
            "1970-01-01T00:00:01.234Z");
}

TEST(Alertmanager, SlackBodyIsOneTextWithWhatAndWhere) {
  Alert a;
  a.rule = AlertRule::kDefinite;
  a.target = "api-1";
  a.message = "3 goroutines blocked forever";
  a.verdict = "definite";
  a.reason = "blocked on a nil channel: make the channel before using it";
  a.blocking = "events.(*Bus).publish bus.go:57";
  a.creating = "created by events.(*Bus).Emit bus.go:44";
  a.dump_path = "/var/lib/leakhound/api-1.txt";
  nlohmann::json b = SlackBody(a, "00ff");
  ASSERT_TRUE(b.is_object());
  EXPECT_EQ(b.size(), 1u);
  const std::string text = b["text"];
  for (const char* want : {"definite", "api-1", "3 goroutines blocked forever", "nil channel",
                           "`events.(*Bus).publish bus.go:57`", "created by events.(*Bus).Emit", "/var/lib/leakhound/api-1.txt",
                           "00ff"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << " in " << text;
  }
}

}  // namespace
}  // namespace leakhound::watch
