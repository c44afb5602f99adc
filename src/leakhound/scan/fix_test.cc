#include "leakhound/scan/fix.h"

#include <gtest/gtest.h>

#include "leakhound/scan/rules.h"
#include "leakhound/scan/scan.h"

namespace leakhound::scan {
namespace {

TEST(Fix, EditsApplyInOrderAndOverlapsAreSkipped) {
  std::vector<TextEdit> edits = {{6, 6, {}, {}, ", 1"}, {0, 2, {}, {}, "xy"}, {1, 3, {}, {}, "overlap"}};
  size_t skipped = 0;
  EXPECT_EQ(ApplyEdits("ab(cd)ef", edits, &skipped), "xy(cd), 1ef");
  EXPECT_EQ(skipped, 1u);
}

TEST(Fix, UnifiedDiffHasHunksWithContextLikeDiffU) {
  const std::string before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
  const std::string after = "a\nb\nc\nd\ne\nF\ng\nh\ni\nj\nk\nl\nm\nn\n";
  EXPECT_EQ(UnifiedDiff("x.go", before, after),
            "--- a/x.go\n+++ b/x.go\n"
            "@@ -3,7 +3,7 @@\n c\n d\n e\n-f\n+F\n g\n h\n i\n"
            "@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n");
  EXPECT_EQ(UnifiedDiff("x.go", before, before), "");
}

TEST(Fix, InsertedLinesTakeTheStatementsIndentation) {
  ScanResult r = ScanInMemory({{"p.go", "package p\n\nimport \"time\"\n\nfunc f() {\n\tif true {\n\t\tt := "
                                          "time.NewTicker(time.Second)\n\t\t<-t.C\n\t}\n}\n"}},
                              {FindRule("LH006")});
  ASSERT_EQ(r.findings.size(), 1u);
  ASSERT_TRUE(r.findings[0].fix.has_value());
  const Fix& fix = *r.findings[0].fix;
  ASSERT_EQ(fix.edits.size(), 1u);
  EXPECT_EQ(fix.edits[0].text, "\n\t\tdefer t.Stop()");
  EXPECT_EQ(fix.edits[0].start_pos.line, 7u);
}

}  // namespace
}  // namespace leakhound::scan
