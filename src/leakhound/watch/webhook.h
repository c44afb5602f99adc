// Delivers an alert as JSON to a webhook: HTTP POST with Content-Type application/json, a timeout per attempt, and
// retries with exponential backoff (0.5 s, 1 s, 2 s, ...) on connection errors, timeouts, 429 and 5xx. Other
// statuses (4xx) are not retried: the receiver rejected the body.
//
// WebhookQueue is what watch uses: deliveries on a thread of their own, so that a receiver that is down or slow never
// holds up scraping, dumps or other alerts; each alert retried with backoff (capped) until it is delivered or older
// than max_age. Delivery is at least once: a retry after a timeout may arrive twice, and every body carries the
// alert's `id` to de-duplicate on.
//
// Thread-safety: PostJson is reentrant; WebhookQueue's methods may be called from any thread.
#ifndef LEAKHOUND_WATCH_WEBHOOK_H_
#define LEAKHOUND_WATCH_WEBHOOK_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "leakhound/util/status.h"
#include "leakhound/watch/config.h"

namespace leakhound::watch {

struct WebhookOptions {
  std::string url;             // http://host:port/path
  Millis timeout{5000};        // per attempt
  int retries = 3;             // attempts after the first
  Millis backoff{500};         // before the first retry; doubled each time
};

// Returns Ok once the receiver answered 2xx; otherwise the last failure, naming the URL and the attempts made.
util::Status PostJson(const WebhookOptions& options, const std::string& body);

class WebhookQueue {
 public:
  struct Options {
    std::string url;
    Millis timeout{5000};                            // per attempt
    Millis backoff{500};                             // before the first retry; doubled each time ...
    Millis max_backoff{30000};                       // ... up to this
    Millis max_age{std::chrono::minutes(10)};        // give an alert up this long after it was queued
    size_t capacity = 1000;                          // alerts waiting; past it the oldest is given up
    int max_attempts = 0;                            // per alert; 0: as many as max_age allows
  };
  // `on_give_up(id, why)` is called, on the delivery thread, for every alert that is not delivered.
  WebhookQueue(Options options, std::function<void(const std::string&, const std::string&)> on_give_up);
  WebhookQueue(const WebhookQueue&) = delete;
  WebhookQueue& operator=(const WebhookQueue&) = delete;
  ~WebhookQueue();  // gives up whatever is still queued, without waiting

  void Push(std::string id, std::string body);
  // Waits until the queue is empty, `until` passes or *cancel is set; returns the alerts still queued.
  size_t Drain(std::chrono::steady_clock::time_point until, const std::atomic<bool>* cancel);
  uint64_t delivered() const { return delivered_.load(); }
  uint64_t given_up() const { return given_up_.load(); }

 private:
  struct Item {
    std::string id, body;
    std::chrono::steady_clock::time_point queued;
    int attempts = 0;
  };
  void Loop();

  Options options_;
  std::function<void(const std::string&, const std::string&)> on_give_up_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool in_flight_ = false;
  bool stopping_ = false;
  std::atomic<uint64_t> delivered_{0}, given_up_{0};
  std::thread thread_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_WEBHOOK_H_
