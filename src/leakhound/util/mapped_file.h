// MappedFile: a read-only copy of a whole file in memory of its own (RAII; copied, not mapped, so that a file that
// shrinks while leakhound reads it cannot raise SIGBUS). The bytes stay valid for the life of the object; the object
// is move-only. Empty files give an empty view without allocating.
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

  std::string_view bytes() const { return {static_cast<const char*>(data_), view_size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size), view_size_(size) {}
  void* data_ = nullptr;
  size_t size_ = 0;       // of the allocation
  size_t view_size_ = 0;  // of the bytes read (smaller when the file shrank while it was read)
};

// Reads a whole stream (stdin, a pipe) into a string.
// Stops with an error naming the budget past `max_bytes` (stdin, a FIFO or /dev/zero may never end).
Result<std::string> ReadAll(int fd, const std::string& name, size_t max_bytes = size_t{4} << 30);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_MAPPED_FILE_H_
