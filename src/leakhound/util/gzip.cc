#include "leakhound/util/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace leakhound::util {

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::IOError("gzip: cannot initialise zlib");
  std::string out;
  out.resize(std::min<size_t>(std::max<size_t>(bytes.size() * 4, 1 << 16), max_bytes));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  size_t in_left = bytes.size();
  size_t produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (produced == out.size()) {
      if (out.size() >= max_bytes) {
        inflateEnd(&zs);
        return Status::Corruption("gzip: decompressed data larger than " + std::to_string(max_bytes) + " bytes");
      }
      out.resize(std::min(out.size() * 2, max_bytes));
    }
    if (zs.avail_in == 0) {
      uInt chunk = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
      zs.avail_in = chunk;
      in_left -= chunk;
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    uInt room = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
    zs.avail_out = room;
    rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
      inflateEnd(&zs);
      return Status::Corruption("gzip: truncated stream (" + std::to_string(produced) + " bytes decompressed)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string msg = zs.msg ? zs.msg : "corrupt data";
      inflateEnd(&zs);
      return Status::Corruption("gzip: " + msg);
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

}  // namespace leakhound::util
