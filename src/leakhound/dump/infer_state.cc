#include "leakhound/dump/infer_state.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

// How a function at the top of a stack bears on the wait reason.
enum class Role : uint8_t {
  kPark,           // generic parking machinery (gopark, semacquire1, ...): look further down
  kFallback,       // a wait whose reason a caller further down may make more specific; remember it and look on
  kState,          // names the wait reason
  kStateIfParked,  // names the wait reason, but only directly under parking machinery (runtime system goroutines)
};

struct Rule {
  std::string_view function;
  std::string_view state;
  Role role;
};

// Function names as Go prints them (linknamed runtime functions under their public names), wait reasons spelled as
// runtime2.go's waitReasonStrings spells them. Covers what Go 1.13 to 1.26 put at the top of a parked stack.
//
// `?debug=1` hides the runtime.* frames at the top of each stack, so channel and select waits are only recognisable
// in pprof protobuf input; the sync, poll, time and syscall entry points below are outside package runtime and stay
// visible in both formats.
constexpr Rule kRules[] = {
    // Parking machinery.
    {"runtime.gopark", "", Role::kPark},
    {"runtime.goparkunlock", "", Role::kPark},
    {"runtime.park_m", "", Role::kPark},
    {"runtime.mcall", "", Role::kPark},
    {"runtime.netpollblock", "", Role::kPark},
    {"runtime.netpollblockcommit", "", Role::kPark},

    // Channels and select.
    {"runtime.chanrecv", "chan receive", Role::kState},
    {"runtime.chanrecv1", "chan receive", Role::kState},
    {"runtime.chanrecv2", "chan receive", Role::kState},
    {"runtime.reflect_chanrecv", "chan receive", Role::kState},
    {"reflect.chanrecv", "chan receive", Role::kState},
    {"runtime.chansend", "chan send", Role::kState},
    {"runtime.chansend1", "chan send", Role::kState},
    {"runtime.reflect_chansend", "chan send", Role::kState},
    {"reflect.chansend", "chan send", Role::kState},
    {"reflect.chansend0", "chan send", Role::kState},
    {"runtime.selectgo", "select", Role::kState},
    {"runtime.reflect_rselect", "select", Role::kState},
    {"reflect.rselect", "select", Role::kState},
    {"runtime.block", "select (no cases)", Role::kState},

    // Semaphores. Older releases parked every sync wait as "semacquire" and reached it through
    // sync.runtime_Semacquire / sync.runtime_SemacquireMutex, so the sync API frame below decides.
    {"runtime.semacquire1", "semacquire", Role::kFallback},
    {"runtime.semacquire", "semacquire", Role::kFallback},
    {"sync.runtime_Semacquire", "semacquire", Role::kFallback},
    {"internal/poll.runtime_Semacquire", "semacquire", Role::kFallback},
    {"sync.runtime_SemacquireMutex", "sync.Mutex.Lock", Role::kFallback},
    {"internal/sync.runtime_SemacquireMutex", "sync.Mutex.Lock", Role::kFallback},
    {"sync.runtime_SemacquireRWMutexR", "sync.RWMutex.RLock", Role::kState},
    {"sync.runtime_SemacquireRWMutex", "sync.RWMutex.Lock", Role::kState},
    {"sync.runtime_SemacquireWaitGroup", "sync.WaitGroup.Wait", Role::kState},
    {"sync.runtime_notifyListWait", "sync.Cond.Wait", Role::kState},
    {"runtime.notifyListWait", "sync.Cond.Wait", Role::kState},

    // The sync API (Go 1.24 moved Mutex into internal/sync; sync.Mutex.Lock is then often inlined into the caller).
    {"sync.(*Mutex).lockSlow", "sync.Mutex.Lock", Role::kState},
    {"sync.(*Mutex).Lock", "sync.Mutex.Lock", Role::kState},
    {"internal/sync.(*Mutex).lockSlow", "sync.Mutex.Lock", Role::kState},
    {"internal/sync.(*Mutex).Lock", "sync.Mutex.Lock", Role::kState},
    {"sync.(*RWMutex).RLock", "sync.RWMutex.RLock", Role::kState},
    {"sync.(*RWMutex).Lock", "sync.RWMutex.Lock", Role::kState},
    {"sync.(*WaitGroup).Wait", "sync.WaitGroup.Wait", Role::kState},
    {"sync.(*Cond).Wait", "sync.Cond.Wait", Role::kState},

    // Network poller, timers.
    {"internal/poll.runtime_pollWait", "IO wait", Role::kState},
    {"runtime.poll_runtime_pollWait", "IO wait", Role::kState},
    {"time.Sleep", "sleep", Role::kState},
    {"runtime.timeSleep", "sleep", Role::kState},

    // System calls and cgo: the goroutine's status is _Gsyscall, printed as "syscall".
    {"runtime.entersyscall", "syscall", Role::kState},
    {"runtime.entersyscallblock", "syscall", Role::kState},
    {"runtime.reentersyscall", "syscall", Role::kState},
    {"runtime.exitsyscall", "syscall", Role::kState},
    {"runtime.notetsleepg", "syscall", Role::kState},
    {"runtime.cgocall", "syscall", Role::kState},
    {"runtime.asmcgocall", "syscall", Role::kState},
    {"os/signal.signal_recv", "syscall", Role::kState},

    // Other user-visible waits.
    {"internal/synctest.Run", "synctest.Run", Role::kState},
    {"internal/synctest.Wait", "synctest.Wait", Role::kState},
    {"runtime.coroswitch", "coroutine", Role::kState},
    {"runtime.gcWaitOnMark", "wait for GC cycle", Role::kState},
    {"runtime.gcParkAssist", "GC assist wait", Role::kState},
    {"runtime.ReadTrace", "trace reader (blocked)", Role::kState},

    // The goroutine that is writing the profile or dump is the one running.
    {"runtime.goroutineProfileWithLabels", "running", Role::kState},
    {"runtime.goroutineProfileWithLabelsConcurrent", "running", Role::kState},
    {"runtime.goroutineProfileWithLabelsSync", "running", Role::kState},
    {"runtime.goroutineLeakProfileWithLabels", "running", Role::kState},
    {"runtime.pprof_goroutineProfileWithLabels", "running", Role::kState},
    {"runtime/pprof.runtime_goroutineProfileWithLabels", "running", Role::kState},
    {"runtime.GoroutineProfile", "running", Role::kState},
    {"runtime.Stack", "running", Role::kState},
    {"runtime/pprof.writeRuntimeProfile", "running", Role::kState},
    {"runtime/pprof.writeGoroutineStacks", "running", Role::kState},

    // Runtime system goroutines, parked in their own loop.
    {"runtime.forcegchelper", "force gc (idle)", Role::kStateIfParked},
    {"runtime.bgsweep", "GC sweep wait", Role::kStateIfParked},
    {"runtime.bgscavenge", "GC scavenge wait", Role::kStateIfParked},
    {"runtime.(*scavengerState).park", "GC scavenge wait", Role::kStateIfParked},
    {"runtime.(*scavengerState).sleep", "sleep", Role::kStateIfParked},
    {"runtime.runfinq", "finalizer wait", Role::kStateIfParked},
    {"runtime.runFinalizers", "finalizer wait", Role::kStateIfParked},
    {"runtime.runFinalizersAndCleanups", "finalizer wait", Role::kStateIfParked},
    {"runtime.(*cleanupQueue).dequeue", "cleanup wait", Role::kStateIfParked},
    {"runtime.gcBgMarkWorker", "GC worker (idle)", Role::kStateIfParked},
    {"runtime.updateMaxProcsGoroutine", "GOMAXPROCS updater (idle)", Role::kStateIfParked},
    {"runtime.gcParkStrongFromWeak", "GC weak to strong wait", Role::kStateIfParked},
    {"runtime.main", "panicwait", Role::kStateIfParked},
};

// Looked at no further than this many frames from the leaf: parking machinery is never deeper.
constexpr size_t kMaxDepth = 16;

// kRules sorted by name, built once (thread-safe static initialisation).
const std::array<Rule, std::size(kRules)>& SortedRules() {
  static const auto sorted = [] {
    std::array<Rule, std::size(kRules)> rules;
    std::copy(std::begin(kRules), std::end(kRules), rules.begin());
    std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.function < b.function; });
    return rules;
  }();
  return sorted;
}

const Rule* FindRule(std::string_view function) {
  const auto& rules = SortedRules();
  auto it = std::lower_bound(rules.begin(), rules.end(), function,
                             [](const Rule& r, std::string_view f) { return r.function < f; });
  if (it == rules.end() || it->function != function) return nullptr;
  return &*it;
}

bool StartsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (util::StartsWith(s, p)) return true;
  }
  return false;
}

// syscall.Syscall, syscall.Syscall6, syscall.RawSyscall, syscall.syscall6X (darwin), syscall.SyscallN (windows),
// internal/runtime/syscall{,/linux}.Syscall6, runtime/internal/syscall.Syscall6, golang.org/x/sys/unix.Syscall, and
// vendored copies of x/sys.
bool IsSyscallFunction(std::string_view f) {
  if (util::Consume(f, "syscall.")) {
    return StartsWithAny(f, {"Syscall", "RawSyscall", "syscall", "rawSyscall", "rawsyscall", "rawVforkSyscall"});
  }
  if (util::Consume(f, "internal/runtime/syscall") || util::Consume(f, "runtime/internal/syscall")) {
    size_t dot = f.rfind('.');
    if (dot == std::string_view::npos || f.find('/', dot) != std::string_view::npos) return false;
    return StartsWithAny(f.substr(dot + 1), {"Syscall", "RawSyscall"});
  }
  for (std::string_view pkg : {std::string_view("golang.org/x/sys/unix."), std::string_view("golang.org/x/sys/windows.")}) {
    size_t at = f.rfind(pkg);
    if (at == std::string_view::npos) continue;
    if (at != 0 && f[at - 1] != '/') continue;
    return StartsWithAny(f.substr(at + pkg.size()),
                         {"Syscall", "RawSyscall", "syscall_syscall", "syscall_rawSyscall", "SyscallNoError"});
  }
  return false;
}

}  // namespace

std::string_view InferState(std::span<const Frame> frames) {
  std::string_view fallback;
  bool parked = false;
  const size_t depth = std::min(frames.size(), kMaxDepth);
  for (size_t i = 0; i < depth; ++i) {
    std::string_view function = frames[i].function;
    const Rule* rule = FindRule(function);
    if (rule == nullptr) {
      if (IsSyscallFunction(function)) return "syscall";
      break;
    }
    switch (rule->role) {
      case Role::kPark:
        parked = true;
        continue;
      case Role::kFallback:
        parked = true;
        fallback = rule->state;
        continue;
      case Role::kState:
        return rule->state;
      case Role::kStateIfParked:
        return parked ? rule->state : fallback;
    }
  }
  return fallback;
}

}  // namespace leakhound::dump
