// Folded stacks and pprof export, checked with the tools that read them: `go tool pprof -top` and leakhound's own
// pprof reader.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "leakhound/dump/reader.h"
#include "leakhound/report/report.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::report {
namespace {

const std::string kInput = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/analyze-input.txt";

TEST(ProfileWriters, FoldedStacksAreRootFirstWithCounts) {
  auto r = testing::RunCli({"analyze", kInput, "--format", "folded"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 1);  // the input holds a definite leak
  EXPECT_NE(r->out.find("example.com/shop/search.queryBackend 60\n"), std::string::npos) << r->out;
  EXPECT_NE(r->out.find("main.main;net/http.(*Server).Serve;net.(*TCPListener).Accept;"
                        "internal/poll.(*FD).Accept;internal/poll.runtime_pollWait 1\n"),
            std::string::npos)
      << r->out;
}

TEST(ProfileWriters, PprofOpensInGoToolPprofWithTheCounts) {
  const std::string out = std::string(LEAKHOUND_BINARY_DIR) + "/go/analyze.pb.gz";
  auto r = testing::RunCli({"analyze", kInput, "--format", "pprof", "-o", out});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 1) << r->err;
  std::string go = "/usr/local/go/bin/go";
  if (!std::ifstream(go).good()) go = "go";
  auto top = testing::RunCommand({go, "tool", "pprof", "-top", out}, std::chrono::minutes(2));
  ASSERT_TRUE(top.ok()) << top.status().message();
  ASSERT_EQ(top->exit_code, 0) << top->err;
  EXPECT_NE(top->out.find("Type: goroutine"), std::string::npos) << top->out;
  EXPECT_NE(top->out.find("of 70 total"), std::string::npos) << top->out;
  // flat count then the function: 60 leaked senders, 3 nil-channel publishers.
  EXPECT_NE(top->out.find("        60 85.71% 85.71%         60 85.71%  example.com/shop/search.queryBackend"),
            std::string::npos)
      << top->out;
  EXPECT_NE(top->out.find("example.com/shop/events.(*Bus).publish"), std::string::npos) << top->out;

  // leakhound reads its own export back: same total, same leak bucket.
  std::ifstream f(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  dump::Dump d = testing::ParseText("analyze.pb.gz", bytes);
  EXPECT_EQ(d.format, dump::Format::kPprof);
  EXPECT_EQ(d.TotalGoroutines(), 70u);
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics[0].message;
}

TEST(ProfileWriters, PprofIntoAPipeIsGzippedProtobuf) {
  // Binary data goes to a pipe as it is (a terminal gets a usage error instead).
  auto r = testing::RunCli({"analyze", kInput, "--format", "pprof"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_GT(r->out.size(), 100u);
  EXPECT_EQ(static_cast<unsigned char>(r->out[0]), 0x1f);
}

}  // namespace
}  // namespace leakhound::report
