#include "leakhound/util/http_client.h"

namespace leakhound::util {

Result<HttpTarget> HttpClientFor(const std::string& url, std::chrono::microseconds timeout) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return Status::InvalidArgument(url + ": not a URL");
  size_t path_at = url.find('/', scheme + 3);
  HttpTarget t;
  t.path = path_at == std::string::npos ? "/" : url.substr(path_at);
  t.client = std::make_unique<httplib::Client>(url.substr(0, path_at));
  if (!t.client->is_valid()) return Status::InvalidArgument(url + ": unsupported URL");
  t.client->set_connection_timeout(timeout);
  t.client->set_read_timeout(timeout);
  t.client->set_write_timeout(timeout);
  return t;
}

}  // namespace leakhound::util
