#include "leakhound/verdict/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "leakhound/util/strings.h"

namespace leakhound::verdict {

using dump::Frame;
using util::StartsWith;

namespace {

// Top-level packages of the Go standard library (Go 1.13 .. 1.26).
constexpr std::array<std::string_view, 44> kStdTop = {
    "archive", "bufio",   "builtin", "bytes",  "cmp",     "compress", "container", "context", "crypto",
    "database", "debug",  "embed",   "encoding", "errors", "expvar",  "flag",      "fmt",     "go",
    "hash",    "html",    "image",   "index",  "internal", "io",      "iter",      "log",     "maps",
    "math",    "mime",    "net",     "os",     "path",    "plugin",   "reflect",   "regexp",  "runtime",
    "slices",  "sort",    "strconv", "strings", "sync",   "syscall",  "testing",   "vendor"};
constexpr std::array<std::string_view, 8> kStdTopMore = {"text", "time", "unicode", "unique", "unsafe", "weak",
                                                         "structs", "arena"};

std::string_view TopElement(std::string_view package) {
  size_t slash = package.find('/');
  return package.substr(0, slash);
}

// Packages whose frames only say how a goroutine waits, not where: skipped when a stack has no user frame.
bool IsPlumbing(std::string_view package) {
  return package == "runtime" || StartsWith(package, "runtime/internal") || StartsWith(package, "internal/") ||
         package == "sync" || package == "sync/atomic" || package == "syscall" || package == "time" ||
         package == "net" || package == "bufio" || package == "io" || package == "os" || package == "crypto/tls" ||
         StartsWith(package, "vendor/");
}

bool IsRuntimePackage(std::string_view package) {
  return package == "runtime" || StartsWith(package, "runtime/internal") || StartsWith(package, "internal/runtime");
}

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", util::WithCommas(n), n == 1 ? one : many);
}

std::string WaitText(const cluster::Bucket& b) {
  if (b.wait_min < 0) return "";
  if (b.wait_min == b.wait_max) return fmt::format(" for {} min", b.wait_min);
  return fmt::format(" for {}-{} min", b.wait_min, b.wait_max);
}

struct Hint {
  int base;
  std::string_view fix;
};

Hint HintFor(BlockKind kind) {
  switch (kind) {
    case BlockKind::kChanSend:
      return {50, "no receiver left (it timed out, was cancelled or returned early): give the channel a buffer "
                  "(make(chan T, 1)) or select on ctx.Done()"};
    case BlockKind::kChanReceive:
      return {45, "nothing sends or closes: close the channel when the producer is done, or select on ctx.Done()"};
    case BlockKind::kSelect:
      return {40, "no case can proceed: add a ctx.Done() or done-channel case"};
    case BlockKind::kSync:
      return {45, "a lock or WaitGroup that is never released: look for an Unlock/Done missed on some path"};
    case BlockKind::kIOWait:
      return {15, "blocked reading or writing a connection: set deadlines or close it when done"};
    case BlockKind::kOther:
      return {40, "parked on the same line: if the count grows between snapshots, nothing wakes them"};
    default:
      return {0, ""};
  }
}

// Many goroutines parked on one line is the commonest shape of a leak; a handful is the commonest shape of a pool.
int SizeScore(uint64_t n) {
  if (n >= 5000) return 40;
  if (n >= 500) return 30;
  if (n >= 50) return 20;
  if (n >= 10) return 5;
  return 0;
}

int WaitScore(int32_t minutes) {
  if (minutes >= 60) return 15;
  if (minutes >= 10) return 10;
  if (minutes >= 1) return 5;
  return 0;
}

constexpr int kSuspectScore = 60;

}  // namespace

std::string_view AdviceFor(BlockKind kind) {
  if (kind == BlockKind::kNilChan) return "make the channel before using it";
  if (kind == BlockKind::kSelectNoCases) return "select {} never returns: give the goroutine a way to end";
  return HintFor(kind).fix;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kDefinite: return "definite";
    case Verdict::kSuspect: return "suspect";
    case Verdict::kBenign: return "benign";
    case Verdict::kActive: return "active";
  }
  return "active";
}

bool ParseVerdict(std::string_view s, Verdict* out) {
  for (Verdict v : {Verdict::kDefinite, Verdict::kSuspect, Verdict::kBenign, Verdict::kActive}) {
    if (s == VerdictName(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

BlockKind ClassifyState(std::string_view s) {
  if (s.find("(nil chan)") != std::string_view::npos) return BlockKind::kNilChan;
  if (StartsWith(s, "chan send")) return BlockKind::kChanSend;
  if (StartsWith(s, "chan receive")) return BlockKind::kChanReceive;
  if (StartsWith(s, "select (no cases)")) return BlockKind::kSelectNoCases;
  if (StartsWith(s, "select")) return BlockKind::kSelect;
  if (StartsWith(s, "sync.") || StartsWith(s, "semacquire")) return BlockKind::kSync;
  if (s == "IO wait") return BlockKind::kIOWait;
  if (s == "sleep") return BlockKind::kSleep;
  if (s == "syscall") return BlockKind::kSyscall;
  if (s == "running" || s == "runnable" || s == "preempted" || s == "copystack" || s == "dead") {
    return BlockKind::kRunning;
  }
  if (s.find("(idle)") != std::string_view::npos || s == "idle" || s == "finalizer wait" ||
      StartsWith(s, "GC ") || s == "wait for GC cycle" || s == "cleanup wait" || s == "trace reader (blocked)" ||
      s == "debug call" || s == "force gc (idle)" || s == "garbage collection" || s == "dumping heap" ||
      s == "panicwait" || s == "stopping the world") {
    return BlockKind::kIdle;
  }
  return BlockKind::kOther;
}

std::string_view PackageOf(std::string_view function) {
  size_t slash = function.rfind('/');
  size_t start = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = function.find('.', start);
  if (dot == std::string_view::npos) return function;
  return function.substr(0, dot);
}

bool IsStdlibPackage(std::string_view package) {
  std::string_view top = TopElement(package);
  if (top.find('.') != std::string_view::npos) return false;
  return std::find(kStdTop.begin(), kStdTop.end(), top) != kStdTop.end() ||
         std::find(kStdTopMore.begin(), kStdTopMore.end(), top) != kStdTopMore.end();
}

size_t BlockingFrame(std::span<const Frame> frames) {
  if (frames.empty()) return 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    std::string_view fn = frames[i].function;
    if (fn == "non-Go function" || fn == "panic") continue;
    if (!IsStdlibPackage(PackageOf(fn))) return i;
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!IsPlumbing(PackageOf(frames[i].function))) return i;
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!IsRuntimePackage(PackageOf(frames[i].function))) return i;
  }
  return 0;
}

size_t EntryFrame(std::span<const Frame> frames) {
  for (size_t i = frames.size(); i > 0; --i) {
    if (!IsRuntimePackage(PackageOf(frames[i - 1].function))) return i - 1;
  }
  return frames.empty() ? 0 : frames.size() - 1;
}

Assessment Assess(const cluster::Bucket& b, const KnowledgeBase& knowledge) {
  Assessment a;
  std::span<const Frame> frames = b.frames();
  const dump::Goroutine& rep = *b.representative;
  a.blocking_frame = BlockingFrame(frames);
  std::string_view state = b.state();
  BlockKind kind = ClassifyState(state);
  std::string_view top_fn = frames.empty() ? std::string_view() : frames[a.blocking_frame].function;
  const std::string n_text = Plural(b.count, "goroutine", "goroutines");
  const Signature* known = knowledge.Match(frames, a.blocking_frame, state, rep.created_by.function);

  // The project's own ignores win: the user knows these goroutines.
  if (known != nullptr && known->category == Category::kBenign && util::StartsWith(known->id, "ignore:")) {
    a.verdict = Verdict::kBenign;
    a.reason = known->explanation;
    return a;
  }

  if (b.leaked > 0) {
    a.verdict = Verdict::kDefinite;
    a.score = 100;
    a.reason = fmt::format("{} reported leaked by the Go runtime's leak detector (unreachable, can never wake)",
                           n_text);
    return a;
  }
  if (kind == BlockKind::kNilChan) {
    a.verdict = Verdict::kDefinite;
    a.score = 100;
    a.reason = fmt::format("{} blocked forever on a nil channel: make the channel before using it", n_text);
    return a;
  }
  if (kind == BlockKind::kSelectNoCases) {
    if (top_fn == "main.main") {
      a.verdict = Verdict::kBenign;
      a.reason = "main blocks forever on select {} by design";
      return a;
    }
    a.verdict = Verdict::kDefinite;
    a.score = 100;
    a.reason = fmt::format("{} blocked forever in select {{}} (no cases)", n_text);
    return a;
  }

  // Runtime and system goroutines.
  bool all_runtime = !frames.empty() && std::all_of(frames.begin(), frames.end(), [](const Frame& f) {
    return IsRuntimePackage(PackageOf(f.function));
  });
  bool runtime_created = !rep.created_by.function.empty() && IsRuntimePackage(PackageOf(rep.created_by.function));
  if (kind == BlockKind::kIdle || all_runtime || runtime_created) {
    a.verdict = Verdict::kBenign;
    a.reason = "Go runtime goroutine";
    return a;
  }
  if (kind == BlockKind::kRunning || rep.has(dump::kStackUnavailable)) {
    a.verdict = Verdict::kActive;
    a.reason = "running";
    return a;
  }
  if (known != nullptr) {
    // A stack of standard library only: the known frame says more than the first non-plumbing one.
    if (known->match == Signature::Match::kAny && IsStdlibPackage(PackageOf(frames[a.blocking_frame].function))) {
      for (size_t i = 0; i < frames.size(); ++i) {
        if (StartsWith(frames[i].function, known->prefix)) {
          a.blocking_frame = i;
          break;
        }
      }
    }
    switch (known->category) {
      case Category::kBenign:
        a.verdict = Verdict::kBenign;
        a.reason = known->explanation;
        return a;
      case Category::kIdleResource:
        if (b.count > known->max) {
          a.verdict = Verdict::kSuspect;
          a.score = std::min(100, 50 + SizeScore(b.count) + WaitScore(b.wait_min));
          a.reason = fmt::format("{}: {}, more than the {} a healthy program keeps; {}", n_text, known->explanation,
                                 known->max, known->fix);
        } else {
          a.verdict = Verdict::kBenign;
          a.reason = known->explanation;
        }
        return a;
      case Category::kKnownLeak:
        a.verdict = Verdict::kSuspect;
        a.score = std::min(100, 70 + SizeScore(b.count));
        a.reason = fmt::format("{}: {}; {}", n_text, known->explanation, known->fix);
        return a;
    }
  }
  // The main goroutine waiting for its program to end.
  if (b.count == 1 && !frames.empty() && frames[EntryFrame(frames)].function == "main.main") {
    a.verdict = Verdict::kBenign;
    a.reason = fmt::format("main goroutine ({})", state.empty() ? "waiting" : state);
    return a;
  }
  if (kind == BlockKind::kRunning || kind == BlockKind::kSyscall || rep.has(dump::kStackUnavailable)) {
    a.verdict = Verdict::kActive;
    a.reason = kind == BlockKind::kSyscall ? "in a system call" : "running";
    return a;
  }
  if (state.empty()) {
    // Profiles without wait reasons: parked inside the runtime (hidden or visible gopark) or running.
    bool parked = rep.has(dump::kParked) ||
                  (!frames.empty() && StartsWith(frames[0].function, "runtime.gopark"));
    if (!parked) {
      a.verdict = Verdict::kActive;
      a.reason = "running (the input gives no wait reason and the stack is not parked)";
      return a;
    }
  }
  if (kind == BlockKind::kSleep) {
    // Many goroutines sleeping on one line, started per request: a retry loop that nothing bounds.
    if (b.count >= 50 && b.parents.size() >= 5) {
      a.verdict = Verdict::kSuspect;
      a.score = std::min(100, 45 + SizeScore(b.count) + WaitScore(b.wait_min));
      a.reason = fmt::format("{} sleeping on the same line, started by {}{} different goroutines: a retry loop without "
                             "a deadline? bound it with a context deadline and select on ctx.Done() instead of "
                             "time.Sleep",
                             n_text, b.parents.size() >= cluster::Bucket::kMaxParents ? "≥" : "", b.parents.size());
      return a;
    }
    a.verdict = Verdict::kActive;
    a.reason = fmt::format("{} sleeping (time.Sleep){}", n_text, WaitText(b));
    return a;
  }

  Hint hint = HintFor(kind);
  int size = SizeScore(b.count);
  int wait = WaitScore(b.wait_min);
  // Goroutines of one stack started by many different goroutines are started per request or per event, and are
  // still parked: the signature of a leak. A pool is started by one goroutine.
  int spread = b.parents.size() >= 5 && b.count >= 20 ? 15 : 0;
  a.score = std::min(100, hint.base + size + wait + spread);
  std::string what = state.empty() ? fmt::format("{} on the same stack (the input does not say what they wait on)", n_text)
                                    : fmt::format("{} in {}", n_text, state);
  what += WaitText(b);
  if (spread > 0) {
    what += fmt::format(", started by {}{} different goroutines", b.parents.size() >= cluster::Bucket::kMaxParents ? "≥" : "",
                        b.parents.size());
  }
  if (a.score >= kSuspectScore) {
    a.verdict = Verdict::kSuspect;
    a.reason = fmt::format("{}: {}", what, hint.fix);
  } else {
    a.verdict = Verdict::kActive;
    a.reason = fmt::format("{}: few and not waiting long; normal unless it grows (compare snapshots)", what);
  }
  return a;
}

}  // namespace leakhound::verdict
