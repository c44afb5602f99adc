// The analysis behind `leakhound analyze`: clusters the goroutines of one or more Dumps, assesses each bucket, and
// applies the user's filters. The result points into the Dumps, which must outlive it.
#ifndef LEAKHOUND_VERDICT_ANALYSIS_H_
#define LEAKHOUND_VERDICT_ANALYSIS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/util/status.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

struct AnalyzeOptions {
  cluster::Similarity similarity = cluster::Similarity::kLine;
  uint64_t min_count = 1;       // drop buckets smaller than this
  size_t top = 0;               // keep at most this many buckets (0: all)
  std::string focus;            // ECMAScript regex: keep buckets with a frame (or creator) matching it
  std::string ignore;           // drop buckets with any frame (or creator) matching it (goleak IgnoreAnyFunction)
  std::string ignore_top;       // drop buckets whose blocking frame matches it (goleak IgnoreTopFunction)
  const KnowledgeBase* knowledge = nullptr;  // nullptr: the built-in one
};

struct BucketReport {
  cluster::Bucket bucket;
  Assessment assessment;
};

struct SourceSummary {
  std::string name;
  dump::Format format = dump::Format::kTraceback;
  bool leak_profile = false;
  std::string leak_proof;            // the goroutineleak profile applied to it, by id ("" if none)
  uint64_t goroutines = 0;
  uint32_t snapshots = 0;
  std::vector<dump::Diagnostic> diagnostics;
};

struct Analysis {
  uint64_t total_goroutines = 0;     // in all inputs, before filters
  uint64_t shown_goroutines = 0;     // in the kept buckets (before --top)
  size_t total_buckets = 0;          // before filters
  size_t kept_buckets = 0;           // after --min-count and the regex filters, before --top
  size_t definite = 0, suspect = 0, benign = 0, active = 0;  // kept buckets by verdict (before --top)
  std::vector<SourceSummary> sources;
  std::vector<BucketReport> buckets; // count descending
};

// Fails only on a bad option (an invalid regex).
util::Result<Analysis> Analyze(std::span<const dump::Dump> dumps, const AnalyzeOptions& options);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_ANALYSIS_H_
