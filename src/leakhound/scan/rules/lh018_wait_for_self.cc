// LH018 wait-for-self: a goroutine waits on a WaitGroup that counts it — it calls wg.Wait() before its own
// wg.Done() runs (`defer wg.Done()` then a later `defer wg.Wait()`: deferred calls run last-in first-out; or a Wait
// before a plain Done). The Wait needs this goroutine's Done, which comes only after the Wait returns: the goroutine,
// and every other Wait on the group, blocks forever.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"

namespace leakhound::scan {

namespace {

class WaitForSelf : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
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
