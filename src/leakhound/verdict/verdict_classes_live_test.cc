// Live tests of the verdict classes: tests/go/verdict_classes leaks one way per -mode, and its -fixed twin does not.
// One debug=2 snapshot of each must call the leak suspect (or definite, with the runtime's proof) and leave the twin
// without a suspect or definite bucket. The runtime's goroutineleak profile, where the program is built with the
// experiment, is read through the CLI as a user would: `leakhound analyze http://127.0.0.1:PORT`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::verdict {
namespace {

namespace lt = ::leakhound::testing;
using nlohmann::json;

constexpr int kParked = 20;

std::unique_ptr<lt::GoProgram> StartMode(const std::string& mode, bool fixed, const std::string& experiment = "") {
  std::vector<std::string> args = {"-mode", mode, "-n", std::to_string(kParked)};
  if (fixed) args.push_back("-fixed");
  auto program = lt::GoProgram::Start("verdict_classes", args, std::chrono::seconds(90), experiment);
  EXPECT_TRUE(program.ok()) << program.status().message();
  return program.ok() ? std::move(program.value()) : nullptr;
}

struct Snapshot {
  dump::Dump dump;
  Analysis analysis;
};

std::unique_ptr<Snapshot> Take(const lt::GoProgram& p, int debug = 2) {
  auto body = p.Fetch("/debug/pprof/goroutine?debug=" + std::to_string(debug));
  EXPECT_TRUE(body.ok()) << body.status().message();
  if (!body.ok()) return nullptr;
  auto s = std::make_unique<Snapshot>();
  s->dump = lt::ParseText("snapshot", std::move(body.value()));
  auto a = Analyze(std::span<const dump::Dump>(&s->dump, 1), AnalyzeOptions{});
  EXPECT_TRUE(a.ok());
  if (a.ok()) s->analysis = std::move(a.value());
  return s;
}

// The bucket whose blocking frame is `function`, or nullptr.
const BucketReport* BlockedIn(const Analysis& a, const std::string& function) {
  for (const BucketReport& r : a.buckets) {
    auto frames = r.bucket.frames();
    if (!frames.empty() && frames[r.assessment.blocking_frame].function == function) return &r;
  }
  return nullptr;
}

void ExpectNoLeakVerdict(const Analysis& a) {
  for (const BucketReport& r : a.buckets) {
    EXPECT_TRUE(r.assessment.verdict == Verdict::kBenign || r.assessment.verdict == Verdict::kActive)
        << r.bucket.count << " goroutines: " << VerdictName(r.assessment.verdict) << ": " << r.assessment.reason;
  }
}

TEST(VerdictClassesLive, HandlersBlockedInTheProgramAreSuspectNotIdleConnections) {
  auto leaky = StartMode("handler", false);
  ASSERT_NE(leaky, nullptr);
  auto s = Take(*leaky);
  ASSERT_NE(s, nullptr);
  const BucketReport* r = BlockedIn(s->analysis, "main.stuckHandler");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->bucket.count, static_cast<uint64_t>(kParked));
  EXPECT_EQ(r->assessment.verdict, Verdict::kSuspect) << r->assessment.reason;
  EXPECT_EQ(r->assessment.rule, "handler-parked");
  EXPECT_EQ(r->assessment.reason.find("next request"), std::string::npos) << r->assessment.reason;
  // Same process, same evidence: the protobuf and the text profile show the same frames, and give the same verdict.
  for (int debug : {0, 1}) {
    SCOPED_TRACE("debug=" + std::to_string(debug));
    auto other = Take(*leaky, debug);
    ASSERT_NE(other, nullptr);
    const BucketReport* o = BlockedIn(other->analysis, "main.stuckHandler");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->bucket.count, static_cast<uint64_t>(kParked));
    EXPECT_EQ(o->assessment.verdict, Verdict::kSuspect) << o->assessment.reason;
    EXPECT_EQ(o->assessment.rule, "handler-parked");
  }

  auto fixed = StartMode("handler", true);
  ASSERT_NE(fixed, nullptr);
  auto f = Take(*fixed);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(BlockedIn(f->analysis, "main.patientHandler"), nullptr);
  ExpectNoLeakVerdict(f->analysis);
}

// The bucket of server connection goroutines (blocking frame net/http.(*conn).serve) that read a request, or nullptr.
const BucketReport* ReadingRequests(const Analysis& a) {
  for (const BucketReport& r : a.buckets) {
    if (r.assessment.rule.find("http-server-reading-request") != std::string::npos) return &r;
  }
  return nullptr;
}

TEST(VerdictClassesLive, ConnectionsStuckMidRequestAreNotIdleKeepAlives) {
  auto leaky = StartMode("slowloris", false);
  ASSERT_NE(leaky, nullptr);
  auto s = Take(*leaky);
  ASSERT_NE(s, nullptr);
  const BucketReport* r = ReadingRequests(s->analysis);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->bucket.count, static_cast<uint64_t>(kParked));
  EXPECT_NE(r->assessment.reason.find("reading a request"), std::string::npos) << r->assessment.reason;
  EXPECT_EQ(r->assessment.reason.find("next request"), std::string::npos) << r->assessment.reason;
  // Fresh (no wait time yet) and 20 of them: within what a server sees; minutes of it make them suspect (unit test).
  EXPECT_EQ(r->assessment.verdict, Verdict::kBenign) << r->assessment.reason;

  auto fixed = StartMode("slowloris", true);
  ASSERT_NE(fixed, nullptr);
  auto f = Take(*fixed);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(ReadingRequests(f->analysis), nullptr) << "ReadHeaderTimeout closed them";
  ExpectNoLeakVerdict(f->analysis);
}

TEST(VerdictClassesLive, ConsumersWhoseCreatorExitedAreSuspectWithoutWaitTimes) {
  auto leaky = StartMode("stopper", false);
  ASSERT_NE(leaky, nullptr);
  auto s = Take(*leaky);
  ASSERT_NE(s, nullptr);
  const BucketReport* r = BlockedIn(s->analysis, "main.(*pipeline).consume");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->bucket.count, static_cast<uint64_t>(kParked));
  EXPECT_LT(r->bucket.wait_max, 1) << "the point is a fresh snapshot, without wait times";
  EXPECT_EQ(r->assessment.verdict, Verdict::kSuspect) << r->assessment.reason;
  EXPECT_EQ(r->assessment.rule, "creators-gone");
  EXPECT_NE(r->assessment.reason.find("exited"), std::string::npos) << r->assessment.reason;

  auto fixed = StartMode("stopper", true);
  ASSERT_NE(fixed, nullptr);
  auto f = Take(*fixed);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(BlockedIn(f->analysis, "main.(*pipeline).consume"), nullptr);
  ExpectNoLeakVerdict(f->analysis);
}

TEST(VerdictClassesLive, LibraryWorkersBeyondOnePerLongLivedObjectAreSuspect) {
  // github.com/lestrrat-go/jwx/v3 from the module proxy: a jwk.Cache per request, never stopped (5 caches), against
  // one shared cache.
  auto leaky = lt::GoProgram::Start("jwk_caches", {"-n", "5"});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  auto s = Take(**leaky);
  ASSERT_NE(s, nullptr);
  const BucketReport* r = BlockedIn(s->analysis, "github.com/lestrrat-go/httprc/v3.worker.Run");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->bucket.count, 25u);
  EXPECT_EQ(r->assessment.verdict, Verdict::kSuspect) << r->assessment.reason;
  EXPECT_NE(r->assessment.reason.find("≈5 jwk.Caches"), std::string::npos) << r->assessment.reason;

  auto fixed = lt::GoProgram::Start("jwk_caches", {"-n", "5", "-fixed"});
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  auto f = Take(**fixed);
  ASSERT_NE(f, nullptr);
  const BucketReport* w = BlockedIn(f->analysis, "github.com/lestrrat-go/httprc/v3.worker.Run");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->bucket.count, 5u);
  EXPECT_EQ(w->assessment.verdict, Verdict::kBenign) << w->assessment.reason;
  ExpectNoLeakVerdict(f->analysis);
}

TEST(VerdictClassesLive, TheLeakProfileMakesDefiniteOnlyTheGoroutinesItLists) {
  auto p = StartMode("proof", false, "goroutineleakprofile");
  ASSERT_NE(p, nullptr);
  auto r = lt::RunCli({"analyze", p->base_url(), "--format", "json", "-q"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 1) << "a definite leak fails with --fail-on definite (the default); stderr: " << r->err;
  json j = json::parse(r->out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r->out;
  EXPECT_TRUE(j["sources"][0]["leak_proof"].is_string()) << j["sources"][0].dump();
  uint64_t definite = 0, waiting = 0;
  for (const json& b : j["buckets"]) {
    if (b["blocking_site"]["function"] != "main.waitOn") continue;
    waiting += b["count"].get<uint64_t>();
    if (b["verdict"] == "definite") {
      definite += b["count"].get<uint64_t>();
      EXPECT_EQ(b["rule"], "leak-profile");
    }
  }
  EXPECT_EQ(waiting, 3u);
  EXPECT_EQ(definite, 1u) << "the runtime proves only the goroutine on the unreachable channel: " << r->out;
}

TEST(VerdictClassesLive, ALeakProfileFileIsProofForAnalyzeAndDiff) {
  auto p = StartMode("proof", false, "goroutineleakprofile");
  ASSERT_NE(p, nullptr);
  const std::string dir = ::testing::TempDir();
  auto write = [&](const std::string& path, const std::string& query) {
    auto body = p->Fetch(query);
    ASSERT_TRUE(body.ok()) << body.status().message();
    std::ofstream(path, std::ios::binary) << *body;
  };
  const std::string snap1 = dir + "/proof-1.txt", snap2 = dir + "/proof-2.txt", leak = dir + "/proof-leak.txt";
  write(snap1, "/debug/pprof/goroutine?debug=2");
  write(snap2, "/debug/pprof/goroutine?debug=2");
  write(leak, "/debug/pprof/goroutineleak?debug=2");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"analyze", snap2}, std::vector<std::string>{"diff", snap1, snap2}}) {
    SCOPED_TRACE(args[0]);
    std::vector<std::string> cli = args;
    cli.insert(cli.end(), {"--leak-profile", leak, "--format", "json"});
    auto r = lt::RunCli(cli);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 1) << "a definite leak fails the run (--fail-on definite): " << r->err;
    json j = json::parse(r->out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r->out << r->err;
    uint64_t definite = 0, waiting = 0;
    for (const json& b : j["buckets"]) {
      if (b["blocking_site"]["function"] != "main.waitOn") continue;
      const uint64_t n = args[0] == "analyze" ? b["count"].get<uint64_t>() : b["counts"].back().get<uint64_t>();
      waiting += n;
      if (b["verdict"] == "definite") definite += n;
    }
    EXPECT_EQ(waiting, 3u) << r->out;
    EXPECT_EQ(definite, 1u) << r->out;
  }
}

TEST(VerdictClassesLive, AnEmptyLeakProfileSaysNoProvenLeaks) {
  auto p = StartMode("proof", true, "goroutineleakprofile");
  ASSERT_NE(p, nullptr);
  for (int debug : {0, 1}) {
    SCOPED_TRACE("goroutineleak debug=" + std::to_string(debug));
    auto body = p->Fetch("/debug/pprof/goroutineleak?debug=" + std::to_string(debug));
    ASSERT_TRUE(body.ok()) << body.status().message();
    std::string path = ::testing::TempDir() + "/empty-leak-" + std::to_string(debug) + ".prof";
    std::ofstream(path, std::ios::binary) << *body;
    auto r = lt::RunCli({"analyze", path, "--format", "text", "--color", "never"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_NE(r->out.find("no proven leaks"), std::string::npos) << r->out << r->err;
    EXPECT_EQ(r->err.find("not a goroutine dump"), std::string::npos) << r->err;
  }
}

}  // namespace
}  // namespace leakhound::verdict
