// LH013 nil-channel: sends, receives and ranges on a channel declared `var ch chan T` that is never made nor assigned
// (a local one, or an unexported package-level one that no file of the package assigns; a select case on it only
// counts when the select has no other case), close of such a channel, and `select {}` in a goroutine (a
// `go func() {...}()` literal) outside func main of package main. A `select {}` run by the caller itself (TestMain, a
// child-process entry point, a stub that must never return, parking while another goroutine exits the process) is
// deliberate: measured on GOROOT and client-go, all 14 such findings were.
#include <fmt/format.h>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"

namespace leakhound::scan {

namespace {

class NilChannel : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    CheckPackageLevel(pkg, sink);
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
      for (const ChannelOp& op : ch.ops) ReportNilOp(file, op, *ch.object, file, sink);
    }
  }

  // Package-level `var ch chan T` with no value that no file of the package assigns or takes the address of. Only
  // unexported ones: another package may assign an exported variable.
  static void CheckPackageLevel(const Package& pkg, FindingSink& sink) {
    for (const SourceFile* file : pkg.files) {
      for (const Object& obj : file->syntax.objects()) {
        if (!obj.package_level || obj.kind != ObjectKind::kVar || !obj.type.Is("channel_type")) continue;
        if (!obj.value.IsNull() || !obj.assignments.empty() || obj.address_taken || !obj.decl.Is("var_spec")) continue;
        if (obj.name.empty() || obj.name == "_" || (obj.name[0] >= 'A' && obj.name[0] <= 'Z')) continue;
        for (Node use : obj.uses) {
          if (const SourceFile* in = pkg.FileOf(use)) ReportNilOp(*in, ChannelOpOf(*in, obj, use), obj, *file, sink);
        }
      }
    }
  }

  // Reports `op` (in `file`) when it blocks or panics on the nil channel `obj`, declared in `decl_file`.
  static void ReportNilOp(const SourceFile& file, const ChannelOp& op, const Object& obj, const SourceFile& decl_file,
                          FindingSink& sink) {
    const char* what = nullptr;
    switch (op.kind) {
      case ChannelOp::Kind::kSend: what = "send on"; break;
      case ChannelOp::Kind::kReceive: what = "receive from"; break;
      case ChannelOp::Kind::kRange: what = "range over"; break;
      case ChannelOp::Kind::kClose: what = "close of"; break;
      default: break;
    }
    if (what == nullptr) return;
    // A nil channel in a select case just disables the case; only a select with nothing else blocks.
    if (!op.select.IsNull() && SelectHasOtherCase(op.select, op.select_case)) return;
    Node at = op.kind == ChannelOp::Kind::kRange ? op.node.ChildOfType("range_clause") : op.node;
    std::string effect = op.kind == ChannelOp::Kind::kClose ? "panics" : "blocks forever";
    Node elem_type = obj.type.Field("value");
    std::string elem(elem_type.IsNull() ? "T" : decl_file.Text(elem_type));
    std::string where = &decl_file == &file
                            ? fmt::format("line {}", LineOf(file, obj.ident))
                            : fmt::format("{}:{}", decl_file.display, LineOf(decl_file, obj.ident));
    std::string fix = obj.package_level ? fmt::format("{} = make(chan {}) before it is used", obj.name, elem)
                                        : fmt::format("{} := make(chan {})", obj.name, elem);
    sink.Report(file, at.IsNull() ? op.node : at,
                fmt::format("{} nil channel {} {}: it is declared at {} but never made; use {}", what, obj.name,
                            effect, where, fix),
                obj.package_level ? fmt::format("{} = make(chan {})", obj.name, elem) : fix);
    // `var ch chan T` -> `var ch = make(chan T)`, when the declaration is in this file and declares ch alone.
    if (&decl_file == &file && obj.decl.Is("var_spec") && FieldAll(obj.decl, "name").size() == 1 && obj.type) {
      Fix make;
      make.description = fmt::format("Make channel {} where it is declared", obj.name);
      make.edits.push_back(MakeEdit(file, obj.type.StartByte(), obj.type.EndByte(),
                                    fmt::format("= make({})", file.Text(obj.type))));
      sink.FixLast(file, std::move(make));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewNilChannel() { return std::make_unique<NilChannel>(); }

}  // namespace leakhound::scan
