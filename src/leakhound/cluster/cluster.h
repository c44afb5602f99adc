// Clustering goroutines into buckets of the same stack, at one of three similarity levels, in O(n): each goroutine's
// signature is hashed once and looked up in a hash map (never the pairwise comparison of O(n^2) aggregators).
//
// Buckets point at records of the Dumps they were built from: the Dumps must outlive the buckets.
#ifndef LEAKHOUND_CLUSTER_CLUSTER_H_
#define LEAKHOUND_CLUSTER_CLUSTER_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"

namespace leakhound::cluster {

enum class Similarity {
  kExact,  // state, functions, file:line and argument text of every frame, creator
  kLine,   // state, functions and file:line of every frame, creator function and line (default)
  kFunc,   // state and function names only; creator function
};
std::string_view SimilarityName(Similarity s);

struct Bucket {
  uint64_t signature = 0;
  const dump::Dump* dump = nullptr;            // dump of the representative
  const dump::Goroutine* representative = nullptr;
  uint64_t count = 0;                          // goroutines in the bucket
  uint64_t leaked = 0;                         // of which marked leaked (a bucket is all leaked or none)
  uint64_t creator_known = 0;                  // members whose snapshot tells whether their creator still runs
  uint64_t creator_gone = 0;                   // of those, members whose creating goroutine has exited
  uint64_t connection_siblings = 0;            // members whose creator also started a goroutine waiting on the
                                               // network: per-connection workers (a writer beside a reader)
  int32_t wait_min = -1;                       // minutes; -1 when no member printed a wait time
  int32_t wait_max = -1;
  std::vector<uint64_t> ids;                   // goroutine ids, at most kMaxIds, in input order
  std::vector<uint64_t> per_dump;              // goroutines per input dump (index as given to Cluster)
  std::vector<uint64_t> parents;               // distinct creating goroutines ("created by … in goroutine N"),
                                               // at most kMaxParents: many means one per request or event
  static constexpr size_t kMaxIds = 20;
  static constexpr size_t kMaxParents = 32;

  std::string_view state() const { return representative->state; }
  std::span<const dump::Frame> frames() const { return dump->FramesOf(*representative); }
};

// Groups every goroutine of `dumps` into buckets, sorted by count descending (ties: first seen first).
// When `assignment` is given, (*assignment)[d][g] is the index of the bucket of goroutine record g of dumps[d].
// `portable` compares only what every format prints, for snapshots of different formats: the frames outside the
// runtime, without the state (debug=1 has none) and the creator (only tracebacks have one).
std::vector<Bucket> Cluster(std::span<const dump::Dump* const> dumps, Similarity similarity,
                            std::vector<std::vector<uint32_t>>* assignment = nullptr, bool portable = false);

// For each goroutine of `d`: 1 when its creating goroutine is missing from its snapshot (it has exited), 0 when
// present, -1 when that cannot be told (no creator id printed, a format without ids, a snapshot that does not list
// every goroutine: goleak's report, a dump cut short, a panic that printed one goroutine).
std::vector<int8_t> CreatorGone(const dump::Dump& d);
// For each goroutine of `d`: 1 when the goroutine that created it also created one waiting on the network (IO wait)
// in the same snapshot, and it is not that one: it works for a connection that is still open.
std::vector<uint8_t> ConnectionSiblings(const dump::Dump& d);

}  // namespace leakhound::cluster

#endif  // LEAKHOUND_CLUSTER_CLUSTER_H_
