// LH002 senders-outnumber-receives: goroutines started in a loop (a function literal, or `go worker(ch)` followed one
// level into the package) each send on a channel made in the enclosing function, and that function receives fewer
// times than they send: a single receive outside any loop, or a receive loop that can leave early (return / break
// on the first error or result). The senders left over block in `chan send` forever.
//
// Conservative on purpose: the channel must not escape (other than to the followed workers), nothing else may
// receive from it (another goroutine, a closure), every send must be a plain blocking send, and a buffered channel is
// only considered when its capacity and the loop count are both constants.
#include <fmt/format.h>

#include <algorithm>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// Does every run of the function `fn` reach the send `send`: no if/switch/select-case around it within `fn`, and no
// return (or other exit) before it? A goroutine that sends only when it is first (an atomic counter, a match) does
// not make the receiver miss anything.
bool SendsUnconditionally(const SourceFile& file, Node fn, Node send) {
  for (Node p = send.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (p.Is("if_statement") || p.Is("expression_switch_statement") || p.Is("type_switch_statement") ||
        p.Is("expression_case") || p.Is("type_case") || p.Is("default_case") || p.Is("func_literal")) {
      return false;
    }
    if (p.Is("communication_case") && !(p.Field("communication") == send)) return false;
  }
  Node body = fn.Field("body");
  for (Node r : FindAll(body, "return_statement")) {
    if (r.StartByte() < send.StartByte()) return false;
  }
  for (Node c : FindAll(body, "call_expression")) {
    if (c.StartByte() < send.StartByte() && ContainsReturn(file, c)) return false;  // panic, t.Fatal, ...
  }
  return true;
}

// The value of an integer literal, or of an identifier naming a constant initialised with one.
std::optional<int64_t> ConstInt(const SourceFile& file, Node n) {
  n = Unparen(n);
  if (n.Is("int_literal")) {
    auto v = util::ParseUint(file.Text(n));
    if (v) return static_cast<int64_t>(*v);
    return std::nullopt;
  }
  if (n.Is("identifier")) {
    const Object* o = file.syntax.Resolve(n);
    if (o != nullptr && o->kind == ObjectKind::kConst && !o->value.IsNull() && Unparen(o->value).Is("int_literal")) {
      auto v = util::ParseUint(file.Text(Unparen(o->value)));
      if (v) return static_cast<int64_t>(*v);
    }
  }
  return std::nullopt;
}

// How many times a for loop runs, when that is a constant: `for i := 0; i < 8; i++`, `for i := range 8`,
// `for _, x := range []T{a, b, c}`.
std::optional<int64_t> LoopCount(const SourceFile& file, Node loop) {
  if (Node rc = loop.ChildOfType("range_clause"); !rc.IsNull()) {
    Node right = Unparen(rc.Field("right"));
    if (right.Is("composite_literal")) {
      Node body = right.Field("body");
      if (!Unparen(right.Field("type")).Is("slice_type") && !Unparen(right.Field("type")).Is("array_type") &&
          !Unparen(right.Field("type")).Is("implicit_length_array_type")) {
        return std::nullopt;
      }
      int64_t k = 0;
      for (uint32_t i = 0, n = body.NamedChildCount(); i < n; ++i) k += !body.NamedChild(i).Is("comment");
      return k;
    }
    return ConstInt(file, right);
  }
  Node fc = loop.ChildOfType("for_clause");
  if (fc.IsNull()) return std::nullopt;
  Node init = fc.Field("initializer"), cond = fc.Field("condition"), update = fc.Field("update");
  if (!init.Is("short_var_declaration") || !cond.Is("binary_expression") || update.IsNull()) return std::nullopt;
  Node left = init.Field("left"), right = init.Field("right");
  if (left.NamedChildCount() != 1 || right.NamedChildCount() != 1) return std::nullopt;
  std::string_view var = file.Text(left.NamedChild(0));
  auto start = ConstInt(file, right.NamedChild(0));
  if (!start || file.Text(cond.Field("left")) != var || file.Text(update) != std::string(var) + "++") {
    return std::nullopt;
  }
  auto end = ConstInt(file, cond.Field("right"));
  if (!end) return std::nullopt;
  std::string_view op = file.Text(cond.Field("operator"));
  if (op == "<") return *end - *start;
  if (op == "<=") return *end - *start + 1;
  return std::nullopt;
}

// The for loops between `n` and `fn` that do not contain `make` (each runs the code at `n` several times for one
// channel), innermost first.
std::vector<Node> LoopsAround(Node n, Node fn, Node make) {
  std::vector<Node> out;
  for (Node p = n.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (IsFunction(p)) break;
    if (p.Is("for_statement") && !p.Contains(make)) out.push_back(p);
  }
  return out;
}

// Is `id` (an identifier) counted in `loop`: incremented/decremented or appended to there, or a variable of the
// loop's own clause?
bool IsCounter(const SourceFile& file, Node loop, Node id) {
  if (!id.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(id);
  if (o == nullptr) return false;
  if (loop.Contains(o->ident) && !loop.Field("body").Contains(o->ident)) return true;  // for i := ...; i < n
  for (Node use : o->uses) {
    if (!loop.Contains(use)) continue;
    Node p = use.Parent();
    if (p.Is("inc_statement") || p.Is("dec_statement")) return true;
    if (p.Is("expression_list") && p.Parent().Is("assignment_statement") && p == p.Parent().Field("left")) {
      std::string_view op = file.Text(p.Parent().Field("operator"));
      if (op == "+=" || op == "-=") return true;
    }
  }
  for (Node a : o->assignments) {
    if (!loop.Contains(a)) continue;
    Node stmt = a.Parent().Parent();
    if (stmt.Is("assignment_statement")) {
      std::string_view rhs = file.Text(stmt.Field("right"));
      if (rhs.rfind("append(", 0) == 0) return true;
    }
  }
  return false;
}

// Is the exit statement `exit` in `loop` guarded by a test that says every value has arrived: `!ok` of a receive, or
// a comparison of a counter of the loop (`n == len(items)`, `len(results) == n`, `remaining == 0`)?
bool ExitAfterAll(const SourceFile& file, Node loop, Node exit) {
  for (Node p = exit.Parent(); !p.IsNull() && !(p == loop); p = p.Parent()) {
    if (!p.Is("if_statement")) continue;
    Node cond = Unparen(p.Field("condition"));
    if (cond.Is("unary_expression") && file.Text(cond.Child(0)) == "!") {
      Node operand = Unparen(cond.Field("operand"));
      const Object* o = operand.Is("identifier") ? file.syntax.Resolve(operand) : nullptr;
      if (o != nullptr && (o->decl.Is("receive_statement") || (!o->value.IsNull() && Unparen(o->value).Is(
                                                                   "unary_expression")))) {
        return true;
      }
      for (Node a : o ? o->assignments : std::vector<Node>()) {
        if (a.Parent().Parent().Is("receive_statement")) return true;
      }
    }
    if (cond.Is("binary_expression")) {
      std::string_view op = file.Text(cond.Field("operator"));
      if (op != "==" && op != ">=" && op != "<=" && op != ">" && op != "<") continue;
      for (Node side : {Unparen(cond.Field("left")), Unparen(cond.Field("right"))}) {
        Node id = side;
        if (side.Is("call_expression") && file.Text(side.Field("function")) == "len") {
          Node args = side.Field("arguments");
          id = args.NamedChildCount() == 1 ? Unparen(args.NamedChild(0)) : Node();
        }
        if (IsCounter(file, loop, id)) return true;
      }
    }
  }
  return false;
}

// An exit of `loop` (return, or a break leaving it) that does not wait for every value, or a null node.
Node EarlyExit(const SourceFile& file, Node loop) {
  Node found;
  TreeCursor cursor(loop.Field("body"));
  cursor.Walk([&](Node n) {
    if (!found.IsNull() || n.Is("func_literal")) return false;
    bool exit = false;
    if (n.Is("return_statement")) {
      exit = true;
    } else if (n.Is("break_statement")) {
      exit = BreakLeaves(file, n, loop);
    } else if (n.Is("goto_statement")) {
      exit = true;
    }
    if (exit && !ExitAfterAll(file, loop, n)) found = n;
    return found.IsNull();
  });
  return found;
}

class SendersOutnumberReceives : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) CheckFile(pkg, *file, sink);
  }

 private:
  // What the package function `target` does with its parameter `index`: only blocking sends that every run of it
  // reaches, directly in its body; nothing; or something else.
  static ParamSends UseOfParam(const FunctionRef& target, int index) {
    return SendsOnParam(target, index, [&](const ChannelOp& op) {
      return BlockingSend(op) && op.go.IsNull() && op.function == target.decl &&
             SendsUnconditionally(*target.file, target.decl, op.node);
    });
  }

  void CheckFile(const Package& pkg, const SourceFile& file, FindingSink& sink) const {
    for (const Channel& ch : FileChannels(file)) {
      if (ch.make.IsNull() || ch.object->kind != ObjectKind::kVar) continue;
      if (InMain(file, ch.make)) continue;  // the program ends with main: nothing outlives it
      if (!ch.object->assignments.empty()) continue;  // reassigned: which channel is which is unclear
      const Node fn = ch.object->function;
      if (fn.IsNull() || !fn.Contains(ch.make)) continue;
      std::vector<Node> sender_gos;  // go statements (in a loop) that send
      std::string_view callee;       // the worker, for `go worker(ch)`
      std::vector<const ChannelOp*> receives;
      bool bail = false;
      for (const ChannelOp& op : ch.ops) {
        switch (op.kind) {
          case ChannelOp::Kind::kSend:
            if (op.go.IsNull() || !BlockingSend(op) || !(EnclosingFunction(op.go) == fn) ||
                !SendsUnconditionally(file, GoFuncLiteral(op.go), op.node)) {
              bail = true;
            } else if (std::find(sender_gos.begin(), sender_gos.end(), op.go) == sender_gos.end()) {
              sender_gos.push_back(op.go);
            }
            break;
          case ChannelOp::Kind::kReceive:
          case ChannelOp::Kind::kRange:
            if (!op.go.IsNull() || !(op.function == fn)) bail = true;  // someone else may drain it
            receives.push_back(&op);
            break;
          case ChannelOp::Kind::kEscape: {
            Node go = op.node.Parent();
            if (op.node.Is("call_expression") && go.Is("go_statement") && GoCall(go) == op.node &&
                EnclosingFunction(go) == fn) {
              if (auto target = pkg.Target(file, op.node)) {
                ParamSends use = UseOfParam(*target, ArgIndex(op.node, op.ident));
                if (use == ParamSends::kSends) {
                  sender_gos.push_back(go);
                  callee = FunctionName(target->decl, target->file->source());
                  break;
                }
                if (use == ParamSends::kNone) break;
              }
            }
            bail = true;
            break;
          }
          case ChannelOp::Kind::kClose:
          case ChannelOp::Kind::kNeutral:
            break;
        }
        if (bail) break;
      }
      if (bail || sender_gos.empty() || receives.empty()) continue;  // no receive at all: LH001's case

      // The loop that starts the senders, and how often it runs when that is known.
      Node go = sender_gos.front();
      std::vector<Node> sender_loops = LoopsAround(go, fn, ch.make);
      if (sender_loops.empty()) continue;
      Node sender_loop = sender_loops.front();
      std::optional<int64_t> count = LoopCount(file, sender_loop);
      if (count && *count <= 1) continue;

      // Receives inside a loop that does not start the senders drain them, unless that loop can leave early.
      int straight = 0;
      Node receive_loop, early_exit, receive_at;
      bool drained = false;
      for (const ChannelOp* r : receives) {
        std::vector<Node> loops = LoopsAround(r->node, fn, ch.make);
        bool shares_loop = false;
        for (Node l : loops) shares_loop = shares_loop || l.Contains(go);
        if (shares_loop) {
          drained = true;  // one receive per iteration of the loop that starts the senders
          break;
        }
        if (r->kind == ChannelOp::Kind::kRange) loops.insert(loops.begin(), r->node);
        if (loops.empty()) {
          ++straight;
          if (receive_at.IsNull()) receive_at = r->node;
          continue;
        }
        Node exit = EarlyExit(file, loops.front());
        if (exit.IsNull() || loops.size() > 1) {
          drained = true;
          break;
        }
        if (receive_loop.IsNull()) {
          receive_loop = loops.front();
          early_exit = exit;
        }
      }
      if (drained) continue;
      int64_t capacity = 0;
      if (ch.buffered) {
        auto cap = ch.capacity ? ch.capacity : ConstInt(file, ch.make.Field("arguments").NamedChild(1));
        if (!cap || !count) continue;
        capacity = *cap;
      }
      std::string fname(FunctionName(fn, file.source()));
      std::string who = fname.empty() ? "the enclosing function" : fname;
      std::string why;
      if (!receive_loop.IsNull()) {
        if (count && *count <= capacity + 1) continue;
        why = fmt::format("the receive loop at line {} can leave at line {} before every sender has sent",
                          LineOf(file, receive_loop), LineOf(file, early_exit));
      } else {
        if (count ? *count <= capacity + straight : straight != 1) continue;
        why = straight == 1
                  ? fmt::format("{} receives from it only once (line {})", who, LineOf(file, receive_at))
                  : fmt::format("{} receives from it only {} times", who, straight);
      }
      std::string elem = ch.elem_type.IsNull() ? "T" : std::string(file.Text(ch.elem_type));
      std::string kind = ch.buffered ? fmt::format("channel {} with buffer {}", ch.object->name, capacity)
                                     : fmt::format("unbuffered channel {}", ch.object->name);
      std::string who_sends = callee.empty() ? "goroutines" : fmt::format("goroutines running {}", callee);
      std::string runs = count ? fmt::format(" ({} of them)", *count) : std::string();
      sink.Report(file, go,
                  fmt::format("{} started in the loop at line {}{} send on {} (made at line {}), but {}: the "
                              "remaining senders block forever; buffer it for every sender or receive once per "
                              "goroutine",
                              who_sends, LineOf(file, sender_loop), runs, kind, LineOf(file, ch.make), why),
                  fmt::format("make(chan {}, n) with n the number of goroutines", elem));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewSendersOutnumberReceives() { return std::make_unique<SendersOutnumberReceives>(); }

}  // namespace leakhound::scan
