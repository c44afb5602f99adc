#include "leakhound/util/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

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

// The decompressed bytes, in parts: a stream that inflates past the limit (a bomb) costs at most the limit, never
// the limit plus the copy a growing string makes; the parts are joined once at the end.
class Output {
 public:
  static constexpr size_t kMaxPart = size_t{64} << 20;

  Output(size_t first, size_t room_limit) : room_limit_(room_limit) { Add(std::min(first, room_limit)); }

  // The writable space of the current part, adding a part when it is full. False when the capacity is at the limit.
  bool Room(char** at, size_t* n) {
    if (used_ == parts_.back().size()) {
      if (capacity_ >= room_limit_) return false;
      Add(std::min(room_limit_ - capacity_, std::max(kMinInitialOutput, std::min(capacity_, kMaxPart))));
    }
    *at = parts_.back().data() + used_;
    *n = parts_.back().size() - used_;
    return true;
  }
  void Wrote(size_t n) {
    used_ += n;
    produced_ += n;
  }
  size_t produced() const { return produced_; }

  // Joins the parts; each is freed once copied, so the peak is the output plus one part.
  std::string Take() {
    parts_.back().resize(used_);
    if (parts_.size() == 1) return std::move(parts_.front());
    std::string out;
    out.reserve(produced_);
    for (std::string& p : parts_) {
      out += p;
      std::string().swap(p);
    }
    return out;
  }

 private:
  void Add(size_t n) {
    parts_.emplace_back(n, '\0');
    capacity_ += n;
    used_ = 0;
  }

  std::vector<std::string> parts_;
  size_t room_limit_;
  size_t capacity_ = 0;
  size_t used_ = 0;  // of the last part
  size_t produced_ = 0;
};

// The first part's size: the gzip trailer's ISIZE (the last member's size mod 4 GiB) when it is plausible for this
// many compressed bytes (deflate inflates at most ~1032x), so that an honest stream is inflated into one part with no
// copy; else four times the input, up to one part.
size_t FirstPart(std::string_view bytes) {
  size_t guess = std::min(bytes.size(), Output::kMaxPart / 4) * 4;
  if (IsGzip(bytes) && bytes.size() >= 18) {
    const auto* t = reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size() - 4);
    const size_t isize = size_t{t[0]} | size_t{t[1]} << 8 | size_t{t[2]} << 16 | size_t{t[3]} << 24;
    if (isize > 0 && bytes.size() <= SIZE_MAX / 1032 && isize <= bytes.size() * 1032) guess = isize + 1;
  }
  return std::max(kMinInitialOutput, guess);
}

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
  Output out(FirstPart(bytes), room_limit);
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
    char* at = nullptr;
    size_t space = 0;
    if (!out.Room(&at, &space)) break;  // reported below as too large
    const size_t room = std::min(space, kMaxChunk);
    zs.next_out = reinterpret_cast<Bytef*>(at);
    zs.avail_out = static_cast<uInt>(room);
    const size_t consumed_before = fed - zs.avail_in;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.Wrote(room - zs.avail_out);
    produced = out.produced();
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
      if (!IsGzip(rest) || inflateReset(&zs) != Z_OK) return out.Take();
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
