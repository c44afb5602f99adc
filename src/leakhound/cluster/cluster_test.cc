#include "leakhound/cluster/cluster.h"

#include <gtest/gtest.h>

#include <string>

#include "leakhound/dump/reader.h"

namespace leakhound::cluster {
namespace {

dump::Dump Parse(std::string text) {
  auto owned = std::make_shared<std::string>(std::move(text));
  std::string_view bytes = *owned;
  return dump::ParseDump("t.txt", bytes, owned, dump::ReadOptions{});
}

// Four goroutines: 1 and 2 differ only in argument values, 3 blocks on another line of the same function, 4 is in
// another state.
constexpr std::string_view kDump = R"(goroutine 1 [chan send, 3 minutes]:
main.emit(0xc000010000)
	/app/main.go:10 +0x1
created by main.start in goroutine 9
	/app/main.go:30 +0x2

goroutine 2 [chan send, 7 minutes]:
main.emit(0xc000020000)
	/app/main.go:10 +0x1
created by main.start in goroutine 8
	/app/main.go:30 +0x2

goroutine 3 [chan send]:
main.emit(0xc000020000)
	/app/main.go:12 +0x1
created by main.start in goroutine 9
	/app/main.go:30 +0x2

goroutine 4 [chan receive]:
main.emit(0xc000020000)
	/app/main.go:12 +0x1
created by main.start in goroutine 9
	/app/main.go:30 +0x2
)";

TEST(Cluster, SimilarityLevelsMergeProgressivelyMore) {
  dump::Dump d = Parse(std::string(kDump));
  const dump::Dump* dumps[] = {&d};
  EXPECT_EQ(Cluster(dumps, Similarity::kExact).size(), 4u);
  EXPECT_EQ(Cluster(dumps, Similarity::kLine).size(), 3u);
  EXPECT_EQ(Cluster(dumps, Similarity::kFunc).size(), 2u);
}

TEST(Cluster, BucketStatsCoverEveryMember) {
  dump::Dump d = Parse(std::string(kDump));
  const dump::Dump* dumps[] = {&d};
  std::vector<Bucket> b = Cluster(dumps, Similarity::kLine);
  ASSERT_EQ(b[0].count, 2u);
  EXPECT_EQ(b[0].wait_min, 3);
  EXPECT_EQ(b[0].wait_max, 7);
  EXPECT_EQ(b[0].ids, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(b[0].parents, (std::vector<uint64_t>{9, 8}));
  EXPECT_EQ(b[1].wait_min, -1);
}

TEST(Cluster, SortedByCountThenFirstSeen) {
  std::string text;
  for (int i = 0; i < 30; ++i) {
    text += "goroutine " + std::to_string(100 + i) + " [select]:\nmain.loop()\n\t/app/loop.go:5 +0x1\n\n";
  }
  text += std::string(kDump);
  dump::Dump d = Parse(text);
  const dump::Dump* dumps[] = {&d};
  std::vector<Bucket> b = Cluster(dumps, Similarity::kLine);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].count, 30u);
  EXPECT_EQ(b[0].ids.size(), Bucket::kMaxIds);
  EXPECT_EQ(b[1].count, 2u);
  EXPECT_EQ(b[2].state(), "chan send");  // count 1, seen before the chan receive one
}

TEST(Cluster, CountsPerDumpWhenSeveralAreClustered) {
  dump::Dump a = Parse(std::string(kDump));
  dump::Dump b = Parse(std::string(kDump));
  const dump::Dump* dumps[] = {&a, &b};
  std::vector<Bucket> buckets = Cluster(dumps, Similarity::kLine);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].count, 4u);
  EXPECT_EQ(buckets[0].per_dump, (std::vector<uint64_t>{2, 2}));
}

TEST(Cluster, AggregatedRecordsCarryTheirCounts) {
  dump::Dump d = Parse(
      "goroutine profile: total 7\n"
      "5 @ 0x1 0x2\n#\t0x1\tmain.worker+0x1\t/app/w.go:3\n\n"
      "2 @ 0x3 0x4\n#\t0x3\tmain.other+0x1\t/app/o.go:4\n");
  ASSERT_EQ(d.format, dump::Format::kAggregated);
  const dump::Dump* dumps[] = {&d};
  std::vector<Bucket> b = Cluster(dumps, Similarity::kLine);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].count, 5u);
  EXPECT_TRUE(b[0].ids.empty());
}

}  // namespace
}  // namespace leakhound::cluster
