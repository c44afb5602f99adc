// ReadPprof on real `?debug=0` profiles written by Go 1.26 (tests/fixtures/gen), cross-checked against the traceback
// the same process printed, and on profiles built or damaged in memory.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/dump/profile.pb.h"
#include "leakhound/dump/reader.h"
#include "leakhound/util/gzip.h"

namespace leakhound::dump {
namespace {

namespace pb = perftools::profiles;

std::string ReadFixture(const std::string& relative) {
  std::ifstream in(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Dump Read(std::string_view bytes) {
  Dump d;
  ReadPprof(bytes, d);
  return d;
}

std::string DiagnosticsText(const Dump& d) {
  std::string s;
  for (const Diagnostic& diag : d.diagnostics) s += std::to_string(diag.line) + ": " + diag.message + "\n";
  return s;
}

bool HasDiagnostic(const Dump& d, std::string_view needle) {
  return std::any_of(d.diagnostics.begin(), d.diagnostics.end(),
                     [&](const Diagnostic& diag) { return diag.message.find(needle) != std::string::npos; });
}

// States weighted by goroutine count.
std::map<std::string, uint64_t> StateCounts(const Dump& d) {
  std::map<std::string, uint64_t> counts;
  for (const Goroutine& g : d.goroutines) counts[std::string(g.state)] += g.count;
  return counts;
}

// The wait reasons of "goroutine N [reason]:" headers, without the "(leaked)" mark; a simple scan, not the
// traceback reader. With Which::kLeaked, just the goroutines marked "(leaked)".
enum class Which { kAll, kLeaked };
std::map<std::string, uint64_t> HeaderStates(std::string_view dump, Which which = Which::kAll) {
  std::string text(1, '\n');
  text += dump;
  std::map<std::string, uint64_t> counts;
  for (size_t pos = text.find("\ngoroutine "); pos != std::string::npos; pos = text.find("\ngoroutine ", pos + 1)) {
    size_t open = text.find('[', pos);
    size_t close = text.find("]:", pos);
    if (open == std::string::npos || close == std::string::npos) break;
    std::string state = text.substr(open + 1, close - open - 1);
    const bool leaked = state.ends_with(" (leaked)");
    if (leaked) state.resize(state.size() - 9);
    if (leaked || which == Which::kAll) ++counts[state];
  }
  return counts;
}

class ProfileBuilder {
 public:
  ProfileBuilder() {
    Str("");
    auto* type = p.add_sample_type();
    type->set_type(Str("goroutine"));
    type->set_unit(Str("count"));
  }
  int64_t Str(const std::string& s) {
    p.add_string_table(s);
    return p.string_table_size() - 1;
  }
  uint64_t Function(const std::string& name, const std::string& file, int64_t start_line = 0) {
    auto* f = p.add_function();
    f->set_id(static_cast<uint64_t>(p.function_size()));
    f->set_name(Str(name));
    f->set_filename(Str(file));
    f->set_start_line(start_line);
    return f->id();
  }
  // One location; `lines` are (function id, line), innermost first.
  uint64_t Location(std::vector<std::pair<uint64_t, int64_t>> lines, uint64_t address = 0x1000) {
    auto* loc = p.add_location();
    loc->set_id(static_cast<uint64_t>(p.location_size()));
    loc->set_address(address);
    for (auto [fn, line] : lines) {
      auto* l = loc->add_line();
      l->set_function_id(fn);
      l->set_line(line);
    }
    return loc->id();
  }
  pb::Sample* Sample(std::vector<uint64_t> locations, int64_t count) {
    auto* s = p.add_sample();
    for (uint64_t id : locations) s->add_location_id(id);
    s->add_value(count);
    return s;
  }
  std::string Bytes() const { return p.SerializeAsString(); }

  pb::Profile p;
};

TEST(PprofReader, Go126ProfileParses) {
  const std::string bytes = ReadFixture("go1.26/goroutine.debug0.pb.gz");
  ASSERT_TRUE(util::IsGzip(bytes));
  Dump d = Read(bytes);
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.format, Format::kPprof);
  EXPECT_EQ(d.snapshots, 1u);
  EXPECT_FALSE(d.leak_profile);
  EXPECT_EQ(d.goroutines.size(), 17u);
  EXPECT_EQ(d.TotalGoroutines(), 20u);

  const Goroutine& senders = d.goroutines[0];
  EXPECT_EQ(senders.count, 3u);
  EXPECT_EQ(senders.line, 0u);
  EXPECT_EQ(senders.state, "chan send");
  EXPECT_TRUE(senders.has(kStateInferred));
  // Rendered as runtime/pprof prints labels in debug=1 (see aggregated_reader_test.cc).
  EXPECT_EQ(senders.labels, R"({"shard":"7", "worker":"sender"})");
  auto frames = d.FramesOf(senders);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(frames[0].function, "runtime.gopark");
  EXPECT_EQ(frames[1].function, "runtime.chansend");
  EXPECT_EQ(frames[2].function, "runtime.chansend1");
  EXPECT_EQ(frames[3].function, "main.sendOne");
  EXPECT_TRUE(frames[3].inlined);
  EXPECT_EQ(frames[3].line, 52u);
  EXPECT_TRUE(frames[3].file.ends_with("tests/fixtures/gen/main.go"));
  EXPECT_EQ(frames[4].function, "main.leakySender.func1");
  EXPECT_FALSE(frames[4].inlined);
  EXPECT_EQ(frames[4].line, 62u);
}

TEST(PprofReader, Go126StatesMatchTheTracebackOfTheSameProcess) {
  Dump d = Read(ReadFixture("go1.26/goroutine.debug0.pb.gz"));
  const auto from_traceback = HeaderStates(ReadFixture("go1.26/goroutine.debug2.txt"));
  ASSERT_EQ(from_traceback.size(), 15u);  // 15 distinct wait reasons, nil channels included
  EXPECT_EQ(StateCounts(d), from_traceback);
}

TEST(PprofReader, Go126LeakProfile) {
  Dump d = Read(ReadFixture("go1.26/goroutineleak.debug0.pb.gz"));
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_TRUE(d.leak_profile);
  EXPECT_EQ(d.TotalGoroutines(), 10u);
  for (const Goroutine& g : d.goroutines) EXPECT_TRUE(g.has(kLeaked));
  // The leak profile's goroutines are those marked "(leaked)" in the traceback taken after it.
  EXPECT_EQ(StateCounts(d), HeaderStates(ReadFixture("go1.26/goroutineleak.debug2.txt"), Which::kLeaked));
}

TEST(PprofReader, UncompressedProfileParses) {
  auto plain = util::Gunzip(ReadFixture("go1.26/goroutine.debug0.pb.gz"), size_t{1} << 20);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  Dump d = Read(plain.value());
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.TotalGoroutines(), 20u);
}

TEST(PprofReader, ViewsSurviveTheInputAndAMove) {
  Dump moved;
  {
    std::string bytes = ReadFixture("go1.26/goroutine.debug0.pb.gz");
    Dump d = Read(bytes);
    bytes.assign(bytes.size(), 'x');
    moved = std::move(d);
  }
  ASSERT_FALSE(moved.goroutines.empty());
  EXPECT_EQ(moved.FramesOf(moved.goroutines[0])[0].function, "runtime.gopark");
  EXPECT_EQ(moved.goroutines[0].labels, R"({"shard":"7", "worker":"sender"})");
}

TEST(PprofReader, ParseDumpDetectsGzippedProfiles) {
  auto owned = std::make_shared<std::string>(ReadFixture("go1.26/goroutine.debug0.pb.gz"));
  Dump d = ParseDump("goroutine.pb.gz", *owned, owned, ReadOptions{});
  EXPECT_EQ(d.format, Format::kPprof);
  EXPECT_EQ(d.TotalGoroutines(), 20u);
}

TEST(PprofReader, TruncatedGzipIsReported) {
  std::string bytes = ReadFixture("go1.26/goroutine.debug0.pb.gz");
  bytes.resize(bytes.size() / 2);
  Dump d = Read(bytes);
  EXPECT_TRUE(d.goroutines.empty());
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].line, 0u);
  EXPECT_NE(d.diagnostics[0].message.find("truncated"), std::string::npos) << d.diagnostics[0].message;
}

TEST(PprofReader, GarbageIsReported) {
  Dump d = Read("\x08\x96\x01 this is not a profile \xff\xff\xff");
  EXPECT_TRUE(d.goroutines.empty());
  EXPECT_TRUE(HasDiagnostic(d, "not a pprof profile")) << DiagnosticsText(d);
  Dump empty = Read("");
  EXPECT_TRUE(HasDiagnostic(empty, "empty profile"));
}

TEST(PprofReader, DamagedTailKeepsTheCompleteFields) {
  ProfileBuilder b;
  uint64_t fn = b.Function("main.worker", "/src/main.go");
  b.Sample({b.Location({{fn, 10}})}, 4);
  std::string bytes = b.Bytes() + std::string("\x0a\xff\xff\xff\x0f", 5);  // a field claiming 4 GiB
  Dump d = Read(bytes);
  EXPECT_TRUE(HasDiagnostic(d, "damaged after byte")) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].count, 4u);
  EXPECT_EQ(d.FramesOf(d.goroutines[0])[0].function, "main.worker");
}

TEST(PprofReader, UnknownIdsAndStringIndicesAreReported) {
  ProfileBuilder b;
  uint64_t good = b.Function("main.worker", "/src/main.go");
  auto* bad = b.p.add_function();
  bad->set_id(7);
  bad->set_name(1000);
  bad->set_filename(-1);
  uint64_t loc_good = b.Location({{good, 10}});
  uint64_t loc_bad_fn = b.Location({{99, 1}});
  uint64_t loc_bad_str = b.Location({{7, 2}});
  b.Sample({loc_good, 42, loc_bad_fn, loc_bad_str}, 2);
  b.Sample({loc_good}, 1);
  Dump d = Read(b.Bytes());
  EXPECT_TRUE(HasDiagnostic(d, "unknown location id 42")) << DiagnosticsText(d);
  EXPECT_TRUE(HasDiagnostic(d, "unknown function id 99")) << DiagnosticsText(d);
  EXPECT_TRUE(HasDiagnostic(d, "string index 1000 is outside the string table")) << DiagnosticsText(d);
  EXPECT_TRUE(HasDiagnostic(d, "string index -1 is outside the string table")) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_TRUE(d.goroutines[0].has(kTruncated));
  auto frames = d.FramesOf(d.goroutines[0]);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].function, "main.worker");
  EXPECT_EQ(frames[1].function, "?");
  EXPECT_EQ(frames[2].function, "");
  EXPECT_EQ(frames[2].line, 2u);
  EXPECT_FALSE(d.goroutines[1].has(kTruncated));
}

TEST(PprofReader, AmplificationIsBoundedByTheFrameBudgets) {
  // A few hundred bytes: one location of 1,000 lines referenced 100,000 times by one sample (once grew past 10 GB).
  ProfileBuilder b;
  uint64_t fn = b.Function("main.f", "/a.go");
  std::vector<std::pair<uint64_t, int64_t>> lines(1000, {fn, 7});
  uint64_t loc = b.Location(lines);
  b.Sample(std::vector<uint64_t>(100000, loc), 1);
  Dump d = Read(b.Bytes());
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].frames_size, kMaxFramesPerStack);
  EXPECT_TRUE(d.goroutines[0].has(kElided));
  EXPECT_TRUE(HasDiagnostic(d, "more than 4096 frames: the rest are dropped")) << DiagnosticsText(d);
}

TEST(PprofReader, InvalidUtf8InTheStringTableIsRepaired) {
  ProfileBuilder b;
  uint64_t fn = b.Function("main.wAAker", "/src/main.go");
  auto* s = b.Sample({b.Location({{fn, 10}})}, 1);
  auto* label = s->add_label();
  label->set_key(b.Str("k"));
  label->set_str(b.Str("vBB"));
  std::string bytes = b.Bytes();
  // Same length, so the wire structure stays intact.
  bytes.replace(bytes.find("AA"), 2, "\xff\xfe");
  bytes.replace(bytes.find("BB"), 2, "\xc3\x28");
  Dump d = Read(bytes);
  EXPECT_TRUE(HasDiagnostic(d, "2 string table entries are not valid UTF-8")) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.FramesOf(d.goroutines[0])[0].function, "main.w??ker");
  EXPECT_EQ(d.goroutines[0].labels, R"({"k":"v?("})");
}

TEST(PprofReader, LabelsAreSortedAndQuotedLikeGo) {
  ProfileBuilder b;
  uint64_t fn = b.Function("main.f", "/a.go");
  auto* s = b.Sample({b.Location({{fn, 1}})}, 1);
  for (auto [k, v] : {std::pair<std::string, std::string>{"z", "last"}, {"a", "say \"hi\"\n"}, {"m", ""}}) {
    auto* label = s->add_label();
    label->set_key(b.Str(k));
    if (!v.empty()) label->set_str(b.Str(v));
  }
  auto* num = s->add_label();
  num->set_key(b.Str("n"));
  num->set_num(12);
  Dump d = Read(b.Bytes());
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  EXPECT_EQ(d.goroutines[0].labels, R"({"a":"say \"hi\"\n", "m":"", "n":12, "z":"last"})");
}

TEST(PprofReader, InlinedLinesAndUnsymbolisedLocations) {
  ProfileBuilder b;
  uint64_t callee = b.Function("main.inner", "/a.go");
  uint64_t middle = b.Function("main.middle", "/a.go");
  uint64_t caller = b.Function("main.outer", "/a.go");
  uint64_t inlined = b.Location({{callee, 3}, {middle, 7}, {caller, 9}});
  uint64_t bare = b.Location({}, 0x4e8724);
  b.Sample({bare, inlined}, 1);
  Dump d = Read(b.Bytes());
  EXPECT_TRUE(d.diagnostics.empty()) << DiagnosticsText(d);
  auto frames = d.FramesOf(d.goroutines[0]);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].function, "0x4e8724");
  EXPECT_EQ(frames[0].file, "?");
  EXPECT_FALSE(frames[0].inlined);
  EXPECT_EQ(frames[1].function, "main.inner");
  EXPECT_TRUE(frames[1].inlined);
  EXPECT_TRUE(frames[2].inlined);
  EXPECT_EQ(frames[3].function, "main.outer");
  EXPECT_FALSE(frames[3].inlined);
}

TEST(PprofReader, NilChannelFromTheCallSiteInTheRuntime) {
  // Go 1.26's chan.go: chansend starts at line 176, its nil-channel gopark is at 181 and the blocking one at 283.
  ProfileBuilder b;
  uint64_t gopark = b.Function("runtime.gopark", "/go/src/runtime/proc.go", 445);
  uint64_t chansend = b.Function("runtime.chansend", "/go/src/runtime/chan.go", 176);
  uint64_t chansend1 = b.Function("runtime.chansend1", "/go/src/runtime/chan.go", 160);
  uint64_t chanrecv = b.Function("runtime.chanrecv", "/go/src/runtime/chan.go", 524);
  uint64_t chanrecv1 = b.Function("runtime.chanrecv1", "/go/src/runtime/chan.go", 508);
  uint64_t user = b.Function("main.f", "/a.go", 1);
  uint64_t park = b.Location({{gopark, 462}});
  uint64_t send1 = b.Location({{chansend1, 161}});
  uint64_t recv1 = b.Location({{chanrecv1, 509}});
  uint64_t f = b.Location({{user, 3}});
  b.Sample({park, b.Location({{chansend, 181}}), send1, f}, 1);
  b.Sample({park, b.Location({{chansend, 283}}), send1, f}, 1);
  b.Sample({park, b.Location({{chanrecv, 536}}), recv1, f}, 1);
  b.Sample({park, b.Location({{chanrecv, 667}}), recv1, f}, 1);
  // No start line (older profiles): no way to tell.
  uint64_t chansend_no_start = b.Function("runtime.chansend", "/go/src/runtime/chan.go", 0);
  b.Sample({park, b.Location({{chansend_no_start, 181}}), send1, f}, 1);
  Dump d = Read(b.Bytes());
  ASSERT_EQ(d.goroutines.size(), 5u);
  EXPECT_EQ(d.goroutines[0].state, "chan send (nil chan)");
  EXPECT_EQ(d.goroutines[1].state, "chan send");
  EXPECT_EQ(d.goroutines[2].state, "chan receive (nil chan)");
  EXPECT_EQ(d.goroutines[3].state, "chan receive");
  EXPECT_EQ(d.goroutines[4].state, "chan send");
}

TEST(PprofReader, OtherProfileKindsAreRefused) {
  ProfileBuilder b;
  b.p.mutable_sample_type(0)->set_type(b.Str("cpu"));
  b.p.mutable_sample_type(0)->set_unit(b.Str("nanoseconds"));
  uint64_t fn = b.Function("main.f", "/a.go");
  b.Sample({b.Location({{fn, 1}})}, 1000000);
  Dump d = Read(b.Bytes());
  EXPECT_TRUE(d.goroutines.empty());
  EXPECT_TRUE(HasDiagnostic(d, "not a goroutine profile: its samples count cpu/nanoseconds")) << DiagnosticsText(d);
}

TEST(PprofReader, NegativeOrMissingCounts) {
  ProfileBuilder b;
  uint64_t loc = b.Location({{b.Function("main.f", "/a.go"), 1}});
  b.Sample({loc}, -5);
  b.Sample({loc}, 2)->clear_value();
  b.Sample({loc}, 3);
  Dump d = Read(b.Bytes());
  EXPECT_TRUE(HasDiagnostic(d, "sample 0 has a negative goroutine count -5")) << DiagnosticsText(d);
  EXPECT_TRUE(HasDiagnostic(d, "sample 1 has no value")) << DiagnosticsText(d);
  ASSERT_EQ(d.goroutines.size(), 2u);
  EXPECT_EQ(d.TotalGoroutines(), 4u);
}

TEST(PprofReader, HugeCountsAreKept) {
  ProfileBuilder b;
  b.Sample({b.Location({{b.Function("main.f", "/a.go"), 1}})}, INT64_MAX);
  Dump d = Read(b.Bytes());
  ASSERT_EQ(d.goroutines.size(), 1u);
  EXPECT_EQ(d.goroutines[0].count, static_cast<uint64_t>(INT64_MAX));
}

TEST(PprofReader, DiagnosticsAreCapped) {
  ProfileBuilder b;
  for (int i = 0; i < 3000; ++i) b.Sample({static_cast<uint64_t>(1000 + i)}, 1);
  Dump d = Read(b.Bytes());
  EXPECT_EQ(d.goroutines.size(), 3000u);
  ASSERT_EQ(d.diagnostics.size(), 1001u);
  EXPECT_EQ(d.diagnostics.back().message, "2000 more problems not reported");
}

}  // namespace
}  // namespace leakhound::dump
