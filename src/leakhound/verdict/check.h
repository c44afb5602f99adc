// The analysis behind `leakhound check`, the CI gate: the leaked goroutines of one or more `go test` runs, clustered
// across the whole run (one bucket for the same leak seen in 40 tests, listing the tests), compared with a baseline
// of accepted leaks so that a team can adopt the gate on a codebase that already leaks.
//
// A goroutine is a leak when goleak reported it, or when a timeout/SIGQUIT dump shows it definite or suspect, or
// parked in a channel, select or sync wait inside the project's own code. The same goroutine reported by several
// tests of one package run (goleak in parallel tests) counts once. The Check points into the Runs, which must
// outlive it.
#ifndef LEAKHOUND_VERDICT_CHECK_H_
#define LEAKHOUND_VERDICT_CHECK_H_

#include <set>
#include <span>
#include <string>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/gotest/test_output.h"
#include "leakhound/util/status.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

struct CheckOptions {
  const KnowledgeBase* knowledge = nullptr;  // nullptr: the built-in one
  std::set<std::string> baseline;            // keys of accepted leak buckets
};

struct CheckBucket {
  cluster::Bucket bucket;        // count = distinct leaked goroutines
  Assessment assessment;
  std::string key;               // stable across runs and line-number changes: functions of the stack and creator
  std::vector<std::string> tests;  // "package.TestX" (or the package alone), sorted
  bool in_baseline = false;
};

struct Check {
  std::vector<std::string> sources;
  std::vector<dump::Diagnostic> diagnostics;  // of all sources, prefixed with the source name in the message
  uint64_t leaked = 0;                        // distinct leaked goroutines
  size_t new_buckets = 0;                     // not in the baseline
  std::vector<CheckBucket> buckets;           // new first, then by count
};

util::Result<Check> CheckRuns(std::span<const gotest::Run> runs, const CheckOptions& options);

// The baseline file: {"schema": "leakhound.baseline/v1", "buckets": [{"key", "blocking", "state", "tests"}]}.
std::string WriteBaseline(const Check& check);
util::Result<std::set<std::string>> ReadBaseline(const std::string& path);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_CHECK_H_
