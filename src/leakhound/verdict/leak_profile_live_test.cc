// Live tests of Go 1.26 goroutineleak profiles: cases under tests/go are built with
// GOEXPERIMENT=goroutineleakprofile, and /debug/pprof/goroutineleak is read in all three encodings. The runtime's
// leak detector is ground truth: what it lists must come out `definite`, and nothing else may.
#include <gtest/gtest.h>

#include <string>

#include "leakhound/dump/model.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::verdict {
namespace {

namespace lt = ::leakhound::testing;

constexpr uint64_t kLeaks = 60;

Analysis AnalyzeOne(const dump::Dump& d) {
  auto analysis = Analyze(std::span<const dump::Dump>(&d, 1), AnalyzeOptions{});
  EXPECT_TRUE(analysis.ok()) << analysis.status().message();
  return analysis.ok() ? std::move(analysis.value()) : Analysis{};
}

// Reads the goroutineleak profile of `name` at debug=0, 1 and 2 and checks that exactly the leaked goroutines, all in
// one bucket blocked in `function`, are definite.
void ExpectLeakProfile(const std::string& name, const std::string& function) {
  auto program = lt::GoProgram::Start(name, {"-n", std::to_string(kLeaks)}, std::chrono::seconds(60),
                                      "goroutineleakprofile");
  ASSERT_TRUE(program.ok()) << program.status().message();
  for (int debug : {0, 1, 2}) {
    SCOPED_TRACE(name + " goroutineleak debug=" + std::to_string(debug));
    auto body = (*program)->Fetch("/debug/pprof/goroutineleak?debug=" + std::to_string(debug));
    ASSERT_TRUE(body.ok()) << body.status().message();
    dump::Dump d = lt::ParseText(name + ".leak", std::move(body.value()));
    EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message;
    if (debug < 2) {
      // The aggregated encodings list only the leaked goroutines, and say so in their header / sample type.
      EXPECT_TRUE(d.leak_profile);
      EXPECT_EQ(d.TotalGoroutines(), kLeaks);
    } else {
      // The traceback lists every goroutine and marks the leaked ones "(leaked)".
      EXPECT_GT(d.TotalGoroutines(), kLeaks);
    }
    Analysis a = AnalyzeOne(d);
    uint64_t definite = 0;
    for (const BucketReport& r : a.buckets) {
      if (r.assessment.verdict != Verdict::kDefinite) continue;
      definite += r.bucket.count;
      EXPECT_EQ(r.bucket.count, kLeaks);
      EXPECT_EQ(r.bucket.leaked, kLeaks);
      ASSERT_FALSE(r.bucket.frames().empty());
      EXPECT_EQ(r.bucket.frames()[r.assessment.blocking_frame].function, function);
    }
    EXPECT_EQ(definite, kLeaks) << "only the goroutines the runtime lists may be definite";
  }
}

TEST(LeakProfileLive, NilChannelSendersAreListedAndDefinite) {
  ExpectLeakProfile("nilchan", "main.(*publisher).deliver");
}

TEST(LeakProfileLive, AbandonedSendersAreListedAndDefinite) {
  // Their channel became unreachable when the receiver returned: the detector proves they can never wake.
  ExpectLeakProfile("abandoned_sender", "main.fetchBackend");
}

TEST(LeakProfileLive, HealthyProgramHasNoDefiniteLeak) {
  auto program = lt::GoProgram::Start("healthy", {}, std::chrono::seconds(60), "goroutineleakprofile");
  ASSERT_TRUE(program.ok()) << program.status().message();
  auto body = (*program)->Fetch("/debug/pprof/goroutineleak?debug=2");
  ASSERT_TRUE(body.ok()) << body.status().message();
  dump::Dump d = lt::ParseText("healthy.leak", std::move(body.value()));
  Analysis a = AnalyzeOne(d);
  EXPECT_GT(a.total_goroutines, 0u);
  EXPECT_EQ(a.definite, 0u);
}

}  // namespace
}  // namespace leakhound::verdict
