// LH007 http-server-no-timeouts: an http.Server composite literal (`http.Server{...}`, `&http.Server{...}`, however
// net/http was imported) that sets neither ReadHeaderTimeout nor ReadTimeout, and calls of http.ListenAndServe,
// ListenAndServeTLS, Serve and ServeTLS, which serve with a Server that has no timeouts.
//
// Not reported: a literal whose function assigns `x.ReadHeaderTimeout = ...` or `x.ReadTimeout = ...` (set after the
// literal), or that hands the server it is bound to to a function of the same package (which may configure it); a
// literal or call whose address is a loopback string literal ("localhost:6060", "127.0.0.1:0", "[::1]:8080"); test
// files (servers in tests live as long as the test).
#include <fmt/format.h>

#include <array>

#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

constexpr std::array<std::string_view, 4> kServeFuncs = {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"};

bool IsLoopbackLiteral(const SourceFile& file, Node n) {
  n = Unparen(n);
  if (n.Is("binary_expression")) return IsLoopbackLiteral(file, n.Field("left"));  // "localhost:" + port
  if (!n.Is("interpreted_string_literal") && !n.Is("raw_string_literal")) return false;
  std::string_view s = file.Text(n);
  if (s.size() < 2) return false;
  s = s.substr(1, s.size() - 2);
  return util::StartsWith(s, "localhost:") || util::StartsWith(s, "127.0.0.1:") || util::StartsWith(s, "[::1]:");
}

// Does function `fn` assign a read timeout to some server after the fact: `srv.ReadHeaderTimeout = d`?
bool AssignsReadTimeout(const SourceFile& file, Node fn) {
  for (Node a : FindAll(fn.Field("body"), "assignment_statement", IntoLiterals::kYes)) {
    Node left = a.Field("left");
    for (uint32_t i = 0, n = left.NamedChildCount(); i < n; ++i) {
      Node l = left.NamedChild(i);
      if (!l.Is("selector_expression")) continue;
      std::string_view field = file.Text(l.Field("field"));
      if (field == "ReadHeaderTimeout" || field == "ReadTimeout") return true;
    }
  }
  return false;
}

// The variable a literal is bound to (`srv := &http.Server{}`, `var srv = ...`, `srv = ...`), or nullptr.
const Object* BoundVariable(const SourceFile& file, Node literal) {
  Node e = ParentOutsideParens(literal);
  if (e.Is("unary_expression")) {
    e = ParentOutsideParens(e);
  }
  if (!e.Is("expression_list")) return nullptr;
  Node stmt = e.Parent();
  if (e.NamedChildCount() != 1) return nullptr;
  Node left;
  if (stmt.Is("short_var_declaration") || stmt.Is("assignment_statement")) {
    left = stmt.Field("left");
    if (left.NamedChildCount() != 1) return nullptr;
    left = left.NamedChild(0);
  } else if (stmt.Is("var_spec")) {
    auto names = FieldAll(stmt, "name");
    if (names.size() != 1) return nullptr;
    left = names[0];
  }
  if (!left.Is("identifier")) return nullptr;
  if (const Object* o = file.syntax.Declared(left)) return o;
  return file.syntax.Resolve(left);
}

// Is the server variable handed to a function of this package (e.g. a configure helper) that may set its timeouts?
bool PassedToLocalFunction(const SourceFile& file, const Object* var) {
  for (Node use : var->uses) {
    Node p = ParentOutsideParens(use);
    if (p.Is("unary_expression")) p = ParentOutsideParens(p);  // &srv
    if (!p.Is("argument_list")) continue;
    Callee c = ResolveCallee(file, p.Parent());
    if (c.kind == Callee::Kind::kLocalFunc || c.kind == Callee::Kind::kFuncValue ||
        (c.kind == Callee::Kind::kMethod && !c.receiver.IsNull())) {
      return true;
    }
  }
  return false;
}

class HttpServerNoTimeouts : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      if (file->is_test) continue;
      CheckLiterals(*file, sink);
      CheckCalls(*file, sink);
    }
  }

 private:
  static void CheckLiterals(const SourceFile& file, FindingSink& sink) {
    for (Node lit : FindAll(file.root(), "composite_literal", IntoLiterals::kYes)) {
      if (!IsNamedType(file, lit.Field("type"), "net/http", "Server")) continue;
      Node body = lit.Field("body");
      bool has_timeout = false, positional = false, loopback = false;
      for (uint32_t i = 0, n = body.NamedChildCount(); i < n; ++i) {
        Node el = body.NamedChild(i);
        if (el.Is("literal_element")) positional = true;
        if (!el.Is("keyed_element")) continue;
        std::string_view key = util::Trim(file.Text(el.Field("key")));
        if (key == "ReadHeaderTimeout" || key == "ReadTimeout") has_timeout = true;
        if (key == "Addr" && IsLoopbackLiteral(file, el.Field("value").NamedChild(0))) loopback = true;
      }
      if (has_timeout || positional || loopback) continue;
      Node fn = EnclosingFunction(lit);
      if (!fn.IsNull() && AssignsReadTimeout(file, fn)) continue;
      if (const Object* var = BoundVariable(file, lit); var != nullptr && PassedToLocalFunction(file, var)) continue;
      Node at = ParentOutsideParens(lit).Is("unary_expression") ? ParentOutsideParens(lit) : lit;
      sink.ReportRange(file, at.StartByte(), lit.Field("body").StartByte() + 1,
                       "http.Server without ReadHeaderTimeout or ReadTimeout: a client that sends its headers slowly "
                       "(slowloris) holds a connection goroutine forever; set ReadHeaderTimeout",
                       "ReadHeaderTimeout: 10 * time.Second");
    }
  }

  static void CheckCalls(const SourceFile& file, FindingSink& sink) {
    for (Node call : FindAll(file.root(), "call_expression", IntoLiterals::kYes)) {
      std::string_view which;
      for (std::string_view f : kServeFuncs) {
        if (CallIs(file, call, fmt::format("net/http.{}", f))) which = f;
      }
      if (which.empty()) continue;
      Node args = call.Field("arguments");
      if (args.NamedChildCount() > 0 && IsLoopbackLiteral(file, args.NamedChild(0))) continue;
      sink.Report(file, call,
                  fmt::format("http.{} serves with a Server that has no timeouts: a client that sends its headers "
                              "slowly (slowloris) holds a connection goroutine forever; use an http.Server with "
                              "ReadHeaderTimeout and call its {} method",
                              which, which),
                  fmt::format("srv := &http.Server{{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}}; "
                              "srv.{}(...)",
                              which));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewHttpServerNoTimeouts() { return std::make_unique<HttpServerNoTimeouts>(); }

}  // namespace leakhound::scan
