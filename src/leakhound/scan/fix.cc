#include "leakhound/scan/fix.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "leakhound/util/process.h"

namespace leakhound::scan {

TextEdit MakeEdit(const SourceFile& file, uint32_t start, uint32_t end, std::string text) {
  TextEdit e;
  e.start = start;
  e.end = end;
  e.start_pos = file.At(start);
  e.end_pos = file.At(end);
  e.text = std::move(text);
  return e;
}

std::string LineIndent(const SourceFile& file, uint32_t at) {
  std::string_view line = file.Line(file.At(at).line);
  const size_t indent = line.find_first_not_of(" \t");
  return std::string(line.substr(0, indent == std::string_view::npos ? line.size() : indent));
}

Fix InsertLineAfter(const SourceFile& file, Node stmt, std::string_view line, std::string description) {
  const std::string prefix = LineIndent(file, stmt.StartByte());
  Fix fix;
  fix.description = std::move(description);
  fix.edits.push_back(MakeEdit(file, stmt.EndByte(), stmt.EndByte(), "\n" + prefix + std::string(line)));
  return fix;
}

bool InLoopOfItsFunction(Node stmt) {
  Node fn = EnclosingFunction(stmt);
  for (Node p = stmt.Parent(); p && p != fn; p = p.Parent()) {
    if (p.Is("for_statement")) return true;
  }
  return false;
}

std::optional<Fix> DeferAfterDeclaration(const SourceFile& file, const Object& o, std::string_view what,
                                         std::string description) {
  Node stmt = o.decl;
  if (stmt.Is("var_spec")) stmt = stmt.Parent();  // var_declaration
  if (!stmt.Is("short_var_declaration") && !stmt.Is("var_declaration")) return std::nullopt;
  if (!stmt.Parent().Is("statement_list")) return std::nullopt;  // an if/for/switch initializer
  if (InLoopOfItsFunction(stmt)) return std::nullopt;
  return InsertLineAfter(file, stmt, "defer " + std::string(what), std::move(description));
}

namespace {

// The name a file uses for the import `spec` (an import_spec): its alias, else the path's last element without a
// major-version element (.../v2) or suffix (gopkg.in/yaml.v3).
std::string ImportName(Node spec, std::string_view source) {
  if (Node name = spec.Field("name")) return std::string(name.Text(source));
  std::string_view path = spec.Field("path").Text(source);
  if (path.size() >= 2) path = path.substr(1, path.size() - 2);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  auto is_version = [](std::string_view e) {
    return e.size() >= 2 && e[0] == 'v' && e.find_first_not_of("0123456789", 1) == std::string_view::npos;
  };
  std::string_view last = parts.back();
  if (parts.size() > 1 && is_version(last)) last = parts[parts.size() - 2];
  if (size_t dot = last.find(".v"); dot != std::string_view::npos && is_version(last.substr(dot + 1))) {
    last = last.substr(0, dot);
  }
  return std::string(last);
}

std::vector<Node> ImportSpecs(Node root) {
  std::vector<Node> out;
  for (uint32_t i = 0; i < root.NamedChildCount(); ++i) {
    Node decl = root.NamedChild(i);
    if (!decl.Is("import_declaration")) continue;
    for (uint32_t j = 0; j < decl.NamedChildCount(); ++j) {
      Node c = decl.NamedChild(j);
      if (c.Is("import_spec")) out.push_back(c);
      if (!c.Is("import_spec_list")) continue;
      for (uint32_t k = 0; k < c.NamedChildCount(); ++k) {
        if (c.NamedChild(k).Is("import_spec")) out.push_back(c.NamedChild(k));
      }
    }
  }
  return out;
}

// The names used as package qualifiers (pkg.Name in expressions and types) in the tree under `root`.
std::set<std::string, std::less<>> Qualifiers(Node root, std::string_view source) {
  std::set<std::string, std::less<>> out;
  TreeCursor walk(root);
  walk.Walk([&](Node n) {
    if (n.Is("import_declaration")) return false;
    if (n.Is("package_identifier")) out.emplace(n.Text(source));
    if (n.Is("selector_expression")) {
      if (Node op = n.Field("operand"); op.Is("identifier")) out.emplace(op.Text(source));
    }
    return true;
  });
  return out;
}

struct PlainEdit {
  uint32_t start, end;
  std::string text;
};

// An edit adding `import "path"` to the file parsed as `root`.
PlainEdit ImportInsertion(Node root, std::string_view source, std::string_view path) {
  const std::string spec = fmt::format("\"{}\"", path);
  for (uint32_t i = 0; i < root.NamedChildCount(); ++i) {
    Node decl = root.NamedChild(i);
    if (!decl.Is("import_declaration")) continue;
    if (Node list = decl.ChildOfType("import_spec_list")) {
      // After the "(": gofmt sorts the group.
      return {list.StartByte() + 1, list.StartByte() + 1, "\n\t" + spec};
    }
    Node one = decl.ChildOfType("import_spec");
    return {decl.StartByte(), decl.EndByte(), fmt::format("import (\n\t{}\n\t{}\n)", one.Text(source), spec)};
  }
  Node package = root.ChildOfType("package_clause");
  uint32_t at = package ? package.EndByte() : 0;
  return {at, at, "\n\nimport " + spec};
}

bool HasImport(Node root, std::string_view source, std::string_view path) {
  for (Node spec : ImportSpecs(root)) {
    std::string_view p = spec.Field("path").Text(source);
    if (p.size() >= 2 && p.substr(1, p.size() - 2) == path) return true;
  }
  return false;
}

}  // namespace

std::optional<TextEdit> AddImportEdit(const SourceFile& file, std::string_view path) {
  if (HasImport(file.root(), file.source(), path)) return std::nullopt;
  PlainEdit e = ImportInsertion(file.root(), file.source(), path);
  return MakeEdit(file, e.start, e.end, std::move(e.text));
}

std::string FixImports(std::string_view before, std::string_view after, const std::vector<std::string>& needed) {
  thread_local Parser parser;
  Tree old_tree = parser.Parse(before);
  Tree new_tree = parser.Parse(after);
  if (!old_tree.ok() || !new_tree.ok() || new_tree.Root().HasError()) return std::string(after);
  const Node root = new_tree.Root();
  const auto used_before = Qualifiers(old_tree.Root(), before);
  const auto used_after = Qualifiers(root, after);
  std::vector<PlainEdit> edits;
  for (Node spec : ImportSpecs(root)) {
    const std::string name = ImportName(spec, after);
    if (name == "_" || name == "." || !used_before.contains(name) || used_after.contains(name)) continue;
    Node decl = spec.Parent().Is("import_spec_list") ? spec : spec.Parent();
    // The whole line when the spec (or declaration) is alone on it.
    uint32_t start = decl.StartByte(), end = decl.EndByte();
    while (start > 0 && (after[start - 1] == ' ' || after[start - 1] == '\t')) --start;
    size_t eol = after.find_first_not_of(" \t", end);
    if ((start == 0 || after[start - 1] == '\n') && eol != std::string_view::npos && after[eol] == '\n') {
      end = static_cast<uint32_t>(eol + 1);
    }
    edits.push_back({start, end, ""});
  }
  std::set<std::string> added;
  for (const std::string& path : needed) {
    if (HasImport(root, after, path) || !added.insert(path).second) continue;
    edits.push_back(ImportInsertion(root, after, path));
  }
  if (edits.empty()) return std::string(after);
  std::stable_sort(edits.begin(), edits.end(), [](const PlainEdit& a, const PlainEdit& b) { return a.start < b.start; });
  std::string out;
  uint32_t pos = 0;
  for (const PlainEdit& e : edits) {
    if (e.start < pos) continue;  // a removal and an insertion into one single-spec declaration: keep the first
    out.append(after.substr(pos, e.start - pos));
    out.append(e.text);
    pos = e.end;
  }
  out.append(after.substr(pos));
  return out;
}

uint64_t ContentHash(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string ApplyEdits(std::string_view source, std::vector<TextEdit> edits, size_t* skipped) {
  std::stable_sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) { return a.start < b.start; });
  std::string out;
  uint32_t pos = 0;
  size_t skip = 0;
  for (const TextEdit& e : edits) {
    if (e.start < pos || e.end < e.start || e.end > source.size()) {
      ++skip;
      continue;
    }
    out.append(source.substr(pos, e.start - pos));
    out.append(e.text);
    pos = e.end;
  }
  out.append(source.substr(pos));
  if (skipped) *skipped = skip;
  return out;
}

namespace {

std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) {
      out.push_back(s.substr(pos));
      break;
    }
    out.push_back(s.substr(pos, nl - pos + 1));
    pos = nl + 1;
  }
  return out;
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return "";
  const std::vector<std::string_view> a = Lines(before), b = Lines(after);
  // The longest common subsequence of lines (files here are source files; the table is bounded by trimming the
  // common head and tail first, which leaves only the region around the edits).
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  const size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  // The edit script: ' ' kept, '-' removed, '+' added, with line numbers in a and b.
  struct Op {
    char kind;
    size_t ai, bi;
  };
  std::vector<Op> ops;
  for (size_t i = 0; i < head; ++i) ops.push_back({' ', i, i});
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[head + i] == b[head + j]) {
      ops.push_back({' ', head + i, head + j});
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push_back({'-', head + i, head + j});  // removals before additions, as diff -u prints them
      ++i;
    } else {
      ops.push_back({'+', head + i, head + j});
      ++j;
    }
  }
  for (size_t k = 0; k < tail; ++k) ops.push_back({' ', a.size() - tail + k, b.size() - tail + k});
  // Hunks: changes with 3 lines of context, merged when their contexts touch.
  std::string out = fmt::format("--- a/{}\n+++ b/{}\n", path, path);
  const size_t kContext = 3;
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k == ops.size()) break;
    size_t start = k >= kContext ? k - kContext : 0;
    size_t end = k;
    size_t last_change = k;
    while (end < ops.size()) {
      if (ops[end].kind != ' ') last_change = end;
      if (end - last_change > 2 * kContext) break;
      ++end;
    }
    end = std::min(ops.size(), last_change + kContext + 1);
    size_t a_count = 0, b_count = 0;
    for (size_t x = start; x < end; ++x) {
      if (ops[x].kind != '+') ++a_count;
      if (ops[x].kind != '-') ++b_count;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count ? ops[start].ai + 1 : ops[start].ai, a_count,
                       b_count ? ops[start].bi + 1 : ops[start].bi, b_count);
    for (size_t x = start; x < end; ++x) {
      std::string_view line = ops[x].kind == '+' ? b[ops[x].bi] : a[ops[x].ai];
      out += ops[x].kind;
      out.append(line);
      if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
    }
    k = end;
  }
  return out;
}

FixPlan PlanFixes(const std::vector<Finding>& findings) {
  FixPlan plan;
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const Finding& f : findings) {
    if (!f.suppressed && f.fix && !f.fix->edits.empty() && !f.path.empty()) by_file[f.path].push_back(&f);
  }
  for (const auto& [path, list] : by_file) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string before = buf.str();
    if (!in && !in.eof()) {
      plan.skipped_files.push_back(path + ": cannot read it");
      continue;
    }
    if (ContentHash(before) != list.front()->content_hash) {
      plan.skipped_files.push_back(path + ": changed since the scan (scan again)");
      continue;
    }
    // Several findings may carry the same fix (every use of one nil channel): each edit once. A fix whose edits
    // overlap those of a fix taken before it (two rules rewriting one expression) is left out whole, never half.
    std::vector<TextEdit> edits;
    std::vector<std::string> imports;
    std::map<std::string, size_t> by_rule;
    size_t fixes = 0;
    auto same = [](const TextEdit& x, const TextEdit& e) { return x.start == e.start && x.end == e.end && x.text == e.text; };
    auto overlap = [](const TextEdit& x, const TextEdit& e) { return x.start < e.end && e.start < x.end; };
    for (const Finding* f : list) {
      std::vector<TextEdit> fresh;
      bool clash = false;
      for (const TextEdit& e : f->fix->edits) {
        if (std::any_of(edits.begin(), edits.end(), [&](const TextEdit& x) { return same(x, e); })) continue;
        clash = clash || e.end < e.start || e.end > before.size() ||
                std::any_of(edits.begin(), edits.end(), [&](const TextEdit& x) { return overlap(x, e); });
        fresh.push_back(e);
      }
      if (clash || fresh.empty()) continue;
      edits.insert(edits.end(), fresh.begin(), fresh.end());
      ++fixes;
      ++by_rule[std::string(f->rule_id)];
      imports.insert(imports.end(), f->fix->imports.begin(), f->fix->imports.end());
    }
    std::string after = FixImports(before, ApplyEdits(before, edits), imports);
    FixPlan::File file{path, list.front()->file, before, std::move(after), fixes, std::move(by_rule)};
    plan.fixes += file.fixes;
    plan.files.push_back(std::move(file));
  }
  return plan;
}

std::vector<std::string> GofmtPlanned(FixPlan* plan) {
  std::vector<std::string> problems;
  std::vector<bool> rejected(plan->files.size(), false);
  for (size_t i = 0; i < plan->files.size(); ++i) {
    FixPlan::File& f = plan->files[i];
    char name[] = "/tmp/leakhound-gofmt-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) {
      problems.push_back(f.path + ": cannot make a temporary file for gofmt");
      continue;
    }
    const bool written = ::write(fd, f.after.data(), f.after.size()) == static_cast<ssize_t>(f.after.size());
    ::close(fd);
    std::string out;
    auto r = written ? util::RunProcess({"gofmt", name}, {}, [&](std::string_view line) {
      out.append(line);
      out += '\n';
    })
                     : util::Result<util::ProcessResult>(util::Status::IOError("cannot write"));
    std::remove(name);
    if (!r.ok()) {
      problems.push_back("gofmt not found in PATH: the fixed files are not reformatted");
      break;
    }
    if (r->exit_code != 0) {
      problems.push_back(f.path + ": not fixed: gofmt rejects the result (the edits would break its syntax)");
      rejected[i] = true;
      continue;
    }
    f.after = std::move(out);
  }
  std::vector<FixPlan::File> kept;
  for (size_t i = 0; i < plan->files.size(); ++i) {
    if (rejected[i]) {
      plan->fixes -= plan->files[i].fixes;
    } else {
      kept.push_back(std::move(plan->files[i]));
    }
  }
  plan->files = std::move(kept);
  return problems;
}

util::Status WriteFixes(const FixPlan& plan) {
  for (const FixPlan::File& f : plan.files) {
    const std::string tmp = f.path + ".leakhound-fix.tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << f.after;
      if (!out) {
        std::remove(tmp.c_str());
        return util::Status::Unavailable(fmt::format("{}: cannot write the fixed file", f.path));
      }
    }
    struct stat st {};
    if (::stat(f.path.c_str(), &st) == 0) ::chmod(tmp.c_str(), st.st_mode & 07777);
    if (std::rename(tmp.c_str(), f.path.c_str()) != 0) {
      std::remove(tmp.c_str());
      return util::Status::Unavailable(fmt::format("{}: cannot replace it with the fixed file", f.path));
    }
  }
  return util::Status::Ok();
}

}  // namespace leakhound::scan
