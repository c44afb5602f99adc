#include "leakhound/dump/source.h"

#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

#include <httplib.h>

#include <memory>

#include "leakhound/util/http_client.h"
#include "leakhound/util/mapped_file.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {

using util::Result;
using util::Status;

bool IsUrl(std::string_view spec) {
  return util::StartsWith(spec, "http://") || util::StartsWith(spec, "https://");
}

std::string ResolveProfileUrl(std::string_view url) {
  size_t scheme = url.find("://");
  size_t path_at = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path_at == std::string_view::npos) return std::string(url) + "/debug/pprof/goroutine?debug=2";
  std::string_view path = url.substr(path_at);
  if (path == "/") return std::string(url.substr(0, path_at)) + "/debug/pprof/goroutine?debug=2";
  if (util::EndsWith(path, "/debug/pprof/") || util::EndsWith(path, "/debug/pprof")) {
    std::string out(url);
    if (out.back() != '/') out.push_back('/');
    return out + "goroutine?debug=2";
  }
  return std::string(url);
}

std::string LeakProfileUrlFor(std::string_view spec) {
  if (!IsUrl(spec)) return "";
  std::string url = ResolveProfileUrl(spec);
  if (url == spec) return "";  // the user named the profile to fetch
  return url.substr(0, url.rfind("goroutine?debug=2")) + "goroutineleak?debug=2";
}

size_t ApplyLeakProof(const Dump& proof, Dump* d) {
  std::unordered_set<uint64_t> leaked;
  for (const Goroutine& g : proof.goroutines) {
    if (g.has(kLeaked) && g.id != 0) leaked.insert(g.id);
  }
  size_t marked = 0;
  for (Goroutine& g : d->goroutines) {
    // A goroutine proven leaked a moment later was blocked, or on its way to the wait, when the dump was taken: only
    // the parked ones carry the proof.
    if (g.id == 0 || !leaked.count(g.id) || g.state.empty() || g.state == "running" || g.state == "runnable") continue;
    g.flags |= kLeaked;
    ++marked;
  }
  return marked;
}

namespace {

// "http://host:port" of an absolute URL, or "" when it has none.
std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  size_t path_at = url.find('/', scheme + 3);
  return std::string(url.substr(0, path_at));
}

// A short, printable excerpt of an unexpected response body: never more than one line of 80 characters.
std::string Excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 80)) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : ' ');
  }
  return out;
}

constexpr int kMaxRedirects = 5;

}  // namespace

Result<std::string> FetchUrl(const std::string& first_url, const FetchOptions& options, FetchError* why_out) {
  FetchError ignored;
  FetchError& kind = why_out ? *why_out : ignored;
  kind = FetchError::kOther;
  const std::string origin = OriginOf(first_url);
  const auto start = std::chrono::steady_clock::now();
  // The deadline holds for the whole exchange, redirects and headers included (a drip of header bytes), and so does
  // cancel.
  const auto deadline = options.deadline.count() > 0 ? start + options.deadline
                                                     : std::chrono::steady_clock::time_point::max();
  std::string url = first_url;
  for (int hop = 0;; ++hop) {
    auto target = util::HttpClientFor(url, std::chrono::duration_cast<std::chrono::microseconds>(options.timeout));
    if (!target.ok()) return target.status();
    httplib::Client& client = *target->client;
    const std::string& path = target->path;
    // Redirects are followed here, and only within the origin the user named: a target cannot send leakhound
    // elsewhere.
    client.set_follow_location(false);
    client.set_decompress(true);

    std::string body;
    bool too_big = false, too_slow = false;
    util::ExchangeGuard guard(client, deadline, options.cancel);
    httplib::Headers headers = {{"Accept-Encoding", "gzip"}};
    auto res = client.Get(path, headers, [&](const char* data, size_t len) {
      if (body.size() + len > options.max_bytes) {
        too_big = true;
        return false;
      }
      if (options.deadline.count() > 0 && std::chrono::steady_clock::now() - start > options.deadline) {
        too_slow = true;
        return false;
      }
      body.append(data, len);
      return true;
    });
    if (too_big) {
      kind = FetchError::kTooLarge;
      return Status::Unavailable(url + ": response larger than " + std::to_string(options.max_bytes) + " bytes");
    }
    if (guard.fired() == util::ExchangeGuard::Fired::kCancelled) {
      kind = FetchError::kOther;
      return Status::Unavailable(url + ": cancelled");
    }
    if (too_slow || guard.fired() == util::ExchangeGuard::Fired::kDeadline) {
      kind = FetchError::kTimeout;
      return Status::Unavailable(url + ": response not complete within " +
                                 std::to_string(options.deadline.count()) + " ms");
    }
    if (!res) {
      std::string why;
      switch (res.error()) {
        case httplib::Error::Connection:
          why = "cannot connect (is the service running, and does it import net/http/pprof?)";
          kind = FetchError::kConnect;
          break;
        case httplib::Error::ConnectionTimeout:
          why = "timed out connecting";
          kind = FetchError::kTimeout;
          break;
        case httplib::Error::Read:
          why = "timed out or failed reading the response (raise --timeout for large dumps)";
          kind = FetchError::kTimeout;
          break;
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
          why = "TLS failed (" + httplib::to_string(res.error()) +
                "): is it an https endpoint with a certificate this machine trusts? pprof endpoints are usually "
                "plain http://";
          kind = FetchError::kConnect;
          break;
        default:
          why = httplib::to_string(res.error());
      }
      return Status::Unavailable(url + ": " + why);
    }
    if (res->status >= 300 && res->status < 400 && res->has_header("Location")) {
      std::string location = res->get_header_value("Location");
      std::string next = location.rfind("/", 0) == 0 ? OriginOf(url) + location : location;
      if (OriginOf(next) != origin) {
        kind = FetchError::kStatus;
        return Status::Unavailable(url + ": HTTP " + std::to_string(res->status) + " redirects to another host (" +
                                   Excerpt(next) + "): not followed; name that URL if it is the one you meant");
      }
      if (hop + 1 > kMaxRedirects) {
        kind = FetchError::kStatus;
        return Status::Unavailable(first_url + ": more than " + std::to_string(kMaxRedirects) +
                                   " redirects (a redirect loop?)");
      }
      url = next;
      continue;
    }
    if (res->status != 200) {
      kind = FetchError::kStatus;
      std::string snippet = Excerpt(body);
      return Status::Unavailable(url + ": HTTP " + std::to_string(res->status) +
                                 (snippet.empty() ? "" : " (" + snippet + ")"));
    }
    kind = FetchError::kNone;
    return body;
  }
}

Result<Dump> LoadSource(const std::string& spec, const ReadOptions& read, const FetchOptions& fetch) {
  if (size_t scheme = spec.find("://"); scheme != std::string::npos && scheme < 10 && !IsUrl(spec)) {
    return Status::InvalidArgument(spec + ": unsupported URL scheme '" + spec.substr(0, scheme) +
                                   "': give an http:// or https:// pprof URL, or a file");
  }
  if (IsUrl(spec)) {
    std::string url = ResolveProfileUrl(spec);
    auto body = FetchUrl(url, fetch);
    if (!body.ok()) return body.status();
    if (util::StartsWith(util::TrimLeft(std::string_view(*body).substr(0, 64)), "<")) {
      return Status::Corruption(url + ": the server answered with HTML, not a goroutine profile");
    }
    auto storage = std::make_shared<std::string>(std::move(body).value());
    std::string_view bytes = *storage;
    return ParseDump(spec, bytes, std::move(storage), read);
  }
  if (spec == "-") {
    auto data = util::ReadAll(STDIN_FILENO, "<stdin>");
    if (!data.ok()) return data.status();
    auto storage = std::make_shared<std::string>(std::move(data).value());
    std::string_view bytes = *storage;
    return ParseDump("<stdin>", bytes, std::move(storage), read);
  }
  auto mapped = util::MappedFile::Open(spec);
  if (!mapped.ok()) {
    if (mapped.status().code() != Status::Code::kInvalidArgument ||
        mapped.status().message().find("not a regular file") == std::string::npos) {
      return mapped.status();
    }
    // A FIFO such as <(kubectl logs …): read it.
    int fd = ::open(spec.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IOError(spec + ": cannot open");
    auto data = util::ReadAll(fd, spec);
    ::close(fd);
    if (!data.ok()) return data.status();
    auto storage = std::make_shared<std::string>(std::move(data).value());
    std::string_view bytes = *storage;
    return ParseDump(spec, bytes, std::move(storage), read);
  }
  auto file = std::make_shared<util::MappedFile>(std::move(mapped).value());
  std::string_view bytes = file->bytes();
  return ParseDump(spec, bytes, std::move(file), read);
}

}  // namespace leakhound::dump
