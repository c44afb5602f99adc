#include "leakhound/scan/rules/helpers.h"

#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

bool IsFatalCall(const SourceFile& file, Node call) {
  Callee c = ResolveCallee(file, call);
  if (c.kind == Callee::Kind::kBuiltin) return c.name == "panic";
  if (c.kind == Callee::Kind::kImported) {
    return c.qualified == "os.Exit" || c.qualified == "runtime.Goexit" || c.qualified.rfind("log.Fatal", 0) == 0 ||
           c.qualified.rfind("log.Panic", 0) == 0;
  }
  if (c.kind == Callee::Kind::kMethod) return c.name.rfind("Fatal", 0) == 0 || c.name == "FailNow" ||
                                              c.name == "SkipNow" || c.name.rfind("Skip", 0) == 0;
  return false;
}

// The label of a labeled loop, or "".
std::string_view LabelOf(const SourceFile& file, Node loop) {
  Node p = loop.Parent();
  if (p.Is("labeled_statement")) return file.Text(p.Field("label"));
  return {};
}

}  // namespace

bool BreakLeaves(const SourceFile& file, Node brk, Node loop) {
  if (Node l = brk.ChildOfType("label_name"); !l.IsNull()) {
    std::string_view label = LabelOf(file, loop);
    return !label.empty() && file.Text(l) == label;
  }
  // An unlabeled break leaves the innermost for/switch/select.
  Node p = brk.Parent();
  while (!p.IsNull() && !p.Is("for_statement") && !p.Is("expression_switch_statement") &&
         !p.Is("type_switch_statement") && !p.Is("select_statement")) {
    p = p.Parent();
  }
  return p == loop;
}

bool LoopHasExit(const SourceFile& file, Node loop) {
  bool exit = false;
  Node body = loop.Field("body");
  TreeCursor cursor(body);
  cursor.Walk([&](Node n) {
    if (exit) return false;
    if (n.Is("func_literal")) return false;
    if (n.Is("return_statement") || n.Is("goto_statement")) {
      exit = true;
    } else if (n.Is("call_expression") && IsFatalCall(file, n)) {
      exit = true;
    } else if (n.Is("break_statement")) {
      exit = BreakLeaves(file, n, loop);
    }
    return !exit;
  });
  return exit;
}

bool ContainsReturn(const SourceFile& file, Node n) {
  bool found = false;
  TreeCursor cursor(n);
  cursor.Walk([&](Node x) {
    if (found || (x.Is("func_literal") && !(x == n))) return false;
    if (x.Is("return_statement") || x.Is("goto_statement") || (x.Is("call_expression") && IsFatalCall(file, x))) {
      found = true;
    }
    return !found;
  });
  return found;
}

std::vector<Node> ReturnsBetween(Node fn, uint32_t from, uint32_t to) {
  std::vector<Node> out;
  for (Node r : FindAll(fn.Field("body"), "return_statement")) {
    if (r.StartByte() >= from && r.StartByte() < to && r.EndByte() <= to) out.push_back(r);
  }
  return out;
}

bool BlockingSend(const ChannelOp& op) {
  return op.kind == ChannelOp::Kind::kSend && (op.select.IsNull() || !SelectHasOtherCase(op.select, op.select_case));
}

const std::vector<ChannelOp>* ParamChannelOps(const FunctionRef& target, int index) {
  static const std::vector<ChannelOp> kNone;
  if (index < 0) return nullptr;
  const Object* param = ParamAt(*target.file, target.decl, static_cast<size_t>(index));
  if (param == nullptr) return &kNone;
  for (const Channel& ch : FileChannels(*target.file)) {
    if (ch.object == param) return &ch.ops;
  }
  return &kNone;
}

const Object* ParamAt(const SourceFile& file, Node decl, size_t index) {
  Node params = decl.Field("parameters");
  size_t k = 0;
  for (uint32_t i = 0, n = params.NamedChildCount(); i < n; ++i) {
    Node p = params.NamedChild(i);
    if (!p.Is("parameter_declaration") && !p.Is("variadic_parameter_declaration")) continue;
    auto names = FieldAll(p, "name");
    if (names.empty()) {
      if (k++ == index) return nullptr;
      continue;
    }
    for (Node name : names) {
      if (k++ == index) return file.syntax.Declared(name);
    }
  }
  return nullptr;
}

int ArgIndex(Node call, Node arg) {
  Node args = call.Field("arguments");
  int k = 0;
  for (uint32_t i = 0, n = args.NamedChildCount(); i < n; ++i) {
    Node a = args.NamedChild(i);
    if (a.Is("comment")) continue;
    if (a.Contains(arg)) return k;
    ++k;
  }
  return -1;
}

bool InMain(const SourceFile& file, Node n) {
  if (file.package_name != "main") return false;
  for (Node p = n; !p.IsNull(); p = p.Parent()) {
    if (p.Is("function_declaration")) return FunctionName(p, file.source()) == "main";
  }
  return false;
}

}  // namespace leakhound::scan
