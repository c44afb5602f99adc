// MappedFile: a read-only memory map of a whole file (RAII). The bytes stay valid for the life of the object; the
// object is move-only. Empty files map to an empty view without calling mmap.
//
// Thread-safety: the view may be read from any number of threads.
#ifndef LEAKHOUND_UTIL_MAPPED_FILE_H_
#define LEAKHOUND_UTIL_MAPPED_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "leakhound/util/status.h"

namespace leakhound::util {

class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Reads a whole stream (stdin, a pipe) into a string.
// Stops with an error naming the budget past `max_bytes` (stdin, a FIFO or /dev/zero may never end).
Result<std::string> ReadAll(int fd, const std::string& name, size_t max_bytes = size_t{4} << 30);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_MAPPED_FILE_H_
