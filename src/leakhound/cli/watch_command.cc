#include "leakhound/cli/watch_command.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "leakhound/cli/cli.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/dump/source.h"
#include "leakhound/watch/config.h"
#include "leakhound/watch/discovery.h"
#include "leakhound/watch/output.h"
#include "leakhound/watch/watcher.h"

namespace leakhound::cli {

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

size_t Width() {
  struct winsize ws;
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 120;
}

// Prints progress problems (scrape errors) on stderr, then hands every event to the chosen output.
class StderrReporting : public watch::Output {
 public:
  StderrReporting(watch::Output* inner, bool quiet, bool table) : inner_(inner), quiet_(quiet), table_(table) {}
  void Event(const nlohmann::json& e) override {
    if (!quiet_ && !table_) {
      const std::string kind = e.value("event", "");
      // The first failure of a streak and then every tenth, so that a dead target does not flood the terminal.
      if (kind == "scrape_error" && e.value("consecutive", 0) % 10 == 1) {
        fmt::print(stderr, "leakhound watch: {} ({})\n", e.value("message", ""), e.value("reason", ""));
      } else if (kind == "webhook_error") {
        fmt::print(stderr, "leakhound watch: {}\n", e.value("message", ""));
      }
    }
    inner_->Event(e);
  }
  void Round(const std::vector<watch::TargetStatus>& t) override { inner_->Round(t); }

 private:
  watch::Output* inner_;
  bool quiet_, table_;
};

void PrintSummary(const watch::Summary& s) {
  fmt::print(stderr, "leakhound watch: {} round(s) in {:.1f} s, {} alert(s), {} dump(s)\n", s.rounds, s.seconds,
             s.alerts, s.dumps);
  for (const watch::TargetSummary& t : s.targets) {
    std::string errors;
    for (const auto& [reason, n] : t.errors) errors += fmt::format("{}{} {}", errors.empty() ? "" : ", ", n, reason);
    fmt::print(stderr, "  {}: {} scrapes, {} failed{}{}, {} restart(s), {} alert(s), last {} goroutines\n", t.name,
               t.scrapes, t.failures, errors.empty() ? "" : " (" + errors + ")", t.ever_up ? "" : ", never reached",
               t.restarts, t.alerts, t.last_total);
  }
}

}  // namespace

int RunWatch(WatchFlags flags) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leakhound watch: {}\n", message);
    return kExitError;
  };
  watch::WatchOptions o;
  watch::Rules rules;
  rules.max_goroutines = flags.max_goroutines;
  rules.min_samples = flags.min_samples;
  rules.min_slope = flags.min_slope;
  rules.min_growth = flags.min_growth;
  rules.definite = !flags.no_definite;
  if (rules.min_samples < 2) return usage("--min-samples must be at least 2");
  struct {
    const char* flag;
    const std::string* text;
    watch::Millis* out;
    bool positive;
  } durations[] = {{"--interval", &flags.interval, &o.interval, true},
                   {"--window", &flags.window, &o.window, true},
                   {"--cooldown", &flags.cooldown, &rules.cooldown, false},
                   {"--webhook-timeout", &flags.webhook_timeout, &o.webhook_timeout, true},
                   {"--webhook-max-age", &flags.webhook_max_age, &o.webhook_max_age, true},
                   {"--sd-grace", &flags.sd_grace, &o.sd_grace, false},
                   {"--alertmanager-resend", &flags.alertmanager_resend, &o.alertmanager_resend, true}};
  for (auto& d : durations) {
    auto v = watch::ParseDuration(*d.text);
    if (!v.ok()) return usage(fmt::format("{}: {}", d.flag, v.status().message()));
    if (d.positive && v->count() <= 0) return usage(fmt::format("{} must be positive", d.flag));
    *d.out = *v;
  }
  auto timeout = watch::ParseDuration(flags.timeout);
  if (!timeout.ok() || timeout->count() <= 0) return usage("--timeout must be a positive duration (5s, 500ms)");
  if (!flags.duration.empty()) {
    auto v = watch::ParseDuration(flags.duration);
    if (!v.ok() || v->count() <= 0) return usage("--duration must be a positive duration (60s, 10m)");
    o.duration = *v;
  }
  if (o.window < o.interval * static_cast<int64_t>(rules.min_samples)) {
    return usage(fmt::format("--window {} cannot hold --min-samples {} at --interval {}",
                             watch::FormatDuration(o.window), rules.min_samples, watch::FormatDuration(o.interval)));
  }
  for (const std::string& url : flags.targets) {
    auto t = watch::MakeTarget(url, rules, *timeout);
    if (!t.ok()) return usage(t.status().message());
    o.targets.push_back(std::move(t).value());
  }
  if (!flags.config.empty()) {
    util::Status s = watch::LoadTargetsFile(flags.config, rules, *timeout, &o.targets);
    if (!s.ok()) return usage(s.message());
  }
  watch::ScrapeProfile profile;
  if (!watch::ParseScrapeProfile(flags.profile, &profile)) {
    return usage("--profile must be debug0 or debug1, not '" + flags.profile + "'");
  }
  for (watch::Target& t : o.targets) t.profile = profile;
  if (!flags.shard.empty()) {
    auto shard = watch::ParseShard(flags.shard);
    if (!shard.ok()) return usage(shard.status().message());
    o.shard = *shard;
  }
  // Discovery: Prometheus's own inventory formats.
  watch::Discovery::Options sd;
  sd.files = flags.file_sd;
  sd.http = flags.http_sd;
  sd.prometheus = flags.prometheus;
  sd.select.jobs = flags.prometheus_job;
  for (const std::string& m : flags.prometheus_match) {
    const size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0) return usage("--prometheus-match takes label=value, not '" + m + "'");
    sd.select.match.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  if (sd.prometheus.empty() && (!sd.select.jobs.empty() || !sd.select.match.empty())) {
    return usage("--prometheus-job and --prometheus-match select targets of --prometheus URL: give it");
  }
  for (const std::string& u : sd.http) {
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) return usage("--http-sd must be an http(s) URL");
  }
  if (flags.pprof_port < 0 || flags.pprof_port > 65535) return usage("--pprof-port must be a port (1-65535)");
  sd.sd.pprof_port = flags.pprof_port;
  sd.sd.pprof_label = flags.pprof_label;
  sd.sd.profile = profile;
  if (auto r = watch::ParseDuration(flags.sd_refresh); r.ok() && r->count() > 0) {
    sd.refresh = *r;
  } else {
    return usage("--sd-refresh must be a positive duration (30s, 1m)");
  }
  sd.timeout = std::max(*timeout, watch::Millis(5000));
  const bool discovering = !sd.files.empty() || !sd.http.empty() || !sd.prometheus.empty();
  if (discovering) {
    o.discovery = std::make_shared<watch::Discovery>(
        std::move(sd), rules, *timeout, [](const std::string& url, watch::Millis t) -> util::Result<std::string> {
          dump::FetchOptions fetch;
          fetch.timeout = t;
          fetch.deadline = t;
          fetch.max_bytes = size_t{64} << 20;
          return dump::FetchUrl(url, fetch, nullptr);
        });
    for (const std::string& why : o.discovery->Start()) fmt::print(stderr, "leakhound watch: {}\n", why);
  }
  if (o.targets.empty() && !discovering) {
    return usage("no target: name pprof base URLs (http://127.0.0.1:6060), --config FILE, or a discovery "
                 "(--file-sd, --http-sd, --prometheus)");
  }
  for (size_t i = 0; i < o.targets.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (o.targets[i].name == o.targets[j].name) {
        return usage(fmt::format("two targets are named '{}': give them distinct names in --config",
                                 o.targets[i].name));
      }
    }
  }
  if (flags.once && !flags.duration.empty()) return usage("--once and --duration exclude each other");
  o.once = flags.once;
  if (o.once && !flags.quiet) {
    fmt::print(stderr, "leakhound watch: --once takes one sample per target: only max_goroutines and definite alerts "
                       "can fire (growth needs --min-samples samples; use --duration)\n");
  }
  // Absolute: alerts (webhook bodies, events) name the dump for readers that do not share our working directory.
  o.dump_dir = flags.dump_dir.empty() ? std::string() : std::filesystem::absolute(flags.dump_dir).string();
  o.dump_keep = std::max<size_t>(1, flags.dump_keep);
  o.dump_max_bytes = flags.dump_max_mb << 20;
  o.webhook = flags.webhook;
  if (!o.webhook.empty() && o.webhook.rfind("http://", 0) != 0 && o.webhook.rfind("https://", 0) != 0) {
    return usage("--webhook must be an http:// or https:// URL");
  }
  o.webhook_retries = flags.webhook_retries < 0 ? -1 : flags.webhook_retries;
  if (flags.webhook_format != "json" && flags.webhook_format != "slack") {
    return usage("--webhook-format must be json or slack, not '" + flags.webhook_format + "'");
  }
  o.webhook_format = flags.webhook_format;
  for (const std::string& u : flags.alertmanager) {
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) {
      return usage("--alertmanager must be an http(s) URL (http://127.0.0.1:9093)");
    }
  }
  o.alertmanagers = flags.alertmanager;
  o.leak_every = flags.leak_every;
  if (std::string project = verdict::FindProjectFile(flags.knowledge); !project.empty()) {
    auto kb = verdict::KnowledgeBase::WithProjectFile(project);
    if (!kb.ok()) {
      fmt::print(stderr, "leakhound watch: {}\n", kb.status().message());
      return kExitError;
    }
    o.knowledge = std::make_shared<const verdict::KnowledgeBase>(std::move(kb).value());
  }
  o.metrics_listen = flags.metrics_listen;
  o.metrics_top = flags.metrics_top;
  o.max_body = flags.max_body_mb << 20;
  o.concurrency = std::max(1u, flags.concurrency);

  const bool tty = ::isatty(STDOUT_FILENO);
  if (flags.format == "html") {
    // The page is a file; the live events keep going to stdout as they would without --format.
    if (flags.output.empty() && flags.html.empty()) return usage("--format html needs -o FILE (the page)");
    if (!flags.output.empty() && !flags.html.empty() && flags.output != flags.html) {
      return usage("--format html -o and --html name two different pages; give one");
    }
    flags.format = "auto";
    if (flags.html.empty()) flags.html = flags.output;
  } else if (!flags.output.empty()) {
    return usage("-o is for --format html (events go to stdout)");
  }
  o.html_path = flags.html;
  o.version = kVersion;
  if (flags.format == "auto") {
    o.mode = tty ? watch::OutputMode::kTable : watch::OutputMode::kJson;
  } else if (flags.format == "table" || flags.format == "text") {
    o.mode = watch::OutputMode::kTable;
  } else if (flags.format == "json") {
    o.mode = watch::OutputMode::kJson;
  } else {
    return usage("--format must be auto, table, json or html, not '" + flags.format + "'");
  }
  const char* no_color = std::getenv("NO_COLOR");
  bool color = flags.color == "always" ||
               (flags.color == "auto" && tty && (no_color == nullptr || *no_color == '\0'));
  if (flags.color != "always" && flags.color != "auto" && flags.color != "never") {
    return usage("--color must be auto, always or never");
  }

  watch::JsonLinesOutput json_out(stdout);
  watch::TableOutput table_out(stdout, color, tty ? Width() : 0);
  watch::Output* inner = o.mode == watch::OutputMode::kJson ? static_cast<watch::Output*>(&json_out) : &table_out;
  StderrReporting output(inner, flags.quiet, o.mode == watch::OutputMode::kTable);

  const bool bounded = o.once || o.duration.count() > 0;
  watch::Watcher watcher(std::move(o), &output);
  util::Status started = watcher.Start();
  if (!started.ok()) return usage(started.message());
  if (!flags.quiet && !watcher.MetricsUrl().empty()) {
    fmt::print(stderr, "leakhound watch: metrics at {}\n", watcher.MetricsUrl());
  }

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  watch::Summary summary = watcher.Run(g_stop);
  PrintSummary(summary);
  if (!summary.html_error.empty()) {
    fmt::print(stderr, "leakhound watch: cannot write the HTML page: {}\n", summary.html_error);
    return kExitError;
  }
  if (!flags.quiet && !summary.html.empty()) fmt::print(stderr, "leakhound watch: wrote {}\n", summary.html);
  if (summary.reachable == 0) {
    fmt::print(stderr, "leakhound watch: no target was ever reachable\n");
    return kExitError;
  }
  if (bounded && summary.alerts > 0) return kExitFindings;
  return kExitOk;
}

}  // namespace leakhound::cli
