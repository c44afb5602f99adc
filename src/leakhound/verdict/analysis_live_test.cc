// Live tests of the analysis: real Go programs under tests/go/<case> that leak in a known way are built, started, and
// dumped four ways — /debug/pprof/goroutine at debug=0 (protobuf), debug=1 (aggregated) and debug=2 (traceback) over
// loopback, then SIGQUIT with GOTRACEBACK=all — and every dump must lead verdict::Analyze to the same leak bucket:
// the exact number of leaked goroutines, the verdict the leak deserves, and the program's own function as the
// blocking site.
#include "leakhound/verdict/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::verdict {
namespace {

namespace lt = ::leakhound::testing;

constexpr uint64_t kLeaks = 200;  // -n for every case
// Goroutines a case has besides the ones it leaks: main, the pprof server and its connection, and in a SIGQUIT dump
// the runtime's own (GC workers, sweeper, scavenger, finalizer, ...).
constexpr uint64_t kOverhead = 50;

struct Snapshot {
  std::string how;  // "debug=0", "debug=1", "debug=2", "SIGQUIT"
  dump::Format expected_format = dump::Format::kTraceback;
  dump::Dump dump;

  // Traceback text carries wait reasons, goroutine ids and creators; the aggregated formats do not.
  bool traceback() const { return expected_format == dump::Format::kTraceback; }
};

// Starts tests/go/<name> with -n kLeaks and takes its goroutines four ways: the pprof endpoint at debug=0, 1 and 2,
// then the SIGQUIT dump (which ends the program). Fails the test on any step that does not work.
void TakeSnapshots(const std::string& name, std::vector<Snapshot>* out) {
  auto program = lt::GoProgram::Start(name, {"-n", std::to_string(kLeaks)});
  ASSERT_TRUE(program.ok()) << program.status().message();
  lt::GoProgram& p = **program;
  const dump::Format formats[] = {dump::Format::kPprof, dump::Format::kAggregated, dump::Format::kTraceback};
  for (int debug : {0, 1, 2}) {
    auto loaded = p.LoadProfile(debug);
    ASSERT_TRUE(loaded.ok()) << p.ProfileUrl(debug) << ": " << loaded.status().message();
    out->push_back(Snapshot{"debug=" + std::to_string(debug), formats[debug], std::move(loaded.value())});
  }
  auto quit = p.Quit();
  ASSERT_TRUE(quit.ok()) << quit.status().message();
  ASSERT_NE(quit->find("SIGQUIT: quit"), std::string::npos) << "no SIGQUIT dump on stderr:\n" << quit->substr(0, 2000);
  out->push_back(Snapshot{"SIGQUIT", dump::Format::kTraceback, lt::ParseText(name + ".sigquit", std::move(*quit))});
}

Analysis AnalyzeOne(const dump::Dump& d) {
  auto analysis = Analyze(std::span<const dump::Dump>(&d, 1), AnalyzeOptions{});
  EXPECT_TRUE(analysis.ok()) << analysis.status().message();
  return analysis.ok() ? std::move(analysis.value()) : Analysis{};
}

bool HasFrame(const cluster::Bucket& b, std::string_view function) {
  for (const dump::Frame& f : b.frames()) {
    if (f.function == function) return true;
  }
  return false;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Describe(const BucketReport& r) {
  std::string s = std::to_string(r.bucket.count) + " [" + std::string(r.bucket.state()) + "] " +
                  std::string(VerdictName(r.assessment.verdict)) + " (" + r.assessment.reason + ")";
  auto frames = r.bucket.frames();
  if (r.assessment.blocking_frame < frames.size()) s += " at " + std::string(frames[r.assessment.blocking_frame].function);
  return s;
}

std::string DescribeAll(const Analysis& a) {
  std::string s;
  for (const BucketReport& r : a.buckets) s += "  " + Describe(r) + "\n";
  return s;
}

// The checks every dump of every case must pass, whatever it leaks.
void ExpectWellFormed(const Snapshot& snap, const Analysis& analysis, uint64_t min_total, uint64_t max_total) {
  const dump::Dump& d = snap.dump;
  EXPECT_EQ(d.format, snap.expected_format) << dump::FormatName(d.format);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics.size() << " diagnostics on a real dump; first: line "
                                     << d.diagnostics[0].line << ": " << d.diagnostics[0].message << " ["
                                     << d.diagnostics[0].excerpt << "]";
  EXPECT_EQ(analysis.total_goroutines, d.TotalGoroutines());
  EXPECT_GE(analysis.total_goroutines, min_total);
  EXPECT_LE(analysis.total_goroutines, max_total);
  if (snap.expected_format == dump::Format::kAggregated) {
    EXPECT_EQ(d.declared_total, analysis.total_goroutines) << "goroutine profile: total N disagrees with the records";
  }
  ASSERT_EQ(analysis.sources.size(), 1u);
  EXPECT_EQ(analysis.sources[0].goroutines, analysis.total_goroutines);

  uint64_t sum = 0;
  for (size_t i = 0; i < analysis.buckets.size(); ++i) {
    const cluster::Bucket& b = analysis.buckets[i].bucket;
    sum += b.count;
    if (i > 0) {
      EXPECT_GE(analysis.buckets[i - 1].bucket.count, b.count) << "buckets not sorted by count at " << i;
    }
    EXPECT_FALSE(analysis.buckets[i].assessment.reason.empty()) << Describe(analysis.buckets[i]);
    if (!b.frames().empty()) {
      EXPECT_LT(analysis.buckets[i].assessment.blocking_frame, b.frames().size());
    }
  }
  EXPECT_EQ(sum, analysis.total_goroutines) << "with no filters every goroutine belongs to a bucket";
}

struct LeakExpectation {
  std::string_view case_name;
  std::string_view frame;           // a function only the leaked goroutines have on their stack
  std::string_view blocking;        // the blocking site leakhound must name
  std::string_view blocking_file;   // suffix of the blocking site's file
  std::string_view state;           // the wait reason of traceback formats
  std::string_view created_by;      // the creator of traceback formats
  std::string_view created_by_file; // suffix of the creator's file
  bool definite_with_wait_reason;   // the wait reason proves the goroutines can never wake
};

// Finds the one bucket holding the leaked goroutines in `snap` and checks everything leakhound says about it.
void ExpectLeakBucket(const Snapshot& snap, const Analysis& analysis, const LeakExpectation& e) {
  std::vector<const BucketReport*> matches;
  for (const BucketReport& r : analysis.buckets) {
    if (HasFrame(r.bucket, e.frame)) matches.push_back(&r);
  }
  ASSERT_EQ(matches.size(), 1u) << "buckets with " << e.frame << " on the stack; all buckets:\n" << DescribeAll(analysis);
  const BucketReport& r = *matches[0];
  const cluster::Bucket& b = r.bucket;
  SCOPED_TRACE("leak bucket: " + Describe(r));

  EXPECT_EQ(b.count, kLeaks);
  if (snap.traceback() && e.definite_with_wait_reason) {
    EXPECT_EQ(r.assessment.verdict, Verdict::kDefinite);
  } else {
    EXPECT_TRUE(r.assessment.verdict == Verdict::kSuspect || r.assessment.verdict == Verdict::kDefinite)
        << "verdict " << VerdictName(r.assessment.verdict);
  }
  EXPECT_FALSE(r.assessment.reason.empty());

  auto frames = b.frames();
  ASSERT_LT(r.assessment.blocking_frame, frames.size());
  const dump::Frame& site = frames[r.assessment.blocking_frame];
  EXPECT_EQ(site.function, e.blocking);
  EXPECT_TRUE(EndsWith(site.file, e.blocking_file)) << site.file;
  EXPECT_GT(site.line, 0u);

  if (snap.traceback()) {
    EXPECT_EQ(b.state(), e.state);
    const dump::Goroutine& g = *b.representative;
    EXPECT_EQ(g.created_by.function, e.created_by);
    EXPECT_TRUE(EndsWith(g.created_by.file, e.created_by_file)) << g.created_by.file;
    EXPECT_GT(g.created_by.line, 0u);
    EXPECT_NE(g.parent_id, 0u) << "Go >= 1.21 prints \"created by F in goroutine N\"";
    EXPECT_NE(g.id, 0u);
    EXPECT_EQ(b.ids.size(), std::min<size_t>(cluster::Bucket::kMaxIds, b.count));
    std::vector<uint64_t> ids = b.ids;
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "duplicate goroutine ids";
  }
}

// Runs `e.case_name`, takes its four dumps and checks the leak bucket in each.
void CheckLeakCase(const LeakExpectation& e, uint64_t leaked_goroutines_per_leak = 1,
                   const std::vector<LeakExpectation>& more = {}) {
  std::vector<Snapshot> snapshots;
  ASSERT_NO_FATAL_FAILURE(TakeSnapshots(std::string(e.case_name), &snapshots));
  ASSERT_EQ(snapshots.size(), 4u);
  for (const Snapshot& snap : snapshots) {
    SCOPED_TRACE(std::string(e.case_name) + " " + snap.how);
    Analysis analysis = AnalyzeOne(snap.dump);
    const uint64_t leaked = kLeaks * leaked_goroutines_per_leak;
    ExpectWellFormed(snap, analysis, leaked, leaked + kOverhead);
    ExpectLeakBucket(snap, analysis, e);
    for (const LeakExpectation& m : more) ExpectLeakBucket(snap, analysis, m);
  }
}

TEST(AnalysisLive, NilChanSendersAreOneDefiniteBucket) {
  CheckLeakCase({"nilchan", "main.(*publisher).deliver", "main.(*publisher).deliver", "tests/go/nilchan/main.go",
                 "chan send (nil chan)", "main.(*publisher).Publish", "tests/go/nilchan/main.go",
                 /*definite_with_wait_reason=*/true});
}

TEST(AnalysisLive, AbandonedTimeoutSendersAreSuspect) {
  CheckLeakCase({"abandoned_sender", "main.fetchBackend", "main.fetchBackend", "tests/go/abandoned_sender/main.go",
                 "chan send", "main.handleSearch", "tests/go/abandoned_sender/main.go", false});
}

TEST(AnalysisLive, RangeOverUnclosedChannelIsSuspect) {
  CheckLeakCase({"range_unclosed", "main.consume", "main.consume", "tests/go/range_unclosed/main.go", "chan receive",
                 "main.processAll", "tests/go/range_unclosed/main.go", false});
}

TEST(AnalysisLive, SelectWithoutExitCaseIsSuspect) {
  CheckLeakCase({"select_noexit", "main.(*subscriber).loop", "main.(*subscriber).loop",
                 "tests/go/select_noexit/main.go", "select", "main.(*broker).Subscribe",
                 "tests/go/select_noexit/main.go", false});
}

TEST(AnalysisLive, UnbalancedWaitGroupWaitersAreSuspect) {
  CheckLeakCase({"waitgroup_forever", "main.awaitBatch", "main.awaitBatch", "tests/go/waitgroup_forever/main.go",
                 "sync.WaitGroup.Wait", "main.runBatch", "tests/go/waitgroup_forever/main.go", false});
}

TEST(AnalysisLive, MutexLeftLockedOnErrorPathIsSuspect) {
  CheckLeakCase({"mutex_never_unlocked", "main.(*tokenCache).get", "main.(*tokenCache).get",
                 "tests/go/mutex_never_unlocked/main.go", "sync.Mutex.Lock", "main.main",
                 "tests/go/mutex_never_unlocked/main.go", false});
}

// Every leaked connection has a readLoop and a writeLoop on the client side (the leak), and an idle server-side
// conn.serve in the same process: three goroutines per leak.
TEST(AnalysisLive, IdleHttpClientConnectionsAreSuspect) {
  const LeakExpectation read_loop{"http_client_idle", "net/http.(*persistConn).readLoop",
                                  "net/http.(*persistConn).readLoop", "net/http/transport.go", "IO wait",
                                  "net/http.(*Transport).dialConn", "net/http/transport.go", false};
  const LeakExpectation write_loop{"http_client_idle", "net/http.(*persistConn).writeLoop",
                                   "net/http.(*persistConn).writeLoop", "net/http/transport.go", "select",
                                   "net/http.(*Transport).dialConn", "net/http/transport.go", false};
  CheckLeakCase(read_loop, /*leaked_goroutines_per_leak=*/3, {write_loop});
}

TEST(AnalysisLive, HealthyWorkerPoolHasNoLeakOrSuspect) {
  std::vector<Snapshot> snapshots;
  ASSERT_NO_FATAL_FAILURE(TakeSnapshots("healthy", &snapshots));
  ASSERT_EQ(snapshots.size(), 4u);
  for (const Snapshot& snap : snapshots) {
    SCOPED_TRACE("healthy " + snap.how);
    Analysis analysis = AnalyzeOne(snap.dump);
    ExpectWellFormed(snap, analysis, /*min_total=*/6, /*max_total=*/kOverhead);
    bool has_pool = false;
    for (const BucketReport& r : analysis.buckets) {
      EXPECT_NE(r.assessment.verdict, Verdict::kDefinite) << Describe(r);
      EXPECT_NE(r.assessment.verdict, Verdict::kSuspect) << Describe(r);
      has_pool = has_pool || HasFrame(r.bucket, "main.worker");
    }
    EXPECT_TRUE(has_pool) << "the worker pool is missing from the dump:\n" << DescribeAll(analysis);
    EXPECT_EQ(analysis.definite, 0u);
    EXPECT_EQ(analysis.suspect, 0u);
  }
}

}  // namespace
}  // namespace leakhound::verdict
