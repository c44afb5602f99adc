#include "leakhound/verdict/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>

#include "leakhound/util/strings.h"
#include "leakhound/verdict/trend.h"

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


// What to do about goroutines blocked this way ("" for kinds that are not leak-prone).
std::string_view FixFor(BlockKind kind) {
  switch (kind) {
    case BlockKind::kChanSend:
      return "no receiver left (it timed out, was cancelled or returned early): give the channel a buffer slot "
             "for every sender (make(chan T, 1) for one, make(chan T, n) for n goroutines started in a loop) or "
             "select on ctx.Done()";
    case BlockKind::kChanReceive:
      return "nothing sends or closes: close the channel when the producer is done, or select on ctx.Done() (a "
             "time.Ticker's or Timer's C is never closed: Stop it and select on ctx.Done() or a done channel)";
    case BlockKind::kSelect:
      return "no case can proceed: add a ctx.Done() or done-channel case";
    case BlockKind::kSync:
      return "a lock or WaitGroup that is never released: look for an Unlock/Done missed on some path";
    case BlockKind::kIOWait:
      return "blocked reading or writing a connection: set deadlines or close it when done";
    case BlockKind::kOther:
      return "parked on the same line: if the count grows between snapshots, nothing wakes them";
    default:
      return "";
  }
}

}  // namespace

std::string_view AdviceFor(BlockKind kind) {
  if (kind == BlockKind::kNilChan) return "make the channel before using it";
  if (kind == BlockKind::kSelectNoCases) return "select {} never returns: give the goroutine a way to end";
  return FixFor(kind);
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

namespace {

// Frames that serve one request: a goroutine waiting above one of them holds a request (and its connection).
constexpr std::array<std::string_view, 6> kHandlerFrames = {
    "net/http.(*conn).serve",
    "net/http.(*http2serverConn).runHandler",
    "golang.org/x/net/http2.(*serverConn).runHandler",
    "google.golang.org/grpc.(*Server).processUnaryRPC",
    "google.golang.org/grpc.(*Server).processStreamingRPC",
    "google.golang.org/grpc.(*Server).handleStream",
};

bool IsHandlerFrame(std::string_view fn) {
  return std::any_of(kHandlerFrames.begin(), kHandlerFrames.end(),
                     [&](std::string_view h) { return StartsWith(fn, h); });
}

// The side of a wait: a sender or a lock waits on someone who should be quick, a receiver may wait for work.
bool WaitsOnOthersToFinish(const Evidence& e) {
  return e.kind == BlockKind::kChanSend ||
         (e.kind == BlockKind::kSync && (e.state.find("Mutex") != std::string_view::npos ||
                                         StartsWith(e.state, "semacquire")));
}

bool LeakProne(BlockKind kind) {
  return kind == BlockKind::kChanSend || kind == BlockKind::kChanReceive || kind == BlockKind::kSelect ||
         kind == BlockKind::kSync || kind == BlockKind::kOther;
}

std::string ParentsText(const Evidence& e) {
  return fmt::format("{}{}", e.parents >= cluster::Bucket::kMaxParents ? "≥" : "", e.parents);
}

std::string WaitText(const Evidence& e) {
  if (e.wait_min < 0) return "";
  if (e.wait_min == e.wait_max) return fmt::format(" for {} min", e.wait_min);
  return fmt::format(" for {}-{} min", e.wait_min, e.wait_max);
}

// "60 goroutines in chan send for 3-12 min", "4 goroutines on the same stack (the input does not say what they wait on)"
std::string WhatText(const Evidence& e) {
  std::string n = Plural(e.count, "goroutine", "goroutines");
  if (e.state.empty()) return n + " on the same stack (the input does not say what they wait on)" + WaitText(e);
  return fmt::format("{} in {}{}", n, e.state, WaitText(e));
}

// Rule thresholds. Each is a fact about Go programs, not a tuning knob: see the comments at their use.
constexpr uint64_t kManyOnOneLine = 50;
constexpr int32_t kLongSendOrLockMinutes = 10;
constexpr int32_t kLongReceiveMinutes = 60;
constexpr uint64_t kHandlerCount = 10;
constexpr int32_t kHandlerMinutes = 5;

Assessment Make(Verdict v, int score, std::string rule, std::string reason) {
  Assessment a;
  a.verdict = v;
  a.score = score;
  a.rule = std::move(rule);
  a.reason = std::move(reason);
  return a;
}

Assessment DecideRules(const Evidence& e) {
  const std::string n_text = Plural(e.count, "goroutine", "goroutines");
  const Signature* known = e.known;

  // 1. The project's own ignores win: the user knows these goroutines.
  if (known != nullptr && known->category == Category::kBenign && StartsWith(known->id, "ignore:")) {
    return Make(Verdict::kBenign, 0, "ignored", known->explanation);
  }
  // 2. Proof: the runtime's leak detector lists these goroutines (by id; their bucket holds only listed ones).
  if (e.proven > 0) {
    return Make(Verdict::kDefinite, 100, "leak-profile",
                fmt::format("{} proven leaked by the Go runtime's leak detector (blocked on something no running "
                            "goroutine can reach: can never wake){}{}",
                            n_text, e.state.empty() ? "" : "; ", AdviceFor(e.kind)));
  }
  // 3. Certainty from the wait itself.
  if (e.kind == BlockKind::kNilChan) {
    return Make(Verdict::kDefinite, 100, "nil-channel",
                fmt::format("{} blocked forever on a nil channel: make the channel before using it", n_text));
  }
  if (e.kind == BlockKind::kSelectNoCases) {
    if (e.main_goroutine) return Make(Verdict::kBenign, 0, "main", "main blocks forever on select {} by design");
    return Make(Verdict::kDefinite, 100, "select-no-cases",
                fmt::format("{} blocked forever in select {{}} (no cases): give the goroutine a way to end", n_text));
  }
  // 4. Not waiting at all, or the runtime's own.
  if (e.runtime) return Make(Verdict::kBenign, 0, "runtime", "Go runtime goroutine");
  if (e.running) return Make(Verdict::kActive, 0, "running", "running");

  // 5. Growth across snapshots outranks everything below, built-in knowledge included.
  if (e.growth && e.growth->sustained && CanLeak(e.kind)) {
    std::string about = known != nullptr ? fmt::format("{} ({})", known->explanation, n_text) : WhatText(e);
    std::string_view fix = known != nullptr && !known->fix.empty() ? std::string_view(known->fix) : AdviceFor(e.kind);
    int stuck = e.growth->first_ids > 0
                    ? static_cast<int>(20.0 * static_cast<double>(e.growth->stuck) /
                                       static_cast<double>(e.growth->first_ids))
                    : 0;
    return Make(Verdict::kSuspect, std::min(95, 75 + stuck), "growth",
                fmt::format("grew {}: {}{}{}", e.growth->detail, about, fix.empty() ? "" : "; ", fix));
  }

  // 6. Known goroutines, matched where they wait.
  if (known != nullptr) {
    switch (known->category) {
      case Category::kBenign:
        return Make(Verdict::kBenign, 0, "known:" + known->id, known->explanation);
      case Category::kIdleResource: {
        std::string objects;
        if (known->per > 0) {
          objects = fmt::format(" (≈{} {})", util::WithCommas((e.count + known->per - 1) / known->per),
                                (e.count + known->per - 1) / known->per == 1 ? known->object : known->objects);
        }
        if (e.count > known->max) {
          return Make(Verdict::kSuspect, 75, "known-too-many:" + known->id,
                      fmt::format("{}{}: {}, more than the {} a healthy program keeps; {}", n_text, objects,
                                  known->explanation, known->max, known->fix));
        }
        if (known->max_wait > 0 && e.wait_min >= known->max_wait) {
          return Make(Verdict::kSuspect, 70, "known-too-long:" + known->id,
                      fmt::format("{}{}: {}{}, longer than the {} min a healthy one takes; {}", n_text, objects,
                                  known->explanation, WaitText(e), known->max_wait, known->fix));
        }
        return Make(Verdict::kBenign, 0, "known:" + known->id,
                    fmt::format("{}{}", known->explanation, objects));
      }
      case Category::kKnownLeak:
        return Make(Verdict::kSuspect, 85, "known-leak:" + known->id,
                    fmt::format("{}: {}; {}", n_text, known->explanation, known->fix));
    }
  }

  // 7. The main goroutine waiting for its program to end.
  if (e.main_goroutine) {
    return Make(Verdict::kBenign, 0, "main", fmt::format("main goroutine ({})", e.state.empty() ? "waiting" : e.state));
  }
  if (e.kind == BlockKind::kSyscall) return Make(Verdict::kActive, 0, "syscall", "in a system call");
  if (e.state.empty() && !e.parked) {
    return Make(Verdict::kActive, 0, "running", "running (the input gives no wait reason and the stack is not parked)");
  }

  // 8. Sleepers: a retry loop started per request that nothing bounds.
  if (e.kind == BlockKind::kSleep) {
    if (e.count >= kManyOnOneLine && e.parents >= 5) {
      return Make(Verdict::kSuspect, 70, "sleepers-per-request",
                  fmt::format("{} sleeping on the same line, started by {} different goroutines: a retry loop without "
                              "a deadline? bound it with a context deadline and select on ctx.Done() instead of "
                              "time.Sleep",
                              n_text, ParentsText(e)));
    }
    return Make(Verdict::kActive, 0, "sleeping", fmt::format("{} sleeping (time.Sleep){}", n_text, WaitText(e)));
  }

  // 9. Parked in a leak-prone wait (channel, select, sync, or a parked stack whose wait the input hides).
  if (LeakProne(e.kind)) {
    const std::string what = WhatText(e);
    const std::string_view fix = AdviceFor(e.kind);
    const bool creators_gone = e.creator_known == e.count && e.creator_gone == e.count && e.count > 0;
    // Every creator has exited or is itself stuck (a parent parked with a leak verdict of its own).
    const bool creators_stuck = !creators_gone && e.creator_stuck > 0 && e.creator_known == e.count &&
                                e.creator_gone + e.creator_stuck >= e.count;
    // Per-connection workers (a writer loop beside the reader of a connection that is still open, both started by
    // one goroutine per connection: each has its own creator, which also started a goroutine waiting on the network)
    // outlive their creator by design: while their connection is open, neither their number of creators nor the
    // creators' exit is evidence.
    const bool per_connection = e.count >= 2 && e.connection_siblings == e.count &&
                                e.parents == std::min<uint64_t>(e.count, cluster::Bucket::kMaxParents);
    // 9a. One per request or event: many goroutines of one stack started by many different goroutines. A pool is
    // started by one goroutine.
    if (e.count >= 20 && e.parents >= 5 && !per_connection) {
      return Make(Verdict::kSuspect, creators_gone ? 80 : 75, "one-per-request",
                  fmt::format("{}, started by {} different goroutines (one per request or event){}: {}", what,
                              ParentsText(e), creators_gone ? " that have all exited" : "", fix));
    }
    // 9b. Everyone who started them has exited, and they wait in code outside the standard library (the runtime's
    // and the standard library's own workers are matched above): whatever was to complete the wait lived in the
    // creators' frames, unless it was handed on. A worker meant to outlive its creator waits for work in a select or
    // a receive too, which is why this tops out at suspect.
    if (e.program_wait && creators_gone && !per_connection) {
      return Make(Verdict::kSuspect, 70, "creators-gone",
                  fmt::format("{}, and {} that created them {} exited: nothing is left to complete the wait unless "
                              "it was handed on; {}",
                              what, e.parents <= 1 ? "the goroutine" : "every goroutine", e.parents <= 1 ? "has" : "have",
                              fix));
    }
    // 9b'. The same when the creators that did not exit are stuck themselves: whatever they were to do for their
    // children (send, close, Done, Unlock) is not going to happen while they wait.
    if (e.program_wait && creators_stuck && !per_connection) {
      return Make(Verdict::kSuspect, 65, "creator-stuck",
                  fmt::format("{}, and {}: whatever their creators were to do for them (send, close, Done, Unlock) "
                              "will not happen; {}",
                              what,
                              e.parents <= 1 ? "the goroutine that created them is itself stuck in a leak-prone wait"
                                             : "the goroutines that created them are stuck themselves or have exited",
                              fix));
    }
    // 9c. Request handlers parked in the program's code: each holds a request and its connection.
    if (e.in_handler && e.program_wait && (e.count >= kHandlerCount || e.wait_min >= kHandlerMinutes)) {
      return Make(Verdict::kSuspect, 75, "handler-parked",
                  fmt::format("{}, each inside a request handler: the requests never finish and hold their "
                              "connections; {}",
                              what, fix));
    }
    // 9d. Many parked on one line: the commonest shape of a leak.
    if (e.count >= kManyOnOneLine) {
      return Make(Verdict::kSuspect, 65, "many-on-one-line", fmt::format("{}: {}", what, fix));
    }
    // 9e. Long waits: a sender or a lock waits on someone who should be quick; a receiver may wait for work, but not
    // for hours in numbers.
    if (WaitsOnOthersToFinish(e) && e.wait_min >= kLongSendOrLockMinutes) {
      return Make(Verdict::kSuspect, 65, "long-send-or-lock", fmt::format("{}: {}", what, fix));
    }
    if (e.wait_min >= kLongReceiveMinutes && e.count >= 10) {
      return Make(Verdict::kSuspect, 60, "long-wait", fmt::format("{}: {}", what, fix));
    }
    std::string why;
    if (per_connection) {
      why = ", each beside a goroutine reading its open connection (per-connection workers)";
    } else if (e.creator_known == e.count && e.creator_gone < e.count && e.count > 0) {
      why = e.parents <= 1 ? ", started by a goroutine that still runs" : ", their creators still run";
    }
    return Make(Verdict::kActive, 0, "no-evidence",
                fmt::format("{}{}: no sign of a leak in this snapshot (a worker waiting for work looks the same); "
                            "compare snapshots (leakhound diff) to see whether it grows",
                            what, why));
  }
  if (e.kind == BlockKind::kIOWait) {
    return Make(Verdict::kActive, 0, "io-wait",
                fmt::format("{} waiting for the network or a file{}: normal for connections; if the count grows, set "
                            "deadlines or close them when done",
                            n_text, WaitText(e)));
  }
  return Make(Verdict::kActive, 0, "not-leak-prone", fmt::format("{}", WhatText(e)));
}

}  // namespace

Evidence GatherEvidence(const cluster::Bucket& b, const KnowledgeBase& knowledge) {
  Evidence e;
  std::span<const Frame> frames = b.frames();
  const dump::Goroutine& rep = *b.representative;
  e.count = b.count;
  e.state = b.state();
  e.kind = ClassifyState(e.state);
  const size_t wait_frame = BlockingFrame(frames);  // where the program waits, before knowledge refines it
  e.blocking_frame = wait_frame;
  e.wait_min = b.wait_min;
  e.wait_max = b.wait_max;
  e.parents = b.parents.size();
  e.creator_known = b.creator_known;
  e.creator_gone = b.creator_gone;
  e.connection_siblings = std::min(b.connection_siblings, b.count);
  e.proven = b.leaked;
  e.known = knowledge.Match(frames, e.blocking_frame, e.state, rep.created_by.function);
  if (e.known != nullptr && e.known->match != Signature::Match::kCreator && !frames.empty() &&
      IsStdlibPackage(PackageOf(frames[e.blocking_frame].function))) {
    // A stack of standard library only: the known frame says more than the first frame outside the plumbing.
    for (size_t i = 0; i < frames.size(); ++i) {
      if (StartsWith(frames[i].function, e.known->prefix)) {
        e.blocking_frame = i;
        break;
      }
    }
  }
  if (!frames.empty()) {
    e.program_wait = !IsStdlibPackage(PackageOf(frames[wait_frame].function));
    for (size_t i = wait_frame + 1; i < frames.size(); ++i) {
      if (IsHandlerFrame(frames[i].function)) {
        e.in_handler = true;
        break;
      }
    }
  }
  bool all_runtime = !frames.empty() && std::all_of(frames.begin(), frames.end(), [](const Frame& f) {
    return IsRuntimePackage(PackageOf(f.function));
  });
  bool runtime_created = !rep.created_by.function.empty() && IsRuntimePackage(PackageOf(rep.created_by.function));
  e.runtime = e.kind == BlockKind::kIdle || all_runtime || runtime_created;
  e.running = e.kind == BlockKind::kRunning || rep.has(dump::kStackUnavailable);
  e.parked = !e.state.empty() || rep.has(dump::kParked) ||
             (!frames.empty() && StartsWith(frames[0].function, "runtime.gopark"));
  e.main_goroutine = b.count == 1 && !frames.empty() && frames[EntryFrame(frames)].function == "main.main";
  return e;
}

Assessment Decide(const Evidence& e) {
  Assessment a = DecideRules(e);
  a.blocking_frame = e.blocking_frame;
  return a;
}

std::vector<Assessment> DecideWithCreators(std::vector<Evidence>& evidence, const dump::Dump& d,
                                           std::span<const uint32_t> assignment) {
  std::vector<Assessment> out(evidence.size());
  for (size_t i = 0; i < evidence.size(); ++i) out[i] = Decide(evidence[i]);
  if (d.format != dump::Format::kTraceback) return out;
  // Goroutine (snapshot, id) -> record, for the creators.
  std::unordered_map<uint64_t, size_t> by_id;
  by_id.reserve(d.goroutines.size());
  auto key = [](uint32_t snapshot, uint64_t id) { return util::HashCombine(snapshot, id); };
  for (size_t g = 0; g < d.goroutines.size(); ++g) {
    if (d.goroutines[g].id != 0) by_id.emplace(key(d.goroutines[g].snapshot, d.goroutines[g].id), g);
  }
  constexpr int kRounds = 4;  // chains of stuck parents deeper than this are left to growth and proof
  for (int round = 0; round < kRounds; ++round) {
    std::vector<uint64_t> stuck(evidence.size(), 0);
    for (size_t g = 0; g < d.goroutines.size(); ++g) {
      const dump::Goroutine& child = d.goroutines[g];
      if (child.parent_id == 0) continue;
      auto it = by_id.find(key(child.snapshot, child.parent_id));
      if (it == by_id.end()) continue;
      const uint32_t parent_bucket = assignment[it->second];
      const Assessment& p = out[parent_bucket];
      const bool parent_stuck = (p.verdict == Verdict::kSuspect || p.verdict == Verdict::kDefinite) &&
                                p.rule != "growth" && evidence[parent_bucket].kind != BlockKind::kSleep;
      if (parent_stuck && parent_bucket != assignment[g]) stuck[assignment[g]] += child.count;
    }
    bool changed = false;
    for (size_t i = 0; i < evidence.size(); ++i) {
      const uint64_t s = std::min(stuck[i], evidence[i].count);
      if (s == evidence[i].creator_stuck) continue;
      evidence[i].creator_stuck = s;
      Assessment a = Decide(evidence[i]);
      changed = changed || a.verdict != out[i].verdict;
      out[i] = std::move(a);
    }
    if (!changed) break;
  }
  return out;
}

Assessment Assess(const cluster::Bucket& b, const KnowledgeBase& knowledge, const Growth* growth) {
  Evidence e = GatherEvidence(b, knowledge);
  if (growth != nullptr) e.growth = *growth;
  return Decide(e);
}

}  // namespace leakhound::verdict
