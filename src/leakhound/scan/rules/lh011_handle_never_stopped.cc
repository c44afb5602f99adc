// LH011 handle-never-stopped: the handle returned by a call named Watch* / Subscribe* / New*Watcher (a k8s
// watch.Interface, an fsnotify.Watcher, a nats.Subscription, ...) is kept in a local, used, and never stopped: no
// Stop / Unsubscribe / Close / Cancel / Drain / Shutdown call on it (direct or deferred), and it does not escape
// (returned, stored, passed to a call, captured by a closure other than one run by go/defer). The watcher's goroutine
// and connection stay alive after the function is done with it.
//
// time.NewTicker / time.NewTimer are LH006's; handles used as channels (clientv3.Watch's WatchChan, which its
// context ends) are not handles with a Stop method and are left alone.
#include <fmt/format.h>

#include <array>

#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

constexpr std::array<std::string_view, 8> kStopPrefixes = {"Stop",     "Close",   "Cancel", "Unsubscribe",
                                                           "Drain",    "Shutdown", "Unwatch", "AutoUnsubscribe"};

bool IsUpperAt(std::string_view s, size_t i) { return i >= s.size() || (s[i] >= 'A' && s[i] <= 'Z'); }

// Watch, WatchList, Subscribe, SubscribeSync, NewWatcher, NewStreamWatcher (not Watcher, Watched, WatchdogTimeout).
bool IsHandleCall(std::string_view name) {
  if (name.rfind("Watch", 0) == 0 && IsUpperAt(name, 5)) return true;
  if (name.rfind("Subscribe", 0) == 0 && IsUpperAt(name, 9)) return true;
  if (name.rfind("New", 0) == 0 && name.size() >= 10 && name.substr(name.size() - 7) == "Watcher") return true;
  return false;
}

Node ParentSkippingParens(Node n) {
  Node p = n.Parent();
  while (p.Is("parenthesized_expression")) p = p.Parent();
  return p;
}

class HandleNeverStopped : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) CheckFile(*file, sink);
  }

 private:
  // The local the first result of `call` is assigned to (`w, err := c.Watch(...)`), or nullptr.
  static const Object* HandleOf(const SourceFile& file, Node call) {
    Node list = ParentSkippingParens(call);
    if (!list.Is("expression_list") || list.NamedChildCount() != 1) return nullptr;
    Node stmt = list.Parent();
    Node left;
    if (stmt.Is("short_var_declaration") || stmt.Is("assignment_statement")) {
      if (!(stmt.Field("right") == list)) return nullptr;
      if (stmt.Is("assignment_statement") && file.Text(stmt.Field("operator")) != "=") return nullptr;
      left = stmt.Field("left");
      if (left.NamedChildCount() == 0) return nullptr;
      left = left.NamedChild(0);
    } else if (stmt.Is("var_spec")) {
      auto names = FieldAll(stmt, "name");
      if (names.empty()) return nullptr;
      left = names.front();
    } else {
      return nullptr;
    }
    if (!left.Is("identifier") || file.Text(left) == "_") return nullptr;
    const Object* o = file.syntax.Declared(left);
    if (o == nullptr) o = file.syntax.Resolve(left);
    if (o == nullptr || o->package_level || (o->kind != ObjectKind::kVar)) return nullptr;
    return o;
  }

  // Is a stop method of `o` named anywhere (o.Close(), defer o.Drain(), t.Cleanup(o.Close))?
  static bool StoppedSomewhere(const SourceFile& file, const Object& o) {
    for (Node use : o.uses) {
      Node p = ParentSkippingParens(use);
      if (!p.Is("selector_expression") || !(Unparen(p.Field("operand")) == use)) continue;
      std::string_view field = file.Text(p.Field("field"));
      for (std::string_view s : kStopPrefixes) {
        if (field.rfind(s, 0) == 0 && IsUpperAt(field, s.size())) return true;
      }
    }
    return false;
  }

  // The handle comes from `receiver.Subscribe(...)`: does this function end it by closing the receiver? Closing a
  // connection or client ends its subscriptions and watches (nats.Conn, etcd and Kubernetes clients do): a receiver
  // closed here, directly or one level up (js := nc.JetStream(); defer nc.Close()). A receiver handed in by the
  // caller is usually a long-lived client, so its handles are still checked.
  static bool OwnerEndsIt(const SourceFile& file, Node receiver) {
    Node r = Unparen(receiver);
    for (int level = 0; level < 2 && r.Is("identifier"); ++level) {
      const Object* owner = file.syntax.Resolve(r);
      if (owner == nullptr) return false;
      if (StoppedSomewhere(file, *owner)) return true;
      Node v = Unparen(owner->value);
      if (!v.Is("call_expression")) return false;
      Node f = Unparen(v.Field("function"));
      if (!f.Is("selector_expression")) return false;
      r = Unparen(f.Field("operand"));
    }
    return false;
  }

  enum class Fate { kLeaked, kStopped, kEscapes, kChannel, kEnded };

  // Is `call` (w.ResultChan()) received from with the value thrown away: `<-w.ResultChan()` as a statement or
  // `_, ok := <-w.ResultChan()`? Such code waits for the channel to be closed, i.e. for the watch to have ended.
  static bool WaitsForEnd(const SourceFile& file, Node call) {
    Node recv = ParentSkippingParens(call);
    if (!recv.Is("unary_expression") || file.Text(recv.Child(0)) != "<-") return false;
    Node p = ParentSkippingParens(recv);
    if (p.Is("expression_statement")) return true;
    if (p.Is("expression_list")) p = p.Parent();
    if (p.Is("receive_statement") || p.Is("short_var_declaration") || p.Is("assignment_statement")) {
      Node left = p.Field("left");
      return left.NamedChildCount() == 2 && file.Text(left.NamedChild(0)) == "_";
    }
    return false;
  }

  // What happens to the handle after `call` assigned it.
  static Fate FateOf(const SourceFile& file, const Object& o, Node call, bool* used) {
    Fate fate = Fate::kLeaked;
    for (Node use : o.uses) {
      if (use.StartByte() < call.EndByte()) continue;  // before this assignment (an earlier handle)
      // Inside a closure that is not run right here by go/defer: it may outlive the function with the handle.
      for (Node lit = EnclosingOfType(use, "func_literal", o.function); !lit.IsNull();
           lit = EnclosingOfType(lit, "func_literal", o.function)) {
        Node callp = ParentSkippingParens(lit);
        Node stmt = ParentSkippingParens(callp);
        bool run_here = callp.Is("call_expression") && (stmt.Is("go_statement") || stmt.Is("defer_statement") ||
                                                        stmt.Is("expression_statement"));
        if (!run_here) return Fate::kEscapes;
      }
      Node p = ParentSkippingParens(use);
      if (p.Is("selector_expression") && Unparen(p.Field("operand")) == use) {
        *used = true;
        std::string_view field = file.Text(p.Field("field"));
        Node pp = ParentSkippingParens(p);
        bool stop = false;
        for (std::string_view s : kStopPrefixes) stop = stop || field.rfind(s, 0) == 0;
        bool called = pp.Is("call_expression") && Unparen(pp.Field("function")) == p;
        if (stop && !called) return Fate::kEscapes;  // `return w.Stop, nil`: the stop func is handed on
        if (stop) fate = Fate::kStopped;
        // resp.GetStream().Close(): stopped through what it hands out.
        if (Node outer = ParentSkippingParens(pp); called && outer.Is("selector_expression")) {
          std::string_view next = file.Text(outer.Field("field"));
          for (std::string_view s : kStopPrefixes) {
            if (next.rfind(s, 0) == 0 && IsUpperAt(next, s.size())) fate = Fate::kStopped;
          }
        }
        // `<-w.ResultChan()` with the value discarded: waits for the watch to end (the server closed it).
        if (called && WaitsForEnd(file, pp)) return Fate::kEnded;
        continue;
      }
      if (p.Is("unary_expression") && file.Text(p.Child(0)) == "<-") return Fate::kChannel;
      if (p.Is("range_clause")) return Fate::kChannel;
      if (p.Is("binary_expression")) continue;  // w == nil
      return Fate::kEscapes;  // returned, stored, passed on, assigned
    }
    return fate;
  }

  static void CheckFile(const SourceFile& file, FindingSink& sink) {
    for (Node call : FindAll(file.root(), "call_expression", IntoLiterals::kYes)) {
      Callee c = ResolveCallee(file, call);
      if (c.kind != Callee::Kind::kMethod && c.kind != Callee::Kind::kImported && c.kind != Callee::Kind::kLocalFunc) {
        continue;
      }
      if (!IsHandleCall(c.name)) continue;
      if (InMain(file, call)) continue;  // lives as long as the program
      if (c.kind == Callee::Kind::kMethod && OwnerEndsIt(file, c.receiver)) continue;
      const Object* o = HandleOf(file, call);
      if (o == nullptr) continue;
      bool used = false;
      if (FateOf(file, *o, call, &used) != Fate::kLeaked || !used) continue;
      std::string what = c.kind == Callee::Kind::kImported ? c.qualified : std::string(c.name);
      sink.Report(file, call,
                  fmt::format("{} from {}() is never stopped: no {}.Stop/Close/Unsubscribe call (or defer) in this "
                              "function and it does not escape, so its goroutine and connection outlive the "
                              "function; defer {}.Stop() (or Close/Unsubscribe) once the handle is assigned",
                              o->name, what, o->name, o->name),
                  fmt::format("defer {}.Stop()", o->name));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewHandleNeverStopped() { return std::make_unique<HandleNeverStopped>(); }

}  // namespace leakhound::scan
