// One scrape of one target: GET <base>goroutine?debug=0 or =1 (Target::profile; both aggregated, cheap for the
// service), bounded in time and size, parsed into a Dump, and classified when it is not a usable goroutine profile.
// When the profile is usable the target's process fingerprint is read too (see Fingerprint below).
//
// Thread-safety: ScrapeTarget is reentrant; the returned result is owned by the caller.
#ifndef LEAKHOUND_WATCH_SCRAPER_H_
#define LEAKHOUND_WATCH_SCRAPER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "leakhound/dump/model.h"
#include "leakhound/watch/config.h"

namespace leakhound::watch {

// Why a scrape gave no usable profile; the `reason` label of leakhound_watch_scrape_errors_total.
enum class ScrapeError {
  kNone,
  kConnect,    // nothing listening, connection refused or reset
  kTimeout,    // connect, read or the whole exchange took longer than the target's timeout
  kStatus,     // an HTTP status other than 200
  kTooLarge,   // the body exceeded --max-body
  kHtml,       // an HTML page (a proxy's or framework's error page) instead of a profile
  kGarbage,    // no goroutine profile in the body
  kTruncated,  // a profile that ends before the records its header announces
  kOther,
};
std::string_view ScrapeErrorName(ScrapeError e);

struct ScrapeResult {
  ScrapeError error = ScrapeError::kNone;
  std::string message;               // for errors: what failed, naming the URL
  std::unique_ptr<dump::Dump> dump;  // the parsed profile when error == kNone
  std::optional<uint64_t> fingerprint;
  size_t bytes = 0;
  double seconds = 0;                // wall time of the goroutine profile's fetch and parse
};

// A gzipped profile may inflate to this many times --max-body-mb (a debug=0 profile compresses 3-6x; a gzip bomb
// 1000x): with the defaults, 256 MiB per scrape in flight at most.
inline constexpr size_t kInflateFactor = 4;

// `cancel`: when it becomes true (SIGTERM), the scrape in flight ends within ~50 ms.
ScrapeResult ScrapeTarget(const Target& target, size_t max_body, const std::atomic<bool>* cancel = nullptr);

// Restart detection. A goroutine profile carries no pid, so leakhound reads the header of the mutex profile
// (<base>mutex?debug=1, a few bytes when mutex profiling is off, which is the default): "cycles/second=N" is
// calibrated by the Go runtime once per process, from the CPU's tick counter against the clock over the first
// ~100 ms, so it differs in its low digits from one process to the next and never changes within one. A new value
// means a new process. Returns nullopt when the endpoint or the line is missing.
std::optional<uint64_t> ParseFingerprint(std::string_view mutex_profile);

// Classifies a fetched body (exposed for tests). On success fills result->dump.
// `max_decompressed`: the budget a gzipped body may inflate to (a gzip bomb is refused as too_large).
void ParseScrapeBody(const std::string& name, std::string body, ScrapeResult* result,
                     size_t max_decompressed = size_t{1} << 30);

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_SCRAPER_H_
