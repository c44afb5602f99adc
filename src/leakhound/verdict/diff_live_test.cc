// Live test of `diff`: a real Go program leaks at start, is dumped, is made to leak more through its own handler over
// loopback, and is dumped again. The leak bucket must be matched across the snapshots, grown by exactly the new leaks,
// with every goroutine of the first snapshot still stuck in it, and called suspect for that reason. The healthy
// program's two snapshots must show nothing raised.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/diff.h"

namespace leakhound::verdict {
namespace {

namespace lt = ::leakhound::testing;

const DiffBucket* FindBlockedIn(const Diff& d, std::string_view function) {
  for (const DiffBucket& b : d.buckets) {
    auto frames = b.bucket.frames();
    if (!frames.empty() && frames[b.assessment.blocking_frame].function == function) return &b;
  }
  return nullptr;
}

TEST(DiffLive, LeakGrownThroughTheHandlerIsStuckAndSuspect) {
  constexpr int kFirst = 30, kMore = 40;
  auto program = lt::GoProgram::Start("abandoned_sender", {"-n", std::to_string(kFirst)});
  ASSERT_TRUE(program.ok()) << program.status().message();
  lt::GoProgram& p = **program;
  std::vector<dump::Dump> dumps;
  auto before = p.LoadProfile(2);
  ASSERT_TRUE(before.ok()) << before.status().message();
  dumps.push_back(std::move(before.value()));

  for (int i = 0; i < kMore; ++i) {
    auto r = p.Fetch("/search?q=more" + std::to_string(i));  // answers 504 after abandoning its sender
    ASSERT_FALSE(!r.ok() && r.status().message().find("HTTP 504") == std::string::npos) << r.status().message();
  }
  // The senders park once the backend latency (30 ms) has passed.
  const uint64_t want = kFirst + kMore;
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto now = p.LoadProfile(2);
    ASSERT_TRUE(now.ok()) << now.status().message();
    uint64_t parked = 0;
    for (const dump::Goroutine& g : now->goroutines) {
      if (g.state == "chan send" && g.frames_size > 0 && now->FramesOf(g)[0].function == "main.fetchBackend") ++parked;
    }
    if (parked >= want) {
      dumps.push_back(std::move(now.value()));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(dumps.size(), 2u) << "the new senders never parked";

  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok()) << diff.status().message();
  const DiffBucket* leak = FindBlockedIn(*diff, "main.fetchBackend");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->counts, (std::vector<uint64_t>{kFirst, want}));
  EXPECT_EQ(leak->growth, kMore);
  EXPECT_EQ(leak->change, Change::kGrown);
  EXPECT_EQ(leak->first_ids, static_cast<uint64_t>(kFirst));
  EXPECT_EQ(leak->stuck, static_cast<uint64_t>(kFirst));
  EXPECT_EQ(leak->assessment.verdict, Verdict::kSuspect);
  EXPECT_NE(leak->assessment.reason.find("100 % of ids stuck"), std::string::npos) << leak->assessment.reason;
  EXPECT_EQ(&diff->buckets[0], leak) << "the bucket that grew most comes first";
}

TEST(DiffLive, HealthyProgramHasNothingRaised) {
  auto program = lt::GoProgram::Start("healthy", {});
  ASSERT_TRUE(program.ok()) << program.status().message();
  std::vector<dump::Dump> dumps;
  for (int i = 0; i < 3; ++i) {
    auto d = (*program)->LoadProfile(2);
    ASSERT_TRUE(d.ok()) << d.status().message();
    dumps.push_back(std::move(d.value()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  auto diff = DiffDumps(dumps, DiffOptions{});
  ASSERT_TRUE(diff.ok());
  std::string raised;
  for (const DiffBucket& b : diff->buckets) {
    if (b.assessment.verdict == Verdict::kSuspect || b.assessment.verdict == Verdict::kDefinite) {
      raised += std::string(b.bucket.state()) + ": " + b.assessment.reason + "\n";
    }
  }
  EXPECT_EQ(diff->definite, 0u) << raised;
  EXPECT_EQ(diff->suspect, 0u) << raised;
}

}  // namespace
}  // namespace leakhound::verdict
