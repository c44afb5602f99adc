// LH003 range-unclosed: `for range ch` over a channel made in this function that nothing closes: not this function
// (directly, deferred, or in a closure), and not a package function it is handed to (followed one level). A channel
// that escapes anywhere else (returned, stored, passed to an unknown function) may be closed there, and a loop with a
// way out (a return or break on a sentinel value or a deadline) may end without the close: neither is reported.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

class RangeUnclosed : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) CheckFile(pkg, *file, sink);
  }

 private:
  enum class ParamUse { kNone, kCloses, kRanges, kUnknown };

  // What the package function does with its parameter number `index`.
  static ParamUse UseOfParam(const FunctionRef& target, int index) {
    const std::vector<ChannelOp>* ops = ParamChannelOps(target, index);
    if (ops == nullptr) return ParamUse::kUnknown;
    ParamUse use = ParamUse::kNone;
    for (const ChannelOp& op : *ops) {
      if (op.kind == ChannelOp::Kind::kClose) return ParamUse::kCloses;
      if (op.kind == ChannelOp::Kind::kEscape) return ParamUse::kUnknown;
      if (op.kind == ChannelOp::Kind::kRange) {
        // A loop that returns or breaks on a sentinel or a deadline may end without the close.
        if (LoopHasExit(*target.file, op.node)) return ParamUse::kUnknown;
        use = ParamUse::kRanges;
      }
    }
    return use;
  }

  void CheckFile(const Package& pkg, const SourceFile& file, FindingSink& sink) const {
    for (const Channel& ch : FileChannels(file)) {
      if (ch.make.IsNull() || ch.object->kind != ObjectKind::kVar) continue;
      if (InMain(file, ch.make)) continue;  // the program ends with main: nothing outlives it
      bool closed = false, unknown = false;
      std::vector<Node> ranged_in_callee;  // go consume(ch) where consume ranges over it
      std::vector<std::string_view> callees;
      for (const ChannelOp& op : ch.ops) {
        if (op.kind == ChannelOp::Kind::kClose) closed = true;
        if (op.kind != ChannelOp::Kind::kEscape) continue;
        std::optional<FunctionRef> target;
        if (op.node.Is("call_expression")) target = pkg.Target(file, op.node);
        if (!target) {
          unknown = true;
          continue;
        }
        switch (UseOfParam(*target, ArgIndex(op.node, op.ident))) {
          case ParamUse::kCloses: closed = true; break;
          case ParamUse::kUnknown: unknown = true; break;
          case ParamUse::kRanges:
            ranged_in_callee.push_back(op.node);
            callees.push_back(FunctionName(target->decl, target->file->source()));
            break;
          case ParamUse::kNone: break;
        }
      }
      if (closed || unknown) continue;
      for (const ChannelOp& op : ch.ops) {
        if (op.kind != ChannelOp::Kind::kRange) continue;
        if (LoopHasExit(file, op.node)) continue;  // it can end without the close: a sentinel, a deadline
        bool in_goroutine = !op.go.IsNull();
        Node header = op.node.ChildOfType("range_clause");
        sink.ReportRange(
            file, op.node.StartByte(), header.IsNull() ? op.node.StartByte() + 3 : header.EndByte(),
            fmt::format("range over channel {} never ends: nothing closes it (made at line {}), so {} blocks "
                        "forever after the last value; close it where the last send happens (defer close({}))",
                        ch.object->name, LineOf(file, ch.make),
                        in_goroutine ? "this goroutine" : "this loop", ch.object->name),
            fmt::format("defer close({})", ch.object->name));
      }
      for (size_t i = 0; i < ranged_in_callee.size(); ++i) {
        sink.Report(file, ranged_in_callee[i],
                    fmt::format("{} ranges over channel {}, which nothing closes (made at line {}): that loop "
                                "never ends; close {} after the last send",
                                callees[i], ch.object->name, LineOf(file, ch.make), ch.object->name),
                    fmt::format("defer close({})", ch.object->name));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewRangeUnclosed() { return std::make_unique<RangeUnclosed>(); }

}  // namespace leakhound::scan
