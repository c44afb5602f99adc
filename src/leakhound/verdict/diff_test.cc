#include "leakhound/verdict/diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leakhound/dump/reader.h"

namespace leakhound::verdict {
namespace {

dump::Dump Parse(std::string name, std::string text) {
  auto owned = std::make_shared<std::string>(std::move(text));
  std::string_view bytes = *owned;
  return dump::ParseDump(std::move(name), bytes, owned, dump::ReadOptions{});
}

// `senders` goroutines with ids first_id.. parked in chan send at main.fetch, created per request; plus a pool of 4.
std::string Snapshot(int senders, int first_id) {
  std::string out;
  for (int i = 0; i < senders; ++i) {
    out += "goroutine " + std::to_string(first_id + i) + " [chan send]:\nmain.fetch(0x1)\n\t/app/f.go:7 +0x1\n" +
           "created by main.handle in goroutine " + std::to_string(5000 + first_id + i) + "\n\t/app/h.go:9 +0x1\n\n";
  }
  for (int i = 0; i < 4; ++i) {
    out += "goroutine " + std::to_string(10 + i) +
           " [chan receive]:\nmain.work(0x2)\n\t/app/w.go:3 +0x1\ncreated by main.main in goroutine 1\n"
           "\t/app/main.go:20 +0x1\n\n";
  }
  return out;
}

TEST(Diff, TimestampsInFileNames) {
  auto a = TimestampMinutes("dumps/goroutines-2026-11-25T10-04-00.txt");
  auto b = TimestampMinutes("goroutines-2026-11-25T10:14:30.txt");
  ASSERT_TRUE(a && b);
  EXPECT_DOUBLE_EQ(*b - *a, 10.5);
  auto c = TimestampMinutes("dump.20261125-1004.txt");
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(*c, *a);
  auto e = TimestampMinutes("g-1764064800.txt");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(*e, 1764064800.0 / 60);
  EXPECT_FALSE(TimestampMinutes("before.txt"));
  EXPECT_FALSE(TimestampMinutes("2026-13-45T99-99.txt"));
}

TEST(Diff, GrowthWithStuckIdsRaisesTheVerdict) {
  // 20 senders, then 80 of which the first 20 are the same goroutines: +60, 100 % stuck.
  std::vector<dump::Dump> dumps;
  dumps.push_back(Parse("before.txt", Snapshot(20, 100)));
  dumps.push_back(Parse("after.txt", Snapshot(80, 100)));
  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok());
  ASSERT_EQ(diff->buckets.size(), 2u);
  const DiffBucket& b = diff->buckets[0];
  EXPECT_EQ(b.counts, (std::vector<uint64_t>{20, 80}));
  EXPECT_EQ(b.growth, 60);
  EXPECT_EQ(b.change, Change::kGrown);
  EXPECT_EQ(b.first_ids, 20u);
  EXPECT_EQ(b.stuck, 20u);
  EXPECT_EQ(b.assessment.verdict, Verdict::kSuspect);
  EXPECT_NE(b.assessment.reason.find("+60"), std::string::npos) << b.assessment.reason;
  EXPECT_NE(b.assessment.reason.find("100 % of ids stuck"), std::string::npos) << b.assessment.reason;
  EXPECT_NE(b.assessment.reason.find("created by main.handle h.go:9"), std::string::npos) << b.assessment.reason;
  EXPECT_EQ(diff->buckets[1].change, Change::kSame);
  EXPECT_EQ(diff->total_growth, 60);
}

TEST(Diff, ChurnWithoutStuckIdsIsNotRaised) {
  // The same number again, but all different goroutines: load, not a leak.
  std::vector<dump::Dump> dumps;
  dumps.push_back(Parse("a.txt", Snapshot(5, 100)));
  dumps.push_back(Parse("b.txt", Snapshot(8, 900)));
  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok());
  const DiffBucket& b = diff->buckets[0];
  EXPECT_EQ(b.growth, 3);
  EXPECT_EQ(b.stuck, 0u);
  // Growth is not the evidence here (their creators having exited may be: that is another rule).
  EXPECT_NE(b.assessment.rule, "growth") << b.assessment.reason;
}

TEST(Diff, SlopePerMinuteAndMonotonicOverThreeSnapshots) {
  std::vector<dump::Dump> dumps;
  dumps.push_back(Parse("a.txt", Snapshot(10, 100)));
  dumps.push_back(Parse("b.txt", Snapshot(30, 100)));
  dumps.push_back(Parse("c.txt", Snapshot(50, 100)));
  DiffOptions options;
  options.interval_minutes = 5;
  auto diff = DiffDumps(dumps, options);
  ASSERT_TRUE(diff.ok());
  EXPECT_TRUE(diff->timed);
  const DiffBucket& b = diff->buckets[0];
  ASSERT_TRUE(b.slope.has_value());
  EXPECT_DOUBLE_EQ(*b.slope, 4.0);
  EXPECT_TRUE(b.monotonic);
  EXPECT_EQ(b.assessment.verdict, Verdict::kSuspect);
  EXPECT_NE(b.assessment.reason.find("in 10 min"), std::string::npos) << b.assessment.reason;
}

TEST(Diff, NewAndVanishedBuckets) {
  std::vector<dump::Dump> dumps;
  dumps.push_back(Parse("a.txt", Snapshot(30, 100)));
  dumps.push_back(Parse("b.txt", Snapshot(0, 100) + "goroutine 7 [select]:\nmain.other()\n\t/app/o.go:1 +0x1\n"));
  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok());
  size_t vanished = 0, added = 0;
  for (const DiffBucket& b : diff->buckets) {
    vanished += b.change == Change::kVanished;
    added += b.change == Change::kNew;
  }
  EXPECT_EQ(vanished, 1u);  // the senders: 30 -> 0
  EXPECT_EQ(added, 1u);     // main.other
}

TEST(Diff, MixedFormatsMatchOnWhatBothPrint) {
  // A traceback, then a debug=1 profile of the same program: no states, no creators, runtime.goexit at the bottom.
  std::vector<dump::Dump> dumps;
  dumps.push_back(Parse("a.txt", Snapshot(20, 100)));
  dumps.push_back(Parse("b.txt",
                        "goroutine profile: total 54\n"
                        "50 @ 0x4 0x5 0x6\n#\t0x5\tmain.fetch+0x1\t/app/f.go:7\n#\t0x6\truntime.goexit+0x1\t/go/asm.s:1\n\n"
                        "4 @ 0x7 0x8\n#\t0x7\tmain.work+0x1\t/app/w.go:3\n"));
  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok());
  ASSERT_EQ(diff->buckets.size(), 2u);
  EXPECT_EQ(diff->buckets[0].counts, (std::vector<uint64_t>{20, 50}));
  EXPECT_EQ(diff->buckets[0].bucket.state(), "chan send");  // shown from the traceback
  EXPECT_EQ(diff->buckets[0].first_ids, 0u);                  // debug=1 has no ids: nothing to call stuck
  EXPECT_EQ(diff->buckets[1].counts, (std::vector<uint64_t>{4, 4}));
}

}  // namespace
}  // namespace leakhound::verdict
