// Loading inputs named on the command line: a file path, "-" for stdin, or an http:// URL of a pprof endpoint.
//
// URL forms: "http://127.0.0.1:6060" (the goroutine profile at debug=2 is fetched), ".../debug/pprof/" (likewise),
// or a full ".../debug/pprof/goroutine?debug=N" / ".../goroutineleak?..." URL, fetched as given.
#ifndef LEAKHOUND_DUMP_SOURCE_H_
#define LEAKHOUND_DUMP_SOURCE_H_

#include <atomic>
#include <chrono>
#include <string>

#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"
#include "leakhound/util/status.h"

namespace leakhound::dump {

struct FetchOptions {
  std::chrono::milliseconds timeout{30000};   // connect, and each read or write
  std::chrono::milliseconds deadline{0};      // the whole exchange, body included (0: none): a slow drip ends here
  size_t max_bytes = size_t{1} << 30;         // refuse bodies larger than this
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true, the exchange ends (within ~50 ms)
};

// Why a fetch failed, for callers that count failures by reason (watch).
enum class FetchError { kNone, kConnect, kTimeout, kStatus, kTooLarge, kOther };

bool IsUrl(std::string_view spec);

// Turns a user-given URL into the URL to fetch (adds the profile path when only a base was given).
std::string ResolveProfileUrl(std::string_view url);

// Fetches `url` over HTTP. Errors name the URL and say what failed (connect, timeout, status, size); when `why` is
// given it receives the reason as a value (kNone on success).
util::Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options, FetchError* why = nullptr);

// Loads and parses one input. Fails only when the input cannot be read at all (missing file, HTTP error);
// a readable input with bad content yields a Dump with diagnostics.
// The goroutineleak profile (debug=2) of the process behind `spec`, when `spec` is a URL that names no profile
// (a base such as http://127.0.0.1:6060); "" otherwise. Go >= 1.26 built with GOEXPERIMENT=goroutineleakprofile
// serves it; each request runs a leak-detecting GC cycle in the target.
std::string LeakProfileUrlFor(std::string_view spec);
// Marks the goroutines of `d` that `proof` (a goroutineleak profile of the same process, taken after `d`) lists as
// leaked, by id, when `d` shows them parked. Returns how many were marked.
size_t ApplyLeakProof(const Dump& proof, Dump* d);

util::Result<Dump> LoadSource(const std::string& spec, const ReadOptions& read, const FetchOptions& fetch);

}  // namespace leakhound::dump

#endif  // LEAKHOUND_DUMP_SOURCE_H_
