// `leakhound watch`: the scrape loop. Every interval each target's goroutine profile (debug=0 or 1) is scraped (on a
// small thread pool, `concurrency` at a time), added to the target's TargetSeries, and checked by the alert rules;
// alerts that pass their cooldown go to one alert worker thread, which takes a debug=2 dump of the target, writes it
// to the dump directory (atomically, with rotation), analyzes it for the alert's bucket (verdict, creating site),
// reports the alert and POSTs it to the webhook. Every step reports to an Output as JSON events (schema
// leakhound.watch/v1) and to Metrics (served on --metrics-listen). With options.html_path, the alert worker writes an
// HTML page beside each dump and Run writes the page of every target's trends at the end.
//
// A target that fails (down, slow, garbage, HTML, truncated, oversize) is counted by reason and retried next round;
// it never stops the loop or touches another target's series. A restart of a target's process (see
// scraper.h: ParseFingerprint; without a fingerprint, a refused connection followed by a usable scrape) resets that
// target's series.
//
// Thread-safety: one thread calls Start and Run; `stop` may be set from any thread or a signal handler. The Output
// is called from the loop thread and the alert worker, never concurrently (the Watcher serialises the calls).
#ifndef LEAKHOUND_WATCH_WATCHER_H_
#define LEAKHOUND_WATCH_WATCHER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leakhound/report/report.h"
#include "leakhound/util/status.h"
#include "leakhound/watch/config.h"
#include "leakhound/watch/events.h"
#include "leakhound/watch/metrics.h"

namespace leakhound::watch {

// One row of the live table.
struct TargetStatus {
  std::string name;
  bool up = false;
  bool sampled = false;
  uint64_t total = 0;
  std::optional<double> slope;  // per minute, window
  size_t samples = 0;
  std::string top_bucket;       // the bucket that grew most recently: "entry @ blocking site"
  int64_t top_growth = 0;
  double top_slope = 0;
  std::string error;            // last scrape error reason, when the last scrape failed
  uint64_t alerts = 0;
};

class Output {
 public:
  virtual ~Output() = default;
  virtual void Event(const nlohmann::json& event) = 0;
  // After each round, with every target's row (in the order given).
  virtual void Round(const std::vector<TargetStatus>& targets) {}
};

struct TargetSummary {
  std::string name;
  uint64_t scrapes = 0, failures = 0, restarts = 0, alerts = 0;
  std::map<std::string, uint64_t> errors;  // by reason
  bool ever_up = false;
  uint64_t last_total = 0;
  size_t memory_bytes = 0;  // of its series at the end
};

struct Summary {
  uint64_t rounds = 0;
  double seconds = 0;
  uint64_t alerts = 0;
  uint64_t dumps = 0;
  size_t reachable = 0;  // targets that gave a usable profile at least once
  std::vector<TargetSummary> targets;
  std::string html;        // the page written at the end (options.html_path), when it was written
  std::string html_error;  // why it could not be
  nlohmann::json ToJson() const;
};

class Watcher {
 public:
  // REQUIRES: `output` outlives the Watcher; options.targets is not empty, or options.discovery is set.
  Watcher(WatchOptions options, Output* output);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Binds the metrics endpoint, if any. Fails when it cannot be bound.
  util::Status Start();
  // "http://HOST:PORT/metrics" once Start succeeded with a metrics endpoint, else "".
  std::string MetricsUrl() const;
  const Metrics& metrics() const { return metrics_; }

  // Runs rounds until `stop` is set, --duration has passed, or after one round with --once; then waits for pending
  // alerts (dumps and webhooks) and returns what happened.
  Summary Run(const std::atomic<bool>& stop);

 private:
  struct State;
  void Emit(const nlohmann::json& event);
  // Adds a target unless another replica's (--shard); it gets the shard label. Loop thread (or the constructor).
  bool AddTarget(Target t);
  // Takes discovery's latest targets: adds the new, stops scraping those gone, drops the series of those gone for
  // longer than the grace period. Loop thread.
  void SyncDiscovered(std::chrono::steady_clock::time_point now);
  const verdict::KnowledgeBase& Knowledge() const {
    return options_.knowledge ? *options_.knowledge : verdict::KnowledgeBase::BuiltIn();
  }
  struct PerTarget;
  // One scrape of a target at `minute` and everything that follows from it (series, events, metrics, alerts).
  void ScrapeAndProcess(const std::shared_ptr<PerTarget>& target, double minute);
  void HandleAlerts(std::shared_ptr<PerTarget> target, std::vector<struct Alert> alerts,
                    std::shared_ptr<report::WatchHtmlTarget> trend);
  // The target's window as a report section. Loop thread only.
  report::WatchHtmlTarget TrendOf(const PerTarget& target) const;
  // Puts the target's alerts (and `extra`) in `t`, page links relative to `page_dir`, and the verdicts its alerts
  // raised on t's buckets. REQUIRES: target.alerts_mu held.
  void AddAlertsToTrend(const PerTarget& target, const std::vector<report::WatchHtmlAlert>& extra,
                        const std::string& page_dir, report::WatchHtmlTarget* t) const;

  WatchOptions options_;
  Output* output_;
  Metrics metrics_;
  std::unique_ptr<MetricsServer> server_;
  std::unique_ptr<State> state_;
  std::unique_ptr<class AlertmanagerSink> alertmanager_;
  std::mutex output_mu_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_WATCHER_H_
