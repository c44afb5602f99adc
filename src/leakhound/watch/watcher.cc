#include "leakhound/watch/watcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <thread>
#include <set>
#include <unordered_set>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/reader.h"
#include "leakhound/dump/source.h"
#include "leakhound/util/strings.h"
#include "leakhound/util/thread_pool.h"
#include "leakhound/verdict/analysis.h"
#include "leakhound/verdict/verdict.h"
#include "leakhound/watch/alertmanager.h"
#include "leakhound/watch/alerts.h"
#include "leakhound/watch/discovery.h"
#include "leakhound/watch/dump_writer.h"
#include "leakhound/watch/events.h"
#include "leakhound/watch/scraper.h"
#include "leakhound/watch/series.h"
#include "leakhound/watch/webhook.h"

namespace leakhound::watch {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kTopInEvent = 3;
constexpr size_t kMaxAlertsKept = 200;  // per target, for the pages

// The target's goroutineleak profile at `debug` (0: protobuf, only leaked goroutines; 2: every goroutine, leaked ones
// marked), or nothing. An HTTP error status (404 from a build without the experiment) sets *unsupported.
std::unique_ptr<dump::Dump> FetchLeakProfile(const Target& target, int debug, std::atomic<bool>* unsupported,
                                             const std::atomic<bool>* cancel) {
  dump::FetchOptions fetch;
  fetch.cancel = cancel;
  fetch.timeout = std::max(target.timeout, Millis(10000));
  fetch.deadline = std::max(target.timeout * 4, Millis(30000));
  dump::FetchError why = dump::FetchError::kNone;
  auto body = dump::FetchUrl(target.LeakUrl(debug), fetch, &why);
  if (!body.ok()) {
    if (why == dump::FetchError::kStatus) unsupported->store(true);
    return nullptr;
  }
  auto storage = std::make_shared<std::string>(std::move(body).value());
  std::string_view bytes = *storage;
  dump::ReadOptions read;
  read.threads = 1;
  auto d = std::make_unique<dump::Dump>(dump::ParseDump(target.LeakUrl(debug), bytes, storage, read));
  // A goroutineleak profile at debug=0 says so in its sample type; at debug=2 it marks goroutines "(leaked)".
  if (debug == 0 && !d->leak_profile) return nullptr;
  return d;
}

}  // namespace

struct Watcher::PerTarget {
  PerTarget(Target t, Millis window, const verdict::KnowledgeBase* knowledge)
      : target(std::move(t)), series(window, knowledge) {}
  const Target target;
  // Discovery: a target that left the inventory is not scraped (active false); its series are dropped from the
  // metrics after the grace period (dropped). The loop thread's.
  bool active = true;
  bool dropped = false;
  Clock::time_point gone_at{};
  TargetSeries series;
  std::optional<uint64_t> fingerprint;
  bool refused_since_up = false;  // a connect error since the last usable scrape
  TargetSummary summary;
  TargetStatus status;
  uint64_t consecutive_failures = 0;
  // This round:
  ScrapeResult scrape;
  std::vector<BucketTrend> trends;
  std::string restart_how;
  std::optional<uint64_t> previous_fingerprint;
  std::atomic<bool> leak_unsupported{false};  // the target answered the goroutineleak profile with an HTTP error
  std::atomic<bool> busy{false};  // a scrape (and its processing) is in flight: at most one per target
  uint64_t round = 0;             // samples attempted: the `round` of this target's events
  std::mutex alerts_mu;            // guards the two below (the alert worker adds, the pages read)
  std::vector<report::WatchHtmlAlert> alert_list;              // the latest kMaxAlertsKept, oldest first
  std::unordered_map<uint64_t, std::string> alert_verdicts;    // by bucket signature: the verdict its alert raised
  std::mutex mu;                  // guards `shown`
  TargetStatus shown;             // the latest status, for the table (copied from `status` after each scrape)
};

struct Watcher::State {
  using PerTarget = Watcher::PerTarget;
  // Every target ever watched, in order of arrival; only the loop thread changes the vector (scrape and alert tasks
  // hold their PerTarget by shared_ptr).
  std::vector<std::shared_ptr<PerTarget>> targets;
  uint64_t discovery_generation = 0;
  std::unique_ptr<util::ThreadPool> scrapers;
  std::unique_ptr<util::ThreadPool> alerter;  // one thread: dumps and webhooks, off the scrape loop
  std::unique_ptr<DumpWriter> writer;
  Cooldown cooldown;
  std::mutex cooldown_mu;  // targets are processed on several threads at once
  bool AllowAlert(const std::string& key, Clock::time_point now, Millis cooldown_for) {
    std::lock_guard<std::mutex> lock(cooldown_mu);
    return cooldown.Allow(key, now, cooldown_for);
  }
  std::atomic<bool> cancel{false};  // set on stop and at the end of the run: fetches in flight end
  std::mutex idle_mu;
  std::condition_variable idle_cv;  // a target's scrape finished
  Clock::time_point start;
  int64_t start_unix_ms = 0;  // the wall clock at `start`: sample times in the pages
  std::atomic<uint64_t> alerts{0}, dumps{0};
  const std::atomic<bool>* stop = nullptr;  // Run's stop flag: fetches in flight end when it is set
  std::unique_ptr<WebhookQueue> webhook;    // deliveries, off every other thread
};

Watcher::Watcher(WatchOptions options, Output* output)
    : options_(std::move(options)), output_(output), state_(std::make_unique<State>()) {
  for (const Target& t : options_.targets) AddTarget(t);
  state_->scrapers = std::make_unique<util::ThreadPool>(std::max(1u, options_.concurrency));
  state_->alerter = std::make_unique<util::ThreadPool>(1);
  if (!options_.dump_dir.empty()) {
    state_->writer = std::make_unique<DumpWriter>(options_.dump_dir,
                                                  Rotation{options_.dump_keep, options_.dump_max_bytes});
  }
}

bool Watcher::AddTarget(Target t) {
  if (!options_.shard.Owns(t)) return false;
  if (options_.shard.count > 1) t.labels.emplace_back("shard", options_.shard.Label());
  for (const auto& other : state_->targets) {
    // Two discovered targets with one `instance`: the second is told apart by its URL.
    if (!other->dropped && other->target.name == t.name) t.name += " (" + t.base + ")";
  }
  auto pt = std::make_shared<PerTarget>(std::move(t), options_.window, &Knowledge());
  pt->summary.name = pt->target.name;
  pt->status.name = pt->target.name;
  metrics_.AddTarget(pt->target);
  state_->targets.push_back(std::move(pt));
  return true;
}

void Watcher::SyncDiscovered(Clock::time_point now) {
  State& st = *state_;
  if (!options_.discovery) return;
  uint64_t generation = 0;
  std::vector<std::string> errors;
  std::vector<Target> found = options_.discovery->Latest(&generation, &errors);
  for (const std::string& why : errors) {
    json e = NewEvent("discovery_error");
    e["message"] = why;
    Emit(e);
  }
  if (generation != st.discovery_generation) {
    st.discovery_generation = generation;
    std::unordered_set<std::string> wanted;
    for (const Target& t : options_.targets) wanted.insert(t.base);  // the command line's and targets.yaml's stay
    json added = json::array(), removed = json::array();
    for (Target& t : found) {
      if (!options_.shard.Owns(t) || !wanted.insert(t.base).second) continue;
      bool known = false;
      for (auto& pt : st.targets) {
        if (pt->target.base != t.base || pt->dropped) continue;
        known = true;
        if (!pt->active) {
          pt->active = true;  // back within the grace period: its series go on
          added.push_back({{"name", pt->target.name}, {"url", pt->target.url}});
        }
      }
      if (!known && AddTarget(t)) {
        added.push_back({{"name", st.targets.back()->target.name}, {"url", st.targets.back()->target.url}});
      }
    }
    for (auto& pt : st.targets) {
      if (pt->active && !wanted.count(pt->target.base)) {
        pt->active = false;
        pt->gone_at = now;
        removed.push_back({{"name", pt->target.name}, {"url", pt->target.url}});
      }
    }
    if (!added.empty() || !removed.empty()) {
      json e = NewEvent("targets");
      e["added"] = added;
      e["removed"] = removed;
      size_t active = 0;
      for (auto& pt : st.targets) active += pt->active ? 1 : 0;
      e["active"] = active;
      Emit(e);
    }
  }
  // Gone for longer than the grace period: its series leave the metrics, its memory is freed.
  for (auto& pt : st.targets) {
    if (pt->active || pt->dropped || now - pt->gone_at < options_.sd_grace || pt->busy.load()) continue;
    pt->dropped = true;
    metrics_.RemoveTarget(pt->target.name);
    pt->series.Reset();
    if (alertmanager_) alertmanager_->ResolveTarget(pt->target.name);
  }
}

Watcher::~Watcher() {
  state_->alerter.reset();  // finishes pending alerts
  if (server_) server_->Stop();
}

util::Status Watcher::Start() {
  if (options_.metrics_listen.empty()) return util::Status::Ok();
  server_ = std::make_unique<MetricsServer>();
  return server_->Start(options_.metrics_listen, &metrics_);
}

std::string Watcher::MetricsUrl() const {
  if (!server_) return "";
  std::string host = server_->host().find(':') != std::string::npos ? "[" + server_->host() + "]" : server_->host();
  return fmt::format("http://{}:{}/metrics", host, server_->port());
}

void Watcher::Emit(const json& event) {
  std::lock_guard<std::mutex> lock(output_mu_);
  output_->Event(event);
}

report::WatchHtmlTarget Watcher::TrendOf(const PerTarget& pt) const {
  const TargetSeries& s = pt.series;
  report::WatchHtmlTarget t;
  t.name = pt.target.name;
  t.url = pt.target.url;
  t.alerts = pt.summary.alerts;
  std::vector<TargetSeries::BucketCounts> top = s.TopBuckets(options_.html_top);
  for (const TargetSeries::BucketCounts& b : top) {
    const BucketInfo& info = *b.info;
    report::WatchHtmlBucket wb{info.blocking_function.empty() ? info.entry : info.blocking_function,
                               info.blocking_file, info.blocking_line, info.created_by, info.state,
                               info.verdict, info.reason, ""};
    wb.signature = info.signature;
    t.buckets.push_back(std::move(wb));
  }
  for (size_t k = 0; k < s.samples(); ++k) {
    report::WatchHtmlSample sample;
    sample.unix_ms = state_->start_unix_ms + static_cast<int64_t>(s.minutes()[k] * 60000.0);
    sample.total = s.totals()[k];
    for (const TargetSeries::BucketCounts& b : top) sample.counts.push_back((*b.counts)[k]);
    t.samples.push_back(std::move(sample));
  }
  return t;
}

void Watcher::HandleAlerts(std::shared_ptr<PerTarget> pt, std::vector<Alert> alerts,
                           std::shared_ptr<report::WatchHtmlTarget> trend) {
  const Target& target = pt->target;
  // One dump for every alert of this target and round.
  dump::FetchOptions fetch;
  fetch.timeout = std::max(target.timeout, Millis(10000));
  fetch.deadline = std::max(target.timeout * 4, Millis(30000));
  fetch.max_bytes = options_.max_dump_body;
  fetch.cancel = state_->stop;
  dump::FetchError why = dump::FetchError::kNone;
  auto body = dump::FetchUrl(target.DumpUrl(), fetch, &why);
  std::string path, html_path, error;
  std::unique_ptr<dump::Dump> parsed;
  if (!body.ok()) {
    error = body.status().message();
  } else {
    auto storage = std::make_shared<std::string>(std::move(body).value());
    std::string_view bytes = *storage;
    if (state_->writer) {
      auto written = state_->writer->Write(target.name, bytes, std::chrono::system_clock::now());
      if (written.ok()) {
        path = *written;
        ++state_->dumps;
      } else {
        error = written.status().message();
      }
    }
    dump::ReadOptions read;
    read.threads = 1;
    parsed = std::make_unique<dump::Dump>(dump::ParseDump(target.DumpUrl(), bytes, storage, read));
  }
  // The runtime's proof, by goroutine id, taken right after the dump.
  std::unordered_set<uint64_t> leaked;
  if (parsed && options_.leak_on_alert && !pt->leak_unsupported) {
    if (auto proof = FetchLeakProfile(target, 2, &pt->leak_unsupported, state_->stop)) {
      for (const dump::Goroutine& g : proof->goroutines) {
        if (g.has(dump::kLeaked) && g.id != 0) leaked.insert(g.id);
      }
    }
  }
  const int64_t fired_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<report::WatchHtmlAlert> records;
  for (Alert& a : alerts) {
    a.dump_path = path;
    a.dump_error = error;
    if (parsed) Enrich(*parsed, leaked, Knowledge(), &a);
    records.push_back(report::WatchHtmlAlert{fired_ms, std::string(AlertRuleName(a.rule)), a.bucket, a.blocking,
                                             a.verdict, a.message, "", path});
  }
  {
    std::lock_guard<std::mutex> lock(pt->alerts_mu);
    for (const Alert& a : alerts) {
      if (a.signature != 0 && !a.verdict.empty()) pt->alert_verdicts[a.signature] = a.verdict;
    }
  }
  if (parsed && !path.empty() && trend) {
    // The page beside the dump: the alert it was taken for, the target's trend up to it with its alerts, and the
    // dump's analysis.
    const std::string page_path = path.substr(0, path.rfind('.')) + ".html";
    for (report::WatchHtmlAlert& r : records) r.page = page_path;
    {
      std::lock_guard<std::mutex> lock(pt->alerts_mu);
      AddAlertsToTrend(*pt, records, std::filesystem::path(path).parent_path().string(), trend.get());
    }
    verdict::AnalyzeOptions page_options;
    page_options.knowledge = &Knowledge();
    auto analysis = verdict::Analyze(std::span<const dump::Dump>(parsed.get(), 1), page_options);
    report::WatchHtml page;
    page.targets.push_back(std::move(*trend));
    if (analysis.ok()) page.latest = &*analysis;
    page.latest_source = path;
    report::WatchHtmlAlert shown = records.front();
    shown.page.clear();
    page.alert = &shown;
    const report::HtmlOptions html{cluster::Similarity::kLine, options_.version, ""};
    auto written = state_->writer->WriteBeside(path, ".html", report::WriteWatchHtml(page, html));
    if (written.ok()) {
      html_path = *written;
    } else {
      error = written.status().message();
      for (report::WatchHtmlAlert& r : records) r.page.clear();
    }
  }
  if (!path.empty()) {
    auto rotated = state_->writer->Rotate();
    if (!rotated.ok() && error.empty()) error = rotated.status().message();
  }
  {
    std::lock_guard<std::mutex> lock(pt->alerts_mu);
    for (report::WatchHtmlAlert& r : records) {
      if (pt->alert_list.size() == kMaxAlertsKept) pt->alert_list.erase(pt->alert_list.begin());
      pt->alert_list.push_back(std::move(r));
    }
  }
  for (Alert& a : alerts) {
    a.html_path = html_path;
    if (a.dump_error.empty()) a.dump_error = error;
    json e = AlertJson(a);
    Emit(e);
    if (alertmanager_) alertmanager_->Fire(a, target);
    if (state_->webhook) {
      json body = options_.webhook_format == "slack" ? SlackBody(a, e["id"].get<std::string>()) : e;
      state_->webhook->Push(e["id"].get<std::string>(), body.dump(-1, ' ', false, json::error_handler_t::replace));
    }
  }
}

void Watcher::AddAlertsToTrend(const PerTarget& pt, const std::vector<report::WatchHtmlAlert>& extra,
                               const std::string& page_dir, report::WatchHtmlTarget* t) const {
  // REQUIRES: pt.alerts_mu held.
  t->alert_list.clear();
  auto add = [&](report::WatchHtmlAlert a) {
    if (!a.page.empty()) {
      std::error_code ec;
      std::filesystem::path rel = std::filesystem::relative(a.page, page_dir.empty() ? "." : page_dir, ec);
      a.page = ec ? a.page : rel.string();
    }
    t->alert_list.push_back(std::move(a));
  };
  for (const report::WatchHtmlAlert& a : pt.alert_list) add(a);
  for (const report::WatchHtmlAlert& a : extra) add(a);
  for (report::WatchHtmlBucket& b : t->buckets) {
    auto it = pt.alert_verdicts.find(b.signature);
    if (it != pt.alert_verdicts.end()) b.alert_verdict = it->second;
  }
}

void Watcher::ScrapeAndProcess(const std::shared_ptr<PerTarget>& self, double minute) {
  State& st = *state_;
  PerTarget& pt = *self;
  const Target& target = pt.target;
  const uint64_t round = pt.round++;  // this target's own sample count: targets are scraped independently
  pt.scrape = ScrapeTarget(target, options_.max_body, &st.cancel);
  pt.trends.clear();
  pt.restart_how.clear();
  if (pt.scrape.error != ScrapeError::kNone && st.cancel.load()) return;  // ended by stop: not the target's fault
  if (pt.scrape.error == ScrapeError::kConnect) pt.refused_since_up = true;
  if (pt.scrape.error == ScrapeError::kNone) {
    pt.previous_fingerprint = pt.fingerprint;
    if (pt.scrape.fingerprint && pt.fingerprint && *pt.scrape.fingerprint != *pt.fingerprint) {
      pt.restart_how = "fingerprint";
    } else if (!pt.scrape.fingerprint && pt.refused_since_up && pt.series.samples() > 0) {
      pt.restart_how = "down";
    }
    // A restart seen by a refused connection ends the old process's fingerprint too.
    if (pt.scrape.fingerprint || pt.restart_how == "down") pt.fingerprint = pt.scrape.fingerprint;
    pt.refused_since_up = false;
    if (!pt.restart_how.empty()) pt.series.Reset();
    pt.series.Add(minute, *pt.scrape.dump);
    pt.scrape.dump.reset();  // the series keeps what it needs
    if (options_.leak_every > 0 && round % options_.leak_every == 0 && !pt.leak_unsupported) {
      if (auto proof = FetchLeakProfile(target, 0, &pt.leak_unsupported, &st.cancel)) {
        pt.series.SetProven(ProvenBySignature(*proof));
      }
    }
    pt.trends = pt.series.Trends(target.rules);
  }

  const Clock::time_point now = Clock::now();
  ++pt.summary.scrapes;
  const bool up = pt.scrape.error == ScrapeError::kNone;
  metrics_.Scraped(target.name, pt.scrape.seconds, up);
  pt.status.up = up;
  if (!up) {
    std::string reason(ScrapeErrorName(pt.scrape.error));
    ++pt.summary.failures;
    ++pt.summary.errors[reason];
    ++pt.consecutive_failures;
    metrics_.ScrapeError(target.name, reason);
    pt.status.error = reason;
    json e = NewEvent("scrape_error");
    e["target"] = target.name;
    e["reason"] = reason;
    e["message"] = pt.scrape.message;
    e["consecutive"] = pt.consecutive_failures;
    Emit(e);
    std::lock_guard<std::mutex> lock(pt.mu);
    pt.shown = pt.status;
    return;
  }
  pt.consecutive_failures = 0;
  pt.status.error.clear();
  pt.summary.ever_up = true;
  if (!pt.restart_how.empty()) {
    ++pt.summary.restarts;
    metrics_.Restarted(target.name);
    json e = NewEvent("restart");
    e["target"] = target.name;
    e["how"] = pt.restart_how;
    if (pt.previous_fingerprint) e["previous_fingerprint"] = *pt.previous_fingerprint;
    if (pt.fingerprint) e["fingerprint"] = *pt.fingerprint;
    Emit(e);
  }
  const TargetSeries& s = pt.series;
  pt.summary.last_total = s.total();
  std::optional<double> slope = s.TotalSlope();
  std::vector<Metrics::BucketPoint> top;
  for (size_t k = 0; k < pt.trends.size() && k < options_.metrics_top; ++k) {
    const BucketTrend& t = pt.trends[k];
    if (t.count == 0 && t.recent_growth == 0) continue;
    top.push_back({t.info->entry, t.info->blocking, t.count, t.slope.value_or(0)});
  }
  metrics_.Sample(target.name, s.total(), slope, std::move(top));
  pt.status.sampled = true;
  pt.status.total = s.total();
  pt.status.slope = slope;
  pt.status.samples = s.samples();
  pt.status.top_bucket.clear();
  if (!pt.trends.empty() && pt.trends.front().recent_growth > 0) {
    const BucketTrend& t = pt.trends.front();
    pt.status.top_bucket = t.info->blocking.empty() ? t.info->entry : t.info->entry + " @ " + t.info->blocking;
    pt.status.top_growth = t.recent_growth;
    pt.status.top_slope = t.slope.value_or(0);
  }
  if (options_.mode == OutputMode::kJson) {
    json e = NewEvent("sample");
    e["target"] = target.name;
    e["round"] = round;
    e["goroutines"] = s.total();
    e["slope_per_minute"] = slope ? json(*slope) : json(nullptr);
    e["monotonic"] = s.TotalMonotonic();
    e["samples"] = s.samples();
    e["buckets"] = s.buckets();
    e["bytes"] = pt.scrape.bytes;
    e["scrape_seconds"] = pt.scrape.seconds;
    json top_json = json::array();
    for (size_t k = 0; k < pt.trends.size() && top_json.size() < kTopInEvent; ++k) {
      const BucketTrend& t = pt.trends[k];
      top_json.push_back({{"bucket", t.info->entry},
                          {"blocking", t.info->blocking},
                          {"state", t.info->state},
                          {"count", t.count},
                          {"growth", t.recent_growth},
                          {"slope_per_minute", t.slope ? json(*t.slope) : json(nullptr)}});
    }
    e["top"] = top_json;
    Emit(e);
  }

  std::vector<Alert> fired;
  std::vector<Alert> holding = EvaluateRules(target, s, pt.trends);
  if (alertmanager_) {
    std::set<std::string> keys;
    for (const Alert& a : holding) keys.insert(a.key);
    alertmanager_->Observe(target.name, keys, std::max<size_t>(target.rules.min_samples, 2));
  }
  for (Alert& a : holding) {
    if (!st.AllowAlert(a.key, now, target.rules.cooldown)) continue;
    a.round = round;
    metrics_.Alerted(target.name, AlertRuleName(a.rule));
    ++pt.summary.alerts;
    ++pt.status.alerts;
    ++st.alerts;
    fired.push_back(std::move(a));
  }
  if (!fired.empty()) {
    std::shared_ptr<report::WatchHtmlTarget> trend;
    if (!options_.html_path.empty() && st.writer) {
      trend = std::make_shared<report::WatchHtmlTarget>(TrendOf(pt));
    }
    st.alerter->Submit([this, self, fired = std::move(fired), trend = std::move(trend)]() mutable {
      HandleAlerts(std::move(self), std::move(fired), std::move(trend));
    });
  }
  std::lock_guard<std::mutex> lock(pt.mu);
  pt.shown = pt.status;
}

Summary Watcher::Run(const std::atomic<bool>& stop) {
  State& st = *state_;
  if (!options_.webhook.empty()) {
    WebhookQueue::Options w;
    w.url = options_.webhook;
    w.timeout = options_.webhook_timeout;
    w.max_age = options_.webhook_max_age;
    if (options_.webhook_retries >= 0) w.max_attempts = options_.webhook_retries + 1;
    st.webhook = std::make_unique<WebhookQueue>(w, [this](const std::string& id, const std::string& why) {
      json we = NewEvent("webhook_error");
      we["id"] = id;
      we["message"] = why;
      Emit(we);
    });
  }
  if (!options_.alertmanagers.empty()) {
    AlertmanagerSink::Options am;
    am.urls = options_.alertmanagers;
    am.resend = options_.alertmanager_resend;
    am.generator_url = MetricsUrl();
    alertmanager_ = std::make_unique<AlertmanagerSink>(am, [this](const std::string& why) {
      json e = NewEvent("alertmanager_error");
      e["message"] = why;
      Emit(e);
    });
  }
  st.stop = &stop;  // alert dumps end on stop (SIGTERM) only: at the end of a bounded run they complete
  st.start = Clock::now();
  st.start_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  {
    json e = NewEvent("start");
    json targets = json::array();
    for (const auto& pt : st.targets) targets.push_back({{"name", pt->target.name}, {"url", pt->target.url}});
    e["targets"] = targets;
    e["interval_ms"] = options_.interval.count();
    e["window_ms"] = options_.window.count();
    std::string m = MetricsUrl();
    e["metrics"] = m.empty() ? json(nullptr) : json(m);
    e["dump_dir"] = options_.dump_dir.empty() ? json(nullptr) : json(options_.dump_dir);
    Emit(e);
  }
  Summary summary;
  // Each target is scraped on its own: at every tick of the interval grid, every target that is not still being
  // scraped (or processed) gets a task on the scraper pool, and the tick does not wait for stragglers: a slow or
  // dripping target delays only itself (up to its timeout), and is skipped at the ticks it is still busy.
  auto all_idle = [&] {
    for (const auto& pt : st.targets) {
      if (pt->busy.load()) return false;
    }
    return true;
  };
  auto wait_idle = [&](Clock::time_point until) {
    std::unique_lock<std::mutex> lock(st.idle_mu);
    while (!all_idle() && Clock::now() < until) {
      if (stop.load()) st.cancel = true;  // the fetches in flight end within ~50 ms
      st.idle_cv.wait_for(lock, Millis(50));
    }
  };
  uint64_t slot = 0;  // of the interval grid; ticks that overran skip slots
  for (uint64_t tick = 0;; ++tick, ++slot) {
    const Clock::time_point tick_start = Clock::now();
    const double minute = std::chrono::duration<double>(tick_start - st.start).count() / 60.0;
    SyncDiscovered(tick_start);
    for (const std::shared_ptr<PerTarget>& pt : st.targets) {
      if (!pt->active) continue;
      if (pt->busy.exchange(true)) continue;  // still at its previous scrape
      st.scrapers->Submit([this, pt, minute] {
        ScrapeAndProcess(pt, minute);
        {
          std::lock_guard<std::mutex> lock(state_->idle_mu);
          pt->busy = false;
        }
        state_->idle_cv.notify_all();
      });
    }
    const Clock::time_point next = st.start + options_.interval * static_cast<int64_t>(slot + 1);
    // The table shows each target's latest: wait for this tick's scrapes, but not past the next tick (--once: all).
    wait_idle(options_.once ? Clock::time_point::max() : next);
    std::vector<TargetStatus> rows;
    for (auto& pt : st.targets) {
      if (!pt->active) continue;
      std::lock_guard<std::mutex> lock(pt->mu);
      rows.push_back(pt->shown);
    }
    {
      std::lock_guard<std::mutex> lock(output_mu_);
      output_->Round(rows);
    }
    summary.rounds = tick + 1;

    if (options_.once || stop.load()) break;
    const bool timed_out = options_.duration.count() > 0 && next - st.start >= options_.duration;
    if (timed_out) break;
    while (!stop.load() && Clock::now() < next) {
      std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), Millis(50)));
    }
    if (stop.load()) break;
    // A tick that overran the interval: skip the slots it missed rather than tick back to back.
    const auto elapsed = Clock::now() - st.start;
    const int64_t now_slot = elapsed / options_.interval;
    if (static_cast<uint64_t>(now_slot) > slot + 1) slot = static_cast<uint64_t>(now_slot) - 1;
  }
  // Scrapes still in flight end now (cancelled within ~50 ms), then pending dumps and webhooks.
  st.cancel = true;
  wait_idle(Clock::time_point::max());
  // Pending dumps, then webhooks: a bounded run waits for a receiver that is down (up to --webhook-max-age), a
  // stopped one (SIGTERM) does not.
  st.alerter.reset();
  st.alerter = std::make_unique<util::ThreadPool>(1);
  if (st.webhook) {
    st.webhook->Drain(Clock::now() + options_.webhook_max_age, &stop);
    st.webhook.reset();  // what is still queued is reported given up, here
  }
  if (alertmanager_) {
    // Firing alerts stay firing in Alertmanager until their endsAt (a restarted watcher picks them up again);
    // what is pending (new alerts, resolutions) is sent now.
    alertmanager_->Flush(Clock::now() + Millis(stop.load() ? 1000 : 10000));
    alertmanager_.reset();
  }

  summary.seconds = std::chrono::duration<double>(Clock::now() - st.start).count();
  summary.alerts = st.alerts.load();
  summary.dumps = st.dumps.load();
  for (auto& pt : st.targets) {
    pt->summary.memory_bytes = pt->series.MemoryBytes();
    if (pt->summary.ever_up) ++summary.reachable;
    summary.targets.push_back(pt->summary);
  }
  if (!options_.html_path.empty()) {
    report::WatchHtml page;
    for (const auto& pt : st.targets) {
      if (pt->dropped) continue;
      report::WatchHtmlTarget t = TrendOf(*pt);
      std::lock_guard<std::mutex> lock(pt->alerts_mu);
      AddAlertsToTrend(*pt, {}, std::filesystem::absolute(options_.html_path).parent_path().string(), &t);
      page.targets.push_back(std::move(t));
    }
    util::Status s = WriteFileAtomically(
        options_.html_path,
        report::WriteWatchHtml(page, report::HtmlOptions{cluster::Similarity::kLine, options_.version, ""}));
    if (s.ok()) {
      summary.html = options_.html_path;
    } else {
      summary.html_error = s.message();
    }
  }
  json e = summary.ToJson();
  Emit(e);
  return summary;
}

json Summary::ToJson() const {
  json e = NewEvent("summary");
  e["rounds"] = rounds;
  e["seconds"] = seconds;
  e["alerts"] = alerts;
  e["dumps"] = dumps;
  e["reachable"] = reachable;
  if (!html.empty()) e["html"] = html;
  if (!html_error.empty()) e["html_error"] = html_error;
  json ts = json::array();
  for (const TargetSummary& t : targets) {
    ts.push_back({{"name", t.name},
                  {"scrapes", t.scrapes},
                  {"failures", t.failures},
                  {"errors", t.errors},
                  {"restarts", t.restarts},
                  {"alerts", t.alerts},
                  {"ever_up", t.ever_up},
                  {"goroutines", t.last_total},
                  {"series_bytes", t.memory_bytes}});
  }
  e["targets"] = ts;
  return e;
}

}  // namespace leakhound::watch
