#include "leakhound/watch/webhook.h"

#include <fmt/format.h>
#include <httplib.h>

#include <thread>

#include "leakhound/util/http_client.h"

namespace leakhound::watch {

using util::Status;

namespace {

struct Attempt {
  bool ok = false;
  bool retry = false;  // connection error, timeout, 429, 5xx
  std::string error;
};

Attempt PostOnce(httplib::Client& client, const std::string& path, const std::string& body) {
  Attempt a;
  auto res = client.Post(path, body, "application/json");
  if (!res) {
    a.retry = true;
    a.error = httplib::to_string(res.error());
    return a;
  }
  if (res->status >= 200 && res->status < 300) {
    a.ok = true;
    return a;
  }
  a.error = fmt::format("HTTP {}", res->status);
  a.retry = res->status == 429 || res->status >= 500;
  return a;
}

}  // namespace

Status PostJson(const WebhookOptions& options, const std::string& body) {
  const std::string& url = options.url;
  auto target = util::HttpClientFor(url, std::chrono::duration_cast<std::chrono::microseconds>(options.timeout));
  if (!target.ok()) return target.status();
  std::string last;
  Millis wait = options.backoff;
  for (int attempt = 0; attempt <= options.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(wait);
      wait *= 2;
    }
    Attempt a = PostOnce(*target->client, target->path, body);
    if (a.ok) return Status::Ok();
    last = a.error;
    if (!a.retry) break;
  }
  return Status::Unavailable(fmt::format("webhook {}: {} (gave up)", url, last));
}

WebhookQueue::WebhookQueue(Options options, std::function<void(const std::string&, const std::string&)> on_give_up)
    : options_(std::move(options)), on_give_up_(std::move(on_give_up)) {
  thread_ = std::thread([this] { Loop(); });
}

WebhookQueue::~WebhookQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (const Item& item : items_) {
    ++given_up_;
    if (on_give_up_) on_give_up_(item.id, "leakhound stopped before the receiver took it");
  }
}

void WebhookQueue::Push(std::string id, std::string body) {
  std::string dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.size() >= options_.capacity && !items_.empty()) {
      // The oldest waiting alert (not the one in flight, which is at the front while it is tried).
      auto victim = in_flight_ && items_.size() > 1 ? items_.begin() + 1 : items_.begin();
      dropped = victim->id;
      items_.erase(victim);
    }
    items_.push_back(Item{std::move(id), std::move(body), std::chrono::steady_clock::now()});
  }
  if (!dropped.empty()) {
    ++given_up_;
    if (on_give_up_) on_give_up_(dropped, fmt::format("more than {} alerts waiting for the webhook", options_.capacity));
  }
  cv_.notify_all();
}

size_t WebhookQueue::Drain(std::chrono::steady_clock::time_point until, const std::atomic<bool>* cancel) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!items_.empty() && std::chrono::steady_clock::now() < until && !(cancel != nullptr && cancel->load())) {
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
  return items_.size();
}

void WebhookQueue::Loop() {
  auto target = util::HttpClientFor(options_.url,
                                    std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout));
  std::unique_lock<std::mutex> lock(mu_);
  Millis wait = options_.backoff;
  while (!stopping_) {
    if (items_.empty()) {
      cv_.wait(lock, [&] { return stopping_ || !items_.empty(); });
      continue;
    }
    Item& front = items_.front();
    ++front.attempts;
    Item item = front;
    in_flight_ = true;
    lock.unlock();
    Attempt a;
    if (!target.ok()) {
      a.error = target.status().message();
    } else {
      a = PostOnce(*target->client, target->path, item.body);
    }
    const bool too_old = std::chrono::steady_clock::now() - item.queued >= options_.max_age ||
                         (options_.max_attempts > 0 && item.attempts >= options_.max_attempts);
    lock.lock();
    in_flight_ = false;
    if (a.ok || !a.retry || too_old) {
      if (!items_.empty() && items_.front().id == item.id) items_.pop_front();
      wait = options_.backoff;
      if (a.ok) {
        ++delivered_;
      } else {
        ++given_up_;
        std::string why = fmt::format("webhook {}: {}{}", options_.url, a.error,
                                      too_old && a.retry ? " (still failing: gave up after --webhook-max-age or --webhook-retries)"
                                                         : " (rejected: not retried)");
        lock.unlock();
        if (on_give_up_) on_give_up_(item.id, why);
        lock.lock();
      }
      cv_.notify_all();
      continue;
    }
    // Retry the same alert (order is kept) after the backoff, unless stopping.
    cv_.wait_for(lock, wait, [&] { return stopping_; });
    wait = std::min(wait * 2, options_.max_backoff);
  }
}

}  // namespace leakhound::watch
