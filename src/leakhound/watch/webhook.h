// Delivers an alert as JSON to a webhook: HTTP POST with Content-Type application/json, a timeout per attempt, and
// retries with exponential backoff (0.5 s, 1 s, 2 s, ...) on connection errors, timeouts, 429 and 5xx. Other
// statuses (4xx) are not retried: the receiver rejected the body.
//
// Thread-safety: PostJson is reentrant.
#ifndef LEAKHOUND_WATCH_WEBHOOK_H_
#define LEAKHOUND_WATCH_WEBHOOK_H_

#include <string>

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

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_WEBHOOK_H_
