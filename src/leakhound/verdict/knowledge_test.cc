#include "leakhound/verdict/knowledge.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_set>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/reader.h"
#include "leakhound/testing/clustered.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

extern const char kBuiltInKnowledge[];

namespace {

TEST(Knowledge, BuiltInBaseParsesWithUniqueIds) {
  // Parse the compiled-in text directly, so that a broken file fails here instead of silently becoming empty.
  auto parsed = KnowledgeBase::Parse(kBuiltInKnowledge, "knowledge.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const KnowledgeBase& kb = *parsed;
  EXPECT_EQ(kb.signatures().size(), KnowledgeBase::BuiltIn().signatures().size());
  ASSERT_GE(kb.signatures().size(), 15u);
  std::unordered_set<std::string> ids;
  for (const Signature& s : kb.signatures()) {
    EXPECT_TRUE(ids.insert(s.id).second) << s.id;
    EXPECT_FALSE(s.explanation.empty()) << s.id;
    if (s.category != Category::kBenign) {
      EXPECT_FALSE(s.fix.empty()) << s.id;
    }
  }
}

TEST(Knowledge, ErrorsNameTheFileAndLine) {
  auto bad = KnowledgeBase::Parse("signatures:\n  - id: a\n    match: {any: x}\n    category: sometimes\n"
                                  "    explanation: y\n",
                                  ".leakhound.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind(".leakhound.yaml:2: category must be", 0), 0u) << bad.status().message();
  auto syntax = KnowledgeBase::Parse("ignore:\n  - top: [unclosed\n", "cfg.yaml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("cfg.yaml:", 0), 0u) << syntax.status().message();
  auto two = KnowledgeBase::Parse("ignore:\n  - top: a\n    any: b\n", "c.yaml");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("exactly one of waits_in, any, top or creator"), std::string::npos);
  auto unknown = KnowledgeBase::Parse("ignores:\n  - top: a\n", "d.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown key 'ignores'"), std::string::npos);
  // A misspelt key inside an entry is an error too, naming the line and the key meant.
  auto typo = KnowledgeBase::Parse("ignore:\n  - top: a\n    reson: known\n", "e.yaml");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().message().rfind("e.yaml:3: unknown key 'reson' in an ignore entry (did you mean 'reason'?",
                                          0),
            0u)
      << typo.status().message();
  auto match = KnowledgeBase::Parse(
      "signatures:\n  - id: a\n    match: {waits_in: x, vai: y}\n    category: benign\n    explanation: e\n", "f.yaml");
  ASSERT_FALSE(match.ok());
  EXPECT_NE(match.status().message().find("unknown key 'vai' in match (did you mean 'via'?"), std::string::npos)
      << match.status().message();
}


std::string Workers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "goroutine " + std::to_string(100 + i) +
           " [chan receive]:\ngithub.com/acme/pool.(*Pool).worker(0x1)\n\t/src/pool.go:40 +0x1\n"
           "created by github.com/acme/pool.New in goroutine " + std::to_string(7 + i) + "\n\t/src/pool.go:20 +0x1\n\n";
  }
  return out;
}

TEST(Knowledge, ProjectIgnoresByTopAnyAndCreatorWinWithTheirReason) {
  auto p = testing::ParseAndCluster(Workers(200));
  ASSERT_EQ(Assess(p->buckets[0]).verdict, Verdict::kSuspect);
  for (std::string rule : {"top: \"github.com/acme/pool.(*Pool).worker\"", "any: github.com/acme/pool.",
                           "creator: github.com/acme/pool.New"}) {
    auto kb = KnowledgeBase::Parse("ignore:\n  - " + rule + "\n    reason: fixed-size pool, sized by config\n",
                                   "proj.yaml");
    ASSERT_TRUE(kb.ok()) << kb.status().message();
    Assessment a = Assess(p->buckets[0], *kb);
    EXPECT_EQ(a.verdict, Verdict::kBenign) << rule;
    EXPECT_EQ(a.reason, "ignored by proj.yaml:2: fixed-size pool, sized by config") << rule;
  }
}

TEST(Knowledge, ProjectSignaturesAddKnownLeaksAndIdleResources) {
  auto p = testing::ParseAndCluster(Workers(3));
  auto kb = KnowledgeBase::Parse(
      "signatures:\n"
      "  - id: acme-pool\n"
      "    match: {top: \"github.com/acme/pool.(*Pool).worker\"}\n"
      "    state: chan receive\n"
      "    category: known-leak\n"
      "    explanation: acme/pool workers outlive Close in v1.2\n"
      "    fix: upgrade to v1.3\n",
      "proj.yaml");
  ASSERT_TRUE(kb.ok()) << kb.status().message();
  Assessment a = Assess(p->buckets[0], *kb);
  EXPECT_EQ(a.verdict, Verdict::kSuspect);
  EXPECT_NE(a.reason.find("acme/pool workers outlive Close in v1.2; upgrade to v1.3"), std::string::npos) << a.reason;
}

TEST(Knowledge, ProjectFileIsFoundInAParentDirectory) {
  std::string dir = std::string(LEAKHOUND_BINARY_DIR) + "/kb-test/a/b";
  std::filesystem::create_directories(dir);
  std::ofstream(std::string(LEAKHOUND_BINARY_DIR) + "/kb-test/.leakhound.yaml") << "ignore:\n  - top: x\n";
  std::filesystem::path old = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  std::string found = FindProjectFile("");
  std::filesystem::current_path(old);
  EXPECT_EQ(std::filesystem::path(found), std::filesystem::path(LEAKHOUND_BINARY_DIR) / "kb-test/.leakhound.yaml");
  EXPECT_EQ(FindProjectFile("explicit.yaml"), "explicit.yaml");
  auto kb = KnowledgeBase::WithProjectFile(found);
  ASSERT_TRUE(kb.ok()) << kb.status().message();
  EXPECT_EQ(kb->signatures().size(), KnowledgeBase::BuiltIn().signatures().size() + 1);
  EXPECT_EQ(kb->signatures()[0].id, "ignore:x");
}

}  // namespace
}  // namespace leakhound::verdict
