// Traceback reader tests on hand-written fixtures of the variants the installed Go cannot print (each cites the Go
// version whose runtime prints it), and on transformations of them (CRLF, colours, log prefixes, truncation).
// Dumps from the installed Go are covered by the live tests (verdict/analysis_live_test.cc).
#include <gtest/gtest.h>

#include <string>

#include "leakhound/dump/reader.h"

namespace leakhound::dump {
namespace {

Dump Parse(std::string_view text, unsigned threads = 1) {
  auto owned = std::make_shared<std::string>(text);
  std::string_view bytes = *owned;
  ReadOptions options;
  options.format = Format::kAuto;
  options.threads = threads;
  return ParseDump("test.txt", bytes, owned, options);
}

// Go 1.13 - 1.16: SIGQUIT dump, stack-based ABI (plain hex words), "created by X" without a parent id,
// goroutine 0 [idle], register dump after the goroutines.
constexpr std::string_view kGo113Sigquit = R"(SIGQUIT: quit
PC=0x45d3c1 m=0 sigcode=0

goroutine 0 [idle]:
runtime.futex(0x5b4e28, 0x80, 0x0, 0x0, 0x0, 0x7ffd8a4c6e18, 0x0, 0x0, 0x7ffd8a4c6e40, 0x40c5df, ...)
	/usr/local/go/src/runtime/sys_linux_amd64.s:567 +0x21

goroutine 1 [chan receive, 12 minutes]:
main.main()
	/app/main.go:31 +0x9c

goroutine 6 [chan send, 5 minutes]:
main.worker(0xc00001c0c0, 0x5)
	/app/main.go:14 +0x4d
created by main.main
	/app/main.go:27 +0x7a

goroutine 7 [chan send, 5 minutes]:
main.worker(0xc00001c0c0, 0x6)
	/app/main.go:14 +0x4d
created by main.main
	/app/main.go:27 +0x7a

rax    0xca
rbx    0x0
rip    0x45d3c1
)";

TEST(TracebackReader, AStackDeeperThanTheBudgetKeepsItsFirstFrames) {
  std::string text = "goroutine 7 [chan receive]:\n";
  for (int i = 0; i < 300000; ++i) text += "main.deep(...)\n\t/src/d.go:" + std::to_string(i + 1) + "\n";
  text += "created by main.main in goroutine 1\n\t/src/main.go:3 +0x1\n\ngoroutine 1 [select]:\nmain.main()\n\t/src/main.go:9 +0x1\n";
  Dump d = Parse(text);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_EQ(d.goroutines[0].frames_size, kMaxFramesPerStack);
  EXPECT_TRUE(d.goroutines[0].has(kElided));
  EXPECT_EQ(d.FramesOf(d.goroutines[0]).back().line, kMaxFramesPerStack) << "file:line stays with its frame";
  EXPECT_EQ(d.goroutines[0].created_by.function, "main.main");
  EXPECT_EQ(d.goroutines[1].frames_size, 1u);
}

TEST(TracebackReader, Go113SigquitWithRegisters) {
  Dump d = Parse(kGo113Sigquit);
  EXPECT_EQ(d.format, Format::kTraceback);
  ASSERT_EQ(d.goroutines.size(), 4u);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message;
  const Goroutine& g = d.goroutines[2];
  EXPECT_EQ(g.id, 6u);
  EXPECT_EQ(g.state, "chan send");
  EXPECT_EQ(g.wait_minutes, 5);
  ASSERT_EQ(g.frames_size, 1u);
  EXPECT_EQ(d.FramesOf(g)[0].function, "main.worker");
  EXPECT_EQ(d.FramesOf(g)[0].args, "0xc00001c0c0, 0x5");
  EXPECT_EQ(d.FramesOf(g)[0].line, 14u);
  EXPECT_EQ(g.created_by.function, "main.main");
  EXPECT_EQ(g.created_by.file, "/app/main.go");
  EXPECT_EQ(g.created_by.line, 27u);
  EXPECT_EQ(g.parent_id, 0u);
  EXPECT_EQ(g.line, 12u);
  EXPECT_EQ(d.snapshots, 1u);
}

// Go 1.17 - 1.20: register ABI, "{…}" aggregates and "?" for possibly stale values (1.18+), inlined "(...)".
constexpr std::string_view kGo118Panic = R"(panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.lookup(...)
	/app/lookup.go:9
main.(*Server).handle(0xc000120000, {0x4f2a80?, 0xc00014e000?})
	/app/server.go:42 +0x1d5
main.main()
	/app/main.go:18 +0x65
exit status 2
)";

TEST(TracebackReader, Go118PanicWithInlinedFrameAndTrailer) {
  Dump d = Parse(kGo118Panic);
  ASSERT_EQ(d.goroutines.size(), 1u);
  const Goroutine& g = d.goroutines[0];
  EXPECT_EQ(g.state, "running");
  ASSERT_EQ(g.frames_size, 3u);
  auto f = d.FramesOf(g);
  EXPECT_TRUE(f[0].inlined);
  EXPECT_EQ(f[0].line, 9u);
  EXPECT_EQ(f[1].function, "main.(*Server).handle");
  EXPECT_EQ(f[1].args, "0xc000120000, {0x4f2a80?, 0xc00014e000?}");
  // "exit status 2" after the last frame ends the stack and is reported, but nothing is lost.
  EXPECT_EQ(f[2].function, "main.main");
}

// Go 1.21+: "created by X in goroutine N", "...N frames elided...", generics, closures, gowrap.
constexpr std::string_view kGo121 = R"(goroutine 35 [select, 3 minutes]:
example.com/svc/stream.(*Hub[...]).run.func1()
	/src/stream/hub.go:88 +0x125
...12 frames elided...
example.com/svc/stream.(*Hub[...]).run(0xc0001a2000)
	/src/stream/hub.go:80 +0x9e
created by example.com/svc/stream.NewHub[...].gowrap1 in goroutine 1
	/src/stream/hub.go:41 +0x1a5

goroutine 36 [sync.Mutex.Lock]:
sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/sema.go:95 +0x25
sync.(*Mutex).lockSlow(0xc0000b6010)
	/usr/local/go/src/sync/mutex.go:173 +0x15d
sync.(*Mutex).Lock(...)
	/usr/local/go/src/sync/mutex.go:92
example.com/svc/store.(*Cache).Get(0xc0000b6000, {0x52e3a0, 0x3})
	/src/store/cache.go:20 +0x4b
created by example.com/svc/store.Warm in goroutine 35
	/src/store/warm.go:12 +0x33
)";

TEST(TracebackReader, Go121CreatorParentElisionAndGenerics) {
  Dump d = Parse(kGo121);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.diagnostics.empty());
  const Goroutine& a = d.goroutines[0];
  EXPECT_TRUE(a.has(kElided));
  EXPECT_EQ(a.frames_size, 2u);
  EXPECT_EQ(a.created_by.function, "example.com/svc/stream.NewHub[...].gowrap1");
  EXPECT_EQ(a.parent_id, 1u);
  const Goroutine& b = d.goroutines[1];
  EXPECT_EQ(b.state, "sync.Mutex.Lock");
  EXPECT_EQ(b.frames_size, 4u);
  EXPECT_TRUE(d.FramesOf(b)[2].inlined);
  EXPECT_EQ(b.parent_id, 35u);
}

// Go 1.22+ with GOTRACEBACK=system / crash: gp= m= mp= headers, fp= sp= pc= suffixes, runtime frames shown.
constexpr std::string_view kGo122System = R"(goroutine 1 gp=0xc0000061c0 m=0 mp=0x5b6e40 [running]:
runtime/debug.Stack()
	/usr/local/go/src/runtime/debug/stack.go:26 +0x5e fp=0xc000057f08 sp=0xc000057ef0 pc=0x4a2b1e
main.main()
	/app/main.go:9 +0x13 fp=0xc000057f50 sp=0xc000057f08 pc=0x4a2bd3

goroutine 2 gp=0xc000006c40 m=nil [force gc (idle)]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/proc.go:402 +0xce fp=0xc000044fa8 sp=0xc000044f88 pc=0x43a2ce
runtime.goparkunlock(...)
	/usr/local/go/src/runtime/proc.go:408 pc=0x43a2ce
runtime.forcegchelper()
	/usr/local/go/src/runtime/proc.go:326 +0xb3 fp=0xc000044fe0 sp=0xc000044fa8 pc=0x43a133
runtime.goexit({})
	/usr/local/go/src/runtime/asm_amd64.s:1695 +0x1 fp=0xc000044fe8 sp=0xc000044fe0 pc=0x46b2a1
created by runtime.init.6 in goroutine 1
	/usr/local/go/src/runtime/proc.go:314 +0x1a
)";

TEST(TracebackReader, Go122SystemHeadersAndFramePointers) {
  Dump d = Parse(kGo122System);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.diagnostics.empty());
  EXPECT_EQ(d.goroutines[0].state, "running");
  EXPECT_EQ(d.FramesOf(d.goroutines[0])[1].line, 9u);
  EXPECT_EQ(d.goroutines[1].state, "force gc (idle)");
  EXPECT_EQ(d.goroutines[1].frames_size, 4u);
  EXPECT_TRUE(d.FramesOf(d.goroutines[1])[1].inlined);
}

// GODEBUG=tracebackancestors=N (Go 1.11+): ancestors follow the creator and belong to the goroutine above.
// "goroutine running on other thread" (all versions) replaces the frames.
constexpr std::string_view kAncestors = R"(goroutine 9 [chan receive]:
main.consume(0xc000016120)
	/app/main.go:20 +0x2a
created by main.spawn in goroutine 8
	/app/main.go:30 +0x3b
[originating from goroutine 8]:
main.spawn(...)
	/app/main.go:30 +0x3b
created by main.main
	/app/main.go:40 +0x25
[originating from goroutine 1]:
main.main(...)
	/app/main.go:40 +0x25
...additional frames elided...

goroutine 10 [running]:
	goroutine running on other thread; stack unavailable
created by main.main in goroutine 1
	/app/main.go:41 +0x30
)";

TEST(TracebackReader, AncestorsBelongToTheGoroutineAbove) {
  Dump d = Parse(kAncestors);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message;
  const Goroutine& g = d.goroutines[0];
  EXPECT_EQ(g.frames_size, 1u);
  EXPECT_EQ(g.created_by.function, "main.spawn");
  EXPECT_EQ(g.created_by.line, 30u);
  EXPECT_EQ(g.ancestor_id, 8u);
  const Goroutine& h = d.goroutines[1];
  EXPECT_TRUE(h.has(kStackUnavailable));
  EXPECT_EQ(h.frames_size, 0u);
  EXPECT_EQ(h.created_by.line, 41u);
}

// go test -timeout (Go 1.21+ lists running tests) inside a test log with other output.
constexpr std::string_view kGoTestTimeout = R"(=== RUN   TestLeak
--- some test output
panic: test timed out after 2s
	running tests:
		TestLeak (2s)

goroutine 7 [chan receive]:
example.com/pkg.TestLeak(0xc000007a00)
	/src/pkg/leak_test.go:14 +0x45
testing.tRunner(0xc000007a00, 0x5a1b38)
	/usr/local/go/src/testing/testing.go:1689 +0xfb
created by testing.(*T).Run in goroutine 1
	/usr/local/go/src/testing/testing.go:1742 +0x390
FAIL	example.com/pkg	2.011s
)";

TEST(TracebackReader, GoTestTimeoutInsideTestLog) {
  Dump d = Parse(kGoTestTimeout);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].frames_size, 2u);
  EXPECT_EQ(d.goroutines[0].created_by.function, "testing.(*T).Run");
}

// goleak < 1.3 embedded in `go test` output: its header, then the runtime's own header; the test framework indents
// every line.
constexpr std::string_view kGoleak = R"(=== RUN   TestWorker
    worker_test.go:21: found unexpected goroutines:
        [Goroutine 8 in state chan receive, with example.com/pkg.worker on top of the stack:
        goroutine 8 [chan receive]:
        example.com/pkg.worker(0xc000020120)
        	/src/pkg/worker.go:9 +0x2c
        created by example.com/pkg.TestWorker in goroutine 7
        	/src/pkg/worker_test.go:17 +0x7e
        ]
--- FAIL: TestWorker (0.45s)
FAIL
)";

TEST(TracebackReader, RecordedGoleakReportInTestOutput) {
  // Recorded from `go test` with go.uber.org/goleak v1.3.0 and Go 1.26: goleak's headers only, one "[...]" list.
  std::string path = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/goleak/go1.26-goleak1.3.0-test-output.txt";
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr) << path;
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  Dump d = Parse(text);
  ASSERT_EQ(d.goroutines.size(), 3u);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message << " at " << d.diagnostics[0].line;
  for (const Goroutine& g : d.goroutines) {
    EXPECT_EQ(g.state, "chan receive");
    ASSERT_EQ(g.frames_size, 1u);
    EXPECT_EQ(d.FramesOf(g)[0].function, "example.com/gl.worker");
    EXPECT_EQ(d.FramesOf(g)[0].line, 9u);
    EXPECT_EQ(g.created_by.function, "example.com/gl.TestLeak");
    EXPECT_EQ(g.parent_id, 4u);
  }
  EXPECT_EQ(d.goroutines[0].id, 5u);
  EXPECT_EQ(d.goroutines[2].id, 7u);
}

TEST(TracebackReader, OlderGoleakReportWithRuntimeHeaders) {
  Dump d = Parse(kGoleak);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message;
  EXPECT_EQ(d.goroutines[0].state, "chan receive");
  EXPECT_EQ(d.FramesOf(d.goroutines[0])[0].function, "example.com/pkg.worker");
  EXPECT_EQ(d.goroutines[0].created_by.line, 17u);
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t at = s.find(from, pos);
    if (at == std::string::npos) break;
    out.append(s, pos, at - pos);
    out.append(to);
    pos = at + from.size();
  }
  out.append(s, pos);
  return out;
}

std::string PrefixLines(std::string_view text, auto prefix_for) {
  std::string out;
  size_t n = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    out += prefix_for(n++);
    out += line;
    out += '\n';
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

void ExpectSameAsClean(const Dump& d, std::string_view what) {
  Dump clean = Parse(kGo121);
  ASSERT_EQ(d.goroutines.size(), clean.goroutines.size()) << what;
  for (size_t i = 0; i < d.goroutines.size(); ++i) {
    EXPECT_EQ(d.goroutines[i].state, clean.goroutines[i].state) << what;
    EXPECT_EQ(d.goroutines[i].frames_size, clean.goroutines[i].frames_size) << what;
    EXPECT_EQ(d.goroutines[i].created_by.function, clean.goroutines[i].created_by.function) << what;
    EXPECT_EQ(d.goroutines[i].line, clean.goroutines[i].line) << what;
    for (size_t k = 0; k < d.goroutines[i].frames_size; ++k) {
      EXPECT_EQ(d.FramesOf(d.goroutines[i])[k].function, clean.FramesOf(clean.goroutines[i])[k].function) << what;
      EXPECT_EQ(d.FramesOf(d.goroutines[i])[k].line, clean.FramesOf(clean.goroutines[i])[k].line) << what;
    }
  }
}

TEST(TracebackReader, CrlfLineEnds) {
  ExpectSameAsClean(Parse(Replace(std::string(kGo121), "\n", "\r\n")), "crlf");
}

TEST(TracebackReader, TabsTurnedIntoSpaces) {
  ExpectSameAsClean(Parse(Replace(std::string(kGo121), "\t", "        ")), "spaces");
}

TEST(TracebackReader, AnsiColours) {
  std::string coloured = Replace(std::string(kGo121), "goroutine 3", "\x1b[1;31mgoroutine 3");
  coloured = Replace(coloured, "]:\n", "]:\x1b[0m\n");
  ExpectSameAsClean(Parse(coloured), "ansi");
}

TEST(TracebackReader, FixedWidthTimestampPrefix) {
  std::string text = PrefixLines(kGo121, [](size_t n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "2026-11-25T10:%02zu:%02zu.%03zuZ ", n % 60, (n * 7) % 60, (n * 37) % 1000);
    return std::string(buf);
  });
  ExpectSameAsClean(Parse(text), "timestamps");
}

TEST(TracebackReader, PodNamePrefixOfVaryingLength) {
  std::string text = PrefixLines(kGo121, [](size_t n) { return n % 2 ? "[api-7c9f-x] " : "[api-7c9f-xyz12] "; });
  ExpectSameAsClean(Parse(text), "pods");
}

TEST(TracebackReader, KubectlTimestampsAndPodWords) {
  std::string text = PrefixLines(kGo121, [](size_t n) {
    return std::string(n % 3 ? "2026-11-25T10:00:01.5Z api-0 " : "2026-11-25T10:00:01.12345Z api-12 ");
  });
  ExpectSameAsClean(Parse(text), "words");
}

TEST(TracebackReader, TruncatedMidFrameKeepsWhatParsed) {
  // runtime/pprof cuts ?debug=2 at 64 MB: the last goroutine ends mid-line, without a newline.
  std::string text(kGo121);
  text = text.substr(0, text.find("/src/store/cache.go:20") + 8);
  Dump d = Parse(text);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.goroutines[1].has(kTruncated));
  EXPECT_EQ(d.goroutines[1].frames_size, 4u);
  ASSERT_FALSE(d.diagnostics.empty());
  EXPECT_EQ(d.diagnostics.back().line, 18u);
  EXPECT_NE(d.diagnostics.back().message.find("truncated"), std::string::npos);
}

TEST(TracebackReader, GarbageInsideStackIsReportedWithItsLine) {
  std::string text(kGo113Sigquit);
  text = Replace(text, "main.worker(0xc00001c0c0, 0x6)\n", "main.worker(0xc00001c0c0, 0x6)\n@@ garbage @@\n");
  Dump d = Parse(text);
  ASSERT_EQ(d.goroutines.size(), 4u);
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].line, 20u);
  EXPECT_EQ(d.diagnostics[0].excerpt, "@@ garbage @@");
}

TEST(TracebackReader, SeveralDumpsInOneFile) {
  std::string text = std::string(kGo113Sigquit) + "\nsome log line\n" + std::string(kGo113Sigquit);
  Dump d = Parse(text);
  EXPECT_EQ(d.goroutines.size(), 8u);
  EXPECT_EQ(d.snapshots, 2u);
  EXPECT_EQ(d.goroutines[3].snapshot, 0u);
  EXPECT_EQ(d.goroutines[4].snapshot, 1u);
}

TEST(TracebackReader, RepeatedIdsWithoutPreambleStartANewDump) {
  // runtime.Stack(buf, true) printed twice into a log has no preamble.
  std::string text = std::string(kGo121) + "\n" + std::string(kGo121);
  Dump d = Parse(text);
  EXPECT_EQ(d.snapshots, 2u);
}

TEST(TracebackReader, ParallelParseMatchesSequential) {
  // Large enough to be cut into several chunks.
  std::string text;
  for (int i = 0; text.size() < (24u << 20); ++i) {
    text += "goroutine " + std::to_string(100 + i) + " [chan send, " + std::to_string(i % 90) + " minutes]:\n";
    text += "main.worker(0xc00001c0c0, 0x" + std::to_string(i % 10) + ")\n\t/app/main.go:14 +0x4d\n";
    text += "main.pool.func" + std::to_string(i % 7) + "()\n\t/app/main.go:" + std::to_string(20 + i % 7) +
            " +0x11\ncreated by main.main in goroutine 1\n\t/app/main.go:27 +0x7a\n\n";
  }
  Dump one = Parse(text, 1);
  Dump many = Parse(text, 4);
  ASSERT_EQ(one.goroutines.size(), many.goroutines.size());
  ASSERT_EQ(one.frames.size(), many.frames.size());
  for (size_t i = 0; i < one.goroutines.size(); i += 997) {
    EXPECT_EQ(one.goroutines[i].id, many.goroutines[i].id);
    EXPECT_EQ(one.goroutines[i].line, many.goroutines[i].line);
    EXPECT_EQ(one.goroutines[i].wait_minutes, many.goroutines[i].wait_minutes);
    EXPECT_EQ(one.FramesOf(one.goroutines[i])[1].function, many.FramesOf(many.goroutines[i])[1].function);
  }
  EXPECT_EQ(many.snapshots, 1u);
}

TEST(TracebackReader, EmptyAndBinaryInputsNeverCrash) {
  EXPECT_TRUE(Parse("").goroutines.empty());
  EXPECT_FALSE(Parse("").diagnostics.empty());
  EXPECT_TRUE(Parse("goroutine ").goroutines.empty());
  EXPECT_TRUE(Parse("\n\n\n").goroutines.empty());
  Dump d = Parse("goroutine 1 [running]:\nmain.main(");
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_TRUE(d.goroutines[0].has(kTruncated));
}

}  // namespace
}  // namespace leakhound::dump
