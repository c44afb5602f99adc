// Targets from the inventory a fleet already has, in Prometheus's own formats: file_sd files (JSON or YAML, re-read
// when they change), HTTP SD endpoints, and the active targets of a running Prometheus server (/api/v1/targets). And
// sharding: `--shard i/n` keeps the targets whose stable hash falls to replica i, so n watchers split a fleet without
// talking to each other.
//
// A discovered target is a scrape address (host:port) with labels. Its pprof base URL is that address (or the one a
// label names, or the same host on another port), scheme from __scheme__, path /debug/pprof/. Its name is its
// `instance` label, else the address; its labels (those not starting with "__") go on every series of the target,
// leakhound's own label names (target, bucket, site, reason, rule, shard) renamed exported_NAME as Prometheus does.
//
// Thread-safety: the parse functions are pure. Discovery polls on a thread of its own (Start); Latest may be called
// from any thread.
#ifndef LEAKHOUND_WATCH_DISCOVERY_H_
#define LEAKHOUND_WATCH_DISCOVERY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "leakhound/util/status.h"
#include "leakhound/watch/config.h"

namespace leakhound::watch {

// How a discovered address becomes a pprof URL.
struct SdTargetOptions {
  int pprof_port = 0;       // pprof listens on this port of every discovered host (0: the address's own port)
  std::string pprof_label;  // a label whose value is the pprof address (host:port or URL); wins where present
  ScrapeProfile profile = ScrapeProfile::kDebug0;
};

// "i/n" with 1 <= i <= n.
util::Result<Shard> ParseShard(std::string_view text);
// FNV-1a 64 of the target's pprof base URL: the same on every replica and every run.
uint64_t TargetHash(const Target& t);

// Prometheus's SD format, [{"targets": ["host:port", ...], "labels": {"k": "v"}}, ...], in JSON or YAML. `source`
// names the file or URL in errors.
util::Result<std::vector<Target>> ParseSdGroups(std::string_view text, bool yaml, const std::string& source,
                                                const SdTargetOptions& sd, const Rules& rules, Millis timeout);

// Which of a Prometheus server's active targets to watch: those whose job is one of `jobs` (none: every job) and
// whose labels have every `match` pair.
struct PrometheusSelector {
  std::vector<std::string> jobs;
  std::vector<std::pair<std::string, std::string>> match;
};
// The JSON of GET /api/v1/targets?state=active.
util::Result<std::vector<Target>> ParsePrometheusTargets(std::string_view json_text, const std::string& source,
                                                         const PrometheusSelector& select, const SdTargetOptions& sd,
                                                         const Rules& rules, Millis timeout);

class Discovery {
 public:
  struct Options {
    std::vector<std::string> files;  // file_sd: *.json, *.yml, *.yaml
    std::vector<std::string> http;   // HTTP SD URLs
    std::string prometheus;          // a Prometheus server's base URL
    PrometheusSelector select;
    SdTargetOptions sd;
    Millis refresh{30000};  // URLs are polled this often; files are checked every second
    Millis timeout{10000};  // per request
  };
  // `fetch(url, timeout)` returns a body or an error (the watch passes its HTTP client).
  using Fetch = std::function<util::Result<std::string>(const std::string& url, Millis timeout)>;

  Discovery(Options options, Rules rules, Millis target_timeout, Fetch fetch);
  ~Discovery();  // stops the thread
  Discovery(const Discovery&) = delete;
  Discovery& operator=(const Discovery&) = delete;

  bool empty() const { return sources_.empty(); }
  // Reads every source once (errors returned), then starts polling on a thread.
  std::vector<std::string> Start();
  // The targets of every source (a source that fails keeps its last good list) and a generation number that grows
  // whenever they change; errors since the last call are appended to `errors`.
  std::vector<Target> Latest(uint64_t* generation, std::vector<std::string>* errors);

 private:
  struct Source {
    enum Kind { kFile, kHttp, kPrometheus } kind = kFile;
    std::string where;
    std::vector<Target> targets;
    std::chrono::steady_clock::time_point next{};
    int64_t stamp_ns = -1;  // file: mtime
    int64_t stamp_size = -1;
    std::string last_body;  // HTTP: unchanged bodies change nothing
  };
  // Re-reads what is due; true when any source's targets changed.
  bool PollOnce(std::chrono::steady_clock::time_point now, std::vector<std::string>* errors);
  void Loop();
  // latest_ = the union of the sources' targets (first of a base URL wins); next generation. REQUIRES: mu_ held.
  void PublishLocked();

  Options options_;
  Rules rules_;
  Millis target_timeout_;
  Fetch fetch_;
  std::vector<Source> sources_;  // the poll thread's, after Start

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t generation_ = 0;
  std::vector<Target> latest_;
  std::vector<std::string> errors_;
  std::thread thread_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_DISCOVERY_H_
