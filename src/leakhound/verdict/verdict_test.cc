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
  // Three senders whose creators still run (listed in the dump), waiting briefly: no evidence of a leak yet.
  std::string few_text = Many(3, "chan send", frames);
  for (int i = 0; i < 3; ++i) {
    few_text += "goroutine " + std::to_string(1000 + i) + " [select]:\nmain.handle()\n\t/app/h.go:12 +0x1\n\n";
  }
  auto few = testing::ParseAndCluster(few_text);
  const cluster::Bucket* senders = nullptr;
  for (const auto& b : few->buckets) {
    if (b.state() == "chan send") senders = &b;
  }
  ASSERT_NE(senders, nullptr);
  Assessment f = Assess(*senders);
  EXPECT_EQ(f.verdict, Verdict::kActive) << f.reason;
  EXPECT_EQ(f.rule, "no-evidence");
  EXPECT_EQ(f.reason.find("nothing sends"), std::string::npos) << "an active verdict must not claim a leak";
}

TEST(Verdict, CreatorsThatAllExitedAreEvidenceOnlyWhenTheDumpListsEveryGoroutine) {
  // One receiver whose creator (goroutine 1000) is not in the dump: it has exited.
  const char* frames = "main.consume()\n\t/app/c.go:7 +0x1\n";
  std::string text = Many(1, "chan receive", frames) + "goroutine 1 [select]:\nmain.main()\n\t/app/main.go:3 +0x1\n\n";
  auto p = testing::ParseAndCluster(text);
  const cluster::Bucket* b = nullptr;
  for (const auto& x : p->buckets) {
    if (x.state() == "chan receive") b = &x;
  }
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->creator_known, 1u);
  EXPECT_EQ(b->creator_gone, 1u);
  Assessment a = Assess(*b);
  EXPECT_EQ(a.verdict, Verdict::kSuspect);
  EXPECT_EQ(a.rule, "creators-gone");
  EXPECT_NE(a.reason.find("has exited"), std::string::npos) << a.reason;

  // The same goroutine reported by goleak: its report lists only unexpected goroutines, so the creator may still run.
  auto g = testing::ParseAndCluster("    x_test.go:9: found unexpected goroutines:\n" + text);
  for (const auto& x : g->buckets) {
    if (x.state() == "chan receive") {
      EXPECT_EQ(x.creator_known, 0u);
      EXPECT_NE(Assess(x).rule, "creators-gone");
    }
  }
}

TEST(Verdict, ChildrenOfAStuckCreatorAreSuspectThroughDecideWithCreators) {
  // Goroutine 50 (its creator 7 has exited) waits on a channel in the program's code: suspect on its own evidence.
  // It started 51 and 52, which wait on a WaitGroup it was to release: their creator still runs, but is stuck.
  std::string text =
      "goroutine 50 [chan receive]:\nmain.(*Stopper).Stop(0x1)\n\t/app/s.go:20 +0x1\n"
      "created by main.run in goroutine 7\n\t/app/main.go:9 +0x1\n\n";
  for (int id : {51, 52}) {
    text += "goroutine " + std::to_string(id) +
            " [sync.WaitGroup.Wait]:\nsync.runtime_SemacquireWaitGroup(0x1)\n\t/go/src/runtime/sema.go:114 +0x1\n"
            "sync.(*WaitGroup).Wait(0x1)\n\t/go/src/sync/waitgroup.go:206 +0x1\nmain.(*Stopper).Quiesce(0x1)\n"
            "\t/app/s.go:40 +0x1\ncreated by main.(*Stopper).Stop in goroutine 50\n\t/app/s.go:18 +0x1\n\n";
  }
  text += "goroutine 1 [select]:\nmain.main()\n\t/app/main.go:30 +0x1\n\n";
  auto p = testing::ParseAndCluster(text);
  std::vector<std::vector<uint32_t>> assignment;
  const dump::Dump* dumps[] = {&p->dump};
  std::vector<cluster::Bucket> buckets = cluster::Cluster(dumps, cluster::Similarity::kLine, &assignment);
  std::vector<Evidence> evidence;
  for (const auto& b : buckets) evidence.push_back(GatherEvidence(b));
  // Alone, the children have no evidence: their creator is in the dump.
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i].state() == "sync.WaitGroup.Wait") EXPECT_EQ(Decide(evidence[i]).verdict, Verdict::kActive);
  }
  std::vector<Assessment> all = DecideWithCreators(evidence, p->dump, assignment[0]);
  bool children = false;
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i].state() == "chan receive") EXPECT_EQ(all[i].rule, "creators-gone");
    if (buckets[i].state() != "sync.WaitGroup.Wait") continue;
    children = true;
    EXPECT_EQ(all[i].verdict, Verdict::kSuspect) << all[i].reason;
    EXPECT_EQ(all[i].rule, "creator-stuck");
    EXPECT_NE(all[i].reason.find("itself stuck"), std::string::npos) << all[i].reason;
  }
  EXPECT_TRUE(children);
}

TEST(Verdict, PerConnectionWorkersBesideAnOpenConnectionAreNotOnePerRequest) {
  // As nats-server runs them: per client, a creating goroutine (gone) starts a reader (IO wait) and a writer (parked
  // in sync.Cond.Wait); 30 clients.
  std::string text;
  for (int i = 0; i < 30; ++i) {
    std::string parent = std::to_string(5000 + i);
    text += "goroutine " + std::to_string(100 + 2 * i) +
            " [IO wait]:\nexample.com/srv.(*client).readLoop(0x1)\n\t/app/c.go:10 +0x1\n"
            "created by example.com/srv.(*Server).createClient in goroutine " + parent + "\n\t/app/s.go:5 +0x1\n\n";
    text += "goroutine " + std::to_string(101 + 2 * i) +
            " [sync.Cond.Wait]:\nsync.runtime_notifyListWait(0x1, 0x1)\n\t/go/src/runtime/sema.go:606 +0x1\n"
            "sync.(*Cond).Wait(0x1)\n\t/go/src/sync/cond.go:71 +0x1\n"
            "example.com/srv.(*client).writeLoop(0x1)\n\t/app/c.go:40 +0x1\n"
            "created by example.com/srv.(*Server).createClient in goroutine " + parent + "\n\t/app/s.go:6 +0x1\n\n";
  }
  auto p = testing::ParseAndCluster(text + "goroutine 1 [IO wait]:\nmain.main()\n\t/app/main.go:3 +0x1\n\n");
  for (const auto& b : p->buckets) {
    if (b.state() != "sync.Cond.Wait") continue;
    EXPECT_EQ(b.connection_siblings, 30u);
    Assessment a = Assess(b);
    EXPECT_EQ(a.verdict, Verdict::kActive) << a.reason;
    EXPECT_NE(a.reason.find("per-connection"), std::string::npos) << a.reason;
  }
}

TEST(Verdict, ProofIsPerGoroutineNeverForBucketMates) {
  // Three goroutines on one line; the runtime marks one leaked (as a goroutineleak?debug=2 profile does).
  std::string text =
      "goroutine 7 [chan receive (leaked)]:\nmain.wait()\n\t/app/w.go:3 +0x1\ncreated by main.main in goroutine 1\n"
      "\t/app/main.go:9 +0x1\n\n"
      "goroutine 8 [chan receive]:\nmain.wait()\n\t/app/w.go:3 +0x1\ncreated by main.main in goroutine 1\n"
      "\t/app/main.go:9 +0x1\n\n"
      "goroutine 9 [chan receive]:\nmain.wait()\n\t/app/w.go:3 +0x1\ncreated by main.main in goroutine 1\n"
      "\t/app/main.go:9 +0x1\n\n"
      "goroutine 1 [sleep]:\ntime.Sleep(0x1)\n\t/go/src/runtime/time.go:300 +0x1\nmain.main()\n\t/app/main.go:12 +0x1\n\n";
  auto p = testing::ParseAndCluster(text);
  uint64_t definite = 0, others = 0;
  for (const auto& b : p->buckets) {
    if (b.state() != "chan receive") continue;
    Assessment a = Assess(b);
    (a.verdict == Verdict::kDefinite ? definite : others) += b.count;
    if (a.verdict == Verdict::kDefinite) {
      EXPECT_EQ(b.count, 1u);
      EXPECT_NE(a.reason.find("1 goroutine proven leaked"), std::string::npos) << a.reason;
    }
  }
  EXPECT_EQ(definite, 1u);
  EXPECT_EQ(others, 2u);
}

TEST(Verdict, KnownGoroutinesMatchWhereTheyWaitNotAnywhereInTheStack) {
  const char* serve = "net/http.serverHandler.ServeHTTP({0x1})\n\t/go/src/net/http/server.go:3340 +0x1\n"
                      "net/http.(*conn).serve(0xc0001)\n\t/go/src/net/http/server.go:2109 +0x1\n";
  // A handler blocked in the program's code under conn.serve: not an idle connection.
  std::string handler;
  for (int i = 0; i < 12; ++i) {
    handler += "goroutine " + std::to_string(20 + i) +
               " [chan receive]:\nmain.stuck({0x1}, 0x2)\n\t/app/h.go:14 +0x1\nnet/http.HandlerFunc.ServeHTTP(0x1)\n"
               "\t/go/src/net/http/server.go:2322 +0x1\n" + serve +
               "created by net/http.(*Server).Serve in goroutine 5\n\t/go/src/net/http/server.go:3454 +0x1\n\n";
  }
  handler += "goroutine 5 [IO wait]:\nnet/http.(*Server).Serve(0x1)\n\t/go/src/net/http/server.go:3424 +0x1\n\n";
  auto h = testing::ParseAndCluster(handler);
  Assessment a = Assess(h->buckets[0]);
  EXPECT_EQ(h->buckets[0].count, 12u);
  EXPECT_EQ(a.verdict, Verdict::kSuspect) << a.reason;
  EXPECT_EQ(a.rule, "handler-parked");
  EXPECT_EQ(a.reason.find("waiting for the next request"), std::string::npos) << a.reason;

  // An idle keep-alive connection waits in conn.serve itself, through bufio's Peek.
  std::string idle;
  for (int i = 0; i < 3; ++i) {
    idle += "goroutine " + std::to_string(40 + i) +
            " [IO wait]:\ninternal/poll.runtime_pollWait(0x1, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x1\n"
            "net.(*conn).Read(0x1)\n\t/go/src/net/net.go:196 +0x1\nbufio.(*Reader).Peek(0x1, 0x4)\n"
            "\t/go/src/bufio/bufio.go:152 +0x1\nnet/http.(*conn).serve(0xc0001)\n\t/go/src/net/http/server.go:2103 +0x1\n"
            "created by net/http.(*Server).Serve in goroutine 5\n\t/go/src/net/http/server.go:3454 +0x1\n\n";
  }
  auto i = testing::ParseAndCluster(idle);
  Assessment ia = Assess(i->buckets[0]);
  EXPECT_EQ(ia.verdict, Verdict::kBenign);
  EXPECT_EQ(ia.rule, "known:http-server-keepalive");

  // Mid-request (reading headers) for 20 minutes: a stalled request, not an idle connection.
  std::string reading;
  for (int i = 0; i < 3; ++i) {
    reading += "goroutine " + std::to_string(60 + i) +
               " [IO wait, 20 minutes]:\ninternal/poll.runtime_pollWait(0x1, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x1\n"
               "net/textproto.(*Reader).ReadMIMEHeader(0x1)\n\t/go/src/net/textproto/reader.go:499 +0x1\n"
               "net/http.readRequest(0x1)\n\t/go/src/net/http/request.go:1135 +0x1\n"
               "net/http.(*conn).readRequest(0x1, {0x1})\n\t/go/src/net/http/server.go:1030 +0x1\n"
               "net/http.(*conn).serve(0xc0001)\n\t/go/src/net/http/server.go:1989 +0x1\n"
               "created by net/http.(*Server).Serve in goroutine 5\n\t/go/src/net/http/server.go:3454 +0x1\n\n";
  }
  auto r = testing::ParseAndCluster(reading);
  Assessment ra = Assess(r->buckets[0]);
  EXPECT_EQ(ra.verdict, Verdict::kSuspect) << ra.reason;
  EXPECT_EQ(ra.rule, "known-too-long:http-server-reading-request");
  EXPECT_NE(ra.reason.find("ReadHeaderTimeout"), std::string::npos) << ra.reason;
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
