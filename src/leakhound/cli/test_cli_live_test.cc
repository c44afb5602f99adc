// `leakhound test` as a user runs it, on tests/go/testgate: real packages whose tests leak (no TestMain, their own
// TestMain with teardown, the companion module, a leak one run in four), a clean one, and one whose shared harness
// exits by itself. Real `go test` runs, with and without the runtime's leak proof.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;
using json = nlohmann::json;

const std::string kModule = "leakhound.test/testgate";

lt::CommandResult LeakhoundTest(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {},
                                const std::string& module = "testgate") {
  std::vector<std::string> argv = {lt::CliPath(), "test"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = {"GOTOOLCHAIN=local", "GOWORK=off", "NO_COLOR=1"};
  if (const char* home = std::getenv("HOME"); home == nullptr || *home == '\0') {
    env.push_back(std::string("GOPATH=") + LEAKHOUND_BINARY_DIR + "/go/gopath");
    env.push_back(std::string("GOCACHE=") + LEAKHOUND_BINARY_DIR + "/go/gocache");
  }
  const std::string go = lt::FindGo();
  if (!go.empty()) env.push_back("PATH=" + go.substr(0, go.rfind('/')) + ":" + std::getenv("PATH"));
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  auto r = lt::RunCommand(argv, std::chrono::minutes(8), env, lt::GoCasesDir() + "/" + module);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : lt::CommandResult{};
}

// The bucket whose blocking function ends with `fn`, or null.
const json* Bucket(const json& report, const std::string& fn) {
  for (const json& b : report["buckets"]) {
    const std::string f = b["blocking_site"]["function"];
    if (f.size() >= fn.size() && f.compare(f.size() - fn.size(), fn.size(), fn) == 0) return &b;
  }
  return nullptr;
}

TEST(TestCommand, EveryPackageReportsWhatItsTestsLeftWithoutACodeChange) {
  lt::CommandResult r = LeakhoundTest({"--format", "json", "./..."});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  std::string all = report.dump(2);

  struct Want {
    std::string blocking, test, creator;
  } wants[] = {
      // No TestMain: one is added; the test is named through the creator's ancestors (a helper started it).
      {"plain.compute", kModule + "/plain.TestWorkerGivesUp", "plain.StartWorker"},
      // Its own TestMain: wrapped; the report comes after teardown, so the shared server is not reported.
      {"ownmain.Poll", kModule + "/ownmain.TestPollLeavesEarly", "ownmain.TestPollLeavesEarly"},
      // leakcheck.Run in its TestMain: nothing laid over, the same report.
      {"companion.waitForever", kModule + "/companion.TestAbandonsAReceiver", "companion.TestAbandonsAReceiver"},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.blocking);
    const json* b = Bucket(report, w.blocking);
    ASSERT_NE(b, nullptr) << all;
    EXPECT_EQ((*b)["tests"], json::array({w.test})) << b->dump(2);
    const std::string creator = (*b)["created_by"]["function"];
    EXPECT_NE(creator.find(w.creator), std::string::npos) << creator;
    EXPECT_EQ((*b)["verdict"], "definite") << "Go 1.26's leak profile proves these: " << b->dump(2);
  }
  EXPECT_EQ(Bucket(report, "ownmain.(*Server).loop"), nullptr) << "stopped in teardown: " << all;
  EXPECT_EQ(all.find("/clean"), std::string::npos) << all;
  EXPECT_EQ(all.find("lateFinisher"), std::string::npos) << all;
  EXPECT_EQ(all.find("leakhoundReport"), std::string::npos) << "the reporting goroutine itself: " << all;
  // The harness's own os.Exit runs before any check: leakhound says so and names the helper.
  EXPECT_NE(r.err.find(kModule + "/harness: no leak report"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("leakcheck.Report()"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ok     " + kModule + "/plain"), std::string::npos) << "progress per package: " << r.err;
}

TEST(TestCommand, WithoutTheRuntimesProofTheLeakIsStillCaughtAsSuspect) {
  lt::CommandResult r = LeakhoundTest({"--no-proof", "--format", "json", "-run", "TestWorker", "./plain"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const json* b = Bucket(report, "plain.compute");
  ASSERT_NE(b, nullptr) << r.out;
  EXPECT_EQ((*b)["verdict"], "suspect");
  EXPECT_NE((*b)["reason"].get<std::string>().find("still running after every test of its package had ended"),
            std::string::npos)
      << b->dump(2);
  EXPECT_EQ(report["buckets"].size(), 1u) << r.out;
}

TEST(TestCommand, RepeatCatchesALeakThatHappensOneRunInFour) {
  // 0.75^25: a miss once in ~1,300 runs of this test.
  lt::CommandResult r = LeakhoundTest({"--repeat", "25", "--format", "json", "./flaky", "./clean"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const json* b = Bucket(report, "flaky.Lookup.func1");
  ASSERT_NE(b, nullptr) << r.out;
  EXPECT_EQ((*b)["tests"], json::array({kModule + "/flaky.TestLookupOnce"}));
  // The flaky package stopped at its leak; the clean one ran every round.
  EXPECT_NE(r.err.find("run 25: [1/1] ok     " + kModule + "/clean"), std::string::npos) << r.err;
}

// --per-test runs each test alone: the leak is named at its test even with no ancestors to trace it by (the worker
// is started by a helper, not by the test function).
TEST(TestCommand, PerTestNamesTheTestWithoutAncestors) {
  lt::CommandResult traced = LeakhoundTest({"--ancestors", "0", "--format", "json", "./plain"});
  ASSERT_EQ(traced.exit_code, 1) << traced.err;
  json report = json::parse(traced.out, nullptr, false);
  const json* b = Bucket(report, "plain.compute");
  ASSERT_NE(b, nullptr) << traced.out;
  EXPECT_EQ((*b)["tests"], json::array({kModule + "/plain"})) << "without ancestors only the package is known";

  lt::CommandResult per_test = LeakhoundTest({"--per-test", "--ancestors", "0", "--format", "json", "./plain"});
  ASSERT_EQ(per_test.exit_code, 1) << per_test.err;
  report = json::parse(per_test.out, nullptr, false);
  b = Bucket(report, "plain.compute");
  ASSERT_NE(b, nullptr) << per_test.out;
  EXPECT_EQ((*b)["tests"], json::array({kModule + "/plain.TestWorkerGivesUp"}));
  EXPECT_NE(per_test.err.find("3 tests in 1 package, each run on its own"), std::string::npos) << per_test.err;
}

// A TestMain that hands m to goleak.VerifyTestMain checks and exits by itself: nothing is laid over it, goleak's
// report in the output is judged, and the leak is still named at its test.
TEST(TestCommand, GoleaksVerifyTestMainReportsThroughTheOutput) {
  lt::CommandResult r = LeakhoundTest({"--format", "json", "./verifymain"}, {"GOFLAGS=-mod=mod"}, "gotest");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const json* b = Bucket(report, "verifymain.stuckReceiver");
  ASSERT_NE(b, nullptr) << r.out;
  EXPECT_EQ((*b)["tests"], json::array({"leakhound.test/gotest/verifymain.TestLeavesAReceiver"}));
  EXPECT_NE((*b)["reason"].get<std::string>().find("(goleak's report)"), std::string::npos) << b->dump(2);
  EXPECT_EQ(r.err.find("no leak report"), std::string::npos) << r.err;
}

// A test that times out while its answer is asleep on the way: the timeout dump is read as check reads it, and the
// goroutine waiting for the answer is reported with the doubt spelled out.
TEST(TestCommand, ATimeoutWhileTheAnswerSleepsSaysTheTestMayBeSlow) {
  lt::CommandResult r =
      LeakhoundTest({"--format", "json", "-run", "TestSlowAnswer", "-timeout", "1s", "./slow"}, {"SLOW_ANSWER=1"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const json* b = Bucket(report, "slow.TestSlowAnswer");
  ASSERT_NE(b, nullptr) << r.out;
  const std::string reason = (*b)["reason"];
  EXPECT_NE(reason.find("still blocked when the test binary timed out"), std::string::npos) << reason;
  EXPECT_NE(reason.find("1 goroutine of the same test binary was asleep in the program's code"), std::string::npos)
      << reason;
  EXPECT_NE(reason.find("slow rather than stuck"), std::string::npos) << reason;
  EXPECT_EQ(Bucket(report, "slow.answer"), nullptr) << "a sleeping goroutine is no leak: " << r.out;
}

TEST(TestCommand, JunitBaselineAndExitCodes) {
  const std::string dir = std::string(LEAKHOUND_BINARY_DIR) + "/test-command";
  std::filesystem::create_directories(dir);
  lt::CommandResult junit = LeakhoundTest({"--format", "junit", "--output", dir + "/junit.xml", "./plain", "./clean"});
  ASSERT_EQ(junit.exit_code, 1) << junit.err;
  std::stringstream xml;
  xml << std::ifstream(dir + "/junit.xml").rdbuf();
  EXPECT_NE(xml.str().find("TestWorkerGivesUp"), std::string::npos) << xml.str();
  EXPECT_NE(xml.str().find("<failure"), std::string::npos) << xml.str();

  lt::CommandResult write = LeakhoundTest({"--write-baseline", dir + "/baseline.json", "./plain"});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  lt::CommandResult gated = LeakhoundTest({"--baseline", dir + "/baseline.json", "./plain", "./clean"});
  EXPECT_EQ(gated.exit_code, 0) << "a known leak passes the gate: " << gated.out << gated.err;

  lt::CommandResult clean = LeakhoundTest({"./clean"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  lt::CommandResult usage = LeakhoundTest({"--repeat", "zero", "./clean"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
  lt::CommandResult missing = LeakhoundTest({"./no/such/package"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.err.find("no/such/package"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace leakhound::cli
