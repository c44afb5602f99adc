#include "leakhound/watch/alerts.h"

#include <fmt/format.h>

namespace leakhound::watch {

std::string_view AlertRuleName(AlertRule r) {
  switch (r) {
    case AlertRule::kMaxGoroutines: return "max_goroutines";
    case AlertRule::kGrowth: return "growth";
    case AlertRule::kDefinite: return "definite";
    case AlertRule::kProven: return "proven";
  }
  return "growth";
}

namespace {

Alert FromTrend(AlertRule rule, const Target& target, const TargetSeries& series, const BucketTrend& t) {
  Alert a;
  a.rule = rule;
  a.target = target.name;
  a.url = target.url;
  a.total = series.total();
  a.signature = t.info->signature;
  a.bucket = t.info->entry;
  a.blocking = t.info->blocking;
  a.state = t.info->state;
  a.count = t.count;
  a.growth = t.recent_growth;
  a.slope = t.recent_slope;
  a.samples = std::min(series.samples(), target.rules.min_samples);
  a.key = fmt::format("{}/{}/{:016x}", target.name, AlertRuleName(rule), a.signature);
  return a;
}

}  // namespace

std::vector<Alert> EvaluateRules(const Target& target, const TargetSeries& series,
                                 const std::vector<BucketTrend>& trends) {
  std::vector<Alert> out;
  const Rules& r = target.rules;
  if (r.max_goroutines > 0 && series.total() > r.max_goroutines) {
    Alert a;
    if (!trends.empty()) a = FromTrend(AlertRule::kMaxGoroutines, target, series, trends.front());
    a.rule = AlertRule::kMaxGoroutines;
    a.target = target.name;
    a.url = target.url;
    a.total = series.total();
    a.key = target.name + "/max_goroutines";
    a.message = fmt::format("{}: {} goroutines, above --max-goroutines {}", target.name, a.total, r.max_goroutines);
    if (!a.bucket.empty() && a.growth > 0) {
      a.message += fmt::format("; fastest growing: {} blocked at {} (+{})", a.bucket, a.blocking, a.growth);
    }
    out.push_back(std::move(a));
  }
  for (const BucketTrend& t : trends) {
    if (t.sustained) {
      Alert a = FromTrend(AlertRule::kGrowth, target, series, t);
      a.message = fmt::format("{}: {} goroutines of {} blocked at {}{} grew by {} over {} samples "
                              "({:.1f}/min, never falling)",
                              target.name, a.count, a.bucket, a.blocking, a.state.empty() ? "" : " (" + a.state + ")",
                              a.growth, a.samples, a.slope);
      out.push_back(std::move(a));
    }
    if (r.definite && t.count > 0 && t.info->proven > 0) {
      // The runtime's own proof, from the goroutineleak profile scraped beside the goroutine profile.
      Alert a = FromTrend(AlertRule::kProven, target, series, t);
      a.proven = std::min(t.info->proven, t.count);
      a.verdict = "definite";
      a.message = fmt::format("{}: {} of {} goroutines of {} proven leaked by the Go runtime's leak detector: blocked "
                              "at {}{}",
                              target.name, a.proven, a.count, a.bucket, a.blocking,
                              a.state.empty() ? "" : " (" + a.state + ")");
      out.push_back(std::move(a));
    } else if (r.definite && t.count > 0 && t.info->verdict == verdict::Verdict::kDefinite) {
      Alert a = FromTrend(AlertRule::kDefinite, target, series, t);
      a.message = fmt::format("{}: {} goroutines of {} can never wake: blocked at {} ({})", target.name, a.count,
                              a.bucket, a.blocking, t.info->reason);
      out.push_back(std::move(a));
    }
  }
  return out;
}

bool Cooldown::Allow(const std::string& key, Clock::time_point now, Millis cooldown) {
  auto it = last_.find(key);
  if (it != last_.end() && now - it->second < cooldown) return false;
  last_[key] = now;
  return true;
}

}  // namespace leakhound::watch
