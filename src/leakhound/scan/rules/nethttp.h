// Syntactic helpers for the net/http, context and os/exec rules (LH007, LH008, LH009, LH012): is a type node
// http.Server / *http.Request / context.Context however the package was imported, is a function an HTTP handler, which
// parameters a function has. Pure functions over a resolved SourceFile; the returned Nodes and Objects live as long as
// the file.
#ifndef LEAKHOUND_SCAN_RULES_NETHTTP_H_
#define LEAKHOUND_SCAN_RULES_NETHTTP_H_

#include <string_view>

#include "leakhound/scan/package.h"

namespace leakhound::scan {

// Is `type` the named type `path`.`name` ("net/http", "Server"), written `http.Server`, `h.Server` (import alias) or
// `Server` (dot import)?
bool IsNamedType(const SourceFile& file, Node type, std::string_view path, std::string_view name);
// Is `type` `*path.name`?
bool IsPointerTo(const SourceFile& file, Node type, std::string_view path, std::string_view name);

// The parameter of function `fn` (declaration or literal) whose type satisfies `pred`, named and not `_`; nullptr if
// none.
template <typename Pred>
const Object* ParamWhere(const SourceFile& file, Node fn, Pred pred) {
  Node params = fn.Field("parameters");
  for (uint32_t i = 0, n = params.NamedChildCount(); i < n; ++i) {
    Node p = params.NamedChild(i);
    if (!p.Is("parameter_declaration") || !pred(p.Field("type"))) continue;
    for (Node name : FieldAll(p, "name")) {
      if (file.Text(name) == "_") continue;
      if (const Object* o = file.syntax.Declared(name)) return o;
    }
  }
  return nullptr;
}

// A named context.Context parameter of `fn`, or nullptr.
const Object* ContextParam(const SourceFile& file, Node fn);
// A named *http.Request parameter of `fn`, or nullptr.
const Object* RequestParam(const SourceFile& file, Node fn);

// Is `fn` an HTTP handler: exactly two parameters, http.ResponseWriter and *http.Request (names optional)?
bool IsHandlerFunc(const SourceFile& file, Node fn);

// Is `call` context.Background() or context.TODO()?
bool IsBackgroundCall(const SourceFile& file, Node call);

// Is `call` context.WithTimeout/WithDeadline (or their Cause variants) — a context with a deadline?
bool IsWithDeadlineCall(const SourceFile& file, Node call);

// The parent of `n`, skipping parentheses.
Node ParentOutsideParens(Node n);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_NETHTTP_H_
