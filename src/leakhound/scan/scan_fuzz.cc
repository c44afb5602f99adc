// libFuzzer target: arbitrary bytes as a Go file through the parser, the syntax layer and every rule. Any input must
// be taken: a crash or a sanitizer report is a bug, and so is a finding whose position lies outside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "leakhound/scan/scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::scan;
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : AllRules()) rules.push_back(&r);
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  ScanResult result = ScanInMemory({{"fuzz.go", text}}, rules);
  for (const Finding& f : result.findings) {
    if (f.start.line == 0 || f.start.line > lines || f.end.line < f.start.line) std::abort();
  }
  return 0;
}
