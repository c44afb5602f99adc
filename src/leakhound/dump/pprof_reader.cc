// Reader for `?debug=0` goroutine profiles: gzipped (or plain) perftools.profiles.Profile protobuf, see reader.h.
//
// The decoded Profile is kept alive by the Dump (Dump::Retain) and frames point into its string table; only the
// rendered labels and names for unsymbolised locations are interned. Each location's frames are built once and
// copied into every sample that uses it.
//
// Robustness: the protobuf parser rejects a whole message when a proto3 string holds invalid UTF-8 (Go strings need
// not be UTF-8), so string-table bytes are checked first and invalid ones replaced by '?'. When the message is
// corrupt part-way (truncated download, garbage appended), the complete top-level fields before the damage are read.
// Dangling ids and string indices become diagnostics and the rest of the profile is kept.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leakhound/dump/infer_state.h"
#include "leakhound/dump/model.h"
#include "leakhound/dump/profile.pb.h"
#include "leakhound/dump/reader.h"
#include "leakhound/util/gzip.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

namespace pb = perftools::profiles;

constexpr size_t kMaxDecompressed = size_t{1} << 30;
constexpr size_t kMaxDiagnostics = 1000;
// runtime.chansend and runtime.chanrecv start with the nil-channel check; their ordinary blocking gopark is 100+ lines
// further down in every Go release since 1.11. A call site this close to the function's start is the nil case.
constexpr int64_t kNilChanSpan = 40;
// Profile field numbers (profile.proto).
constexpr uint32_t kStringTableField = 6;

// ---- Wire-level pre-pass ----------------------------------------------------------------------------------------

bool ReadVarint(std::string_view data, size_t& pos, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && pos < data.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(data[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, surrogates or code points past
// U+10FFFF), or 0 when the byte there does not start one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
    if (i + k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

struct WireScan {
  size_t complete_end = 0;               // end of the last complete top-level field
  bool clean = false;                    // every byte belongs to a well-formed top-level field
  std::vector<size_t> invalid_utf8;      // offsets of bytes in string-table entries that are not UTF-8
  size_t invalid_strings = 0;            // string-table entries with such bytes
};

// Walks the top-level fields of a serialised Profile without decoding the nested messages.
WireScan ScanTopLevel(std::string_view data) {
  WireScan scan;
  size_t pos = 0;
  while (pos < data.size()) {
    uint64_t tag = 0;
    if (!ReadVarint(data, pos, tag)) return scan;
    const uint64_t field = tag >> 3;
    if (field == 0) return scan;
    switch (tag & 7) {
      case 0: {
        uint64_t ignored = 0;
        if (!ReadVarint(data, pos, ignored)) return scan;
        break;
      }
      case 1:
        if (data.size() - pos < 8) return scan;
        pos += 8;
        break;
      case 5:
        if (data.size() - pos < 4) return scan;
        pos += 4;
        break;
      case 2: {
        uint64_t len = 0;
        if (!ReadVarint(data, pos, len) || len > data.size() - pos) return scan;
        if (field == kStringTableField) {
          std::string_view s = data.substr(pos, static_cast<size_t>(len));
          bool bad = false;
          for (size_t i = 0; i < s.size();) {
            size_t n = Utf8SequenceLength(s, i);
            if (n == 0) {
              scan.invalid_utf8.push_back(pos + i);
              bad = true;
              n = 1;
            }
            i += n;
          }
          if (bad) ++scan.invalid_strings;
        }
        pos += static_cast<size_t>(len);
        break;
      }
      default:  // groups (3, 4) and reserved wire types never occur in a Profile
        return scan;
    }
    scan.complete_end = pos;
  }
  scan.clean = true;
  return scan;
}

// ---- Labels -----------------------------------------------------------------------------------------------------

// Appends `s` quoted the way Go's %q does for the label strings runtime/pprof prints (printable text as is; quotes,
// backslashes and control characters escaped; bytes that are not UTF-8 as \xNN).
void AppendGoQuoted(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8SequenceLength(s, i);
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (n == 1 && c >= 0x20 && c != 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.push_back('"');
}

// ---- Reader -----------------------------------------------------------------------------------------------------

class PprofReader {
 public:
  explicit PprofReader(Dump& out) : out_(out), diagnostics_before_(out.diagnostics.size()) {}

  void Read(std::string_view bytes) {
    out_.format = Format::kPprof;
    Decode(bytes);
    if (suppressed_ > 0) {
      out_.diagnostics.push_back(Diagnostic{0, std::to_string(suppressed_) + " more problems not reported", ""});
    }
  }

 private:
  struct Span {
    uint32_t begin = 0;
    uint32_t size = 0;
  };

  void Decode(std::string_view bytes) {
    std::shared_ptr<std::string> owned;
    if (util::IsGzip(bytes)) {
      auto plain = util::Gunzip(bytes, kMaxDecompressed);
      if (!plain.ok()) {
        Report("cannot decompress the profile: " + plain.status().message());
        return;
      }
      owned = std::make_shared<std::string>(std::move(plain).value());
      bytes = *owned;
    }
    if (bytes.empty()) {
      Report("empty profile");
      return;
    }
    if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
      Report("profile is larger than 2 GiB; protobuf cannot decode it");
      return;
    }

    WireScan scan = ScanTopLevel(bytes);
    if (!scan.invalid_utf8.empty()) {
      if (!owned) owned = std::make_shared<std::string>(bytes);
      for (size_t at : scan.invalid_utf8) (*owned)[at] = '?';
      bytes = *owned;
      Report(std::to_string(scan.invalid_strings) +
             " string table entries are not valid UTF-8; their bad bytes read as '?'");
    }

    auto profile = std::make_shared<pb::Profile>();
    bool salvaged = false;
    if (!profile->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      profile->Clear();
      if (scan.clean || scan.complete_end == 0 ||
          !profile->ParseFromArray(bytes.data(), static_cast<int>(scan.complete_end))) {
        Report("not a pprof profile: the protobuf message does not decode (" + std::to_string(bytes.size()) +
               " bytes)");
        return;
      }
      salvaged = true;
    }
    // Short binary noise can decode as a message of unknown fields; a profile has sample types or samples.
    if (profile->sample_type_size() == 0 && profile->sample_size() == 0) {
      Report("not a pprof profile: no sample types and no samples in " + std::to_string(bytes.size()) + " bytes");
      return;
    }
    if (salvaged) {
      Report("profile is damaged after byte " + std::to_string(scan.complete_end) + " of " +
             std::to_string(bytes.size()) + "; reading what precedes it");
    }
    owned.reset();  // views point into `profile`, not into the serialised bytes
    profile_ = profile.get();
    out_.Retain(std::shared_ptr<const void>(std::move(profile)));
    if (!ChooseValue()) return;
    IndexFunctions();
    BuildLocations();
    ReadSamples();
  }

  // Picks the sample value holding goroutine counts; false when the profile is some other kind.
  bool ChooseValue() {
    const pb::Profile& p = *profile_;
    std::string kinds;
    for (int i = 0; i < p.sample_type_size(); ++i) {
      std::string_view type = StrQuiet(p.sample_type(i).type());
      if (type == "goroutine" || type == "goroutineleak") {
        value_index_ = i;
        leak_ = type == "goroutineleak";
        return true;
      }
      if (!kinds.empty()) kinds += ", ";
      kinds += std::string(type) + "/" + std::string(StrQuiet(p.sample_type(i).unit()));
    }
    if (p.has_period_type()) {
      std::string_view type = StrQuiet(p.period_type().type());
      if (type == "goroutine" || type == "goroutineleak") {
        leak_ = type == "goroutineleak";
        return true;
      }
    }
    if (p.sample_type_size() == 0) {
      Report("profile names no sample type; reading the first sample value as goroutine counts");
      return true;
    }
    Report("not a goroutine profile: its samples count " + kinds);
    return false;
  }

  void IndexFunctions() {
    functions_.reserve(static_cast<size_t>(profile_->function_size()));
    for (const pb::Function& f : profile_->function()) functions_.emplace(f.id(), &f);
  }

  // Frames for every location, leaf (innermost inlined callee) first, in frames_/start_lines_.
  void BuildLocations() {
    locations_.reserve(static_cast<size_t>(profile_->location_size()));
    for (const pb::Location& loc : profile_->location()) {
      Span span{static_cast<uint32_t>(frames_.size()), 0};
      if (loc.line_size() == 0) {
        // Unsymbolised: name the frame by its address so that stacks still compare.
        char buf[24];
        std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(loc.address()));
        Frame frame;
        frame.function = out_.Intern(buf);
        frame.file = "?";
        frames_.push_back(frame);
        start_lines_.push_back(0);
      }
      for (int i = 0; i < loc.line_size(); ++i) {
        const pb::Line& line = loc.line(i);
        Frame frame;
        frame.inlined = i + 1 < loc.line_size();
        frame.line = line.line() > 0 && line.line() <= UINT32_MAX ? static_cast<uint32_t>(line.line()) : 0;
        int64_t start_line = 0;
        auto fn = functions_.find(line.function_id());
        if (fn == functions_.end()) {
          Report("location " + std::to_string(loc.id()) + " refers to unknown function id " +
                 std::to_string(line.function_id()));
          frame.function = "?";
          frame.file = "?";
        } else {
          const pb::Function& f = *fn->second;
          frame.function = Str(f.name(), "name of function", f.id());
          frame.file = Str(f.filename(), "file name of function", f.id());
          start_line = f.start_line();
        }
        frames_.push_back(frame);
        start_lines_.push_back(start_line);
      }
      span.size = static_cast<uint32_t>(frames_.size()) - span.begin;
      if (!locations_.emplace(loc.id(), span).second) {
        Report("location id " + std::to_string(loc.id()) + " is defined twice; using the first");
      }
    }
  }

  void ReadSamples() {
    const uint32_t snapshot = out_.snapshots;
    out_.snapshots = snapshot + 1;
    if (leak_) out_.leak_profile = true;
    std::vector<int64_t> sample_start_lines;
    for (int s = 0; s < profile_->sample_size(); ++s) {
      const pb::Sample& sample = profile_->sample(s);
      Goroutine g;
      g.snapshot = snapshot;
      if (leak_) g.flags |= kLeaked;
      if (value_index_ < sample.value_size()) {
        const int64_t v = sample.value(value_index_);
        if (v < 0) {
          Report("sample " + std::to_string(s) + " has a negative goroutine count " + std::to_string(v));
          continue;
        }
        g.count = static_cast<uint64_t>(v);
      } else {
        Report("sample " + std::to_string(s) + " has no value; counting it as one goroutine");
      }

      g.frames_begin = static_cast<uint32_t>(out_.frames.size());
      sample_start_lines.clear();
      for (uint64_t id : sample.location_id()) {
        auto it = locations_.find(id);
        if (it == locations_.end()) {
          Report("sample " + std::to_string(s) + " refers to unknown location id " + std::to_string(id));
          g.flags |= kTruncated;
          continue;
        }
        Span span = it->second;
        // Budgets: a location with many lines referenced many times must not expand without bound.
        if (out_.frames.size() + span.size > kMaxTotalFrames) {
          Report("more than " + std::to_string(kMaxTotalFrames) + " frames in all: the rest of the profile is dropped");
          return;
        }
        const size_t have = out_.frames.size() - g.frames_begin;
        if (have + span.size > kMaxFramesPerStack) {
          if ((g.flags & kElided) == 0) {
            Report("sample " + std::to_string(s) + " has more than " + std::to_string(kMaxFramesPerStack) +
                   " frames: the rest are dropped");
          }
          g.flags |= kElided;
          span.size = static_cast<uint32_t>(kMaxFramesPerStack - have);
          if (span.size == 0) break;
        }
        out_.frames.insert(out_.frames.end(), frames_.begin() + span.begin, frames_.begin() + span.begin + span.size);
        sample_start_lines.insert(sample_start_lines.end(), start_lines_.begin() + span.begin,
                                  start_lines_.begin() + span.begin + span.size);
      }
      g.frames_size = static_cast<uint32_t>(out_.frames.size()) - g.frames_begin;
      g.labels = Labels(sample, s);
      g.state = StateOf(out_.FramesOf(g), sample_start_lines);
      if (!g.state.empty()) g.flags |= kStateInferred;
      out_.goroutines.push_back(g);
    }
  }

  // InferState, plus the nil-channel cases that only the call site inside the runtime function tells apart.
  static std::string_view StateOf(std::span<const Frame> frames, const std::vector<int64_t>& start_lines) {
    std::string_view state = InferState(frames);
    const bool send = state == "chan send";
    if (!send && state != "chan receive") return state;
    const std::string_view target = send ? "runtime.chansend" : "runtime.chanrecv";
    for (size_t i = 0; i < frames.size() && i < 4; ++i) {
      if (frames[i].function != target) continue;
      const int64_t start = start_lines[i];
      const int64_t line = frames[i].line;
      if (start > 0 && line >= start && line - start <= kNilChanSpan) {
        return send ? "chan send (nil chan)" : "chan receive (nil chan)";
      }
      break;
    }
    return state;
  }

  // {"k":"v", ...} exactly as runtime/pprof prints labels in `?debug=1` (sorted, %q-quoted, ", "-separated), so that
  // the same goroutines carry the same labels whichever format they came from.
  std::string_view Labels(const pb::Sample& sample, int index) {
    if (sample.label_size() == 0) return {};
    std::vector<std::string> pairs;
    pairs.reserve(static_cast<size_t>(sample.label_size()));
    for (const pb::Label& label : sample.label()) {
      std::string pair;
      AppendGoQuoted(Str(label.key(), "key of a label in sample", static_cast<uint64_t>(index)), pair);
      pair.push_back(':');
      if (label.str() != 0 || label.num() == 0) {  // index 0 is "": an empty string label
        AppendGoQuoted(Str(label.str(), "value of a label in sample", static_cast<uint64_t>(index)), pair);
      } else {
        pair += std::to_string(label.num());
      }
      pairs.push_back(std::move(pair));
    }
    std::sort(pairs.begin(), pairs.end());
    std::string rendered = "{";
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i > 0) rendered += ", ";
      rendered += pairs[i];
    }
    rendered += "}";
    auto it = labels_.find(rendered);
    if (it != labels_.end()) return it->second;
    std::string_view view = out_.Intern(rendered);
    labels_.emplace(std::move(rendered), view);
    return view;
  }

  std::string_view StrQuiet(int64_t index) const {
    if (index < 0 || index >= profile_->string_table_size()) return {};
    return profile_->string_table(static_cast<int>(index));
  }

  std::string_view Str(int64_t index, const char* what, uint64_t owner) {
    if (index < 0 || index >= profile_->string_table_size()) {
      Report(std::string(what) + " " + std::to_string(owner) + ": string index " + std::to_string(index) +
             " is outside the string table (" + std::to_string(profile_->string_table_size()) + " entries)");
      return {};
    }
    return profile_->string_table(static_cast<int>(index));
  }

  void Report(std::string message) {
    if (out_.diagnostics.size() - diagnostics_before_ >= kMaxDiagnostics) {
      ++suppressed_;
      return;
    }
    out_.diagnostics.push_back(Diagnostic{0, std::move(message), ""});
  }

  Dump& out_;
  const size_t diagnostics_before_;
  uint64_t suppressed_ = 0;

  const pb::Profile* profile_ = nullptr;
  int value_index_ = 0;
  bool leak_ = false;
  std::unordered_map<uint64_t, const pb::Function*> functions_;
  std::unordered_map<uint64_t, Span> locations_;
  std::vector<Frame> frames_;         // frames of all locations, see locations_
  std::vector<int64_t> start_lines_;  // start line of each frame's function, parallel to frames_
  std::unordered_map<std::string, std::string_view> labels_;
};

}  // namespace

void ReadPprof(std::string_view bytes, Dump& out) { PprofReader(out).Read(bytes); }

}  // namespace leakhound::dump
