#include "leakhound/scan/package.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "leakhound/scan/facts.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

constexpr size_t kMaxSyntaxErrors = 10;

bool EqualFold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::vector<std::string> SplitIds(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view id = util::Trim(s.substr(0, comma));
    if (!id.empty()) out.emplace_back(id);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// Reads one comment; false when it is not a suppression.
bool ParseSuppression(std::string_view text, Suppression* s) {
  std::string_view t = text;
  if (!util::Consume(t, "//")) return false;
  std::string_view body = util::TrimLeft(t);
  if (util::Consume(body, "nolint")) {
    if (!body.empty() && body[0] != ':' && body[0] != ' ' && body[0] != '\t') return false;  // //nolintfoo
    if (util::Consume(body, ":")) {
      size_t end = body.find_first_of(" \t");
      s->ids = SplitIds(body.substr(0, end));
      for (const std::string& id : s->ids) {
        if (EqualFold(id, "all")) s->all = true;
        // golangci-lint's gosec waiver: gosec's G112/G114 are the check LH007 makes, on the same line (a server
        // the author decided needs no timeouts: a test driver, an opt-in profiler).
        if (EqualFold(id, "gosec")) {
          s->ids.push_back("LH007");
          break;
        }
      }
    } else {
      s->all = true;
    }
    return true;
  }
  // gosec's waiver of its own checks of this kind: G112 (no ReadHeaderTimeout) and G114 (http.ListenAndServe/Serve,
  // which have no timeouts) are what LH007 reports. `// #nosec G114 -- test code`.
  if (util::Consume(body, "#nosec")) {
    for (std::string_view g : {"G112", "G114"}) {
      if (body.find(g) != std::string_view::npos) s->ids = {"LH007"};
    }
    return !s->ids.empty();
  }
  if (t.substr(0, 12) == "lint:ignore ") {  // staticcheck's form: no space after //
    t.remove_prefix(12);
    t = util::TrimLeft(t);
    size_t end = t.find_first_of(" \t");
    s->ids = SplitIds(t.substr(0, end));
    return !s->ids.empty();
  }
  return false;
}

// The rows (0-based) that hold a syntax error of `tree`, and how many errors there are.
std::set<uint32_t> ErrorRows(const Tree& tree, size_t* count) {
  std::set<uint32_t> rows;
  *count = 0;
  std::vector<Node> stack = {tree.Root()};
  while (!stack.empty()) {
    Node n = stack.back();
    stack.pop_back();
    if (n.IsMissing() || n.IsError()) {
      ++*count;
      for (uint32_t r = n.Start().row; r <= n.End().row; ++r) rows.insert(r);
      continue;
    }
    for (uint32_t i = n.ChildCount(); i-- > 0;) {
      Node c = n.Child(i);
      if (c.HasError() || c.IsMissing()) stack.push_back(c);
    }
  }
  return rows;
}

// Go 1.26 lets new take an expression (new(uint64(3)), new(f())); tree-sitter-go 0.25 parses new's argument as a type
// only, so such a call is a syntax error. On the lines with errors, `new(` is read as the call of an ordinary function
// (the same bytes but for one letter's case, so every offset stays), and the tree with fewer errors is kept. Rules
// read names from the original source, so they still see `new`.
void ReparseNewOfExpression(Parser& parser, std::string_view src, Tree* tree) {
  if (src.find("new(") == std::string_view::npos) return;
  size_t before = 0;
  const std::set<uint32_t> rows = ErrorRows(*tree, &before);
  std::string patched(src);
  bool changed = false;
  uint32_t row = 0;
  size_t line_start = 0;
  for (size_t at = src.find("new("); at != std::string_view::npos; at = src.find("new(", at + 4)) {
    for (size_t nl = src.find('\n', line_start); nl != std::string_view::npos && nl < at; nl = src.find('\n', nl + 1)) {
      ++row;
      line_start = nl + 1;
    }
    const bool boundary = at == 0 || !(std::isalnum(static_cast<unsigned char>(src[at - 1])) || src[at - 1] == '_' ||
                                       src[at - 1] == '.');
    if (!boundary || !rows.count(row)) continue;
    patched[at + 1] = 'E';  // nEw(
    changed = true;
  }
  if (!changed) return;
  Tree again = parser.Parse(patched);
  if (!again.ok()) return;
  size_t after = 0;
  if (again.Root().HasError()) (void)ErrorRows(again, &after);
  if (after < before) *tree = std::move(again);
}

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "warning";
}

bool ParseSeverity(std::string_view s, Severity* out) {
  if (s == "error") *out = Severity::kError;
  else if (s == "warning") *out = Severity::kWarning;
  else if (s == "note" || s == "info") *out = Severity::kNote;
  else return false;
  return true;
}

Position SourceFile::At(uint32_t byte) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), byte);
  size_t line = static_cast<size_t>(it - line_starts.begin());  // 1-based
  if (line == 0) return {1, byte + 1};
  return {static_cast<uint32_t>(line), byte - line_starts[line - 1] + 1};
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  std::string_view src = source();
  size_t start = line_starts[line - 1];
  size_t end = line < line_starts.size() ? line_starts[line] : src.size();
  std::string_view l = util::Substr(src, start, end - start);
  while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.remove_suffix(1);
  return l;
}

const Suppression* SourceFile::SuppressedAt(uint32_t line, std::string_view id, std::string_view name) const {
  for (const Suppression& s : suppressions) {
    if (!(s.line == line || (s.own_line && s.line + 1 == line))) continue;
    if (s.all) return &s;
    for (const std::string& x : s.ids) {
      if (EqualFold(x, "leakhound") || EqualFold(x, id) || EqualFold(x, name)) return &s;
    }
  }
  return nullptr;
}

void ParseFile(Parser& parser, SourceFile* file, std::vector<Diagnostic>* diagnostics) {
  std::string_view src = file->source();
  file->line_starts.clear();
  file->line_starts.push_back(0);
  for (const char* p = src.data(), *end = src.data() + src.size();;) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    file->line_starts.push_back(static_cast<uint32_t>(p - src.data()));
  }
  file->facts = std::make_shared<FileFacts>();
  file->tree = parser.Parse(src);
  if (file->tree.ok() && file->tree.Root().HasError()) ReparseNewOfExpression(parser, src, &file->tree);
  Node root = file->root();
  if (root.IsNull()) {
    diagnostics->push_back({file->display, {}, "cannot parse"});
    return;
  }
  // Budget on nesting: the rules walk trees recursively, and go build accepts code nested thousands deep (blocks,
  // func literals, parentheses, unary operators). Such a file is reported and left out instead of overflowing the
  // stack; real code stays far below.
  if (const NodeIndex* index = file->tree.index(); index != nullptr) {
    std::vector<uint32_t> depth(index->size(), 0);
    uint32_t deepest = 0, deepest_row = 0;
    for (uint32_t row = 0; row < index->size(); ++row) {
      uint32_t parent = index->ParentOf(row);
      depth[row] = parent == Node::kNoPos ? 0 : depth[parent] + 1;  // rows are in pre-order: parents come first
      if (depth[row] > deepest) {
        deepest = depth[row];
        deepest_row = row;
      }
    }
    if (deepest > kMaxNestingDepth) {
      diagnostics->push_back({file->display, file->Start(index->At(deepest_row)),
                              "nested " + std::to_string(deepest) + " levels deep (more than " +
                                  std::to_string(kMaxNestingDepth) + "): file not analyzed"});
      file->tree = Tree();
      return;
    }
  }
  if (Node pkg = root.ChildOfType("package_clause")) {
    file->package_name = file->Text(pkg.ChildOfType("package_identifier"));
    // Go's convention for generated files (go help generate): a line `// Code generated ... DO NOT EDIT.` before
    // the package clause. Nobody edits such a file by hand, so its findings would not be actionable.
    for (std::string_view head = src.substr(0, pkg.StartByte()); !head.empty();) {
      const size_t nl = head.find('\n');
      std::string_view line = util::TrimRight(head.substr(0, nl));
      if (line.rfind("// Code generated ", 0) == 0 && util::EndsWith(line, " DO NOT EDIT.")) file->generated = true;
      if (nl == std::string_view::npos) break;
      head.remove_prefix(nl + 1);
    }
  }
  file->imports = ReadImports(root, src);

  // Suppression comments: find the words, then ask the tree whether they sit in a comment.
  uint32_t last_comment = UINT32_MAX;
  for (std::string_view word : {std::string_view("nolint"), std::string_view("lint:ignore"), std::string_view("#nosec")}) {
    for (size_t at = src.find(word); at != std::string_view::npos; at = src.find(word, at + word.size())) {
      Node n(ts_node_descendant_for_byte_range(root.raw(), static_cast<uint32_t>(at), static_cast<uint32_t>(at + 1)));
      if (!n.Is("comment") || n.StartByte() == last_comment) continue;
      last_comment = n.StartByte();
      Suppression s;
      if (!ParseSuppression(file->Text(n), &s)) continue;
      bool seen = false;
      for (const Suppression& x : file->suppressions) seen = seen || (x.text == file->Text(n) && x.line == file->Start(n).line);
      if (seen) continue;
      Position p = file->Start(n);
      s.line = p.line;
      s.own_line = util::Trim(file->Line(p.line).substr(0, p.column - 1)).empty();
      s.text = std::string(util::TrimRight(file->Text(n)));
      file->suppressions.push_back(std::move(s));
    }
  }
  std::sort(file->suppressions.begin(), file->suppressions.end(),
            [](const Suppression& a, const Suppression& b) { return a.line < b.line; });

  // Syntax errors: descend only into subtrees that have one.
  if (!root.HasError()) return;
  size_t errors = 0;
  std::vector<Node> stack = {root};
  std::vector<Node> found;
  while (!stack.empty()) {
    Node n = stack.back();
    stack.pop_back();
    if (n.IsMissing() || n.IsError()) {
      found.push_back(n);
      continue;
    }
    for (uint32_t i = n.ChildCount(); i-- > 0;) {
      Node c = n.Child(i);
      if (c.HasError() || c.IsMissing()) stack.push_back(c);
    }
  }
  std::sort(found.begin(), found.end(), [](Node a, Node b) { return a.StartByte() < b.StartByte(); });
  for (Node n : found) {
    if (errors++ == kMaxSyntaxErrors) break;
    std::string what;
    if (n.IsMissing()) {
      what = "syntax error: missing '" + std::string(n.Type()) + "'";
    } else {
      std::string_view text = file->Text(n);
      text = util::Trim(text.substr(0, text.find('\n')));
      if (text.size() > 40) text = text.substr(0, 40);
      what = text.empty() ? "syntax error" : "syntax error: unexpected '" + std::string(text) + "'";
    }
    diagnostics->push_back({file->display, file->Start(n), std::move(what)});
  }
}

void Package::Prepare() {
  model_slot = NewModelSlot();
  PackageScope scope;
  for (SourceFile* f : files) {
    Node root = f->root();
    for (uint32_t i = 0, n = root.NamedChildCount(); i < n; ++i) {
      Node d = root.NamedChild(i);
      if (d.Is("function_declaration")) {
        functions.emplace(f->Text(d.Field("name")), FunctionRef{f, d, {}});
      } else if (d.Is("method_declaration")) {
        std::string_view type;
        Node recv = d.Field("receiver");
        for (Node t : FindAll(recv, "type_identifier")) {
          type = f->Text(t);
          break;
        }
        functions.emplace(f->Text(d.Field("name")), FunctionRef{f, d, type});
      }
    }
    DeclarePackageObjects(f, &scope);
  }
  for (SourceFile* f : files) ResolveFile(f, scope);
}

std::vector<FunctionRef> Package::Lookup(std::string_view name) const {
  std::vector<FunctionRef> out;
  auto [b, e] = functions.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  std::stable_sort(out.begin(), out.end(), [](const FunctionRef& a, const FunctionRef& b) {
    return a.receiver_type.empty() && !b.receiver_type.empty();
  });
  return out;
}

std::optional<FunctionRef> Package::Target(const SourceFile& file, Node call) const {
  Callee c = ResolveCallee(file, call);
  if (c.kind != Callee::Kind::kLocalFunc && c.kind != Callee::Kind::kMethod) return std::nullopt;
  std::optional<FunctionRef> found;
  for (const FunctionRef& r : Lookup(c.name)) {
    bool is_method = !r.receiver_type.empty();
    if (is_method != (c.kind == Callee::Kind::kMethod)) continue;
    if (found) return std::nullopt;  // ambiguous
    found = r;
  }
  return found;
}

std::unique_ptr<SourceFile> ReadSourceFile(const std::string& path, std::string display, const BuildContext& build,
                                           Parser& parser, std::vector<Diagnostic>* diagnostics) {
  auto f = std::make_unique<SourceFile>();
  f->path = path;
  f->display = std::move(display);
  f->is_test = util::EndsWith(path, "_test.go");
  auto mapped = util::MappedFile::Open(path);
  if (!mapped.ok()) {
    diagnostics->push_back({f->display, {}, mapped.status().message()});
    return nullptr;
  }
  f->mapped.emplace(std::move(mapped).value());
  if (!FileMatches(std::filesystem::path(path).filename().string(), f->source(), build)) return nullptr;
  ParseFile(parser, f.get(), diagnostics);
  if (f->root().IsNull()) return nullptr;
  return f;
}

bool ReadNearestGoMod(const std::string& dir, std::string* root, std::string* contents) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(dir.empty() ? "." : dir, ec);
  if (ec) return false;
  p = p.lexically_normal();
  for (;;) {
    // vendor.mod: a module file kept beside the tree under another name, which its build links to go.mod (moby).
    std::ifstream in(p / "go.mod");
    if (!in) in = std::ifstream(p / "vendor.mod");
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      *root = p.string();
      *contents = text.str();
      return true;
    }
    if (!p.has_parent_path() || p.parent_path() == p) return false;
    p = p.parent_path();
  }
}

std::optional<std::pair<int, int>> FindGoVersion(const std::string& dir) {
  std::string root, contents;
  if (!ReadNearestGoMod(dir, &root, &contents)) return std::nullopt;
  std::istringstream in(contents);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = util::Trim(line);
    if (!util::Consume(l, "go ")) continue;
    l = util::Trim(l);
    auto major = util::ConsumeUint(l);
    if (!major || !util::Consume(l, ".")) return std::nullopt;
    auto minor = util::ConsumeUint(l);
    if (!minor) return std::nullopt;
    return std::pair<int, int>(static_cast<int>(*major), static_cast<int>(*minor));
  }
  return std::nullopt;
}

}  // namespace leakhound::scan
