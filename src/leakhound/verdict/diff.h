// The analysis behind `leakhound diff`: the buckets of two or more snapshots of one program, matched across them at
// one similarity level, with their growth, a slope per minute (or per snapshot), a monotonic-growth test, and the
// goroutine ids that stayed parked in the same bucket ("stuck": the strongest leak signal a dump gives). Verdicts of
// growing buckets are raised by that evidence.
//
// The result points into the Dumps, which must outlive it. Snapshots are the Dumps in the order given (oldest first).
#ifndef LEAKHOUND_VERDICT_DIFF_H_
#define LEAKHOUND_VERDICT_DIFF_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/util/status.h"
#include "leakhound/verdict/analysis.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

struct DiffOptions {
  cluster::Similarity similarity = cluster::Similarity::kLine;
  double interval_minutes = 0;  // between consecutive snapshots; 0: from timestamps in the names, if any
  int64_t min_growth = 5;       // a bucket must grow by at least this much for growth to raise its verdict (a pool
                                // that is busier in one snapshot grows by a few)
  size_t top = 0;               // keep at most this many buckets (0: all)
  std::string focus;            // as in AnalyzeOptions
  std::string ignore;
  const KnowledgeBase* knowledge = nullptr;  // nullptr: the built-in one
};

enum class Change { kNew, kGrown, kSame, kShrunk, kVanished };
std::string_view ChangeName(Change c);

struct DiffBucket {
  cluster::Bucket bucket;
  Assessment assessment;         // the bucket's verdict, raised by growth and stuck ids
  std::vector<uint64_t> counts;  // per snapshot
  int64_t growth = 0;            // last - first
  std::optional<double> slope;   // least-squares goroutines per minute (per snapshot when untimed); 3+ snapshots
                                 // or timed pairs
  bool monotonic = false;        // never fell, and rose at least once
  uint64_t first_ids = 0;        // ids in this bucket in the first snapshot (0 for formats without ids)
  uint64_t stuck = 0;            // of those, still in this bucket in the last snapshot
  Change change = Change::kSame;
};

struct SnapshotInfo {
  std::string name;
  dump::Format format = dump::Format::kTraceback;
  uint64_t goroutines = 0;
  std::optional<double> minute;  // minutes since the first snapshot, when known
  std::vector<dump::Diagnostic> diagnostics;
};

struct Diff {
  std::vector<SnapshotInfo> snapshots;
  bool timed = false;           // every snapshot has a time: slopes are per minute
  int64_t total_growth = 0;
  size_t grown = 0, added = 0, shrunk = 0, vanished = 0, unchanged = 0;
  size_t definite = 0, suspect = 0;  // after raising
  size_t kept_buckets = 0;           // before --top
  std::vector<DiffBucket> buckets;   // growth descending, then count
};

// Minutes since the Unix epoch of a timestamp in a file name ("goroutines-2026-11-25T10-04-00.txt",
// "dump.20261125-1004.txt", "g-1764064800.txt"); nullopt when there is none.
std::optional<double> TimestampMinutes(std::string_view name);

// REQUIRES: dumps.size() >= 2. Fails only on a bad option.
util::Result<Diff> DiffDumps(std::span<const dump::Dump> dumps, const DiffOptions& options);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_DIFF_H_
