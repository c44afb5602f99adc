#include "leakhound/scan/facts.h"

#include <array>
#include <string_view>

#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

constexpr std::array<std::string_view, 6> kWithCancel = {
    "context.WithCancel",      "context.WithTimeout",      "context.WithDeadline",
    "context.WithCancelCause", "context.WithTimeoutCause", "context.WithDeadlineCause"};

// Steps up through parentheses.
Node ParentSkippingParens(Node n) {
  Node p = n.Parent();
  while (p.Is("parenthesized_expression")) p = p.Parent();
  return p;
}

bool IsMakeChan(const SourceFile& file, Node value, Node* type, Node* capacity) {
  value = Unparen(value);
  if (!value.Is("call_expression")) return false;
  Callee c = ResolveCallee(file, value);
  if (c.kind != Callee::Kind::kBuiltin || c.name != "make") return false;
  Node args = value.Field("arguments");
  std::vector<Node> a;
  for (uint32_t i = 0, n = args.NamedChildCount(); i < n; ++i) {
    if (!args.NamedChild(i).Is("comment")) a.push_back(args.NamedChild(i));
  }
  if (a.empty() || !a[0].Is("channel_type")) return false;
  *type = a[0];
  *capacity = a.size() > 1 ? a[1] : Node();
  return true;
}


}  // namespace

ChannelOp ChannelOpOf(const SourceFile& file, const Object& obj, Node use) {
  ChannelOp op;
  op.ident = use;
  Node p = ParentSkippingParens(use);
  if (p.Is("send_statement") && Unparen(p.Field("channel")).Contains(use) &&
      Unparen(p.Field("channel")).StartByte() == use.StartByte()) {
    op.kind = ChannelOp::Kind::kSend;
    op.node = p;
  } else if (p.Is("unary_expression") && file.Text(p.Child(0)) == "<-") {
    op.kind = ChannelOp::Kind::kReceive;
    op.node = p;
  } else if (p.Is("range_clause") && Unparen(p.Field("right")).StartByte() == use.StartByte()) {
    op.kind = ChannelOp::Kind::kRange;
    op.node = p.Parent();
  } else if (p.Is("argument_list")) {
    Node call = p.Parent();
    Callee c = ResolveCallee(file, call);
    op.node = call;
    if (c.kind == Callee::Kind::kBuiltin && c.name == "close") {
      op.kind = ChannelOp::Kind::kClose;
    } else if (c.kind == Callee::Kind::kBuiltin && (c.name == "len" || c.name == "cap")) {
      op.kind = ChannelOp::Kind::kNeutral;
    } else {
      op.kind = ChannelOp::Kind::kEscape;
    }
  } else if (p.Is("binary_expression")) {
    op.kind = ChannelOp::Kind::kNeutral;  // ch == nil
    op.node = p;
  } else {
    op.kind = ChannelOp::Kind::kEscape;  // returned, assigned, stored in a literal, ...
    op.node = p;
  }
  op.function = EnclosingFunction(use);
  op.go = EnclosingGo(use, obj.function);
  op.loop = EnclosingLoop(op.node);
  if (op.kind == ChannelOp::Kind::kSend || op.kind == ChannelOp::Kind::kReceive) {
    op.select = SelectOfCommunication(op.node, &op.select_case);
  }
  op.deferred = !EnclosingOfType(use, "defer_statement", obj.function).IsNull();
  return op;
}

size_t Channel::Count(ChannelOp::Kind k) const {
  size_t n = 0;
  for (const ChannelOp& op : ops) n += op.kind == k;
  return n;
}

Node SelectOfCommunication(Node op_node, Node* select_case) {
  Node p = op_node.Parent();
  if (op_node.Is("unary_expression")) {
    if (!p.Is("receive_statement")) return {};
    p = p.Parent();
  }
  if (!p.Is("communication_case")) return {};
  if (select_case) *select_case = p;
  return p.Parent().Is("select_statement") ? p.Parent() : Node();
}

bool SelectHasOtherCase(Node select, Node except) {
  for (uint32_t i = 0, n = select.NamedChildCount(); i < n; ++i) {
    Node c = select.NamedChild(i);
    if ((c.Is("communication_case") || c.Is("default_case")) && !(c == except)) return true;
  }
  return false;
}

std::vector<Channel> CollectChannels(const SourceFile& file, IncludePackageLevel package_level) {
  std::vector<Channel> out;
  for (const Object& obj : file.syntax.objects()) {
    if (obj.kind != ObjectKind::kVar && obj.kind != ObjectKind::kParam) continue;
    if (obj.package_level && package_level == IncludePackageLevel::kNo) continue;
    Channel ch;
    ch.object = &obj;
    Node type, capacity;
    if (obj.kind == ObjectKind::kVar && !obj.value.IsNull() && obj.value_index == 0 &&
        IsMakeChan(file, obj.value, &type, &capacity)) {
      ch.make = Unparen(obj.value);
      ch.elem_type = type.Field("value");
      if (!capacity.IsNull()) {
        std::string_view cap = file.Text(capacity);
        if (capacity.Is("int_literal")) ch.capacity = static_cast<int64_t>(util::ParseUint(cap).value_or(1));
        ch.buffered = !(capacity.Is("int_literal") && ch.capacity == 0);
      }
    } else if (obj.type.Is("channel_type")) {
      ch.elem_type = obj.type.Field("value");
      ch.declared_nil = obj.kind == ObjectKind::kVar && obj.value.IsNull() && obj.decl.Is("var_spec") &&
                        obj.assignments.empty() && !obj.address_taken;
    } else {
      continue;
    }
    for (Node use : obj.uses) ch.ops.push_back(ChannelOpOf(file, obj, use));
    out.push_back(std::move(ch));
  }
  return out;
}

bool IsContextType(const SourceFile& file, Node type) {
  if (type.Is("qualified_type")) {
    return file.imports.PathOf(file.Text(type.Field("package"))) == "context" &&
           file.Text(type.Field("name")) == "Context";
  }
  if (type.Is("type_identifier")) {
    for (const std::string& d : file.imports.dot) {
      if (d == "context" && file.Text(type) == "Context") return true;
    }
  }
  return false;
}

ContextFacts CollectContexts(const SourceFile& file) {
  ContextFacts out;
  for (const Object& obj : file.syntax.objects()) {
    if (obj.kind == ObjectKind::kParam && IsContextType(file, obj.type)) out.ctx_params.push_back(&obj);
  }
  for (Node call : FindAll(file.root(), "call_expression", IntoLiterals::kYes)) {
    Node fn = Unparen(call.Field("function"));
    if (!fn.Is("selector_expression") && !(fn.Is("identifier") && !file.imports.dot.empty())) continue;
    bool with_cancel = false;
    for (std::string_view name : kWithCancel) with_cancel = with_cancel || CallIs(file, call, name);
    if (!with_cancel) continue;
    CancelFunc cf;
    cf.call = call;
    Node list = ParentSkippingParens(call);
    Node decl = list.Parent();
    cf.decl = decl;
    if (!list.Is("expression_list") || !(decl.Is("short_var_declaration") || decl.Is("assignment_statement") ||
                                         decl.Is("var_spec"))) {
      cf.escapes = true;  // returned directly, passed on
      out.cancels.push_back(std::move(cf));
      continue;
    }
    Node left = decl.Is("var_spec") ? Node() : decl.Field("left");
    std::vector<Node> names = decl.Is("var_spec") ? FieldAll(decl, "name") : std::vector<Node>();
    if (!left.IsNull()) {
      for (uint32_t i = 0, n = left.NamedChildCount(); i < n; ++i) names.push_back(left.NamedChild(i));
    }
    if (names.size() != 2) continue;
    Node cancel = names[1];
    if (file.Text(cancel) == "_") {
      out.cancels.push_back(std::move(cf));  // discarded
      continue;
    }
    cf.object = file.syntax.Declared(cancel);
    if (cf.object == nullptr) cf.object = file.syntax.Resolve(cancel);
    if (cf.object == nullptr) continue;
    for (Node use : cf.object->uses) {
      Node p = ParentSkippingParens(use);
      if (p.Is("call_expression") && Unparen(p.Field("function")).StartByte() == use.StartByte()) {
        cf.calls.push_back(p);
        if (ParentSkippingParens(p).Is("defer_statement") || !EnclosingOfType(p, "defer_statement").IsNull()) {
          cf.deferred.push_back(p);
        }
      } else {
        cf.escapes = true;
      }
    }
    out.cancels.push_back(std::move(cf));
  }
  return out;
}

const std::vector<Channel>& FileChannels(const SourceFile& file) {
  FileFacts& f = *file.facts;
  std::call_once(f.channels_once, [&] { f.channels = CollectChannels(file); });
  return f.channels;
}

const ContextFacts& FileContexts(const SourceFile& file) {
  FileFacts& f = *file.facts;
  std::call_once(f.contexts_once, [&] { f.contexts = CollectContexts(file); });
  return f.contexts;
}

}  // namespace leakhound::scan
