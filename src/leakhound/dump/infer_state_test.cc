// InferState on the stacks Go's runtime leaves at the top of parked goroutines. Leaf first, as Dump frames are.
// Chains marked with a Go version are what that release's runtime/sync packages call; the Go 1.26 chains are also
// checked end to end on real profiles in pprof_reader_test.cc and aggregated_reader_test.cc.
#include "leakhound/dump/infer_state.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

namespace leakhound::dump {
namespace {

std::string_view Infer(std::initializer_list<std::string_view> functions) {
  std::vector<Frame> frames;
  for (std::string_view f : functions) {
    Frame frame;
    frame.function = f;
    frames.push_back(frame);
  }
  return InferState(frames);
}

TEST(InferState, EmptyStackIsUnknown) { EXPECT_EQ(Infer({}), ""); }

TEST(InferState, UserFrameOnTopIsUnknown) {
  EXPECT_EQ(Infer({"main.compute", "main.main", "runtime.main"}), "");
}

TEST(InferState, ChannelReceive) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1", "main.worker"}), "chan receive");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv2", "main.drain"}), "chan receive");
  // Go 1.13 - 1.16 parked through goparkunlock.
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.chanrecv", "runtime.chanrecv1", "main.f"}),
            "chan receive");
}

TEST(InferState, ChannelSend) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.chansend", "runtime.chansend1", "main.produce"}), "chan send");
}

TEST(InferState, ReflectChannelOperations) {
  EXPECT_EQ(Infer({"reflect.chanrecv", "reflect.Value.recv", "main.f"}), "chan receive");
  EXPECT_EQ(Infer({"reflect.chansend0", "reflect.Value.send", "main.f"}), "chan send");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.selectgo", "reflect.rselect", "reflect.Select"}), "select");
}

TEST(InferState, SelectAndEmptySelect) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.selectgo", "main.loop"}), "select");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.block", "main.forever"}), "select (no cases)");
}

TEST(InferState, MutexGo124InternalSync) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1",
                   "internal/sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow",
                   "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "main.f"}),
            "sync.Mutex.Lock");
}

TEST(InferState, MutexGo113) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_SemacquireMutex",
                   "sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "main.f"}),
            "sync.Mutex.Lock");
}

TEST(InferState, RWMutexGo120) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "sync.runtime_SemacquireRWMutexR",
                   "sync.(*RWMutex).RLock", "main.read"}),
            "sync.RWMutex.RLock");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "sync.runtime_SemacquireRWMutex", "sync.(*RWMutex).Lock",
                   "main.write"}),
            "sync.RWMutex.Lock");
}

TEST(InferState, RWMutexGo113SharedMutexSemaphoreDefersToCaller) {
  // Before Go 1.20 RWMutex used runtime_SemacquireMutex too; the RWMutex method below names the wait.
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_SemacquireMutex",
                   "sync.(*RWMutex).RLock", "main.read"}),
            "sync.RWMutex.RLock");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_SemacquireMutex",
                   "sync.(*RWMutex).Lock", "main.write"}),
            "sync.RWMutex.Lock");
}

TEST(InferState, RWMutexLockWaitingForWritersMutexIsMutexLock) {
  // RWMutex.Lock first takes its internal Mutex; the runtime reports that wait as sync.Mutex.Lock.
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "internal/sync.runtime_SemacquireMutex",
                   "internal/sync.(*Mutex).lockSlow", "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock",
                   "sync.(*RWMutex).Lock", "main.write"}),
            "sync.Mutex.Lock");
}

TEST(InferState, WaitGroup) {
  // Go 1.25+.
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "sync.runtime_SemacquireWaitGroup",
                   "sync.(*WaitGroup).Wait", "main.f"}),
            "sync.WaitGroup.Wait");
  // Older releases: plain runtime_Semacquire under WaitGroup.Wait.
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_Semacquire",
                   "sync.(*WaitGroup).Wait", "main.f"}),
            "sync.WaitGroup.Wait");
}

TEST(InferState, OtherSemaphoreWaitsAreSemacquire) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "sync.runtime_Semacquire", "main.custom"}), "semacquire");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.semacquire1", "internal/poll.runtime_Semacquire",
                   "internal/poll.(*fdMutex).rwlock", "internal/poll.(*FD).readLock"}),
            "semacquire");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "runtime.semacquire",
                   "runtime.stopTheWorld", "runtime.ReadMemStats"}),
            "semacquire");
}

TEST(InferState, CondWait) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "sync.runtime_notifyListWait", "sync.(*Cond).Wait",
                   "main.f"}),
            "sync.Cond.Wait");
}

TEST(InferState, NetworkPollerIsIOWait) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.netpollblock", "internal/poll.runtime_pollWait",
                   "internal/poll.(*pollDesc).wait", "internal/poll.(*FD).Read"}),
            "IO wait");
}

TEST(InferState, Sleep) {
  EXPECT_EQ(Infer({"runtime.gopark", "time.Sleep", "main.poll"}), "sleep");
}

TEST(InferState, Syscalls) {
  EXPECT_EQ(Infer({"syscall.Syscall", "syscall.read", "syscall.Read", "main.f"}), "syscall");
  EXPECT_EQ(Infer({"syscall.Syscall6", "syscall.wait4"}), "syscall");
  EXPECT_EQ(Infer({"syscall.RawSyscall", "main.f"}), "syscall");
  EXPECT_EQ(Infer({"syscall.syscall6X", "syscall.kevent"}), "syscall");  // darwin
  EXPECT_EQ(Infer({"syscall.SyscallN", "syscall.Syscall"}), "syscall");  // windows
  EXPECT_EQ(Infer({"internal/runtime/syscall.Syscall6", "syscall.RawSyscall6", "syscall.Syscall"}), "syscall");
  EXPECT_EQ(Infer({"internal/runtime/syscall/linux.Syscall6", "syscall.RawSyscall6"}), "syscall");
  EXPECT_EQ(Infer({"runtime/internal/syscall.Syscall6", "syscall.RawSyscall6"}), "syscall");
  EXPECT_EQ(Infer({"golang.org/x/sys/unix.Syscall", "golang.org/x/sys/unix.read"}), "syscall");
  EXPECT_EQ(Infer({"vendor/golang.org/x/sys/unix.RawSyscall"}), "syscall");
  EXPECT_EQ(Infer({"runtime.cgocall", "main._Cfunc_sleep"}), "syscall");
  EXPECT_EQ(Infer({"syscall.read", "main.f"}), "");
  EXPECT_EQ(Infer({"notgolang.org/x/sys/unix.Syscall"}), "");
}

TEST(InferState, SignalLoopIsSyscall) {
  EXPECT_EQ(Infer({"runtime.notetsleepg", "os/signal.signal_recv", "os/signal.loop"}), "syscall");
  // `?debug=1` hides the runtime frame.
  EXPECT_EQ(Infer({"os/signal.signal_recv", "os/signal.loop"}), "syscall");
}

TEST(InferState, ProfileWriterIsRunning) {
  EXPECT_EQ(Infer({"runtime.goroutineProfileWithLabels", "runtime.pprof_goroutineProfileWithLabels",
                   "runtime/pprof.writeRuntimeProfile"}),
            "running");
  EXPECT_EQ(Infer({"runtime/pprof.writeRuntimeProfile", "runtime/pprof.writeGoroutine"}), "running");
}

TEST(InferState, SystemGoroutinesOnlyWhenParked) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "runtime.forcegchelper"}), "force gc (idle)");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.gcBgMarkWorker", "runtime.gcBgMarkStartWorkers.gowrap1"}),
            "GC worker (idle)");
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.runfinq"}), "finalizer wait");
  // Running inside one of these functions is not a wait.
  EXPECT_EQ(Infer({"runtime.forcegchelper"}), "");
  EXPECT_EQ(Infer({"runtime.main"}), "");
}

TEST(InferState, Synctest) {
  EXPECT_EQ(Infer({"runtime.gopark", "internal/synctest.Wait", "testing/synctest.Wait"}), "synctest.Wait");
}

TEST(InferState, OnlyTheTopOfTheStackCounts) {
  // A runtime frame below user code says nothing about where the goroutine waits.
  EXPECT_EQ(Infer({"main.spin", "runtime.chanrecv1", "main.f"}), "");
  EXPECT_EQ(Infer({"main.spin", "time.Sleep"}), "");
}

TEST(InferState, ParkingMachineryAloneIsUnknown) {
  EXPECT_EQ(Infer({"runtime.gopark", "runtime.goparkunlock", "pkg.parkedSomewhereNew"}), "");
  EXPECT_EQ(Infer({"runtime.gopark"}), "");
}

TEST(InferState, DeepRuntimeStacksAreBounded) {
  std::vector<Frame> frames(1000);
  for (Frame& f : frames) f.function = "runtime.gopark";
  EXPECT_EQ(InferState(frames), "");
}

}  // namespace
}  // namespace leakhound::dump
