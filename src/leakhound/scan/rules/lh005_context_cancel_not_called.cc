// LH005 context-cancel-not-called: the cancel func of context.WithCancel/WithTimeout/WithDeadline[Cause] is
//   - discarded (`ctx, _ := context.WithTimeout(...)`): error;
//   - kept in a local but not called on every way out of its scope: no `defer cancel()`, and some return after the
//     With call, or leaving the block that declares it (falling off its end, break, continue), is not preceded by a
//     cancel() statement that dominates it (a statement of a block around the exit, after the With call): warning.
// Syntactic dominance, no CFG: a cancel() that is a statement of an enclosing block before the exit runs on every
// path to it (goto aside). Skipped, as go vet's lostcancel would mostly accept them: cancels that escape (returned,
// stored, passed on, compared), that are used inside a func literal other than a deferred one (a goroutine or a
// callback calls it), that live in fields, named results or package-level variables, functions with goto, and exits
// in a branch of an if/switch/select other than the one holding the With call (not reachable from it), `go cancel()`,
// With calls inside a loop within the variable's scope, and the end of the body of an endless `for {}` loop.
#include <fmt/format.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

bool IsStatementContainer(Node n) {
  return n.Is("statement_list") || n.Is("block") || n.Is("expression_case") || n.Is("type_case") ||
         n.Is("communication_case") || n.Is("default_case");
}

// The statement (a child of a statement container) around n.
Node StatementOf(Node n) {
  while (!n.IsNull() && !IsStatementContainer(n.Parent())) n = n.Parent();
  return n;
}

// The innermost statement container around n that is not n itself: the block a statement belongs to.
Node ContainerOf(Node stmt) { return stmt.Parent(); }

// Is `exit` in a different branch than `from` of an if/switch/select that holds both (so not reachable from it,
// loops aside)?
bool OtherBranch(Node from, Node exit) {
  for (Node p = exit.Parent(); !p.IsNull(); p = p.Parent()) {
    if (!p.Contains(from)) continue;
    // p is the lowest common ancestor.
    if (p.Is("if_statement")) {
      Node cons = p.Field("consequence"), alt = p.Field("alternative");
      return (cons.Contains(from) && alt.Contains(exit)) || (alt.Contains(from) && cons.Contains(exit));
    }
    if (p.Is("expression_switch_statement") || p.Is("type_switch_statement") || p.Is("select_statement")) {
      return true;  // both inside the statement but not inside one case (else the LCA would be the case)
    }
    return false;
  }
  return false;
}

// Does every path through statement `s` that does not leave the function run one of the cancel() statements
// `calls` (by start byte)? if/else with both branches, switch with a default and select with every case calling it
// (or returning) count.
bool AlwaysCalls(const SourceFile& file, Node s, const std::unordered_set<uint32_t>& calls, int depth = 0) {
  if (s.IsNull() || depth > 50) return false;
  if (s.Is("expression_statement")) return calls.count(s.StartByte()) > 0;
  if (s.Is("labeled_statement")) return AlwaysCalls(file, s.NamedChild(s.NamedChildCount() - 1), calls, depth + 1);
  // A branch: one of its statements always calls, or it ends by leaving (that exit is checked on its own).
  auto branch = [&](Node b) {
    bool found = false;
    Node last;
    b.ForEachNamedChild([&](Node c) {
      if (c.Is("statement_list")) {
        c.ForEachNamedChild([&](Node d) {
          if (!d.Is("comment")) last = d;
          found = found || AlwaysCalls(file, d, calls, depth + 1);
          return !found;
        });
      } else if (!c.Is("comment")) {
        last = c;
        found = found || AlwaysCalls(file, c, calls, depth + 1);
      }
      return !found;
    });
    return found || (!last.IsNull() && (last.Is("return_statement") ||
                                        (last.Is("expression_statement") && ContainsReturn(file, last))));
  };
  if (s.Is("block")) return branch(s);
  if (s.Is("if_statement")) {
    Node alt = s.Field("alternative");
    if (alt.IsNull() || !branch(s.Field("consequence"))) return false;
    return alt.Is("if_statement") ? AlwaysCalls(file, alt, calls, depth + 1) : branch(alt);
  }
  if (s.Is("expression_switch_statement") || s.Is("type_switch_statement") || s.Is("select_statement")) {
    bool all = true, any = false, has_default = s.Is("select_statement");
    s.ForEachNamedChild([&](Node c) {
      if (!(c.Is("expression_case") || c.Is("type_case") || c.Is("communication_case") || c.Is("default_case"))) {
        return true;
      }
      any = true;
      has_default = has_default || c.Is("default_case");
      all = all && branch(c);
      return all;
    });
    return any && all && has_default;
  }
  return false;
}

bool IsCancelStatement(Node call) {
  Node p = call.Parent();
  while (p.Is("parenthesized_expression")) p = p.Parent();
  return p.Is("expression_statement") && IsStatementContainer(p.Parent());
}

class ContextCancelNotCalled : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      const ContextFacts& facts = FileContexts(*file);
      for (const CancelFunc& cf : facts.cancels) CheckCancel(*file, cf, sink);
    }
  }

 private:
  // `ctx, _ := context.WithTimeout(...)` -> `ctx, cancel := ...` and `defer cancel()` after it, when the statement
  // declares with := directly in a block outside loops and nothing named cancel is in the function.
  static std::optional<Fix> KeepDiscardedCancel(const SourceFile& file, const CancelFunc& cf) {
    Node stmt = cf.decl;
    if (!stmt.Is("short_var_declaration") || !stmt.Parent().Is("statement_list")) return std::nullopt;
    Node left = stmt.Field("left");
    if (!left || left.NamedChildCount() != 2 || file.Text(left.NamedChild(1)) != "_") return std::nullopt;
    if (InLoopOfItsFunction(stmt)) return std::nullopt;
    for (Node id : FindAll(EnclosingFunction(stmt), "identifier", IntoLiterals::kYes)) {
      if (file.Text(id) == "cancel") return std::nullopt;
    }
    Fix fix = InsertLineAfter(file, stmt, "defer cancel()", "Keep the cancel func and call it when the function returns");
    Node blank = left.NamedChild(1);
    fix.edits.insert(fix.edits.begin(), MakeEdit(file, blank.StartByte(), blank.EndByte(), "cancel"));
    return fix;
  }

  static void CheckCancel(const SourceFile& file, const CancelFunc& cf, FindingSink& sink) {
    std::string_view callee = file.Text(cf.call.Field("function"));
    if (cf.object == nullptr) {
      if (cf.escapes || cf.decl.IsNull()) return;
      sink.Report(file, cf.call,
                  fmt::format("the cancel func of {} is discarded with _: the context (and its timer) lives until "
                              "its parent is done",
                              callee),
                  "keep it and `defer cancel()`");
      if (auto fix = KeepDiscardedCancel(file, cf)) sink.FixLast(file, std::move(*fix));
      return;
    }
    const Object& obj = *cf.object;
    if (cf.escapes || !cf.deferred.empty() || obj.kind != ObjectKind::kVar || obj.package_level) return;
    Node fn = EnclosingFunction(cf.call);
    if (fn.IsNull() || !(obj.function == fn)) return;
    Node body = fn.Field("body");
    if (body.IsNull() || !FindAll(body, "goto_statement").empty()) return;
    // `go cancel()`: called, by another goroutine.
    for (Node c : cf.calls) {
      Node p = c.Parent();
      while (p.Is("parenthesized_expression")) p = p.Parent();
      if (p.Is("go_statement")) return;
    }
    // Used in a func literal (a goroutine, a callback, a stored closure): it may well be called there.
    for (Node use : obj.uses) {
      if (!(EnclosingFunction(use) == fn)) return;
    }
    // The block that declares the variable: leaving it loses the cancel func.
    Node decl_stmt = StatementOf(obj.decl.IsNull() ? obj.ident : obj.decl);
    if (decl_stmt.IsNull()) return;
    Node scope = ContainerOf(decl_stmt);
    Node call_stmt = StatementOf(cf.call);
    if (call_stmt.IsNull()) return;
    // In a loop inside the variable's scope, the next iteration may cancel it: judged only with a CFG.
    for (Node p = call_stmt.Parent(); !p.IsNull() && !(p == scope); p = p.Parent()) {
      if (p.Is("for_statement")) return;
    }

    // cancel() statements after the With call.
    std::vector<Node> cancels;
    for (Node c : cf.calls) {
      if (c.StartByte() >= cf.call.EndByte() && IsCancelStatement(c)) cancels.push_back(StatementOf(c));
    }
    // A later With call assigning the same variable ends this one's span (it is then reported on its own).
    uint32_t span_end = scope.EndByte();
    std::unordered_set<uint32_t> call_stmts;
    for (Node c : cancels) call_stmts.insert(c.StartByte());
    // Is a statement after the With call and before `exit_at`, in a block around it, calling cancel on every path?
    auto dominated = [&](Node exit_at) {
      for (Node p = exit_at.Parent(); !p.IsNull() && !(p == body); p = p.Parent()) {
        if (!IsStatementContainer(p)) continue;
        bool found = false;
        p.ForEachNamedChild([&](Node st) {
          if (st.StartByte() >= exit_at.StartByte()) return false;
          if (st.StartByte() >= cf.call.EndByte() && AlwaysCalls(file, st, call_stmts)) found = true;
          return !found;
        });
        if (found) return true;
      }
      return false;
    };

    Node missed;
    std::string how;
    // Returns after the call within the scope.
    for (Node r : ReturnsBetween(fn, cf.call.EndByte(), span_end)) {
      if (!scope.Contains(r) || OtherBranch(cf.call, r)) continue;
      if (!dominated(r)) {
        missed = r;
        how = fmt::format("the return on line {}", LineOf(file, r));
        break;
      }
    }
    // break/continue leaving the scope (a loop body) before a cancel().
    if (missed.IsNull()) {
      for (std::string_view type : {"break_statement", "continue_statement"}) {
        for (Node b : FindAll(scope, type)) {
          if (b.StartByte() < cf.call.EndByte() || OtherBranch(cf.call, b)) continue;
          bool labeled = b.NamedChildCount() > 0;
          // An unlabeled break/continue inside a nested loop (or a break in a switch/select) stays in the scope.
          bool nested = false;
          for (Node p = b.Parent(); !p.IsNull() && !(p == scope); p = p.Parent()) {
            if (p.Is("for_statement") ||
                (type == "break_statement" && (p.Is("expression_switch_statement") ||
                                               p.Is("type_switch_statement") || p.Is("select_statement")))) {
              nested = true;
              break;
            }
          }
          if (nested && !labeled) continue;
          if (nested) return;  // labeled jump out of a nested construct: too clever to judge
          if (!dominated(b)) {
            missed = b;
            how = fmt::format("the {} on line {}", type == "break_statement" ? "break" : "continue", LineOf(file, b));
            break;
          }
        }
        if (!missed.IsNull()) break;
      }
    }
    // Falling off the end of the scope. The body of an endless `for {}` loop only leaves through its returns and
    // breaks (go vet's lostcancel does not follow the loop back either).
    Node scope_owner = scope.Is("statement_list") ? scope.Parent().Parent() : scope.Parent();
    bool endless_body = scope_owner.Is("for_statement") && IsInfiniteLoop(scope_owner);
    if (missed.IsNull() && !endless_body) {
      Node last;
      Node list = scope.Is("block") ? scope.ChildOfType("statement_list") : scope;
      if (list.IsNull()) list = scope;
      list.ForEachNamedChild([&](Node c) {
        if (!c.Is("comment")) last = c;
        return true;
      });
      bool ends_in_exit = !last.IsNull() && (last.Is("return_statement") || last.Is("goto_statement") ||
                                             last.Is("break_statement") || last.Is("continue_statement") ||
                                             (last.Is("expression_statement") && ContainsReturn(file, last)));
      // The end of a function with results, or after an endless loop, is not reachable.
      if ((scope == body || ContainerOf(scope) == body) && !fn.Field("result").IsNull()) ends_in_exit = true;
      if (!last.IsNull() && last.Is("for_statement") && IsInfiniteLoop(last)) ends_in_exit = true;
      if (!ends_in_exit) {
        bool ok = false;
        list.ForEachNamedChild([&](Node st) {
          ok = ok || (st.StartByte() >= cf.call.EndByte() && AlwaysCalls(file, st, call_stmts));
          return !ok;
        });
        if (!ok) {
          missed = scope;
          how = cancels.empty() && cf.calls.empty() ? "any path" : "the end of the block";
        }
      }
    }
    if (missed.IsNull()) return;
    std::string message =
        cf.calls.empty()
            ? fmt::format("the cancel func {} of {} is never called: the context (and its timer) lives until its "
                          "parent is done",
                          obj.name, callee)
            : fmt::format("the cancel func {} of {} is not called on every path ({} misses it): the context (and its "
                          "timer) lives until its parent is done",
                          obj.name, callee, how);
    sink.ReportWithSeverity(Severity::kWarning, file, cf.call, std::move(message),
                            fmt::format("defer {}() right after the call", obj.name));
    // Never called at all: defer it. (Called on some paths: where is a judgement call, no fix.)
    if (cf.calls.empty()) {
      if (auto fix = DeferAfterDeclaration(file, obj, fmt::format("{}()", obj.name),
                                           fmt::format("Call {} when the function returns", obj.name))) {
        sink.FixLast(file, std::move(*fix));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewContextCancelNotCalled() { return std::make_unique<ContextCancelNotCalled>(); }

}  // namespace leakhound::scan
