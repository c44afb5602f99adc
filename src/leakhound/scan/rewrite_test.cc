#include "leakhound/scan/rewrite.h"

#include <gtest/gtest.h>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/scan.h"

namespace leakhound::scan {
namespace {

RewriteRule Rule(std::string match, std::string replace) {
  RewriteRule r;
  r.name = "r";
  r.match = std::move(match);
  r.replace = std::move(replace);
  r.where = "cfg.yaml:3";
  return r;
}

// Parses `source` as p.go and returns the replacement text of each match of match -> replace.
std::vector<std::string> Rewrite(const std::string& source, std::string match, std::string replace) {
  auto compiled = CompileRewrite(Rule(std::move(match), std::move(replace)));
  EXPECT_TRUE(compiled.ok()) << compiled.status().message();
  if (!compiled.ok()) return {};
  Parser parser;
  SourceFile file;
  file.path = file.display = "p.go";
  file.owned = source;
  std::vector<Diagnostic> diagnostics;
  ParseFile(parser, &file, &diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  Package package;  // for the facts $ctx is looked up in
  package.name = file.package_name;
  package.files = {&file};
  package.Prepare();
  std::vector<std::string> out;
  for (const RewriteMatch& m : FindMatches(*compiled, file)) {
    std::string why;
    auto text = Replacement(*compiled, file, m, &why);
    out.push_back(text ? *text : "<" + why + ">");
  }
  return out;
}

TEST(Rewrite, ListVariablesTakeAnyNumberOfElementsAndEmptyOnesDropTheirComma) {
  const std::string src =
      "package p\n\nimport \"context\"\n\nfunc f(ctx context.Context, xs []string) {\n\tg()\n\tg(1)\n\tg(1, 2, "
      "xs...)\n\th(1)\n}\n";
  EXPECT_EQ(Rewrite(src, "g($*a)", "g2($ctx, $*a)"),
            (std::vector<std::string>{"g2(ctx)", "g2(ctx, 1)", "g2(ctx, 1, 2, xs...)"}));
  EXPECT_EQ(Rewrite(src, "g($x, $*rest)", "k($*rest, $x)"), (std::vector<std::string>{"k(1)", "k(2, xs..., 1)"}));
}

TEST(Rewrite, RepeatedVariablesMustBindTheSameText) {
  const std::string src = "package p\n\nfunc f(a, b int) {\n\t_ = eq(a, a)\n\t_ = eq(a, b)\n\t_ = eq(a+1, a + 1)\n}\n";
  EXPECT_EQ(Rewrite(src, "eq($x, $x)", "true"), (std::vector<std::string>{"true", "true"}));
}

TEST(Rewrite, OperatorsAndQualifiersAreCompared) {
  const std::string src = "package p\n\nfunc f(a int) {\n\t_ = a + 1\n\t_ = a - 1\n\t_ = time.After(1)\n\t_ = "
                          "clock.After(1)\n}\n";
  EXPECT_EQ(Rewrite(src, "$x + 1", "$x + 2"), (std::vector<std::string>{"a + 2"}));
  EXPECT_EQ(Rewrite(src, "time.After($d)", "time.NewTimer($d).C"), (std::vector<std::string>{"time.NewTimer(1).C"}));
}

TEST(Rewrite, OutermostMatchesOnlyAndCommentsAreNeverLost) {
  const std::string src =
      "package p\n\nfunc f() {\n\tg(g(1))\n\tg( // why\n\t\t2)\n\tg(3 /* lost */)\n\tg(4 /* kept */, 5)\n}\n";
  const std::string lost = "<a comment inside the match would be lost, so no fix is offered>";
  EXPECT_EQ(Rewrite(src, "g($*x)", "h($*x)"),
            (std::vector<std::string>{"h(g(1))", lost, lost, "h(4 /* kept */, 5)"}));
}

TEST(Rewrite, ContextInScopeOrNoFix) {
  const std::string src =
      "package p\n\nimport (\n\t\"context\"\n\t\"net/http\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) "
      "{\n\tgo work(context.Background())\n}\n\nfunc plain() {\n\tgo work(context.Background())\n}\n\nfunc "
      "local() {\n\tctx, cancel := context.WithCancel(context.Background())\n\tdefer cancel()\n\tgo "
      "work(context.Background())\n\t_ = ctx\n}\n";
  EXPECT_EQ(Rewrite(src, "work(context.Background())", "work($ctx)"),
            (std::vector<std::string>{"work(r.Context())", "<no context in scope here for $ctx, so no fix is offered>",
                                      "work(ctx)"}));
}

TEST(Rewrite, StatementListsAndEmptyBodies) {
  const std::string src = "package p\n\nfunc f() {\n\tgo func() {\n\t\twork()\n\t\tmore()\n\t}()\n\tgo func() {}()\n}\n";
  EXPECT_EQ(Rewrite(src, "go func() { $*body }()", "go func() {\n\tdefer done()\n\t$*body\n}()"),
            (std::vector<std::string>{"go func() {\n\t\tdefer done()\n\t\twork()\n\t\tmore()\n\t}()",
                                      "go func() {\n\t\tdefer done()\n\t}()"}));
}

TEST(Rewrite, ConfigErrorsNameTheEntry) {
  auto bad = CompileRewrite(Rule("g(", "h()"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cfg.yaml:3: rewrite 'r': match does not parse as Go: g(");
  auto unbound = CompileRewrite(Rule("g($x)", "h($y)"));
  ASSERT_FALSE(unbound.ok());
  EXPECT_EQ(unbound.status().message(), "cfg.yaml:3: rewrite 'r': replace uses $y, which match does not bind");
  auto lone = CompileRewrite(Rule("$x", "h($x)"));
  ASSERT_FALSE(lone.ok());
  EXPECT_NE(lone.status().message().find("lone metavariable"), std::string::npos);
  auto two = CompileRewrite(Rule("f()\ng()", "h()"));
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("one expression or one statement"), std::string::npos);
  auto kind = CompileRewrite(Rule("g($*x)", "h($x)"));
  ASSERT_FALSE(kind.ok());
  EXPECT_NE(kind.status().message().find("is a list ($*) in match and a single node ($) in replace"),
            std::string::npos);
  auto config = ParseScanConfig("scan:\n  rewrite:\n    - name: a\n      match: f()\n", "cfg.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "cfg.yaml:3: a scan.rewrite entry needs 'replace'");
  auto twice = ParseScanConfig(
      "scan:\n  rewrite:\n    - {name: a, match: f(), replace: g()}\n    - {name: a, match: f(), replace: g()}\n",
      "cfg.yaml");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), "cfg.yaml:4: two scan.rewrite entries are named 'a'");
}

TEST(FixImports, AddsWhatIsNeededAndDropsWhatTheEditsLeftUnused) {
  const std::string before =
      "package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\tstr \"strings\"\n\t_ \"embed\"\n)\n\nfunc f() "
      "{\n\t_ = context.Background()\n\tfmt.Println(str.ToUpper(\"x\"))\n}\n";
  const std::string after =
      "package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\tstr \"strings\"\n\t_ \"embed\"\n)\n\nfunc f() "
      "{\n\t_ = time.Now()\n\tfmt.Println(\"x\")\n}\n";
  EXPECT_EQ(FixImports(before, after, {"time"}),
            "package p\n\nimport (\n\t\"time\"\n\t\"fmt\"\n\t_ \"embed\"\n)\n\nfunc f() {\n\t_ = time.Now()\n\t"
            "fmt.Println(\"x\")\n}\n");
  // One import on its own: a group is made; no import at all: one is added after the package clause.
  EXPECT_EQ(FixImports("package p\n\nimport \"fmt\"\n", "package p\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n", {"time"}),
            "package p\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nvar _ = fmt.Sprint\n");
  EXPECT_EQ(FixImports("package p\n", "package p\n", {"time"}), "package p\n\nimport \"time\"\n");
  // Versioned paths are named by their package.
  EXPECT_EQ(FixImports("package p\n\nimport \"github.com/x/jwx/v2/jwk\"\n\nvar _ = jwk.New\n",
                       "package p\n\nimport \"github.com/x/jwx/v2/jwk\"\n\nvar _ = 1\n", {}),
            "package p\n\n\nvar _ = 1\n");
}

}  // namespace
}  // namespace leakhound::scan
