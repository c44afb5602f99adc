// LH015 lock-across-channel: a goroutine blocks on a channel operation while holding a mutex, and the goroutine that
// would complete it (the receiver for a send, the sender or closer for a receive) takes that same mutex before it
// gets there. Each waits for the other: the first for its counterpart, the second for the lock. Release the lock
// before the channel operation, or make it a select with a way out.
//
// The counterpart is found by object in the package model (the same struct field or package variable), and the
// mutex by key (the same field of the same struct type): the two are taken to be the same instance, as they are
// when both run on one value's methods.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

bool Completes(SyncOpKind blocked, SyncOpKind other) {
  if (blocked == SyncOpKind::kSend) return other == SyncOpKind::kRecv || other == SyncOpKind::kRange;
  if (blocked == SyncOpKind::kRecv || blocked == SyncOpKind::kRange) {
    return other == SyncOpKind::kSend || other == SyncOpKind::kClose;
  }
  return false;
}

// Does the operation run again in the same goroutine: in a loop of its function, or its function called in a loop?
bool Repeats(const PackageModel& model, const FunctionModel& fn, const SyncEvent& op) {
  if (EnclosingLoop(op.node)) return true;
  for (const auto& caller : model.functions()) {
    for (const SyncEvent& c : caller->events) {
      if (c.type == SyncEvent::Type::kCall && c.callee == &fn && EnclosingLoop(c.node)) return true;
    }
  }
  return false;
}

// The blocking channel operations `fn` performs, itself or in what it calls (depth levels), before it lets go of
// `lock`: what a caller holding `lock` waits on when it calls fn.
void ChannelOpsUnder(const FunctionModel* fn, const std::string& lock, int depth,
                     std::vector<std::pair<const FunctionModel*, const SyncEvent*>>* out) {
  if (!fn || depth <= 0) return;
  for (const SyncEvent& x : fn->events) {
    if (x.type == SyncEvent::Type::kOp && x.key == lock &&
        (x.op == SyncOpKind::kUnlock || x.op == SyncOpKind::kRUnlock) && !x.deferred) {
      return;
    }
    if (x.type == SyncEvent::Type::kOp && x.kind == SyncKind::kChan && x.blocking && !x.deferred &&
        (x.op == SyncOpKind::kSend || x.op == SyncOpKind::kRecv || x.op == SyncOpKind::kRange) &&
        x.key.rfind("local.", 0) != 0) {
      out->emplace_back(fn, &x);
    } else if (x.type == SyncEvent::Type::kCall && x.callee != fn) {
      ChannelOpsUnder(x.callee, lock, depth - 1, out);
    }
  }
}

void ThroughCall(const PackageModel& model, const FunctionModel& fm, const SyncEvent& call, FindingSink& sink);

class LockAcrossChannel : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type == SyncEvent::Type::kCall && e.callee && !e.held.empty()) {
          ThroughCall(model, *fm, e, sink);
          continue;
        }
        if (e.type != SyncEvent::Type::kOp || e.kind != SyncKind::kChan || !e.blocking || e.held.empty()) continue;
        if (e.op != SyncOpKind::kSend && e.op != SyncOpKind::kRecv && e.op != SyncOpKind::kRange) continue;
        if (e.key.rfind("local.", 0) == 0) continue;
        // A buffered channel (a semaphore, a result slot) takes the operation without its counterpart.
        if (model.Buffered(e.key) != std::optional<bool>(false)) continue;
        bool reported = false;
        for (const auto& [lock, lock_base] : e.held) {
          if (reported) break;
          for (const auto& [other_fn, other] : model.OpsOn(e.key)) {
            if (other_fn == fm.get() || !Completes(e.op, other->op)) continue;
            // The counterpart's goroutine takes the lock before it reaches the operation.
            // A deferred counterpart (defer close(done)) runs when its function ends: after everything in it.
            const size_t index = other->deferred ? SIZE_MAX : static_cast<size_t>(other - other_fn->events.data());
            const FunctionModel* where = nullptr;
            const SyncEvent* takes = model.Acquires(other_fn, lock, nullptr, 3, &where, index);
            bool after = false;
            if (!takes && Repeats(model, *other_fn, *other)) {
              // It takes the lock after the operation, and comes back for the next one: a second goroutine doing
              // what this one does holds the lock while waiting on the channel, and the counterpart waits for it.
              where = nullptr;
              takes = model.Acquires(other_fn, lock, nullptr, 3, &where);
              after = true;
            }
            if (!takes || !where) continue;
            if (after) {
              sink.Report(*fm->file, e.node,
                          fmt::format("{} on {} while holding {}: the {} that completes it ({}, {}:{}) then locks {} "
                                      "({}:{}); a second goroutine here holds {} waiting on {} while that waits for "
                                      "the lock; unlock before the channel operation",
                                      SyncOpName(e.op), ObjectName(e.key, e.base), ObjectName(lock, lock_base),
                                      SyncOpName(other->op), other_fn->name, other_fn->file->display,
                                      EventLine(*other_fn, *other), ObjectName(lock, nullptr), where->file->display,
                                      EventLine(*where, *takes), ObjectName(lock, lock_base),
                                      ObjectName(e.key, e.base)));
              reported = true;
              break;
            }
            sink.Report(*fm->file, e.node,
                        fmt::format("{} on {} while holding {}: the {} that would complete it ({}, {}:{}) first "
                                    "locks {} ({}:{}), so neither can go on; unlock before the channel operation",
                                    SyncOpName(e.op), ObjectName(e.key, e.base), ObjectName(lock, lock_base),
                                    SyncOpName(other->op), other_fn->name, other_fn->file->display,
                                    EventLine(*other_fn, *other), ObjectName(lock, nullptr), where->file->display,
                                    EventLine(*where, *takes)));
            reported = true;
            break;
          }
        }
      }
    }
  }
};

// A call made holding a lock, into a function that blocks on a channel whose counterpart takes that lock first.
void ThroughCall(const PackageModel& model, const FunctionModel& fm, const SyncEvent& call, FindingSink& sink) {
  for (const auto& [lock, lock_base] : call.held) {
    std::vector<std::pair<const FunctionModel*, const SyncEvent*>> ops;
    ChannelOpsUnder(call.callee, lock, 3, &ops);
    for (const auto& [op_fn, op] : ops) {
      if (model.Buffered(op->key) != std::optional<bool>(false)) continue;
      for (const auto& [other_fn, other] : model.OpsOn(op->key)) {
        if (other_fn == &fm || other_fn == op_fn || !Completes(op->op, other->op)) continue;
        const size_t index = other->deferred ? SIZE_MAX : static_cast<size_t>(other - other_fn->events.data());
        const FunctionModel* where = nullptr;
        const SyncEvent* takes = model.Acquires(other_fn, lock, nullptr, 3, &where, index);
        if (!takes && Repeats(model, *other_fn, *other)) takes = model.Acquires(other_fn, lock, nullptr, 3, &where);
        if (!takes || !where) continue;
        sink.Report(*fm.file, call.node,
                    fmt::format("{} calls {}, which {}s on {} ({}:{}) while this goroutine holds {}: the {} that "
                                "would complete it ({}, {}:{}) needs {} too ({}:{}), so neither can go on",
                                fm.name, call.callee->name, SyncOpName(op->op) == "receive" ? "receive" : "send",
                                ObjectName(op->key, nullptr), op_fn->file->display, EventLine(*op_fn, *op),
                                ObjectName(lock, lock_base), SyncOpName(other->op), other_fn->name,
                                other_fn->file->display, EventLine(*other_fn, *other), ObjectName(lock, nullptr),
                                where->file->display, EventLine(*where, *takes)));
        return;
      }
    }
  }
}

}  // namespace

std::unique_ptr<Rule> NewLockAcrossChannel() { return std::make_unique<LockAcrossChannel>(); }

}  // namespace leakhound::scan
