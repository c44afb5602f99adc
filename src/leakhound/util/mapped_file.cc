#include "leakhound/util/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace leakhound::util {

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::IOError(path + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    // A FIFO or device cannot be mapped; read it instead.
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return MappedFile(nullptr, 0);
  }
  // The file is copied into anonymous memory, not mapped: a mapped file that shrinks under us (a log rotated, a dump
  // rewritten) would kill the process with SIGBUS on the first page past its new end. A file that shrinks while it is
  // read gives what was there; one that grows gives its size at open.
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) {
    int err = errno;
    ::close(fd);
    return Status::IOError(path + ": cannot allocate " + std::to_string(size) + " bytes: " + std::strerror(err));
  }
  // Read in parallel slices: the copy is bound by page faults and memory bandwidth, both of which scale with cores.
  const unsigned threads = size < (size_t{16} << 20) ? 1u : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  const size_t slice = (size + threads - 1) / threads;
  std::vector<size_t> read(threads, 0);
  std::vector<int> errors(threads, 0);
  auto read_slice = [&](unsigned t) {
    const size_t begin = std::min(size, t * slice), end = std::min(size, begin + slice);
    size_t at = begin;
    while (at < end) {
      ssize_t n = ::pread(fd, static_cast<char*>(data) + at, end - at, static_cast<off_t>(at));
      if (n == 0) break;  // shrank
      if (n < 0) {
        if (errno == EINTR) continue;
        errors[t] = errno;
        break;
      }
      at += static_cast<size_t>(n);
    }
    read[t] = at - begin;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(read_slice, t);
  read_slice(0);
  for (std::thread& th : pool) th.join();
  size_t got = 0;
  for (unsigned t = 0; t < threads; ++t) {
    if (errors[t] != 0) {
      ::close(fd);
      ::munmap(data, size);
      return Status::IOError(path + ": " + std::strerror(errors[t]));
    }
    got += read[t];
    if (read[t] < std::min(size, (t + 1) * slice) - std::min(size, t * slice)) break;  // the file ends here
  }
  ::close(fd);
  ::mprotect(data, size, PROT_READ);
  if (got < size) {
    // Keep the mapping's length for munmap; expose only what was read.
    MappedFile f(data, size);
    f.view_size_ = got;
    return f;
  }
  return MappedFile(data, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(other.data_), size_(other.size_), view_size_(other.view_size_) {
  other.data_ = nullptr;
  other.size_ = 0;
  other.view_size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = other.data_;
    size_ = other.size_;
    view_size_ = other.view_size_;
    other.data_ = nullptr;
    other.size_ = 0;
    other.view_size_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

Result<std::string> ReadAll(int fd, const std::string& name, size_t max_bytes) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    if (out.size() > max_bytes) {
      return Status::IOError(name + ": more than " + std::to_string(max_bytes >> 20) +
                                       " MiB: not a goroutine dump (the budget on an input that is not a regular "
                                       "file)");
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(name + ": " + std::strerror(errno));
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace leakhound::util
