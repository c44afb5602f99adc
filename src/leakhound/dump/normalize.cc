#include "leakhound/dump/normalize.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "leakhound/dump/traceback_line.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

constexpr size_t kSampleBytes = 8u << 20;  // look for prefixes in the first 8 MB
constexpr size_t kMaxSamples = 2000;
constexpr size_t kMaxPrefix = 256;

enum class PrefixRule { kNone, kExact, kShape, kDelimiter, kSpaces, kIndent };

struct Prefix {
  PrefixRule rule = PrefixRule::kNone;
  std::string text;  // kExact: the prefix; kShape: its shape; kDelimiter: the common ending
  size_t max_len = 0;
  size_t spaces = 0;  // kSpaces: the prefix ends at this many spaces
  mutable size_t indent = 0;  // kIndent: the indentation of the last header seen (go test nests subtests deeper)
};

char ShapeOf(char c) {
  if (c >= '0' && c <= '9') return '9';
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 'a';
  return c;
}

std::string Shape(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ShapeOf(c);
  return out;
}

// A goroutine header starts at `at`: "goroutine N [", "goroutine N gp=", or goleak's "Goroutine N in state ".
bool HeaderAt(std::string_view text, size_t at) {
  std::string_view word = util::Substr(text, at, 10);
  if (word != "goroutine " && word != "Goroutine ") return false;
  std::string_view s = util::Substr(text, at + 10, 32);
  size_t n = 0;
  while (n < s.size() && util::IsDigit(s[n])) ++n;
  if (n == 0) return false;
  s.remove_prefix(n);
  if (text[at] == 'G') return util::StartsWith(s, " in state ");
  return util::StartsWith(s, " [") || util::StartsWith(s, " gp=");
}

// Strips ANSI escape sequences (CSI "ESC [ params final" and two-byte "ESC x") from a line.
void AppendWithoutAnsi(std::string_view line, std::string& out) {
  size_t i = 0;
  while (i < line.size()) {
    size_t esc = line.find('\x1b', i);
    if (esc == std::string_view::npos) {
      out.append(line.substr(i));
      return;
    }
    out.append(line.substr(i, esc - i));
    i = esc + 1;
    if (i < line.size() && line[i] == '[') {
      ++i;
      while (i < line.size() && !(line[i] >= 0x40 && line[i] <= 0x7e)) ++i;
      if (i < line.size()) ++i;
    } else if (i < line.size()) {
      ++i;
    }
  }
}

std::string_view StripPrefix(std::string_view line, const Prefix& p);

// Lines that belong to a traceback once the prefix is gone.
bool LooksLikeTraceback(std::string_view line) {
  if (line.empty()) return false;
  if (line[0] == '\t' || line[0] == ' ') {
    FileLine fl;
    return ParseFileLine(util::TrimLeft(line), &fl);
  }
  if (util::StartsWith(line, "created by ")) return true;
  FrameCall call;
  return ParseFrameCall(line, &call);
}

// Learns the prefix from the header lines, then keeps the candidate rule that best strips the lines after them.
Prefix LearnPrefix(std::string_view text) {
  std::string_view sample = text.substr(0, std::min(text.size(), kSampleBytes));
  std::vector<std::string_view> prefixes;
  std::vector<std::string_view> followers;  // up to three lines after each header
  size_t pos = 0;
  size_t lower = 0, upper = 0;  // next candidate of each spelling, searched again only once passed
  while (prefixes.size() < kMaxSamples) {
    if (lower != std::string_view::npos && lower < pos) lower = sample.find("goroutine ", pos);
    if (upper != std::string_view::npos && upper < pos) upper = sample.find("Goroutine ", pos);
    if (pos == 0) {
      lower = sample.find("goroutine ");
      upper = sample.find("Goroutine ");
    }
    size_t at = std::min(lower, upper);
    if (at == std::string_view::npos) break;
    pos = at + 10;
    if (!HeaderAt(sample, at)) continue;
    size_t line_start = at == 0 ? std::string_view::npos : sample.rfind('\n', at - 1);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::string_view prefix = sample.substr(line_start, at - line_start);
    // goleak: "[Goroutine 22 …" opens its list and " Goroutine 23 …" continues it; the '[' or ' ' is not prefix.
    if (sample[at] == 'G') {
      if (prefix.empty() || (prefix.back() != '[' && prefix.back() != ' ')) continue;
      prefix.remove_suffix(1);
    }
    if (prefix.size() > kMaxPrefix) continue;
    if (prefix.find("goroutine") != std::string_view::npos) continue;
    prefixes.push_back(prefix);
    size_t next = sample.find('\n', at);
    for (int k = 0; k < 3 && next != std::string_view::npos; ++k) {
      size_t nl = sample.find('\n', next + 1);
      followers.push_back(sample.substr(next + 1, nl == std::string_view::npos ? std::string_view::npos : nl - next - 1));
      next = nl;
    }
  }
  std::vector<std::string_view> nonempty;
  for (std::string_view s : prefixes) {
    if (!s.empty()) nonempty.push_back(s);
  }
  if (nonempty.empty()) return Prefix{};

  std::vector<Prefix> candidates;
  size_t max_len = 0;
  for (std::string_view s : nonempty) max_len = std::max(max_len, s.size());
  if (std::all_of(nonempty.begin(), nonempty.end(), [&](std::string_view s) { return s == nonempty[0]; })) {
    candidates.push_back(Prefix{PrefixRule::kExact, std::string(nonempty[0]), max_len, 0});
  }
  std::string shape = Shape(nonempty[0]);
  if (std::all_of(nonempty.begin(), nonempty.end(), [&](std::string_view s) { return Shape(s) == shape; })) {
    candidates.push_back(Prefix{PrefixRule::kShape, shape, max_len, 0});
  }
  std::string_view common = nonempty[0];
  for (std::string_view s : nonempty) {
    size_t n = 0;
    while (n < common.size() && n < s.size() && common[common.size() - 1 - n] == s[s.size() - 1 - n]) ++n;
    common = common.substr(common.size() - n);
  }
  if (common.find_first_not_of(" \t") != std::string_view::npos) {
    candidates.push_back(Prefix{PrefixRule::kDelimiter, std::string(common), max_len, 0});
  }
  // Varying words separated by spaces ("2024-05-01 10:00:00.1 pod-a "): the same number of spaces in each.
  size_t spaces = static_cast<size_t>(std::count(nonempty[0].begin(), nonempty[0].end(), ' '));
  if (spaces > 0 && std::all_of(nonempty.begin(), nonempty.end(), [&](std::string_view s) {
        return static_cast<size_t>(std::count(s.begin(), s.end(), ' ')) == spaces && s.back() == ' ';
      })) {
    candidates.push_back(Prefix{PrefixRule::kSpaces, "", max_len, spaces});
  }
  // Indentation only, of different depths: `go test` indents a subtest's output deeper than its parent's.
  if (std::all_of(nonempty.begin(), nonempty.end(),
                  [](std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; })) {
    candidates.push_back(Prefix{PrefixRule::kIndent, "", max_len, 0});
  }
  Prefix best;
  size_t best_score = 0;
  for (const Prefix& c : candidates) {
    size_t score = 0;
    for (std::string_view line : followers) {
      std::string_view rest = StripPrefix(line, c);
      if (rest.size() != line.size() && LooksLikeTraceback(rest)) ++score;
    }
    if (best.rule == PrefixRule::kNone || score > best_score) {
      best = c;
      best_score = score;
    }
  }
  return best;
}

std::string_view StripPrefix(std::string_view line, const Prefix& p) {
  switch (p.rule) {
    case PrefixRule::kNone:
      return line;
    case PrefixRule::kExact:
      return util::StartsWith(line, p.text) ? line.substr(p.text.size()) : line;
    case PrefixRule::kShape: {
      if (line.size() < p.text.size()) return line;
      for (size_t i = 0; i < p.text.size(); ++i) {
        if (ShapeOf(line[i]) != p.text[i]) return line;
      }
      return line.substr(p.text.size());
    }
    case PrefixRule::kDelimiter: {
      size_t at = util::Substr(line, 0, p.max_len + 16).find(p.text);
      return at == std::string_view::npos ? line : line.substr(at + p.text.size());
    }
    case PrefixRule::kIndent: {
      size_t lead = 0;
      while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t')) ++lead;
      if (lead < line.size() && (HeaderAt(line, lead) || (line[lead] == '[' && HeaderAt(line, lead + 1)))) {
        // goleak continues its list with " Goroutine N …": that space is not indentation.
        p.indent = line[lead] == 'G' && lead > 0 ? lead - 1 : lead;
      }
      size_t n = 0;
      while (n < p.indent && n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
      return line.substr(n);
    }
    case PrefixRule::kSpaces: {
      size_t seen = 0;
      size_t limit = std::min(line.size(), p.max_len + 16);
      for (size_t i = 0; i < limit; ++i) {
        if (line[i] == '\t' && seen == 0) return line;  // an unprefixed, indented line
        if (line[i] == ' ' && ++seen == p.spaces) return line.substr(i + 1);
      }
      return line;
    }
  }
  return line;
}

}  // namespace

bool NormalizeText(std::string_view text, std::string* out) {
  bool has_cr = std::memchr(text.data(), '\r', text.size()) != nullptr;
  bool has_esc = std::memchr(text.data(), '\x1b', text.size()) != nullptr;
  Prefix prefix = LearnPrefix(text);
  if (!has_cr && !has_esc && prefix.rule == PrefixRule::kNone) return false;

  std::string result;
  result.reserve(text.size());
  std::string clean;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    bool last = nl == std::string_view::npos;
    std::string_view line = text.substr(pos, last ? std::string_view::npos : nl - pos);
    pos = last ? text.size() : nl + 1;
    std::string_view stripped = StripPrefix(line, prefix);
    bool had_prefix = stripped.size() != line.size();
    line = stripped;
    if (has_cr || has_esc) {
      clean.clear();
      if (has_esc) {
        AppendWithoutAnsi(line, clean);
      } else {
        clean.assign(line);
      }
      if (has_cr) clean.erase(std::remove(clean.begin(), clean.end(), '\r'), clean.end());
      // Colour codes may sit in front of the prefix: then it is stripped from the cleaned line.
      result.append(had_prefix ? std::string_view(clean) : StripPrefix(clean, prefix));
    } else {
      result.append(line);
    }
    if (!last) result.push_back('\n');
  }
  *out = std::move(result);
  return true;
}

}  // namespace leakhound::dump
