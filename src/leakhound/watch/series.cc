#include "leakhound/watch/series.h"

#include <fmt/format.h>

#include <algorithm>

#include "leakhound/verdict/trend.h"

namespace leakhound::watch {

namespace {
constexpr int64_t kBenignMinGrowth = 10;
}  // namespace

BucketInfo DescribeBucket(const cluster::Bucket& b, const verdict::KnowledgeBase& knowledge) {
  BucketInfo info;
  info.signature = b.signature;
  auto frames = b.frames();
  verdict::Assessment a = verdict::Assess(b, knowledge);
  info.verdict = a.verdict;
  info.reason = a.reason;
  info.ignored = a.rule == "ignored";
  info.state = std::string(b.state());
  info.kind = verdict::ClassifyState(b.state());
  if (!frames.empty()) {
    size_t entry = verdict::EntryFrame(frames);
    if (entry < frames.size()) info.entry = std::string(frames[entry].function);
    size_t blocking = std::min(a.blocking_frame, frames.size() - 1);
    const dump::Frame& f = frames[blocking];
    std::string_view file = f.file.substr(f.file.rfind('/') + 1);
    info.blocking = fmt::format("{} {}:{}", f.function, file, f.line);
    info.blocking_function = std::string(f.function);
    info.blocking_file = std::string(file);
    info.blocking_line = static_cast<uint32_t>(f.line);
  }
  if (b.representative != nullptr) info.created_by = std::string(b.representative->created_by.function);
  // No frame outside the runtime (portable signatures drop runtime frames): the runtime's own goroutines.
  if (info.entry.empty()) info.entry = "(runtime only)";
  return info;
}

void TargetSeries::Add(double minute, const dump::Dump& d) {
  const dump::Dump* dumps[] = {&d};
  std::vector<cluster::Bucket> buckets = cluster::Cluster(dumps, cluster::Similarity::kLine, nullptr, true);
  minutes_.push_back(minute);
  totals_.push_back(d.TotalGoroutines());
  for (auto& [sig, s] : buckets_) s.counts.push_back(0);
  for (const cluster::Bucket& b : buckets) {
    auto it = buckets_.find(b.signature);
    if (it == buckets_.end()) {
      Series s;
      s.counts.assign(minutes_.size(), 0);
      it = buckets_.emplace(b.signature, std::move(s)).first;
    }
    // Re-decided on every sample: the count, the wait and the proof change, and so may the verdict.
    it->second.info = DescribeBucket(b, *knowledge_);
    if (auto p = proven_.find(b.signature); p != proven_.end()) it->second.info.proven = p->second;
    uint64_t c = std::min<uint64_t>(b.count, UINT32_MAX);
    it->second.counts.back() += static_cast<uint32_t>(std::min<uint64_t>(c, UINT32_MAX - it->second.counts.back()));
  }
  // Slide the window.
  while (!minutes_.empty() && minutes_.front() < minute - window_minutes_) {
    minutes_.pop_front();
    totals_.pop_front();
    for (auto& [sig, s] : buckets_) s.counts.pop_front();
  }
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const auto& c = it->second.counts;
    if (std::all_of(c.begin(), c.end(), [](uint32_t v) { return v == 0; })) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

void TargetSeries::Reset() {
  minutes_.clear();
  totals_.clear();
  buckets_.clear();
  proven_.clear();
}

void TargetSeries::SetProven(std::unordered_map<uint64_t, uint64_t> proven) {
  proven_ = std::move(proven);
  for (auto& [sig, s] : buckets_) {
    auto p = proven_.find(sig);
    s.info.proven = p == proven_.end() ? 0 : p->second;
  }
}

std::unordered_map<uint64_t, uint64_t> ProvenBySignature(dump::Dump& d) {
  // Cleared so that the signatures are those of the same stacks in the goroutine profile.
  for (dump::Goroutine& g : d.goroutines) g.flags &= ~static_cast<uint32_t>(dump::kLeaked);
  const dump::Dump* dumps[] = {&d};
  std::unordered_map<uint64_t, uint64_t> out;
  for (const cluster::Bucket& b : cluster::Cluster(dumps, cluster::Similarity::kLine, nullptr, true)) {
    out[b.signature] += b.count;
  }
  return out;
}

std::optional<double> TargetSeries::TotalSlope() const {
  std::vector<double> x(minutes_.begin(), minutes_.end());
  std::vector<uint64_t> y(totals_.begin(), totals_.end());
  return verdict::LeastSquaresSlope(x, y);
}

bool TargetSeries::TotalMonotonic() const {
  std::vector<uint64_t> y(totals_.begin(), totals_.end());
  return verdict::MonotonicTest(y).growing();
}

size_t TargetSeries::MemoryBytes() const {
  size_t bytes = sizeof(*this) + minutes_.size() * (sizeof(double) + sizeof(uint64_t));
  for (const auto& [sig, s] : buckets_) {
    bytes += sizeof(s) + 32 + s.counts.size() * sizeof(uint32_t) + s.info.entry.capacity() +
             s.info.blocking.capacity() + s.info.state.capacity() + s.info.reason.capacity();
  }
  return bytes;
}

std::vector<TargetSeries::BucketCounts> TargetSeries::TopBuckets(size_t n) const {
  struct Ranked {
    BucketCounts b;
    int64_t growth;
    uint32_t peak;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(buckets_.size());
  for (const auto& [sig, s] : buckets_) {
    const int64_t growth = static_cast<int64_t>(s.counts.back()) - static_cast<int64_t>(s.counts.front());
    ranked.push_back({{&s.info, &s.counts}, growth, *std::max_element(s.counts.begin(), s.counts.end())});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.growth != b.growth) return a.growth > b.growth;
    if (a.peak != b.peak) return a.peak > b.peak;
    return a.b.info->signature < b.b.info->signature;
  });
  std::vector<BucketCounts> out;
  for (size_t i = 0; i < ranked.size() && i < n; ++i) out.push_back(ranked[i].b);
  return out;
}

std::vector<BucketTrend> TargetSeries::Trends(const Rules& rules) const {
  std::vector<BucketTrend> out;
  out.reserve(buckets_.size());
  std::vector<double> x(minutes_.begin(), minutes_.end());
  std::vector<uint64_t> y;
  const size_t n = minutes_.size();
  const size_t k = std::min(n, rules.min_samples);
  for (const auto& [sig, s] : buckets_) {
    BucketTrend t;
    t.info = &s.info;
    t.count = s.counts.back();
    y.assign(s.counts.begin(), s.counts.end());
    t.slope = verdict::LeastSquaresSlope(x, y);
    t.monotonic = verdict::MonotonicTest(y).growing();
    t.growth = static_cast<int64_t>(y.back()) - static_cast<int64_t>(y.front());
    std::span<const double> rx(x.data() + (n - k), k);
    std::span<const uint64_t> ry(y.data() + (n - k), k);
    if (k >= 2) {
      t.recent_slope = verdict::LeastSquaresSlope(rx, ry).value_or(0);
      t.recent_growth = static_cast<int64_t>(ry.back()) - static_cast<int64_t>(ry.front());
    }
    size_t rises = 0;
    for (size_t i = 1; i < ry.size(); ++i) rises += ry[i] > ry[i - 1] ? 1 : 0;
    const uint64_t earlier_peak = n > k ? *std::max_element(y.begin(), y.begin() + static_cast<ptrdiff_t>(n - k)) : 0;
    t.new_high = k > 0 && (n == k || ry.back() > earlier_peak);
    t.sustained = n >= rules.min_samples && verdict::MonotonicTest(ry).growing() && 2 * rises >= k - 1 && t.new_high &&
                  t.recent_growth >= rules.min_growth && t.recent_slope >= rules.min_slope &&
                  verdict::CanLeak(s.info.kind) && !s.info.ignored &&
                  // Built-in benign goroutines (server connections, library workers) come and go with load: growth
                  // outranks them when it is more than a few.
                  (s.info.verdict != verdict::Verdict::kBenign || t.recent_growth >= kBenignMinGrowth);
    out.push_back(t);
  }
  std::sort(out.begin(), out.end(), [](const BucketTrend& a, const BucketTrend& b) {
    if (a.recent_growth != b.recent_growth) return a.recent_growth > b.recent_growth;
    if (a.count != b.count) return a.count > b.count;
    return a.info->signature < b.info->signature;
  });
  return out;
}

}  // namespace leakhound::watch
