// What the watch fuzz targets require of watch's outputs. A broken requirement aborts, which libFuzzer reports as a
// crash.
#ifndef LEAKHOUND_WATCH_FUZZ_CHECKS_H_
#define LEAKHOUND_WATCH_FUZZ_CHECKS_H_

#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>

#include "leakhound/util/text.h"

namespace leakhound::watch {

namespace exposition_internal {

inline bool NameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
inline bool NameChar(char c) { return NameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

// Consumes a metric or label name at s[*i].
inline bool Name(std::string_view s, size_t* i, bool label) {
  if (*i >= s.size() || !NameStart(s[*i]) || (label && s[*i] == ':')) return false;
  ++*i;
  while (*i < s.size() && NameChar(s[*i]) && !(label && s[*i] == ':')) ++*i;
  return true;
}

// Consumes "..." with only \\, \" and \n escapes and no raw newline.
inline bool Quoted(std::string_view s, size_t* i) {
  if (*i >= s.size() || s[*i] != '"') return false;
  for (++*i; *i < s.size(); ++*i) {
    const char c = s[*i];
    if (c == '"') {
      ++*i;
      return true;
    }
    if (c == '\n') return false;
    if (c == '\\') {
      if (++*i >= s.size()) return false;
      if (s[*i] != '\\' && s[*i] != '"' && s[*i] != 'n') return false;
    }
  }
  return false;
}

inline bool Value(std::string_view v) {
  if (v == "NaN" || v == "+Inf" || v == "-Inf") return true;
  if (v.empty()) return false;
  const std::string copy(v);
  char* end = nullptr;
  (void)std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

inline bool SampleLine(std::string_view line) {
  size_t i = 0;
  if (!Name(line, &i, false)) return false;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      if (!Name(line, &i, true)) return false;
      if (i >= line.size() || line[i] != '=') return false;
      ++i;
      if (!Quoted(line, &i)) return false;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return false;
    ++i;
  }
  if (i >= line.size() || line[i] != ' ') return false;
  return Value(line.substr(i + 1));
}

}  // namespace exposition_internal

// The Prometheus text exposition format 0.0.4, as Prometheus's parser takes it: valid UTF-8, "# HELP"/"# TYPE"
// lines, and samples `name{label="value",...} number` whose label values escape only \\, \" and \n.
inline void FuzzCheckExposition(const std::string& page) {
  if (!util::IsValidUtf8(page)) std::abort();
  if (!page.empty() && page.back() != '\n') std::abort();
  size_t start = 0;
  while (start < page.size()) {
    const size_t end = page.find('\n', start);
    const std::string_view line(page.data() + start, end - start);
    start = end + 1;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    if (!exposition_internal::SampleLine(line)) std::abort();
  }
}

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_FUZZ_CHECKS_H_
