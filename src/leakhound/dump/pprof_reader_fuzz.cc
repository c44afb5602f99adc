// libFuzzer target: pprof protobuf (gzipped or not) through ReadPprof.
// Readers must take every input: a crash, a sanitizer report or a record that breaks the Dump's invariants (frame
// ranges inside Dump::frames, every view readable after the input is gone) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "leakhound/dump/fuzz_checks.h"
#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::dump;
  // A private copy, freed before the checks: ReadPprof keeps nothing pointing into its input.
  auto copy = std::make_unique<std::string>(reinterpret_cast<const char*>(data), size);
  std::string_view bytes = *copy;
  Dump dump;
  ReadPprof(bytes, dump);
  copy.reset();
  FuzzCheckDump(dump);
  return 0;
}
