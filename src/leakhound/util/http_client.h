// An httplib client set up for one URL: the origin ("http://127.0.0.1:6060") split from the request path, with one
// timeout on connect, read and write. Shared by the dump fetcher (dump/source.cc) and the watch webhook.
#ifndef LEAKHOUND_UTIL_HTTP_CLIENT_H_
#define LEAKHOUND_UTIL_HTTP_CLIENT_H_

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "leakhound/util/status.h"

namespace leakhound::util {

struct HttpTarget {
  std::unique_ptr<httplib::Client> client;  // for the URL's scheme, host and port
  std::string path;                         // the rest ("/" when the URL has none)
};

// InvalidArgument naming the URL when it has no scheme or one httplib does not speak.
Result<HttpTarget> HttpClientFor(const std::string& url, std::chrono::microseconds timeout);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_HTTP_CLIENT_H_
