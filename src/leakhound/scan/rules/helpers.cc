#include "leakhound/scan/rules/helpers.h"

#include <fmt/format.h>

#include "leakhound/scan/fix.h"

#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/scan/syntax.h"
#include "leakhound/util/strings.h"

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

bool ConstantCapacity(const SourceFile& file, Node make) {
  Node args = make.Field("arguments");
  if (args.NamedChildCount() < 2) return true;
  Node cap = Unparen(args.NamedChild(1));
  if (cap.Is("int_literal")) return true;
  if (!cap.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(cap);
  return o != nullptr && o->kind == ObjectKind::kConst;
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

bool IsMainOrInit(const SourceFile& file, Node fn) {
  if (!fn.Is("function_declaration")) return false;
  std::string_view name = FunctionName(fn, file.source());
  return name == "init" || (name == "main" && file.package_name == "main");
}

namespace {

// A local context variable of `fn` declared before `at` in a block that encloses it.
const Object* LocalContext(const SourceFile& file, Node fn, Node at) {
  for (const Object& o : file.syntax.objects()) {
    if (o.kind != ObjectKind::kVar || !(o.function == fn) || o.ident.StartByte() >= at.StartByte()) continue;
    bool is_ctx = IsContextType(file, o.type);
    Node v = Unparen(o.value);
    if (!is_ctx && v.Is("call_expression") && o.value_index == 0) {
      Callee c = ResolveCallee(file, v);
      is_ctx = (c.kind == Callee::Kind::kImported &&
                (util::StartsWith(c.qualified, "context.With") || c.qualified == "os/signal.NotifyContext")) ||
               (c.kind == Callee::Kind::kMethod && c.name == "Context" && v.Field("arguments").NamedChildCount() == 0);
    }
    if (!is_ctx || o.name == "_") continue;
    // The declaring statement's block must enclose `at`, and the statement itself must not: in
    // `ctx, cancel := context.WithTimeout(context.Background(), d)` the new ctx is not in scope yet.
    Node stmt = o.decl;
    while (!stmt.IsNull() && !(stmt.Parent().Is("statement_list") || stmt.Parent().Is("block"))) stmt = stmt.Parent();
    if (!stmt.IsNull() && stmt.Parent().Contains(at) && !stmt.Contains(at)) return &o;
  }
  return nullptr;
}

}  // namespace

// The context or request in scope at `at`, walking out through func literals but not past a go statement, main,
// init, or a function that calls context.WithoutCancel.
std::optional<InScope> ContextInScope(const SourceFile& file, Node at, bool locals, bool through_go) {
  for (Node fn = EnclosingFunction(at); !fn.IsNull(); fn = EnclosingFunction(fn)) {
    if (IsMainOrInit(file, fn)) return std::nullopt;
    for (Node call : FindAll(fn.Field("body"), "call_expression")) {
      if (CallIs(file, call, "context.WithoutCancel")) return std::nullopt;
    }
    if (const Object* o = ContextParam(file, fn)) return InScope{o, false, fn};
    // A request the function serves (a handler: ResponseWriter and *Request), not one it builds or sends.
    if (const Object* o = RequestParam(file, fn); o && IsHandlerFunc(file, fn)) return InScope{o, true, fn};
    if (locals) {
      if (const Object* o = LocalContext(file, fn, at)) return InScope{o, false, fn};
    }
    if (!fn.Is("func_literal")) return std::nullopt;
    Node p = ParentOutsideParens(fn);
    if (p.Is("call_expression") && ParentOutsideParens(p).Is("go_statement") && !through_go) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace leakhound::scan

namespace leakhound::scan {

std::optional<Fix> SendStopCaseFix(const SourceFile& file, Node send) {
  if (!send.Is("send_statement")) return std::nullopt;
  Node parent = send.Parent();
  if (!parent.Is("statement_list") && !parent.Is("block")) return std::nullopt;
  auto ctx = ContextInScope(file, send, /*locals=*/true, /*through_go=*/true);
  if (!ctx) return std::nullopt;
  const std::string indent = LineIndent(file, send.StartByte());
  if (file.Start(send).line != file.End(send).line) return std::nullopt;
  Fix fix;
  fix.description = fmt::format("Give up the send when {} is done", ctx->Expr());
  fix.edits.push_back(MakeEdit(file, send.StartByte(), send.EndByte(),
                               fmt::format("select {{\n{0}case {1}:\n{0}case <-{2}.Done():\n{0}}}", indent,
                                           file.Text(send), ctx->Expr())));
  return fix;
}

std::optional<Fix> SelectStopCaseFix(const SourceFile& file, Node select_stmt) {
  if (!select_stmt.Is("select_statement")) return std::nullopt;
  Node fn = EnclosingFunction(select_stmt);
  if (fn.IsNull() || !fn.Field("result").IsNull()) return std::nullopt;  // a bare return would not compile
  auto ctx = ContextInScope(file, select_stmt, /*locals=*/true, /*through_go=*/true);
  if (!ctx) return std::nullopt;
  // The closing brace on a line of its own: the new case goes just before it, at the select's indentation.
  const uint32_t close = select_stmt.EndByte() - 1;
  const std::string_view src = file.source();
  if (src[close] != '}') return std::nullopt;
  size_t bol = src.rfind('\n', close);
  if (bol == std::string_view::npos || src.substr(bol + 1, close - bol - 1).find_first_not_of(" \t") !=
                                           std::string_view::npos) {
    return std::nullopt;
  }
  const std::string indent = LineIndent(file, select_stmt.StartByte());
  Fix fix;
  fix.description = fmt::format("Return when {} is done", ctx->Expr());
  fix.edits.push_back(MakeEdit(file, static_cast<uint32_t>(bol + 1), static_cast<uint32_t>(bol + 1),
                               fmt::format("{0}case <-{1}.Done():\n{0}\treturn\n", indent, ctx->Expr())));
  return fix;
}

}  // namespace leakhound::scan
