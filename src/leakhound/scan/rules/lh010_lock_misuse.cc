// LH010 lock-or-waitgroup-misuse:
//  (a) `mu.Lock()` / `mu.RLock()` followed by a return on whose path no Unlock happens and no `defer mu.Unlock()` was
//      registered, in a function that does unlock mu explicitly after that return (so the lock is not deliberately
//      handed to the caller). Every later Lock blocks forever.
//  (b) `wg.Add(...)` inside the goroutine it counts (`go func() { wg.Add(1); defer wg.Done() ... }()`): Wait can run
//      before the Add and return early.
//
// (a) walks the statements after the Lock syntactically, branch by branch. Anything it cannot follow (the lock
// released on some branches only, goto, labelled jumps, the mutex passed to a call, a helper whose name says it
// unlocks, a relock in a loop) ends the walk without a finding: misses are preferred to false alarms.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

enum class Flow { kFallthrough, kJump, kReleased, kTerminated, kUnknown };

bool ContainsUnlockWord(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("unlock") != std::string::npos || lower.find("release") != std::string::npos;
}

// The walk after one Lock call.
class LockWalk {
 public:
  LockWalk(const SourceFile& file, std::string_view recv, std::string_view lock, std::string_view unlock)
      : file_(file), recv_(recv), lock_(lock), unlock_(unlock) {}

  // The returns reached with the lock held.
  const std::vector<Node>& leaks() const { return leaks_; }

  // Walks from the statement after `lock_stmt` to the end of the function body (climbing out of blocks).
  void Run(Node lock_stmt) {
    Node stmt = lock_stmt;
    for (;;) {
      Node list = stmt.Parent();
      if (!list.Is("statement_list")) return;
      std::vector<Node> stmts = Statements(list);
      size_t i = 0;
      while (i < stmts.size() && !(stmts[i] == stmt)) ++i;
      Flow f = ScanList(stmts, i + 1);
      if (f != Flow::kFallthrough) return;
      // Fell off the end of this list while holding the lock: continue after the construct around it.
      Node holder = list.Parent();
      if (holder.Is("block")) {
        Node owner = holder.Parent();
        if (owner.Is("if_statement")) {
          stmt = owner;
          while (stmt.Parent().Is("if_statement")) stmt = stmt.Parent();  // else if chains
        } else if (owner.Is("block") || owner.Is("statement_list")) {
          stmt = holder;
        } else {
          return;  // a function body (fell off its end), a loop body (next iteration), ...
        }
      } else if (holder.Is("expression_case") || holder.Is("default_case") || holder.Is("type_case") ||
                 holder.Is("communication_case")) {
        stmt = holder.Parent();  // the switch / select
      } else {
        return;
      }
      if (!stmt.Parent().Is("statement_list")) return;
    }
  }

 private:
  // Does `n` do anything with the lock we cannot follow: call Unlock (or a helper named *unlock* / *release*),
  // Lock it again, or pass it to a call?
  bool Touches(Node n) const {
    if (n.IsNull()) return false;
    bool touched = false;
    TreeCursor cursor(n);
    cursor.Walk([&](Node x) {
      if (touched) return false;
      if (x.Is("call_expression")) {
        Callee c = ResolveCallee(file_, x);
        if (ContainsUnlockWord(c.name)) touched = true;
        if (c.kind == Callee::Kind::kMethod && file_.Text(c.receiver) == recv_ && (c.name == lock_)) touched = true;
        Node args = x.Field("arguments");
        for (uint32_t i = 0, k = args.NamedChildCount(); i < k; ++i) {
          Node a = Unparen(args.NamedChild(i));
          if (a.Is("unary_expression") && file_.Text(a.Child(0)) == "&") a = Unparen(a.Field("operand"));
          if (file_.Text(a) == recv_) touched = true;
        }
      }
      return !touched;
    });
    return touched;
  }

  bool IsUnlockCall(Node call) const {
    if (!call.Is("call_expression")) return false;
    Callee c = ResolveCallee(file_, call);
    return c.kind == Callee::Kind::kMethod && c.name == unlock_ && file_.Text(c.receiver) == recv_;
  }

  Flow ScanList(const std::vector<Node>& stmts, size_t from) {
    for (size_t i = from; i < stmts.size(); ++i) {
      Flow f = ScanStmt(stmts[i]);
      if (f != Flow::kFallthrough) return f;
    }
    return Flow::kFallthrough;
  }

  Flow ScanBlock(Node block) { return ScanList(Statements(block), 0); }

  // Joins the flows of alternative branches.
  static Flow Merge(const std::vector<Flow>& branches) {
    bool released = false, open = false;
    for (Flow f : branches) {
      if (f == Flow::kUnknown) return Flow::kUnknown;
      if (f == Flow::kReleased) released = true;
      if (f == Flow::kFallthrough || f == Flow::kJump) open = true;
    }
    if (released && open) return Flow::kUnknown;  // held on some paths only
    if (released) return Flow::kReleased;
    if (open) return Flow::kFallthrough;
    return Flow::kTerminated;
  }

  Flow ScanCases(Node sw, bool implicit_default) {
    std::vector<Flow> branches;
    bool has_default = false;
    ++breakable_;
    for (uint32_t i = 0, n = sw.NamedChildCount(); i < n; ++i) {
      Node c = sw.NamedChild(i);
      if (c.Is("default_case")) has_default = true;
      if (!(c.Is("expression_case") || c.Is("default_case") || c.Is("type_case") || c.Is("communication_case"))) {
        continue;
      }
      if (c.Is("communication_case") && Touches(c.Field("communication"))) {
        --breakable_;
        return Flow::kUnknown;
      }
      branches.push_back(ScanList(Statements(c.ChildOfType("statement_list")), 0));
    }
    --breakable_;
    if (implicit_default && !has_default) branches.push_back(Flow::kFallthrough);
    return Merge(branches);
  }

  Flow ScanStmt(Node s) {
    std::string_view t = s.Type();
    if (t == "expression_statement") {
      Node call = Unparen(s.NamedChild(0));
      if (IsUnlockCall(call)) return Flow::kReleased;
      if (Touches(s)) return Flow::kUnknown;
      if (ContainsReturn(file_, s)) return Flow::kTerminated;  // panic, os.Exit, t.Fatal
      return Flow::kFallthrough;
    }
    if (t == "defer_statement") return Touches(s) ? Flow::kReleased : Flow::kFallthrough;
    if (t == "return_statement") {
      if (Touches(s)) return Flow::kReleased;
      leaks_.push_back(s);
      return Flow::kTerminated;
    }
    if (t == "if_statement") {
      if (Touches(s.Field("initializer")) || Touches(s.Field("condition"))) return Flow::kUnknown;
      Flow then = ScanBlock(s.Field("consequence"));
      Node alt = s.Field("alternative");
      Flow other = alt.IsNull() ? Flow::kFallthrough : alt.Is("if_statement") ? ScanStmt(alt) : ScanBlock(alt);
      return Merge({then, other});
    }
    if (t == "expression_switch_statement" || t == "type_switch_statement") {
      if (Touches(s.Field("initializer")) || Touches(s.Field("value"))) return Flow::kUnknown;
      return ScanCases(s, true);
    }
    if (t == "select_statement") return ScanCases(s, false);
    if (t == "for_statement") {
      for (uint32_t i = 0, n = s.NamedChildCount(); i < n; ++i) {
        if (!s.NamedChild(i).Is("block") && Touches(s.NamedChild(i))) return Flow::kUnknown;
      }
      ++breakable_;
      ++loops_;
      Flow f = ScanBlock(s.Field("body"));
      --breakable_;
      --loops_;
      if (f == Flow::kFallthrough || f == Flow::kTerminated || f == Flow::kJump) return Flow::kFallthrough;
      return Flow::kUnknown;  // released in the body: held or not after the loop depends on the count
    }
    if (t == "block") return ScanBlock(s);
    if (t == "labeled_statement") {
      Node inner = s.NamedChildCount() > 1 ? s.NamedChild(1) : Node();
      return inner.IsNull() ? Flow::kFallthrough : ScanStmt(inner);
    }
    if (t == "break_statement") {
      if (!s.ChildOfType("label_name").IsNull() || breakable_ == 0) return Flow::kUnknown;
      return Flow::kJump;
    }
    if (t == "continue_statement") {
      if (!s.ChildOfType("label_name").IsNull() || loops_ == 0) return Flow::kUnknown;
      return Flow::kJump;
    }
    if (t == "goto_statement" || t == "fallthrough_statement") return Flow::kUnknown;
    if (t == "empty_statement") return Flow::kFallthrough;
    return Touches(s) ? Flow::kUnknown : Flow::kFallthrough;
  }

  const SourceFile& file_;
  std::string_view recv_, lock_, unlock_;
  int breakable_ = 0, loops_ = 0;
  std::vector<Node> leaks_;
};

// Is `recv` (the operand of wg.Add) a sync.WaitGroup: a local or parameter of that type, or a field declared with it
// somewhere in the package?
bool IsWaitGroup(const Package& pkg, const SourceFile& file, Node recv) {
  auto is_wg_type = [](const SourceFile& f, Node type) {
    if (type.IsNull()) return false;
    if (type.Is("pointer_type")) type = type.NamedChild(0);
    return type.Is("qualified_type") && f.imports.PathOf(f.Text(type.Field("package"))) == "sync" &&
           f.Text(type.Field("name")) == "WaitGroup";
  };
  if (recv.Is("identifier")) {
    const Object* o = file.syntax.Resolve(recv);
    if (o == nullptr) return false;
    if (is_wg_type(file, o->type)) return true;
    if (!o->value.IsNull()) {
      std::string_view v = file.Text(o->value);
      return v == "sync.WaitGroup{}" || v == "&sync.WaitGroup{}" || v == "new(sync.WaitGroup)";
    }
    return false;
  }
  if (recv.Is("selector_expression")) {
    std::string_view field = file.Text(recv.Field("field"));
    for (const SourceFile* f : pkg.files) {
      for (Node fd : FindAll(f->root(), "field_declaration")) {
        Node type = fd.Field("type");
        if (!is_wg_type(*f, type)) continue;
        for (Node name : FieldAll(fd, "name")) {
          if (f->Text(name) == field) return true;
        }
        if (FieldAll(fd, "name").empty() && field == "WaitGroup") return true;  // embedded
      }
    }
  }
  return false;
}

// The calls `recv.method(...)` under `root` (not below nested function literals).
std::vector<Node> MethodCalls(const SourceFile& file, Node root, std::string_view recv, std::string_view method) {
  std::vector<Node> out;
  for (Node call : FindAll(root, "call_expression")) {
    Callee c = ResolveCallee(file, call);
    if (c.kind == Callee::Kind::kMethod && c.name == method && file.Text(c.receiver) == recv) out.push_back(call);
  }
  return out;
}

class LockMisuse : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      CheckLocks(*file, sink);
      CheckWaitGroups(pkg, *file, sink);
    }
  }

 private:
  static void CheckLocks(const SourceFile& file, FindingSink& sink) {
    for (Node stmt : FindAll(file.root(), "expression_statement", IntoLiterals::kYes)) {
      Node call = Unparen(stmt.NamedChild(0));
      if (!call.Is("call_expression") || call.Field("arguments").NamedChildCount() != 0) continue;
      Callee c = ResolveCallee(file, call);
      if (c.kind != Callee::Kind::kMethod || (c.name != "Lock" && c.name != "RLock")) continue;
      std::string_view unlock = c.name == "Lock" ? "Unlock" : "RUnlock";
      std::string_view recv = file.Text(c.receiver);
      Node fn = EnclosingFunction(stmt);
      if (fn.IsNull()) continue;
      // The explicit unlocks of this function; a lock it never unlocks is handed to someone else.
      std::vector<Node> unlocks = MethodCalls(file, fn.Field("body"), recv, unlock);
      if (unlocks.empty()) continue;
      if (Reacquired(file, fn.Field("body"), stmt, recv, c.name, unlock, unlocks)) continue;
      LockWalk walk(file, recv, c.name, unlock);
      walk.Run(stmt);
      // A lock taken in a retry loop whose later Unlock only precedes the next attempt (`Lock; if ok { return };
      // Unlock` and go round again) hands the lock to the caller on the successful return.
      Node retry_loop = EnclosingLoop(stmt);
      for (Node ret : walk.leaks()) {
        // Only a return that skips an Unlock written after it: the normal path unlocks, this one forgets to.
        bool unlock_after = std::any_of(unlocks.begin(), unlocks.end(), [&](Node u) {
          return u.StartByte() > ret.EndByte() && (retry_loop.IsNull() || !retry_loop.Contains(u));
        });
        if (!unlock_after) continue;
        sink.Report(file, ret,
                    fmt::format("return leaves {} locked ({}.{}() at line {} has no {} on this path and no defer "
                                "{}.{}()): every later {} blocks forever; unlock before returning or use defer",
                                recv, recv, c.name, LineOf(file, stmt), unlock, recv, unlock, c.name),
                    fmt::format("{}.{}()", recv, unlock));
      }
    }
  }

  // A Lock that takes the lock back rather than a fresh one: a defer registered before it releases the lock on
  // every return (`Lock; defer Unlock; ...; Unlock; slow(); Lock; return`), or the function was entered holding it
  // (its first operation on the mutex is an Unlock: a ...Locked helper letting go around a slow call).
  static bool Reacquired(const SourceFile& file, Node body, Node lock_stmt, std::string_view recv,
                         std::string_view lock, std::string_view unlock, const std::vector<Node>& unlocks) {
    for (Node d : FindAll(body, "defer_statement")) {
      if (d.StartByte() > lock_stmt.StartByte()) continue;
      if (!MethodCalls(file, d, recv, unlock).empty()) return true;
      if (Node lit = GoFuncLiteral(d); !lit.IsNull() && !MethodCalls(file, lit.Field("body"), recv, unlock).empty()) {
        return true;
      }
    }
    std::vector<Node> locks = MethodCalls(file, body, recv, lock);
    uint32_t first_lock = UINT32_MAX, first_unlock = UINT32_MAX;
    for (Node l : locks) first_lock = std::min(first_lock, l.StartByte());
    for (Node u : unlocks) first_unlock = std::min(first_unlock, u.StartByte());
    return first_unlock < first_lock;
  }

  static void CheckWaitGroups(const Package& pkg, const SourceFile& file, FindingSink& sink) {
    for (Node go : FindAll(file.root(), "go_statement", IntoLiterals::kYes)) {
      Node lit = GoFuncLiteral(go);
      if (lit.IsNull()) continue;
      Node body = lit.Field("body");
      for (Node call : FindAll(body, "call_expression")) {
        Callee c = ResolveCallee(file, call);
        if (c.kind != Callee::Kind::kMethod || c.name != "Add") continue;
        std::string_view recv = file.Text(c.receiver);
        // The goroutine counts itself: it calls Done (directly or deferred) on the same WaitGroup.
        bool done = !MethodCalls(file, body, recv, "Done").empty();
        for (Node d : FindAll(body, "defer_statement")) {
          if (Node dl = GoFuncLiteral(d); !dl.IsNull() && !MethodCalls(file, dl.Field("body"), recv, "Done").empty()) {
            done = true;
          }
        }
        if (!done || !IsWaitGroup(pkg, file, Unparen(c.receiver))) continue;
        // Someone waits in the function that starts the goroutine, and it does not count the goroutine itself.
        Node fn = EnclosingFunction(go);
        if (fn.IsNull()) continue;
        bool waits = false, counted = false;
        for (Node other : FindAll(fn.Field("body"), "call_expression", IntoLiterals::kYes)) {
          if (lit.Contains(other)) continue;
          Callee oc = ResolveCallee(file, other);
          if (oc.kind != Callee::Kind::kMethod || file.Text(oc.receiver) != recv) continue;
          if (oc.name == "Wait") waits = true;
          if (oc.name == "Add" && other.StartByte() < go.StartByte()) counted = true;
        }
        if (!waits || counted) continue;
        sink.ReportWithSeverity(
            Severity::kWarning, file, call,
            fmt::format("{}.Add inside the goroutine it counts (started at line {}): {}.Wait() can run before the "
                        "Add and return while the goroutine still runs; call {}.Add before the go statement",
                        recv, LineOf(file, go), recv, recv),
            fmt::format("{}.Add(1) before `go`", recv));
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewLockMisuse() { return std::make_unique<LockMisuse>(); }

}  // namespace leakhound::scan
