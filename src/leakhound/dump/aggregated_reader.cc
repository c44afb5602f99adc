// Reader for runtime/pprof's `?debug=1` goroutine profile (see reader.h for the contract):
//
//   goroutine profile: total 20                                        <- header; "goroutineleak profile" for leaks
//   3 @ 0x48080e 0x414a5c 0x414657 0x4e8725 0x4e870c 0x487761          <- entry: count @ stack PCs
//   # labels: {"shard":"7", "worker":"sender"}                         <- optional pprof labels
//   #	0x4e8724	main.sendOne+0x44		/src/main.go:52             <- one frame per line, leaf first
//   #	0x4e870b	main.leakySender.func1+0x2b	/src/main.go:62
//                                                                       <- blank line ends the entry
//
// runtime/pprof pads the columns with a tabwriter (runs of tabs); copied text may have spaces instead. Frames print
// as "#\tPC" alone when the PC has no symbol. Leading runtime.* frames are never printed (printStackRecord hides
// them), so channel and select waits leave no trace in the frames; runtime.goexit is never printed either, so an
// entry whose only PC is goexit has no frame lines at all.
//
// Single pass over the text with memchr; records and frames are appended straight into the Dump, all views point into
// `text`.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "leakhound/dump/infer_state.h"
#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

// Past this many diagnostics a garbage input would only produce noise; the rest are counted.
constexpr size_t kMaxDiagnostics = 1000;
constexpr size_t kMaxExcerpt = 160;

constexpr std::string_view kGoroutineHeader = "goroutine profile: total ";
constexpr std::string_view kLeakHeader = "goroutineleak profile: total ";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

bool IsHex(char c) { return util::IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// "0x" followed by at least one hex digit and nothing else.
bool IsHexWord(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (size_t i = 2; i < s.size(); ++i) {
    if (!IsHex(s[i])) return false;
  }
  return true;
}

// Splits off the first run of non-blank characters; `s` keeps what follows, leading blanks removed.
std::string_view NextWord(std::string_view& s) {
  s = util::TrimLeft(s);
  size_t n = 0;
  while (n < s.size() && !IsSpace(s[n])) ++n;
  std::string_view word = s.substr(0, n);
  s = util::TrimLeft(s.substr(n));
  return word;
}

std::string Excerpt(std::string_view line) {
  if (line.size() <= kMaxExcerpt) return std::string(line);
  return std::string(line.substr(0, kMaxExcerpt)) + "...";
}

class AggregatedParser {
 public:
  AggregatedParser(std::string_view text, Dump& out)
      : text_(text), out_(out), next_snapshot_(out.snapshots), diagnostics_before_(out.diagnostics.size()) {}

  void Run() {
    // A byte-order mark from an editor is not part of the first line.
    if (util::StartsWith(text_, "\xEF\xBB\xBF")) text_.remove_prefix(3);
    const char* p = text_.data();
    const char* end = p + text_.size();
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* line_end = nl != nullptr ? nl : end;
      ++line_no_;
      Line(util::TrimRight(std::string_view(p, static_cast<size_t>(line_end - p))));
      p = nl != nullptr ? nl + 1 : end;
    }
    FinishEntry();
    FinishSnapshot();
    out_.snapshots = next_snapshot_;
    if (saw_leak_header_ && !saw_plain_header_) out_.leak_profile = true;
    if (suppressed_ > 0) {
      out_.diagnostics.push_back(Diagnostic{0, std::to_string(suppressed_) + " more problems not reported", ""});
    }
  }

 private:
  struct Entry {
    bool open = false;
    bool skip = false;  // the count line was bad: ignore its frame lines
    Goroutine g;
    uint64_t count_line = 0;
    uint32_t pcs = 0;  // program counters on the count line
    std::string_view first_pc;        // the first of them: the goroutine's innermost return address
    bool first_frame_seen = false;
    std::string_view last_pc;
  };

  void Line(std::string_view line) {
    if (line.empty() || util::TrimLeft(line).empty()) {
      FinishEntry();
      return;
    }
    const char c = line[0];
    if (c == '#') {
      FrameOrLabels(line);
    } else if (util::IsDigit(c)) {
      CountLine(line);
    } else if (util::StartsWith(line, kGoroutineHeader)) {
      Header(line, kGoroutineHeader, /*leak=*/false);
    } else if (util::StartsWith(line, kLeakHeader)) {
      Header(line, kLeakHeader, /*leak=*/true);
    } else {
      Report("unexpected line in a debug=1 goroutine profile", line);
    }
  }

  void Header(std::string_view line, std::string_view key, bool leak) {
    FinishEntry();
    FinishSnapshot();
    snapshot_ = next_snapshot_++;
    snapshot_open_ = true;
    snapshot_leak_ = leak;
    (leak ? saw_leak_header_ : saw_plain_header_) = true;
    snapshot_sum_ = 0;
    header_line_ = line_no_;
    auto total = util::ParseUint(util::Trim(line.substr(key.size())));
    if (!total) {
      Report("bad goroutine total in profile header", line);
      header_total_ = -1;
      return;
    }
    header_total_ = static_cast<int64_t>(*total > INT64_MAX ? INT64_MAX : *total);
    out_.declared_total = SaturatingAdd(out_.declared_total, *total);
  }

  // Checks the entries of the snapshot just ended against its header's total: a shortfall means the input was cut.
  void FinishSnapshot() {
    if (!snapshot_open_ || header_total_ < 0) return;
    if (static_cast<uint64_t>(header_total_) != snapshot_sum_) {
      ReportAt(header_line_,
               "profile header declares " + std::to_string(header_total_) + " goroutines but its entries add up to " +
                   std::to_string(snapshot_sum_),
               "");
    }
    header_total_ = -1;
  }

  void CountLine(std::string_view line) {
    FinishEntry();
    if (!snapshot_open_) {
      // Someone cut the header off; take the entries anyway.
      Report("entry before any 'goroutine profile: total N' header", line);
      snapshot_ = next_snapshot_++;
      snapshot_open_ = true;
      snapshot_leak_ = false;
      header_total_ = -1;
      snapshot_sum_ = 0;
    }
    entry_ = Entry{};
    entry_.open = true;
    entry_.count_line = line_no_;
    std::string_view rest = line;
    auto count = util::ConsumeUint(rest);
    rest = util::TrimLeft(rest);
    if (!count || !util::Consume(rest, "@")) {
      Report(count ? "entry line lacks '@' after the count" : "bad goroutine count in entry line", line);
      entry_.skip = true;
      return;
    }
    if (!rest.empty() && !IsSpace(rest[0])) {
      Report("entry line lacks '@' after the count", line);
      entry_.skip = true;
      return;
    }
    while (!rest.empty()) {
      std::string_view pc = NextWord(rest);
      if (!IsHexWord(pc)) {
        Report("bad program counter in entry line", line);
        break;
      }
      if (entry_.pcs == 0) entry_.first_pc = pc;
      ++entry_.pcs;
    }
    Goroutine& g = entry_.g;
    g.count = *count;
    g.frames_begin = static_cast<uint32_t>(out_.frames.size());
    g.line = line_no_ > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(line_no_);
    g.snapshot = snapshot_;
    if (snapshot_leak_) g.flags |= kLeaked;
  }

  void FrameOrLabels(std::string_view line) {
    if (!entry_.open) {
      Report("frame line outside an entry (no 'N @ 0x...' line before it)", line);
      return;
    }
    if (entry_.skip) return;
    std::string_view rest = util::TrimLeft(line.substr(1));
    if (util::Consume(rest, "labels:")) {
      entry_.g.labels = util::Trim(rest);
      return;
    }
    std::string_view pc = NextWord(rest);
    if (!IsHexWord(pc)) {
      Report("bad program counter in frame line", line);
      entry_.g.flags |= kTruncated;
      return;
    }
    if (out_.frames.size() >= UINT32_MAX) {  // Goroutine::frames_begin is 32-bit
      Report("too many frames; frame dropped", line);
      entry_.g.flags |= kTruncated;
      return;
    }
    if (!entry_.first_frame_seen) {
      // printStackRecord drops the runtime frames at the top of a parked goroutine (gopark, chanrecv, selectgo...):
      // when the first printed frame is not the innermost PC, the goroutine is waiting inside the runtime.
      entry_.first_frame_seen = true;
      if (!SamePc(pc, entry_.first_pc)) entry_.g.flags |= kParked;
    }
    Frame frame;
    if (rest.empty()) {
      // A PC without a symbol: name the frame by its PC so that stacks still compare.
      frame.function = pc;
      frame.file = "?";
    } else if (!ParseLocation(rest, frame)) {
      Report("frame line lacks 'function+0xOFFSET file:line'", line);
      entry_.g.flags |= kTruncated;
    }
    // Older runtimes give inlined frames the PC of the call they were inlined into: every frame but the last of a
    // run sharing one PC is an inlined callee.
    const uint32_t size = static_cast<uint32_t>(out_.frames.size()) - entry_.g.frames_begin;
    if (size > 0 && pc == entry_.last_pc) out_.frames.back().inlined = true;
    entry_.last_pc = pc;
    if (size >= kMaxFramesPerStack || out_.frames.size() >= kMaxTotalFrames) {
      if ((entry_.g.flags & kElided) == 0) {
        Report(size >= kMaxFramesPerStack ? "more than " + std::to_string(kMaxFramesPerStack) +
                                                " frames in one stack: the rest are dropped"
                                          : "more than " + std::to_string(kMaxTotalFrames) +
                                                " frames in all: the frames past that are dropped",
               line);
      }
      entry_.g.flags |= kElided;
      return;
    }
    out_.frames.push_back(frame);
  }

  // A frame line shows the call's PC (return address - 1) for what the count line lists as the return address.
  static bool SamePc(std::string_view frame_pc, std::string_view entry_pc) {
    auto parse = [](std::string_view s, uint64_t* v) {
      if (!util::Consume(s, "0x") || s.empty() || s.size() > 16) return false;
      *v = 0;
      for (char c : s) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return false;
        *v = (*v << 4) | static_cast<uint64_t>(d);
      }
      return true;
    };
    uint64_t f = 0, e = 0;
    if (!parse(frame_pc, &f) || !parse(entry_pc, &e)) return true;  // unknown: assume nothing was hidden
    return f == e || f + 1 == e;
  }

  // "main.sendOne+0x44\t\t/src/main.go:52" -> function, file, line. Returns false when only part of it is there
  // (what was found is kept).
  static bool ParseLocation(std::string_view rest, Frame& frame) {
    // The function ends at "+0x<hex>" followed by a blank: that survives tabs turned into spaces, and generic
    // instantiations with blanks in their type arguments.
    size_t fn_end = std::string_view::npos;
    size_t loc_begin = std::string_view::npos;
    for (size_t at = rest.find("+0x"); at != std::string_view::npos; at = rest.find("+0x", at + 1)) {
      size_t i = at + 3;
      while (i < rest.size() && IsHex(rest[i])) ++i;
      if (i > at + 3 && (i == rest.size() || IsSpace(rest[i]))) {
        fn_end = at;
        loc_begin = i;
        break;
      }
    }
    if (fn_end == std::string_view::npos) {
      // No offset: take the first blank-separated word as the function.
      size_t blank = 0;
      while (blank < rest.size() && !IsSpace(rest[blank])) ++blank;
      fn_end = blank;
      loc_begin = blank;
    }
    frame.function = rest.substr(0, fn_end);
    std::string_view location = util::Trim(rest.substr(loc_begin));
    size_t colon = location.rfind(':');
    if (frame.function.empty() || colon == std::string_view::npos) {
      frame.file = location;
      return false;
    }
    auto line = util::ParseUint(location.substr(colon + 1));
    frame.file = location.substr(0, colon);
    if (!line || *line > UINT32_MAX) return false;
    frame.line = static_cast<uint32_t>(*line);
    return true;
  }

  void FinishEntry() {
    if (!entry_.open) return;
    entry_.open = false;
    if (entry_.skip) return;
    Goroutine& g = entry_.g;
    g.frames_size = static_cast<uint32_t>(out_.frames.size()) - g.frames_begin;
    // printStackRecord never prints runtime.goexit, so a goroutine whose whole stack is goexit (Go 1.26 lists such
    // just-created goroutines as "1 @ 0x4911c1") has no frame lines. With more PCs, frame lines are missing.
    if (g.frames_size == 0 && entry_.pcs != 1) {
      ReportAt(entry_.count_line, "entry has no '#' frame lines", "");
      g.flags |= kTruncated;
    }
    g.state = InferState(out_.FramesOf(g));
    if (!g.state.empty()) g.flags |= kStateInferred;
    snapshot_sum_ = SaturatingAdd(snapshot_sum_, g.count);
    out_.goroutines.push_back(g);
  }

  void Report(std::string message, std::string_view line) { ReportAt(line_no_, std::move(message), line); }

  void ReportAt(uint64_t line_no, std::string message, std::string_view excerpt) {
    if (out_.diagnostics.size() - diagnostics_before_ >= kMaxDiagnostics) {
      ++suppressed_;
      return;
    }
    out_.diagnostics.push_back(Diagnostic{line_no, std::move(message), Excerpt(excerpt)});
  }

  std::string_view text_;
  Dump& out_;
  uint64_t line_no_ = 0;
  Entry entry_;

  uint32_t next_snapshot_;
  uint32_t snapshot_ = 0;
  bool snapshot_open_ = false;
  bool snapshot_leak_ = false;
  bool saw_leak_header_ = false;
  bool saw_plain_header_ = false;
  int64_t header_total_ = -1;  // -1: no usable total to check
  uint64_t header_line_ = 0;
  uint64_t snapshot_sum_ = 0;

  const size_t diagnostics_before_;
  uint64_t suppressed_ = 0;
};

}  // namespace

void ReadAggregated(std::string_view text, Dump& out) { AggregatedParser(text, out).Run(); }

}  // namespace leakhound::dump
