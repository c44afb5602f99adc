// LH023 cond-wait-unchecked: sync.Cond's Wait called with no check of any condition around it (not in a loop, an if,
// a switch or a select case of its function). A Signal or Broadcast sent before the goroutine reached Wait is not
// remembered, so a Wait that does not first check whether what it waits for has already happened waits forever (a
// lost wakeup). A Wait under `if !ready` (checked under the lock) cannot lose the wakeup that way and is left alone,
// though the sync documentation's form is the loop: `for !condition() { c.Wait() }`.
// Also a Wait in a loop whose condition cannot change (`exists := true; for exists { c.Wait() }`: only locals that
// nothing assigns again, nothing takes the address of, and no way out of the loop): a Broadcast wakes it, the
// condition still holds, and it waits again, forever.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

// Is the Wait inside a loop, if, switch or select of its own function (some condition decides it)?
bool Checked(Node wait, Node fn) {
  for (Node p = wait.Parent(); p && !(p == fn); p = p.Parent()) {
    if (IsFunction(p)) return false;
    if (p.Is("for_statement") || p.Is("if_statement") || p.Is("expression_switch_statement") ||
        p.Is("type_switch_statement") || p.Is("select_statement")) {
      return true;
    }
  }
  return false;
}

// The loop around `wait` (within its function) when its condition cannot change: made only of locals that are never
// assigned after their declaration nor have their address taken (literals and operators besides), and the loop has
// no return, break or goto out of it. Null otherwise.
Node LoopOnConstantCondition(const SourceFile& file, Node wait, Node fn) {
  Node loop = EnclosingLoop(wait);
  if (!loop || !fn.Contains(loop)) return {};
  Node cond;
  for (uint32_t i = 0; i < loop.NamedChildCount(); ++i) {
    Node c = loop.NamedChild(i);
    if (c.Is("for_clause")) cond = c.Field("condition");
    if (c.Is("range_clause")) return {};
    if (!c.Is("for_clause") && !c.Is("block") && !c.Is("comment") && !cond) cond = c;  // `for cond { ... }`
  }
  if (!cond) return {};
  bool constant = true, any = false;
  TreeCursor cursor(cond);
  cursor.Walk([&](Node n) {
    if (!constant) return false;
    if (n.Is("identifier")) {
      const Object* o = file.syntax.Resolve(n);
      if (o == nullptr || o->kind != ObjectKind::kVar || o->package_level || !o->assignments.empty() ||
          o->address_taken || o->value.IsNull()) {
        constant = false;
      }
      any = true;
    } else if (n.IsNamed() && !(n.Is("unary_expression") || n.Is("binary_expression") ||
                                n.Is("parenthesized_expression") || n.Is("true") || n.Is("false") ||
                                n.Is("int_literal") || n.Is("comment"))) {
      constant = false;  // a call, a field, an index: may change
    }
    return constant;
  });
  if (!constant || !any || LoopHasExit(file, loop)) return {};
  return cond;
}

class CondWaitUnchecked : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kOp || e.op != SyncOpKind::kCondWait || e.deferred) continue;
        // Tests orchestrate their waits (the signaller waits until this goroutine is blocked, a synctest bubble).
        if (fm->file->is_test) continue;
        const std::string_view cond = fm->file->Text(e.node.Field("function").Field("operand"));
        if (Node fixed = LoopOnConstantCondition(*fm->file, e.node, fm->fn)) {
          sink.Report(*fm->file, e.node,
                      fmt::format("{}.Wait() is in a loop whose condition ({}) nothing can change: a Broadcast wakes "
                                  "it, the condition still holds, and it waits again, forever; loop on state the "
                                  "signalling side changes under the lock",
                                  cond, fm->file->Text(fixed)));
          continue;
        }
        if (Checked(e.node, fm->fn)) continue;
        sink.Report(*fm->file, e.node,
                    fmt::format("{}.Wait() checks no condition first: a Signal or Broadcast that came before it is "
                                "lost, and then this Wait never returns; wait in `for !condition {{ {}.Wait() }}`, "
                                "with the condition set under the lock before signalling",
                                cond, cond),
                    fmt::format("for !condition {{ {}.Wait() }}", cond));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewCondWaitUnchecked() { return std::make_unique<CondWaitUnchecked>(); }

}  // namespace leakhound::scan
