// Live tests of the watch loop on real Go services over loopback: one that leaks a goroutine per request, one that
// is busy but bounded, one that is killed and started again on the same port. The test drives requests, runs the
// Watcher with a 200 ms interval, and checks alerts, the dump file, the webhook body and the metrics endpoint.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/source.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/testing/peers.h"
#include "leakhound/watch/watcher.h"

namespace leakhound::watch {
namespace {

namespace lt = ::leakhound::testing;
namespace fs = std::filesystem;
using json = nlohmann::json;

// Collects events; lets the test wait for one.
class Recorder : public Output {
 public:
  void Event(const json& e) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(e);
    cv_.notify_all();
  }
  std::vector<json> Of(const std::string& kind, const std::string& target = "") {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<json> out;
    for (const json& e : events_) {
      if (e["event"] == kind && (target.empty() || e.value("target", "") == target)) out.push_back(e);
    }
    return out;
  }
  // Waits until `pred` holds over the events, at most `timeout`.
  bool WaitFor(const std::function<bool(const std::vector<json>&)>& pred, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(events_); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> events_;
};

size_t Count(const std::vector<json>& events, const std::string& kind, const std::string& target) {
  size_t n = 0;
  for (const json& e : events) n += e["event"] == kind && e.value("target", "") == target;
  return n;
}

Target Named(const std::string& url, const std::string& name, const Rules& rules) {
  auto t = MakeTarget(url, rules, Millis(3000));
  EXPECT_TRUE(t.ok());
  t->name = name;
  return std::move(t).value();
}

// The JSON blob of a page WriteWatchHtml wrote.
json PageData(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string page = ss.str();
  const std::string open = "<script type=\"application/json\" id=\"data\">";
  size_t at = page.find(open);
  EXPECT_NE(at, std::string::npos) << path << " is not a leakhound page";
  if (at == std::string::npos) return json::object();
  at += open.size();
  return json::parse(page.substr(at, page.find("</script>", at) - at));
}

std::string MetricValue(const std::string& text, const std::string& series) {
  size_t at = text.find(series + " ");
  if (at == std::string::npos) return "";
  size_t begin = at + series.size() + 1;
  return text.substr(begin, text.find('\n', begin) - begin);
}

// Runs a watch over `o` until `done` holds over the events (at most `timeout`), then stops it; false on timeout.
bool WatchUntil(const WatchOptions& o, Recorder* rec, const std::function<bool(const std::vector<json>&)>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  Watcher watcher(o, rec);
  EXPECT_TRUE(watcher.Start().ok());
  std::atomic<bool> stop{false};
  std::thread run([&] { watcher.Run(stop); });
  bool held = rec->WaitFor(done, timeout);
  stop = true;
  run.join();
  return held;
}

// Watches a leaking program (target "leaky") beside its fixed twin ("fixed"), default rules, every 200 ms, until the
// leaky one alerted and the twin has had `twin_samples_after` more samples than the alert's round; the alerts.
std::vector<json> WatchTwins(const lt::GoProgram& leaky, const lt::GoProgram& fixed, size_t twin_samples_after) {
  Rules rules;
  WatchOptions o;
  o.targets = {Named(leaky.base_url(), "leaky", rules), Named(fixed.base_url(), "fixed", rules)};
  o.interval = Millis(200);
  Recorder rec;
  bool alerted = WatchUntil(o, &rec, [&](const std::vector<json>& ev) {
    for (const json& e : ev) {
      if (e["event"] == "alert" && e["target"] == "leaky") {
        return Count(ev, "sample", "fixed") >= e["round"].get<size_t>() + twin_samples_after;
      }
    }
    return false;
  });
  EXPECT_TRUE(alerted) << "no alert; samples: " << rec.Of("sample", "leaky").size();
  return rec.Of("alert");
}

// A real library's per-object goroutines (jwx/v3 jwk.Cache: 5 httprc workers each) start benign — one cache is what a
// healthy program keeps — and a cache made per request and never stopped keeps adding them. The bucket is re-decided
// every sample and growth outranks the built-in benign: the leaking service alerts within min-samples + 2 samples,
// the fixed twin (one shared cache, the same traffic) never does.
TEST(WatchLive, ALibraryBucketThatStartsBenignAlertsWhenItGrows) {
  auto leaky = lt::GoProgram::Start("jwk_caches", {"-n", "1", "-every", "120ms"});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  auto fixed = lt::GoProgram::Start("jwk_caches", {"-n", "1", "-every", "120ms", "-fixed"});
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  std::vector<json> alerts = WatchTwins(**leaky, **fixed, 2);
  std::string all;
  for (const json& e : alerts) all += e.dump() + "\n";
  bool worker_alert = false;
  for (const json& a : alerts) {
    EXPECT_EQ(a["target"], "leaky") << "the fixed twin must not alert: " << all;
    if (a["rule"] != "growth") continue;
    const std::string name = a["bucket"]["name"];
    if (name.find("httprc/v3.worker.Run") == std::string::npos) continue;
    worker_alert = true;
    EXPECT_LE(a["round"].get<size_t>(), Rules{}.min_samples + 2) << a.dump();
  }
  EXPECT_TRUE(worker_alert) << all;
}

// Proof from the runtime: with --leak-every 1 the goroutineleak profile is scraped beside the goroutine profile; of
// three goroutines parked on one line, the runtime proves one leaked, and the alert says so (1 of 3), by id too in
// the dump taken with it. The same program without the experiment answers 404: no proof, no alert, no error loop.
TEST(WatchLive, TheLeakProfileScrapedEveryRoundAlertsWhatTheRuntimeProves) {
  auto proof = lt::GoProgram::Start("verdict_classes", {"-mode", "proof"}, std::chrono::seconds(90),
                                    "goroutineleakprofile");
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  auto plain = lt::GoProgram::Start("verdict_classes", {"-mode", "proof"});
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  Rules rules;
  WatchOptions o;
  o.targets = {Named((*proof)->base_url(), "proof", rules), Named((*plain)->base_url(), "plain", rules)};
  o.interval = Millis(200);
  o.leak_every = 1;
  Recorder rec;
  bool alerted = WatchUntil(o, &rec, [&](const std::vector<json>& ev) {
    for (const json& e : ev) {
      if (e["event"] == "alert" && e["target"] == "proof") return Count(ev, "sample", "plain") >= 4;
    }
    return false;
  });
  ASSERT_TRUE(alerted) << "no alert; samples: " << rec.Of("sample", "proof").size();
  std::vector<json> alerts = rec.Of("alert");
  std::string all;
  for (const json& e : alerts) all += e.dump() + "\n";
  ASSERT_EQ(alerts.size(), 1u) << all;
  const json& a = alerts[0];
  EXPECT_EQ(a["target"], "proof");
  EXPECT_EQ(a["rule"], "proven");
  EXPECT_EQ(a["bucket"]["name"], "main.waitOn");
  EXPECT_EQ(a["bucket"]["count"], 3);
  EXPECT_EQ(a["bucket"]["proven"], 1) << a.dump();
  EXPECT_EQ(a["verdict"], "definite");
  EXPECT_NE(a["reason"].get<std::string>().find("1 of these 3 goroutines proven leaked"), std::string::npos)
      << a.dump();
  EXPECT_EQ(rec.Of("scrape_error").size(), 0u) << "a 404 from the leak profile is not a scrape error";
}

// The verdict classes, growing: handlers parked in the program's code (once called benign idle connections, which
// never alerted) and consumers whose creator exited each alert within min-samples + 2 samples; their fixed twins,
// under the same traffic, never do.
TEST(WatchLive, EachGrowingVerdictClassAlertsAndItsFixedTwinDoesNot) {
  struct Case {
    std::string mode, blocking;
  } cases[] = {{"handler", "main.stuckHandler"}, {"stopper", "main.(*pipeline).consume"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.mode);
    auto leaky = lt::GoProgram::Start("verdict_classes", {"-mode", c.mode, "-n", "2", "-every", "60ms"});
    ASSERT_TRUE(leaky.ok()) << leaky.status().message();
    auto fixed = lt::GoProgram::Start("verdict_classes", {"-mode", c.mode, "-n", "2", "-every", "60ms", "-fixed"});
    ASSERT_TRUE(fixed.ok()) << fixed.status().message();
    std::vector<json> alerts = WatchTwins(**leaky, **fixed, 4);
    bool found = false;
    std::string all;
    for (const json& a : alerts) all += a.dump() + "\n";
    for (const json& a : alerts) {
      EXPECT_EQ(a["target"], "leaky") << "the fixed twin must not alert: " << all;
      if (a["rule"] != "growth") continue;
      if (a["bucket"]["blocking"].get<std::string>().rfind(c.blocking, 0) != 0) continue;
      found = true;
      EXPECT_LE(a["round"].get<size_t>(), Rules{}.min_samples + 2) << a.dump();
      EXPECT_EQ(a["verdict"], "suspect") << a.dump();
    }
    EXPECT_TRUE(found) << all;
  }
}

TEST(WatchLive, AlertsOnlyForTheLeakingServiceWithDumpWebhookAndMetrics) {
  auto leaky = lt::GoProgram::Start("watch-leaky", {});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  auto bounded = lt::GoProgram::Start("watch-bounded", {});
  ASSERT_TRUE(bounded.ok()) << bounded.status().message();
  lt::WebhookReceiver hook;
  const fs::path dump_dir = fs::path(LEAKHOUND_BINARY_DIR) / ("watch-live-dumps-" + std::to_string(::getpid()));
  fs::remove_all(dump_dir);
  const fs::path page = fs::path(LEAKHOUND_BINARY_DIR) / ("watch-live-" + std::to_string(::getpid()) + ".html");
  fs::remove(page);

  // The default rules (8 samples, +5, 1/min). The bounded service runs at most 8 request workers at once (one request
  // at a time) and a batch of 40 that drains every 600 ms: a ramp of its fan-out can look like 8 samples of growth
  // once, but never sets a new high again. The leak grows by about 4 a sample.
  Rules rules;
  const size_t kMinSamples = rules.min_samples;
  ASSERT_EQ(kMinSamples, 8u);
  ASSERT_EQ(rules.min_growth, 5);
  WatchOptions o;
  o.targets = {Named((*leaky)->base_url(), "leaky", rules), Named((*bounded)->base_url(), "bounded", rules)};
  o.interval = Millis(200);
  o.dump_dir = dump_dir.string();
  o.webhook = hook.Url();
  o.metrics_listen = "127.0.0.1:0";
  o.html_path = page.string();

  // Steady load on both: 20 requests a second each, over keep-alive connections.
  std::atomic<bool> stop_load{false};
  std::atomic<int> orders{0};
  std::thread load([&] {
    httplib::Client to_leaky((*leaky)->base_url()), to_bounded((*bounded)->base_url());
    while (!stop_load) {
      if (auto r = to_leaky.Get("/order?id=" + std::to_string(orders.load()))) ++orders;
      to_bounded.Get("/work");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  Recorder rec;
  Watcher watcher(o, &rec);
  ASSERT_TRUE(watcher.Start().ok());
  std::atomic<bool> stop{false};
  Summary summary;
  std::thread run([&] { summary = watcher.Run(stop); });
  // Run until the leak has alerted and then for as many samples again (the bounded service gets its chance to
  // misbehave), or give up after 30 s.
  bool alerted = rec.WaitFor(
      [&](const std::vector<json>& ev) {
        for (const json& e : ev) {
          if (e["event"] == "alert" && e["target"] == "leaky") {
            return Count(ev, "sample", "bounded") >= e["round"].get<size_t>() + 1 + kMinSamples;
          }
        }
        return false;
      },
      std::chrono::seconds(30));
  stop = true;
  run.join();
  stop_load = true;
  load.join();
  ASSERT_TRUE(alerted) << "no alert for the leaking service; samples: " << rec.Of("sample", "leaky").size();

  // Alerts: one, for the leak, within the expected number of samples.
  std::vector<json> alerts = rec.Of("alert");
  std::string all;
  for (const json& e : alerts) all += e.dump() + "\n";
  ASSERT_EQ(alerts.size(), 1u) << all;
  const json& a = alerts[0];
  EXPECT_EQ(a["target"], "leaky");
  EXPECT_EQ(a["rule"], "growth");
  EXPECT_LE(a["round"].get<size_t>(), kMinSamples + 2) << "a steady leak of ~4 per sample alerts once min-samples "
                                                          "samples have seen it grow";
  EXPECT_GE(a["round"].get<size_t>(), kMinSamples - 1);
  EXPECT_EQ(a["bucket"]["name"], "main.notifyAudit");
  EXPECT_EQ(a["bucket"]["blocking"], "main.notifyAudit main.go:27");
  EXPECT_EQ(a["bucket"]["state"], "chan send");
  EXPECT_TRUE(a["bucket"]["creating"].get<std::string>().starts_with("main.handleOrder main.go:")) << a.dump();
  EXPECT_GE(a["bucket"]["growth"].get<int64_t>(), rules.min_growth);
  EXPECT_GT(a["bucket"]["slope_per_minute"].get<double>(), 60.0);
  EXPECT_EQ(a["verdict"], "suspect");

  // The dump: complete, its page beside it, no temporary left, and its goroutines cluster into the alert's bucket.
  ASSERT_TRUE(a["dump"].is_string()) << a.dump();
  const std::string dump_path = a["dump"];
  ASSERT_TRUE(a["html"].is_string()) << a.dump();
  EXPECT_EQ(fs::path(a["html"].get<std::string>()), fs::path(dump_path).replace_extension(".html"));
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dump_dir)) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{fs::path(dump_path).stem().string() + ".html",
                                             fs::path(dump_path).filename().string()}));
  std::ifstream f(dump_path);
  std::stringstream ss;
  ss << f.rdbuf();
  dump::Dump d = lt::ParseText(dump_path, ss.str());
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics.front().message;
  EXPECT_EQ(d.format, dump::Format::kTraceback);
  const dump::Dump* dumps[] = {&d};
  bool found = false;
  for (const cluster::Bucket& b : cluster::Cluster(dumps, cluster::Similarity::kLine, nullptr, true)) {
    if (fmt::format("{:016x}", b.signature) != a["bucket"]["signature"]) continue;
    found = true;
    EXPECT_EQ(b.frames()[0].function, "main.notifyAudit");
    EXPECT_GE(b.count, a["bucket"]["count"].get<uint64_t>());
  }
  EXPECT_TRUE(found) << "the dump holds the alert's bucket";

  // The page beside the dump: the leaky target's trend up to the alert, and the dump's analysis.
  {
    json data = PageData(a["html"]);
    EXPECT_EQ(data["kind"], "watch");
    ASSERT_EQ(data["targets"].size(), 1u);
    EXPECT_EQ(data["targets"][0]["name"], "leaky");
    EXPECT_EQ(data["targets"][0]["samples"].size(), a["round"].get<size_t>() + 1) << "the samples up to the alert";
    EXPECT_EQ(data["latest_source"], dump_path);
    bool leak_row = false;
    for (const json& b : data["buckets"]) {
      // Frames are [function, file, line] with strings interned in data["strings"].
      if (b["frames"].empty() || data["strings"][b["frames"][0][0].get<size_t>()] != "main.notifyAudit") continue;
      leak_row = true;
      EXPECT_EQ(b["state"], "chan send");
      EXPECT_GE(b["count"].get<uint64_t>(), a["bucket"]["count"].get<uint64_t>());
    }
    EXPECT_TRUE(leak_row) << "the dump's analysis lists the leak";
  }

  // The page at the end: both targets, every sample, and the leak's trend line holding the counts the events saw.
  {
    json data = PageData(page.string());
    ASSERT_EQ(data["targets"].size(), 2u);
    for (size_t t = 0; t < 2; ++t) {
      const json& target = data["targets"][t];
      std::vector<json> samples = rec.Of("sample", target["name"]);
      ASSERT_EQ(target["samples"].size(), samples.size()) << target["name"];
      for (size_t k = 0; k < samples.size(); ++k) {
        EXPECT_EQ(target["samples"][k]["total"], samples[k]["goroutines"]) << target["name"] << " sample " << k;
      }
    }
    const json& leaky_page = data["targets"][0];
    EXPECT_EQ(leaky_page["name"], "leaky");
    EXPECT_EQ(leaky_page["alerts"], 1);
    ASSERT_FALSE(leaky_page["series"].empty());
    EXPECT_EQ(leaky_page["series"][0]["function"], "main.notifyAudit") << "the leak is the first trend line";
    EXPECT_EQ(leaky_page["series"][0]["line"], 27);
    std::vector<json> samples = rec.Of("sample", "leaky");
    for (size_t k = 0; k < samples.size(); ++k) {
      for (const json& top : samples[k]["top"]) {
        if (top["blocking"] == "main.notifyAudit main.go:27") {
          EXPECT_EQ(leaky_page["samples"][k]["counts"][0], top["count"]) << "sample " << k;
        }
      }
    }
    EXPECT_GT(leaky_page["samples"].back()["counts"][0].get<uint64_t>(),
              leaky_page["samples"].front()["counts"][0].get<uint64_t>() + 20);
  }
  fs::remove(page);

  // The webhook got the alert as sent.
  std::vector<std::string> bodies = hook.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  json posted = json::parse(bodies[0]);
  EXPECT_EQ(posted, a);

  // The metrics endpoint agrees with the last samples.
  auto text = dump::FetchUrl(watcher.MetricsUrl(), dump::FetchOptions{});
  ASSERT_TRUE(text.ok()) << text.status().message();
  for (const char* name : {"leaky", "bounded"}) {
    std::vector<json> samples = rec.Of("sample", name);
    ASSERT_FALSE(samples.empty());
    EXPECT_EQ(MetricValue(*text, fmt::format("leakhound_watch_goroutines{{target=\"{}\"}}", name)),
              std::to_string(samples.back()["goroutines"].get<uint64_t>()))
        << *text;
    EXPECT_EQ(MetricValue(*text, fmt::format("leakhound_watch_scrapes_total{{target=\"{}\"}}", name)),
              std::to_string(summary.rounds));
  }
  EXPECT_EQ(MetricValue(*text, "leakhound_watch_alerts_total{target=\"leaky\",rule=\"growth\"}"), "1");
  // Every counter series exists from the first scrape, at 0: Prometheus' increase() sees the first alert.
  EXPECT_EQ(MetricValue(*text, "leakhound_watch_alerts_total{target=\"bounded\",rule=\"growth\"}"), "0");
  EXPECT_EQ(MetricValue(*text, "leakhound_watch_scrape_errors_total{target=\"bounded\",reason=\"timeout\"}"), "0");
  EXPECT_NE(text->find("leakhound_watch_bucket_goroutines{target=\"leaky\",bucket=\"main.notifyAudit\","
                       "site=\"main.notifyAudit main.go:27\"}"),
            std::string::npos)
      << *text;

  // The bounded service rose and fell, and was never alerted on; nobody restarted.
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const json& s : rec.Of("sample", "bounded")) {
    lo = std::min(lo, s["goroutines"].get<uint64_t>());
    hi = std::max(hi, s["goroutines"].get<uint64_t>());
  }
  EXPECT_GE(hi, lo + 20) << "the batcher's 40 goroutines come and go";
  EXPECT_TRUE(rec.Of("restart").empty());
  EXPECT_TRUE(rec.Of("scrape_error").empty());
  EXPECT_EQ(summary.alerts, 1u);
  EXPECT_EQ(summary.dumps, 1u);
  fs::remove_all(dump_dir);
}

// Real debug=1 profiles hide the runtime frames that say a goroutine waits on a nil channel; the protobuf (debug=0,
// the default) keeps them, so `definite` fires on a real service from the first sample.
TEST(WatchLive, NilChannelLeakFiresDefiniteFromTheProtobufProfileOnly) {
  auto program = lt::GoProgram::Start("nilchan", {"-n", "30"});
  ASSERT_TRUE(program.ok()) << program.status().message();
  for (ScrapeProfile profile : {ScrapeProfile::kDebug0, ScrapeProfile::kDebug1}) {
    const bool debug0 = profile == ScrapeProfile::kDebug0;
    SCOPED_TRACE(debug0 ? "debug0" : "debug1");
    WatchOptions o;
    o.targets = {Named((*program)->base_url(), "publisher", Rules{})};
    o.targets[0].profile = profile;
    o.once = true;
    Recorder rec;
    Watcher watcher(o, &rec);
    ASSERT_TRUE(watcher.Start().ok());
    std::atomic<bool> stop{false};
    Summary summary = watcher.Run(stop);
    EXPECT_EQ(summary.reachable, 1u);
    std::vector<json> samples = rec.Of("sample");
    ASSERT_EQ(samples.size(), 1u);
    std::vector<json> alerts = rec.Of("alert");
    if (!debug0) {
      EXPECT_TRUE(alerts.empty()) << "debug=1 shows no wait state: " << alerts.size() << " alerts";
      continue;
    }
    ASSERT_EQ(alerts.size(), 1u) << samples[0].dump();
    const json& a = alerts[0];
    EXPECT_EQ(a["rule"], "definite");
    EXPECT_EQ(a["round"], 0);
    EXPECT_EQ(a["bucket"]["name"], "main.(*publisher).deliver");
    EXPECT_EQ(a["bucket"]["state"], "chan send (nil chan)");
    EXPECT_GE(a["bucket"]["count"].get<uint64_t>(), 30u);
    EXPECT_EQ(a["verdict"], "definite") << "the debug=2 dump taken on the alert agrees";
    EXPECT_TRUE(a["bucket"]["creating"].get<std::string>().starts_with("main.(*publisher).Publish main.go:"))
        << a.dump();
  }
}

TEST(WatchLive, RestartOnTheSamePortResetsTheSeries) {
  auto first = lt::GoProgram::Start("watch-restart", {"-sessions", "30"});
  ASSERT_TRUE(first.ok()) << first.status().message();
  const std::string url = (*first)->base_url();
  const std::string addr = url.substr(url.find("://") + 3);

  Rules rules;
  rules.min_samples = 3;
  WatchOptions o;
  o.targets = {Named(url, "svc", rules)};
  o.interval = Millis(200);
  o.metrics_listen = "127.0.0.1:0";
  Recorder rec;
  Watcher watcher(o, &rec);
  ASSERT_TRUE(watcher.Start().ok());
  std::atomic<bool> stop{false};
  Summary summary;
  std::thread run([&] { summary = watcher.Run(stop); });
  auto samples_at_least = [&](size_t n) {
    return [n](const std::vector<json>& ev) { return Count(ev, "sample", "svc") >= n; };
  };
  ASSERT_TRUE(rec.WaitFor(samples_at_least(4), std::chrono::seconds(20)));

  (*first)->Kill();
  auto second = lt::GoProgram::Start("watch-restart", {"-addr", addr, "-sessions", "30"});
  ASSERT_TRUE(second.ok()) << second.status().message();
  const size_t before = rec.Of("sample", "svc").size();
  bool restarted = rec.WaitFor(
      [&](const std::vector<json>& ev) {
        return Count(ev, "restart", "svc") >= 1 && Count(ev, "sample", "svc") >= before + 3;
      },
      std::chrono::seconds(20));
  stop = true;
  run.join();
  ASSERT_TRUE(restarted);

  std::vector<json> restarts = rec.Of("restart");
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0]["how"], "fingerprint");
  EXPECT_NE(restarts[0]["fingerprint"], restarts[0]["previous_fingerprint"]);
  EXPECT_EQ(summary.targets[0].restarts, 1u);
  // The sample that followed the restart starts a new series.
  std::vector<json> samples = rec.Of("sample", "svc");
  size_t after_restart = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (samples[i]["time"] >= restarts[0]["time"]) {
      after_restart = i;
      break;
    }
  }
  ASSERT_GT(after_restart, 0u);
  EXPECT_EQ(samples[after_restart]["samples"], 1) << samples[after_restart].dump();
  EXPECT_GE(samples[after_restart - 1]["samples"].get<size_t>(), 4u);
  EXPECT_TRUE(rec.Of("alert").empty());
  for (const json& e : rec.Of("scrape_error")) EXPECT_EQ(e["reason"], "connect") << e.dump();
  auto text = dump::FetchUrl(watcher.MetricsUrl(), dump::FetchOptions{});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(MetricValue(*text, "leakhound_watch_restarts_total{target=\"svc\"}"), "1");
}

}  // namespace
}  // namespace leakhound::watch
