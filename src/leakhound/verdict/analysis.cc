#include "leakhound/verdict/analysis.h"

#include <algorithm>

#include "leakhound/verdict/filter.h"

namespace leakhound::verdict {

using util::Result;

Result<Analysis> Analyze(std::span<const dump::Dump> dumps, const AnalyzeOptions& options) {
  auto filter = BucketFilter::Make(options.focus, options.ignore, options.ignore_top);
  if (!filter.ok()) return filter.status();

  Analysis out;
  std::vector<const dump::Dump*> ptrs;
  for (const dump::Dump& d : dumps) {
    ptrs.push_back(&d);
    SourceSummary s;
    s.name = d.name;
    s.format = d.format;
    s.leak_profile = d.leak_profile;
    s.leak_proof = d.proof;
    s.goroutines = d.TotalGoroutines();
    s.snapshots = d.snapshots;
    s.diagnostics = d.diagnostics;
    out.total_goroutines += s.goroutines;
    out.sources.push_back(std::move(s));
  }
  std::vector<std::vector<uint32_t>> assignment;
  std::vector<cluster::Bucket> buckets = cluster::Cluster(ptrs, options.similarity, &assignment);
  out.total_buckets = buckets.size();
  const KnowledgeBase& kb = options.knowledge ? *options.knowledge : KnowledgeBase::BuiltIn();
  std::vector<Evidence> evidence;
  evidence.reserve(buckets.size());
  for (const cluster::Bucket& b : buckets) evidence.push_back(GatherEvidence(b, kb));
  // Creators are looked up within one input (goroutine ids are per process): with several inputs, in the last one.
  std::vector<Assessment> assessed;
  if (dumps.empty()) return out;
  assessed = DecideWithCreators(evidence, dumps.back(), assignment.back());
  for (size_t bi = 0; bi < buckets.size(); ++bi) {
    cluster::Bucket& b = buckets[bi];
    if (b.count < options.min_count) continue;
    Assessment a = std::move(assessed[bi]);
    if (!filter->Keep(b, a)) continue;
    switch (a.verdict) {
      case Verdict::kDefinite: ++out.definite; break;
      case Verdict::kSuspect: ++out.suspect; break;
      case Verdict::kBenign: ++out.benign; break;
      case Verdict::kActive: ++out.active; break;
    }
    out.buckets.push_back(BucketReport{std::move(b), std::move(a)});
  }
  // Count descending; among equals the worse verdict first (the input order breaks remaining ties).
  std::stable_sort(out.buckets.begin(), out.buckets.end(), [](const BucketReport& x, const BucketReport& y) {
    if (x.bucket.count != y.bucket.count) return x.bucket.count > y.bucket.count;
    return static_cast<int>(x.assessment.verdict) < static_cast<int>(y.assessment.verdict);
  });
  for (const BucketReport& r : out.buckets) out.shown_goroutines += r.bucket.count;
  out.kept_buckets = out.buckets.size();
  if (options.top > 0 && out.buckets.size() > options.top) out.buckets.resize(options.top);
  return out;
}

}  // namespace leakhound::verdict
