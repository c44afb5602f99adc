// The alert engine: the rules that fire on a target's latest sample (the goroutine fuse, sustained growth of a
// bucket, a definite leak), and a cooldown per alert key so that a condition that persists fires once per cooldown.
//
// Thread-safety: EvaluateRules is pure. Cooldown is not thread-safe (the watch loop owns it).
#ifndef LEAKHOUND_WATCH_ALERTS_H_
#define LEAKHOUND_WATCH_ALERTS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leakhound/watch/config.h"
#include "leakhound/watch/series.h"

namespace leakhound::watch {

enum class AlertRule { kMaxGoroutines, kGrowth, kDefinite, kProven };
std::string_view AlertRuleName(AlertRule r);  // "max_goroutines", "growth", "definite"

struct Alert {
  AlertRule rule = AlertRule::kGrowth;
  std::string key;           // target/rule/bucket: what the cooldown is kept by
  std::string target;        // name
  std::string url;
  uint64_t total = 0;        // goroutines in the target
  // The bucket (growth and definite; for max_goroutines the bucket that grew most, when there is one):
  uint64_t signature = 0;
  std::string bucket;        // entry function
  std::string blocking;      // blocking site
  std::string state;
  uint64_t count = 0;
  int64_t growth = 0;        // over the samples the rule looked at
  double slope = 0;          // per minute
  size_t samples = 0;
  std::string message;       // one line
  uint64_t round = 0;        // the watch round whose sample fired it (0-based)
  // Filled after the debug=2 dump is taken:
  std::string creating;      // "created by pkg.f file.go:12"
  std::string verdict;       // the dump's verdict of the bucket
  std::string reason;
  std::string dump_path;
  std::string html_path;     // the page beside the dump (with --html)
  std::string dump_error;
  uint64_t proven = 0;       // goroutines of the bucket the runtime's goroutineleak profile lists
};

// The alerts `target`'s latest sample calls for, before cooldown. `trends` as returned by TargetSeries::Trends.
std::vector<Alert> EvaluateRules(const Target& target, const TargetSeries& series,
                                 const std::vector<BucketTrend>& trends);

class Cooldown {
 public:
  using Clock = std::chrono::steady_clock;
  // True (and remembered) when `key` last fired at least `cooldown` ago or never; false otherwise.
  bool Allow(const std::string& key, Clock::time_point now, Millis cooldown);

 private:
  std::unordered_map<std::string, Clock::time_point> last_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_ALERTS_H_
