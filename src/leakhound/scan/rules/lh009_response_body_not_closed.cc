// LH009 response-body-not-closed: the *http.Response of http.Get/Post/PostForm, of http.DefaultClient.* or of a
// client method (X.Do(req), X.Get(url), X.Post(url, type, body), X.PostForm(url, form), X named like a client or
// declared as an http.Client, whose result is used as a response: resp.Body or resp.StatusCode) whose Body is not closed (Head is left out: its Body is http.NoBody):
//   - the response is discarded (`http.Get(u)` as a statement, `_, err := http.Get(u)`; only for calls known to be
//     net/http, and not in test files, where such calls are expected to fail), or
//   - nothing closes resp.Body and the response does not escape, or
//   - a return after the call (other than in an `if err != nil` block) is reached before any close: no
//     `defer resp.Body.Close()` / `resp.Body.Close()` earlier in a block that encloses the return.
// The response escapes (and is then not reported) when resp is returned, stored, sent, passed to a function (other
// than httputil.DumpResponse), or resp.Body is handed to anything but a known reader (io.ReadAll, io.Copy,
// json.NewDecoder, bufio.NewReader, ...), which may close it. A variable reused for several calls is looked at between
// one assignment and the next. A Body read to the end (io.ReadAll, io.Copy) and never closed is not reported: at EOF
// the Transport hands the connection back to its idle pool, so no goroutine stays blocked on it (closing is still
// good style, but that is not a leak). In test files, a response whose Body is never looked at (a status check) or
// only read by a known reader is not reported either.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <optional>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// Not Head: a HEAD response has no body (http.NoBody) and gives its connection back at once.
constexpr std::array<std::string_view, 3> kHttpFuncs = {"Get", "Post", "PostForm"};

// Functions that read a body without closing it or keeping it.
constexpr std::array<std::string_view, 18> kReaders = {
    "io.ReadAll",          "io/ioutil.ReadAll",      "io.Copy",           "io.CopyN",
    "io.CopyBuffer",       "io.LimitReader",         "io.TeeReader",      "io.ReadFull",
    "io.ReadAtLeast",      "encoding/json.NewDecoder", "encoding/xml.NewDecoder", "bufio.NewReader",
    "bufio.NewReaderSize", "bufio.NewScanner",       "fmt.Fscan",         "fmt.Fscanf",
    "fmt.Fscanln",         "mime/multipart.NewReader"};

struct ResponseCall {
  Node call;
  std::string what;  // "http.Get", "client.Do"
  bool certain = false;  // known to be net/http without looking at how the result is used
};

// Is `recv` (the X of X.Do(req)) an *http.Client, as far as syntax tells: named like one (client, httpClient,
// ts.Client(), s.client), or a variable declared as http.Client / *http.Client or made from an http.Client literal.
// Other Do methods (request pipelines, mock transports, SDK wrappers) return responses with no connection behind them.
bool LooksLikeHttpClient(const SourceFile& file, Node recv) {
  Node name = Unparen(recv);
  if (name.Is("call_expression")) name = Unparen(name.Field("function"));
  if (name.Is("selector_expression")) name = name.Field("field");
  std::string lower(file.Text(name));
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower.find("client") != std::string::npos) return true;
  if (!name.Is("identifier")) return false;
  const Object* o = file.syntax.Resolve(name);
  if (o == nullptr) return false;
  if (IsNamedType(file, o->type, "net/http", "Client") || IsPointerTo(file, o->type, "net/http", "Client")) return true;
  Node v = Unparen(o->value);
  if (v.Is("unary_expression")) v = Unparen(v.Field("operand"));
  if (v.Is("composite_literal")) {
    Node type = v.Field("type");
    // &http.Client{...}, or &Client{...} inside package http itself
    return IsNamedType(file, type, "net/http", "Client") ||
           (file.package_name == "http" && type.Is("type_identifier") && file.Text(type) == "Client");
  }
  // c := ts.Client(), c := newClient(cfg): made by something named for a client (one level).
  return v.Is("call_expression") && LooksLikeHttpClient(file, v);
}

// Is the request of X.Do(req) a HEAD request: req made by http.NewRequest[WithContext] with method "HEAD" or
// http.MethodHead? Its response has no body (http.NoBody), and the connection goes back to the pool at once.
bool HeadRequest(const SourceFile& file, Node req) {
  req = Unparen(req);
  Node made = req;
  if (req.Is("identifier")) {
    const Object* o = file.syntax.Resolve(req);
    if (o == nullptr || o->value_index != 0 || !o->assignments.empty()) return false;
    made = Unparen(o->value);
  }
  if (!made.Is("call_expression")) return false;
  size_t method_arg;
  if (CallIs(file, made, "net/http.NewRequest")) {
    method_arg = 0;
  } else if (CallIs(file, made, "net/http.NewRequestWithContext")) {
    method_arg = 1;
  } else {
    return false;
  }
  Node args = made.Field("arguments");
  if (args.NamedChildCount() <= method_arg) return false;
  const std::string_view m = file.Text(Unparen(args.NamedChild(static_cast<uint32_t>(method_arg))));
  return m == "\"HEAD\"" || m == "http.MethodHead";
}

std::optional<ResponseCall> AsResponseCall(const SourceFile& file, Node call) {
  for (std::string_view f : kHttpFuncs) {
    if (CallIs(file, call, fmt::format("net/http.{}", f))) return ResponseCall{call, fmt::format("http.{}", f), true};
  }
  Callee c = ResolveCallee(file, call);
  if (c.kind != Callee::Kind::kMethod) return std::nullopt;
  size_t want_args = c.name == "Do" || c.name == "Get" ? 1 : c.name == "Post" ? 3
                     : c.name == "PostForm"                                 ? 2
                                                                            : 0;
  if (want_args == 0) return std::nullopt;
  size_t args = 0;
  Node list = call.Field("arguments");
  for (uint32_t i = 0, n = list.NamedChildCount(); i < n; ++i) args += !list.NamedChild(i).Is("comment");
  if (args != want_args) return std::nullopt;
  if (c.name == "Do" && HeadRequest(file, list.NamedChild(0))) return std::nullopt;
  Node recv = Unparen(c.receiver);
  std::string what = fmt::format("{}.{}", file.Text(recv), c.name);
  if (recv.Is("selector_expression") && file.Text(recv.Field("field")) == "DefaultClient") {
    Node pkg = recv.Field("operand");
    if (pkg.Is("identifier") && file.imports.PathOf(file.Text(pkg)) == "net/http") {
      return ResponseCall{call, std::move(what), true};
    }
  }
  if (!LooksLikeHttpClient(file, recv)) return std::nullopt;  // pipeline.Do(req), mockServer.Do(req): not known
  return ResponseCall{call, std::move(what), false};
}

// Does `call` read its reader argument to the end (EOF or an error)?
bool IsDrain(const SourceFile& file, Node call) {
  return CallIs(file, call, "io.ReadAll") || CallIs(file, call, "io/ioutil.ReadAll") ||
         CallIs(file, call, "io.Copy") || CallIs(file, call, "io.CopyBuffer");
}

// Is `call` one of kReaders or httputil.DumpResponse?
bool IsReader(const SourceFile& file, Node call) {
  for (std::string_view r : kReaders) {
    if (CallIs(file, call, r)) return true;
  }
  return false;
}

// The statement of `fn`'s own body (not of a func literal in it) that holds `n`: the one whose parent is a block.
Node AnchorStatement(Node n, Node fn) {
  for (Node p = n; !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (p.Is("func_literal")) n = p;  // defer func() { resp.Body.Close() }(): anchor at the defer
  }
  for (Node p = n; !p.IsNull() && !(p == fn); p = p.Parent()) {
    Node parent = p.Parent();
    if (parent.Is("statement_list") || parent.Is("block")) return p;
  }
  return {};
}

// Does the condition of if statement `if_stmt` mention identifier `name`?
bool ConditionMentions(const SourceFile& file, Node if_stmt, std::string_view name) {
  if (name.empty()) return false;
  bool mentions = false;
  TreeCursor cursor(if_stmt.Field("condition"));
  cursor.Walk([&](Node x) {
    if (x.Is("identifier") && file.Text(x) == name) mentions = true;
    return !mentions;
  });
  return mentions;
}

// Is `ret` in the consequence of an `if` that tests `err` (`if err != nil`) or `resp == nil`: no response there?
bool InErrorCheck(const SourceFile& file, Node ret, Node fn, std::string_view err, std::string_view resp) {
  for (Node p = ret.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (!p.Is("if_statement") || !p.Field("consequence").Contains(ret)) continue;
    if (ConditionMentions(file, p, err)) return true;
    if (ConditionMentions(file, p, resp) && file.Text(p.Field("condition")).find("== nil") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Where a close takes effect for the returns after it: the statement of `fn`'s body holding it, or the whole `if`
// on err that it is a branch of (`if err == nil { resp.Body.Close() }`, `if err != nil { ... } else { close }`), or
// the `if resp != nil { resp.Body.Close() }` around it: after that `if` there is either no response or a closed one.
Node CloseAnchor(const SourceFile& file, Node close, Node fn, std::string_view err, std::string_view resp) {
  Node anchor;
  for (Node p = close.Parent(); !p.IsNull() && !(p == fn); p = p.Parent()) {
    if (!p.Is("if_statement")) continue;
    if (ConditionMentions(file, p, err)) anchor = p;
    // `if resp != nil { resp.Body.Close() }`: a nil response has no body, so after that if the body is closed.
    Node cond = Unparen(p.Field("condition"));
    if (cond.Is("binary_expression") && file.Text(cond.Field("operator")) == "!=" &&
        file.Text(cond.Field("left")) == resp && file.Text(cond.Field("right")) == "nil" &&
        p.Field("consequence").Contains(close)) {
      anchor = p;
    }
  }
  return AnchorStatement(anchor.IsNull() ? close : anchor, fn);
}

class ResponseBodyNotClosed : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    for (const SourceFile* file : pkg.files) {
      for (Node call : FindAll(file->root(), "call_expression", IntoLiterals::kYes)) {
        if (auto rc = AsResponseCall(*file, call)) CheckCall(*file, *rc, sink);
      }
    }
  }

 private:
  // `resp, err := client.Get(u)` followed by `if err != nil { ... return }`: `defer resp.Body.Close()` after that
  // if, outside loops. nullopt for any other shape.
  static std::optional<Fix> CloseAfterErrorCheck(const SourceFile& file, Node call, std::string_view resp,
                                                 std::string_view err) {
    Node stmt = ParentOutsideParens(call);
    if (stmt.Is("expression_list")) stmt = stmt.Parent();
    if (!(stmt.Is("short_var_declaration") || stmt.Is("assignment_statement")) || !stmt.Parent().Is("statement_list")) {
      return std::nullopt;
    }
    if (InLoopOfItsFunction(stmt)) return std::nullopt;
    std::vector<Node> list = Statements(stmt.Parent());
    size_t i = 0;
    while (i < list.size() && !(list[i] == stmt)) ++i;
    if (i + 1 >= list.size() || err.empty()) return std::nullopt;
    Node check = list[i + 1];
    if (!check.Is("if_statement") || check.Field("alternative") || check.Field("initializer")) return std::nullopt;
    const std::string_view cond = file.Text(check.Field("condition"));
    if (cond != std::string(err) + " != nil" || !ContainsReturn(file, check.Field("consequence"))) return std::nullopt;
    return InsertLineAfter(file, check, fmt::format("defer {}.Body.Close()", resp),
                           fmt::format("Close the body of {} when the function returns", resp));
  }

  static void CheckCall(const SourceFile& file, const ResponseCall& rc, FindingSink& sink) {
    Node parent = ParentOutsideParens(rc.call);
    // A response thrown away (`how`: "is discarded", "is assigned to _"). In tests that is nearly always a call that
    // is expected to fail.
    auto dropped = [&](std::string_view how) {
      if (!rc.certain || file.is_test) return;
      sink.Report(file, rc.call,
                  fmt::format("the response of {} {}, so its Body is never closed: the connection and its transport "
                              "goroutines stay alive; close resp.Body",
                              rc.what, how),
                  "defer resp.Body.Close()");
    };
    if (parent.Is("expression_statement")) {
      dropped("is discarded");
      return;
    }
    if (!parent.Is("expression_list") || parent.NamedChildCount() != 1) return;
    Node stmt = parent.Parent();
    if (!(stmt.Is("short_var_declaration") || stmt.Is("assignment_statement")) || !(stmt.Field("right") == parent)) {
      return;
    }
    Node left = stmt.Field("left");
    if (left.NamedChildCount() != 2) return;
    Node resp_ident = left.NamedChild(0);
    std::string_view err_name = file.Text(left.NamedChild(1));
    if (err_name == "_") err_name = {};
    if (file.Text(resp_ident) == "_") {
      dropped("is assigned to _");
      return;
    }
    if (!resp_ident.Is("identifier")) return;
    const Object* resp = file.syntax.Declared(resp_ident);
    if (resp == nullptr) resp = file.syntax.Resolve(resp_ident);
    if (resp == nullptr || resp->package_level || resp->function.IsNull()) return;
    const Node fn = resp->function;
    // The window: from the call to the next assignment of the variable.
    uint32_t from = rc.call.EndByte(), to = fn.EndByte();
    for (Node a : resp->assignments) {
      if (a.StartByte() > rc.call.EndByte()) to = std::min(to, a.StartByte());
    }
    // A variable declared here lives to the end of its block (a loop body, an if).
    if (stmt.Is("short_var_declaration") && !stmt.Parent().IsNull()) to = std::min(to, stmt.Parent().EndByte());

    std::vector<Node> closes;
    bool escapes = false, drained = false, used_as_response = rc.certain, body_used = false, read = false;
    for (Node use : resp->uses) {
      if (use.StartByte() < from) {
        // var resp *http.Response; defer func() { if resp != nil { resp.Body.Close() } }(); resp, err = c.Do(req)
        Node sel = ParentOutsideParens(use);
        Node close = ParentOutsideParens(sel);
        if (sel.Is("selector_expression") && file.Text(sel.Field("field")) == "Body" &&
            close.Is("selector_expression") && file.Text(close.Field("field")) == "Close" &&
            !EnclosingOfType(use, "defer_statement", fn).IsNull()) {
          closes.push_back(close);
        }
        continue;
      }
      if (use.StartByte() >= to) continue;
      Node p = ParentOutsideParens(use);
      if (p.Is("selector_expression") && p.Field("operand").StartByte() == use.StartByte()) {
        std::string_view field = file.Text(p.Field("field"));
        if (field == "StatusCode" || field == "Body") used_as_response = true;
        if (field != "Body") continue;  // resp.StatusCode, resp.Header.Get(...)
        body_used = true;
        Node q = ParentOutsideParens(p);
        if (q.Is("selector_expression") && file.Text(q.Field("field")) == "Close") {
          closes.push_back(q);
        } else if (q.Is("selector_expression")) {
          continue;  // resp.Body.Read(buf)
        } else if (q.Is("argument_list") && IsReader(file, q.Parent())) {
          if (IsDrain(file, q.Parent())) drained = true;
          read = true;
          continue;
        } else if (q.Is("binary_expression")) {
          continue;  // resp.Body != nil
        } else {
          escapes = true;  // passed to a function that may close it, assigned, wrapped
        }
        continue;
      }
      if (p.Is("binary_expression")) continue;  // resp != nil
      if (p.Is("argument_list") && CallIs(file, p.Parent(), "net/http/httputil.DumpResponse")) continue;
      escapes = true;
    }
    if (escapes || !used_as_response) return;
    if (closes.empty() && drained) return;  // read to EOF: the connection went back to the pool
    // A test that looks only at the status (PUT/DELETE answers are mostly empty, and net/http recycles an empty
    // response's connection by itself) or reads the body with a decoder: whatever stays open ends with the test.
    if (closes.empty() && file.is_test && (!body_used || read)) return;
    if (closes.empty()) {
      sink.Report(file, rc.call,
                  fmt::format("the Body of the response of {} is never closed: the connection and its transport "
                              "goroutines (readLoop/writeLoop) stay alive; add defer {}.Body.Close() after the "
                              "error check",
                              rc.what, resp->name),
                  fmt::format("defer {}.Body.Close()", resp->name));
      if (auto fix = CloseAfterErrorCheck(file, rc.call, resp->name, err_name)) sink.FixLast(file, std::move(*fix));
      return;
    }
    for (Node ret : ReturnsBetween(fn, from, to)) {
      if (InErrorCheck(file, ret, fn, err_name, resp->name)) continue;
      bool covered = false;
      for (Node c : closes) {
        if (c.StartByte() >= ret.StartByte()) continue;
        Node anchor = CloseAnchor(file, c, fn, err_name, resp->name);
        if (anchor.IsNull()) continue;
        // A return later in the block of the close, or after that block when the call is in it too (`if ... {
        // resp, err = c.Get(u); ...; resp.Body.Close() }` then a return below): every path from the call to the
        // return passes the close.
        const Node block = anchor.Parent();
        if (block.Contains(ret) || (block.Contains(rc.call) && ret.StartByte() >= block.EndByte())) covered = true;
      }
      if (covered) continue;
      sink.Report(file, rc.call,
                  fmt::format("the Body of the response of {} is not closed on the path that returns at line {}: "
                              "the connection and its transport goroutines stay alive; put defer {}.Body.Close() "
                              "right after the error check",
                              rc.what, LineOf(file, ret), resp->name),
                  fmt::format("defer {}.Body.Close()", resp->name));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewResponseBodyNotClosed() { return std::make_unique<ResponseBodyNotClosed>(); }

}  // namespace leakhound::scan
