// Entry points of the format readers. Every reader appends to a Dump and never fails: malformed regions become
// Diagnostics (with 1-based line numbers for text formats) and whatever parsed is kept.
//
// Views stored in the Dump point into `bytes`; the caller keeps `bytes` alive through Dump::Retain (ParseDump does).
#ifndef LEAKHOUND_DUMP_READER_H_
#define LEAKHOUND_DUMP_READER_H_

#include <memory>
#include <string>
#include <string_view>

#include "leakhound/dump/model.h"

namespace leakhound::dump {

struct ReadOptions {
  Format format = Format::kAuto;
  unsigned threads = 0;  // 0: one per hardware thread
  // Budget: a gzipped input may inflate to at most this many bytes (a gzip bomb inflates ~1000x). 4 GiB holds a real
  // 2M-goroutine debug=2 dump; watch lowers it to kInflateFactor x --max-body-mb per scrape.
  size_t max_decompressed = size_t{4} << 30;
};

// Looks at the first bytes (and, for text, the first lines) and names the format.
// gzip data is reported as kPprof: Go only gzips profile.proto.
Format DetectFormat(std::string_view bytes);

// Traceback text: SIGQUIT, panics, runtime.Stack, ?debug=2, go test timeouts, goleak reports, with any log noise
// around them. `text` must already be normalised (see normalize.h): "\n" line ends, no colour codes, no log prefix.
void ReadTraceback(std::string_view text, Dump& out, unsigned threads);

// `?debug=1` aggregated text ("goroutine profile: total N" / "goroutineleak profile: total N").
void ReadAggregated(std::string_view text, Dump& out);

// `?debug=0` profile.proto, gzipped or not. Strings are copied into `out` (Dump::Intern or retained storage).
void ReadPprof(std::string_view bytes, Dump& out);

// Detects (unless options.format says), normalises text when needed, and runs the right reader.
// `owner` keeps `bytes` alive; it is retained by the returned Dump.
Dump ParseDump(std::string name, std::string_view bytes, std::shared_ptr<const void> owner,
               const ReadOptions& options);

}  // namespace leakhound::dump

#endif  // LEAKHOUND_DUMP_READER_H_
