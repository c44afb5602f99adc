// Alertmanager as a sink of its own: every alert leakhound fires is POSTed to /api/v2/alerts of each Alertmanager,
// with labels (alertname GoroutineLeak, target, rule, bucket, site, verdict, the target's labels and shard) and
// annotations (summary, description, dump, html, created_by, proven). Alertmanager forgets an alert that is not
// re-sent, so every alert that still holds is re-sent each `resend` with endsAt four resends ahead; one whose
// condition has not held for `resolve_after` rounds of its target, or whose target is gone, is sent once more with
// endsAt now: resolved. Posting happens on a thread of its own and is retried at the next resend, so a down
// Alertmanager never holds up scraping; Alertmanager de-duplicates by labels.
//
// Thread-safety: every public method may be called from any thread.
#ifndef LEAKHOUND_WATCH_ALERTMANAGER_H_
#define LEAKHOUND_WATCH_ALERTMANAGER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "leakhound/watch/alerts.h"
#include "leakhound/watch/config.h"

namespace leakhound::watch {

class AlertmanagerSink {
 public:
  struct Options {
    std::vector<std::string> urls;  // Alertmanager base URLs: http://127.0.0.1:9093
    Millis timeout{5000};           // per POST
    Millis resend{60000};           // firing alerts are re-sent this often
    std::string generator_url;      // where the alert came from (the watcher's /metrics), may be empty
  };
  // `on_error(message)`: a POST that failed (called on the sink's thread).
  AlertmanagerSink(Options options, std::function<void(const std::string&)> on_error);
  ~AlertmanagerSink();  // one last attempt to send what is pending (resolutions included), then stops
  AlertmanagerSink(const AlertmanagerSink&) = delete;
  AlertmanagerSink& operator=(const AlertmanagerSink&) = delete;

  // An alert fired (after its dump and verdict): it is sent now and re-sent while it holds. A key that is firing
  // already keeps its start; if its labels changed (another verdict), the old one is resolved.
  void Fire(const Alert& alert, const Target& target);
  // After each scrape of `target`: the alert keys whose condition holds now. Firing alerts of the target not among
  // them for `resolve_after` consecutive calls are resolved.
  void Observe(const std::string& target, const std::set<std::string>& holding, size_t resolve_after);
  // Resolves every alert of `target` (it left the inventory, or the run ends).
  void ResolveTarget(const std::string& target);
  void ResolveAll();
  // Sends what is pending now and waits for that attempt (until `deadline`).
  void Flush(std::chrono::steady_clock::time_point deadline);

  uint64_t posts() const;
  uint64_t failures() const;

  // The JSON body of one alert as Alertmanager's API v2 takes it. Exposed for tests.
  static nlohmann::json Body(const Alert& alert, const Target& target, const std::string& starts_at,
                             const std::string& ends_at, const std::string& generator_url);
  // RFC 3339 in UTC, milliseconds: "2026-12-06T23:59:00.123Z".
  static std::string Rfc3339(std::chrono::system_clock::time_point t);

 private:
  struct Firing {
    std::string target;
    nlohmann::json labels, annotations;
    std::chrono::system_clock::time_point starts;
    size_t misses = 0;
  };
  void Loop();
  // The body of every firing alert and of the pending resolutions. REQUIRES: mu_ held.
  nlohmann::json Batch(std::chrono::system_clock::time_point now);
  void Resolve(std::map<std::string, Firing>::iterator it);  // REQUIRES: mu_ held

  Options options_;
  std::function<void(const std::string&)> on_error_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Firing> firing_;          // by alert key
  std::vector<nlohmann::json> resolved_;          // sent with endsAt = now at the next post, then forgotten
  bool dirty_ = false;                            // something to send before the next resend
  bool stop_ = false;
  uint64_t sent_generation_ = 0, generation_ = 0; // Flush waits for a post that began after it was called
  uint64_t posts_ = 0, failures_ = 0;
  std::thread thread_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_ALERTMANAGER_H_
