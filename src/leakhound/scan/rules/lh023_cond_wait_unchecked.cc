// LH023 cond-wait-unchecked: sync.Cond's Wait called with no check of any condition around it (not in a loop, an if,
// a switch or a select case of its function). A Signal or Broadcast sent before the goroutine reached Wait is not
// remembered, so a Wait that does not first check whether what it waits for has already happened waits forever (a
// lost wakeup). A Wait under `if !ready` (checked under the lock) cannot lose the wakeup that way and is left alone,
// though the sync documentation's form is the loop: `for !condition() { c.Wait() }`.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
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

class CondWaitUnchecked : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kOp || e.op != SyncOpKind::kCondWait || e.deferred) continue;
        // Tests orchestrate their waits (the signaller waits until this goroutine is blocked, a synctest bubble).
        if (fm->file->is_test || Checked(e.node, fm->fn)) continue;
        const std::string_view cond = fm->file->Text(e.node.Field("function").Field("operand"));
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
