#include "leakhound/watch/series.h"

#include <gtest/gtest.h>

#include "leakhound/testing/go_program.h"
#include "leakhound/watch/alerts.h"
#include "leakhound/watch/test_profiles.h"

namespace leakhound::watch {
namespace {

using testdata::Service;

const BucketTrend* Find(const std::vector<BucketTrend>& trends, std::string_view entry) {
  for (const BucketTrend& t : trends) {
    if (t.info->entry == entry) return &t;
  }
  return nullptr;
}

Target MakeTestTarget(Rules rules) {
  auto t = MakeTarget("http://127.0.0.1:1", rules, Millis(1000));
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

TEST(WatchSeries, SteadyLeakIsSustainedAndMatchedAcrossScrapes) {
  TargetSeries series(std::chrono::minutes(30));
  Rules rules;
  rules.min_samples = 5;
  for (int i = 0; i < 6; ++i) {
    dump::Dump d = ::leakhound::testing::ParseText("s", Service(10 + 3 * i, 4));
    series.Add(i * 0.25, d);
  }
  EXPECT_EQ(series.samples(), 6u);
  EXPECT_EQ(series.total(), 10u + 15 + 4 + 1);
  std::vector<BucketTrend> trends = series.Trends(rules);
  const BucketTrend* leak = Find(trends, "main.notifyAudit");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(&trends.front(), leak) << "the growing bucket comes first";
  EXPECT_EQ(leak->count, 25u);
  EXPECT_EQ(leak->growth, 15);
  EXPECT_EQ(leak->recent_growth, 12);
  EXPECT_DOUBLE_EQ(*leak->slope, 12.0);  // +3 per quarter minute
  EXPECT_TRUE(leak->monotonic);
  EXPECT_TRUE(leak->sustained);
  EXPECT_EQ(leak->info->blocking, "main.notifyAudit main.go:27");
  const BucketTrend* pool = Find(trends, "main.worker");
  ASSERT_NE(pool, nullptr);
  EXPECT_FALSE(pool->sustained);
  EXPECT_EQ(pool->growth, 0);
}

TEST(WatchSeries, TheProjectsIgnoreWinsOverGrowth) {
  auto kb = verdict::KnowledgeBase::Parse(
      "ignore:\n  - top: main.notifyAudit\n    reason: audit fan-out drains at shutdown\n", ".leakhound.yaml");
  ASSERT_TRUE(kb.ok()) << kb.status().message();
  TargetSeries series(std::chrono::minutes(30), &*kb);
  Rules rules;
  rules.min_samples = 5;
  for (int i = 0; i < 6; ++i) series.Add(i * 0.25, ::leakhound::testing::ParseText("s", Service(10 + 3 * i, 4)));
  std::vector<BucketTrend> trends = series.Trends(rules);
  const BucketTrend* leak = Find(trends, "main.notifyAudit");
  ASSERT_NE(leak, nullptr);
  EXPECT_TRUE(leak->info->ignored);
  EXPECT_EQ(leak->info->verdict, verdict::Verdict::kBenign);
  EXPECT_NE(leak->info->reason.find("audit fan-out"), std::string::npos) << leak->info->reason;
  EXPECT_FALSE(leak->sustained) << "an ignored bucket never alerts";
}

TEST(WatchSeries, SawtoothIsNotSustained) {
  TargetSeries series(std::chrono::minutes(30));
  Rules rules;
  rules.min_samples = 5;
  const uint64_t workers[] = {0, 20, 40, 10, 30, 40, 0, 20};
  for (size_t i = 0; i < std::size(workers); ++i) {
    series.Add(static_cast<double>(i) / 4, ::leakhound::testing::ParseText("s", Service(0, workers[i])));
  }
  for (const BucketTrend& t : series.Trends(rules)) EXPECT_FALSE(t.sustained) << t.info->entry;
}

// A bounded fan-out (at most 8 workers per request, as in tests/go/watch-bounded) sampled at a phase that drifts
// against the scrape interval: every sample catches the request a little earlier, so the count climbs 1, 2, ... 8 in
// unbroken steps, drops, and climbs the same ramp again. With the defaults (8 samples, +5) each ramp looks like
// sustained growth on its own; only the first can fire (nothing earlier in the window to compare with). A leak beside
// it fires after min-samples samples, because it keeps making new highs.
TEST(WatchSeries, RecurringRampOfABoundedFanOutIsNotSustainedButALeakIs) {
  Rules rules;  // the defaults: 8 samples, +5, 1/min
  const uint64_t ramp[] = {1, 2, 3, 4, 5, 6, 7, 8, 0};
  TargetSeries fanout(std::chrono::minutes(30));
  size_t sample = 0, fired = 0, fired_after_first_ramp = 0;
  for (int round = 0; round < 4; ++round) {
    for (uint64_t w : ramp) {
      fanout.Add(static_cast<double>(sample++) / 12, ::leakhound::testing::ParseText("s", Service(0, w)));
      std::vector<BucketTrend> trends = fanout.Trends(rules);
      const BucketTrend* pool = Find(trends, "main.worker");
      if (pool == nullptr || !pool->sustained) continue;
      ++fired;
      if (sample > std::size(ramp)) ++fired_after_first_ramp;
    }
  }
  EXPECT_EQ(fired_after_first_ramp, 0u) << "a ramp the bucket has climbed before is not growth";
  EXPECT_LE(fired, 1u);

  // The fan-out keeps ramping; beside it a leak of +1 a sample starts: it fires as it would alone, and the fan-out
  // still never does.
  size_t leaked = 0, leak_fired_at = 0;
  for (int round = 0; round < 3 && leak_fired_at == 0; ++round) {
    for (uint64_t w : ramp) {
      fanout.Add(static_cast<double>(sample++) / 12, ::leakhound::testing::ParseText("s", Service(++leaked, w)));
      std::vector<BucketTrend> trends = fanout.Trends(rules);
      const BucketTrend* pool = Find(trends, "main.worker");
      EXPECT_FALSE(pool != nullptr && pool->sustained) << "sample " << sample;
      const BucketTrend* audit = Find(trends, "main.notifyAudit");
      ASSERT_NE(audit, nullptr);
      if (audit->sustained) {
        leak_fired_at = leaked;
        break;
      }
    }
  }
  // The window before the leak holds zeros: the last 8 samples are 0 0 0 1 2 3 4 5, +5 in 8, as without the fan-out.
  EXPECT_EQ(leak_fired_at, static_cast<size_t>(rules.min_growth));
}

// Idle HTTP client connections (persistConn.readLoop): benign in small numbers, so the bucket starts benign; a
// client made per request and never closed keeps adding them. The verdict is re-decided every sample (benign while
// few, suspect past the knowledge's limit) and growth alerts whatever the first sample said.
std::string ClientConns(uint64_t n) {
  std::string out;
  for (uint64_t i = 0; i < n; ++i) {
    out += "goroutine " + std::to_string(100 + i) +
           " [IO wait]:\ninternal/poll.runtime_pollWait(0x1, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x1\n"
           "net.(*conn).Read(0x1)\n\t/go/src/net/net.go:196 +0x1\n"
           "net/http.(*persistConn).Read(0x1)\n\t/go/src/net/http/transport.go:2125 +0x1\n"
           "bufio.(*Reader).Peek(0x1, 0x1)\n\t/go/src/bufio/bufio.go:152 +0x1\n"
           "net/http.(*persistConn).readLoop(0x1)\n\t/go/src/net/http/transport.go:2278 +0x1\n"
           "created by net/http.(*Transport).dialConn in goroutine " + std::to_string(5000 + i) +
           "\n\t/go/src/net/http/transport.go:1944 +0x1\n\n";
  }
  return out + "goroutine 1 [IO wait]:\nmain.main()\n\t/app/main.go:9 +0x1\n\n";
}

TEST(WatchSeries, ABucketThatStartsBenignIsReDecidedAndItsGrowthAlerts) {
  Rules rules;  // the defaults: 8 samples, +5, 1/min
  TargetSeries series(std::chrono::minutes(30));
  size_t fired_at = 0;
  verdict::Verdict first = verdict::Verdict::kActive, last = verdict::Verdict::kActive;
  for (size_t sample = 0; sample < 12 && fired_at == 0; ++sample) {
    series.Add(static_cast<double>(sample) / 6, ::leakhound::testing::ParseText("s", ClientConns(3 + 15 * sample)));
    std::vector<BucketTrend> trends = series.Trends(rules);
    const BucketTrend* conns = Find(trends, "net/http.(*persistConn).readLoop");
    ASSERT_NE(conns, nullptr);
    if (sample == 0) first = conns->info->verdict;
    last = conns->info->verdict;
    if (conns->sustained) fired_at = sample + 1;
  }
  EXPECT_EQ(first, verdict::Verdict::kBenign) << "three idle client connections are healthy";
  EXPECT_EQ(last, verdict::Verdict::kSuspect) << "re-decided: far more than a healthy program keeps";
  EXPECT_GT(fired_at, 0u) << "growth outranks the built-in benign";
  EXPECT_LE(fired_at, rules.min_samples + 2);
}

TEST(WatchSeries, OneStepUpIsNotSustainedGrowth) {
  // A burst that arrives between two samples and stays for a while: rose once, never fell.
  TargetSeries series(std::chrono::minutes(30));
  Rules rules;
  rules.min_samples = 5;
  const uint64_t workers[] = {0, 0, 0, 0, 30};
  for (size_t i = 0; i < std::size(workers); ++i) {
    series.Add(static_cast<double>(i), ::leakhound::testing::ParseText("s", Service(0, workers[i])));
  }
  std::vector<BucketTrend> trends = series.Trends(rules);  // Find points into it
  const BucketTrend* pool = Find(trends, "main.worker");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->recent_growth, 30);
  EXPECT_FALSE(pool->sustained);
}

TEST(WatchSeries, TooFewSamplesAreNotSustained) {
  TargetSeries series(std::chrono::minutes(30));
  Rules rules;
  rules.min_samples = 8;
  for (int i = 0; i < 7; ++i) series.Add(i, ::leakhound::testing::ParseText("s", Service(10 * i + 1, 1)));
  EXPECT_FALSE(Find(series.Trends(rules), "main.notifyAudit")->sustained);
  series.Add(7, ::leakhound::testing::ParseText("s", Service(71, 1)));
  EXPECT_TRUE(Find(series.Trends(rules), "main.notifyAudit")->sustained);
}

TEST(WatchSeries, WindowSlidesAndDropsBucketsThatAreGone) {
  TargetSeries series(std::chrono::minutes(1));
  series.Add(0, ::leakhound::testing::ParseText("s", Service(5, 3)));
  series.Add(0.5, ::leakhound::testing::ParseText("s", Service(0, 3)));
  series.Add(1.0, ::leakhound::testing::ParseText("s", Service(0, 3)));
  EXPECT_EQ(series.samples(), 3u);
  EXPECT_EQ(series.buckets(), 3u);  // the leak is still in the window (5, 0, 0)
  series.Add(1.4, ::leakhound::testing::ParseText("s", Service(0, 3)));
  EXPECT_EQ(series.samples(), 3u) << "the sample at minute 0 left the window";
  EXPECT_EQ(series.buckets(), 2u) << "a bucket with no goroutine in the window is dropped";
  series.Reset();
  EXPECT_EQ(series.samples(), 0u);
  EXPECT_EQ(series.buckets(), 0u);
}

TEST(WatchAlerts, RulesNameTheBucketAndTheFuse) {
  Rules rules;
  rules.min_samples = 3;
  rules.max_goroutines = 30;
  Target target = MakeTestTarget(rules);
  TargetSeries series(std::chrono::minutes(30));
  for (int i = 0; i < 3; ++i) series.Add(i, ::leakhound::testing::ParseText("s", Service(10 + 10 * i, 2)));
  std::vector<Alert> alerts = EvaluateRules(target, series, series.Trends(rules));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].rule, AlertRule::kMaxGoroutines);
  EXPECT_EQ(alerts[0].total, 33u);
  EXPECT_NE(alerts[0].message.find("above --max-goroutines 30"), std::string::npos) << alerts[0].message;
  EXPECT_EQ(alerts[1].rule, AlertRule::kGrowth);
  EXPECT_EQ(alerts[1].bucket, "main.notifyAudit");
  EXPECT_EQ(alerts[1].blocking, "main.notifyAudit main.go:27");
  EXPECT_EQ(alerts[1].growth, 20);
  EXPECT_DOUBLE_EQ(alerts[1].slope, 10.0);
  EXPECT_NE(alerts[0].key, alerts[1].key);
}

TEST(WatchAlerts, DefiniteLeakFiresOnFirstSight) {
  Target target = MakeTestTarget(Rules{});
  TargetSeries series(std::chrono::minutes(30));
  // `select {}` outside main: the runtime frame says "select (no cases)"; nothing can ever wake these.
  series.Add(0, ::leakhound::testing::ParseText(
                    "s", testdata::Debug1({{3,
                                            {"runtime.gopark /go/src/runtime/proc.go:435",
                                             "runtime.block /go/src/runtime/select.go:104",
                                             "main.waitForever /svc/main.go:12"}}})));
  std::vector<Alert> alerts = EvaluateRules(target, series, series.Trends(target.rules));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, AlertRule::kDefinite);
  EXPECT_EQ(alerts[0].count, 3u);
  EXPECT_EQ(alerts[0].bucket, "main.waitForever");
  EXPECT_NE(alerts[0].message.find("can never wake"), std::string::npos) << alerts[0].message;
  target.rules.definite = false;
  EXPECT_TRUE(EvaluateRules(target, series, series.Trends(target.rules)).empty());
}

TEST(WatchAlerts, CooldownHoldsEachKeySeparately) {
  Cooldown c;
  auto t0 = Cooldown::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(c.Allow("a", t0, Millis(60000)));
  EXPECT_FALSE(c.Allow("a", t0 + std::chrono::seconds(59), Millis(60000)));
  EXPECT_TRUE(c.Allow("b", t0 + std::chrono::seconds(1), Millis(60000)));
  EXPECT_TRUE(c.Allow("a", t0 + std::chrono::seconds(60), Millis(60000)));
  EXPECT_FALSE(c.Allow("a", t0 + std::chrono::seconds(61), Millis(60000)));
  EXPECT_TRUE(c.Allow("a", t0 + std::chrono::seconds(61), Millis(0))) << "no cooldown: every time";
}

}  // namespace
}  // namespace leakhound::watch
