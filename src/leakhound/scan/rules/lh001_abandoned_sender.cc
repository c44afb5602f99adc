// LH001 abandoned-sender: a goroutine started in F sends on an unbuffered channel made in F, and F can leave without
// receiving (the receive is a select case beside a timeout / ctx.Done() / other case, or a return comes first, or
// nothing receives at all).
#include <fmt/format.h>

#include <algorithm>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

// Does case `c` receive from a local channel that only the senders' goroutines (`gos`) complete, each as its last
// act (a send followed by return or the end of the goroutine, a deferred close)? Then by the time that case is taken
// the senders are done: leaving on it abandons nobody. (`for { m, err := read(); if err != nil { errs <- err; return
// }; msgs <- m }` against `select { case m := <-msgs: ...; case <-errs: return }`.)
bool ReceivesSendersLastSignal(const SourceFile& file, Node c, const std::vector<Node>& gos) {
  Node comm = c.Field("communication");
  Node recv = Unparen(comm.Is("receive_statement") ? comm.Field("right") : comm.NamedChild(0));
  if (!recv.Is("unary_expression")) return false;
  Node operand = Unparen(recv.Field("operand"));
  if (!operand.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(operand);
  if (o == nullptr) return false;
  for (const Channel& ch : FileChannels(file)) {
    if (ch.object != o) continue;
    bool any = false;
    for (const ChannelOp& op : ch.ops) {
      if (op.kind == ChannelOp::Kind::kReceive || op.kind == ChannelOp::Kind::kNeutral) continue;
      if (std::find(gos.begin(), gos.end(), op.go) == gos.end()) return false;
      if (op.kind == ChannelOp::Kind::kClose && op.deferred) {
        any = true;
        continue;
      }
      if (op.kind != ChannelOp::Kind::kSend || !op.node.Is("send_statement")) return false;
      Node next = NextStatement(op.node);
      const bool last = next.IsNull() ? op.node.Parent().Parent() == GoFuncLiteral(op.go).Field("body")
                                      : next.Is("return_statement");
      if (!last) return false;
      any = true;
    }
    return any;
  }
  return false;
}

// Does case `c` end the process (os.Exit, log.Fatal*)? Then leaving on it abandons nobody for long.
bool EndsProcess(const SourceFile& file, Node c) {
  for (Node call : FindAll(c, "call_expression")) {
    if (CallIs(file, call, "os.Exit")) return true;
    Callee callee = ResolveCallee(file, call);
    if (callee.kind == Callee::Kind::kImported && callee.qualified.rfind("log.Fatal", 0) == 0) return true;
  }
  return false;
}

// Can the receiver of a select case `select_case` leave without taking it? Another case exists and, when the select
// sits in a loop, that case leaves the function; and that case does not drain the channel itself (`case <-timer.C:
// stop(); <-ch`), nor does the function receive from it after the select when the case falls through.
bool SelectMayAbandon(const SourceFile& file, Node select, Node select_case,
                      const std::vector<const ChannelOp*>& receives, const std::vector<Node>& gos, Node* other) {
  bool in_loop = !EnclosingLoop(select).IsNull();
  bool received_after = false;
  for (const ChannelOp* r : receives) {
    received_after = received_after || (r->node.StartByte() >= select.EndByte() && r->loop == EnclosingLoop(select));
  }
  for (uint32_t i = 0, n = select.NamedChildCount(); i < n; ++i) {
    Node c = select.NamedChild(i);
    if (!(c.Is("communication_case") || c.Is("default_case")) || c == select_case) continue;
    bool returns = ContainsReturn(file, c);
    if (in_loop && !returns) continue;
    bool drains = false;
    for (const ChannelOp* r : receives) drains = drains || c.Contains(r->node);
    if (drains || (received_after && !returns)) continue;
    if (c.Is("communication_case") && ReceivesSendersLastSignal(file, c, gos)) continue;
    if (EndsProcess(file, c)) continue;  // os.Exit / log.Fatal: nothing is left to leak
    *other = c;
    return true;
  }
  return false;
}

// How many times `loop` runs, as Go source, when its header says: `for i := 0; i < n; i++` -> "n" (`<= n` -> "n+1"),
// `for _, x := range xs` -> "len(xs)", `for range n` -> "n"; "" when it does not.
std::string LoopCount(const SourceFile& file, Node loop) {
  for (uint32_t k = 0; k < loop.NamedChildCount(); ++k) {
    Node c = loop.NamedChild(k);
    if (c.Is("for_clause")) {
      Node cond = c.Field("condition");
      if (!cond.Is("binary_expression")) return "";
      const std::string_view op = file.Text(cond.Field("operator"));
      const std::string right(file.Text(cond.Field("right")));
      if (op == "<") return right;
      if (op == "<=") return right + "+1";
      return "";
    }
    if (c.Is("range_clause")) {
      // A count only where the type says what the loop runs over: an integer (Go 1.22's range n) or a slice,
      // array, map or string variable. Not a channel or an iterator function (len of either is not the number of
      // iterations), nor a call (len(f()) would call it again).
      Node over = c.Field("right");
      if (over.Is("int_literal")) return std::string(file.Text(over));
      if (!over.Is("identifier")) return "";
      const Object* o = file.syntax.Resolve(over);
      if (o == nullptr) return "";
      Node type = o->type;
      if (type.IsNull() && o->value_index == 0) {
        Node v = Unparen(o->value);
        if (v.Is("composite_literal")) type = v.Field("type");
        if (v.Is("int_literal")) return std::string(file.Text(over));
      }
      const std::string_view t = type.IsNull() ? std::string_view() : file.Text(type);
      if (t == "int" || t == "int64" || t == "int32" || t == "uint" || t == "uint64" || t == "uint32") {
        return std::string(file.Text(over));
      }
      if (type.Is("slice_type") || type.Is("array_type") || type.Is("map_type") || t == "string") {
        return "len(" + std::string(file.Text(over)) + ")";
      }
      return "";
    }
  }
  return "";
}

class AbandonedSender : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) CheckFile(pkg, *file, sink);
  }

 private:
  struct Sender {
    Node at;    // where to report
    Node go;    // the go statement
    bool via_call = false;
    std::string_view callee;
  };

  void CheckFile(const Package& pkg, const SourceFile& file, FindingSink& sink) const {
    for (const Channel& ch : FileChannels(file)) {
      if (ch.make.IsNull() || ch.buffered || ch.object->kind != ObjectKind::kVar) continue;
      if (InMain(file, ch.make)) continue;  // the program ends with main: nothing outlives it
      const Node fn = ch.object->function;
      std::vector<Sender> senders;
      std::vector<const ChannelOp*> receives;
      bool escapes = false;
      for (const ChannelOp& op : ch.ops) {
        if (op.kind == ChannelOp::Kind::kSend && !op.go.IsNull()) {
          if (BlockingSend(op)) senders.push_back({op.node, op.go, false, {}});
        } else if ((op.kind == ChannelOp::Kind::kReceive || op.kind == ChannelOp::Kind::kRange) && op.go.IsNull()) {
          receives.push_back(&op);
        } else if (op.kind == ChannelOp::Kind::kEscape) {
          // go worker(ch): followed one level into the package's worker.
          Node go = op.node.Parent();
          if (op.node.Is("call_expression") && go.Is("go_statement") && GoCall(go) == op.node) {
            if (auto target = pkg.Target(file, op.node)) {
              switch (UseOfParam(*target, ArgIndex(op.node, op.ident))) {
                case ParamSends::kSends:
                  senders.push_back({go, go, true, FunctionName(target->decl, target->file->source())});
                  break;
                case ParamSends::kNone: break;
                case ParamSends::kOther: escapes = true; break;  // receives, closes or passes it on
              }
              continue;
            }
          }
          escapes = true;
        } else if ((op.kind == ChannelOp::Kind::kReceive || op.kind == ChannelOp::Kind::kRange ||
                    op.kind == ChannelOp::Kind::kSend) && !op.go.IsNull()) {
          // Another goroutine receives (or a second sender): someone else may drain it.
          if (op.kind != ChannelOp::Kind::kSend) escapes = true;
        }
      }
      if (senders.empty() || escapes) continue;
      std::string fname(FunctionName(fn, file.source()));
      std::string who = fname.empty() ? "the enclosing function" : fname;
      std::string why;
      if (receives.empty()) {
        why = fmt::format("nothing in {} receives from it", who);
      } else {
        std::vector<Node> gos;
        for (const Sender& s : senders) gos.push_back(s.go);
        for (const ChannelOp* r : receives) {
          Node other;
          if (!r->select.IsNull() && SelectMayAbandon(file, r->select, r->select_case, receives, gos, &other)) {
            why = fmt::format("{} can take the other select case at line {} and leave without receiving", who,
                              LineOf(file, other));
            break;
          }
        }
        if (why.empty()) {
          // An early return between starting the goroutine and the first receive.
          const ChannelOp* first = receives.front();
          for (const Sender& s : senders) {
            auto returns = ReturnsBetween(fn, s.go.EndByte(), first->node.StartByte());
            if (!returns.empty()) {
              why = fmt::format("{} can return at line {} before receiving", who, LineOf(file, returns.front()));
              break;
            }
          }
        }
      }
      if (why.empty()) continue;
      std::string elem = ch.elem_type.IsNull() ? "T" : std::string(file.Text(ch.elem_type));
      for (const Sender& s : senders) {
        std::string what = s.via_call ? fmt::format("goroutine {} sends", s.callee) : "goroutine sends";
        // One slot per goroutine that may send: one go statement in a loop starts as many as the loop runs.
        std::string size = senders.size() > 1 ? std::to_string(senders.size()) : "1";
        std::string fix;
        if (Node loop = EnclosingLoop(s.go); !loop.IsNull() && fn.Contains(loop)) {
          size = LoopCount(file, loop);
          fix = size.empty() ? fmt::format("give it a slot for every goroutine the loop at line {} starts: make(chan "
                                           "{}, N)",
                                           LineOf(file, loop), elem)
                             : fmt::format("make it buffered for every sender the loop at line {} starts: make(chan "
                                           "{}, {})",
                                           LineOf(file, loop), elem, size);
        } else {
          fix = fmt::format("make it buffered: make(chan {}, {})", elem, size);
        }
        sink.Report(file, s.at,
                    fmt::format("{} on unbuffered channel {} (made at line {}), but {}: the sender then blocks "
                                "forever; {}",
                                what, ch.object->name, LineOf(file, ch.make), why, fix),
                    fmt::format("make(chan {}, {})", elem, size.empty() ? "N" : size));
        // The buffer, when its size is known: make(chan T) -> make(chan T, size). One edit per channel: the first
        // sender's finding carries it.
        Node args = ch.make.Field("arguments");
        if (!size.empty() && &s == &senders.front() && args && args.NamedChildCount() == 1) {
          Node type = args.NamedChild(0);
          Fix buffer;
          buffer.description = fmt::format("Give {} a buffer slot for every sender", ch.object->name);
          buffer.edits.push_back(MakeEdit(file, type.EndByte(), type.EndByte(), ", " + size));
          sink.FixLast(file, std::move(buffer));
        } else if (size.empty()) {
          // No count for the buffer: the stop case, when the goroutine has a context to give up on.
          if (auto stop = SendStopCaseFix(file, s.at)) sink.FixLast(file, std::move(*stop));
        }
      }
    }
  }

  // What `target` does with its parameter `index`: only blocking sends, nothing, or something else (receives,
  // closes, passes it on, sends only in a select with a way out).
  static ParamSends UseOfParam(const FunctionRef& target, int index) {
    return SendsOnParam(target, index, [](const ChannelOp& op) { return BlockingSend(op); });
  }
};

}  // namespace

std::unique_ptr<Rule> NewAbandonedSender() { return std::make_unique<AbandonedSender>(); }

}  // namespace leakhound::scan
