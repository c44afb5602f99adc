// End-to-end tests of `leakhound diff` as a user runs it: usage errors and exit codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace lt = ::leakhound::testing;

lt::CommandResult RunDiffCli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {lt::CliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = lt::RunCommand(argv, std::chrono::seconds(60), {"NO_COLOR=1"}, LEAKHOUND_SOURCE_DIR);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : lt::CommandResult{};
}

const std::string kBefore = "tests/golden/goroutines-2026-11-25T10-00-00.txt";
const std::string kAfter = "tests/golden/goroutines-2026-11-25T10-15-00.txt";

TEST(DiffCli, OneSnapshotIsAUsageError) {
  lt::CommandResult r = RunDiffCli({"diff", kBefore});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least two snapshots"), std::string::npos) << r.err;
}

TEST(DiffCli, FailOnSuspectCountsGrowthAndNeverDoesNot) {
  // The nil-channel bucket is definite in both snapshots: ignore it to see what growth alone does.
  lt::CommandResult r = RunDiffCli({"diff", kBefore, kAfter, "--ignore", "events\\.", "--fail-on", "suspect", "-f", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "leakhound.diff/v1");
  EXPECT_EQ(j["timed"], true);
  EXPECT_EQ(j["buckets"][0]["growth"], 40);
  EXPECT_EQ(j["buckets"][0]["stuck_ids"], 20);
  EXPECT_EQ(j["buckets"][0]["verdict"], "suspect");
  EXPECT_EQ(RunDiffCli({"diff", kBefore, kAfter, "--ignore", "events\\.", "--fail-on", "never"}).exit_code, 0);
  EXPECT_EQ(RunDiffCli({"diff", kBefore, kAfter, "--ignore", "events\\."}).exit_code, 0) << "default --fail-on definite";
}

TEST(DiffCli, HigherMinGrowthKeepsTheVerdict) {
  lt::CommandResult r = RunDiffCli({"diff", kBefore, kAfter, "--min-growth", "100", "-f", "json"});
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["buckets"][0]["change"], "grown");
  EXPECT_EQ(j["buckets"][0]["reason"].get<std::string>().find("ids stuck"), std::string::npos);
}

}  // namespace
}  // namespace leakhound::cli
