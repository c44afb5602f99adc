// LH016 never-completed: a blocking operation on a struct field or package variable that no code of the package can
// complete — a receive (or range) on a channel that nothing sends to or closes, a range over a channel that nothing
// closes, a WaitGroup Wait whose WaitGroup gets Add but never Done, a Cond Wait that nothing Signals or Broadcasts.
// The goroutine that runs it blocks forever.
//
// Only objects the package fully sees: not exported outside package main, never passed to a function, assigned to
// another variable or returned (then code elsewhere may complete the operation).
#include <fmt/format.h>

#include <set>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/rules/lh016_never_completed.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

class NeverCompleted : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kOp || !e.blocking || e.deferred) continue;
        if (e.key.rfind("local.", 0) == 0 || model.Escapes(e.key) || model.Exported(e.key)) continue;
        const char* what = Missing(model, *fm, e);
        if (!what || ProcessLifetimeWorker(model, *fm)) continue;
        sink.Report(*fm->file, e.node,
                    fmt::format("{} on {} blocks forever: {}", SyncOpName(e.op), ObjectName(e.key, e.base), what));
      }
    }
    HandedOutNeverClosed(model, sink);
    CounterpartMayLeave(model, sink);
    for (const SourceFile* file : pkg.files) {
      for (const Channel& ch : FileChannels(*file)) LocalNeverSent(pkg, *file, ch, sink);
    }
  }

 private:
  // Is `fm` a goroutine started only once for the life of the process: from main or init, or in a sync.Once's Do?
  // A worker that waits forever on a package-wide queue is then what it is meant to be.
  static bool ProcessLifetimeWorker(const PackageModel& model, const FunctionModel& fm) {
    std::vector<std::pair<const FunctionModel*, Node>> starts;  // (starter, go statement)
    if (fm.go) starts.emplace_back(fm.parent, fm.go);
    for (const auto& other : model.functions()) {
      for (const SyncEvent& e : other->events) {
        if (e.type == SyncEvent::Type::kGo && e.callee == &fm) starts.emplace_back(other.get(), e.node);
      }
    }
    if (starts.empty()) return false;
    for (const auto& [starter, go] : starts) {
      if (starter == nullptr) return false;
      const FunctionModel* top = starter;
      while (top->parent != nullptr && top->fn.Is("func_literal")) {
        // Inside once.Do(func() { go worker() }): started once.
        Node call = top->fn.Parent().Parent();
        if (call.Is("call_expression")) {
          Node callee = Unparen(call.Field("function"));
          if (callee.Is("selector_expression") && top->file->Text(callee.Field("field")) == "Do" &&
              model.TypeOf(*top->file, callee.Field("operand")) == "sync.Once") {
            break;
          }
        }
        top = top->parent;
      }
      const bool once = top->fn.Is("func_literal");
      if (!once && !IsMainOrInit(*top->file, top->fn)) return false;
    }
    return true;
  }

  // A channel made in a function that nothing sends on or closes: the function receives from it (a plain receive,
  // not a select case with another way out) and passes it only to package functions that do neither with it. (A
  // range over it is LH003's.)
  static void LocalNeverSent(const Package& pkg, const SourceFile& file, const Channel& ch, FindingSink& sink) {
    if (ch.make.IsNull() || ch.object->kind != ObjectKind::kVar || !ch.object->assignments.empty() ||
        ch.object->address_taken || InMain(file, ch.make)) {
      return;
    }
    std::vector<std::string> handed_to;
    std::vector<const ChannelOp*> receives;
    for (const ChannelOp& op : ch.ops) {
      switch (op.kind) {
        case ChannelOp::Kind::kSend:
        case ChannelOp::Kind::kClose:
          return;
        case ChannelOp::Kind::kNeutral:
        case ChannelOp::Kind::kRange:
          break;
        case ChannelOp::Kind::kReceive:
          if (op.select.IsNull() || !SelectHasOtherCase(op.select, op.select_case)) receives.push_back(&op);
          break;
        case ChannelOp::Kind::kEscape: {
          if (!op.node.Is("call_expression")) return;
          auto target = pkg.Target(file, op.node);
          if (!target) return;
          const std::vector<ChannelOp>* ops = ParamChannelOps(*target, ArgIndex(op.node, op.ident));
          if (ops == nullptr) return;
          for (const ChannelOp& p : *ops) {
            if (p.kind != ChannelOp::Kind::kNeutral && p.kind != ChannelOp::Kind::kReceive &&
                p.kind != ChannelOp::Kind::kRange) {
              return;
            }
          }
          handed_to.emplace_back(FunctionName(target->decl, target->file->source()));
          break;
        }
      }
    }
    std::string also;
    if (!handed_to.empty()) also = fmt::format(" (it is passed to {}, which does neither)", handed_to.front());
    for (const ChannelOp* r : receives) {
      sink.Report(file, r->node,
                  fmt::format("receive from {} blocks forever: nothing sends on it or closes it{}", ch.object->name,
                              also));
    }
  }

  // A channel field the package sends on and hands to its callers (`func (w *W) Updates() <-chan U { return
  // w.updates }`), on a type with a method that ends its life (Stop, Close, ...), that nothing closes: a consumer
  // ranging over it, or waiting for it to end, blocks forever after the end.
  static void HandedOutNeverClosed(const PackageModel& model, FindingSink& sink) {
    std::set<std::string> seen;
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kOp || e.op != SyncOpKind::kSend || !seen.insert(e.key).second) continue;
        const size_t dot = e.key.find('.');
        if (dot == std::string::npos || e.key.rfind("var.", 0) == 0 || e.key.rfind("local.", 0) == 0) continue;
        bool closed = false;
        for (const auto& [fn, other] : model.OpsOn(e.key)) closed = closed || other->op == SyncOpKind::kClose;
        if (closed) continue;
        const std::string type = e.key.substr(0, dot);
        std::string ender;
        for (std::string_view m : model.MethodsOf(type)) {
          for (std::string_view word : {"Stop", "Close", "Shutdown", "Cancel", "Unsubscribe", "Unwatch", "Terminate"}) {
            if (m == word) ender = std::string(m);
          }
        }
        if (ender.empty()) continue;
        for (const auto& [fn, at] : model.Returned(e.key)) {
          sink.Report(*fn->file, at,
                      fmt::format("{} hands out {}, which the package sends on but never closes, not even in {}: a "
                                  "consumer that ranges over it blocks forever once the sends stop; close it in {}",
                                  fn->name, ObjectName(e.key, nullptr), ender, ender));
          // Only where such a consumer exists in the scan: one that selects on it beside its own stop signal
          // (the usual way) does not block.
          const size_t dot = fn->name.rfind('.');
          sink.NeedsLast("range:" + fn->name.substr(dot == std::string::npos ? 0 : dot + 1));
        }
      }
    }
  }

  // A plain (blocking) send or receive whose every counterpart is a select case in a loop that can return on another
  // case: once the counterpart's goroutine has left (stopped, cancelled), the operation waits forever. Give it the
  // same way out (a select on the stop/done channel or ctx.Done()).
  static void CounterpartMayLeave(const PackageModel& model, FindingSink& sink) {
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kOp || !e.blocking || e.deferred || e.kind != SyncKind::kChan) continue;
        if (e.op != SyncOpKind::kSend && e.op != SyncOpKind::kRecv) continue;
        if (e.key.rfind("local.", 0) == 0 || model.Escapes(e.key) || model.Exported(e.key)) continue;
        if (model.Buffered(e.key) != std::optional<bool>(false)) continue;  // a buffer takes it (or gives it)
        const FunctionModel* leaver = nullptr;
        Node exit_case;
        bool all = true, any = false;
        for (const auto& [fn, other] : model.OpsOn(e.key)) {
          const bool counterpart = e.op == SyncOpKind::kSend
                                       ? other->op == SyncOpKind::kRecv || other->op == SyncOpKind::kRange
                                       : other->op == SyncOpKind::kSend || other->op == SyncOpKind::kClose;
          if (!counterpart) continue;
          if (fn == fm.get() || other->op == SyncOpKind::kClose) {
            all = false;
            break;
          }
          any = true;
          Node sc;
          Node sel = SelectOfCommunication(other->node, &sc);
          Node exit = sel ? ExitCase(*fn->file, sel, sc) : Node();
          if (!exit) {
            all = false;
            break;
          }
          leaver = fn;
          exit_case = exit;
        }
        if (!any || !all || !leaver) continue;
        sink.ReportWithSeverity(
            Severity::kWarning, *fm->file, e.node,
            fmt::format("{} on {} can block forever: its only counterpart, in {}, is a select case and that loop "
                        "returns on another case ({}:{}); after that nothing {} it. Select on the same stop signal "
                        "here",
                        SyncOpName(e.op), ObjectName(e.key, e.base), leaver->name, leaver->file->display,
                        leaver->file->Start(exit_case).line, e.op == SyncOpKind::kSend ? "receives from" : "sends on"));
      }
    }
  }

  // Another case of `sel` (not `except`) whose body returns or leaves the loop around the select.
  static Node ExitCase(const SourceFile& file, Node sel, Node except) {
    Node loop = EnclosingLoop(sel);
    for (uint32_t i = 0, n = sel.NamedChildCount(); i < n; ++i) {
      Node c = sel.NamedChild(i);
      if (c == except || !(c.Is("communication_case") || c.Is("default_case"))) continue;
      if (c.Is("default_case")) continue;
      for (Node r : FindAll(c, "return_statement")) return r;
      if (loop) {
        for (Node b : FindAll(c, "break_statement")) {
          if (b.ChildOfType("label_name")) return b;  // a labelled break out of the loop
        }
      }
    }
    return {};
  }

  static bool Repeats(const PackageModel& model, const FunctionModel& fm, const SyncEvent& e) {
    if (EnclosingLoop(e.node)) return true;
    for (const auto& caller : model.functions()) {
      for (const SyncEvent& c : caller->events) {
        if (c.type == SyncEvent::Type::kCall && c.callee == &fm && EnclosingLoop(c.node)) return true;
      }
    }
    return false;
  }

  static const char* Missing(const PackageModel& model, const FunctionModel& fm, const SyncEvent& e) {
    bool send = false, close = false, done = false, add = false, signal = false, own_deferred = false;
    for (const auto& [fn, other] : model.OpsOn(e.key)) {
      // This function's own deferred close or send runs after this operation: it cannot complete it.
      if (fn == &fm && other->deferred && (other->op == SyncOpKind::kSend || other->op == SyncOpKind::kClose)) {
        own_deferred = true;
        continue;
      }
      send = send || other->op == SyncOpKind::kSend;
      close = close || other->op == SyncOpKind::kClose;
      done = done || other->op == SyncOpKind::kDone;
      add = add || other->op == SyncOpKind::kAdd;
      signal = signal || other->op == SyncOpKind::kSignal || other->op == SyncOpKind::kBroadcast;
    }
    bool recv = false;
    for (const auto& [fn, other] : model.OpsOn(e.key)) {
      recv = recv || other->op == SyncOpKind::kRecv || other->op == SyncOpKind::kRange;
    }
    switch (e.op) {
      case SyncOpKind::kSend:
        if (recv) return nullptr;
        // Unbuffered: the first send blocks. Buffered: a send that repeats (in a loop, or in a function called in
        // one) fills the buffer, then blocks.
        if (model.Buffered(e.key) == std::optional<bool>(false)) return "it is unbuffered and no code of the package receives from it";
        return Repeats(model, fm, e) ? "no code of the package receives from it: once its buffer is full, this send blocks"
                                     : nullptr;
      case SyncOpKind::kRecv:
        if (!send && !close && own_deferred) {
          return "the only close of it is this function's own deferred one, which runs after this receive";
        }
        return !send && !close ? "no code of the package sends on it or closes it" : nullptr;
      case SyncOpKind::kRange:
        return !close ? (send ? "nothing closes it, so the range never ends after the last send"
                              : "no code of the package sends on it or closes it")
                      : nullptr;
      case SyncOpKind::kWait:
        return add && !done ? "its WaitGroup is added to but no code of the package calls Done" : nullptr;
      case SyncOpKind::kCondWait:
        return !signal ? "no code of the package calls Signal or Broadcast on it" : nullptr;
      default:
        return nullptr;
    }
  }
};

}  // namespace

std::vector<std::string> RangedMethods(const Package& pkg) {
  std::vector<std::string> out;
  for (const SourceFile* f : pkg.files) {
    for (Node rc : FindAll(f->root(), "range_clause", IntoLiterals::kYes)) {
      Node over = Unparen(rc.Field("right"));
      if (over.Is("identifier")) {
        const Object* o = f->syntax.Resolve(over);
        if (o == nullptr || o->value_index != 0) continue;
        over = Unparen(o->value);
      }
      if (!over.Is("call_expression")) continue;
      Node callee = Unparen(over.Field("function"));
      if (callee.Is("selector_expression")) out.push_back("range:" + std::string(f->Text(callee.Field("field"))));
    }
  }
  return out;
}

std::unique_ptr<Rule> NewNeverCompleted() { return std::make_unique<NeverCompleted>(); }

}  // namespace leakhound::scan
