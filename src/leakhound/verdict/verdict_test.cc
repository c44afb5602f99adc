#include "leakhound/verdict/verdict.h"

#include <gtest/gtest.h>

#include <string>

#include "leakhound/dump/reader.h"
#include "leakhound/testing/clustered.h"

namespace leakhound::verdict {
namespace {

TEST(Verdict, PackageOfGoFunctionNames) {
  EXPECT_EQ(PackageOf("net/http.(*conn).serve"), "net/http");
  EXPECT_EQ(PackageOf("main.main"), "main");
  EXPECT_EQ(PackageOf("github.com/acme/api/worker.(*Pool[...]).emit.func1"), "github.com/acme/api/worker");
  EXPECT_EQ(PackageOf("runtime.gopark"), "runtime");
}

TEST(Verdict, StandardLibraryPackages) {
  EXPECT_TRUE(IsStdlibPackage("net/http"));
  EXPECT_TRUE(IsStdlibPackage("internal/poll"));
  EXPECT_TRUE(IsStdlibPackage("time"));
  EXPECT_FALSE(IsStdlibPackage("main"));
  EXPECT_FALSE(IsStdlibPackage("github.com/acme/api"));
  EXPECT_FALSE(IsStdlibPackage("golang.org/x/net/http2"));
  EXPECT_FALSE(IsStdlibPackage("myservice/handlers"));
}

TEST(Verdict, ClassifiesEveryWaitReasonFamily) {
  EXPECT_EQ(ClassifyState("chan send (nil chan)"), BlockKind::kNilChan);
  EXPECT_EQ(ClassifyState("chan receive (nil chan)"), BlockKind::kNilChan);
  EXPECT_EQ(ClassifyState("chan send"), BlockKind::kChanSend);
  EXPECT_EQ(ClassifyState("chan receive (durable)"), BlockKind::kChanReceive);
  EXPECT_EQ(ClassifyState("select (no cases)"), BlockKind::kSelectNoCases);
  EXPECT_EQ(ClassifyState("select"), BlockKind::kSelect);
  EXPECT_EQ(ClassifyState("sync.RWMutex.RLock"), BlockKind::kSync);
  EXPECT_EQ(ClassifyState("semacquire"), BlockKind::kSync);
  EXPECT_EQ(ClassifyState("IO wait"), BlockKind::kIOWait);
  EXPECT_EQ(ClassifyState("running"), BlockKind::kRunning);
  EXPECT_EQ(ClassifyState("GC worker (idle)"), BlockKind::kIdle);
  EXPECT_EQ(ClassifyState("finalizer wait"), BlockKind::kIdle);
  EXPECT_EQ(ClassifyState(""), BlockKind::kOther);
}


std::string Many(int n, std::string_view header_state, std::string_view frames) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "goroutine " + std::to_string(10 + i) + " [" + std::string(header_state) + "]:\n" + std::string(frames) +
           "created by main.handle in goroutine " + std::to_string(1000 + i) + "\n\t/app/h.go:9 +0x1\n\n";
  }
  return out;
}

TEST(Verdict, NilChannelIsDefinite) {
  auto p = testing::ParseAndCluster(Many(1, "chan send (nil chan)", "main.publish()\n\t/app/p.go:3 +0x1\n"));
  Assessment a = Assess(p->buckets[0]);
  EXPECT_EQ(a.verdict, Verdict::kDefinite);
  EXPECT_NE(a.reason.find("nil channel"), std::string::npos);
}

TEST(Verdict, EmptySelectIsDefiniteOutsideMainOnly) {
  auto p = testing::ParseAndCluster(Many(1, "select (no cases)", "main.park()\n\t/app/p.go:3 +0x1\n"));
  EXPECT_EQ(Assess(p->buckets[0]).verdict, Verdict::kDefinite);
  auto m = testing::ParseAndCluster("goroutine 1 [select (no cases)]:\nmain.main()\n\t/app/main.go:20 +0x1\n");
  EXPECT_EQ(Assess(m->buckets[0]).verdict, Verdict::kBenign);
}

TEST(Verdict, LeakedMarkIsDefinite) {
  auto p = testing::ParseAndCluster(Many(2, "chan receive (leaked)", "main.wait()\n\t/app/w.go:3 +0x1\n"));
  EXPECT_EQ(Assess(p->buckets[0]).verdict, Verdict::kDefinite);
}

TEST(Verdict, ManySendersPerRequestAreSuspectAFewAreNot) {
  const char* frames = "main.fetch()\n\t/app/f.go:7 +0x1\n";
  auto many = testing::ParseAndCluster(Many(60, "chan send", frames));
  Assessment a = Assess(many->buckets[0]);
  EXPECT_EQ(a.verdict, Verdict::kSuspect);
  EXPECT_GE(a.score, 60);
  EXPECT_NE(a.reason.find("started by"), std::string::npos);
  auto few = testing::ParseAndCluster(Many(3, "chan send", frames));
  EXPECT_EQ(Assess(few->buckets[0]).verdict, Verdict::kActive);
}

TEST(Verdict, SleepingRetryLoopsStartedPerRequestAreSuspect) {
  const char* frames = "time.Sleep(0x3b9aca00)\n\t/go/src/runtime/time.go:300 +0x1\n"
                       "main.retryForever(0x1)\n\t/app/retry.go:12 +0x1\n";
  auto many = testing::ParseAndCluster(Many(60, "sleep", frames));
  Assessment a = Assess(many->buckets[0]);
  EXPECT_EQ(a.verdict, Verdict::kSuspect);
  EXPECT_NE(a.reason.find("retry loop"), std::string::npos) << a.reason;
  auto few = testing::ParseAndCluster(Many(4, "sleep", frames));
  EXPECT_EQ(Assess(few->buckets[0]).verdict, Verdict::kActive);
}

TEST(Verdict, BlockingSiteSkipsRuntimeAndStandardLibrary) {
  auto p = testing::ParseAndCluster(Many(1, "sync.Mutex.Lock",
                                  "sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)\n\t/go/src/runtime/sema.go:95 +0x25\n"
                                  "sync.(*Mutex).Lock(...)\n\t/go/src/sync/mutex.go:92\n"
                                  "example.com/app/store.(*Cache).Get(0x1)\n\t/app/store/cache.go:20 +0x4b\n"));
  Assessment a = Assess(p->buckets[0]);
  EXPECT_EQ(p->buckets[0].frames()[a.blocking_frame].function, "example.com/app/store.(*Cache).Get");
}

TEST(Verdict, IdleHttpClientConnectionsAreBenignUntilTheyPileUp) {
  const char* frames =
      "runtime.gopark(0x1?, 0x2?, 0x3?, 0x4?, 0x5?)\n\t/go/src/runtime/proc.go:435 +0xce\n"
      "runtime.selectgo(0x1, 0x2, 0x3, 0x0, 0x4, 0x1)\n\t/go/src/runtime/select.go:351 +0x837\n"
      "net/http.(*persistConn).writeLoop(0xc0001)\n\t/go/src/net/http/transport.go:2652 +0xe5\n";
  auto few = testing::ParseAndCluster(Many(2, "select", frames));
  EXPECT_EQ(Assess(few->buckets[0]).verdict, Verdict::kBenign);
  auto many = testing::ParseAndCluster(Many(40, "select", frames));
  Assessment a = Assess(many->buckets[0]);
  EXPECT_EQ(a.verdict, Verdict::kSuspect);
  EXPECT_EQ(many->buckets[0].frames()[a.blocking_frame].function, "net/http.(*persistConn).writeLoop");
  EXPECT_NE(a.reason.find("CloseIdleConnections"), std::string::npos);
}

TEST(Verdict, RuntimeGoroutinesAreBenignAndRunningIsActive) {
  auto gc = testing::ParseAndCluster(
      "goroutine 2 [force gc (idle)]:\nruntime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/go/src/runtime/proc.go:402 "
      "+0xce\nruntime.forcegchelper()\n\t/go/src/runtime/proc.go:326 +0xb3\ncreated by runtime.init.6 in goroutine "
      "1\n\t/go/src/runtime/proc.go:314 +0x1a\n");
  EXPECT_EQ(Assess(gc->buckets[0]).verdict, Verdict::kBenign);
  auto run = testing::ParseAndCluster(Many(1, "running", "net/http.(*conn).serve(0x1)\n\t/go/src/net/http/server.go:2067 +0x1\n"));
  EXPECT_EQ(Assess(run->buckets[0]).verdict, Verdict::kActive);
}

}  // namespace
}  // namespace leakhound::verdict
