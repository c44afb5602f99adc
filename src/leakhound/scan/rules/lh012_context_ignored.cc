// LH012 context-ignored and LH021 background-context: a context is at hand but not used.
//   - exec.Command(...) where a context is in scope: a named context.Context or *http.Request parameter, or a local
//     context variable declared before the call in an enclosing block (exec.CommandContext would kill the process
//     when the context ends; exec.Command's Wait blocks as long as the child lives).
//   - (LH021, experimental) context.Background() / context.TODO() in a function with a named context.Context or
//     *http.Request parameter: whatever it is passed to is no longer cancelled with the caller. Split from LH012 and
//     off by default: on consul, containerd and minio 1 of 10 sampled findings was a leak (fresh contexts for
//     error-path cleanup, for work that must outlive the request, for audit events are deliberate).
// "In scope" looks at the innermost function and, through func literals, the functions around it, but not past a
// `go` statement (a goroutine that detaches from the caller's lifetime does so on purpose).
// Not reported: test files, func main and init, functions that call context.WithoutCancel (they detach on purpose),
// Background()/TODO() as the parent of context.WithTimeout/WithDeadline/WithCancel (bounded or cancelled by hand,
// often a separate lifecycle such as shutdown), in the body of an `if err != nil` (error-path cleanup and rollback
// get a fresh context on purpose), inside a defer (cleanup must run after ctx is cancelled), as the argument of Shutdown/Close/Stop, after
// the function has looked at ctx.Done()/ctx.Err() (the ctx is over by then), in `if ctx == nil { ... }`, compared
// (`ctx != context.Background()`), as a field of a composite literal, and in functions returning a context.Context
// (they build a detached context on purpose).
#include <fmt/format.h>

#include <optional>
#include <string>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// Is `with` a context.WithCancel(Cause) whose cancel lands in a local that its function calls (`defer cancel()`):
// a context cancelled by hand, detached from the caller on purpose. A cancel stored in a field or dropped is not.
bool CancelCalledHere(const SourceFile& file, Node with) {
  if (!CallIs(file, with, "context.WithCancel") && !CallIs(file, with, "context.WithCancelCause")) return false;
  Node list = ParentOutsideParens(with);
  if (!list.Is("expression_list")) return false;
  Node stmt = list.Parent();
  if (!stmt.Is("short_var_declaration") && !stmt.Is("assignment_statement")) return false;
  Node left = stmt.Field("left");
  if (left.NamedChildCount() != 2 || !left.NamedChild(1).Is("identifier")) return false;
  const Object* cancel = file.syntax.Declared(left.NamedChild(1));
  if (cancel == nullptr) cancel = file.syntax.Resolve(left.NamedChild(1));
  if (cancel == nullptr) return false;
  for (Node use : cancel->uses) {
    Node p = ParentOutsideParens(use);
    if (p.Is("call_expression") && p.Field("function") == use) return true;
  }
  return false;
}

// Is `at` inside the body of an `if err != nil` (any name ending in err/Err) of `fn`: an error path, whose cleanup
// or rollback is given a fresh context on purpose, so that it is not cut short with the request that failed?
bool InErrorPath(const SourceFile& file, Node at, Node fn) {
  for (Node n = at; !n.IsNull() && !(n == fn); n = n.Parent()) {
    Node p = n.Parent();
    if (!p.Is("if_statement") || !(p.Field("consequence") == n)) continue;
    Node cond = Unparen(p.Field("condition"));
    if (!cond.Is("binary_expression") || file.Text(cond.Field("operator")) != "!=") continue;
    if (file.Text(cond.Field("right")) != "nil") continue;
    std::string_view left = file.Text(cond.Field("left"));
    if (left.ends_with("err") || left.ends_with("Err")) return true;
  }
  return false;
}

// Has `fn` looked at `ctx`.Done() or .Err() before `at` (so the ctx may be over)?
bool CheckedDoneBefore(const SourceFile& file, Node fn, const Object* ctx, Node at) {
  for (Node use : ctx->uses) {
    if (use.StartByte() >= at.StartByte() || !fn.Contains(use)) continue;
    Node p = ParentOutsideParens(use);
    if (!p.Is("selector_expression")) continue;
    std::string_view f = file.Text(p.Field("field"));
    if (f == "Done" || f == "Err") return true;
  }
  return false;
}

bool InNilCheck(const SourceFile& file, Node n, Node fn) {
  for (Node p = n.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (p.Is("if_statement") && file.Text(p.Field("condition")).find("== nil") != std::string_view::npos) return true;
  }
  return false;
}

bool IsCleanupArgument(const SourceFile& file, Node call) {
  Node p = ParentOutsideParens(call);
  if (!p.Is("argument_list")) return false;
  Callee c = ResolveCallee(file, p.Parent());
  return c.name == "Shutdown" || c.name == "Close" || c.name == "Stop";
}

std::string Describe(const SourceFile& file, const InScope& s) {
  return fmt::format("{} {} (line {})", s.request ? "request" : "context", s.object->name, LineOf(file, s.object->ident));
}

// One class for both rules: LH012 (exec.Command) and LH021 (Background/TODO) share the context-in-scope machinery.
class ContextIgnored : public Rule {
 public:
  explicit ContextIgnored(bool background) : background_(background) {}
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      if (file->is_test) continue;
      for (Node call : FindAll(file->root(), "call_expression", IntoLiterals::kYes)) {
        if (!background_ && CallIs(*file, call, "os/exec.Command")) {
          CheckCommand(*file, call, sink);
        } else if (background_ && IsBackgroundCall(*file, call)) {
          CheckBackground(*file, call, sink);
        }
      }
    }
  }

 private:
  bool background_;
  static void CheckCommand(const SourceFile& file, Node call, FindingSink& sink) {
    auto s = ContextInScope(file, call, /*locals=*/true);
    if (!s) return;
    std::string ctx = s->Expr();
    sink.Report(file, call,
                fmt::format("exec.Command although {} is in scope: the process is not killed when the context "
                            "ends, and Wait blocks for as long as it runs; use exec.CommandContext({}, ...)",
                            Describe(file, *s), ctx),
                fmt::format("exec.CommandContext({}, ...)", ctx));
    // exec.Command(name, args...) -> exec.CommandContext(ctx, name, args...), under the file's own name for os/exec.
    Node callee = call.Field("function");
    Node args = call.Field("arguments");
    if (callee.Is("selector_expression") && file.Text(callee.Field("field")) == "Command" && args &&
        args.NamedChildCount() >= 1) {
      Fix fix;
      fix.description = fmt::format("Use exec.CommandContext with {}", ctx);
      Node field = callee.Field("field");
      fix.edits.push_back(MakeEdit(file, field.StartByte(), field.EndByte(), "CommandContext"));
      Node first = args.NamedChild(0);
      fix.edits.push_back(MakeEdit(file, first.StartByte(), first.StartByte(), ctx + ", "));
      sink.FixLast(file, std::move(fix));
    }
  }

  static void CheckBackground(const SourceFile& file, Node call, FindingSink& sink) {
    auto s = ContextInScope(file, call, /*locals=*/false);
    if (!s) return;
    Node p = ParentOutsideParens(call);
    if (p.Is("argument_list") && ArgIndex(p.Parent(), call) == 0 &&
        (IsWithDeadlineCall(file, p.Parent()) || CancelCalledHere(file, p.Parent()))) {
      return;
    }
    if (InErrorPath(file, call, s->fn)) return;
    if (!EnclosingOfType(call, "defer_statement", s->fn).IsNull()) return;
    if (IsCleanupArgument(file, call) || InNilCheck(file, call, s->fn)) return;
    // ctx != context.Background(); a context built on purpose: Context: context.Background() in a literal, or in a
    // function that returns a context.
    if (p.Is("binary_expression") || p.Is("literal_element") || p.Is("keyed_element")) return;
    if (Node result = s->fn.Field("result"); !result.IsNull()) {
      bool returns_context = IsContextType(file, result);
      for (uint32_t i = 0, n = result.NamedChildCount(); i < n && !returns_context; ++i) {
        returns_context = IsContextType(file, result.NamedChild(i).Field("type"));
      }
      if (returns_context) return;
    }
    if (!s->request && CheckedDoneBefore(file, s->fn, s->object, call)) return;
    std::string ctx = s->Expr();
    sink.Report(file, call,
                fmt::format("{} although {} is in scope: what it is passed to is not cancelled when the caller "
                            "gives up, so goroutines and requests started with it can outlive the call; pass {}",
                            file.Text(call), Describe(file, *s), ctx),
                ctx);
  }
};

}  // namespace

std::unique_ptr<Rule> NewContextIgnored() { return std::make_unique<ContextIgnored>(/*background=*/false); }
std::unique_ptr<Rule> NewBackgroundContext() { return std::make_unique<ContextIgnored>(/*background=*/true); }

}  // namespace leakhound::scan
