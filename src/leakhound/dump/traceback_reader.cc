// Traceback text reader.
//
// Two stages (simdjson's idea): stage 1 cuts the input into chunks at goroutine boundaries (a blank line followed by a
// "goroutine " header), stage 2 parses the chunks in parallel, each into its own vectors, with memchr-driven line
// scanning and no allocation per line. The chunks are then concatenated in input order and line numbers, frame
// indices and snapshot numbers are made global.

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "leakhound/dump/reader.h"
#include "leakhound/dump/traceback_line.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

using util::Consume;
using util::StartsWith;

constexpr size_t kMaxDiagnosticsPerChunk = 100;
constexpr size_t kMinChunkBytes = 4u << 20;

std::string Excerpt(std::string_view line) {
  constexpr size_t kMax = 120;
  if (line.size() <= kMax) return std::string(line);
  return std::string(line.substr(0, kMax)) + "...";
}

// Lines that start a new dump within one input: runtime preambles and goleak's report.
bool IsDumpPreamble(std::string_view line) {
  if (line.empty()) return false;
  switch (line[0]) {
    case 'S': return StartsWith(line, "SIGQUIT:") || StartsWith(line, "SIGABRT:") || StartsWith(line, "SIGSEGV:") ||
                     StartsWith(line, "SIGBUS:") || StartsWith(line, "SIGILL:") || StartsWith(line, "SIGTRAP:");
    case 'p': return StartsWith(line, "panic: ");
    case 'f': return StartsWith(line, "fatal error: ") || StartsWith(line, "found unexpected goroutines");
    default: break;
  }
  // goleak inside a test log: "    foo_test.go:12: found unexpected goroutines:".
  return line.find("found unexpected goroutines") != std::string_view::npos;
}

// What a preamble line starts: kPreambleRuntime (a complete dump, as far as the runtime printed it) or
// kPreambleGoleak (goleak's report lists only the goroutines it did not expect).
constexpr uint8_t kPreambleRuntime = 1;
constexpr uint8_t kPreambleGoleak = 2;
uint8_t PreambleKind(std::string_view line) {
  if (!IsDumpPreamble(line)) return 0;
  return line.find("found unexpected goroutines") != std::string_view::npos ? kPreambleGoleak : kPreambleRuntime;
}

struct ChunkResult {
  std::vector<Goroutine> goroutines;
  std::vector<Frame> frames;
  std::vector<Diagnostic> diagnostics;
  std::vector<uint8_t> preamble_before;  // per goroutine: the kind of dump preamble seen since the previous one (0: none)
  size_t suppressed = 0;                 // diagnostics over the cap
  uint64_t lines = 0;                    // lines in the chunk
};

class ChunkParser {
 public:
  explicit ChunkParser(ChunkResult& r) : r_(r) {}

  // `reserve_for` is how many input bytes the vectors should have room for: the whole input for the first chunk,
  // whose vectors become the Dump's, the chunk itself otherwise. Untouched capacity costs no memory.
  void Parse(std::string_view text, size_t reserve_for) {
    // Typical dumps run ~90 bytes per frame and ~15 frames per goroutine; reserving avoids most regrowth.
    r_.frames.reserve(reserve_for / 80);
    r_.goroutines.reserve(reserve_for / 1200);
    const char* p = text.data();
    const char* end = p + text.size();
    uint64_t line_no = 0;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* line_end = nl ? nl : end;
      ++line_no;
      OnLine(std::string_view(p, static_cast<size_t>(line_end - p)), line_no, nl == nullptr);
      p = nl ? nl + 1 : end;
    }
    r_.lines = line_no;
    if (suspended_) {
      if (noise_expect_ != Expect::kFunction) {
        Diag(noise_line_, "the stack of goroutine " + std::to_string(Current().id) +
                              " ends without the file:line of its last frame",
             noise_text_);
      }
      suspended_ = false;
      expect_ = Expect::kFunction;
      in_stack_ = true;
      EndGoroutine(line_no, false);
    }
    if (in_stack_) EndGoroutine(line_no, /*at_eof=*/true);
  }

 private:
  enum class Expect { kFunction, kFile, kCreatorFile };

  void Diag(uint64_t line, std::string message, std::string_view text) {
    if (r_.diagnostics.size() >= kMaxDiagnosticsPerChunk) {
      ++r_.suppressed;
      return;
    }
    r_.diagnostics.push_back(Diagnostic{line, std::move(message), Excerpt(text)});
  }

  Goroutine& Current() { return r_.goroutines.back(); }

  // False once the current goroutine has kMaxFramesPerStack frames (it is then marked elided), or the chunk has
  // kMaxTotalFrames: input that would expand past the budgets is dropped, not allocated.
  bool KeepFrame() {
    if (r_.frames.size() >= kMaxTotalFrames) {
      if (!total_reported_) {
        total_reported_ = true;
        Diag(0, "more than " + std::to_string(kMaxTotalFrames) + " frames in all: the frames past that are dropped", "");
      }
      Current().flags |= kElided;
      return false;
    }
    if (r_.frames.size() - Current().frames_begin >= kMaxFramesPerStack) {
      if ((Current().flags & kElided) == 0) {
        Diag(Current().line, "goroutine " + std::to_string(Current().id) + " has more than " +
                                 std::to_string(kMaxFramesPerStack) + " frames: the rest are dropped", "");
      }
      Current().flags |= kElided;
      return false;
    }
    return true;
  }

  void StartGoroutine(const HeaderFields& h, uint64_t line_no, bool goleak = false) {
    if (in_stack_ && current_goleak_ && !goleak && Current().id == h.id && r_.frames.size() == Current().frames_begin) {
      // Older goleak versions print the runtime's own header after theirs: one goroutine, not two.
      Goroutine& g = Current();
      g.state = h.state;
      g.wait_minutes = h.wait_minutes;
      g.flags |= h.flags;
      if (!h.labels.empty()) g.labels = h.labels;
      current_goleak_ = false;
      return;
    }
    if (in_stack_) EndGoroutine(line_no, false);
    current_goleak_ = goleak;
    Goroutine g;
    g.id = h.id;
    g.state = h.state;
    g.wait_minutes = h.wait_minutes;
    g.flags = h.flags;
    g.labels = h.labels;
    g.line = static_cast<uint32_t>(line_no);
    g.frames_begin = static_cast<uint32_t>(r_.frames.size());
    r_.goroutines.push_back(g);
    r_.preamble_before.push_back(preamble_seen_);
    preamble_seen_ = 0;
    in_stack_ = true;
    in_ancestor_ = false;
    expect_ = Expect::kFunction;
  }

  void EndGoroutine(uint64_t line_no, bool at_eof) {
    Goroutine& g = Current();
    if (expect_ == Expect::kFile || expect_ == Expect::kCreatorFile) {
      g.flags |= kTruncated;
      if (at_eof) {
        Diag(line_no, "input ends inside the stack of goroutine " + std::to_string(g.id) + " (truncated dump?)", "");
      }
    }
    g.frames_size = static_cast<uint32_t>(r_.frames.size() - g.frames_begin);
    if (g.frames_size == 0 && !g.has(kStackUnavailable) && g.created_by.function.empty()) {
      if (at_eof) {
        g.flags |= kTruncated;
      }
    }
    in_stack_ = false;
    in_ancestor_ = false;
  }

  void OnLine(std::string_view line, uint64_t line_no, bool last) {
    if (suspended_) {
      // The line after an unexpected one decides: if the stack goes on, the odd line was noise inside it.
      if (ContinuesStack(line)) {
        Diag(noise_line_, "unexpected line in the stack of goroutine " + std::to_string(Current().id), noise_text_);
        suspended_ = false;
        in_stack_ = true;
        expect_ = noise_expect_;
      } else {
        if (noise_expect_ != Expect::kFunction) {
          Diag(noise_line_, "the stack of goroutine " + std::to_string(Current().id) +
                                " ends without the file:line of its last frame",
               noise_text_);
        }
        suspended_ = false;
        in_stack_ = true;
        expect_ = Expect::kFunction;
        EndGoroutine(line_no, false);
      }
    }
    if (!line.empty() && (line[0] == '[' || line[0] == ' ') && util::StartsWith(line.substr(1), "Goroutine ")) {
      HeaderFields h;
      if (ParseGoleakHeader(line, &h)) {
        StartGoroutine(h, line_no, /*goleak=*/true);
        return;
      }
    }
    if (!in_stack_) {
      HeaderFields h;
      if (StartsWith(line, "goroutine ") && ParseHeader(line, &h)) {
        StartGoroutine(h, line_no);
      } else if (uint8_t kind = PreambleKind(line); kind != 0) {
        preamble_seen_ = kind;
      }
      return;
    }
    if (line.empty()) {
      EndGoroutine(line_no, false);
      return;
    }
    char c = line[0];
    if (c == '\t' || c == ' ') {
      OnIndented(line, line_no, last);
      return;
    }
    if (c == 'g' && StartsWith(line, "goroutine ")) {
      HeaderFields h;
      if (ParseHeader(line, &h)) {
        StartGoroutine(h, line_no);
        return;
      }
    }
    if (c == ']' && line == "]") {
      // goleak closes each goroutine of its report with a lone bracket.
      EndGoroutine(line_no, false);
      return;
    }
    bool wants_file = expect_ == Expect::kFile || expect_ == Expect::kCreatorFile;
    if (c == 'c' && StartsWith(line, "created by ")) {
      if (wants_file) Diag(line_no - 1, "frame without a file:line", "");
      std::string_view rest = line.substr(11);
      uint64_t parent = 0;
      std::string_view fn = ParseCreator(rest, &parent);
      if (!in_ancestor_) {
        Current().created_by = Frame{fn, {}, {}, 0, false};
        Current().parent_id = parent;
      } else {
        ancestor_creator_ = true;
      }
      expect_ = Expect::kCreatorFile;
      return;
    }
    if (c == '.' && StartsWith(line, "...") && line.find("elided") != std::string_view::npos) {
      Current().flags |= kElided;
      expect_ = Expect::kFunction;
      return;
    }
    if (c == '[' && StartsWith(line, "[originating from goroutine ")) {
      std::string_view rest = line.substr(28);
      auto id = util::ConsumeUint(rest);
      if (id && Current().ancestor_id == 0) Current().ancestor_id = *id;
      in_ancestor_ = true;
      expect_ = Expect::kFunction;
      return;
    }
    if (c == 'n' && StartsWith(line, "non-Go function")) {
      if (!in_ancestor_ && KeepFrame()) r_.frames.push_back(Frame{"non-Go function", {}, "?", 0, false});
      expect_ = Expect::kFunction;
      return;
    }
    FrameCall call;
    if (ParseFrameCall(line, &call)) {
      if (wants_file) Diag(line_no - 1, "frame without a file:line", "");
      dropped_frame_ = in_ancestor_ || !KeepFrame();
      if (!dropped_frame_) r_.frames.push_back(Frame{call.function, call.args, {}, 0, call.inlined});
      expect_ = Expect::kFile;
      return;
    }
    if (last) {
      // The 64 MB cap of ?debug=2 cuts the last goroutine mid-line.
      Current().flags |= kTruncated;
      Diag(line_no,
           "input ends mid-line in the stack of goroutine " + std::to_string(Current().id) + " (truncated dump?)",
           line);
      expect_ = Expect::kFunction;
      return;
    }
    // Not traceback text. Trailing output after the last frame ("exit status 2", "FAIL ...") ends the stack quietly;
    // if the stack goes on after it, it was noise inside the stack and is reported (see the top of this function).
    suspended_ = true;
    in_stack_ = false;
    noise_line_ = line_no;
    noise_text_ = line;
    noise_expect_ = expect_;
    if (uint8_t kind = PreambleKind(line); kind != 0) preamble_seen_ = kind;
  }

  static bool ContinuesStack(std::string_view line) {
    if (line.empty()) return false;
    if (line[0] == '\t' || line[0] == ' ') {
      FileLine fl;
      return ParseFileLine(util::TrimLeft(line), &fl);
    }
    if (StartsWith(line, "created by ")) return true;
    FrameCall call;
    return ParseFrameCall(line, &call);
  }

  void OnIndented(std::string_view line, uint64_t line_no, bool last) {
    std::string_view body = util::TrimLeft(line);
    if (body.empty()) {
      EndGoroutine(line_no, false);
      return;
    }
    if (StartsWith(body, "goroutine running on other thread")) {
      Current().flags |= kStackUnavailable;
      return;
    }
    FileLine fl;
    bool ok = ParseFileLine(body, &fl);
    if (!ok) {
      if (last) {
        Current().flags |= kTruncated;
        Diag(line_no, "input ends mid-line in the stack of goroutine " + std::to_string(Current().id) +
                          " (truncated dump?)",
             line);
      } else {
        Diag(line_no, "malformed file:line in the stack of goroutine " + std::to_string(Current().id), line);
      }
      expect_ = Expect::kFunction;
      return;
    }
    switch (expect_) {
      case Expect::kFile:
        if (!dropped_frame_) {
          Frame& f = r_.frames.back();
          f.file = fl.file;
          f.line = fl.line;
        }
        break;
      case Expect::kCreatorFile:
        if (!in_ancestor_ && !ancestor_creator_) {
          Current().created_by.file = fl.file;
          Current().created_by.line = fl.line;
        }
        ancestor_creator_ = false;
        break;
      case Expect::kFunction:
        Diag(line_no, "file:line without a function in the stack of goroutine " + std::to_string(Current().id),
             line);
        break;
    }
    expect_ = Expect::kFunction;
  }

  ChunkResult& r_;
  bool in_stack_ = false;
  bool in_ancestor_ = false;
  bool ancestor_creator_ = false;
  uint8_t preamble_seen_ = 0;
  bool dropped_frame_ = false;   // the last function line was not kept: neither is its file:line
  bool total_reported_ = false;
  bool current_goleak_ = false;  // the current goroutine was opened by a goleak header
  Expect expect_ = Expect::kFunction;
  bool suspended_ = false;  // an unexpected line interrupted the stack; the next line decides
  uint64_t noise_line_ = 0;
  std::string_view noise_text_;
  Expect noise_expect_ = Expect::kFunction;
};

// Stage 1: chunk boundaries at "\n\ngoroutine " near evenly spaced offsets.
std::vector<std::string_view> SplitChunks(std::string_view text, unsigned parts) {
  std::vector<std::string_view> chunks;
  if (parts <= 1 || text.size() < 2 * kMinChunkBytes) {
    chunks.push_back(text);
    return chunks;
  }
  size_t target = std::max(text.size() / parts, kMinChunkBytes);
  size_t begin = 0;
  constexpr std::string_view kBoundary = "\n\ngoroutine ";
  while (begin < text.size()) {
    size_t want = begin + target;
    if (want + kMinChunkBytes / 2 >= text.size()) {
      chunks.push_back(text.substr(begin));
      break;
    }
    size_t at = text.find(kBoundary, want);
    if (at == std::string_view::npos) {
      chunks.push_back(text.substr(begin));
      break;
    }
    size_t cut = at + 2;  // the chunk keeps its blank line; the next starts at "goroutine "
    chunks.push_back(text.substr(begin, cut - begin));
    begin = cut;
  }
  return chunks;
}

}  // namespace

void ReadTraceback(std::string_view text, Dump& out, unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // One chunk per thread: the first chunk's vectors become the Dump's own (no copy, no second page-faulting of the
  // largest allocation), so fewer, larger chunks merge cheaper than many small ones balance better.
  std::vector<std::string_view> chunks = SplitChunks(text, threads);
  std::vector<ChunkResult> results(chunks.size());
  if (chunks.size() == 1) {
    ChunkParser(results[0]).Parse(chunks[0], text.size());
  } else {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < chunks.size();) {
        ChunkParser(results[i]).Parse(chunks[i], i == 0 ? text.size() : chunks[i].size());
      }
    };
    std::vector<std::thread> pool;
    unsigned n = std::min<unsigned>(threads, static_cast<unsigned>(chunks.size()));
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }

  // Merge in input order, making line numbers and frame indices global.
  if (out.goroutines.empty() && out.frames.empty() && !results.empty()) {
    // Adopt the first chunk's storage; its indices and line numbers are already global.
    out.goroutines = std::move(results[0].goroutines);
    out.frames = std::move(results[0].frames);
    results[0].goroutines.clear();
    results[0].frames.clear();
  }
  size_t total_g = out.goroutines.size(), total_f = out.frames.size();
  for (const ChunkResult& r : results) {
    total_g += r.goroutines.size();
    total_f += r.frames.size();
  }
  out.goroutines.reserve(total_g);
  out.frames.reserve(total_f);
  uint64_t line_base = 0;
  size_t suppressed = 0;
  std::vector<uint8_t> preamble;
  preamble.reserve(total_g);
  for (ChunkResult& r : results) {
    uint32_t frame_base = static_cast<uint32_t>(out.frames.size());
    for (Goroutine& g : r.goroutines) {
      g.frames_begin += frame_base;
      g.line = static_cast<uint32_t>(g.line + line_base);
      out.goroutines.push_back(g);
    }
    out.frames.insert(out.frames.end(), r.frames.begin(), r.frames.end());
    preamble.insert(preamble.end(), r.preamble_before.begin(), r.preamble_before.end());
    for (Diagnostic& d : r.diagnostics) {
      d.line += line_base;
      out.diagnostics.push_back(std::move(d));
    }
    suppressed += r.suppressed;
    line_base += r.lines;
    std::vector<Goroutine>().swap(r.goroutines);
    std::vector<Frame>().swap(r.frames);
  }
  if (suppressed > 0) {
    out.diagnostics.push_back(Diagnostic{0, std::to_string(suppressed) + " more problems not shown", ""});
  }

  // Snapshots: a new dump starts at a preamble line after goroutines were seen, or when a goroutine id repeats.
  // A snapshot opened by goleak's report lists only the goroutines goleak did not expect: kPartialSnapshot.
  uint32_t snapshot = 0;
  bool any = false;
  bool goleak = false;
  std::unordered_set<uint64_t> seen;
  seen.reserve(out.goroutines.size());
  for (size_t i = 0; i < out.goroutines.size(); ++i) {
    Goroutine& g = out.goroutines[i];
    bool repeat = !seen.insert(g.id).second;
    if (any && (preamble[i] || repeat)) {
      ++snapshot;
      seen.clear();
      seen.insert(g.id);
    }
    if (preamble[i] != 0) goleak = preamble[i] == kPreambleGoleak;
    if (goleak) g.flags |= kPartialSnapshot;
    g.snapshot = snapshot;
    any = true;
  }
  out.snapshots = any ? snapshot + 1 : 0;
  out.format = Format::kTraceback;
}

}  // namespace leakhound::dump
