// LH014 relock: a goroutine that holds a lock takes it again — directly (a second Lock of the same mutex, reached
// from the same variable, with no Unlock between), or through a call of the package that locks it (a method on the
// same receiver, a function given the same variable, up to four calls deep). sync.Mutex and sync.RWMutex are not
// reentrant: the second Lock waits for the first to be released, which never happens. An RLock taken again while
// holding RLock deadlocks as soon as a writer queues between the two (the RWMutex documentation forbids it).
//
// The locks held at each point come from the package model (scan/model.h): a syntactic walk that keeps only locks
// held on every path, so an Unlock on some branch ends the finding.
#include <fmt/format.h>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

bool IsLock(SyncOpKind k) { return k == SyncOpKind::kLock || k == SyncOpKind::kRLock; }

class Relock : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        for (const auto& [key, base] : e.held) {
          if (!Trackable(key, base)) continue;
          const SyncEvent* lock = HeldSince(*fm, e, key);
          if (e.type == SyncEvent::Type::kOp && IsLock(e.op) && !e.deferred && e.key == key && e.base == base &&
              !Reassigned(base, HeldSince(*fm, e, key), e)) {
            if (lock && lock->op == SyncOpKind::kRLock && e.op == SyncOpKind::kRLock) {
              if (!HasWriter(model, key)) continue;
              sink.ReportWithSeverity(Severity::kWarning, *fm->file, e.node,
                                      fmt::format("{} is read-locked again while this goroutine holds its read "
                                                  "lock (line {}): a writer queued in between deadlocks both",
                                                  ObjectName(key, base), lock ? EventLine(*fm, *lock) : 0));
            } else {
              sink.Report(*fm->file, e.node,
                          fmt::format("{} is locked again while already held (line {}): sync mutexes are not "
                                      "reentrant, this goroutine blocks forever",
                                      ObjectName(key, base), lock ? EventLine(*fm, *lock) : 0));
            }
            continue;
          }
          if (e.type == SyncEvent::Type::kLeave) {
            LeaveHeld(*fm, e, key, base, sink);
            continue;
          }
          if (e.type != SyncEvent::Type::kCall || !e.callee) continue;
          const Object* inner = nullptr;
          if (base != nullptr) {
            for (const auto& [param, arg] : e.binds) {
              if (arg == base) inner = param;
            }
          }
          const FunctionModel* where = nullptr;
          const SyncEvent* again =
              base == nullptr || inner != nullptr ? model.Acquires(e.callee, key, inner, 4, &where) : nullptr;
          if (!again && e.via_value) {
            // A callback (a func-valued field or parameter the package sets to one function): its receiver is not
            // followed, so the same lock is taken to be the same value.
            again = model.Acquires(e.callee, key, nullptr, 4, &where, SIZE_MAX, /*loose=*/true);
            if (!again || !where) continue;
            if (lock && lock->op == SyncOpKind::kRLock && again->op == SyncOpKind::kRLock && !HasWriter(model, key)) {
              continue;
            }
            sink.ReportWithSeverity(
                Severity::kWarning, *fm->file, e.node,
                fmt::format("{} calls the callback {}, which {} {} ({}:{}) while this goroutine holds it (line {}): "
                            "if the callback works on the same value, it blocks forever",
                            fm->name, e.callee->name, again->op == SyncOpKind::kRLock ? "read-locks" : "locks",
                            ObjectName(key, base), where->file->display, EventLine(*where, *again),
                            lock ? EventLine(*fm, *lock) : 0));
            continue;
          }
          if (!again) continue;  // through a field, a map value or an interface: not followed (other values)
          if (!where) continue;
          if (lock && lock->op == SyncOpKind::kRLock && again->op == SyncOpKind::kRLock) {
            // Recursive read locking: fine until a writer queues between the two RLocks, then all three block.
            if (!HasWriter(model, key)) continue;
            sink.ReportWithSeverity(
                Severity::kWarning, *fm->file, e.node,
                fmt::format("{} calls {}, which read-locks {} again ({}:{}) while this goroutine holds its read "
                            "lock (line {}): a Lock queued in between (the package has them) deadlocks all three",
                            fm->name, e.callee->name, ObjectName(key, base), where->file->display,
                            EventLine(*where, *again), lock ? EventLine(*fm, *lock) : 0));
            continue;
          }
          sink.Report(*fm->file, e.node,
                      fmt::format("{} calls {}, which locks {} again ({}:{}) while this goroutine holds it (line "
                                  "{}): sync mutexes are not reentrant, it blocks forever",
                                  fm->name, e.callee->name, ObjectName(key, base), where->file->display,
                                  EventLine(*where, *again), lock ? EventLine(*fm, *lock) : 0));
        }
      }
    }
  }

 private:
  // A `continue` that goes back to the loop's Lock of `key` with it still held; a `break` that leaves the loop with
  // it held when the loop's other path unlocks it and nothing after the loop does.
  static void LeaveHeld(const FunctionModel& fm, const SyncEvent& leave, const std::string& key, const Object* base,
                        FindingSink& sink) {
    Node loop = EnclosingLoop(leave.node);
    if (!loop || leave.node.ChildOfType("label_name")) return;  // labelled jumps: not followed
    // Is the leave inside a switch/select that `break` would leave instead of the loop?
    if (leave.node.Is("break_statement")) {
      for (Node p = leave.node.Parent(); p && p != loop; p = p.Parent()) {
        if (p.Is("expression_switch_statement") || p.Is("type_switch_statement") || p.Is("select_statement")) return;
      }
    }
    const SyncEvent* lock = nullptr;
    const SyncEvent* unlock_in_loop = nullptr;
    bool unlock_after = false;
    for (const SyncEvent& x : fm.events) {
      if (x.type != SyncEvent::Type::kOp || x.key != key) continue;
      const bool in_loop = loop.Contains(x.node);
      if (IsLock(x.op) && in_loop && x.node.StartByte() < leave.node.StartByte()) lock = &x;
      if ((x.op == SyncOpKind::kUnlock || x.op == SyncOpKind::kRUnlock)) {
        if (x.deferred) return;  // released at the end anyway
        if (in_loop) unlock_in_loop = &x;
        if (x.node.StartByte() >= loop.EndByte()) unlock_after = true;
      }
    }
    if (!lock) return;
    const std::string name = ObjectName(key, base);
    if (leave.node.Is("continue_statement")) {
      // Nothing unlocks it between the top of the loop and its Lock.
      for (const SyncEvent& x : fm.events) {
        if (x.type == SyncEvent::Type::kOp && x.key == key && loop.Contains(x.node) &&
            (x.op == SyncOpKind::kUnlock || x.op == SyncOpKind::kRUnlock) &&
            x.node.StartByte() < lock->node.StartByte()) {
          return;
        }
      }
      sink.Report(*fm.file, leave.node,
                  fmt::format("continue goes back to the Lock of {} (line {}) with it still held: the next "
                              "iteration blocks forever; unlock before continue",
                              name, EventLine(fm, *lock)));
    } else if (unlock_in_loop && !unlock_after) {
      sink.Report(*fm.file, leave.node,
                  fmt::format("break leaves the loop with {} locked (line {}), and nothing after the loop unlocks "
                              "it (the loop's other path does, line {}): the next Lock of {} blocks forever",
                              name, EventLine(fm, *lock), EventLine(fm, *unlock_in_loop), name));
    }
  }

  // Is the variable the lock is reached from assigned between the two locks (n = n.next: another value)?
  static bool Reassigned(const Object* base, const SyncEvent* first, const SyncEvent& second) {
    if (base == nullptr || first == nullptr) return false;
    for (Node a : base->assignments) {
      if (a.StartByte() > first->node.StartByte() && a.StartByte() < second.node.StartByte()) return true;
    }
    // In a loop, an assignment anywhere in it runs between two iterations' locks.
    Node loop = EnclosingLoop(second.node);
    for (Node a : base->assignments) {
      if (loop && loop.Contains(a) && loop.Contains(first->node)) return true;
    }
    return false;
  }

  // Does any code of the package take `key` for writing?
  static bool HasWriter(const PackageModel& model, const std::string& key) {
    for (const auto& [fn, op] : model.OpsOn(key)) {
      if (op->op == SyncOpKind::kLock) return true;
    }
    return false;
  }

  // The Lock that made `key` held at `e`: the last lock op on it before e.
  static const SyncEvent* HeldSince(const FunctionModel& fm, const SyncEvent& e, const std::string& key) {
    const SyncEvent* last = nullptr;
    for (const SyncEvent& x : fm.events) {
      if (&x == &e) break;
      if (x.type == SyncEvent::Type::kOp && IsLock(x.op) && x.key == key) last = &x;
    }
    return last;
  }
};

}  // namespace

std::unique_ptr<Rule> NewRelock() { return std::make_unique<Relock>(); }

}  // namespace leakhound::scan
