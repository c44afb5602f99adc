// LH022 stop-check-then-block: a select looks at a stop signal (a receive case that leaves: `case <-ctx.Done():
// return`) and has a default case, and the blocking channel operation it was meant to guard comes after the check —
// in the default case, or as the statement right after the select. The check runs once, before the operation; once
// the send (or receive) blocks, the stop signal is never looked at again, and when the other side has already left
// the goroutine blocks forever. The operation belongs in the select as a case of its own.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

// The channel a receive expression (`<-x`) or send statement works on, as written.
std::string_view ChannelText(const SourceFile& file, Node op) {
  return file.Text(op.Is("send_statement") ? op.Field("channel") : op.Field("operand"));
}

// A receive that waits for a bounded time or for the stop signal itself: `<-time.After(d)`, `<-ctx.Done()` (a
// call), `<-t.C` (a timer or ticker). Not what the check was guarding.
bool BoundedReceive(const SourceFile& file, Node recv) {
  Node operand = Unparen(recv.Field("operand"));
  if (operand.Is("call_expression")) return true;
  return operand.Is("selector_expression") && file.Text(operand.Field("field")) == "C";
}

// Is `n` a blocking channel operation statement of its own: `ch <- v`, `<-ch`, `v := <-ch`, `v, ok = <-ch`? Returns
// the send_statement or the receive expression.
Node BlockingOp(const SourceFile& file, Node n) {
  if (n.Is("send_statement")) return n;
  Node value;
  if (n.Is("expression_statement")) {
    value = n.NamedChild(0);
  } else if (n.Is("short_var_declaration") || n.Is("assignment_statement")) {
    Node right = n.Field("right");
    if (right.Is("expression_list") && right.NamedChildCount() == 1) value = right.NamedChild(0);
  }
  value = Unparen(value);
  if (value.Is("unary_expression") && file.Text(value.Field("operator")) == "<-" && !BoundedReceive(file, value)) {
    return value;
  }
  return {};
}

// A test assertion or crash in a case body (`t.Error(...); return`, `t.Fatalf`, `panic`): the case is a check that
// something did not happen, not a stop signal.
bool Asserts(const SourceFile& file, Node c) {
  for (Node call : FindAll(c, "call_expression")) {
    Callee callee = ResolveCallee(file, call);
    if (callee.kind == Callee::Kind::kBuiltin && callee.name == "panic") return true;
    if (callee.kind == Callee::Kind::kMethod) {
      for (std::string_view p : {"Error", "Fatal", "Fail", "Skip"}) {
        if (callee.name.rfind(p, 0) == 0) return true;
      }
    }
  }
  return false;
}

// The stop case of a select: a receive case whose body leaves the function or the loop around the select, on
// another channel than `op_channel` (a probe of the channel itself is no stop signal), and is no test assertion.
Node StopCase(const SourceFile& file, Node select, std::string_view op_channel) {
  Node loop = EnclosingLoop(select);
  for (uint32_t i = 0, n = select.NamedChildCount(); i < n; ++i) {
    Node c = select.NamedChild(i);
    if (!c.Is("communication_case")) continue;
    Node comm = c.Field("communication");
    Node recv = comm.Is("receive_statement") ? comm.Field("right") : comm.NamedChild(0);
    recv = Unparen(recv);
    if (!recv.Is("unary_expression") || file.Text(recv.Field("operand")) == op_channel) continue;
    if (Asserts(file, c)) continue;
    bool leaves = ContainsReturn(file, c);
    if (!leaves && loop) {
      for (Node b : FindAll(c, "break_statement")) leaves = leaves || BreakLeaves(file, b, loop);
    }
    if (leaves) return c;
  }
  return {};
}

// For an operation on a channel made in this file's functions: does the other side wait for it whatever happens — a
// plain receive (or range) of it outside the goroutine of `op` for a send, a plain send or a close for a receive — or
// is its buffer sized by name (for the work, presumably)? Then the operation completes.
bool CounterpartStays(const SourceFile& file, Node op) {
  Node operand = Unparen(op.Is("send_statement") ? op.Field("channel") : op.Field("operand"));
  if (!operand.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(operand);
  if (o == nullptr) return false;
  const bool send = op.Is("send_statement");
  const Node own_go = EnclosingGo(op);
  for (const Channel& ch : FileChannels(file)) {
    if (ch.object != o || ch.make.IsNull()) continue;
    // A buffer whose size is named rather than written (a run-time value, or a constant such as totalMsgs) is
    // presumably sized for the work: its sends do not wait.
    if (ch.buffered && !ch.capacity) return true;
    for (const ChannelOp& other : ch.ops) {
      if (other.node == op || (!own_go.IsNull() && own_go.Contains(other.node))) continue;
      const bool plain = other.select.IsNull() || !SelectHasOtherCase(other.select, other.select_case);
      if (send && ((other.kind == ChannelOp::Kind::kReceive && plain) || other.kind == ChannelOp::Kind::kRange)) {
        return true;
      }
      if (!send && ((other.kind == ChannelOp::Kind::kSend && plain) || other.kind == ChannelOp::Kind::kClose)) {
        return true;
      }
    }
  }
  return false;
}

class StopCheckThenBlock : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      for (Node select : FindAll(file->root(), "select_statement", IntoLiterals::kYes)) {
        Node def = select.ChildOfType("default_case");
        if (!def) continue;
        // In the default case: its own statements (an operation under an `if` there is a choice the code made
        // after the check, and left alone).
        const std::vector<Node> body = Statements(def);
        std::vector<std::pair<Node, const char*>> ops;
        for (Node st : body) {
          if (Node op = BlockingOp(*file, st)) ops.emplace_back(op, "in its default case");
        }
        // Right after the select, when the default case is empty (the select is only the check).
        if (body.empty()) {
          if (Node next = NextStatement(select)) {
            if (Node op = BlockingOp(*file, next)) ops.emplace_back(op, "right after it");
          }
        }
        for (const auto& [op, where] : ops) {
          if (CounterpartStays(*file, op)) continue;
          if (Node stop = StopCase(*file, select, ChannelText(*file, op))) Report(*file, select, stop, op, where, sink);
        }
      }
    }
  }

 private:
  static void Report(const SourceFile& file, Node select, Node stop, Node op, std::string_view where,
                     FindingSink& sink) {
    const bool send = op.Is("send_statement");
    Node comm = stop.Field("communication");
    Node recv = comm.Is("receive_statement") ? comm.Field("right") : comm.NamedChild(0);
    sink.Report(file, op,
                fmt::format("{} {} can block forever: the select at line {} looks at {} only before it ({}), and once "
                            "the {} blocks nothing stops it; make it a case of that select",
                            send ? "send on" : "receive from", ChannelText(file, op), LineOf(file, select),
                            file.Text(recv), where, send ? "send" : "receive"),
                fmt::format("case {}:", file.Text(op)));
  }
};

}  // namespace

std::unique_ptr<Rule> NewStopCheckThenBlock() { return std::make_unique<StopCheckThenBlock>(); }

}  // namespace leakhound::scan
