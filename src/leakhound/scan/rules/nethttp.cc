#include "leakhound/scan/rules/nethttp.h"

#include <vector>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

bool IsNamedType(const SourceFile& file, Node type, std::string_view path, std::string_view name) {
  if (type.Is("parenthesized_type")) type = type.NamedChild(0);
  if (type.Is("qualified_type")) {
    return file.Text(type.Field("name")) == name && file.imports.PathOf(file.Text(type.Field("package"))) == path;
  }
  if (type.Is("type_identifier") && file.Text(type) == name) {
    for (const std::string& d : file.imports.dot) {
      if (d == path) return true;
    }
  }
  return false;
}

bool IsPointerTo(const SourceFile& file, Node type, std::string_view path, std::string_view name) {
  return type.Is("pointer_type") && IsNamedType(file, type.NamedChild(0), path, name);
}

const Object* ContextParam(const SourceFile& file, Node fn) {
  return ParamWhere(file, fn, [&](Node t) { return IsContextType(file, t); });
}

const Object* RequestParam(const SourceFile& file, Node fn) {
  return ParamWhere(file, fn, [&](Node t) { return IsPointerTo(file, t, "net/http", "Request"); });
}

bool IsHandlerFunc(const SourceFile& file, Node fn) {
  Node params = fn.Field("parameters");
  std::vector<Node> types;  // one per parameter
  for (uint32_t i = 0, n = params.NamedChildCount(); i < n; ++i) {
    Node p = params.NamedChild(i);
    if (p.Is("variadic_parameter_declaration")) return false;
    if (!p.Is("parameter_declaration")) continue;
    size_t names = FieldAll(p, "name").size();
    for (size_t k = 0; k < (names == 0 ? 1 : names); ++k) types.push_back(p.Field("type"));
  }
  return types.size() == 2 && IsNamedType(file, types[0], "net/http", "ResponseWriter") &&
         IsPointerTo(file, types[1], "net/http", "Request");
}

bool IsBackgroundCall(const SourceFile& file, Node call) {
  return CallIs(file, call, "context.Background") || CallIs(file, call, "context.TODO");
}

bool IsWithDeadlineCall(const SourceFile& file, Node call) {
  return CallIs(file, call, "context.WithTimeout") || CallIs(file, call, "context.WithDeadline") ||
         CallIs(file, call, "context.WithTimeoutCause") || CallIs(file, call, "context.WithDeadlineCause");
}

Node ParentOutsideParens(Node n) {
  Node p = n.Parent();
  while (p.Is("parenthesized_expression")) p = p.Parent();
  return p;
}

}  // namespace leakhound::scan
