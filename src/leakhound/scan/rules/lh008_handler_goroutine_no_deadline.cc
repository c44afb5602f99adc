// LH008 handler-goroutine-no-deadline: a `go` statement inside an HTTP handler or middleware (a function, method or
// func literal taking exactly (http.ResponseWriter, *http.Request); that includes what is converted with
// http.HandlerFunc) whose goroutine has no context with a deadline:
//   - it uses context.Background() / context.TODO() (in its body, as an argument, or through a variable of the handler
//     initialised with one), other than as the parent of context.WithTimeout / WithDeadline; or
//   - it uses no context at all (no context.Context value, no X.Context()) while doing work that can block forever:
//     an HTTP request or dial without a context (http.Get/Head/Post/PostForm, http.DefaultClient.*, net.Dial), a send
//     or receive on a channel the handler did not make (outside a select with another case), or time.Sleep in a loop
//     with no way out. `go f(x)` is followed one level into f when it is a function of the package.
// A goroutine that receives r.Context() (or any ctx) counts as bounded: the request context is cancelled when the
// handler returns. Test files are not checked: test handlers block on purpose.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

bool InContextPackage(const Callee& c) {
  return c.kind == Callee::Kind::kImported && util::StartsWith(c.qualified, "context.");
}

// Is this Background()/TODO() call the parent argument of a WithTimeout/WithDeadline call?
bool IsDeadlineParent(const SourceFile& file, Node call) {
  Node p = ParentOutsideParens(call);
  return p.Is("argument_list") && IsWithDeadlineCall(file, p.Parent()) && ArgIndex(p.Parent(), call) == 0;
}

// Is `o` a variable holding a context: declared context.Context or initialised from package context or X.Context()?
bool IsContextObject(const SourceFile& file, const Object* o) {
  if (IsContextType(file, o->type)) return true;
  Node v = Unparen(o->value);
  if (!v.Is("call_expression")) return false;
  Callee c = ResolveCallee(file, v);
  return (InContextPackage(c) && o->value_index == 0) || (c.kind == Callee::Kind::kMethod && c.name == "Context");
}

// Does `n` mention a context: a variable holding one, X.Context(), or any call into package context?
bool MentionsContext(const SourceFile& file, Node n) {
  bool found = false;
  TreeCursor cursor(n);
  cursor.Walk([&](Node x) {
    if (found) return false;
    if (x.Is("identifier")) {
      if (const Object* o = file.syntax.Resolve(x); o != nullptr && IsContextObject(file, o)) found = true;
    } else if (x.Is("call_expression")) {
      Callee c = ResolveCallee(file, x);
      if ((c.kind == Callee::Kind::kMethod && c.name == "Context") || InContextPackage(c)) found = true;
    }
    return !found;
  });
  return found;
}

// A Background()/TODO() the goroutine uses: called in `n` (not as a deadline's parent), or a variable of the handler
// initialised with one. Null when there is none.
Node BackgroundUse(const SourceFile& file, Node n) {
  Node found;
  TreeCursor cursor(n);
  cursor.Walk([&](Node x) {
    if (!found.IsNull()) return false;
    if (x.Is("call_expression") && IsBackgroundCall(file, x) && !IsDeadlineParent(file, x)) {
      found = x;
    } else if (x.Is("identifier")) {
      const Object* o = file.syntax.Resolve(x);
      if (o != nullptr && !n.Contains(o->ident) && o->assignments.empty() && o->value_index == 0) {
        Node v = Unparen(o->value);
        if (v.Is("call_expression") && IsBackgroundCall(file, v) && !IsDeadlineParent(file, v)) found = x;
      }
    }
    return found.IsNull();
  });
  return found;
}

bool IsNetworkCallWithoutContext(const SourceFile& file, Node call) {
  static constexpr std::string_view kCalls[] = {"net/http.Get", "net/http.Head", "net/http.Post",
                                                "net/http.PostForm", "net.Dial"};
  for (std::string_view q : kCalls) {
    if (CallIs(file, call, q)) return true;
  }
  Callee c = ResolveCallee(file, call);
  if (c.kind != Callee::Kind::kMethod) return false;
  Node recv = Unparen(c.receiver);
  // http.DefaultClient.Get(url), http.DefaultClient.Do(req)
  if (recv.Is("selector_expression") && file.Text(recv.Field("field")) == "DefaultClient") {
    Node pkg = recv.Field("operand");
    return pkg.Is("identifier") && file.imports.PathOf(file.Text(pkg)) == "net/http";
  }
  return false;
}

// Channels made in `scope` (by any make(chan) of a local variable).
bool MadeIn(const SourceFile& file, Node channel_expr, Node scope) {
  channel_expr = Unparen(channel_expr);
  if (!channel_expr.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(channel_expr);
  if (o == nullptr) return false;
  if (o->kind == ObjectKind::kParam) return false;
  return !o->package_level && scope.Contains(o->ident);
}

// The first operation in `body` that can block forever without a context, and what it is; null when none.
Node BlockingWork(const SourceFile& file, Node body, Node handler, std::string* what) {
  Node found;
  TreeCursor cursor(body);
  cursor.Walk([&](Node x) {
    if (!found.IsNull()) return false;
    if (x.Is("call_expression")) {
      if (IsNetworkCallWithoutContext(file, x)) {
        found = x;
        *what = fmt::format("calls {} with no context or timeout", file.Text(x.Field("function")));
      } else if (CallIs(file, x, "time.Sleep")) {
        Node loop = EnclosingLoop(x);
        if (!loop.IsNull() && body.Contains(loop) && IsInfiniteLoop(loop) && !LoopHasExit(file, loop)) {
          found = x;
          *what = "sleeps in a loop with no way out";
        }
      }
    } else if (x.Is("send_statement") || (x.Is("unary_expression") && file.Text(x.Child(0)) == "<-")) {
      Node ch = x.Is("send_statement") ? x.Field("channel") : x.Field("operand");
      Node select_case;
      Node select = SelectOfCommunication(x, &select_case);
      bool guarded = !select.IsNull() && SelectHasOtherCase(select, select_case);
      if (!guarded && !MadeIn(file, ch, handler)) {
        found = x;
        *what = fmt::format("{} {} with nothing to stop it", x.Is("send_statement") ? "sends on" : "receives from",
                            file.Text(ch));
      }
    }
    return found.IsNull();
  });
  return found;
}

class HandlerGoroutineNoDeadline : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      if (file->is_test) continue;
      for (std::string_view type : {"function_declaration", "method_declaration", "func_literal"}) {
        for (Node fn : FindAll(file->root(), type, IntoLiterals::kYes)) {
          if (IsHandlerFunc(*file, fn)) CheckHandler(pkg, *file, fn, sink);
        }
      }
    }
  }

 private:
  static void CheckHandler(const Package& pkg, const SourceFile& file, Node handler, FindingSink& sink) {
    std::string name(FunctionName(handler, file.source()));
    std::string who = name.empty() ? "an HTTP handler" : fmt::format("HTTP handler {}", name);
    for (Node go : FindAll(handler.Field("body"), "go_statement", IntoLiterals::kYes)) {
      // Only the outermost goroutines of this handler, not those of a nested handler literal.
      if (!EnclosingGo(go, handler).IsNull()) continue;
      bool nested_handler = false;
      for (Node f = EnclosingFunction(go); !f.IsNull() && !(f == handler); f = EnclosingFunction(f)) {
        nested_handler = nested_handler || IsHandlerFunc(file, f);
      }
      if (nested_handler) continue;
      Node call = GoCall(go);
      if (call.IsNull()) continue;
      if (Node bg = BackgroundUse(file, go); !bg.IsNull()) {
        sink.Report(file, go,
                    fmt::format("goroutine started by {} uses {} (line {}): nothing cancels it and it has no "
                                "deadline, so it can outlive the request forever; derive a context with a timeout "
                                "(context.WithTimeout(context.WithoutCancel(r.Context()), d))",
                                who, file.Text(bg), LineOf(file, bg)),
                    "context.WithTimeout(context.WithoutCancel(r.Context()), d)");
        continue;
      }
      if (MentionsContext(file, go)) continue;
      std::string what;
      Node work;
      if (Node lit = GoFuncLiteral(go); !lit.IsNull()) {
        work = BlockingWork(file, lit.Field("body"), handler, &what);
      } else if (auto target = pkg.Target(file, call)) {
        if (ContextParam(*target->file, target->decl) == nullptr &&
            !MentionsContext(*target->file, target->decl.Field("body"))) {
          Node w = BlockingWork(*target->file, target->decl.Field("body"), target->decl, &what);
          if (!w.IsNull()) {
            what = fmt::format("{} (in {}, line {})", what, FunctionName(target->decl, target->file->source()),
                               LineOf(*target->file, w));
            work = go;
          }
        }
      }
      if (work.IsNull()) continue;
      sink.Report(file, go,
                  fmt::format("goroutine started by {} has no context and {}: it can block long after the request "
                              "ended; pass it a context with a deadline and select on ctx.Done()",
                              who, what),
                  "pass ctx (with a timeout) and select on ctx.Done()");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewHandlerGoroutineNoDeadline() { return std::make_unique<HandlerGoroutineNoDeadline>(); }

}  // namespace leakhound::scan
