// LH013 nil-channel: sends, receives and ranges on a local channel declared `var ch chan T` that is never made nor
// assigned (a select case on it only counts when the select has no other case), close of such a channel, and
// `select {}` in a goroutine (a `go func() {...}()` literal) outside func main of package main. A `select {}` run by
// the caller itself (TestMain, a child-process entry point, a stub that must never return, parking while another
// goroutine exits the process) is deliberate: measured on GOROOT and client-go, all 14 such findings were.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

class NilChannel : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      CheckNil(*file, sink);
      for (Node sel : FindAll(file->root(), "select_statement", IntoLiterals::kYes)) {
        if (!sel.ChildOfType("communication_case").IsNull() || !sel.ChildOfType("default_case").IsNull()) continue;
        if (InMain(*file, sel) || EnclosingGo(sel).IsNull()) continue;
        sink.Report(*file, sel,
                    "select {} blocks forever: the goroutine that runs it leaks; wait on "
                    "ctx.Done() or a done channel instead",
                    "<-ctx.Done()");
      }
    }
  }

 private:
  static void CheckNil(const SourceFile& file, FindingSink& sink) {
    for (const Channel& ch : FileChannels(file)) {
      if (!ch.declared_nil) continue;
      for (const ChannelOp& op : ch.ops) {
        const char* what = nullptr;
        switch (op.kind) {
          case ChannelOp::Kind::kSend: what = "send on"; break;
          case ChannelOp::Kind::kReceive: what = "receive from"; break;
          case ChannelOp::Kind::kRange: what = "range over"; break;
          case ChannelOp::Kind::kClose: what = "close of"; break;
          default: break;
        }
        if (what == nullptr) continue;
        // A nil channel in a select case just disables the case; only a select with nothing else blocks.
        if (!op.select.IsNull() && SelectHasOtherCase(op.select, op.select_case)) continue;
        Node at = op.kind == ChannelOp::Kind::kRange ? op.node.ChildOfType("range_clause") : op.node;
        std::string effect = op.kind == ChannelOp::Kind::kClose ? "panics" : "blocks forever";
        sink.Report(file, at.IsNull() ? op.node : at,
                    fmt::format("{} nil channel {} {}: it is declared at line {} but never made; use "
                                "{} := make(chan {})",
                                what, ch.object->name, effect, LineOf(file, ch.object->ident), ch.object->name,
                                ch.elem_type.IsNull() ? "T" : file.Text(ch.elem_type)),
                    fmt::format("{} := make(chan {})", ch.object->name,
                                ch.elem_type.IsNull() ? "T" : file.Text(ch.elem_type)));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewNilChannel() { return std::make_unique<NilChannel>(); }

}  // namespace leakhound::scan
