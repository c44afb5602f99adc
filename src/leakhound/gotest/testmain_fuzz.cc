// libFuzzer target: what `leakhound test` reads of the user's code and of its test binaries' reports. The input is a
// _test.go file (planned for its TestMain: generated, rewritten or left alone) and a dump text (attributed to tests).
// A crash, a sanitizer report, or a plan that breaks its own promises is a bug: a rewritten TestMain file keeps
// the renamed TestMain, and a generated file declares TestMain exactly once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "leakhound/gotest/runner.h"
#include "leakhound/gotest/testmain.h"

namespace {

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::gotest;
  const std::string src(reinterpret_cast<const char*>(data), size);
  TestMainPlan plan = PlanTestMain("/d", "p", {{"/d/a_test.go", src}});
  switch (plan.kind) {
    case TestMainPlan::Kind::kCompanion:
      if (!plan.files.empty()) std::abort();
      break;
    case TestMainPlan::Kind::kGenerated:
    case TestMainPlan::Kind::kRewritten: {
      auto generated = plan.files.find("/d/zz_leakhound_testmain_test.go");
      if (generated == plan.files.end()) std::abort();
      if (Count(generated->second, "\nfunc TestMain(") != 1) std::abort();
      if (plan.kind == TestMainPlan::Kind::kRewritten) {
        auto rewritten = plan.files.find("/d/a_test.go");
        if (rewritten == plan.files.end()) std::abort();
        if (rewritten->second.find("leakhoundUserTestMain") == std::string::npos) std::abort();
      }
      break;
    }
  }
  (void)AttributeToTests(src, "example.com/p");
  (void)SplitGoTestArgs({src, "-run", src});
  return 0;
}
