// The watch's numbers in Prometheus text exposition format 0.0.4, and the HTTP endpoint that serves them
// (GET /metrics; binds 127.0.0.1 unless told otherwise).
//
//   leakhound_watch_up{target}                                   1 when the last scrape gave a usable profile
//   leakhound_watch_goroutines{target}                           total goroutines in the last profile
//   leakhound_watch_goroutines_slope_per_minute{target}          least squares over the window
//   leakhound_watch_bucket_goroutines{target,bucket,site}        the top-N buckets (by recent growth, then count)
//   leakhound_watch_bucket_slope_per_minute{target,bucket,site}  ... their slope over the window
//   leakhound_watch_alerts_total{target,rule}                    alerts fired (after cooldown)
//   leakhound_watch_scrape_errors_total{target,reason}           failed scrapes by reason (connect, timeout, ...)
//   leakhound_watch_scrapes_total{target}                        scrapes attempted
//   leakhound_watch_restarts_total{target}                       process restarts detected
//   leakhound_watch_scrape_duration_seconds{target}              summary (_sum, _count) of fetch + parse time
//   leakhound_watch_last_scrape_duration_seconds{target}         the last one
// Every per-target series also carries the target's labels from targets.yaml. Bucket series are bounded to the top N
// per target and replaced at each scrape, so label cardinality stays at targets x N.
//
// Thread-safety: every method of Metrics may be called from any thread.
#ifndef LEAKHOUND_WATCH_METRICS_H_
#define LEAKHOUND_WATCH_METRICS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "leakhound/util/status.h"
#include "leakhound/watch/config.h"

namespace httplib {
class Server;
}

namespace leakhound::watch {

class Metrics {
 public:
  struct BucketPoint {
    std::string bucket;  // entry function
    std::string site;    // blocking site
    uint64_t goroutines = 0;
    double slope = 0;
  };

  // Registers a target (fixes its order in the output and its extra labels).
  void AddTarget(const Target& target);
  // Drops every series of a target (it left the inventory).
  void RemoveTarget(const std::string& target);
  void Scraped(const std::string& target, double seconds, bool up);
  void ScrapeError(const std::string& target, std::string_view reason);
  void Sample(const std::string& target, uint64_t goroutines, std::optional<double> slope,
              std::vector<BucketPoint> top);
  void Restarted(const std::string& target);
  void Alerted(const std::string& target, std::string_view rule);

  std::string Render() const;

 private:
  struct PerTarget {
    std::string labels;  // rendered: target="x",k="v"
    bool up = false;
    bool sampled = false;
    uint64_t goroutines = 0;
    std::optional<double> slope;
    std::vector<BucketPoint> top;
    std::map<std::string, uint64_t> alerts;  // by rule
    std::map<std::string, uint64_t> errors;  // by reason
    uint64_t scrapes = 0, restarts = 0;
    double duration_sum = 0, last_duration = 0;
  };
  PerTarget& Get(const std::string& target);

  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, PerTarget> targets_;
};

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view v);

class MetricsServer {
 public:
  MetricsServer();
  ~MetricsServer();  // stops and joins
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Binds `listen` ("HOST:PORT", ":PORT", "PORT"; port 0 picks a free one) and serves `metrics` on a thread.
  // REQUIRES: `metrics` outlives the server.
  util::Status Start(const std::string& listen, const Metrics* metrics);
  void Stop();
  int port() const { return port_; }
  const std::string& host() const { return host_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_METRICS_H_
