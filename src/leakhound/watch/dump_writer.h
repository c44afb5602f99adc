// Writes the debug=2 dumps taken on alert into a directory, never partially: each dump goes to a temporary file in
// the same directory (".leakhound-*.tmp"), is flushed to disk, and is renamed to its final name
// "<target>-<UTC time>.txt" (a name `leakhound diff` reads the time from). A dump may have a companion page beside it
// (the same name with ".html", written the same way by WriteBeside). Then the directory is rotated: the oldest dumps
// are deleted, each with its companion, until at most `keep` dumps and `max_bytes` bytes (dumps and companions)
// remain (the newest dump is always kept). Only files this writer names ("leakhound-*.txt" and their ".html") are
// counted and rotated.
//
// Thread-safety: Write may be called from several threads; writes and rotations are serialised.
#ifndef LEAKHOUND_WATCH_DUMP_WRITER_H_
#define LEAKHOUND_WATCH_DUMP_WRITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "leakhound/util/status.h"

namespace leakhound::watch {

struct Rotation {
  size_t keep = 20;
  uint64_t max_bytes = uint64_t{1} << 30;
};

class DumpWriter {
 public:
  DumpWriter(std::string dir, Rotation rotation) : dir_(std::move(dir)), rotation_(rotation) {}

  // Creates the directory if needed; returns the final path of the dump.
  util::Result<std::string> Write(std::string_view target, std::string_view bytes,
                                  std::chrono::system_clock::time_point when);

  // Writes `bytes` to `dump_path` with its ".txt" replaced by `extension` (".html"), atomically; returns that path.
  // REQUIRES: dump_path was returned by Write.
  util::Result<std::string> WriteBeside(const std::string& dump_path, std::string_view extension,
                                        std::string_view bytes);

  // Deletes the oldest dumps beyond the rotation limits; returns how many were deleted.
  util::Result<size_t> Rotate();

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  Rotation rotation_;
  std::mutex mu_;
};

// Writes `bytes` to `path` never partially: a temporary file in the same directory, flushed, renamed over `path`
// (mode 0644), and the directory flushed.
util::Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// "api.eu-1:6060" -> "api.eu-1_6060": what may appear in a file name.
std::string SafeFileName(std::string_view s);

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_DUMP_WRITER_H_
