// Live tests of `check`: real `go test` runs of tests/go/gotest (a package whose tests leak, checked by goleak from
// the Go module proxy, with parallel subtests, and a test that hangs until -timeout), read plain and -json.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "leakhound/gotest/test_output.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/check.h"

namespace leakhound::verdict {
namespace {

namespace lt = ::leakhound::testing;

const std::string kPackage = "leakhound.test/gotest/leaky";

// Runs `go test` in tests/go/gotest with `args`; go test exits 1 when tests fail, which they do.
std::string GoTest(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"go", "test", "-count=1"};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const char* dir : {"/usr/local/go/bin/go", "/usr/lib/go/bin/go", "/usr/bin/go"}) {
    if (std::ifstream(dir).good()) {
      argv[0] = dir;
      break;
    }
  }
  std::vector<std::string> full_env = {"GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly", "GOWORK=off"};
  if (const char* home = std::getenv("HOME"); home == nullptr || *home == '\0') {
    // Without a home, go has no default module cache or build cache: give it some under the build dir.
    full_env.push_back(std::string("GOPATH=") + LEAKHOUND_BINARY_DIR + "/go/gopath");
    full_env.push_back(std::string("GOCACHE=") + LEAKHOUND_BINARY_DIR + "/go/gocache");
  }
  full_env.insert(full_env.end(), env.begin(), env.end());
  auto r = lt::RunCommand(argv, std::chrono::minutes(5), full_env, lt::GoCasesDir() + "/gotest");
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return "";
  EXPECT_NE(r->exit_code, 0) << "the leaky tests were expected to fail:\n" << r->out << r->err;
  return r->out + r->err;
}

const std::string& PlainOutput() {
  static const std::string out = GoTest({"./leaky"});
  return out;
}

const CheckBucket* Blocked(const Check& c, std::string_view function) {
  for (const CheckBucket& b : c.buckets) {
    auto f = b.bucket.frames();
    if (!f.empty() && f[b.assessment.blocking_frame].function == function) return &b;
  }
  return nullptr;
}

// The check and the run it points into.
struct Checked {
  std::vector<gotest::Run> runs;
  Check check;
};

Checked CheckOne(gotest::Run run) {
  Checked out;
  out.runs.push_back(std::move(run));
  auto c = CheckRuns(out.runs, CheckOptions{});
  EXPECT_TRUE(c.ok());
  if (c.ok()) out.check = std::move(c).value();
  return out;
}

void ExpectTheTwoGoleakBuckets(const Check& c) {
  ASSERT_EQ(c.buckets.size(), 2u);
  const CheckBucket* senders = Blocked(c, kPackage + ".slowBackend");
  ASSERT_NE(senders, nullptr);
  // Both parallel subtests list both senders: one bucket of 2 goroutines, attributed to both tests.
  EXPECT_EQ(senders->bucket.count, 2u);
  EXPECT_EQ(senders->tests, (std::vector<std::string>{kPackage + ".TestFetchLeaksInParallel/first",
                                                      kPackage + ".TestFetchLeaksInParallel/second"}));
  const CheckBucket* watcher = Blocked(c, kPackage + ".(*Watcher).loop");
  ASSERT_NE(watcher, nullptr);
  EXPECT_EQ(watcher->bucket.count, 1u);
  EXPECT_EQ(watcher->tests, (std::vector<std::string>{kPackage + ".TestWatchLeaks"}));
  EXPECT_NE(watcher->assessment.reason.find("goleak"), std::string::npos) << watcher->assessment.reason;
  EXPECT_EQ(c.new_buckets, 2u);
  EXPECT_EQ(c.leaked, 3u);
}

TEST(CheckLive, PlainGoTestOutputWithGoleak) {
  Checked c = CheckOne(gotest::ReadTestOutput("plain.txt", PlainOutput()));
  ExpectTheTwoGoleakBuckets(c.check);
}

TEST(CheckLive, JsonGoTestOutputWithGoleak) {
  gotest::Run run = gotest::ReadTestOutput("json.txt", GoTest({"-json", "./leaky"}));
  EXPECT_TRUE(run.json);
  Checked c = CheckOne(std::move(run));
  ExpectTheTwoGoleakBuckets(c.check);
}

TEST(CheckLive, TimeoutPanicNamesTheHangingTest) {
  std::string out = GoTest({"-run", "TestHang", "-timeout", "2s", "./leaky"}, {"LEAKY_HANG=1"});
  ASSERT_NE(out.find("panic: test timed out"), std::string::npos) << out;
  Checked checked = CheckOne(gotest::ReadTestOutput("timeout.txt", out));
  const Check& c = checked.check;
  const CheckBucket* hang = Blocked(c, kPackage + ".Hang");
  ASSERT_NE(hang, nullptr);
  EXPECT_EQ(hang->tests, (std::vector<std::string>{kPackage + ".TestHang"}));
  EXPECT_NE(hang->assessment.reason.find("timed out"), std::string::npos) << hang->assessment.reason;
  // The test runner's own goroutines are not leaks.
  for (const CheckBucket& b : c.buckets) {
    for (const dump::Frame& f : b.bucket.frames()) EXPECT_NE(f.function, "testing.(*T).Run");
  }
}

TEST(CheckLive, BaselineAcceptsTodaysLeaksAndTheCliGatesOnNewOnes) {
  const std::string dir = std::string(LEAKHOUND_BINARY_DIR) + "/go/check";
  std::filesystem::create_directories(dir);
  const std::string output = dir + "/plain.txt", baseline = dir + "/baseline.json";
  std::ofstream(output) << PlainOutput();
  auto cli = [&](std::vector<std::string> args) {
    auto r = lt::RunCli(args);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : lt::CommandResult{};
  };
  EXPECT_EQ(cli({"check", output, "-f", "json"}).exit_code, 1);
  lt::CommandResult written = cli({"check", output, "--write-baseline", baseline});
  EXPECT_EQ(written.exit_code, 0) << written.err;
  lt::CommandResult gated = cli({"check", output, "--baseline", baseline, "-f", "json"});
  EXPECT_EQ(gated.exit_code, 0) << gated.err;
  auto j = nlohmann::json::parse(gated.out);
  EXPECT_EQ(j["schema"], "leakhound.check/v1");
  EXPECT_EQ(j["new_buckets"], 0);
  EXPECT_EQ(j["buckets"].size(), 2u);
  // A new leak (the hang) on top of the baseline fails the gate, and JUnit names the test.
  const std::string timeout = dir + "/timeout.txt";
  std::ofstream(timeout) << GoTest({"-run", "TestHang", "-timeout", "2s", "./leaky"}, {"LEAKY_HANG=1"});
  lt::CommandResult junit = cli({"check", output, timeout, "--baseline", baseline, "-f", "junit"});
  EXPECT_EQ(junit.exit_code, 1);
  EXPECT_NE(junit.out.find("<testcase classname=\"" + kPackage + "\" name=\"TestHang\">"), std::string::npos)
      << junit.out;
  EXPECT_EQ(junit.out.find("TestWatchLeaks"), std::string::npos) << "baselined leaks are not failures";
}

}  // namespace
}  // namespace leakhound::verdict
