// The time series of one target: the total goroutine count and the count of every bucket over a sliding window of
// samples, with buckets matched across scrapes by their portable signature (cluster::Cluster with portable = true:
// the frames outside the runtime at file:line, the same key `diff` uses for snapshots of mixed formats, so that the
// debug=2 dump taken on alert maps to the same bucket). A bucket absent from a sample counts 0 there.
//
// Memory: one uint32 per bucket per sample in the window, plus a small description per bucket. Buckets whose counts
// are all zero in the window are dropped.
//
// Thread-safety: none; one TargetSeries is updated by one thread at a time (the watch loop hands each target to one
// worker per round).
#ifndef LEAKHOUND_WATCH_SERIES_H_
#define LEAKHOUND_WATCH_SERIES_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/verdict/verdict.h"
#include "leakhound/watch/config.h"

namespace leakhound::watch {

// What a bucket is, re-decided on every sample that has it (strings are copies: the Dump it came from is gone later).
struct BucketInfo {
  uint64_t signature = 0;
  std::string entry;     // the goroutine's entry function (outermost frame outside the runtime): the bucket's name
  std::string blocking;  // blocking site "pkg.f file.go:12"
  std::string blocking_function, blocking_file;  // the same, apart (file: base name)
  uint32_t blocking_line = 0;
  std::string created_by;  // creator function, when the profile shows it
  std::string state;     // wait reason, inferred from runtime frames for debug=0; unknown for debug=1
  verdict::Verdict verdict = verdict::Verdict::kActive;  // from the latest sample alone; growth is the alerts' part
  bool ignored = false;  // the project's knowledge file ignores it: never alerts
  uint64_t proven = 0;   // goroutines of this stack the latest goroutineleak profile lists (0: none, or not scraped)
  verdict::BlockKind kind = verdict::BlockKind::kOther;
  std::string reason;
};

struct BucketTrend {
  const BucketInfo* info = nullptr;  // valid until the next Add or Reset
  uint64_t count = 0;                // in the latest sample
  std::optional<double> slope;       // goroutines per minute, least squares over the window
  bool monotonic = false;            // over the window: never fell, rose at least once
  int64_t growth = 0;                // over the window: last - first
  // Over the last rules.min_samples samples:
  // Never fell, rose in at least half of the steps, by >= min_growth in all at >= min_slope per minute, ended above
  // every count the bucket had earlier in the window (a new high: a bounded bucket that rises and falls, such as a
  // fan-out sampled at a phase that drifts against the scrape interval, climbs the same ramp again and again, a leak
  // keeps climbing), and the bucket can leak (not running, in a syscall, asleep or benign).
  bool sustained = false;
  bool new_high = false;  // the latest count is above every count before the last min_samples samples
  double recent_slope = 0;
  int64_t recent_growth = 0;
};

class TargetSeries {
 public:
  // `knowledge` (the built-in base, or the project's .leakhound.yaml in front of it) must outlive the series.
  explicit TargetSeries(Millis window, const verdict::KnowledgeBase* knowledge = &verdict::KnowledgeBase::BuiltIn())
      : window_minutes_(static_cast<double>(window.count()) / 60000.0), knowledge_(knowledge) {}

  // Adds the sample taken at `minute` (minutes on the watch's clock; increasing). REQUIRES: d is a usable profile.
  void Add(double minute, const dump::Dump& d);
  // Forgets every sample (the target restarted).
  void Reset();
  // The latest goroutineleak profile: goroutines it lists per portable bucket signature. Kept until the next call.
  void SetProven(std::unordered_map<uint64_t, uint64_t> proven);

  size_t samples() const { return minutes_.size(); }
  uint64_t total() const { return totals_.empty() ? 0 : totals_.back(); }
  std::optional<double> TotalSlope() const;
  bool TotalMonotonic() const;
  size_t buckets() const { return buckets_.size(); }
  size_t MemoryBytes() const;

  // The window, for reports: sample times (minutes on the watch's clock) and totals, oldest first.
  const std::deque<double>& minutes() const { return minutes_; }
  const std::deque<uint64_t>& totals() const { return totals_; }
  // Up to `n` buckets of the window, most interesting first (grew most over the window, then highest peak), each
  // with its counts aligned with minutes(). Pointers are valid until the next Add or Reset.
  struct BucketCounts {
    const BucketInfo* info;
    const std::deque<uint32_t>* counts;
  };
  std::vector<BucketCounts> TopBuckets(size_t n) const;

  // Trends of the buckets present in the latest sample, or that were in the window; sorted by recent growth, then
  // count (both descending).
  std::vector<BucketTrend> Trends(const Rules& rules) const;

 private:
  struct Series {
    BucketInfo info;
    std::deque<uint32_t> counts;  // aligned with minutes_
  };
  double window_minutes_;
  const verdict::KnowledgeBase* knowledge_;
  std::deque<double> minutes_;
  std::deque<uint64_t> totals_;
  std::unordered_map<uint64_t, Series> buckets_;
  std::unordered_map<uint64_t, uint64_t> proven_;
};

// Goroutines per portable bucket signature in a goroutineleak profile `d` (every goroutine of it is leaked), keyed
// like TargetSeries' buckets.
std::unordered_map<uint64_t, uint64_t> ProvenBySignature(dump::Dump& d);

// Describes a bucket of `d` (used for series and for matching the alert dump).
BucketInfo DescribeBucket(const cluster::Bucket& b,
                          const verdict::KnowledgeBase& knowledge = verdict::KnowledgeBase::BuiltIn());

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_SERIES_H_
