// The Go-syntax layer on small in-memory sources: imports, resolution through scopes and closures, callee names,
// channel and context facts, suppressions, syntax errors.
#include "leakhound/scan/syntax.h"

#include <gtest/gtest.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/package.h"

namespace leakhound::scan {
namespace {

// One parsed, resolved file in a one-file package.
struct Parsed {
  SourceFile file;
  Package package;
  std::vector<Diagnostic> diagnostics;

  explicit Parsed(std::string text) {
    file.path = file.display = "x.go";
    file.owned = std::move(text);
    Parser parser;
    ParseFile(parser, &file, &diagnostics);
    package.name = file.package_name;
    package.files = {&file};
    package.Prepare();
  }
  // The n-th identifier (0-based) spelled `name`.
  Node Ident(std::string_view name, size_t n = 0) {
    for (Node id : FindAll(file.root(), "identifier", IntoLiterals::kYes)) {
      if (file.Text(id) == name && n-- == 0) return id;
    }
    return {};
  }
  std::vector<Node> Calls() { return FindAll(file.root(), "call_expression", IntoLiterals::kYes); }
};

TEST(Imports, AliasesDotAndBlankImports) {
  Parsed p(R"(package p
import (
	"fmt"
	h "net/http"
	. "time"
	_ "embed"
	"gopkg.in/yaml.v3"
	"github.com/acme/go-redis/v9"
)
)");
  EXPECT_EQ(p.file.imports.PathOf("fmt"), "fmt");
  EXPECT_EQ(p.file.imports.PathOf("h"), "net/http");
  EXPECT_EQ(p.file.imports.PathOf("http"), "");
  EXPECT_EQ(p.file.imports.NameOf("time"), ".");
  EXPECT_EQ(p.file.imports.PathOf("yaml"), "gopkg.in/yaml.v3");
  EXPECT_EQ(p.file.imports.PathOf("redis"), "github.com/acme/go-redis/v9");
  EXPECT_FALSE(p.file.imports.Has("embed"));
}

TEST(ResolveCallee, QualifiedNamesWhateverTheImportName) {
  Parsed p(R"(package p
import (
	t "time"
	. "context"
	"os/exec"
)
func f() {
	tk := t.NewTicker(1)
	tk.Stop()
	ctx, cancel := WithCancel(Background())
	defer cancel()
	exec.CommandContext(ctx, "ls")
	ch := make(chan int)
	close(ch)
}
)");
  std::vector<std::string> names;
  for (Node call : p.Calls()) names.push_back(ResolveCallee(p.file, call).qualified);
  EXPECT_EQ(names, (std::vector<std::string>{"time.NewTicker", ".Stop", "context.WithCancel", "context.Background",
                                             "cancel", "os/exec.CommandContext", "make", "close"}));
  EXPECT_TRUE(CallIs(p.file, p.Calls()[0], "time.NewTicker"));
  EXPECT_TRUE(CallIs(p.file, p.Calls()[2], "context.WithCancel"));
  EXPECT_FALSE(CallIs(p.file, p.Calls()[1], "time.NewTicker"));
}

TEST(ResolveCallee, LocalVariableShadowsAPackageName) {
  Parsed p(R"(package p
import "time"
type clock struct{}
func (clock) After(int) {}
func f() {
	time := clock{}
	time.After(1)
}
)");
  Callee c = ResolveCallee(p.file, p.Calls().back());
  EXPECT_EQ(c.kind, Callee::Kind::kMethod);
  EXPECT_EQ(c.qualified, ".After");
}

TEST(FileSyntax, ClosuresSeeOuterVariablesAndShadowingIsRespected) {
  Parsed p(R"(package p
func f() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	{
		ch := 2
		_ = ch
	}
	<-ch
}
)");
  const Object* outer = p.file.syntax.Declared(p.Ident("ch", 0));
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(p.file.syntax.Resolve(p.Ident("ch", 1)), outer);  // in the closure
  const Object* inner = p.file.syntax.Declared(p.Ident("ch", 2));
  ASSERT_NE(inner, nullptr);
  EXPECT_NE(inner, outer);
  EXPECT_EQ(p.file.syntax.Resolve(p.Ident("ch", 3)), inner);
  EXPECT_EQ(p.file.syntax.Resolve(p.Ident("ch", 4)), outer);
  EXPECT_EQ(outer->uses.size(), 2u);
  EXPECT_TRUE(outer->function.Is("function_declaration"));
  // The closure's use is inside a go statement below the declaring function.
  EXPECT_FALSE(EnclosingGo(p.Ident("ch", 1), outer->function).IsNull());
}

TEST(Statements, BlockHoldsAStatementList) {
  Parsed p("package p\nfunc f() {\n\ta := 1\n\t_ = a\n\treturn\n}\n");
  Node fn = p.file.root().ChildOfType("function_declaration");
  auto stmts = Statements(fn.Field("body"));
  ASSERT_EQ(stmts.size(), 3u);
  EXPECT_EQ(stmts[0].Type(), "short_var_declaration");
  EXPECT_EQ(stmts[2].Type(), "return_statement");
}

TEST(CollectChannels, CapacitiesSendsReceivesClosesAndSelects) {
  Parsed p(R"(package p
import "time"
func f(n int) {
	a := make(chan int)
	b := make(chan string, 0)
	c := make(chan bool, n)
	var d chan int
	go func() { a <- 1 }()
	select {
	case v := <-a:
		_ = v
	case <-time.After(1):
	}
	close(b)
	_ = len(c)
	for range d {
	}
}
)");
  auto chans = CollectChannels(p.file);
  ASSERT_EQ(chans.size(), 4u);
  EXPECT_FALSE(chans[0].buffered);
  EXPECT_FALSE(chans[1].buffered);
  EXPECT_EQ(chans[1].capacity, 0);
  EXPECT_TRUE(chans[2].buffered);
  EXPECT_FALSE(chans[2].capacity.has_value());
  EXPECT_TRUE(chans[3].declared_nil);
  EXPECT_EQ(p.file.Text(chans[0].elem_type), "int");
  ASSERT_EQ(chans[0].ops.size(), 2u);
  EXPECT_EQ(chans[0].ops[0].kind, ChannelOp::Kind::kSend);
  EXPECT_FALSE(chans[0].ops[0].go.IsNull());
  EXPECT_EQ(chans[0].ops[1].kind, ChannelOp::Kind::kReceive);
  ASSERT_FALSE(chans[0].ops[1].select.IsNull());
  EXPECT_TRUE(SelectHasOtherCase(chans[0].ops[1].select, chans[0].ops[1].select_case));
  EXPECT_EQ(chans[1].Count(ChannelOp::Kind::kClose), 1u);
  EXPECT_EQ(chans[2].Count(ChannelOp::Kind::kNeutral), 1u);
  EXPECT_EQ(chans[3].Count(ChannelOp::Kind::kRange), 1u);
}

TEST(CollectContexts, CtxParamsCancelFuncsAndDiscardedCancels) {
  Parsed p(R"(package p
import (
	"context"
	"time"
)
func f(ctx context.Context) {
	c1, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c2, _ := context.WithCancel(c1)
	_ = c2
}
)");
  ContextFacts facts = CollectContexts(p.file);
  ASSERT_EQ(facts.ctx_params.size(), 1u);
  EXPECT_EQ(facts.ctx_params[0]->name, "ctx");
  ASSERT_EQ(facts.cancels.size(), 2u);
  ASSERT_NE(facts.cancels[0].object, nullptr);
  EXPECT_EQ(facts.cancels[0].deferred.size(), 1u);
  EXPECT_EQ(facts.cancels[1].object, nullptr);  // discarded
}

TEST(Package, FunctionIndexFollowsGoStatementsOneLevel) {
  Parsed p(R"(package p
type pool struct{}
func (p *pool) loop() {}
func worker(ch chan int) {}
func start(p *pool, ch chan int) {
	go worker(ch)
	go p.loop()
}
)");
  auto gos = FindAll(p.file.root(), "go_statement");
  ASSERT_EQ(gos.size(), 2u);
  auto w = p.package.Target(p.file, GoCall(gos[0]));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(FunctionName(w->decl, p.file.source()), "worker");
  auto l = p.package.Target(p.file, GoCall(gos[1]));
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->receiver_type, "pool");
}

TEST(ParseFile, SuppressionCommentsOnTheLineAndTheLineAbove) {
  Parsed p(R"(package p
func f() {
	//nolint:LH003,LH005 // reason
	a := 1
	b := 2 //nolint
	//lint:ignore LH001 the caller drains it
	c := 3
	//nolint:leakhound
	d := 4
	_, _, _, _ = a, b, c, d // nolintx
}
)");
  EXPECT_NE(p.file.SuppressedAt(4, "LH003", "range-unclosed"), nullptr);
  EXPECT_EQ(p.file.SuppressedAt(4, "LH001", "abandoned-sender"), nullptr);
  EXPECT_NE(p.file.SuppressedAt(5, "LH013", "nil-channel"), nullptr);
  EXPECT_NE(p.file.SuppressedAt(7, "LH001", "abandoned-sender"), nullptr);
  EXPECT_NE(p.file.SuppressedAt(9, "LH004", "for-select-no-exit"), nullptr);
  EXPECT_EQ(p.file.SuppressedAt(10, "LH004", "for-select-no-exit"), nullptr);
  // A trailing comment does not reach the next line.
  EXPECT_EQ(p.file.SuppressedAt(6, "LH013", "nil-channel"), nullptr);
}

TEST(ParseFile, SyntaxErrorsAreLocatedAndTheRestStillParses) {
  Parsed p("package p\n\nfunc ok() {\n\tvar ch chan int\n\t<-ch\n}\n\nfunc broken() {\n\tx := := 1\n}\n");
  ASSERT_FALSE(p.diagnostics.empty());
  EXPECT_EQ(p.diagnostics[0].position.line, 9u);
  EXPECT_NE(p.diagnostics[0].message.find("syntax error"), std::string::npos);
  // The good function still has its facts.
  auto chans = CollectChannels(p.file);
  ASSERT_EQ(chans.size(), 1u);
  EXPECT_TRUE(chans[0].declared_nil);
}

TEST(SourceFile, PositionsAreOneBasedByteColumns) {
  Parsed p("package p\n\nvar s = \"é\"; var t = 1\n");
  Node t = p.Ident("t");
  ASSERT_FALSE(t.IsNull());
  Position pos = p.file.Start(t);
  EXPECT_EQ(pos.line, 3u);
  EXPECT_EQ(pos.column, 19u);  // é is two bytes
}

}  // namespace
}  // namespace leakhound::scan
