// Small checked helpers over std::string_view used by every reader: no helper reads outside the view it is given,
// whatever the input. All return views into their argument.
#ifndef LEAKHOUND_UTIL_STRINGS_H_
#define LEAKHOUND_UTIL_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <algorithm>
#include <string>
#include <vector>
#include <string_view>

namespace leakhound::util {

// s.substr(pos, n) that clamps instead of throwing.
inline std::string_view Substr(std::string_view s, size_t pos, size_t n = std::string_view::npos) {
  if (pos > s.size()) return {};
  return s.substr(pos, n);
}

inline bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

inline std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}
inline std::string_view TrimRight(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) --n;
  return s.substr(0, n);
}
inline std::string_view Trim(std::string_view s) { return TrimRight(TrimLeft(s)); }

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses a decimal unsigned integer that is the whole of `s`; nullopt on empty input, other characters or overflow.
inline std::optional<uint64_t> ParseUint(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Parses the leading decimal digits of `s`; returns the value and advances `s` past them.
inline std::optional<uint64_t> ConsumeUint(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  auto v = ParseUint(s.substr(0, n));
  if (v) s.remove_prefix(n);
  return v;
}

// Consumes `p` from the front of `s` if present.
inline bool Consume(std::string_view& s, std::string_view p) {
  if (!StartsWith(s, p)) return false;
  s.remove_prefix(p.size());
  return true;
}

// 153983 -> "153,983".
inline std::string WithCommas(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// 64-bit hashing (FNV-1a folded through a final mix); stable across runs and platforms.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
inline uint64_t HashBytes(std::string_view s, uint64_t seed = 0xcbf29ce484222325ULL) {
  uint64_t h = seed;
  size_t i = 0;
  // Eight bytes at a time, then the tail.
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    __builtin_memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ULL;
  return Mix64(h ^ s.size());
}
inline uint64_t HashCombine(uint64_t h, uint64_t v) { return Mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6))); }

// A span of `minutes` for people: "0", "40 s" under a minute, "12 min" under two hours, else "3.5 h".
inline std::string FormatSpan(double minutes) {
  if (minutes <= 0) return "0";
  if (minutes < 1) return std::to_string(static_cast<long long>(minutes * 60 + 0.5)) + " s";
  if (minutes < 120) return std::to_string(static_cast<long long>(minutes + 0.5)) + " min";
  const long long tenths = static_cast<long long>(minutes / 6 + 0.5);  // hours x 10
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") + " h";
}

// Levenshtein distance between `a` and `b` (for "did you mean").
inline size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_STRINGS_H_
