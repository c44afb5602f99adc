// The two faces of `leakhound watch` output: JSON lines (one leakhound.watch/v1 event per line, for pipes and log
// shippers) and a live table redrawn in place on a terminal (alerts printed above it as they come, scrape errors
// left to the table's status column).
//
// Ownership: both write to a FILE* the caller keeps open. Thread-safety: the Watcher serialises calls.
#ifndef LEAKHOUND_WATCH_OUTPUT_H_
#define LEAKHOUND_WATCH_OUTPUT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "leakhound/watch/watcher.h"

namespace leakhound::watch {

class JsonLinesOutput : public Output {
 public:
  explicit JsonLinesOutput(std::FILE* out) : out_(out) {}
  void Event(const nlohmann::json& event) override;

 private:
  std::FILE* out_;
};

class TableOutput : public Output {
 public:
  TableOutput(std::FILE* out, bool color, size_t width) : out_(out), color_(color), width_(width) {}
  void Event(const nlohmann::json& event) override;
  void Round(const std::vector<TargetStatus>& targets) override;

  // The table as text (exposed for tests).
  static std::string Render(const std::vector<TargetStatus>& targets, bool color, size_t width);

 private:
  void Clear();
  std::FILE* out_;
  bool color_;
  size_t width_;
  size_t drawn_lines_ = 0;
  std::vector<TargetStatus> last_;
};

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_OUTPUT_H_
