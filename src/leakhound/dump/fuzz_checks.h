// Invariants every reader's output must keep, checked by the fuzz targets after the input is gone: frame ranges
// inside Dump::frames, snapshot indices below Dump::snapshots, every view readable (AddressSanitizer sees views into
// freed or foreign memory). A broken invariant aborts, which libFuzzer reports as a crash.
#ifndef LEAKHOUND_DUMP_FUZZ_CHECKS_H_
#define LEAKHOUND_DUMP_FUZZ_CHECKS_H_

#include <cstddef>
#include <cstdlib>
#include <string_view>

#include "leakhound/dump/model.h"

namespace leakhound::dump {

// Reads every byte of a view.
inline size_t FuzzTouch(std::string_view s) {
  size_t sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

inline void FuzzCheckDump(const Dump& dump) {
  size_t sum = 0;
  for (const auto& g : dump.goroutines) {
    if (g.frames_begin > dump.frames.size() || g.frames_size > dump.frames.size() - g.frames_begin) std::abort();
    for (const auto& f : dump.FramesOf(g)) sum += FuzzTouch(f.function) + FuzzTouch(f.file) + FuzzTouch(f.args);
    sum += FuzzTouch(g.state) + FuzzTouch(g.labels) + FuzzTouch(g.created_by.function) + FuzzTouch(g.created_by.file);
    if (dump.snapshots == 0 || g.snapshot >= dump.snapshots) std::abort();
  }
  for (const auto& d : dump.diagnostics) sum += d.message.size() + d.excerpt.size();
  // Keeps the reads: a store the compiler may not drop (an `if (sum == X) abort()` sentinel was once hit by an input
  // whose bytes summed to X).
  static volatile size_t sink;
  sink = sum;
}

}  // namespace leakhound::dump

#endif  // LEAKHOUND_DUMP_FUZZ_CHECKS_H_
