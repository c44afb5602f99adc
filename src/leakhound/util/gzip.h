// gzip decompression (zlib) for profiles fetched or saved with Content-Encoding gzip: Go writes `?debug=0` goroutine
// profiles as gzipped profile.proto, and people gzip large text dumps.
//
// Gunzip copies the decompressed bytes into a new string owned by the caller; the input view is only read during
// the call. The output is bounded: a stream that inflates past `max_bytes` is refused rather than exhausting memory
// (a gzip bomb inflates ~1000x).
//
// Thread-safety: both functions are pure and may be called from any number of threads.
#ifndef LEAKHOUND_UTIL_GZIP_H_
#define LEAKHOUND_UTIL_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "leakhound/util/status.h"

namespace leakhound::util {

// True when `bytes` starts with the gzip magic number (1f 8b).
bool IsGzip(std::string_view bytes);

// Decompresses a gzip stream (several concatenated members are joined, as gunzip(1) does) or a zlib stream.
// Bytes after the last member that do not start another gzip member are ignored, like gunzip's "trailing garbage".
// Fails with Status::Corruption and a message starting "gzip: " that says what went wrong: corrupt data (and at which
// compressed byte), a truncated stream (and how much had been decompressed), or output larger than `max_bytes`.
// An output of exactly `max_bytes` bytes is accepted.
Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes);

// Compresses `bytes` into one gzip member (what `go tool pprof` expects of a .pb.gz).
std::string Gzip(std::string_view bytes);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_GZIP_H_
