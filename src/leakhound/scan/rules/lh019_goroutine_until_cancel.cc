// LH019 goroutine-until-cancel: a function starts a goroutine whose only way out is its context's Done(), and a
// caller makes sure that never comes:
//  (a) the goroutine waits on the function's ctx parameter and the call passes context.Background() or TODO() (a
//      constructor such as NewCache(ctx) called per request with a background context), or
//  (b) the function derives ctx, cancel := context.WithCancel(...), keeps cancel in the value it returns (to be
//      called by its Close, Rollback, Stop), and the call drops that value.
// Every such call leaks one goroutine for the life of the process. Pass a context that ends (the request's), make the
// value once, or keep it and call its Close.
//
// "Only way out": the goroutine's body has no return outside the select case (or plain receive) that waits on
// Done(); goroutines with another exit (a stop channel, a loop that ends) are left alone.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/rules/nethttp.h"

namespace leakhound::scan {

namespace {

// The receive on X.Done() of `fn`'s body that is its only exit, and X; null when there is none or another exit.
Node OnlyDoneWait(const PackageModel& model, const FunctionModel& g, Node* ctx_expr) {
  const SourceFile& f = *g.file;
  Node body = g.fn.Field("body");
  if (!body) return {};
  Node wait;
  for (Node u : FindAll(body, "unary_expression")) {
    if (f.Text(u.Field("operator")) != "<-") continue;
    Node call = Unparen(u.Field("operand"));
    if (!call.Is("call_expression")) continue;
    Node callee = Unparen(call.Field("function"));
    if (!callee.Is("selector_expression") || f.Text(callee.Field("field")) != "Done") continue;
    Node x = Unparen(callee.Field("operand"));
    const std::string t = model.TypeOf(f, x);
    bool is_ctx = t == "context.Context";
    if (!is_ctx && x.Is("identifier")) {
      const Object* o = f.syntax.Resolve(x);
      is_ctx = o && o->type && IsContextType(f, o->type);
    }
    if (!is_ctx) continue;
    if (wait) return {};  // two waits: not the simple shape
    wait = u;
    *ctx_expr = x;
  }
  if (!wait) return {};
  // No return elsewhere: every return lies in the select case of the wait, or after a plain wait.
  Node sc;
  Node sel = SelectOfCommunication(wait, &sc);
  for (Node r : FindAll(body, "return_statement")) {
    if (sel ? sc.Contains(r) : r.StartByte() > wait.EndByte()) continue;
    return {};
  }
  if (sel) {
    // A break out of the loop in another case is another exit.
    for (Node b : FindAll(sel, "break_statement")) {
      if (!sc.Contains(b) && b.ChildOfType("label_name")) return {};
    }
  } else if (EnclosingLoop(wait)) {
    return {};
  }
  return wait;
}

class GoroutineUntilCancel : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      if (fm->fn.Is("func_literal")) continue;
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kGo || !e.callee) continue;
        Node ctx;
        Node wait = OnlyDoneWait(model, *e.callee, &ctx);
        if (!wait) continue;
        const SourceFile& gf = *e.callee->file;
        // (a) The goroutine's ctx is our parameter (captured, or bound as an argument).
        if (ctx.Is("identifier")) {
          const Object* o = gf.syntax.Resolve(ctx);
          for (const auto& [param, arg] : e.binds) {
            if (param == o) o = arg;
          }
          const int index = o && o->kind == ObjectKind::kParam ? ParamIndex(*fm, o) : -1;
          if (index >= 0 && ReportBackgroundCallers(model, *fm, *e.callee, index, sink)) {
            ReportWait(*e.callee, wait, fm->name, "is called with a context that never ends", sink);
          }
          continue;
        }
        // (b) ctx is a field of the value we return, whose cancel we keep in it.
        if (ctx.Is("selector_expression") && ReturnsKeptCancel(model, *fm) &&
            ReportDroppedResults(model, *fm, *e.callee, sink)) {
          ReportWait(*e.callee, wait, fm->name, "has callers that drop the value holding the cancel", sink);
        }
      }
    }
  }

 private:
  static int ParamIndex(const FunctionModel& fm, const Object* o) {
    int i = 0;
    for (Node p : FindAll(fm.fn.Field("parameters"), "parameter_declaration")) {
      for (Node n : FieldAll(p, "name")) {
        if (fm.file->syntax.Declared(n) == o) return i;
        ++i;
      }
    }
    return -1;
  }

  // Does `fm` call context.WithCancel and put the cancel func into a composite literal (the value it returns)?
  static bool ReturnsKeptCancel(const PackageModel& model, const FunctionModel& fm) {
    const SourceFile& f = *fm.file;
    for (Node call : FindAll(fm.fn.Field("body"), "call_expression")) {
      if (!CallIs(f, call, "context.WithCancel") && !CallIs(f, call, "context.WithCancelCause")) continue;
      for (Node lit : FindAll(fm.fn.Field("body"), "composite_literal")) {
        for (Node id : FindAll(lit, "identifier")) {
          const Object* o = f.syntax.Resolve(id);
          if (o && o->value == call && o->value_index == 1) return true;
        }
      }
    }
    return false;
  }

  // The wait itself, so the goroutine's own code says why it never returns.
  static void ReportWait(const FunctionModel& g, Node wait, const std::string& starter, const char* why,
                         FindingSink& sink) {
    sink.Report(*g.file, wait,
                fmt::format("{} waits only for its context to be done, and {} (which starts it) {}: it never "
                            "returns",
                            g.name, starter, why));
  }

  static bool ReportBackgroundCallers(const PackageModel& model, const FunctionModel& fm, const FunctionModel& g,
                                      int index, FindingSink& sink) {
    bool reported = false;
    for (const auto& caller : model.functions()) {
      for (const SyncEvent& c : caller->events) {
        if ((c.type != SyncEvent::Type::kCall && c.type != SyncEvent::Type::kGo) || c.callee != &fm) continue;
        Node args = c.node.Field("arguments");
        if (!args || static_cast<uint32_t>(index) >= args.NamedChildCount()) continue;
        Node arg = Unparen(args.NamedChild(index));
        if (!arg.Is("call_expression") || !IsBackgroundCall(*caller->file, arg)) continue;
        reported = true;
        sink.Report(*caller->file, c.node,
                    fmt::format("{} starts a goroutine ({}) that ends only when its context is done, and "
                                "{} never is: every call leaks that goroutine; pass a context that ends, or make "
                                "it once",
                                fm.name, g.name, caller->file->Text(arg)));
      }
    }
    return reported;
  }

  static bool ReportDroppedResults(const PackageModel& model, const FunctionModel& fm, const FunctionModel& g,
                                   FindingSink& sink) {
    bool reported = false;
    for (const auto& caller : model.functions()) {
      for (const SyncEvent& c : caller->events) {
        if (c.type != SyncEvent::Type::kCall || c.callee != &fm) continue;
        if (!c.node.Parent().Is("expression_statement")) continue;  // the result is kept
        reported = true;
        sink.Report(*caller->file, c.node,
                    fmt::format("{} starts a goroutine ({}) that ends only when the context it made is cancelled, "
                                "and keeps the cancel in the value it returns, which this call drops: the "
                                "goroutine leaks; keep the value and call its Close/Rollback",
                                fm.name, g.name));
      }
    }
    return reported;
  }
};

}  // namespace

std::unique_ptr<Rule> NewGoroutineUntilCancel() { return std::make_unique<GoroutineUntilCancel>(); }

}  // namespace leakhound::scan
