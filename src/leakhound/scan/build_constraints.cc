#include "leakhound/scan/build_constraints.h"

#include <cctype>
#include <cstdlib>
#include <vector>

#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// go tool dist list, Go 1.26.
const std::set<std::string, std::less<>> kKnownOS = {
    "aix",   "android", "darwin",  "dragonfly", "freebsd", "hurd", "illumos", "ios",     "js",
    "linux", "nacl",    "netbsd",  "openbsd",   "plan9",   "solaris", "wasip1", "windows", "zos"};
const std::set<std::string, std::less<>> kKnownArch = {
    "386",     "amd64",   "amd64p32", "arm",     "armbe",    "arm64",   "arm64be", "loong64", "mips",
    "mipsle",  "mips64",  "mips64le", "mips64p32", "mips64p32le", "ppc",  "ppc64",   "ppc64le", "riscv",
    "riscv64", "s390",    "s390x",    "sparc",   "sparc64",  "wasm"};
const std::set<std::string, std::less<>> kUnixOS = {"aix",     "android", "darwin",  "dragonfly", "freebsd", "hurd",
                                                     "illumos", "ios",     "linux",   "netbsd",    "openbsd", "solaris"};

// A recursive-descent evaluator over: expr = and ('||' and)*; and = unary ('&&' unary)*; unary = '!' unary | '('
// expr ')' | tag. Depth is bounded by the length of one line.
class Expr {
 public:
  Expr(std::string_view s, const BuildContext& ctx) : s_(s), ctx_(ctx) {}
  bool Parse(bool* value) {
    *value = Or();
    Skip();
    return ok_ && i_ == s_.size();
  }

 private:
  void Skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool Or() {
    bool v = And();
    for (;;) {
      Skip();
      if (s_.substr(i_, 2) != "||") return v;
      i_ += 2;
      const bool r = And();
      v = v || r;
    }
  }
  bool And() {
    bool v = Unary();
    for (;;) {
      Skip();
      if (s_.substr(i_, 2) != "&&") return v;
      i_ += 2;
      const bool r = Unary();
      v = v && r;
    }
  }
  bool Unary() {
    Skip();
    if (i_ >= s_.size() || ++depth_ > 100) {
      ok_ = false;
      return false;
    }
    bool v = false;
    if (s_[i_] == '!') {
      ++i_;
      v = !Unary();
    } else if (s_[i_] == '(') {
      ++i_;
      v = Or();
      Skip();
      if (i_ >= s_.size() || s_[i_] != ')') ok_ = false;
      ++i_;
    } else {
      const size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.')) {
        ++i_;
      }
      if (i_ == start) ok_ = false;
      v = ctx_.Has(s_.substr(start, i_ - start));
    }
    --depth_;
    return v;
  }

  std::string_view s_;
  const BuildContext& ctx_;
  size_t i_ = 0;
  int depth_ = 0;
  bool ok_ = true;
};

// One `// +build` line: space-separated options (OR) of comma-separated terms (AND), each maybe negated.
bool EvalPlusBuild(std::string_view line, const BuildContext& ctx) {
  bool any = false;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i == start) break;
    std::string_view option = line.substr(start, i - start);
    bool all = true;
    size_t j = 0;
    while (j <= option.size()) {
      size_t comma = option.find(',', j);
      if (comma == std::string_view::npos) comma = option.size();
      std::string_view term = option.substr(j, comma - j);
      const bool negated = !term.empty() && term[0] == '!';
      if (negated) term.remove_prefix(1);
      all = all && (ctx.Has(term) != negated);
      j = comma + 1;
    }
    any = any || all;
  }
  return any;
}

}  // namespace

BuildContext BuildContext::FromEnvironment() {
  BuildContext ctx;
  if (const char* os = std::getenv("GOOS"); os != nullptr && *os != '\0') ctx.goos = os;
  if (const char* arch = std::getenv("GOARCH"); arch != nullptr && *arch != '\0') ctx.goarch = arch;
  if (const char* cgo = std::getenv("CGO_ENABLED"); cgo != nullptr && std::string_view(cgo) == "0") ctx.cgo = false;
  return ctx;
}

bool BuildContext::Has(std::string_view tag) const {
  if (tag == goos || tag == goarch || tags.count(tag)) return true;
  if (tag == "unix") return kUnixOS.count(goos) > 0;
  if (tag == "linux" && goos == "android") return true;
  if ((tag == "darwin") && goos == "ios") return true;
  if (tag == "solaris" && goos == "illumos") return true;
  if (tag == "gc") return true;
  if (tag == "cgo") return cgo;
  if (util::StartsWith(tag, "go1.")) {
    std::string_view rest = tag.substr(4);
    auto minor = util::ConsumeUint(rest);
    return minor && rest.empty() && *minor >= 1 && static_cast<int>(*minor) <= go_minor;
  }
  return false;
}

bool EvalBuildExpression(std::string_view expr, const BuildContext& ctx, bool* ok) {
  bool value = false;
  const bool parsed = Expr(expr, ctx).Parse(&value);
  if (ok != nullptr) *ok = parsed;
  return parsed && value;
}

bool FileMatches(std::string_view file_name, std::string_view source, const BuildContext& ctx) {
  // The name: strip .go and _test, then _GOOS_GOARCH, _GOARCH or _GOOS (only after a first '_').
  std::string_view name = file_name;
  if (util::EndsWith(name, ".go")) name.remove_suffix(3);
  if (util::EndsWith(name, "_test")) name.remove_suffix(5);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t us = name.find('_', start);
    parts.push_back(name.substr(start, us == std::string_view::npos ? std::string_view::npos : us - start));
    if (us == std::string_view::npos) break;
    start = us + 1;
  }
  if (parts.size() >= 3 && kKnownOS.count(parts[parts.size() - 2]) && kKnownArch.count(parts.back())) {
    if (!ctx.Has(parts[parts.size() - 2]) || !ctx.Has(parts.back())) return false;
  } else if (parts.size() >= 2) {
    if (kKnownOS.count(parts.back()) && !ctx.Has(parts.back())) return false;
    if (kKnownArch.count(parts.back()) && !ctx.Has(parts.back())) return false;
  }

  // The header: comments and blank lines before the package clause.
  bool have_go_build = false, go_build = true, plus_build = true;
  bool in_block = false;
  size_t start = 0;
  while (start < source.size()) {
    size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = util::Trim(source.substr(start, end - start));
    start = end + 1;
    if (in_block) {
      if (line.find("*/") != std::string_view::npos) in_block = false;
      continue;
    }
    if (line.empty()) continue;
    if (util::StartsWith(line, "/*")) {
      in_block = line.find("*/", 2) == std::string_view::npos;
      continue;
    }
    if (!util::StartsWith(line, "//")) break;  // the package clause, or code: the header is over
    if (util::StartsWith(line, "//go:build ") || line == "//go:build") {
      have_go_build = true;
      bool ok = true;
      go_build = EvalBuildExpression(line.substr(std::min<size_t>(line.size(), 11)), ctx, &ok);
      if (!ok) return true;  // go vet would stop at it; leakhound reads the file rather than lose it
    } else if (util::StartsWith(line, "// +build ")) {
      plus_build = plus_build && EvalPlusBuild(line.substr(10), ctx);
    }
  }
  return have_go_build ? go_build : plus_build;
}

}  // namespace leakhound::scan
