#include "leakhound/scan/fix.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
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

Fix InsertLineAfter(const SourceFile& file, Node stmt, std::string_view line, std::string description) {
  const Position at = file.Start(stmt);
  std::string_view text = file.Line(at.line);
  const size_t indent = text.find_first_not_of(" \t");
  const std::string prefix(text.substr(0, indent == std::string_view::npos ? 0 : indent));
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
    // Several findings may carry the same fix (every use of one nil channel): each edit once.
    std::vector<TextEdit> edits;
    size_t fixes = 0;
    for (const Finding* f : list) {
      bool fresh = false;
      for (const TextEdit& e : f->fix->edits) {
        const bool seen = std::any_of(edits.begin(), edits.end(), [&](const TextEdit& x) {
          return x.start == e.start && x.end == e.end && x.text == e.text;
        });
        if (!seen) edits.push_back(e), fresh = true;
      }
      fixes += fresh ? 1 : 0;
    }
    size_t skipped = 0;
    std::string after = ApplyEdits(before, edits, &skipped);
    FixPlan::File file{path, list.front()->file, before, std::move(after), fixes > skipped ? fixes - skipped : 0};
    plan.fixes += file.fixes;
    plan.files.push_back(std::move(file));
  }
  return plan;
}

std::vector<std::string> GofmtPlanned(FixPlan* plan) {
  std::vector<std::string> problems;
  for (FixPlan::File& f : plan->files) {
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
      problems.push_back(f.path + ": gofmt rejects the fixed file; kept as edited");
      continue;
    }
    f.after = std::move(out);
  }
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
