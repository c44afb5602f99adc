// gzip decompression (zlib) with a bound on the output size.
#ifndef LEAKHOUND_UTIL_GZIP_H_
#define LEAKHOUND_UTIL_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "leakhound/util/status.h"

namespace leakhound::util {

// True when `bytes` starts with the gzip magic number.
bool IsGzip(std::string_view bytes);

// Decompresses a gzip (or zlib) stream. Fails with a message naming what went wrong (corrupt data, truncated
// stream, output over `max_bytes`).
Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_GZIP_H_
