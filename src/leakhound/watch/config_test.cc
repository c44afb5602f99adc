#include "leakhound/watch/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace leakhound::watch {
namespace {

TEST(WatchConfig, DurationsAcceptUnitsAndBareSeconds) {
  EXPECT_EQ(ParseDuration("200ms")->count(), 200);
  EXPECT_EQ(ParseDuration("15s")->count(), 15000);
  EXPECT_EQ(ParseDuration("30m")->count(), 1800000);
  EXPECT_EQ(ParseDuration("1h")->count(), 3600000);
  EXPECT_EQ(ParseDuration("1m30s")->count(), 90000);
  EXPECT_EQ(ParseDuration("2.5")->count(), 2500);
  EXPECT_EQ(ParseDuration("0.5s")->count(), 500);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("fast").ok());
  EXPECT_FALSE(ParseDuration("5 parsecs").ok());
  EXPECT_FALSE(ParseDuration("-5s").ok());
  EXPECT_EQ(FormatDuration(Millis(200)), "200ms");
  EXPECT_EQ(FormatDuration(Millis(1800000)), "30m");
}

TEST(WatchConfig, TargetUrlsResolveToThePprofBase) {
  auto a = MakeTarget("http://127.0.0.1:6060", Rules{}, Millis(1000));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->base, "http://127.0.0.1:6060/debug/pprof/");
  EXPECT_EQ(a->name, "127.0.0.1:6060");
  EXPECT_EQ(a->GoroutineUrl(), "http://127.0.0.1:6060/debug/pprof/goroutine?debug=0") << "the protobuf by default";
  Target text = *a;
  text.profile = ScrapeProfile::kDebug1;
  EXPECT_EQ(text.GoroutineUrl(), "http://127.0.0.1:6060/debug/pprof/goroutine?debug=1");
  ScrapeProfile p = ScrapeProfile::kDebug0;
  EXPECT_TRUE(ParseScrapeProfile("debug1", &p));
  EXPECT_EQ(p, ScrapeProfile::kDebug1);
  EXPECT_FALSE(ParseScrapeProfile("debug2", &p)) << "the full dump is for alerts only";
  EXPECT_EQ(a->DumpUrl(), "http://127.0.0.1:6060/debug/pprof/goroutine?debug=2");
  EXPECT_EQ(a->FingerprintUrl(), "http://127.0.0.1:6060/debug/pprof/mutex?debug=1");
  EXPECT_EQ(MakeTarget("http://h:1/debug/pprof/goroutine?debug=2", Rules{}, Millis(1))->base, "http://h:1/debug/pprof/");
  EXPECT_EQ(MakeTarget("http://h:1/admin/", Rules{}, Millis(1))->base, "http://h:1/admin/debug/pprof/");
  EXPECT_FALSE(MakeTarget("127.0.0.1:6060", Rules{}, Millis(1)).ok());
}

TEST(WatchConfig, TargetsFileAppliesDefaultsThenPerTargetOverrides) {
  std::string path = std::filesystem::temp_directory_path() / ("targets-" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream f(path);
    f << "defaults:\n  min_samples: 12\n  cooldown: 5m\n"
         "targets:\n"
         "  - url: http://10.0.0.1:6060\n    name: api\n    labels: {cluster: eu1, team: core}\n"
         "    max_goroutines: 5000\n    timeout: 2s\n"
         "  - http://10.0.0.2:6060\n";
  }
  Rules base;
  base.min_slope = 3;
  std::vector<Target> targets;
  util::Status s = LoadTargetsFile(path, base, Millis(5000), &targets);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].name, "api");
  EXPECT_EQ(targets[0].labels, (std::vector<std::pair<std::string, std::string>>{{"cluster", "eu1"}, {"team", "core"}}));
  EXPECT_EQ(targets[0].rules.max_goroutines, 5000u);
  EXPECT_EQ(targets[0].rules.min_samples, 12u);
  EXPECT_EQ(targets[0].rules.min_slope, 3);
  EXPECT_EQ(targets[0].rules.cooldown, Millis(300000));
  EXPECT_EQ(targets[0].timeout, Millis(2000));
  EXPECT_EQ(targets[1].name, "10.0.0.2:6060");
  EXPECT_EQ(targets[1].rules.max_goroutines, 0u);
  EXPECT_EQ(targets[1].timeout, Millis(5000));

  {
    std::ofstream f(path);
    f << "targets:\n  - url: http://h:1\n    labels: {target: x}\n";
  }
  targets.clear();
  s = LoadTargetsFile(path, base, Millis(5000), &targets);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("label name"), std::string::npos) << s.message();
  {
    std::ofstream f(path);
    f << "targets:\n  - url: http://h:1\n    min_sample: 3\n";
  }
  s = LoadTargetsFile(path, base, Millis(5000), &targets);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(":3: unknown key 'min_sample' in a target (did you mean 'min_samples'?"), std::string::npos)
      << s.message();
  {
    std::ofstream f(path);
    f << "targets: [\n";
  }
  EXPECT_FALSE(LoadTargetsFile(path, base, Millis(5000), &targets).ok());
  std::filesystem::remove(path);
}

TEST(WatchConfig, ListenDefaultsToLoopback) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(ParseListen("9464", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9464);
  ASSERT_TRUE(ParseListen(":9464", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  ASSERT_TRUE(ParseListen("0.0.0.0:1", &host, &port).ok());
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_FALSE(ParseListen("host:99999", &host, &port).ok());
}

}  // namespace
}  // namespace leakhound::watch
