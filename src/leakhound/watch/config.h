// What `leakhound watch` watches and how: the targets (pprof base URLs, with a name, labels and per-target rule
// overrides, from the command line or a targets.yaml file), the alert rules, and the loop's settings.
//
// Plain values; thread-safe to read once built.
#ifndef LEAKHOUND_WATCH_CONFIG_H_
#define LEAKHOUND_WATCH_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leakhound/util/status.h"
#include "leakhound/verdict/knowledge.h"

namespace leakhound::watch {

using Millis = std::chrono::milliseconds;

// When an alert fires. Each target starts from the command line's rules; targets.yaml may override any of them.
struct Rules {
  uint64_t max_goroutines = 0;  // total above this fires (the runtime.NumGoroutine() fuse); 0: off
  size_t min_samples = 8;       // a bucket must have grown over this many consecutive samples
  double min_slope = 1.0;       // ... at least this many goroutines per minute (least squares over those samples)
  int64_t min_growth = 5;       // ... and by at least this many goroutines in total
  bool definite = true;         // a bucket whose verdict is definite (can never wake) fires
  Millis cooldown{std::chrono::minutes(10)};  // the same alert (target, rule, bucket) fires at most once per this
};

// Which goroutine profile a scrape reads. debug=0 (gzipped pprof protobuf) keeps the runtime frames at the top of
// every stack, from which the reader infers the wait state ("chan send (nil chan)", "select (no cases)", ...): what the
// `definite` rule needs. debug=1 text hides them (its states are unknown), so with it that rule never fires on a real
// service.
enum class ScrapeProfile { kDebug0, kDebug1 };
// "debug0" / "debug1"; false when unknown.
bool ParseScrapeProfile(std::string_view s, ScrapeProfile* out);

struct Target {
  std::string url;   // as given
  std::string base;  // ".../debug/pprof/" derived from url
  std::string name;  // display name and `target` label (default: host:port)
  std::vector<std::pair<std::string, std::string>> labels;  // extra Prometheus labels, from targets.yaml
  Rules rules;
  Millis timeout{5000};
  ScrapeProfile profile = ScrapeProfile::kDebug0;

  std::string GoroutineUrl() const {
    return base + (profile == ScrapeProfile::kDebug0 ? "goroutine?debug=0" : "goroutine?debug=1");
  }
  std::string DumpUrl() const { return base + "goroutine?debug=2"; }
  // Go >= 1.26 built with GOEXPERIMENT=goroutineleakprofile: the goroutines the runtime proves leaked. Each request
  // runs a leak-detecting GC cycle in the target.
  std::string LeakUrl(int debug) const { return base + "goroutineleak?debug=" + std::to_string(debug); }
  // The mutex profile's header carries "cycles/second=N", calibrated once per process: the restart fingerprint.
  std::string FingerprintUrl() const { return base + "mutex?debug=1"; }
};

// Replica `index` (0-based) of `count` (--shard i/n): the targets whose stable hash (FNV-1a 64 of the pprof base
// URL, the same on every replica and run) falls to it. Implemented in discovery.cc.
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
  bool Owns(const Target& t) const;
  std::string Label() const;  // "1/3" (1-based, as given on the command line)
};

// Builds a target from a URL: "http://host:port", ".../debug/pprof/", or ".../debug/pprof/goroutine?debug=N".
util::Result<Target> MakeTarget(std::string_view url, const Rules& rules, Millis timeout);

// "200ms", "15s", "30m", "1h", "1m30s"; a bare number is seconds. Fails on anything else or a negative value.
util::Result<Millis> ParseDuration(std::string_view text);
std::string FormatDuration(Millis d);

// Reads a targets file and appends its targets to `out`:
//   targets:
//     - url: http://127.0.0.1:6060
//       name: api                    # optional
//       labels: {cluster: eu1}       # optional; Prometheus label names
//       max_goroutines: 10000        # optional overrides of the command line's rules
//       min_samples: 10
//       min_slope: 2                 # per minute
//       min_growth: 20
//       definite: false
//       cooldown: 5m
//       timeout: 3s
// A top-level `defaults:` map with the same rule keys applies to every target of the file before its own keys.
util::Status LoadTargetsFile(const std::string& path, const Rules& rules, Millis timeout, std::vector<Target>* out);

enum class OutputMode { kTable, kJson };

struct WatchOptions {
  std::vector<Target> targets;
  Millis interval{15000};
  Millis window{std::chrono::minutes(30)};
  Millis duration{0};  // stop after this long (0: until stopped)
  bool once = false;   // one round, then stop
  size_t max_body = size_t{64} << 20;        // profile bodies above this are refused (too_large)
  size_t max_dump_body = size_t{512} << 20;  // the debug=2 dump taken on alert
  unsigned concurrency = 8;                  // scrapes in flight at once
  // The runtime's proof: every leak_every rounds (0: never) each target's goroutineleak profile is scraped beside
  // its goroutine profile, and buckets holding goroutines it lists alert `proven`; on every alert it is fetched with
  // the dump (leak_on_alert). A target that answers 404 (a build without the experiment) is not asked again.
  unsigned leak_every = 0;
  bool leak_on_alert = true;

  std::string dump_dir;           // empty: no dumps
  size_t dump_keep = 20;          // rotation: at most this many dump files ...
  uint64_t dump_max_bytes = uint64_t{1} << 30;  // ... and at most this many bytes in total

  // Discovery (file_sd, HTTP SD, a Prometheus server's targets): targets come and go while the watch runs; one that
  // left is no longer scraped, and its series leave the metrics after sd_grace. nullptr: the targets above only.
  std::shared_ptr<class Discovery> discovery;
  Millis sd_grace{std::chrono::minutes(5)};
  // This replica's share of every target (static and discovered): --shard i/n. Its series carry shard="i/n".
  Shard shard;

  std::vector<std::string> alertmanagers;  // Alertmanager base URLs: alerts posted, re-sent and resolved
  Millis alertmanager_resend{60000};

  std::string webhook;            // empty: none
  std::string webhook_format = "json";  // json (leakhound's alert event) or slack ({"text": ...})
  Millis webhook_timeout{5000};
  int webhook_retries = -1;       // attempts after the first, per alert; -1: as many as webhook_max_age allows
  Millis webhook_max_age{std::chrono::minutes(10)};  // keep retrying an alert this long (a receiver that is down)

  std::string metrics_listen;     // "HOST:PORT" or "PORT"; empty: no endpoint
  size_t metrics_top = 10;        // bucket series per target

  // The HTML page (report::WriteWatchHtml) written at the end of the run, atomically: the samples of every target
  // over the window. With dump_dir, each dump taken on alert gets a page beside it too (X.txt, X.html: the dump's
  // analysis and the target's trend up to then), rotated with the dump. Empty: no pages.
  std::string html_path;
  size_t html_top = 8;            // bucket trend lines per target
  std::string version;            // shown in the pages' footer

  // The project's knowledge (.leakhound.yaml: ignores win, signatures add); nullptr: the built-in base.
  std::shared_ptr<const verdict::KnowledgeBase> knowledge;

  OutputMode mode = OutputMode::kJson;
  bool color = false;
};

// Splits "HOST:PORT", ":PORT" or "PORT" (host 127.0.0.1). Fails on a bad port.
util::Status ParseListen(std::string_view listen, std::string* host, int* port);

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_CONFIG_H_
