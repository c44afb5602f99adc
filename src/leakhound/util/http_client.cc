#include "leakhound/util/http_client.h"

namespace leakhound::util {

Result<HttpTarget> HttpClientFor(const std::string& url, std::chrono::microseconds timeout) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return Status::InvalidArgument(url + ": not a URL");
  size_t path_at = url.find('/', scheme + 3);
  const std::string_view scheme_name = std::string_view(url).substr(0, scheme);
  if (scheme_name != "http" && scheme_name != "https") {
    return Status::InvalidArgument(url + ": unsupported URL scheme '" + std::string(scheme_name) +
                                   "': give http:// or https://");
  }
  std::string_view authority = std::string_view(url).substr(scheme + 3, path_at == std::string::npos
                                                                          ? std::string_view::npos
                                                                          : path_at - scheme - 3);
  if (size_t colon = authority.rfind(':'); colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5 &&
                  port.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits || std::stoi(std::string(port)) > 65535 || std::stoi(std::string(port)) == 0) {
      return Status::InvalidArgument(url + ": invalid port '" + std::string(port) + "' (1-65535)");
    }
  }
  HttpTarget t;
  t.path = path_at == std::string::npos ? "/" : url.substr(path_at);
  t.client = std::make_unique<httplib::Client>(url.substr(0, path_at));
  if (!t.client->is_valid()) return Status::InvalidArgument(url + ": unsupported URL");
  t.client->set_connection_timeout(timeout);
  t.client->set_read_timeout(timeout);
  t.client->set_write_timeout(timeout);
  return t;
}

ExchangeGuard::ExchangeGuard(httplib::Client& client, std::chrono::steady_clock::time_point deadline,
                             const std::atomic<bool>* cancel) {
  watchdog_ = std::thread([this, &client, deadline, cancel] {
    // The cancel flag is polled: a signal handler sets it and cannot notify.
    constexpr auto kPoll = std::chrono::milliseconds(50);
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      const auto now = std::chrono::steady_clock::now();
      if (cancel != nullptr && cancel->load()) {
        fired_ = Fired::kCancelled;
      } else if (now >= deadline) {
        fired_ = Fired::kDeadline;
      }
      if (fired_ != Fired::kNo) {
        client.stop();
        return;
      }
      cv_.wait_until(lock, std::min(deadline, now + kPoll));
    }
  });
}

ExchangeGuard::~ExchangeGuard() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_one();
  watchdog_.join();
}

}  // namespace leakhound::util
