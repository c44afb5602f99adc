#include "leakhound/watch/metrics.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <set>
#include <sstream>

#include "leakhound/dump/source.h"

namespace leakhound::watch {
namespace {

Target T(const std::string& name, std::vector<std::pair<std::string, std::string>> labels = {}) {
  auto t = MakeTarget("http://127.0.0.1:1", Rules{}, Millis(1000));
  EXPECT_TRUE(t.ok());
  t->name = name;
  t->labels = std::move(labels);
  return std::move(t).value();
}

// Every line is a comment (# HELP / # TYPE) or `name{labels} value` in the 0.0.4 text format, and every sample's
// family has HELP and TYPE before it.
void ExpectValidExposition(const std::string& text) {
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*)?\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$)");
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)$)");
  std::set<std::string> typed, helped;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) {
      helped.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (std::regex_match(line, m, kType)) {
      typed.insert(m[1]);
    } else {
      ASSERT_TRUE(std::regex_match(line, m, kSample)) << "not a sample line: " << line;
      std::string family = m[1];
      for (const char* suffix : {"_sum", "_count"}) {
        if (!typed.count(family) && family.size() > strlen(suffix) &&
            family.compare(family.size() - strlen(suffix), strlen(suffix), suffix) == 0) {
          family = family.substr(0, family.size() - strlen(suffix));
        }
      }
      EXPECT_TRUE(typed.count(family)) << "no TYPE for " << line;
      EXPECT_TRUE(helped.count(family)) << "no HELP for " << line;
    }
  }
}

TEST(WatchMetrics, ExpositionHasHelpTypeAndEscapedLabels) {
  Metrics m;
  m.AddTarget(T("api", {{"cluster", "eu\"1"}}));
  m.AddTarget(T("db"));
  m.Scraped("api", 0.25, true);
  m.Sample("api", 120, 3.5, {{"main.notifyAudit", "main.notifyAudit main.go:27", 100, 2.5},
                             {"weird\\name\n", "x \"y\"", 1, 0}});
  m.Alerted("api", "growth");
  m.Alerted("api", "growth");
  m.Scraped("db", 0.5, false);
  m.ScrapeError("db", "connect");
  m.Restarted("api");
  std::string text = m.Render();
  ExpectValidExposition(text);
  EXPECT_NE(text.find("leakhound_watch_goroutines{target=\"api\",cluster=\"eu\\\"1\"} 120\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("leakhound_watch_up{target=\"db\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("leakhound_watch_alerts_total{target=\"api\",cluster=\"eu\\\"1\",rule=\"growth\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("leakhound_watch_scrape_errors_total{target=\"db\",reason=\"connect\"} 1\n"), std::string::npos);
  // The other counters exist at 0 from the start (increase() then sees a first alert).
  EXPECT_NE(text.find("leakhound_watch_alerts_total{target=\"db\",rule=\"growth\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("leakhound_watch_alerts_total{target=\"api\",cluster=\"eu\\\"1\",rule=\"proven\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("leakhound_watch_scrape_errors_total{target=\"api\",cluster=\"eu\\\"1\",reason=\"timeout\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("bucket=\"weird\\\\name\\n\",site=\"x \\\"y\\\"\""), std::string::npos) << text;
  EXPECT_NE(text.find("leakhound_watch_scrape_duration_seconds_count{target=\"db\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("leakhound_watch_restarts_total{target=\"api\",cluster=\"eu\\\"1\"} 1\n"), std::string::npos);
  EXPECT_EQ(text.find("leakhound_watch_goroutines{target=\"db\""), std::string::npos)
      << "no goroutine count for a target never sampled";
}

TEST(WatchMetrics, BucketSeriesAreReplacedNotAccumulated) {
  Metrics m;
  m.AddTarget(T("api"));
  for (int i = 0; i < 50; ++i) {
    m.Sample("api", 10, std::nullopt, {{"main.f" + std::to_string(i), "site", 1, 0}});
  }
  std::string text = m.Render();
  size_t n = 0;
  for (size_t at = text.find("leakhound_watch_bucket_goroutines{"); at != std::string::npos;
       at = text.find("leakhound_watch_bucket_goroutines{", at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 1u) << "label cardinality stays at what the last sample's top-N named";
}

TEST(WatchMetrics, ServerBindsLoopbackAndServesTheExposition) {
  Metrics m;
  m.AddTarget(T("api"));
  m.Sample("api", 7, 1.0, {});
  MetricsServer server;
  ASSERT_TRUE(server.Start("0", &m).ok()) << "a bare port binds 127.0.0.1";
  EXPECT_EQ(server.host(), "127.0.0.1");
  ASSERT_GT(server.port(), 0);
  auto body = dump::FetchUrl("http://127.0.0.1:" + std::to_string(server.port()) + "/metrics", dump::FetchOptions{});
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_NE(body->find("leakhound_watch_goroutines{target=\"api\"} 7\n"), std::string::npos) << *body;
  // Sixteen clients that connect and send half a request (slowloris) do not stop it from answering.
  std::vector<int> slow;
  for (int i = 0; i < 16; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_GT(::send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n", 33, 0), 0);
    slow.push_back(fd);
  }
  dump::FetchOptions quick;
  quick.timeout = std::chrono::milliseconds(3000);
  quick.deadline = std::chrono::milliseconds(3000);
  auto again = dump::FetchUrl("http://127.0.0.1:" + std::to_string(server.port()) + "/metrics", quick);
  EXPECT_TRUE(again.ok()) << again.status().message();
  for (int fd : slow) ::close(fd);
  server.Stop();
  MetricsServer bad;
  EXPECT_FALSE(bad.Start("127.0.0.1:notaport", &m).ok());
}

}  // namespace
}  // namespace leakhound::watch
