#include "leakhound/dump/traceback_line.h"

#include "leakhound/dump/model.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {

using util::Consume;
using util::EndsWith;
using util::StartsWith;

namespace {

// Strips a trailing decoration such as " (scan)" and reports whether it was there.
bool StripSuffix(std::string_view& s, std::string_view suffix) {
  if (!EndsWith(s, suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

}  // namespace

namespace {

// The bracketed part of a header: "chan receive (leaked), 42 minutes, locked to thread labels:{…}".
bool ParseStatus(std::string_view s, HeaderFields* out);

}  // namespace

bool ParseGoleakHeader(std::string_view line, HeaderFields* out) {
  std::string_view s = line;
  if (!Consume(s, "[") && !Consume(s, " ")) return false;
  if (!Consume(s, "Goroutine ")) return false;
  auto id = util::ConsumeUint(s);
  if (!id || !Consume(s, " in state ")) return false;
  size_t with = s.rfind(", with ");
  if (with == std::string_view::npos || !EndsWith(s, " on top of the stack:")) return false;
  out->id = *id;
  return ParseStatus(s.substr(0, with), out);
}

bool ParseHeader(std::string_view line, HeaderFields* out) {
  std::string_view s = line;
  if (!Consume(s, "goroutine ")) return false;
  auto id = util::ConsumeUint(s);
  if (!id) return false;
  out->id = *id;
  // Optional " gp=0x… m=… mp=0x…" (GOTRACEBACK=system, crashes) before the bracket.
  size_t open = s.find(" [");
  if (open == std::string_view::npos) return false;
  std::string_view between = s.substr(0, open);
  if (!between.empty() && !StartsWith(between, " gp=") && !StartsWith(between, " m=")) return false;
  s.remove_prefix(open + 2);
  if (!StripSuffix(s, "]:")) return false;
  return ParseStatus(s, out);
}

namespace {

bool ParseStatus(std::string_view s, HeaderFields* out) {
  // Go 1.26 GODEBUG=tracebacklabels=1 appends " labels:{…}" inside the brackets; values may hold ", " and "]".
  size_t labels = s.find(" labels:{");
  if (labels != std::string_view::npos) {
    out->labels = s.substr(labels + 8);
    s = s.substr(0, labels);
  }

  // Comma-separated: status first, then "N minutes", "locked to thread", "synctest bubble N" in any order.
  size_t comma = s.find(", ");
  std::string_view status = s.substr(0, comma);
  std::string_view rest = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 2);
  // Decorations the runtime appends to the status, in print order: (leaked), (scan), (durable).
  bool changed = true;
  while (changed) {
    changed = false;
    if (StripSuffix(status, " (durable)")) {
      out->flags |= kDurable;
      changed = true;
    }
    if (StripSuffix(status, " (scan)")) changed = true;
    if (StripSuffix(status, " (leaked)")) {
      out->flags |= kLeaked;
      changed = true;
    }
  }
  if (status.empty()) return false;
  // Synctest spells some durable waits into the reason itself: "chan receive (durable)".
  if (EndsWith(status, " (durable)")) out->flags |= kDurable;
  out->state = status;

  while (!rest.empty()) {
    comma = rest.find(", ");
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    if (part == "locked to thread") {
      out->flags |= kLocked;
      continue;
    }
    std::string_view p = part;
    auto n = util::ConsumeUint(p);
    if (n && (p == " minutes" || p == " minute")) {
      out->wait_minutes = *n > 0x7fffffff ? 0x7fffffff : static_cast<int32_t>(*n);
      continue;
    }
    // "synctest bubble N" and anything newer runtimes add: ignored, the header is still valid.
  }
  return true;
}

}  // namespace

bool ParseFrameCall(std::string_view line, FrameCall* out) {
  if (line.size() < 3 || line.back() != ')') return false;
  size_t open = line.rfind('(');
  if (open == std::string_view::npos || open == 0) return false;
  // A function name has no spaces ("created by …", log text and prose do). A plain loop: this runs on every frame
  // line, and memchr's call overhead dominates on strings this short.
  const char* p = line.data();
  for (size_t i = 0; i < open; ++i) {
    if (p[i] == ' ') return false;
  }
  out->function = line.substr(0, open);
  out->args = line.substr(open + 1, line.size() - open - 2);
  out->inlined = out->args == "...";
  return true;
}

bool ParseFileLine(std::string_view body, FileLine* out) {
  // "file:line" is followed by nothing, or by " +0x…", " fp=… sp=… pc=…": none of which holds a ':'. So the last ':'
  // ends the file (which may itself contain ':', as Windows drives do).
  size_t colon = body.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  size_t i = colon + 1;
  uint64_t n = 0;
  size_t digits = 0;
  while (i < body.size() && util::IsDigit(body[i])) {
    n = n * 10 + static_cast<uint64_t>(body[i] - '0');
    if (++digits > 10) return false;
    ++i;
  }
  if (digits == 0 || n > 0xffffffffu) return false;
  if (i < body.size() && body[i] != ' ' && body[i] != '\t' && body[i] != '\r') return false;
  out->file = body.substr(0, colon);
  out->line = static_cast<uint32_t>(n);
  return true;
}

std::string_view ParseCreator(std::string_view rest, uint64_t* parent) {
  *parent = 0;
  size_t in = rest.find(" in goroutine ");
  if (in == std::string_view::npos) return util::TrimRight(rest);
  std::string_view id = rest.substr(in + 14);
  auto n = util::ParseUint(util::TrimRight(id));
  if (n) *parent = *n;
  return rest.substr(0, in);
}

}  // namespace leakhound::dump
