#include "leakhound/dump/model.h"

namespace leakhound::dump {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kAuto: return "auto";
    case Format::kTraceback: return "traceback";
    case Format::kAggregated: return "debug1";
    case Format::kPprof: return "pprof";
  }
  return "unknown";
}

uint64_t Dump::TotalGoroutines() const {
  uint64_t n = 0;
  for (const Goroutine& g : goroutines) n += g.count;
  return n;
}

std::string_view Dump::Intern(std::string_view s) {
  arena_.emplace_back(s);
  return arena_.back();
}

}  // namespace leakhound::dump
