#include "leakhound/scan/rewrite.h"

#include <fmt/format.h>

#include <cctype>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/helpers.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

namespace {

using util::Status;

// Metavariables become identifiers the Go grammar accepts anywhere an expression, a type or a name may stand.
constexpr std::string_view kVarPrefix = "lh__mv_";
constexpr std::string_view kListPrefix = "lh__mvs_";

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A metavariable occurrence in pattern or replacement text.
struct VarUse {
  size_t start, end;  // the "$x" / "$*x" bytes
  std::string name;
  bool list;
};

std::vector<VarUse> VarUses(std::string_view text) {
  std::vector<VarUse> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') continue;
    size_t j = i + 1;
    const bool list = j < text.size() && text[j] == '*';
    if (list) ++j;
    size_t k = j;
    while (k < text.size() && IsNameChar(text[k])) ++k;
    if (k == j || std::isdigit(static_cast<unsigned char>(text[j]))) continue;
    out.push_back({i, k, std::string(text.substr(j, k - j)), list});
    i = k - 1;
  }
  return out;
}

// `text` with each metavariable replaced by a Go identifier.
std::string Goify(std::string_view text) {
  std::string out;
  size_t pos = 0;
  for (const VarUse& v : VarUses(text)) {
    out.append(text.substr(pos, v.start - pos));
    out.append(v.list ? kListPrefix : kVarPrefix);
    out.append(v.name);
    pos = v.end;
  }
  out.append(text.substr(pos));
  return out;
}

constexpr std::string_view kWrapHead = "package p\n\nfunc _() {\n";
constexpr std::string_view kWrapTail = "\n}\n";

// The one statement of the wrapped body, or a null node (with *why) when there is not exactly one.
Node OnlyStatement(Node root, std::string* why) {
  Node fn = root.ChildOfType("function_declaration");
  Node body = fn.Field("body");
  Node list = body.Is("statement_list") ? body : body.ChildOfType("statement_list");
  std::vector<Node> stmts;
  if (list) {
    for (uint32_t i = 0; i < list.NamedChildCount(); ++i) {
      if (!list.NamedChild(i).Is("comment")) stmts.push_back(list.NamedChild(i));
    }
  }
  if (stmts.size() != 1) {
    *why = stmts.empty() ? "is empty" : "must be one expression or one statement";
    return {};
  }
  return stmts[0];
}

PatternNode Copy(Node n, std::string_view source) {
  PatternNode p;
  p.type = std::string(n.Type());
  p.named = n.IsNamed();
  std::string_view text = n.Text(source);
  if (p.named && (n.Is("identifier") || n.Is("type_identifier") || n.Is("field_identifier") ||
                  n.Is("package_identifier") || n.Is("label_name"))) {
    if (text.starts_with(kListPrefix)) {
      p.var = std::string(text.substr(kListPrefix.size()));
      p.list = true;
      return p;
    }
    if (text.starts_with(kVarPrefix)) {
      p.var = std::string(text.substr(kVarPrefix.size()));
      return p;
    }
  }
  for (uint32_t i = 0; i < n.ChildCount(); ++i) {
    Node c = n.Child(i);
    if (c.Is("comment")) continue;
    p.children.push_back(Copy(c, source));
  }
  if (p.children.empty()) p.text = std::string(text);
  // A wrapper around a lone list variable ($*x as a composite-literal element or an expression statement) is the
  // list variable itself, so that it can stand for several elements of the enclosing list.
  if (p.named && p.children.size() == 1 && p.children[0].list) return std::move(p.children[0]);
  return p;
}

void CollectVars(const PatternNode& p, std::map<std::string, bool>* vars) {
  if (!p.var.empty()) (*vars)[p.var] = p.list;
  for (const PatternNode& c : p.children) CollectVars(c, vars);
}

std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

class Matcher {
 public:
  explicit Matcher(std::string_view source) : source_(source) {}

  bool Match(const PatternNode& p, Node n) {
    if (!p.var.empty() && !p.list) return Bind(p.var, n.Text(source_), n.IsNamed());
    if (p.type != n.Type()) return false;
    std::vector<Node> kids = Children(n);
    if (p.children.empty()) return kids.empty() && p.text == n.Text(source_);
    bool has_list = false;
    for (const PatternNode& c : p.children) has_list = has_list || c.list;
    if (!has_list) {
      if (kids.size() != p.children.size()) return false;
      for (size_t i = 0; i < kids.size(); ++i) {
        if (!Match(p.children[i], kids[i])) return false;
      }
      return true;
    }
    // With a list variable the punctuation between elements (commas, semicolons) is not compared: only the named
    // children, in order.
    std::vector<const PatternNode*> pats;
    for (const PatternNode& c : p.children) {
      if (c.named || c.list) pats.push_back(&c);
    }
    std::vector<Node> named;
    for (Node k : kids) {
      if (k.IsNamed()) named.push_back(k);
    }
    return MatchSeq(pats, 0, named, 0);
  }

  // The bindings as strings (the matcher keeps views into the source while it backtracks).
  std::vector<std::pair<std::string, std::string>> bindings() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : bindings_) out.emplace_back(name, std::string(value));
    return out;
  }
  void Reset() { bindings_.clear(); }

 private:
  std::vector<Node> Children(Node n) const {
    std::vector<Node> out;
    for (uint32_t i = 0; i < n.ChildCount(); ++i) {
      Node c = n.Child(i);
      if (!c.Is("comment")) out.push_back(c);
    }
    return out;
  }

  bool Bind(const std::string& var, std::string_view text, bool ok) {
    if (!ok) return false;
    for (const auto& [name, value] : bindings_) {
      if (name == var) return Squeeze(value) == Squeeze(text);
    }
    bindings_.emplace_back(var, text);
    return true;
  }

  // Pattern elements pats[i..] against nodes[j..], backtracking over how many nodes each list variable takes.
  bool MatchSeq(const std::vector<const PatternNode*>& pats, size_t i, const std::vector<Node>& nodes, size_t j) {
    if (i == pats.size()) return j == nodes.size();
    const PatternNode& p = *pats[i];
    if (!p.list) {
      if (j == nodes.size()) return false;
      const size_t mark = bindings_.size();
      if (Match(p, nodes[j]) && MatchSeq(pats, i + 1, nodes, j + 1)) return true;
      bindings_.resize(mark);
      return false;
    }
    for (size_t k = j; k <= nodes.size(); ++k) {
      const size_t mark = bindings_.size();
      std::string_view text;
      if (k > j) text = source_.substr(nodes[j].StartByte(), nodes[k - 1].EndByte() - nodes[j].StartByte());
      if (Bind(p.var, text, true) && MatchSeq(pats, i + 1, nodes, k)) return true;
      bindings_.resize(mark);
    }
    return false;
  }

  std::string_view source_;
  std::vector<std::pair<std::string, std::string_view>> bindings_;
};

// One line of a replacement with metavariables filled in; an empty list binding takes a ", " beside it along.
std::string FillLine(std::string_view text, const std::vector<std::pair<std::string, std::string>>& bindings) {
  std::string out;
  size_t pos = 0;
  for (const VarUse& v : VarUses(text)) {
    out.append(text.substr(pos, v.start - pos));
    pos = v.end;
    std::string value;
    for (const auto& [name, bound] : bindings) {
      if (name == v.name) value = bound;
    }
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
    if (v.list && value.empty()) {
      if (out.ends_with(", ")) {
        out.resize(out.size() - 2);
      } else if (text.substr(pos).starts_with(", ")) {
        pos += 2;
      }
    }
    out += value;
  }
  out.append(text.substr(pos));
  return out;
}

// `text` (a replacement) with metavariables filled in, line by line: a line that only held an empty list ($*body of
// an empty block) is dropped rather than left blank.
std::string Fill(std::string_view text, const std::vector<std::pair<std::string, std::string>>& bindings) {
  std::string out;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    const std::string filled = FillLine(line, bindings);
    const bool had_var = line.find('$') != std::string_view::npos;
    const bool blank = filled.find_first_not_of(" \t") == std::string::npos;
    if (!(had_var && blank)) {
      if (!out.empty() || start > 0) out += out.empty() ? "" : "\n";
      out += filled;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string OneLine(std::string_view s, size_t max) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}

}  // namespace

util::Result<CompiledRewrite> CompileRewrite(const RewriteRule& rule) {
  const std::string where = fmt::format("{}: rewrite '{}'", rule.where, rule.name);
  Parser parser;
  CompiledRewrite out;
  out.rule = rule;
  std::string why;
  {
    const std::string text = std::string(kWrapHead) + Goify(rule.match) + std::string(kWrapTail);
    Tree tree = parser.Parse(text);
    if (!tree.ok() || tree.Root().HasError()) {
      return Status::InvalidArgument(where + ": match does not parse as Go: " + OneLine(rule.match, 80));
    }
    Node stmt = OnlyStatement(tree.Root(), &why);
    if (!stmt) return Status::InvalidArgument(where + ": match " + why);
    if (stmt.Is("expression_statement")) stmt = stmt.NamedChild(0);
    out.pattern = Copy(stmt, text);
    if (!out.pattern.var.empty()) {
      return Status::InvalidArgument(where + ": match is a lone metavariable; it would match everything");
    }
  }
  std::map<std::string, bool> vars;
  CollectVars(out.pattern, &vars);
  for (const VarUse& v : VarUses(rule.replace)) {
    auto it = vars.find(v.name);
    if (it == vars.end()) {
      if (v.name == "ctx" && !v.list) {
        out.uses_ctx = true;
        continue;
      }
      return Status::InvalidArgument(fmt::format("{}: replace uses ${}{}, which match does not bind", where,
                                                 v.list ? "*" : "", v.name));
    }
    if (it->second != v.list) {
      return Status::InvalidArgument(fmt::format("{}: ${} is a {} in match and a {} in replace", where, v.name,
                                                 it->second ? "list ($*)" : "single node ($)",
                                                 v.list ? "list ($*)" : "single node ($)"));
    }
  }
  {
    const std::string text = std::string(kWrapHead) + Goify(rule.replace) + std::string(kWrapTail);
    Tree tree = parser.Parse(text);
    if (!tree.ok() || tree.Root().HasError()) {
      return Status::InvalidArgument(where + ": replace does not parse as Go: " + OneLine(rule.replace, 80));
    }
  }
  return out;
}

std::vector<RewriteMatch> FindMatches(const CompiledRewrite& rewrite, const SourceFile& file) {
  std::vector<RewriteMatch> out;
  Matcher m(file.source());
  const std::string& type = rewrite.pattern.type;
  TreeCursor walk(file.root());
  walk.Walk([&](Node n) {
    if (n.Type() != type) return true;
    m.Reset();
    if (!m.Match(rewrite.pattern, n)) return true;
    out.push_back({n, m.bindings()});
    return false;  // outermost matches only: an edit inside another would overlap it
  });
  return out;
}

std::optional<std::string> Replacement(const CompiledRewrite& rewrite, const SourceFile& file,
                                       const RewriteMatch& match, std::string* why) {
  auto bindings = match.bindings;
  // A comment inside the match but outside every metavariable's text would be lost.
  TreeCursor comments(match.node);
  bool lost = false;
  comments.Walk([&](Node n) {
    if (!n.Is("comment")) return true;
    const std::string_view text = n.Text(file.source());
    bool kept = false;
    for (const auto& [name, value] : match.bindings) kept = kept || value.find(text) != std::string::npos;
    lost = lost || !kept;
    return false;
  });
  if (lost) {
    *why = "a comment inside the match would be lost, so no fix is offered";
    return std::nullopt;
  }
  if (rewrite.uses_ctx) {
    auto s = ContextInScope(file, match.node, /*locals=*/true);
    if (!s) {
      *why = "no context in scope here for $ctx, so no fix is offered";
      return std::nullopt;
    }
    bindings.emplace_back("ctx", s->Expr());
  }
  // Lines after the first take the indentation of the match's line (gofmt settles the rest); text bound from the
  // source keeps its own.
  const std::string indent = LineIndent(file, match.node.StartByte());
  std::string templ;
  for (char c : rewrite.rule.replace) {
    templ += c;
    if (c == '\n') templ += indent;
  }
  std::string out = Fill(templ, bindings);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

void ReportRewrites(const std::vector<CompiledRewrite>& rewrites, const Package& package, FindingSink& sink) {
  for (const SourceFile* file : package.files) {
    for (const CompiledRewrite& rw : rewrites) {
      for (const RewriteMatch& m : FindMatches(rw, *file)) {
        std::string why;
        std::optional<std::string> replacement = Replacement(rw, *file, m, &why);
        std::string message = rw.rule.message.empty()
                                  ? fmt::format("matches rewrite '{}': {}", rw.rule.name, OneLine(rw.rule.match, 80))
                                  : fmt::format("{} (rewrite '{}')", rw.rule.message, rw.rule.name);
        if (!replacement) message += "; " + why;
        std::string suggestion = replacement ? OneLine(*replacement, 120) : std::string();
        if (rw.rule.severity) {
          sink.ReportWithSeverity(*rw.rule.severity, *file, m.node, std::move(message), std::move(suggestion));
        } else {
          sink.Report(*file, m.node, std::move(message), std::move(suggestion));
        }
        if (!replacement) continue;
        Fix fix;
        fix.description = fmt::format("Rewrite '{}'", rw.rule.name);
        fix.edits.push_back(MakeEdit(*file, m.node.StartByte(), m.node.EndByte(), std::move(*replacement)));
        for (const std::string& path : rw.rule.imports) {
          if (auto e = AddImportEdit(*file, path)) fix.edits.push_back(std::move(*e));
        }
        fix.imports = rw.rule.imports;
        sink.FixLast(*file, std::move(fix));
      }
    }
  }
}

// LH020's entry in the rule table: the rewrites come from the project file, so scan.cc runs ReportRewrites itself.
class RewriteRuleStub final : public Rule {
 public:
  void Check(const Package&, FindingSink&) const override {}
};

std::unique_ptr<Rule> NewRewriteRule() { return std::make_unique<RewriteRuleStub>(); }

}  // namespace leakhound::scan
