// Misbehaving targets are real loopback HTTP servers in the test process, serving what broken or hostile endpoints
// serve: garbage, an HTML error page, a truncated profile, an oversized body, a slow drip, an error status, and a
// port nobody listens on. Each must be classified by reason, and none may stop the loop or disturb a good target.
#include "leakhound/watch/scraper.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "leakhound/testing/peers.h"
#include "leakhound/util/gzip.h"
#include "leakhound/watch/test_profiles.h"
#include "leakhound/watch/watcher.h"
#include "leakhound/watch/webhook.h"

namespace leakhound::watch {
namespace {

using testing::GzipBomb;
using testing::DeadPort;
using testing::HeaderDripServer;
using testing::WebhookReceiver;

class BadServer {
 public:
  BadServer() {
    server_.Get(R"(/(\w+)/debug/pprof/goroutine)", [this](const httplib::Request& req, httplib::Response& res) {
      Serve(req.matches[1], req.get_param_value("debug"), res);
    });
    server_.Get(R"(/(\w+)/debug/pprof/mutex)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("--- mutex:\ncycles/second=2445425501\nsampling period=0\n", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~BadServer() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& kind) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + kind; }
  int good_requests() const { return good_; }

 private:
  void Serve(const std::string& kind, const std::string& debug, httplib::Response& res) {
    if (kind == "good") {
      int n = debug == "2" ? good_ - 1 : good_++;  // the dump taken on alert is not a scrape
      res.set_content(testdata::Service(10 + 2 * n, 3), "text/plain");
    } else if (kind == "garbage") {
      res.set_content("hello\nthis is not a goroutine profile\n\x01\x02\x03", "text/plain");
    } else if (kind == "html") {
      res.set_content("\n  <!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    } else if (kind == "truncated") {
      std::string full = testdata::Service(100, 50);
      res.set_content(full.substr(0, full.find("\n\n") + 2), "text/plain");  // the first record only
    } else if (kind == "oversize") {
      std::string big = testdata::Service(1, 1);
      while (big.size() < (size_t{3} << 20)) big += "# padding padding padding padding padding padding padding\n";
      res.set_content(big, "text/plain");
    } else if (kind == "slow") {
      // A drip: one byte every 50 ms for 10 s, each read well inside any read timeout.
      res.set_chunked_content_provider("text/plain", [this](size_t offset, httplib::DataSink& sink) {
        if (stopping_ || offset > 200) {
          sink.done();
          return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return sink.write("g", 1);
      });
    } else if (kind == "hop") {
      res.set_redirect("/good/debug/pprof/goroutine?debug=" + debug);
    } else if (kind == "away") {
      res.set_redirect("http://127.0.0.2:9/debug/pprof/goroutine?debug=" + debug);
    } else if (kind == "loop") {
      res.set_redirect("/loop/debug/pprof/goroutine?debug=" + debug);
    } else if (kind == "bomb") {
      res.set_content(GzipBomb(), "application/octet-stream");
    } else if (kind == "status") {
      res.status = 500;
      res.set_content("internal error", "text/plain");
    } else {
      res.status = 404;
    }
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> good_{0};
  std::atomic<bool> stopping_{false};
};

Target MakeTestTarget(const std::string& url, Millis timeout = Millis(2000)) {
  auto t = MakeTarget(url, Rules{}, timeout);
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

TEST(WatchScraper, GoodProfileParsesWithFingerprint) {
  BadServer server;
  ScrapeResult r = ScrapeTarget(MakeTestTarget(server.Url("good")), 1 << 20);
  ASSERT_EQ(r.error, ScrapeError::kNone) << r.message;
  ASSERT_NE(r.dump, nullptr);
  EXPECT_EQ(r.dump->TotalGoroutines(), 14u);
  EXPECT_EQ(r.fingerprint, std::optional<uint64_t>(2445425501));
  EXPECT_GT(r.bytes, 0u);
}

TEST(WatchScraper, EachKindOfBadEndpointIsClassified) {
  GzipBomb();
  BadServer server;
  struct Case {
    std::string kind;
    ScrapeError want;
  } cases[] = {{"garbage", ScrapeError::kGarbage},   {"html", ScrapeError::kHtml},
               {"truncated", ScrapeError::kTruncated}, {"oversize", ScrapeError::kTooLarge},
               {"slow", ScrapeError::kTimeout},       {"status", ScrapeError::kStatus},
               {"bomb", ScrapeError::kTooLarge}};
  for (const Case& c : cases) {
    ScrapeResult r = ScrapeTarget(MakeTestTarget(server.Url(c.kind), Millis(400)), 1 << 20);
    EXPECT_EQ(ScrapeErrorName(r.error), ScrapeErrorName(c.want)) << c.kind << ": " << r.message;
    EXPECT_EQ(r.dump, nullptr) << c.kind;
    EXPECT_FALSE(r.message.empty()) << c.kind;
  }
  ScrapeResult down = ScrapeTarget(MakeTestTarget("http://127.0.0.1:" + std::to_string(DeadPort())), 1 << 20);
  EXPECT_EQ(ScrapeErrorName(down.error), "connect") << down.message;
}

TEST(WatchScraper, AHeaderDripEndsAtTheDeadline) {
  HeaderDripServer drip;
  const auto start = std::chrono::steady_clock::now();
  ScrapeResult r = ScrapeTarget(MakeTestTarget(drip.Url(), Millis(400)), 1 << 20);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(ScrapeErrorName(r.error), "timeout") << r.message;
  EXPECT_LT(seconds, 3.0) << "the 400 ms deadline holds for the headers too (before: never ended)";
}

TEST(WatchScraper, CancelEndsAScrapeInFlight) {
  HeaderDripServer drip;
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  ScrapeResult r = ScrapeTarget(MakeTestTarget(drip.Url(), Millis(60000)), 1 << 20, &cancel);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  canceller.join();
  EXPECT_NE(r.error, ScrapeError::kNone);
  EXPECT_NE(r.message.find("cancelled"), std::string::npos) << r.message;
  EXPECT_LT(seconds, 2.0);
}

TEST(WatchScraper, RedirectsAreFollowedOnlyWithinTheOrigin) {
  BadServer server;
  ScrapeResult hop = ScrapeTarget(MakeTestTarget(server.Url("hop")), 1 << 20);
  EXPECT_EQ(hop.error, ScrapeError::kNone) << hop.message;
  ScrapeResult away = ScrapeTarget(MakeTestTarget(server.Url("away")), 1 << 20);
  EXPECT_EQ(ScrapeErrorName(away.error), "http_status");
  EXPECT_NE(away.message.find("redirects to another host"), std::string::npos) << away.message;
  ScrapeResult loop = ScrapeTarget(MakeTestTarget(server.Url("loop")), 1 << 20);
  EXPECT_NE(loop.message.find("redirect loop"), std::string::npos) << loop.message;
}

TEST(WatchScraper, FingerprintIsTheMutexProfileCalibration) {
  EXPECT_EQ(ParseFingerprint("--- mutex:\ncycles/second=2445406005\nsampling period=0\n"),
            std::optional<uint64_t>(2445406005));
  EXPECT_FALSE(ParseFingerprint("404 page not found\n").has_value());
}

class Recorder : public Output {
 public:
  void Event(const nlohmann::json& e) override { events.push_back(e); }
  std::vector<nlohmann::json> Of(const std::string& kind) const {
    std::vector<nlohmann::json> out;
    for (const auto& e : events) {
      if (e["event"] == kind) out.push_back(e);
    }
    return out;
  }
  std::vector<nlohmann::json> events;
};

TEST(WatchScraper, ADrippingTargetNeitherStarvesAGoodOneNorHoldsUpStop) {
  BadServer server;
  HeaderDripServer drip;
  WatchOptions o;
  Target dripping = MakeTestTarget(drip.Url(), Millis(30000));  // a generous timeout: only stop can end it
  dripping.name = "drip";
  Target good = MakeTestTarget(server.Url("good"), Millis(300));
  good.name = "good";
  o.targets = {dripping, good};
  o.interval = Millis(100);
  Recorder rec;
  Watcher w(o, &rec);
  ASSERT_TRUE(w.Start().ok());
  std::atomic<bool> stop{false};
  Summary s;
  std::thread run([&] { s = w.Run(stop); });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  const auto stop_at = std::chrono::steady_clock::now();
  stop = true;  // what SIGTERM does
  run.join();
  const double to_stop = std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_at).count();
  EXPECT_LT(to_stop, 2.0) << "stop ends the scrape in flight";
  ASSERT_EQ(s.targets.size(), 2u);
  EXPECT_EQ(s.targets[0].scrapes, 0u) << "its one scrape was ended by stop, not counted against it";
  EXPECT_GE(s.targets[1].scrapes, 5u) << "the good target is scraped every 100 ms while the other drips";
  EXPECT_EQ(s.targets[1].failures, 0u);
}

TEST(WatchScraper, BadTargetsNeverStopTheLoopNorTouchAGoodTarget) {
  BadServer server;
  WatchOptions o;
  for (const char* kind : {"garbage", "html", "truncated", "oversize", "slow", "status", "good"}) {
    Target t = MakeTestTarget(server.Url(kind), Millis(300));
    t.name = kind;
    t.rules.min_samples = 3;
    t.rules.min_growth = 3;
    t.rules.min_slope = 1;
    o.targets.push_back(t);
  }
  Target down = MakeTestTarget("http://127.0.0.1:" + std::to_string(DeadPort()), Millis(300));
  down.name = "down";
  o.targets.push_back(down);
  o.interval = Millis(100);
  o.duration = Millis(1000);
  o.max_body = 1 << 20;
  o.concurrency = 4;
  o.metrics_listen = "127.0.0.1:0";
  Recorder rec;
  Watcher w(o, &rec);
  ASSERT_TRUE(w.Start().ok());
  std::atomic<bool> stop{false};
  Summary s = w.Run(stop);
  ASSERT_EQ(s.targets.size(), 8u);
  // Targets are scraped independently: a slow one (300 ms timeout) is skipped at the ticks it is still busy, and the
  // good one is scraped at every tick of the 100 ms grid.
  EXPECT_GE(s.rounds, 6u);
  EXPECT_EQ(s.reachable, 1u);
  const TargetSummary& good = s.targets[6];
  EXPECT_EQ(good.name, "good");
  EXPECT_EQ(good.failures, 0u);
  EXPECT_GE(good.scrapes + 1, s.rounds) << "the good target is not held up by the bad ones";
  EXPECT_EQ(good.last_total, 10u + 2 * (good.scrapes - 1) + 3 + 1);
  EXPECT_EQ(good.alerts, 1u) << "the good target's leak grows by 2 per scrape: one growth alert, then cooldown";
  const char* reasons[] = {"garbage", "html", "truncated", "too_large", "timeout", "http_status"};
  uint64_t failures = 0;
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_GE(s.targets[i].scrapes, 2u) << s.targets[i].name;
    EXPECT_EQ(s.targets[i].failures, s.targets[i].scrapes) << s.targets[i].name;
    EXPECT_EQ(s.targets[i].errors.at(reasons[i]), s.targets[i].scrapes) << s.targets[i].name;
    EXPECT_FALSE(s.targets[i].ever_up);
    failures += s.targets[i].failures;
  }
  EXPECT_EQ(s.targets[7].errors.at("connect"), s.targets[7].scrapes);
  failures += s.targets[7].failures;
  std::string metrics = w.metrics().Render();
  EXPECT_NE(metrics.find(fmt::format("leakhound_watch_scrape_errors_total{{target=\"oversize\",reason=\"too_large\"}} {}",
                                     s.targets[3].scrapes)),
            std::string::npos)
      << metrics;
  EXPECT_EQ(rec.Of("scrape_error").size(), failures);
  EXPECT_EQ(rec.Of("sample").size(), good.scrapes);
  ASSERT_EQ(rec.Of("alert").size(), 1u);
  EXPECT_EQ(rec.Of("alert")[0]["target"], "good");
  EXPECT_EQ(rec.Of("alert")[0]["bucket"]["name"], "main.notifyAudit");
  for (const auto& e : rec.events) EXPECT_EQ(e["schema"], "leakhound.watch/v1");
}

TEST(WatchWebhook, RetriesServerErrorsThenDelivers) {
  WebhookReceiver hook(2);
  WebhookOptions o{hook.Url(), Millis(2000), 3, Millis(10)};
  util::Status s = PostJson(o, R"({"event":"alert"})");
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(hook.bodies(), (std::vector<std::string>(3, R"({"event":"alert"})")));
  EXPECT_EQ(hook.content_type(), "application/json");
}

TEST(WatchWebhook, GivesUpAfterRetriesAndDoesNotRetryARejection) {
  WebhookReceiver busy(10);
  util::Status s = PostJson(WebhookOptions{busy.Url(), Millis(2000), 2, Millis(10)}, "{}");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTTP 503"), std::string::npos) << s.message();
  EXPECT_EQ(busy.bodies().size(), 3u);
  WebhookReceiver rejecting(10, 400);
  EXPECT_FALSE(PostJson(WebhookOptions{rejecting.Url(), Millis(2000), 5, Millis(10)}, "{}").ok());
  EXPECT_EQ(rejecting.bodies().size(), 1u);
  util::Status down = PostJson(WebhookOptions{"http://127.0.0.1:" + std::to_string(DeadPort()) + "/x", Millis(500), 1,
                                              Millis(10)},
                               "{}");
  EXPECT_FALSE(down.ok());
}

TEST(WatchWebhook, AQueuedAlertSurvivesAReceiverThatIsDownThenComesUp) {
  const int port = DeadPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  std::vector<std::string> given_up;
  std::mutex mu;
  WebhookQueue::Options o;
  o.url = url;
  o.timeout = Millis(500);
  o.backoff = Millis(50);
  o.max_backoff = Millis(200);
  WebhookQueue q(o, [&](const std::string& id, const std::string&) {
    std::lock_guard<std::mutex> lock(mu);
    given_up.push_back(id);
  });
  const auto before = std::chrono::steady_clock::now();
  for (const char* id : {"a1", "a2", "a3"}) q.Push(id, std::string(R"({"id":")") + id + "\"}");
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(100)) << "Push never waits";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the receiver is down all this time
  httplib::Server server;
  std::vector<std::string> bodies;
  server.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    bodies.push_back(req.body);
    res.status = 204;
  });
  ASSERT_TRUE(server.bind_to_port("127.0.0.1", port));
  std::thread listener([&] { server.listen_after_bind(); });
  EXPECT_EQ(q.Drain(std::chrono::steady_clock::now() + std::chrono::seconds(10), nullptr), 0u);
  server.stop();
  listener.join();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(bodies, (std::vector<std::string>{R"({"id":"a1"})", R"({"id":"a2"})", R"({"id":"a3"})"}))
      << "each alert once, in order";
  EXPECT_TRUE(given_up.empty());
  EXPECT_EQ(q.delivered(), 3u);
}

TEST(WatchWebhook, AnAlertIsGivenUpAfterMaxAgeAndReported) {
  WebhookReceiver busy(1000);  // 503 forever
  std::vector<std::string> given_up;
  std::mutex mu;
  WebhookQueue::Options o;
  o.url = busy.Url();
  o.backoff = Millis(20);
  o.max_age = Millis(300);
  WebhookQueue q(o, [&](const std::string& id, const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    given_up.push_back(id + ": " + why);
  });
  q.Push("x", "{}");
  EXPECT_EQ(q.Drain(std::chrono::steady_clock::now() + std::chrono::seconds(10), nullptr), 0u);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(given_up.size(), 1u);
  EXPECT_NE(given_up[0].find("HTTP 503"), std::string::npos) << given_up[0];
  EXPECT_GE(busy.bodies().size(), 3u) << "retried with backoff until max-age";
}

}  // namespace
}  // namespace leakhound::watch
