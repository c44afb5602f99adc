// LH006 timer-not-stopped: runtime timers that are never released.
//   - t := time.NewTicker(d) kept in a local that is never stopped (no t.Stop() anywhere, closures included) and does
//     not escape (only t.C and t.Reset are used); also `range time.NewTicker(d).C` / `<-time.NewTicker(d).C`.
//   - t := time.NewTimer(d), never stopped, not escaping, not Reset, and either made in a loop or received from as a
//     case of a select that has other cases (the function can leave with the timer armed).
//   - time.Tick(d) in a function other than package main's main (and its literals), not returned: the ticker can
//     never be stopped.
// Test files are not read: their timers end with the test binary.
//   - <-time.After(d) as a select case inside a for loop: each iteration that another case wins leaves a timer armed.
// When the nearest go.mod (or vendor.mod) says go 1.23 or later, the runtime collects unreferenced unstopped timers
// and tickers, and every timer this rule looks at is one (escaping ones are left alone): nothing is reported there,
// unless the project file sets the rule's severity (then the findings come at that severity, for code that must
// also build with older Go). Not LH011's (handle-never-stopped): that rule leaves time.NewTicker/NewTimer here.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

Node ParentSkippingParens(Node n) {
  Node p = n.Parent();
  while (p.Is("parenthesized_expression")) p = p.Parent();
  return p;
}

// The local variable a call's single result is assigned to (`t := f()`, `t = f()`, `var t = f()`), or nullptr.
const Object* AssignedLocal(const SourceFile& file, Node call) {
  Node list = ParentSkippingParens(call);
  if (!list.Is("expression_list") || list.NamedChildCount() != 1) return nullptr;
  Node decl = list.Parent();
  Node name;
  if (decl.Is("short_var_declaration") || decl.Is("assignment_statement")) {
    Node left = decl.Field("left");
    if (left.NamedChildCount() != 1) return nullptr;
    name = left.NamedChild(0);
  } else if (decl.Is("var_spec")) {
    std::vector<Node> names = FieldAll(decl, "name");
    if (names.size() != 1) return nullptr;
    name = names[0];
  } else {
    return nullptr;
  }
  if (!name.Is("identifier")) return nullptr;
  const Object* o = file.syntax.Declared(name);
  if (o == nullptr) o = file.syntax.Resolve(name);
  if (o == nullptr || o->kind != ObjectKind::kVar || o->package_level) return nullptr;
  return o;
}

struct Uses {
  bool stopped = false;
  bool escapes = false;
  bool reset = false;
  std::vector<Node> receives;  // <-t.C
};

Uses Classify(const SourceFile& file, const Object& o) {
  Uses u;
  for (Node use : o.uses) {
    Node p = ParentSkippingParens(use);
    if (!p.Is("selector_expression") || !(Unparen(p.Field("operand")) == use)) {
      u.escapes = true;  // passed, returned, stored, compared, &t
      continue;
    }
    std::string_view field = file.Text(p.Field("field"));
    Node pp = ParentSkippingParens(p);
    if (field == "Stop" && pp.Is("call_expression")) {
      u.stopped = true;
    } else if (field == "Reset" && pp.Is("call_expression")) {
      u.reset = true;
    } else if (field == "C") {
      if (pp.Is("unary_expression") && file.Text(pp.Child(0)) == "<-") {
        u.receives.push_back(pp);
      } else if (!pp.Is("range_clause") && !pp.Is("receive_statement")) {
        u.escapes = true;  // t.C handed on
      }
    } else {
      u.escapes = true;  // a method value t.Stop, anything else
    }
  }
  return u;
}

// Does select case `c` assign a variable that the condition of `loop` reads (`case errc = <-quit:` in
// `for errc == nil { ... }`)? Then taking the case ends the loop.
bool SetsLoopCondition(const SourceFile& file, Node c, Node loop) {
  Node cond;
  for (uint32_t i = 0; i < loop.NamedChildCount(); ++i) {
    Node x = loop.NamedChild(i);
    if (x.Is("for_clause")) cond = x.Field("condition");
    if (!x.Is("block") && !x.Is("comment") && !x.Is("for_clause") && !x.Is("range_clause")) cond = x;
  }
  if (cond.IsNull()) return false;
  std::vector<std::string_view> assigned;
  TreeCursor walk(c);
  walk.Walk([&](Node n) {
    if (n.Is("func_literal")) return false;
    if (n.Is("assignment_statement") || n.Is("receive_statement")) {
      bool declares = false;  // `case v := <-ch`: a new variable, not the loop's
      for (uint32_t i = 0; i < n.ChildCount(); ++i) declares = declares || n.Child(i).Type() == ":=";
      if (declares) return true;
      Node left = n.Field("left");
      for (uint32_t i = 0; i < left.NamedChildCount(); ++i) {
        if (left.NamedChild(i).Is("identifier")) assigned.push_back(file.Text(left.NamedChild(i)));
      }
    }
    return true;
  });
  bool reads = false;
  TreeCursor in_cond(cond);
  in_cond.Walk([&](Node n) {
    if (n.Is("identifier") && std::find(assigned.begin(), assigned.end(), file.Text(n)) != assigned.end()) reads = true;
    return !reads;
  });
  return reads;
}

// A loop that runs for as long as its goroutine: `for { ... }` or `for range C` over a ticker's channel (never
// closed), with nothing that leaves it.
bool EndlessLoop(const SourceFile& file, Node loop, bool ranges_over_ticker) {
  return (IsInfiniteLoop(loop) || ranges_over_ticker) && !LoopHasExit(file, loop);
}

// Do all of `nodes` lie in one endless loop (the innermost for around the first one)? A ticker used only there lives
// exactly as long as the loop: the loop, not the ticker, decides the goroutine's life (a metrics exporter, a
// process-lifetime housekeeping goroutine), so stopping the ticker would change nothing.
bool OnlyInEndlessLoop(const SourceFile& file, const std::vector<Node>& nodes) {
  if (nodes.empty()) return false;
  Node loop = EnclosingLoop(nodes.front());
  if (loop.IsNull()) return false;
  bool ranges = false;
  for (uint32_t i = 0; i < loop.NamedChildCount(); ++i) {
    Node c = loop.NamedChild(i);
    if (c.Is("range_clause") && c.Contains(nodes.front())) ranges = true;
  }
  for (Node n : nodes) {
    if (!loop.Contains(n)) return false;
  }
  return EndlessLoop(file, loop, ranges);
}

class TimerNotStopped : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    bool collected = pkg.GoAtLeast(1, 23);
    if (collected && !sink.configured()) return;
    for (const SourceFile* file : pkg.files) {
      if (file->is_test) continue;  // a test's timers end with the test binary, and the doc promises as much
      for (Node call : FindAll(file->root(), "call_expression", IntoLiterals::kYes)) {
        if (CallIs(*file, call, "time.NewTicker")) {
          CheckNew(*file, call, /*ticker=*/true, collected, sink);
        } else if (CallIs(*file, call, "time.NewTimer")) {
          CheckNew(*file, call, /*ticker=*/false, collected, sink);
        } else if (CallIs(*file, call, "time.Tick")) {
          CheckTick(*file, call, collected, sink);
        } else if (CallIs(*file, call, "time.After")) {
          CheckAfter(*file, call, collected, sink);
        }
      }
    }
  }

 private:
  static void Emit(const SourceFile& file, Node at, bool collected, std::string message, std::string suggestion,
                   FindingSink& sink) {
    if (collected) {
      sink.ReportWithSeverity(Severity::kNote, file, at,
                              message + " (note only: go.mod says go 1.23+, whose GC collects unreferenced timers)",
                              std::move(suggestion));
    } else {
      sink.Report(file, at, std::move(message), std::move(suggestion));
    }
  }

  static void CheckNew(const SourceFile& file, Node call, bool ticker, bool collected, FindingSink& sink) {
    Node fn = EnclosingFunction(call);
    if (fn.IsNull()) return;
    std::string_view callee = file.Text(call.Field("function"));
    const Object* o = AssignedLocal(file, call);
    if (o == nullptr) {
      // time.NewTicker(d).C used directly: nothing can stop it.
      Node p = ParentSkippingParens(call);
      if (!ticker || !p.Is("selector_expression") || file.Text(p.Field("field")) != "C") return;
      Node pp = ParentSkippingParens(p);
      if (!pp.Is("range_clause") && !pp.Is("unary_expression")) return;
      if (OnlyInEndlessLoop(file, {call})) return;
      Emit(file, call,
           collected, fmt::format("the ticker of {}(...).C can never be stopped: it ticks for the life of the program",
                                  callee),
           "keep the ticker and defer its Stop()", sink);
      return;
    }
    Uses u = Classify(file, *o);
    if (u.stopped || u.escapes) return;
    if (ticker && OnlyInEndlessLoop(file, o->uses)) return;
    if (ticker) {
      Emit(file, call, collected,
           fmt::format("ticker {} from {} is never stopped: it keeps ticking after the function is done", o->name,
                       callee),
           fmt::format("defer {}.Stop()", o->name), sink);
      if (auto fix = DeferAfterDeclaration(file, *o, fmt::format("{}.Stop()", o->name),
                                           fmt::format("Stop ticker {} when the function returns", o->name))) {
        sink.FixLast(file, std::move(*fix));
      }
      return;
    }
    if (u.reset) return;  // a reused timer: its owner manages it
    bool in_loop = false;
    for (Node p = call.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) in_loop = in_loop || p.Is("for_statement");
    bool early = false;
    for (Node r : u.receives) {
      Node select_case;
      Node select = EnclosingSelect(r, &select_case);
      if (select.IsNull() || !select_case.Is("communication_case")) continue;
      Node comm = select_case.Field("communication");
      if (!comm.IsNull() && comm.Contains(r) && SelectHasOtherCase(select, select_case)) early = true;
    }
    if (!in_loop && !early) return;
    Emit(file, call, collected,
         fmt::format("timer {} from {} is never stopped{}: it stays armed until it fires", o->name, callee,
                     in_loop ? " and a new one is made each iteration" : " and a select can leave before it fires"),
         fmt::format("defer {}.Stop()", o->name), sink);
    if (auto fix = DeferAfterDeclaration(file, *o, fmt::format("{}.Stop()", o->name),
                                         fmt::format("Stop timer {} when the function returns", o->name))) {
      sink.FixLast(file, std::move(*fix));
    }
  }

  static void CheckTick(const SourceFile& file, Node call, bool collected, FindingSink& sink) {
    if (EnclosingFunction(call).IsNull() || InMain(file, call)) return;
    // `return time.Tick(d)`: a clock abstraction hands the channel on; its caller decides its lifetime.
    if (ParentSkippingParens(call).Is("expression_list") && ParentSkippingParens(call).Parent().Is("return_statement")) {
      return;
    }
    // Ticking for as long as an endless loop that uses it: `for range time.Tick(d)`, or a local read only there.
    if (OnlyInEndlessLoop(file, {call})) return;
    if (const Object* o = AssignedLocal(file, call); o != nullptr && !o->uses.empty()) {
      bool only_received = true;
      for (Node use : o->uses) {
        Node p = ParentSkippingParens(use);
        only_received = only_received && (p.Is("range_clause") || (p.Is("unary_expression") && file.Text(p.Child(0)) == "<-"));
      }
      if (only_received && OnlyInEndlessLoop(file, o->uses)) return;
    }
    Emit(file, call, collected,
         "time.Tick outside func main: its ticker can never be stopped and ticks for the life of the program",
         "use time.NewTicker and defer its Stop()", sink);
  }

  static void CheckAfter(const SourceFile& file, Node call, bool collected, FindingSink& sink) {
    Node p = ParentSkippingParens(call);
    if (!p.Is("unary_expression") || file.Text(p.Child(0)) != "<-") return;
    Node select_case;
    Node select = EnclosingSelect(call, &select_case);
    if (select.IsNull() || select_case.IsNull() || !select_case.Is("communication_case")) return;
    // The receive must be the case's communication, not something inside its body.
    Node comm = select_case.Field("communication");
    if (comm.IsNull() || !comm.Contains(call)) return;
    Node loop = EnclosingLoop(select);
    if (loop.IsNull() || !(EnclosingFunction(loop) == EnclosingFunction(call))) return;
    // Only when another case can win and stay in the loop: cases that return or break leave one timer at most.
    bool stays = false;
    select.ForEachNamedChild([&](Node c) {
      if ((c.Is("communication_case") || c.Is("default_case")) && !(c == select_case) && !ContainsReturn(file, c) &&
          FindAll(c, "break_statement").empty() && FindAll(c, "goto_statement").empty() &&
          !SetsLoopCondition(file, c, loop)) {
        stays = true;
      }
      return !stays;
    });
    if (!stays) return;
    Emit(file, call, collected,
         "time.After in a select inside a loop: each iteration that another case wins leaves a timer armed until it fires",
         "make one time.NewTimer before the loop and Reset it, or use a context deadline", sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewTimerNotStopped() { return std::make_unique<TimerNotStopped>(); }

}  // namespace leakhound::scan
