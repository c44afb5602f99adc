// LH004 for-select-no-exit: a goroutine (a function literal started with go, or a package function or method
// started with go, followed one level) runs an infinite `for` whose body selects or receives, and nothing in the
// loop leaves it. Goroutines started from func main of package main are left alone: they live as long as the
// program on purpose.
//
// Fix (the stop case): with a context in scope, the loop's select gets `case <-ctx.Done(): return`.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

// Does the loop body block on channels: a select with at least one communication case, or a receive outside a
// select? Nested function literals are not looked into.
bool Blocks(const SourceFile& file, Node loop, bool* has_select) {
  bool blocks = false;
  TreeCursor cursor(loop.Field("body"));
  cursor.Walk([&](Node n) {
    if (blocks || n.Is("func_literal")) return false;
    if (n.Is("select_statement")) {
      bool default_case = !n.ChildOfType("default_case").IsNull();
      if (!n.ChildOfType("communication_case").IsNull() && !default_case) {
        blocks = true;
        *has_select = true;
      }
    } else if (n.Is("unary_expression") && file.Text(n.Child(0)) == "<-" && EnclosingSelect(n).IsNull()) {
      blocks = true;
    }
    return !blocks;
  });
  return blocks;
}

class ForSelectNoExit : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      for (Node go : FindAll(file->root(), "go_statement", IntoLiterals::kYes)) {
        if (InMain(*file, go)) continue;
        if (Node lit = GoFuncLiteral(go)) {
          CheckBody(*file, lit, sink);
        } else if (Node call = GoCall(go)) {
          if (auto target = pkg.Target(*file, call)) {
            if (target->file->package_name == "main" && FunctionName(target->decl, target->file->source()) == "main")
              continue;
            CheckBody(*target->file, target->decl, sink);
          }
        }
      }
    }
  }

 private:
  static void CheckBody(const SourceFile& file, Node fn, FindingSink& sink) {
    for (Node loop : FindAll(fn.Field("body"), "for_statement")) {
      if (!IsInfiniteLoop(loop)) continue;
      bool has_select = false;
      if (!Blocks(file, loop, &has_select)) continue;
      if (LoopHasExit(file, loop)) continue;
      // Not nested in an outer loop that can be left: the inner loop never ends anyway, so no exemption.
      sink.ReportRange(file, loop.StartByte(), loop.StartByte() + 3,
                       has_select ? "goroutine loops forever in for-select with no exit: no case returns or breaks "
                                    "out; add a case on ctx.Done() or a done channel that returns"
                                  : "goroutine loops forever receiving with no exit; check the receive's ok and "
                                    "return when the channel is closed, or use for range",
                       "case <-ctx.Done(): return");
      // The stop case: a select that is the loop's own statement gets `case <-ctx.Done(): return`.
      if (has_select) {
        Node body = loop.Field("body");
        Node list = body.Is("statement_list") ? body : body.ChildOfType("statement_list");
        for (uint32_t i = 0; list && i < list.NamedChildCount(); ++i) {
          if (!list.NamedChild(i).Is("select_statement")) continue;
          if (auto fix = SelectStopCaseFix(file, list.NamedChild(i))) sink.FixLast(file, std::move(*fix));
          break;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewForSelectNoExit() { return std::make_unique<ForSelectNoExit>(); }

}  // namespace leakhound::scan
