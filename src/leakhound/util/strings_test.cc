#include "leakhound/util/strings.h"

#include <gtest/gtest.h>

namespace leakhound::util {
namespace {

// Snapshots seconds apart read in seconds, not "+94 in 0 min".
TEST(FormatSpan, SecondsMinutesHours) {
  EXPECT_EQ(FormatSpan(0), "0");
  EXPECT_EQ(FormatSpan(0.5), "30 s");
  EXPECT_EQ(FormatSpan(59.0 / 60), "59 s");
  EXPECT_EQ(FormatSpan(1), "1 min");
  EXPECT_EQ(FormatSpan(15.2), "15 min");
  EXPECT_EQ(FormatSpan(119), "119 min");
  EXPECT_EQ(FormatSpan(120), "2 h");
  EXPECT_EQ(FormatSpan(210), "3.5 h");
}

}  // namespace
}  // namespace leakhound::util
