// Helpers shared by the text writers: terminal styles, display widths, fitting names into columns.
#ifndef LEAKHOUND_REPORT_TEXT_STYLE_H_
#define LEAKHOUND_REPORT_TEXT_STYLE_H_

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "leakhound/dump/model.h"
#include "leakhound/report/report.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::report {


struct Style {
  bool on;
  std::string_view Bold() const { return on ? "\x1b[1m" : ""; }
  std::string_view Dim() const { return on ? "\x1b[2m" : ""; }
  std::string_view Red() const { return on ? "\x1b[1;31m" : ""; }
  std::string_view Yellow() const { return on ? "\x1b[33m" : ""; }
  std::string_view Green() const { return on ? "\x1b[32m" : ""; }
  std::string_view Reset() const { return on ? "\x1b[0m" : ""; }
  std::string_view For(verdict::Verdict v) const {
    switch (v) {
      case verdict::Verdict::kDefinite: return Red();
      case verdict::Verdict::kSuspect: return Yellow();
      case verdict::Verdict::kBenign: return Dim();
      case verdict::Verdict::kActive: return "";
    }
    return "";
  }
};

// Display width of UTF-8 text (code points; Go identifiers and paths are rarely wider).
inline size_t Width(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  }
  return n;
}

inline std::string Fit(std::string_view s, size_t width) {
  if (Width(s) <= width) return std::string(s) + std::string(width - Width(s), ' ');
  if (width <= 1) return std::string(s.substr(0, width));
  // Keep the end: the method name matters more than the package path.
  std::string out = "…";
  size_t keep = width - 1;
  size_t start = s.size();
  size_t w = 0;
  while (start > 0 && w < keep) {
    --start;
    if ((static_cast<unsigned char>(s[start]) & 0xc0) != 0x80) ++w;
  }
  out += std::string(s.substr(start));
  return out;
}

// Cuts a function name from the left at a name boundary, so that "…(*persistConn).writeLoop" stays readable.
inline std::string CutFunction(std::string_view fn, size_t width) {
  if (Width(fn) <= width) return std::string(fn);
  if (width < 4) return std::string(fn.substr(fn.size() - std::min(fn.size(), width)));
  size_t start = fn.size() - (width - 1);
  size_t boundary = fn.find_first_of("./(", start);
  if (boundary != std::string_view::npos && boundary + 1 < fn.size() && fn.size() - boundary >= (width - 1) / 2) {
    start = fn[boundary] == '(' ? boundary : boundary + 1;
  }
  return "…" + std::string(fn.substr(start));
}

// "pkg.F  file.go:12", fitted into `width` columns (0: no limit) by shortening the function, never the location.
inline std::string Site(const dump::Frame& f, size_t width = 0) {
  if (f.function.empty()) return "-";
  std::string_view fn = ShortFunction(f.function);
  std::string loc = f.file.empty() ? "" : fmt::format("  {}:{}", BaseName(f.file), f.line);
  if (width == 0 || Width(fn) + Width(loc) <= width) return std::string(fn) + loc;
  size_t room = width > Width(loc) + 8 ? width - Width(loc) : 8;
  return CutFunction(fn, room) + loc;
}


}  // namespace leakhound::report

#endif  // LEAKHOUND_REPORT_TEXT_STYLE_H_
