// Leak verdicts for buckets of goroutines: a verdict is a conclusion from evidence, and names it.
//
// GatherEvidence collects what the input shows about a bucket (Evidence: proof from the runtime's leak detector,
// the wait, its time, how many, who created them and whether those creators still run, where in the stack a known
// goroutine waits, growth across snapshots when the caller has several). Decide applies the rules, in the order
// written in verdict.cc, and words the reason from the evidence that decided:
//
//   definite  proof or certainty: goroutines a Go 1.26 goroutineleak profile lists (by id: never their bucket-mates),
//             nil-channel operations, `select {}` outside main.
//   suspect   everything else that looks like a leak tops out here: growth across snapshots, creators that have all
//             exited while their goroutines still wait on a channel or lock of the program's own code, request
//             handlers parked in the program's code, many goroutines parked on one line or started one per request,
//             long waits on the sending or locking side, known library goroutines beyond one per long-lived object.
//   benign    runtime and system goroutines, idle servers and signal handlers, and whatever the user ignores.
//   active    running, runnable, in a syscall, or blocked without evidence of a leak.
//
// Each assessment names the blocking site (the top frame outside the runtime and standard library, or the top frame
// outside the runtime when the whole stack is standard library) and a one-line reason a person can act on.
#ifndef LEAKHOUND_VERDICT_VERDICT_H_
#define LEAKHOUND_VERDICT_VERDICT_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/verdict/knowledge.h"

namespace leakhound::verdict {

enum class Verdict { kDefinite, kSuspect, kBenign, kActive };
std::string_view VerdictName(Verdict v);
// Parses "definite", "suspect", "benign", "active"; false when unknown.
bool ParseVerdict(std::string_view s, Verdict* out);
// Severity order for --fail-on: definite > suspect > benign/active.
inline bool AtLeast(Verdict v, Verdict threshold) { return static_cast<int>(v) <= static_cast<int>(threshold); }

// What a goroutine is blocked on, from its wait reason or, for formats without one, from its runtime frames.
enum class BlockKind {
  kChanSend, kChanReceive, kSelect, kSelectNoCases, kNilChan, kSync, kIOWait, kSleep, kSyscall, kRunning, kIdle,
  kOther
};
BlockKind ClassifyState(std::string_view state);
// What to do about goroutines blocked this way, one line ("" for kinds that are not leak-prone).
std::string_view AdviceFor(BlockKind kind);

// Index of the blocking-site frame in `frames` (0 when every frame is runtime); frames.size() when empty.
size_t BlockingFrame(std::span<const dump::Frame> frames);
// Index of the goroutine's entry frame: the outermost frame outside the runtime (runtime.main and runtime.goexit are
// printed below main.main in some formats); frames.size() when empty.
size_t EntryFrame(std::span<const dump::Frame> frames);
// Package path of a Go function name: "net/http.(*conn).serve" -> "net/http", "main.main" -> "main".
std::string_view PackageOf(std::string_view function);
// True for packages of the Go standard library (including runtime and vendored golang.org/x in std).
bool IsStdlibPackage(std::string_view package);

struct Assessment {
  Verdict verdict = Verdict::kActive;
  int score = 0;          // 0..100: how strong the evidence behind the verdict is (100: proof)
  std::string reason;     // one line, from the evidence that decided
  size_t blocking_frame = 0;
  std::string rule;       // the rule that decided ("leak-profile", "creators-gone", ...), for reports and tests
};

// What several snapshots say about a bucket (diff, watch), filled by the caller.
struct Growth {
  size_t snapshots = 0;        // snapshots the bucket was followed over
  int64_t growth = 0;          // goroutines in the last snapshot minus the first
  bool sustained = false;      // the caller's growth test passed (steady rise, ids kept, enough of it)
  uint64_t first_ids = 0;      // goroutine ids in the first snapshot
  uint64_t stuck = 0;          // of those, still there in the last
  std::string detail;          // how it grew, for the reason: "+40 in 5 min (8/min), rising in every snapshot"
};

// Everything the verdict is decided from.
struct Evidence {
  uint64_t count = 0;
  std::string_view state;      // wait reason; empty when the format has none
  BlockKind kind = BlockKind::kOther;
  size_t blocking_frame = 0;
  bool program_wait = false;   // the blocking frame is outside the standard library (the program or a library)
  bool runtime = false;        // a goroutine of the Go runtime
  bool running = false;        // running, runnable, or stack unavailable
  bool parked = true;          // for formats without a wait reason: parked inside the runtime
  bool main_goroutine = false; // one goroutine whose entry is main.main
  bool in_handler = false;     // serving a request: an HTTP or gRPC server frame below the wait
  int32_t wait_min = -1, wait_max = -1;  // minutes; -1 when not printed
  size_t parents = 0;          // distinct creating goroutines (capped at cluster::Bucket::kMaxParents)
  uint64_t creator_known = 0;  // members whose snapshot tells whether their creator still runs
  uint64_t creator_gone = 0;   // of those, members whose creating goroutine has exited
  uint64_t connection_siblings = 0;  // members started beside a goroutine reading an open connection
  uint64_t creator_stuck = 0;  // members whose creating goroutine is itself parked with a leak verdict (suspect or
                               // definite): a parent stuck, its children waiting on it (see DecideWithCreators)
  uint64_t proven = 0;         // members a goroutineleak profile lists
  const Signature* known = nullptr;  // the knowledge entry for where they wait
  std::optional<Growth> growth;
};

Evidence GatherEvidence(const cluster::Bucket& bucket, const KnowledgeBase& knowledge = KnowledgeBase::BuiltIn());
Assessment Decide(const Evidence& evidence);

// Evidence one bucket's verdict gives another's. `evidence[i]` is bucket i's; `assignment[g]` the bucket of goroutine
// record g of `d` (the snapshot the verdicts speak of). Decides every bucket, then, for members whose creator is in
// `d` and was itself judged suspect or definite in a leak-prone wait, fills Evidence::creator_stuck and decides again,
// until nothing changes (at most a few rounds: a chain of stuck parents). Returns the assessments, aligned.
std::vector<Assessment> DecideWithCreators(std::vector<Evidence>& evidence, const dump::Dump& d,
                                           std::span<const uint32_t> assignment);

// GatherEvidence + Decide. `knowledge` names known goroutines; a project's ignores (from its .leakhound.yaml) win
// over every other rule. `growth`, when given, is what several snapshots say about the bucket.
Assessment Assess(const cluster::Bucket& bucket, const KnowledgeBase& knowledge = KnowledgeBase::BuiltIn(),
                  const Growth* growth = nullptr);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_VERDICT_H_
