// libFuzzer target: traceback text through ParseDump (normalisation, then the parallel reader on two threads).
// Readers must take every input: a crash, a sanitizer report or a record that breaks the Dump's invariants (frame
// ranges inside Dump::frames, every view readable after the input is gone) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"

namespace {

using leakhound::dump::Dump;

// Reads every byte of a view so that AddressSanitizer sees views into freed or foreign memory.
size_t Touch(std::string_view s) {
  size_t sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

void CheckDump(const Dump& dump) {
  size_t sum = 0;
  for (const auto& g : dump.goroutines) {
    if (g.frames_begin > dump.frames.size() || g.frames_size > dump.frames.size() - g.frames_begin) std::abort();
    for (const auto& f : dump.FramesOf(g)) sum += Touch(f.function) + Touch(f.file) + Touch(f.args);
    sum += Touch(g.state) + Touch(g.labels) + Touch(g.created_by.function) + Touch(g.created_by.file);
    if (dump.snapshots == 0 || g.snapshot >= dump.snapshots) std::abort();
  }
  for (const auto& d : dump.diagnostics) sum += d.message.size() + d.excerpt.size();
  if (sum == 1) std::abort();  // keeps the reads
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::dump;
  // ParseDump retains `owner`; dropping our reference before the checks catches views into anything else.
  auto owner = std::make_shared<std::string>(reinterpret_cast<const char*>(data), size);
  std::string_view bytes = *owner;
  ReadOptions options;
  options.format = Format::kTraceback;
  options.threads = 2;
  Dump dump = ParseDump("fuzz", bytes, owner, options);
  owner.reset();
  CheckDump(dump);
  return 0;
}
