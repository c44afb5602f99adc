#include "leakhound/util/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace leakhound::util {
namespace {

// zlib counts in uInt; feed and drain at most this much per call.
constexpr size_t kMaxChunk = size_t{1} << 30;
constexpr size_t kMinInitialOutput = size_t{64} << 10;

// Owns an inflate stream.
class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (initialised_) inflateEnd(&zs_);
  }

  // windowBits 15 + 32: the largest window, and detect a gzip or zlib header automatically.
  bool Init() {
    initialised_ = inflateInit2(&zs_, 15 + 32) == Z_OK;
    return initialised_;
  }
  z_stream& stream() { return zs_; }

 private:
  z_stream zs_{};
  bool initialised_ = false;
};

std::string Bytes(size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes) {
  if (bytes.empty()) return Status::Corruption("gzip: empty input");
  Inflater inflater;
  if (!inflater.Init()) return Status::IOError("gzip: cannot initialise zlib");
  z_stream& zs = inflater.stream();

  // Room for one byte past the limit tells "exactly max_bytes" from "more than max_bytes".
  const size_t room_limit = max_bytes == SIZE_MAX ? SIZE_MAX : max_bytes + 1;
  std::string out;
  out.resize(std::min(room_limit, std::max(kMinInitialOutput, bytes.size() <= SIZE_MAX / 4 ? bytes.size() * 4 : 0)));
  size_t produced = 0;
  size_t fed = 0;  // input bytes handed to zlib so far; consumed = fed - zs.avail_in
  const auto* input = reinterpret_cast<const Bytef*>(bytes.data());
  int stalls = 0;  // consecutive calls that neither read nor wrote a byte

  while (true) {
    if (zs.avail_in == 0 && fed < bytes.size()) {
      size_t chunk = std::min(bytes.size() - fed, kMaxChunk);
      zs.next_in = const_cast<Bytef*>(input + fed);
      zs.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    if (produced == out.size()) {
      if (out.size() >= room_limit) break;  // reported below as too large
      size_t grown = out.size() <= room_limit / 2 ? out.size() * 2 : room_limit;
      out.resize(std::max(grown, out.size() + 1));
    }
    const size_t room = std::min(out.size() - produced, kMaxChunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(room);
    const size_t consumed_before = fed - zs.avail_in;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (produced > max_bytes) break;

    const size_t consumed = fed - zs.avail_in;
    stalls = (consumed == consumed_before && zs.avail_out == room) ? stalls + 1 : 0;
    if (stalls > 2 && rc != Z_STREAM_END) {
      return Status::Corruption("gzip: decompression stopped making progress at compressed byte " +
                                std::to_string(consumed));
    }
    if (rc == Z_STREAM_END) {
      // Another member may follow (gzip files can be concatenated); anything else is trailing garbage.
      std::string_view rest = bytes.substr(consumed);
      if (!IsGzip(rest) || inflateReset(&zs) != Z_OK) {
        out.resize(produced);
        return out;
      }
      continue;
    }
    switch (rc) {
      case Z_OK:
        continue;
      case Z_BUF_ERROR:
        // No progress: either the output is full (grow and go on) or the input ran out mid-stream.
        if (zs.avail_out == 0) continue;
        if (zs.avail_in == 0 && fed == bytes.size()) {
          return Status::Corruption("gzip: truncated input: the stream ends after " + Bytes(bytes.size()) +
                                    " without its end marker (" + Bytes(produced) + " decompressed)");
        }
        continue;
      case Z_NEED_DICT:
        return Status::Corruption("gzip: the stream needs a preset dictionary");
      case Z_MEM_ERROR:
        return Status::IOError("gzip: out of memory after " + Bytes(produced) + " decompressed");
      case Z_DATA_ERROR:
      default:
        return Status::Corruption("gzip: corrupt data near compressed byte " + std::to_string(consumed) + ": " +
                                  (zs.msg != nullptr ? zs.msg : "invalid stream"));
    }
  }
  return Status::Corruption("gzip: decompressed data is larger than the limit of " + Bytes(max_bytes));
}

std::string Gzip(std::string_view bytes) {
  z_stream zs{};
  // 15 + 16: a gzip header and trailer around the deflate stream.
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace leakhound::util
