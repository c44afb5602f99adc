// Golden tests of the writers: the CLI runs on tests/golden/analyze-input.txt (a SIGQUIT dump with a definite leak,
// a suspect, a pool, runtime and system goroutines), and `diff` on an earlier snapshot of it and itself; the text
// and JSON reports must match the files beside them.
// LEAKHOUND_UPDATE_GOLDEN=1 rewrites the expected files instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "leakhound/testing/go_program.h"

namespace leakhound::report {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void ExpectGolden(const std::vector<std::string>& args, const std::string& golden) {
  std::vector<std::string> argv = {testing::CliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = testing::RunCommand(argv, std::chrono::seconds(60), {"NO_COLOR=1"}, LEAKHOUND_SOURCE_DIR);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << run->err;  // the input holds a definite leak
  std::string path = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/" + golden;
  if (const char* update = std::getenv("LEAKHOUND_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    std::ofstream(path, std::ios::binary) << run->out;
    return;
  }
  EXPECT_EQ(run->out, ReadFile(path)) << "golden " << path << " differs; rerun with LEAKHOUND_UPDATE_GOLDEN=1";
  EXPECT_EQ(run->err, "");
}

TEST(ReportGolden, TextReport) {
  ExpectGolden({"analyze", "tests/golden/analyze-input.txt", "--format", "text"}, "analyze.txt");
}

TEST(ReportGolden, JsonReport) {
  ExpectGolden({"analyze", "tests/golden/analyze-input.txt", "--format", "json"}, "analyze.json");
}

TEST(ReportGolden, FuncSimilarityAndFilters) {
  ExpectGolden({"analyze", "tests/golden/analyze-input.txt", "--format", "text", "--similarity", "func", "--ignore",
                "orders\\.", "--min-count", "2"},
               "analyze-func-filtered.txt");
}

TEST(ReportGolden, DiffTextReport) {
  // Timestamps in the names give the slope per minute.
  ExpectGolden({"diff", "tests/golden/goroutines-2026-11-25T10-00-00.txt", "tests/golden/goroutines-2026-11-25T10-15-00.txt",
                "--format", "text"},
               "diff.txt");
}

TEST(ReportGolden, DiffJsonReport) {
  ExpectGolden({"diff", "tests/golden/goroutines-2026-11-25T10-00-00.txt", "tests/golden/goroutines-2026-11-25T10-15-00.txt",
                "--format", "json"},
               "diff.json");
}

}  // namespace
}  // namespace leakhound::report
