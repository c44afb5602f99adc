// LH024 consumer-leaves-early: F makes a channel, starts a goroutine that sends on it in a loop (in its own body, or
// in a package function it passes the channel to) with plain sends, and ranges over the channel itself; the range
// body can leave (return, break, goto) before the channel is closed. After that nothing receives: once the buffer (if
// any) is full, the producer's send blocks forever, and the goroutine with everything it references stays.
//
// Only when the consumer's range is the channel's one receive (a second range or receive may be the drain), no other
// goroutine receives, the channel goes nowhere else, and a buffer, if any, has a constant size (a buffer sized from
// the input may hold every value).
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

// The first statement in `loop`'s body (not in nested function literals) that leaves it before the range ends: a
// return, a goto, or a break out of it. Panics and exits end more than the loop and are not counted.
Node EarlyExit(const SourceFile& file, Node loop) {
  Node found;
  TreeCursor cursor(loop.Field("body"));
  cursor.Walk([&](Node n) {
    if (found || n.Is("func_literal")) return false;
    if (n.Is("return_statement") || n.Is("goto_statement") ||
        (n.Is("break_statement") && BreakLeaves(file, n, loop))) {
      found = n;
    }
    return found.IsNull();
  });
  return found;
}

class ConsumerLeavesEarly : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      for (const Channel& ch : FileChannels(*file)) CheckChannel(pkg, *file, ch, sink);
    }
  }

 private:
  struct Producer {
    Node at;         // the send, or the call that passes the channel on
    Node loop;       // the loop around the send
    std::string by;  // "" for a send of its own, else the function it calls
  };

  static void CheckChannel(const Package& pkg, const SourceFile& file, const Channel& ch, FindingSink& sink) {
    if (ch.make.IsNull() || ch.object->kind != ObjectKind::kVar || InMain(file, ch.make)) return;
    if (ch.buffered && !ConstantCapacity(file, ch.make)) return;
    std::vector<Producer> producers;
    const ChannelOp* range = nullptr;
    for (const ChannelOp& op : ch.ops) {
      switch (op.kind) {
        case ChannelOp::Kind::kNeutral: break;
        case ChannelOp::Kind::kClose: break;
        case ChannelOp::Kind::kSend:
          if (op.go.IsNull()) return;  // F sends too: not only a producer goroutine's channel
          if (BlockingSend(op) && !op.loop.IsNull() && op.go.Contains(op.loop)) {
            producers.push_back({op.node, op.loop, {}});
          } else if (BlockingSend(op)) {
            return;  // a single send: LH001's case
          }
          break;
        case ChannelOp::Kind::kReceive:
          return;  // a receive besides the range (maybe the drain), or another consumer
        case ChannelOp::Kind::kRange:
          if (!op.go.IsNull() || range != nullptr) return;
          range = &op;
          break;
        case ChannelOp::Kind::kEscape: {
          if (op.go.IsNull() || !op.node.Is("call_expression")) return;
          auto target = pkg.Target(file, op.node);
          if (!target) return;
          const std::vector<ChannelOp>* ops = ParamChannelOps(*target, ArgIndex(op.node, op.ident));
          if (ops == nullptr) return;
          Node loop;
          for (const ChannelOp& p : *ops) {
            if (p.kind == ChannelOp::Kind::kNeutral || p.kind == ChannelOp::Kind::kClose) continue;
            if (!BlockingSend(p) || !p.go.IsNull()) return;  // receives, passes on, or sends with a way out
            if (!p.loop.IsNull()) loop = p.loop;
          }
          if (loop.IsNull()) return;
          producers.push_back({op.node, loop, std::string(FunctionName(target->decl, target->file->source()))});
          break;
        }
      }
    }
    if (producers.empty() || range == nullptr) return;
    Node loop = range->node;
    Node exit = EarlyExit(file, loop);
    if (!exit) return;
    const std::string_view name = ch.object->name;
    const std::string_view how = exit.Is("return_statement") ? "return" : exit.Is("goto_statement") ? "jump" : "break";
    for (const Producer& p : producers) {
      const std::string who = p.by.empty() ? "goroutine sends" : fmt::format("goroutine's {} sends", p.by);
      sink.Report(file, p.at,
                  fmt::format("{} on {} in a loop, but the range over {} at line {} can {} at line {} before the "
                              "channel is drained: the sender then blocks forever{}; give the send a way out (select on "
                              "ctx.Done() or a done channel the consumer closes) or drain {} before leaving",
                              who, name, name, LineOf(file, loop), how, LineOf(file, exit),
                              ch.buffered ? " once the buffer is full" : "", name),
                  fmt::format("select {{ case {} <- v: case <-ctx.Done(): return }}", name));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewConsumerLeavesEarly() { return std::make_unique<ConsumerLeavesEarly>(); }

}  // namespace leakhound::scan
