#include "leakhound/util/text.h"

#include <gtest/gtest.h>

namespace leakhound::util {
namespace {

TEST(Text, ValidUtf8KeepsValidTextAndReplacesEachBadByte) {
  EXPECT_EQ(ValidUtf8("main.(*Pool).emit ü € 𝄞"), "main.(*Pool).emit ü € 𝄞");
  EXPECT_EQ(ValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");           // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(ValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");           // cut short
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xF5\x80\x80\x80 x \x80")));
}

TEST(Text, ForTerminalRemovesEscapeSequencesAndControls) {
  EXPECT_EQ(ForTerminal("main.f\x1b]0;owned\x07"), "main.f\xEF\xBF\xBD]0;owned\xEF\xBF\xBD");
  EXPECT_EQ(ForTerminal("a\tb"), "a\tb");
  EXPECT_EQ(ForTerminal("x\xC2\x9B" "31m"), "x\xEF\xBF\xBD" "31m");  // C1 CSI
  EXPECT_EQ(ForTerminal("ü\r\n"), "ü\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Text, ForTerminalTextKeepsOnlyColourSequences) {
  const std::string report = "\x1b[1mCOUNT\x1b[0m  main.f\x1b]0;pwned\x07 \x1b[2J\x1b[31mx\x1b[0m\nnext\tline\n";
  EXPECT_EQ(ForTerminalText(report, true),
            "\x1b[1mCOUNT\x1b[0m  main.f\xEF\xBF\xBD]0;pwned\xEF\xBF\xBD \xEF\xBF\xBD[2J\x1b[31mx\x1b[0m\nnext\tline\n");
  EXPECT_EQ(ForTerminalText("a\x1b[1mb\n", false), "a\xEF\xBF\xBD[1mb\n");
  EXPECT_EQ(ForTerminalText("", true), "");
  EXPECT_EQ(ForTerminalText("\x1b", true), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace leakhound::util
