// Leak verdicts for buckets of goroutines.
//
//   definite  the goroutines can never wake: nil-channel operations, `select {}` outside main, goroutines a Go 1.26
//             goroutineleak profile lists.
//   suspect   blocked in a leak-prone way (channel, select, sync) and scored high enough on the evidence one
//             snapshot gives: the blocking kind, how long they waited, how many share the stack.
//   benign    runtime and system goroutines, idle servers and signal handlers, and whatever the user ignores.
//   active    running, runnable, in a syscall, or blocked in a way that does not look like a leak.
//
// Each assessment names the blocking site (the top frame outside the runtime and standard library, or the top frame
// outside the runtime when the whole stack is standard library) and a one-line reason a person can act on.
#ifndef LEAKHOUND_VERDICT_VERDICT_H_
#define LEAKHOUND_VERDICT_VERDICT_H_

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
  int score = 0;          // 0..100, meaningful for suspects
  std::string reason;     // one line
  size_t blocking_frame = 0;
};

// `knowledge` names known goroutines; a project's ignores (from its .leakhound.yaml) win over every other rule.
Assessment Assess(const cluster::Bucket& bucket, const KnowledgeBase& knowledge = KnowledgeBase::BuiltIn());

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_VERDICT_H_
