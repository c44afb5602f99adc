#include "leakhound/watch/alertmanager.h"

#include <fmt/format.h>

#include <ctime>

#include "leakhound/watch/webhook.h"

namespace leakhound::watch {

using json = nlohmann::json;
using SysClock = std::chrono::system_clock;

AlertmanagerSink::AlertmanagerSink(Options options, std::function<void(const std::string&)> on_error)
    : options_(std::move(options)), on_error_(std::move(on_error)) {
  thread_ = std::thread([this] { Loop(); });
}

AlertmanagerSink::~AlertmanagerSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::string AlertmanagerSink::Rfc3339(SysClock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ms % 1000));
}

json AlertmanagerSink::Body(const Alert& a, const Target& t, const std::string& starts_at, const std::string& ends_at,
                            const std::string& generator_url) {
  json labels = json::object();
  for (const auto& [k, v] : t.labels) labels[k] = v;
  labels["alertname"] = "GoroutineLeak";
  labels["target"] = a.target;
  labels["rule"] = std::string(AlertRuleName(a.rule));
  if (!a.bucket.empty()) labels["bucket"] = a.bucket;
  if (!a.blocking.empty()) labels["site"] = a.blocking;
  if (!a.verdict.empty()) labels["verdict"] = a.verdict;
  json ann = json::object();
  ann["summary"] = a.message;
  if (!a.reason.empty()) ann["description"] = a.reason;
  if (!a.creating.empty()) ann["created_by"] = a.creating;
  if (!a.dump_path.empty()) ann["dump"] = a.dump_path;
  if (!a.html_path.empty()) ann["html"] = a.html_path;
  if (a.proven > 0) ann["proven"] = fmt::format("{} goroutines proven leaked by the Go runtime", a.proven);
  ann["goroutines"] = std::to_string(a.total);
  ann["url"] = a.url;
  json body = {{"labels", labels}, {"annotations", ann}, {"startsAt", starts_at}, {"endsAt", ends_at}};
  if (!generator_url.empty()) body["generatorURL"] = generator_url;
  return body;
}

void AlertmanagerSink::Fire(const Alert& a, const Target& t) {
  std::lock_guard<std::mutex> lock(mu_);
  const SysClock::time_point now = SysClock::now();
  json body = Body(a, t, "", "", "");
  auto it = firing_.find(a.key);
  if (it != firing_.end() && it->second.labels != body["labels"]) {
    Resolve(it);  // another verdict: another alert for Alertmanager
    it = firing_.end();
  }
  if (it == firing_.end()) {
    firing_[a.key] = Firing{a.target, body["labels"], body["annotations"], now, 0};
  } else {
    it->second.annotations = body["annotations"];  // the newer dump
    it->second.misses = 0;
  }
  dirty_ = true;
  cv_.notify_all();
}

void AlertmanagerSink::Resolve(std::map<std::string, Firing>::iterator it) {
  const SysClock::time_point now = SysClock::now();
  json body = {{"labels", it->second.labels},
               {"annotations", it->second.annotations},
               {"startsAt", Rfc3339(it->second.starts)},
               {"endsAt", Rfc3339(now)}};
  if (!options_.generator_url.empty()) body["generatorURL"] = options_.generator_url;
  resolved_.push_back(std::move(body));
  firing_.erase(it);
  dirty_ = true;
}

void AlertmanagerSink::Observe(const std::string& target, const std::set<std::string>& holding,
                               size_t resolve_after) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = firing_.begin(); it != firing_.end();) {
    auto next = std::next(it);
    if (it->second.target == target) {
      if (holding.count(it->first)) {
        it->second.misses = 0;
      } else if (++it->second.misses >= resolve_after) {
        Resolve(it);
      }
    }
    it = next;
  }
  if (dirty_) cv_.notify_all();
}

void AlertmanagerSink::ResolveTarget(const std::string& target) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = firing_.begin(); it != firing_.end();) {
    auto next = std::next(it);
    if (it->second.target == target) Resolve(it);
    it = next;
  }
  cv_.notify_all();
}

void AlertmanagerSink::ResolveAll() {
  std::lock_guard<std::mutex> lock(mu_);
  while (!firing_.empty()) Resolve(firing_.begin());
  cv_.notify_all();
}

json AlertmanagerSink::Batch(SysClock::time_point now) {
  json batch = json::array();
  const std::string ends = Rfc3339(now + 4 * options_.resend);
  for (const auto& [key, f] : firing_) {
    json body = {{"labels", f.labels}, {"annotations", f.annotations}, {"startsAt", Rfc3339(f.starts)},
                 {"endsAt", ends}};
    if (!options_.generator_url.empty()) body["generatorURL"] = options_.generator_url;
    batch.push_back(std::move(body));
  }
  for (json& r : resolved_) batch.push_back(std::move(r));
  resolved_.clear();
  return batch;
}

void AlertmanagerSink::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  auto next_resend = std::chrono::steady_clock::now() + options_.resend;
  while (true) {
    cv_.wait_until(lock, next_resend, [this] { return stop_ || dirty_; });
    const bool stopping = stop_;
    if (!dirty_ && !stopping && std::chrono::steady_clock::now() < next_resend) continue;
    const bool anything = !firing_.empty() || !resolved_.empty();
    dirty_ = false;
    next_resend = std::chrono::steady_clock::now() + options_.resend;
    const uint64_t generation = ++generation_;
    if (anything) {
      const size_t n_resolved = resolved_.size();
      json batch = Batch(SysClock::now());  // the firing alerts, then the resolutions
      std::vector<json> resolved_sent(batch.end() - static_cast<std::ptrdiff_t>(n_resolved), batch.end());
      const std::string body = batch.dump(-1, ' ', false, json::error_handler_t::replace);
      lock.unlock();
      bool all_ok = true;
      for (const std::string& url : options_.urls) {
        std::string base = url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        WebhookOptions w{base + "/api/v2/alerts", options_.timeout, /*retries=*/0, Millis(0)};
        util::Status s = PostJson(w, body);
        if (!s.ok()) {
          all_ok = false;
          std::string why = s.message();
          if (why.rfind("webhook ", 0) == 0) why = why.substr(why.find(": ") + 2);  // PostJson names the URL
          on_error_(fmt::format("alertmanager {}: {}", base, why));
        }
      }
      lock.lock();
      posts_ += options_.urls.size();
      if (!all_ok) {
        ++failures_;
        // Resolutions are tried again at the next post; firing alerts are re-sent anyway.
        for (json& r : resolved_sent) resolved_.push_back(std::move(r));
        if (!stopping) next_resend = std::chrono::steady_clock::now() + std::min(options_.resend, Millis(5000));
      }
    }
    sent_generation_ = generation;
    cv_.notify_all();
    if (stopping) return;
  }
}

void AlertmanagerSink::Flush(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t want = generation_ + 1;
  dirty_ = true;
  cv_.notify_all();
  cv_.wait_until(lock, deadline, [&] { return sent_generation_ >= want || stop_; });
}

uint64_t AlertmanagerSink::posts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return posts_;
}

uint64_t AlertmanagerSink::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

}  // namespace leakhound::watch
