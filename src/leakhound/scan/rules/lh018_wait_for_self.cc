// LH018 wait-for-self: a goroutine waits on a WaitGroup that counts it — it calls wg.Wait() before its own
// wg.Done() runs (`defer wg.Done()` then a later `defer wg.Wait()`: deferred calls run last-in first-out; or a Wait
// before a plain Done). The Wait needs this goroutine's Done, which comes only after the Wait returns: the goroutine,
// and every other Wait on the group, blocks forever.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

class WaitForSelf : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) WaitInsideStartLoop(*fm, sink);
    for (const auto& fm : model.functions()) {
      if (!IsGoroutine(model, *fm)) continue;
      const auto& ev = fm->events;
      for (size_t w = 0; w < ev.size(); ++w) {
        if (ev[w].type != SyncEvent::Type::kOp || ev[w].op != SyncOpKind::kWait) continue;
        for (size_t d = 0; d < ev.size(); ++d) {
          if (ev[d].type != SyncEvent::Type::kOp || ev[d].op != SyncOpKind::kDone || ev[d].key != ev[w].key) continue;
          // parent.wg.Done() and g.wg.Wait(): two groups of one type.
          if (ev[d].base != nullptr && ev[w].base != nullptr && ev[d].base != ev[w].base) continue;
          // Order of execution: plain statements in source order, deferred ones at the end, last-in first-out.
          const bool wait_first = ev[w].deferred ? (ev[d].deferred && w > d) : (ev[d].deferred || w < d);
          if (!wait_first) continue;
          sink.Report(*fm->file, ev[w].node,
                      fmt::format("{} waits on {} before its own Done (line {}) runs: the WaitGroup counts this "
                                  "goroutine, so the Wait never returns",
                                  fm->name, ObjectName(ev[w].key, ev[w].base), EventLine(*fm, ev[d])));
          break;
        }
      }
    }
  }

 private:
  // wg.Add(n) before a loop that starts the goroutines (each calls Done) and waits inside it: the first Wait needs
  // n Dones but only one goroutine has been started.
  static void WaitInsideStartLoop(const FunctionModel& fm, FindingSink& sink) {
    for (const SyncEvent& w : fm.events) {
      if (w.type != SyncEvent::Type::kOp || w.op != SyncOpKind::kWait || w.deferred) continue;
      Node loop = EnclosingLoop(w.node);
      if (!loop) continue;
      bool add_before = false, add_inside = false;
      for (const SyncEvent& a : fm.events) {
        if (a.type != SyncEvent::Type::kOp || a.op != SyncOpKind::kAdd || a.key != w.key) continue;
        if (loop.Contains(a.node)) add_inside = true;
        else if (a.node.StartByte() < loop.StartByte()) add_before = true;
      }
      if (!add_before || add_inside) continue;
      for (const SyncEvent& g : fm.events) {
        if (g.type != SyncEvent::Type::kGo || !g.callee || !loop.Contains(g.node) ||
            g.node.StartByte() > w.node.StartByte()) {
          continue;
        }
        bool done = false;
        for (const SyncEvent& d : g.callee->events) done = done || (d.type == SyncEvent::Type::kOp && d.op == SyncOpKind::kDone && d.key == w.key);
        if (!done) continue;
        sink.Report(*fm.file, w.node,
                    fmt::format("Wait on {} inside the loop that starts the goroutines it counts (Add before the "
                                "loop, line {}): the first Wait waits for goroutines not started yet; wait after "
                                "the loop",
                                ObjectName(w.key, w.base), fm.file->Start(loop).line));
        break;
      }
    }
  }

  // Started by a go statement: a literal in `go func() {...}()`, or a function some go statement of the package calls.
  static bool IsGoroutine(const PackageModel& model, const FunctionModel& fm) {
    if (fm.go) return true;
    for (const auto& other : model.functions()) {
      for (const SyncEvent& e : other->events) {
        if (e.type == SyncEvent::Type::kGo && e.callee == &fm) return true;
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> NewWaitForSelf() { return std::make_unique<WaitForSelf>(); }

}  // namespace leakhound::scan
