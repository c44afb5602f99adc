#include "leakhound/watch/dump_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <vector>

#include "leakhound/util/strings.h"

namespace leakhound::watch {

namespace fs = std::filesystem;
using util::Result;
using util::Status;

namespace {

constexpr std::string_view kPrefix = "leakhound-";

bool IsOurDump(const fs::path& p) {
  std::string name = p.filename().string();
  return util::StartsWith(name, kPrefix) && util::EndsWith(name, ".txt");
}

}  // namespace

std::string SafeFileName(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || util::IsDigit(c) || c == '-' || c == '.';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  return out.substr(0, 100);
}

namespace {

// Writes `bytes` to a new temporary file in `dir`, flushed; returns its path.
Result<std::string> WriteTemporary(const std::string& dir, std::string_view bytes) {
  std::string tmp = (fs::path(dir) / ".leakhound-XXXXXX.tmp").string();
  int fd = ::mkstemps(tmp.data(), 4);
  if (fd < 0) return Status::IOError(fmt::format("{}: cannot create a temporary file: {}", dir, strerror(errno)));
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError(fmt::format("{}: write failed: {}", tmp, strerror(err)));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IOError(fmt::format("{}: cannot flush: {}", tmp, strerror(errno)));
  }
  ::chmod(tmp.c_str(), 0644);
  return tmp;
}

Status RenameDurably(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IOError(fmt::format("{}: cannot rename to {}: {}", tmp, path, strerror(err)));
  }
  // The rename is durable once the directory is flushed.
  std::string dir = fs::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

fs::path Companion(const fs::path& dump, std::string_view extension) {
  fs::path p = dump;
  return p.replace_extension(std::string(extension));
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::string dir = fs::path(path).parent_path().string();
  auto tmp = WriteTemporary(dir.empty() ? "." : dir, bytes);
  if (!tmp.ok()) return tmp.status();
  return RenameDurably(*tmp, path);
}

Result<std::string> DumpWriter::Write(std::string_view target, std::string_view bytes,
                                      std::chrono::system_clock::time_point when) {
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Status::IOError(fmt::format("{}: cannot create: {}", dir_, ec.message()));
  auto tmp = WriteTemporary(dir_, bytes);
  if (!tmp.ok()) return tmp.status();

  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
  std::string base = fmt::format("{}{}-{}.{:03d}Z", kPrefix, SafeFileName(target), stamp, static_cast<int>(ms % 1000));
  std::string path = (fs::path(dir_) / (base + ".txt")).string();
  for (int i = 1; fs::exists(path, ec); ++i) path = (fs::path(dir_) / fmt::format("{}-{}.txt", base, i)).string();
  Status renamed = RenameDurably(*tmp, path);
  if (!renamed.ok()) return renamed;
  return path;
}

Result<std::string> DumpWriter::WriteBeside(const std::string& dump_path, std::string_view extension,
                                            std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string path = Companion(dump_path, extension).string();
  Status s = WriteFileAtomically(path, bytes);
  if (!s.ok()) return s;
  return path;
}

Result<size_t> DumpWriter::Rotate() {
  std::lock_guard<std::mutex> lock(mu_);
  struct Entry {
    fs::path path;
    fs::file_time_type mtime;
    uint64_t size;
  };
  std::vector<Entry> files;
  std::error_code ec;
  uint64_t temporary_bytes = 0;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && name.rfind(".leakhound-", 0) == 0 && name.size() > 4 &&
        name.compare(name.size() - 4, 4, ".tmp") == 0) {
      // A temporary left by a leakhound that was killed mid-write: removed once it is clearly abandoned, counted
      // against --dump-max-mb until then.
      std::error_code tec;
      const auto mtime = it->last_write_time(tec);
      if (!tec && now - mtime > std::chrono::minutes(10)) {
        fs::remove(it->path(), tec);
      } else {
        temporary_bytes += static_cast<uint64_t>(it->file_size(tec));
      }
      continue;
    }
    if (!it->is_regular_file(ec) || !IsOurDump(it->path())) continue;
    Entry e{it->path(), it->last_write_time(ec), static_cast<uint64_t>(it->file_size(ec))};
    if (ec) continue;
    std::error_code cec;
    const uint64_t companion = fs::file_size(Companion(e.path, ".html"), cec);
    if (!cec) e.size += companion;
    files.push_back(std::move(e));
  }
  if (ec) return Status::IOError(fmt::format("{}: cannot list: {}", dir_, ec.message()));
  // Newest first; ties by name (names carry the time).
  std::sort(files.begin(), files.end(), [](const Entry& a, const Entry& b) {
    if (a.mtime != b.mtime) return a.mtime > b.mtime;
    return a.path.filename().string() > b.path.filename().string();
  });
  size_t deleted = 0;
  uint64_t bytes = temporary_bytes;
  for (size_t i = 0; i < files.size(); ++i) {
    bytes += files[i].size;
    if (i == 0) continue;
    if (i >= rotation_.keep || bytes > rotation_.max_bytes) {
      fs::remove(Companion(files[i].path, ".html"), ec);
      if (fs::remove(files[i].path, ec)) ++deleted;
      bytes -= files[i].size;
    }
  }
  return deleted;
}

}  // namespace leakhound::watch
