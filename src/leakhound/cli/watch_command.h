// `leakhound watch`: options and wiring (the loop lives in watch/watcher.h).
#ifndef LEAKHOUND_CLI_WATCH_COMMAND_H_
#define LEAKHOUND_CLI_WATCH_COMMAND_H_

#include <string>
#include <vector>

namespace leakhound::cli {

struct WatchFlags {
  std::vector<std::string> targets;
  std::string config;               // targets.yaml
  std::string interval = "15s";
  std::string window = "30m";
  std::string timeout = "5s";
  std::string duration;             // empty: until stopped
  bool once = false;
  uint64_t max_goroutines = 0;
  size_t min_samples = 8;
  double min_slope = 1.0;
  int64_t min_growth = 5;
  bool no_definite = false;
  std::string cooldown = "10m";
  std::string dump_dir;
  size_t dump_keep = 20;
  uint64_t dump_max_mb = 1024;
  std::string webhook;
  std::string webhook_format = "json";  // json | slack
  std::vector<std::string> file_sd;     // Prometheus file_sd files
  std::vector<std::string> http_sd;     // Prometheus HTTP SD URLs
  std::string prometheus;               // a Prometheus server: its active targets
  std::vector<std::string> prometheus_job;
  std::vector<std::string> prometheus_match;  // label=value
  int pprof_port = 0;
  std::string pprof_label;
  std::string sd_refresh = "30s";
  std::string sd_grace = "5m";
  std::string shard;                    // i/n
  std::vector<std::string> alertmanager;
  std::string alertmanager_resend = "1m";
  std::string webhook_timeout = "5s";
  int webhook_retries = -1;  // -1: as many as --webhook-max-age allows
  std::string webhook_max_age = "10m";
  unsigned leak_every = 0;
  std::string knowledge;  // --knowledge FILE; empty: .leakhound.yaml here or in a parent directory
  std::string metrics_listen;
  size_t metrics_top = 10;
  uint64_t max_body_mb = 64;
  unsigned concurrency = 8;
  std::string profile = "debug0";   // debug0 | debug1: the goroutine profile each scrape reads
  std::string format = "auto";      // auto | table | json | html (html: the page to -o, events as auto)
  std::string output;               // -o: where --format html writes the page
  std::string html;                 // --html FILE: the page at the end (and beside each dump)
  std::string color = "auto";
  bool quiet = false;
};

int RunWatch(WatchFlags flags);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_WATCH_COMMAND_H_
