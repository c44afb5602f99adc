// libFuzzer target: go test output (plain or -json) through the reader, the check and all three check writers.
// A crash, a sanitizer report, JSON that does not parse, or JUnit with bytes XML 1.0 does not allow is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/gotest/test_output.h"
#include "leakhound/report/report.h"
#include "leakhound/util/text.h"
#include "leakhound/verdict/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<gotest::Run> runs;
  runs.push_back(gotest::ReadTestOutput("fuzz", bytes, 1));
  auto check = verdict::CheckRuns(runs, verdict::CheckOptions{});
  if (!check.ok()) return 0;
  (void)report::WriteCheckText(*check, report::TextOptions{});
  nlohmann::json j = nlohmann::json::parse(report::WriteCheckJson(*check), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) std::abort();
  const std::string junit = report::WriteCheckJunit(*check);
  if (!util::IsValidUtf8(junit)) std::abort();
  for (char c : junit) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') std::abort();
  }
  return 0;
}
