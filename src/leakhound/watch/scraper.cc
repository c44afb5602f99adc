#include "leakhound/watch/scraper.h"

#include <fmt/format.h>

#include <chrono>

#include "leakhound/dump/reader.h"
#include "leakhound/dump/source.h"
#include "leakhound/util/strings.h"

namespace leakhound::watch {

namespace {

ScrapeError FromFetch(dump::FetchError e) {
  switch (e) {
    case dump::FetchError::kNone: return ScrapeError::kNone;
    case dump::FetchError::kConnect: return ScrapeError::kConnect;
    case dump::FetchError::kTimeout: return ScrapeError::kTimeout;
    case dump::FetchError::kStatus: return ScrapeError::kStatus;
    case dump::FetchError::kTooLarge: return ScrapeError::kTooLarge;
    case dump::FetchError::kOther: return ScrapeError::kOther;
  }
  return ScrapeError::kOther;
}

}  // namespace

std::string_view ScrapeErrorName(ScrapeError e) {
  switch (e) {
    case ScrapeError::kNone: return "none";
    case ScrapeError::kConnect: return "connect";
    case ScrapeError::kTimeout: return "timeout";
    case ScrapeError::kStatus: return "http_status";
    case ScrapeError::kTooLarge: return "too_large";
    case ScrapeError::kHtml: return "html";
    case ScrapeError::kGarbage: return "garbage";
    case ScrapeError::kTruncated: return "truncated";
    case ScrapeError::kOther: return "other";
  }
  return "other";
}

std::optional<uint64_t> ParseFingerprint(std::string_view text) {
  size_t at = text.find("cycles/second=");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + 14);
  return util::ConsumeUint(rest);
}

void ParseScrapeBody(const std::string& name, std::string body, ScrapeResult* result, size_t max_decompressed) {
  std::string_view head = util::TrimLeft(std::string_view(body).substr(0, 256));
  while (!head.empty() && (head.front() == '\n' || head.front() == '\r')) head = util::TrimLeft(head.substr(1));
  if (util::StartsWith(head, "<")) {
    result->error = ScrapeError::kHtml;
    result->message = name + ": the server answered with HTML, not a goroutine profile";
    return;
  }
  auto storage = std::make_shared<std::string>(std::move(body));
  std::string_view bytes = *storage;
  dump::ReadOptions read;
  read.threads = 1;  // scrapes already run in parallel
  read.max_decompressed = max_decompressed;
  auto d = std::make_unique<dump::Dump>(dump::ParseDump(name, bytes, std::move(storage), read));
  const uint64_t total = d->TotalGoroutines();
  if (total == 0 && !d->diagnostics.empty() &&
      d->diagnostics.front().message.find("inflate to") != std::string::npos) {
    result->error = ScrapeError::kTooLarge;
    result->message = fmt::format("{}: {}; raise --max-body-mb (a scrape may inflate to {}x it)", name,
                                  d->diagnostics.front().message, kInflateFactor);
    return;
  }
  if (total == 0) {
    result->error = ScrapeError::kGarbage;
    result->message = name + ": no goroutine profile in the response" +
                      (d->diagnostics.empty() ? "" : " (" + d->diagnostics.front().message + ")");
    return;
  }
  bool cut = d->declared_total > 0 && total < d->declared_total;
  for (const dump::Goroutine& g : d->goroutines) cut = cut || g.has(dump::kTruncated);
  if (cut) {
    result->error = ScrapeError::kTruncated;
    result->message = fmt::format("{}: truncated profile: {} of {} goroutines", name, total, d->declared_total);
    return;
  }
  result->dump = std::move(d);
}

ScrapeResult ScrapeTarget(const Target& target, size_t max_body, const std::atomic<bool>* cancel) {
  ScrapeResult result;
  const auto start = std::chrono::steady_clock::now();
  dump::FetchOptions fetch;
  fetch.timeout = target.timeout;
  fetch.deadline = target.timeout;
  fetch.max_bytes = max_body;
  fetch.cancel = cancel;
  dump::FetchError why = dump::FetchError::kNone;
  std::string url = target.GoroutineUrl();
  auto body = dump::FetchUrl(url, fetch, &why);
  if (!body.ok()) {
    result.error = FromFetch(why);
    result.message = body.status().message();
  } else {
    result.bytes = body->size();
    ParseScrapeBody(url, std::move(body).value(), &result, max_body * kInflateFactor);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.error == ScrapeError::kNone) {
    dump::FetchOptions small = fetch;
    small.max_bytes = 1 << 20;
    auto mutex = dump::FetchUrl(target.FingerprintUrl(), small);
    if (mutex.ok()) result.fingerprint = ParseFingerprint(*mutex);
  }
  return result;
}

}  // namespace leakhound::watch
