#include "leakhound/watch/webhook.h"

#include <fmt/format.h>
#include <httplib.h>

#include <thread>

namespace leakhound::watch {

using util::Status;

Status PostJson(const WebhookOptions& options, const std::string& body) {
  const std::string& url = options.url;
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return Status::InvalidArgument(url + ": not a URL");
  size_t path_at = url.find('/', scheme + 3);
  std::string origin = url.substr(0, path_at);
  std::string path = path_at == std::string::npos ? "/" : url.substr(path_at);
  httplib::Client client(origin);
  if (!client.is_valid()) return Status::InvalidArgument(url + ": unsupported URL");
  auto t = std::chrono::duration_cast<std::chrono::microseconds>(options.timeout);
  client.set_connection_timeout(t);
  client.set_read_timeout(t);
  client.set_write_timeout(t);

  std::string last;
  Millis wait = options.backoff;
  for (int attempt = 0; attempt <= options.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(wait);
      wait *= 2;
    }
    auto res = client.Post(path, body, "application/json");
    if (!res) {
      last = httplib::to_string(res.error());
      continue;
    }
    if (res->status >= 200 && res->status < 300) return Status::Ok();
    last = fmt::format("HTTP {}", res->status);
    if (res->status != 429 && res->status < 500) break;
  }
  return Status::Unavailable(fmt::format("webhook {}: {} (gave up)", url, last));
}

}  // namespace leakhound::watch
