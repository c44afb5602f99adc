// ReadAggregated on real `?debug=1` profiles written by Go 1.26 (tests/fixtures/gen) and on damaged text.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"

namespace leakhound::dump {
namespace {

std::string ReadFixture(const std::string& relative) {
  std::ifstream in(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Dump Read(std::string_view text) {
  Dump d;
  ReadAggregated(text, d);
  return d;
}

// The record whose leaf frame is `function`.
const Goroutine* ByLeaf(const Dump& d, std::string_view function) {
  for (const Goroutine& g : d.goroutines) {
    auto frames = d.FramesOf(g);
    if (!frames.empty() && frames[0].function == function) return &g;
  }
  return nullptr;
}

std::string DiagnosticsText(const Dump& d) {
  std::string s;
  for (const Diagnostic& diag : d.diagnostics) {
    s += std::to_string(diag.line) + ": " + diag.message + " [" + diag.excerpt + "]\n";
  }
  return s;
}

TEST(AggregatedReader, Go126ProfileParses) {
  const std::string text = ReadFixture("go1.26/goroutine.debug1.txt");
  ASSERT_FALSE(text.empty());
  Dump d = Read(text);
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.declared_total, 20u);
  EXPECT_EQ(d.TotalGoroutines(), 20u);
  EXPECT_EQ(d.snapshots, 1u);
  EXPECT_FALSE(d.leak_profile);
  ASSERT_EQ(d.goroutines.size(), 17u);

  const Goroutine& senders = d.goroutines[0];
  EXPECT_EQ(senders.count, 3u);
  EXPECT_EQ(senders.id, 0u);
  EXPECT_EQ(senders.line, 2u);
  EXPECT_EQ(senders.snapshot, 0u);
  EXPECT_EQ(senders.labels, R"({"shard":"7", "worker":"sender"})");
  auto frames = d.FramesOf(senders);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "main.sendOne");
  EXPECT_TRUE(frames[0].file.ends_with("tests/fixtures/gen/main.go")) << frames[0].file;
  EXPECT_EQ(frames[0].line, 52u);
  EXPECT_EQ(frames[1].function, "main.leakySender.func1");
  EXPECT_EQ(frames[1].line, 62u);
  // debug=1 hides the runtime frames (gopark, chansend): channel waits cannot be named.
  EXPECT_EQ(senders.state, "");
  EXPECT_FALSE(senders.has(kStateInferred));

  EXPECT_EQ(d.goroutines[1].line, 7u);
  EXPECT_EQ(d.goroutines[1].labels, R"({"handler":"/api/select"})");
  EXPECT_EQ(d.goroutines.back().line, 80u);

  const Goroutine* generic = ByLeaf(d, "main.recvT[...]");
  ASSERT_NE(generic, nullptr);
  EXPECT_EQ(generic->line, 29u);
}

TEST(AggregatedReader, Go126StatesFromVisibleFrames) {
  const std::string text = ReadFixture("go1.26/goroutine.debug1.txt");
  Dump d = Read(text);
  const std::map<std::string_view, std::string_view> expected = {
      {"internal/sync.runtime_SemacquireMutex", "sync.Mutex.Lock"},
      {"sync.runtime_SemacquireRWMutexR", "sync.RWMutex.RLock"},
      {"sync.runtime_SemacquireRWMutex", "sync.RWMutex.Lock"},
      {"sync.runtime_SemacquireWaitGroup", "sync.WaitGroup.Wait"},
      {"sync.runtime_notifyListWait", "sync.Cond.Wait"},
      {"time.Sleep", "sleep"},
      {"internal/poll.runtime_pollWait", "IO wait"},
      {"syscall.Syscall", "syscall"},
      {"os/signal.signal_recv", "syscall"},
      {"runtime/pprof.writeRuntimeProfile", "running"},
  };
  for (const auto& [leaf, state] : expected) {
    const Goroutine* g = ByLeaf(d, leaf);
    ASSERT_NE(g, nullptr) << leaf;
    EXPECT_EQ(g->state, state) << leaf;
    EXPECT_TRUE(g->has(kStateInferred)) << leaf;
  }
}

TEST(AggregatedReader, Go126LeakProfileMarksEveryRecord) {
  const std::string text = ReadFixture("go1.26/goroutineleak.debug1.txt");
  Dump d = Read(text);
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_TRUE(d.leak_profile);
  EXPECT_EQ(d.declared_total, 10u);
  EXPECT_EQ(d.TotalGoroutines(), 10u);
  ASSERT_EQ(d.goroutines.size(), 7u);
  for (const Goroutine& g : d.goroutines) EXPECT_TRUE(g.has(kLeaked));
}

TEST(AggregatedReader, ConcatenatedProfilesAreSnapshots) {
  const std::string plain = ReadFixture("go1.26/goroutine.debug1.txt");
  const std::string leak = ReadFixture("go1.26/goroutineleak.debug1.txt");
  const std::string text = plain + leak;
  Dump d = Read(text);
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.snapshots, 2u);
  EXPECT_EQ(d.declared_total, 30u);
  EXPECT_FALSE(d.leak_profile);  // only the second snapshot is a leak profile
  ASSERT_EQ(d.goroutines.size(), 24u);
  EXPECT_EQ(d.goroutines[16].snapshot, 0u);
  EXPECT_FALSE(d.goroutines[16].has(kLeaked));
  EXPECT_EQ(d.goroutines[17].snapshot, 1u);
  EXPECT_TRUE(d.goroutines[17].has(kLeaked));
  // 85 lines in the first file; the second starts with its header.
  EXPECT_EQ(d.goroutines[17].line, 87u);
}

TEST(AggregatedReader, InlinedFramesSharingAPcAreMarked) {
  // Older runtimes print inlined frames with the PC of the call they were inlined into.
  Dump d = Read(
      "goroutine profile: total 1\n"
      "1 @ 0x43a2f6 0x54b506 0x466981\n"
      "#\t0x54b505\tmain.(*Pool).emit+0x25\t/src/pool.go:19\n"
      "#\t0x54b505\tmain.(*Pool).Run+0x25\t/src/pool.go:30\n"
      "#\t0x54b505\tmain.worker+0x25\t/src/main.go:8\n"
      "#\t0x466980\truntime.goexit+0x1\t/go/src/runtime/asm_amd64.s:1581\n");
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 1u);
  auto frames = d.FramesOf(d.goroutines[0]);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_TRUE(frames[1].inlined);
  EXPECT_FALSE(frames[2].inlined);
  EXPECT_FALSE(frames[3].inlined);
  EXPECT_EQ(frames[0].function, "main.(*Pool).emit");
}

TEST(AggregatedReader, TabsTurnedIntoSpacesAndCrlf) {
  Dump d = Read(
      "goroutine profile: total 2\r\n"
      "2 @ 0x1 0x2\r\n"
      "# labels: {\"k\":\"v\"}\r\n"
      "#    0x4e8724    main.sendOne+0x44        /Users/Jane Doe/src/main.go:52\r\n"
      "\r\n");
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].labels, R"({"k":"v"})");
  auto frames = d.FramesOf(d.goroutines[0]);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "main.sendOne");
  EXPECT_EQ(frames[0].file, "/Users/Jane Doe/src/main.go");
  EXPECT_EQ(frames[0].line, 52u);
}

TEST(AggregatedReader, GenericNamesWithBlanks) {
  Dump d = Read(
      "goroutine profile: total 1\n"
      "1 @ 0x1\n"
      "#\t0x1\tmain.F[go.shape.struct { X int }]+0x1d\t/a.go:3\n");
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0].function, "main.F[go.shape.struct { X int }]");
  EXPECT_EQ(d.frames[0].file, "/a.go");
}

TEST(AggregatedReader, UnsymbolisedPcNamesTheFrame) {
  Dump d = Read("goroutine profile: total 1\n1 @ 0x4e8725\n#\t0x4e8724\n");
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0].function, "0x4e8724");
  EXPECT_EQ(d.frames[0].file, "?");
}

TEST(AggregatedReader, MissingFrameLinesAreReportedAtTheCountLine) {
  Dump d = Read(
      "goroutine profile: total 2\n"
      "1 @ 0x1 0x2\n"
      "\n"
      "1 @ 0x3\n"
      "#\t0x2\tmain.f+0x1\t/a.go:3\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 2u);
  EXPECT_NE(d.diagnostics[0].message.find("no '#' frame lines"), std::string::npos);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.goroutines[0].has(kTruncated));
  EXPECT_EQ(d.goroutines[0].frames_size, 0u);
  EXPECT_FALSE(d.goroutines[1].has(kTruncated));
  EXPECT_EQ(d.goroutines[1].line, 4u);
  EXPECT_EQ(d.TotalGoroutines(), 2u);
}

TEST(AggregatedReader, GoexitOnlyEntryIsNotAnError) {
  // Go 1.26 (net/http/pprof, tests/go/nilchan): a goroutine whose only PC is runtime.goexit, which debug=1 never
  // prints, so the entry has no frame lines.
  Dump d = Read(
      "goroutine profile: total 2\n"
      "1 @ 0x489ace 0x4192cc 0x6748aa 0x4911c1\n"
      "#\t0x6748a9\tmain.(*publisher).deliver+0x29\t/src/main.go:60\n"
      "\n"
      "1 @ 0x4911c1\n"
      "\n");
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_EQ(d.goroutines[1].frames_size, 0u);
  EXPECT_FALSE(d.goroutines[1].has(kTruncated));
  EXPECT_EQ(d.goroutines[1].state, "");
  EXPECT_EQ(d.TotalGoroutines(), 2u);
}

TEST(AggregatedReader, HugeCountIsReportedAndTheEntrySkipped) {
  Dump d = Read(
      "goroutine profile: total 2\n"
      "99999999999999999999999 @ 0x1\n"
      "#\t0x1\tmain.f+0x1\t/a.go:3\n"
      "\n"
      "2 @ 0x2\n"
      "#\t0x2\tmain.g+0x1\t/a.go:4\n");
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].count, 2u);
  EXPECT_EQ(d.FramesOf(d.goroutines[0])[0].function, "main.g");
  ASSERT_EQ(d.diagnostics.size(), 1u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 2u);
  EXPECT_NE(d.diagnostics[0].message.find("bad goroutine count"), std::string::npos);
  EXPECT_EQ(d.diagnostics[0].excerpt, "99999999999999999999999 @ 0x1");
}

TEST(AggregatedReader, TotalMismatchIsReportedAtTheHeader) {
  Dump d = Read(
      "goroutine profile: total 5\n"
      "2 @ 0x2\n"
      "#\t0x2\tmain.g+0x1\t/a.go:4\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 1u);
  EXPECT_NE(d.diagnostics[0].message.find("declares 5 goroutines but its entries add up to 2"), std::string::npos);
  EXPECT_EQ(d.declared_total, 5u);
}

TEST(AggregatedReader, TruncatedLastLineKeepsWhatParsed) {
  std::string text = ReadFixture("go1.26/goroutine.debug1.txt");
  // Cut inside the function name of the last frame line ("#\t0x4e8f10\tmain.syscallRead.func1+0x30\t...").
  text.resize(text.find("main.syscallRead.func1") + 9);
  Dump d = Read(text);
  ASSERT_EQ(d.goroutines.size(), 17u);
  const Goroutine& last = d.goroutines.back();
  EXPECT_TRUE(last.has(kTruncated));
  auto frames = d.FramesOf(last);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[2].function, "syscall.Read");
  EXPECT_EQ(frames[3].function, "main.sysc");
  EXPECT_EQ(last.state, "syscall");
  // The cut line, then the header's total (20) against the entries (19 + 1 = 20: still equal).
  ASSERT_GE(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].line, 84u);
}

TEST(AggregatedReader, GarbageIsReportedLineByLine) {
  Dump d = Read("hello\n\nworld\n# stray\n");
  EXPECT_TRUE(d.goroutines.empty());
  EXPECT_EQ(d.snapshots, 0u);
  ASSERT_EQ(d.diagnostics.size(), 3u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 1u);
  EXPECT_EQ(d.diagnostics[1].line, 3u);
  EXPECT_EQ(d.diagnostics[2].line, 4u);
  EXPECT_NE(d.diagnostics[2].message.find("outside an entry"), std::string::npos);
}

TEST(AggregatedReader, BadFileLineKeepsTheFrame) {
  Dump d = Read(
      "goroutine profile: total 1\n"
      "1 @ 0x1\n"
      "#\t0x1\tmain.f+0x1\t/a.go:notanumber\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 3u);
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0].function, "main.f");
  EXPECT_EQ(d.frames[0].line, 0u);
  EXPECT_TRUE(d.goroutines[0].has(kTruncated));
}

TEST(AggregatedReader, EntriesWithoutHeaderAreKept) {
  Dump d = Read("1 @ 0x1\n#\t0x1\tmain.f+0x1\t/a.go:3\n");
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.snapshots, 1u);
  ASSERT_EQ(d.diagnostics.size(), 1u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 1u);
}

TEST(AggregatedReader, BadProgramCounterIsReported) {
  Dump d = Read(
      "goroutine profile: total 1\n"
      "1 @ 0x1 zz\n"
      "#\t0x1\tmain.f+0x1\t/a.go:3\n"
      "#\tnope\tmain.g+0x1\t/a.go:4\n");
  ASSERT_EQ(d.diagnostics.size(), 2u) << DiagnosticsText(d);
  EXPECT_EQ(d.diagnostics[0].line, 2u);
  EXPECT_EQ(d.diagnostics[1].line, 4u);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].frames_size, 1u);
}

TEST(AggregatedReader, DiagnosticsAreCapped) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "junk\n";
  Dump d = Read(text);
  ASSERT_EQ(d.diagnostics.size(), 1001u);
  EXPECT_EQ(d.diagnostics.back().message, "4000 more problems not reported");
}

TEST(AggregatedReader, LargeInputKeepsEveryEntry) {
  std::string text = "goroutine profile: total 200000\n";
  for (int i = 0; i < 100000; ++i) {
    text += "2 @ 0x48080e 0x414a5c 0x4e8725\n";
    text += "#\t0x4e8724\tmain.sendOne+0x44\t\t/src/main.go:52\n";
    text += "#\t0x4e870b\tmain.leakySender.func1+0x2b\t/src/main.go:62\n\n";
  }
  Dump d = Read(text);
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.goroutines.size(), 100000u);
  EXPECT_EQ(d.frames.size(), 200000u);
  EXPECT_EQ(d.TotalGoroutines(), 200000u);
  EXPECT_EQ(d.goroutines.back().line, 1u + 4u * 99999u + 1u);
}

TEST(AggregatedReader, ParseDumpDetectsTheFormat) {
  auto owned = std::make_shared<std::string>(ReadFixture("go1.26/goroutine.debug1.txt"));
  ReadOptions options;
  Dump d = ParseDump("goroutine.debug1.txt", *owned, owned, options);
  EXPECT_EQ(d.format, Format::kAggregated);
  EXPECT_EQ(d.goroutines.size(), 17u);
  EXPECT_EQ(d.TotalGoroutines(), 20u);
}

}  // namespace
}  // namespace leakhound::dump
