#include "leakhound/verdict/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "leakhound/util/strings.h"

namespace leakhound::verdict {

namespace {

bool IsRuntimeFunction(std::string_view fn) {
  return util::StartsWith(fn, "runtime.") || util::StartsWith(fn, "internal/runtime/");
}

// Functions of the stack outside the runtime, then the creator: what survives edits elsewhere in the file.
std::string StableKey(const cluster::Bucket& b) {
  uint64_t h = util::HashBytes(b.state().substr(0, b.state().find(" (")));
  for (const dump::Frame& f : b.frames()) {
    if (!IsRuntimeFunction(f.function)) h = util::HashCombine(h, util::HashBytes(f.function));
  }
  h = util::HashCombine(h, util::HashBytes(b.representative->created_by.function));
  return fmt::format("{:016x}", h);
}

bool IsLeak(const gotest::Owner& owner, const cluster::Bucket& b, const Assessment& a) {
  // goleak's own retry loop, seen by a parallel test's report: not a leak of the code under test.
  for (const dump::Frame& f : b.frames()) {
    if (util::StartsWith(f.function, "go.uber.org/goleak.")) return false;
  }
  if (owner.origin == gotest::Origin::kGoleak) return true;
  // Still running after every test of its package ended and the goroutines settled: a leak unless known benign.
  if (owner.origin == gotest::Origin::kAfterTests) return a.verdict != Verdict::kBenign;
  if (a.verdict == Verdict::kDefinite || a.verdict == Verdict::kSuspect) return true;
  if (a.verdict == Verdict::kBenign) return false;
  // A timeout dump: a goroutine parked in a leak-prone wait in the project's own code.
  BlockKind kind = ClassifyState(b.state());
  bool prone = kind == BlockKind::kChanSend || kind == BlockKind::kChanReceive || kind == BlockKind::kSelect ||
               kind == BlockKind::kSync || kind == BlockKind::kNilChan || kind == BlockKind::kSelectNoCases;
  auto frames = b.frames();
  return prone && !frames.empty() && !IsStdlibPackage(PackageOf(frames[a.blocking_frame].function));
}

}  // namespace

util::Result<Check> CheckRuns(std::span<const gotest::Run> runs, const CheckOptions& options) {
  const KnowledgeBase& kb = options.knowledge ? *options.knowledge : KnowledgeBase::BuiltIn();
  Check out;
  std::vector<const dump::Dump*> ptrs;
  for (const gotest::Run& r : runs) {
    ptrs.push_back(&r.dump);
    out.sources.push_back(r.dump.name);
    for (const dump::Diagnostic& d : r.dump.diagnostics) {
      out.diagnostics.push_back(dump::Diagnostic{d.line, r.dump.name + ": " + d.message, d.excerpt});
    }
  }
  // Similarity: functions and lines, without the state's decorations; the creator counts.
  std::vector<std::vector<uint32_t>> assignment;
  std::vector<cluster::Bucket> buckets = cluster::Cluster(ptrs, cluster::Similarity::kLine, &assignment);

  struct Acc {
    std::unordered_set<std::string> goroutines;  // "source/package/id" or "source/line" when no id
    std::set<std::string> tests;
    bool leak = false;
    bool goleak = false;  // at least one member came from a goleak report
    bool after = false;   // ... from leakhound test's report after the tests
    uint64_t asleep = 0;  // goroutines asleep in the program's code in the timeout dumps its members came from
  };
  // Goroutines asleep (time.Sleep) in the program's own code, per timeout dump (run, snapshot): a test that was
  // still sleeping when it timed out may have been slow, not stuck, and the goroutines waiting on it with it.
  std::map<std::pair<size_t, uint32_t>, uint64_t> sleepers;
  for (size_t ri = 0; ri < runs.size(); ++ri) {
    const gotest::Run& run = runs[ri];
    for (size_t gi = 0; gi < run.dump.goroutines.size(); ++gi) {
      const dump::Goroutine& g = run.dump.goroutines[gi];
      if (run.owners[gi].origin != gotest::Origin::kTimeout || ClassifyState(g.state) != BlockKind::kSleep) continue;
      for (const dump::Frame& f : run.dump.FramesOf(g)) {
        if (!IsRuntimeFunction(f.function) && !IsStdlibPackage(PackageOf(f.function))) {
          sleepers[{ri, g.snapshot}] += g.count;
          break;
        }
      }
    }
  }
  std::vector<Acc> acc(buckets.size());
  std::vector<Assessment> assessed(buckets.size());
  std::vector<bool> done(buckets.size(), false);
  for (size_t ri = 0; ri < runs.size(); ++ri) {
    const gotest::Run& run = runs[ri];
    for (size_t gi = 0; gi < run.dump.goroutines.size(); ++gi) {
      uint32_t bi = assignment[ri][gi];
      if (!done[bi]) {
        assessed[bi] = Assess(buckets[bi], kb);
        done[bi] = true;
      }
      const gotest::Owner& owner = run.owners[gi];
      if (!IsLeak(owner, buckets[bi], assessed[bi])) continue;
      const dump::Goroutine& g = run.dump.goroutines[gi];
      std::string who = g.id != 0 ? fmt::format("{}/{}/{}/{}", ri, owner.package, g.snapshot, g.id)
                                  : fmt::format("{}/line{}", ri, g.line);
      // goleak lists a goroutine once per test that sees it: the same id in one package run is one goroutine.
      if (owner.origin == gotest::Origin::kGoleak && g.id != 0) who = fmt::format("{}/{}/{}", ri, owner.package, g.id);
      acc[bi].goroutines.insert(who);
      std::string test = owner.package.empty() ? owner.test
                         : owner.test.empty()  ? owner.package
                                               : owner.package + "." + owner.test;
      if (!test.empty()) acc[bi].tests.insert(test);
      acc[bi].leak = true;
      acc[bi].goleak = acc[bi].goleak || owner.origin == gotest::Origin::kGoleak;
      acc[bi].after = acc[bi].after || owner.origin == gotest::Origin::kAfterTests;
      if (owner.origin == gotest::Origin::kTimeout) {
        auto it = sleepers.find({ri, g.snapshot});
        if (it != sleepers.end()) acc[bi].asleep = std::max(acc[bi].asleep, it->second);
      }
    }
  }
  std::map<std::string, size_t> by_key;
  for (size_t bi = 0; bi < buckets.size(); ++bi) {
    if (!acc[bi].leak) continue;
    CheckBucket cb;
    cb.bucket = std::move(buckets[bi]);
    cb.bucket.count = acc[bi].goroutines.size();
    cb.assessment = Assess(cb.bucket, kb);
    if (cb.assessment.verdict != Verdict::kDefinite) {
      cb.assessment.verdict = Verdict::kSuspect;
      cb.assessment.score = std::max(cb.assessment.score, 60);
      cb.assessment.rule = acc[bi].after ? "after-tests" : acc[bi].goleak ? "goleak" : "test-timeout";
      std::string_view advice = AdviceFor(ClassifyState(cb.bucket.state()));
      // A timeout dump catches goroutines whose counterpart may still have been on its way (asleep, busy): the
      // advice is a hypothesis there. goleak retried until the test's goroutines settled: its report is the fact.
      const bool settled = acc[bi].after || acc[bi].goleak;
      cb.assessment.reason = fmt::format(
          "{}{}{}",
          acc[bi].after
              ? (ClassifyState(cb.bucket.state()) == BlockKind::kRunning
                     ? "still busy (running, not blocked: a loop that never ends?) after every test of its package "
                       "had ended and the rest had settled"
                     : "still running after every test of its package had ended and the rest had settled")
          : acc[bi].goleak ? "still running after its test ended (goleak's report)"
                           : "still blocked when the test binary timed out",
          advice.empty() ? "" : (settled ? ": " : "; if it was stuck: "), advice);
      if (!settled && acc[bi].asleep > 0) {
        cb.assessment.reason += fmt::format(
            "; but {} goroutine{} of the same test binary {} asleep in the program's code (time.Sleep) when it timed "
            "out: the test may have been slow rather than stuck (a longer -timeout tells)",
            acc[bi].asleep, acc[bi].asleep == 1 ? "" : "s", acc[bi].asleep == 1 ? "was" : "were");
      }
    }
    cb.key = StableKey(cb.bucket);
    cb.tests.assign(acc[bi].tests.begin(), acc[bi].tests.end());
    cb.in_baseline = options.baseline.count(cb.key) > 0;
    out.leaked += cb.bucket.count;
    // The key leaves out lines and proof: the same leak started from two lines, or proven for some of its goroutines
    // and not others, is one bucket of the report (the proven part's verdict and reason lead).
    auto [it, fresh] = by_key.emplace(cb.key, out.buckets.size());
    if (fresh) {
      if (!cb.in_baseline) ++out.new_buckets;
      out.buckets.push_back(std::move(cb));
      continue;
    }
    CheckBucket& kept = out.buckets[it->second];
    const uint64_t count = kept.bucket.count + cb.bucket.count;
    std::set<std::string> tests(kept.tests.begin(), kept.tests.end());
    tests.insert(cb.tests.begin(), cb.tests.end());
    if (cb.assessment.verdict == Verdict::kDefinite && kept.assessment.verdict != Verdict::kDefinite) {
      kept.bucket = std::move(cb.bucket);
      kept.assessment = std::move(cb.assessment);
    }
    kept.bucket.count = count;
    kept.tests.assign(tests.begin(), tests.end());
  }
  std::stable_sort(out.buckets.begin(), out.buckets.end(), [](const CheckBucket& a, const CheckBucket& b) {
    if (a.in_baseline != b.in_baseline) return !a.in_baseline;
    return a.bucket.count > b.bucket.count;
  });
  return out;
}

std::string WriteBaseline(const Check& check) {
  nlohmann::ordered_json root;
  root["schema"] = "leakhound.baseline/v1";
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  for (const CheckBucket& b : check.buckets) {
    auto frames = b.bucket.frames();
    buckets.push_back(nlohmann::ordered_json{
        {"key", b.key},
        {"blocking", frames.empty() ? std::string() : std::string(frames[b.assessment.blocking_frame].function)},
        {"state", std::string(b.bucket.state())},
        {"tests", b.tests}});
  }
  root["buckets"] = std::move(buckets);
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

util::Result<std::set<std::string>> ReadBaseline(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return util::Status::IOError(path + ": cannot read the baseline");
  std::stringstream ss;
  ss << f.rdbuf();
  nlohmann::json root = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object() || root.value("schema", "") != "leakhound.baseline/v1" ||
      !root.contains("buckets") || !root["buckets"].is_array()) {
    return util::Status::Corruption(path + ": not a leakhound baseline (schema leakhound.baseline/v1)");
  }
  std::set<std::string> keys;
  for (const auto& b : root["buckets"]) {
    if (b.is_object() && b.contains("key") && b["key"].is_string()) keys.insert(b["key"].get<std::string>());
  }
  return keys;
}

}  // namespace leakhound::verdict
