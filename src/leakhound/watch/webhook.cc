#include "leakhound/watch/webhook.h"

#include <fmt/format.h>
#include <httplib.h>

#include <thread>

#include "leakhound/util/http_client.h"

namespace leakhound::watch {

using util::Status;

Status PostJson(const WebhookOptions& options, const std::string& body) {
  const std::string& url = options.url;
  auto target = util::HttpClientFor(url, std::chrono::duration_cast<std::chrono::microseconds>(options.timeout));
  if (!target.ok()) return target.status();
  httplib::Client& client = *target->client;
  const std::string& path = target->path;

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
