#include "leakhound/watch/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <httplib.h>

#include <cmath>

#include "leakhound/util/text.h"
#include "leakhound/watch/alerts.h"
#include "leakhound/watch/scraper.h"

namespace leakhound::watch {

using util::Status;

std::string EscapeLabelValue(std::string_view raw) {
  // Prometheus' parser rejects a whole scrape over one invalid UTF-8 label value.
  const std::string v = util::ValidUtf8(raw);
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

namespace {

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// Every counter series of a target, at 0: Prometheus' increase() sees the first alert only when the series existed
// before it (a series born at 1 is no increase).
void ZeroCounters(std::map<std::string, uint64_t>* alerts, std::map<std::string, uint64_t>* errors) {
  for (AlertRule r : {AlertRule::kMaxGoroutines, AlertRule::kGrowth, AlertRule::kDefinite, AlertRule::kProven}) {
    (*alerts)[std::string(AlertRuleName(r))] += 0;
  }
  for (ScrapeError e : {ScrapeError::kConnect, ScrapeError::kTimeout, ScrapeError::kStatus, ScrapeError::kTooLarge,
                        ScrapeError::kHtml, ScrapeError::kGarbage, ScrapeError::kTruncated, ScrapeError::kOther}) {
    (*errors)[std::string(ScrapeErrorName(e))] += 0;
  }
}

}  // namespace

void Metrics::AddTarget(const Target& target) {
  std::lock_guard<std::mutex> lock(mu_);
  if (targets_.count(target.name)) return;
  PerTarget& t = targets_[target.name];
  ZeroCounters(&t.alerts, &t.errors);
  t.labels = fmt::format("target=\"{}\"", EscapeLabelValue(target.name));
  for (const auto& [k, v] : target.labels) t.labels += fmt::format(",{}=\"{}\"", k, EscapeLabelValue(v));
  order_.push_back(target.name);
}

void Metrics::RemoveTarget(const std::string& target) {
  std::lock_guard<std::mutex> lock(mu_);
  if (targets_.erase(target) == 0) return;
  order_.erase(std::remove(order_.begin(), order_.end(), target), order_.end());
}

Metrics::PerTarget& Metrics::Get(const std::string& target) {
  auto it = targets_.find(target);
  if (it == targets_.end()) {
    order_.push_back(target);
    PerTarget& t = targets_[target];
    t.labels = fmt::format("target=\"{}\"", EscapeLabelValue(target));
    ZeroCounters(&t.alerts, &t.errors);
    return t;
  }
  return it->second;
}

void Metrics::Scraped(const std::string& target, double seconds, bool up) {
  std::lock_guard<std::mutex> lock(mu_);
  PerTarget& t = Get(target);
  ++t.scrapes;
  t.duration_sum += seconds;
  t.last_duration = seconds;
  t.up = up;
}

void Metrics::ScrapeError(const std::string& target, std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  ++Get(target).errors[std::string(reason)];
}

void Metrics::Sample(const std::string& target, uint64_t goroutines, std::optional<double> slope,
                     std::vector<BucketPoint> top) {
  std::lock_guard<std::mutex> lock(mu_);
  PerTarget& t = Get(target);
  t.sampled = true;
  t.goroutines = goroutines;
  t.slope = slope;
  t.top = std::move(top);
}

void Metrics::Restarted(const std::string& target) {
  std::lock_guard<std::mutex> lock(mu_);
  ++Get(target).restarts;
}

void Metrics::Alerted(const std::string& target, std::string_view rule) {
  std::lock_guard<std::mutex> lock(mu_);
  ++Get(target).alerts[std::string(rule)];
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  auto family = [&](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  family("leakhound_watch_up", "gauge", "1 when the last scrape of the target gave a usable goroutine profile.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    out += fmt::format("leakhound_watch_up{{{}}} {}\n", t.labels, t.up ? 1 : 0);
  }
  family("leakhound_watch_goroutines", "gauge", "Goroutines in the target's last goroutine profile.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    if (t.sampled) out += fmt::format("leakhound_watch_goroutines{{{}}} {}\n", t.labels, t.goroutines);
  }
  family("leakhound_watch_goroutines_slope_per_minute", "gauge",
         "Growth of the target's goroutines per minute, least squares over the window.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    if (t.slope) out += fmt::format("leakhound_watch_goroutines_slope_per_minute{{{}}} {}\n", t.labels, Number(*t.slope));
  }
  family("leakhound_watch_bucket_goroutines", "gauge",
         "Goroutines in one of the target's top buckets (same stack), by entry function and blocking site.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    for (const BucketPoint& b : t.top) {
      out += fmt::format("leakhound_watch_bucket_goroutines{{{},bucket=\"{}\",site=\"{}\"}} {}\n", t.labels,
                         EscapeLabelValue(b.bucket), EscapeLabelValue(b.site), b.goroutines);
    }
  }
  family("leakhound_watch_bucket_slope_per_minute", "gauge",
         "Growth per minute of one of the target's top buckets, least squares over the window.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    for (const BucketPoint& b : t.top) {
      out += fmt::format("leakhound_watch_bucket_slope_per_minute{{{},bucket=\"{}\",site=\"{}\"}} {}\n", t.labels,
                         EscapeLabelValue(b.bucket), EscapeLabelValue(b.site), Number(b.slope));
    }
  }
  family("leakhound_watch_alerts_total", "counter", "Alerts fired for the target, by rule, after cooldown.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    for (const auto& [rule, n] : t.alerts) {
      out += fmt::format("leakhound_watch_alerts_total{{{},rule=\"{}\"}} {}\n", t.labels, EscapeLabelValue(rule), n);
    }
  }
  family("leakhound_watch_scrape_errors_total", "counter", "Failed scrapes of the target, by reason.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    for (const auto& [reason, n] : t.errors) {
      out += fmt::format("leakhound_watch_scrape_errors_total{{{},reason=\"{}\"}} {}\n", t.labels,
                         EscapeLabelValue(reason), n);
    }
  }
  family("leakhound_watch_scrapes_total", "counter", "Scrapes of the target attempted.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    out += fmt::format("leakhound_watch_scrapes_total{{{}}} {}\n", t.labels, t.scrapes);
  }
  family("leakhound_watch_restarts_total", "counter", "Restarts of the target's process detected.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    out += fmt::format("leakhound_watch_restarts_total{{{}}} {}\n", t.labels, t.restarts);
  }
  family("leakhound_watch_scrape_duration_seconds", "summary",
         "Time to fetch and parse the target's goroutine profile.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    out += fmt::format("leakhound_watch_scrape_duration_seconds_sum{{{}}} {}\n", t.labels, Number(t.duration_sum));
    out += fmt::format("leakhound_watch_scrape_duration_seconds_count{{{}}} {}\n", t.labels, t.scrapes);
  }
  family("leakhound_watch_last_scrape_duration_seconds", "gauge",
         "Time the target's last scrape took to fetch and parse.");
  for (const auto& name : order_) {
    const PerTarget& t = targets_.at(name);
    out += fmt::format("leakhound_watch_last_scrape_duration_seconds{{{}}} {}\n", t.labels, Number(t.last_duration));
  }
  return out;
}

MetricsServer::MetricsServer() = default;
MetricsServer::~MetricsServer() { Stop(); }

Status MetricsServer::Start(const std::string& listen, const Metrics* metrics) {
  Status s = ParseListen(listen, &host_, &port_);
  if (!s.ok()) return s;
  server_ = std::make_unique<httplib::Server>();
  // A scraper that connects and dawdles (slowloris) holds a worker only this long, and there are enough workers for
  // Prometheus to get through beside a few dozen of them.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  server_->set_read_timeout(2, 0);
  server_->set_write_timeout(5, 0);
  server_->set_keep_alive_timeout(5);
  server_->set_keep_alive_max_count(100);
  server_->Get("/metrics", [metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("leakhound watch: metrics at /metrics\n", "text/plain");
  });
  if (port_ == 0) {
    port_ = server_->bind_to_any_port(host_);
    if (port_ < 0) return Status::Unavailable(fmt::format("--metrics-listen {}: cannot bind", listen));
  } else if (!server_->bind_to_port(host_, port_)) {
    return Status::Unavailable(fmt::format("--metrics-listen {}: cannot bind (in use?)", listen));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void MetricsServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace leakhound::watch
