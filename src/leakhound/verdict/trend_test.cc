#include "leakhound/verdict/trend.h"

#include <gtest/gtest.h>

#include <vector>

namespace leakhound::verdict {
namespace {

TEST(Trend, SlopeOfAStraightLineIsItsRate) {
  std::vector<double> x = {0, 0.5, 1, 1.5, 2};
  std::vector<uint64_t> y = {10, 13, 16, 19, 22};  // +3 per half minute
  auto s = LeastSquaresSlope(x, y);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(*s, 6.0);
}

TEST(Trend, SlopeFitsNoisyPointsByLeastSquares) {
  std::vector<double> x = {0, 1, 2, 3};
  std::vector<uint64_t> y = {1, 3, 2, 5};
  // mean x 1.5, mean y 2.75; sxy = 1.5*1.75 - 0.5*0.25 - 0.5*0.75 + 1.5*2.25 = 5.5; sxx = 5
  EXPECT_DOUBLE_EQ(*LeastSquaresSlope(x, y), 1.1);
}

TEST(Trend, SlopeNeedsTwoDistinctTimes) {
  std::vector<double> one = {4};
  std::vector<uint64_t> y1 = {7};
  EXPECT_FALSE(LeastSquaresSlope(one, y1).has_value());
  std::vector<double> same = {2, 2};
  std::vector<uint64_t> y2 = {1, 5};
  EXPECT_FALSE(LeastSquaresSlope(same, y2).has_value());
}

TEST(Trend, MonotonicMeansNeverFellAndRoseOnce) {
  std::vector<uint64_t> rising = {1, 1, 2, 5};
  std::vector<uint64_t> flat = {3, 3, 3};
  std::vector<uint64_t> sawtooth = {1, 5, 2, 6};
  EXPECT_TRUE(MonotonicTest(rising).growing());
  EXPECT_FALSE(MonotonicTest(flat).growing());
  EXPECT_FALSE(MonotonicTest(sawtooth).growing());
  EXPECT_TRUE(MonotonicTest(sawtooth).fell);
}

TEST(Trend, ParkedByDesignCannotLeak) {
  EXPECT_FALSE(CanLeak(BlockKind::kRunning));
  EXPECT_FALSE(CanLeak(BlockKind::kSleep));
  EXPECT_TRUE(CanLeak(BlockKind::kChanSend));
  EXPECT_TRUE(CanLeak(BlockKind::kSelect));
}

}  // namespace
}  // namespace leakhound::verdict
