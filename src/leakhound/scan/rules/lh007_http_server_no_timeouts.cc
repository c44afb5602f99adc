// LH007 http-server-no-timeouts: an http.Server composite literal (`http.Server{...}`, `&http.Server{...}`, however
// net/http was imported) that sets neither ReadHeaderTimeout nor ReadTimeout, and calls of http.ListenAndServe,
// ListenAndServeTLS, Serve and ServeTLS, which serve with a Server that has no timeouts.
//
// Not reported: a literal whose function assigns `x.ReadHeaderTimeout = ...` or `x.ReadTimeout = ...` (set after the
// literal), or that hands the server it is bound to to a function of the same package (which may configure it); a
// literal or call whose address is a loopback string literal ("localhost:6060", "127.0.0.1:0", "[::1]:8080"), or is
// built from one (fmt.Sprintf("127.0.0.1:%d", p), net.JoinHostPort("localhost", p)); the Config of an
// httptest.Server (a test server on loopback); test
// files (servers in tests live as long as the test).
//
// Fixes: the literal gets `ReadHeaderTimeout: <scan.fixes.read-header-timeout>` (10 * time.Second by default) as
// its last element; `http.ListenAndServe(addr, h)` becomes `(&http.Server{Addr: addr, Handler: h,
// ReadHeaderTimeout: ...}).ListenAndServe()` (what the package function does, with the timeout), and likewise
// ListenAndServeTLS, Serve and ServeTLS. Both import "time" when the file does not.
#include <fmt/format.h>

#include <array>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

constexpr std::array<std::string_view, 4> kServeFuncs = {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"};

bool IsLoopbackLiteral(const SourceFile& file, Node n, int depth = 0) {
  n = Unparen(n);
  if (n.Is("identifier") && depth < 3) {
    // addr := fmt.Sprintf("127.0.0.1:%d", port): a local set once, from a loopback address.
    const Object* o = file.syntax.Resolve(n);
    if (o == nullptr || !o->assignments.empty() || o->value.IsNull() || o->value_index != 0) return false;
    return IsLoopbackLiteral(file, o->value, depth + 1);
  }
  if (n.Is("binary_expression")) return IsLoopbackLiteral(file, n.Field("left"), depth);  // "localhost:" + port
  if (n.Is("call_expression")) {
    // fmt.Sprintf("127.0.0.1:%d", port); net.JoinHostPort("127.0.0.1", port).
    Node args = n.Field("arguments");
    if (args.NamedChildCount() == 0) return false;
    Node first = Unparen(args.NamedChild(0));
    if (CallIs(file, n, "fmt.Sprintf")) return IsLoopbackLiteral(file, first, depth);
    if (!CallIs(file, n, "net.JoinHostPort")) return false;
    if (!first.Is("interpreted_string_literal") && !first.Is("raw_string_literal")) return false;
    std::string_view host = file.Text(first);
    host = host.size() >= 2 ? host.substr(1, host.size() - 2) : host;
    return host == "localhost" || host == "127.0.0.1" || host == "::1";
  }
  if (!n.Is("interpreted_string_literal") && !n.Is("raw_string_literal")) return false;
  std::string_view s = file.Text(n);
  if (s.size() < 2) return false;
  s = s.substr(1, s.size() - 2);
  return util::StartsWith(s, "localhost:") || util::StartsWith(s, "127.0.0.1:") || util::StartsWith(s, "[::1]:");
}

// Is the literal an httptest.Server's Config (`httptest.Server{Config: &http.Server{...}}`, `ts.Config = ...`)?
bool IsHttptestConfig(const SourceFile& file, Node lit) {
  Node at = ParentOutsideParens(lit);
  if (at.Is("unary_expression")) at = ParentOutsideParens(at);
  if (at.Is("literal_element")) at = at.Parent();  // the keyed element's value
  if (at.Is("keyed_element")) {
    if (util::Trim(file.Text(at.Field("key"))) != "Config") return false;
    Node outer = at.Parent().Parent();  // literal_value -> composite_literal
    return outer.Is("composite_literal") && IsNamedType(file, outer.Field("type"), "net/http/httptest", "Server");
  }
  if (at.Is("expression_list") && at.Parent().Is("assignment_statement")) {
    Node left = at.Parent().Field("left");
    return left.NamedChildCount() == 1 && left.NamedChild(0).Is("selector_expression") &&
           file.Text(left.NamedChild(0).Field("field")) == "Config";
  }
  return false;
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

// The fix for a literal: the timeout as its last element, on a line of its own when the literal spans lines.
std::optional<Fix> LiteralFix(const SourceFile& file, Node lit, const std::string& timeout) {
  Node body = lit.Field("body");
  const std::string element = "ReadHeaderTimeout: " + timeout;
  Fix fix;
  fix.description = "Set ReadHeaderTimeout: " + timeout;
  fix.imports = {"time"};
  const uint32_t close = body.EndByte() - 1;  // the "}"
  Node last;
  for (uint32_t i = 0; i < body.NamedChildCount(); ++i) {
    if (!body.NamedChild(i).Is("comment")) last = body.NamedChild(i);
  }
  if (last.IsNull()) {
    fix.edits.push_back(MakeEdit(file, body.StartByte() + 1, close, element));
  } else if (file.Start(last).line != file.At(close).line) {
    // One element per line, each with its comma: a new line after the last element's comma (and any comment).
    const std::string indent = LineIndent(file, last.StartByte());
    const std::string_view src = file.source();
    const size_t comma = src.find(',', last.EndByte());
    if (comma == std::string_view::npos || comma > close) return std::nullopt;
    const size_t eol = src.find('\n', comma);
    if (eol == std::string_view::npos || eol > close) return std::nullopt;
    fix.edits.push_back(MakeEdit(file, static_cast<uint32_t>(eol), static_cast<uint32_t>(eol),
                                 "\n" + indent + element + ","));
  } else {
    fix.edits.push_back(MakeEdit(file, last.EndByte(), last.EndByte(), ", " + element));
  }
  if (auto e = AddImportEdit(file, "time")) fix.edits.push_back(std::move(*e));
  return fix;
}

// The fix for http.<which>(args): a Server with the timeout, serving the same way.
std::optional<Fix> CallFix(const SourceFile& file, Node call, std::string_view which, const std::string& timeout) {
  Node fn = call.Field("function");
  Node args = call.Field("arguments");
  if (!fn.Is("selector_expression") || !fn.Field("operand").Is("identifier")) return std::nullopt;
  std::vector<std::string_view> a;
  for (uint32_t i = 0; i < args.NamedChildCount(); ++i) {
    Node x = args.NamedChild(i);
    if (x.Is("comment")) return std::nullopt;  // it would be lost
    if (x.Is("variadic_argument")) return std::nullopt;
    a.push_back(file.Text(x));
  }
  const std::string_view pkg = file.Text(fn.Field("operand"));
  std::string fields, rest;
  if (which == "ListenAndServe" && a.size() == 2) {
    fields = fmt::format("Addr: {}, Handler: {}", a[0], a[1]);
  } else if (which == "ListenAndServeTLS" && a.size() == 4) {
    fields = fmt::format("Addr: {}, Handler: {}", a[0], a[3]);
    rest = fmt::format("{}, {}", a[1], a[2]);
  } else if (which == "Serve" && a.size() == 2) {
    fields = fmt::format("Handler: {}", a[1]);
    rest = std::string(a[0]);
  } else if (which == "ServeTLS" && a.size() == 4) {
    fields = fmt::format("Handler: {}", a[1]);
    rest = fmt::format("{}, {}, {}", a[0], a[2], a[3]);
  } else {
    return std::nullopt;
  }
  Fix fix;
  fix.description = fmt::format("Serve with an http.Server that sets ReadHeaderTimeout: {}", timeout);
  fix.imports = {"time"};
  fix.edits.push_back(MakeEdit(file, call.StartByte(), call.EndByte(),
                               fmt::format("(&{}.Server{{{}, ReadHeaderTimeout: {}}}).{}({})", pkg, fields, timeout,
                                           which, rest)));
  if (auto e = AddImportEdit(file, "time")) fix.edits.push_back(std::move(*e));
  return fix;
}

class HttpServerNoTimeouts : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      if (file->is_test) continue;
      CheckLiterals(*file, pkg.fix_settings, sink);
      CheckCalls(*file, pkg.fix_settings, sink);
    }
  }

 private:
  static void CheckLiterals(const SourceFile& file, const FixSettings& settings, FindingSink& sink) {
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
      if (has_timeout || positional || loopback || IsHttptestConfig(file, lit)) continue;
      Node fn = EnclosingFunction(lit);
      if (!fn.IsNull() && AssignsReadTimeout(file, fn)) continue;
      if (const Object* var = BoundVariable(file, lit); var != nullptr && PassedToLocalFunction(file, var)) continue;
      Node at = ParentOutsideParens(lit).Is("unary_expression") ? ParentOutsideParens(lit) : lit;
      sink.ReportRange(file, at.StartByte(), lit.Field("body").StartByte() + 1,
                       "http.Server without ReadHeaderTimeout or ReadTimeout: a client that sends its headers slowly "
                       "(slowloris) holds a connection goroutine forever; set ReadHeaderTimeout",
                       "ReadHeaderTimeout: " + settings.read_header_timeout);
      if (auto fix = LiteralFix(file, lit, settings.read_header_timeout)) sink.FixLast(file, std::move(*fix));
    }
  }

  static void CheckCalls(const SourceFile& file, const FixSettings& settings, FindingSink& sink) {
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
                  fmt::format("srv := &http.Server{{Addr: addr, Handler: h, ReadHeaderTimeout: {}}}; srv.{}(...)",
                              settings.read_header_timeout, which));
      if (auto fix = CallFix(file, call, which, settings.read_header_timeout)) sink.FixLast(file, std::move(*fix));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewHttpServerNoTimeouts() { return std::make_unique<HttpServerNoTimeouts>(); }

}  // namespace leakhound::scan
