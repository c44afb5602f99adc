// An httplib client set up for one URL: the origin ("http://127.0.0.1:6060") split from the request path, with one
// timeout on connect, read and write. Shared by the dump fetcher (dump/source.cc) and the watch webhook.
#ifndef LEAKHOUND_UTIL_HTTP_CLIENT_H_
#define LEAKHOUND_UTIL_HTTP_CLIENT_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "leakhound/util/status.h"

namespace leakhound::util {

struct HttpTarget {
  std::unique_ptr<httplib::Client> client;  // for the URL's scheme, host and port
  std::string path;                         // the rest ("/" when the URL has none)
};

// InvalidArgument naming the URL when it has no scheme or one httplib does not speak.
Result<HttpTarget> HttpClientFor(const std::string& url, std::chrono::microseconds timeout);

// Holds one exchange of `client` (connect, request, headers, body) to a deadline and a cancel flag, from a watchdog
// thread: httplib's timeouts are per read, so a server that drips its headers or body a byte at a time would
// otherwise hold the caller for as long as it likes. When the deadline passes or *cancel becomes true, the watchdog
// shuts the client's socket down (httplib::Client::stop, the one call that is safe from another thread) and the
// exchange fails with a read error; fired() then says why. Destroying the guard ends the watchdog.
class ExchangeGuard {
 public:
  enum class Fired { kNo, kDeadline, kCancelled };
  ExchangeGuard(httplib::Client& client, std::chrono::steady_clock::time_point deadline,
                const std::atomic<bool>* cancel);
  ExchangeGuard(const ExchangeGuard&) = delete;
  ExchangeGuard& operator=(const ExchangeGuard&) = delete;
  ~ExchangeGuard();
  Fired fired() const { return fired_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<Fired> fired_{Fired::kNo};
  std::thread watchdog_;
};

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_HTTP_CLIENT_H_
