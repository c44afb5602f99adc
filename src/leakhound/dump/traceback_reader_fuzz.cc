// libFuzzer target: traceback text through ParseDump (normalisation, then the parallel reader on two threads).
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
  // ParseDump retains `owner`; dropping our reference before the checks catches views into anything else.
  auto owner = std::make_shared<std::string>(reinterpret_cast<const char*>(data), size);
  std::string_view bytes = *owner;
  ReadOptions options;
  options.format = Format::kTraceback;
  options.threads = 2;
  Dump dump = ParseDump("fuzz", bytes, owner, options);
  owner.reset();
  FuzzCheckDump(dump);
  return 0;
}
