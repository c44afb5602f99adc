#include "leakhound/dump/reader.h"

#include <cstring>

#include "leakhound/dump/normalize.h"
#include "leakhound/util/gzip.h"
#include "leakhound/util/strings.h"

namespace leakhound::dump {
namespace {

// Lines only a text dump starts with: a goroutine header, a runtime preamble, an aggregated header, goleak's report.
bool HasTextMarker(std::string_view head) {
  for (std::string_view key : {"goroutine ", "SIGQUIT:", "panic: ", "fatal error: ", "goroutineleak profile: total",
                               "found unexpected goroutines", "=== RUN"}) {
    for (size_t at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
      if (at == 0 || head[at - 1] == '\n' || key == "found unexpected goroutines") return true;
    }
  }
  return false;
}

// Control bytes in the first 512 bytes mean a binary (protobuf) input, unless the text says it is a dump: a stray
// BEL, NUL or form feed in a text dump (from a terminal log, a name in a profile) must not send it to the protobuf
// reader, where all of it would be lost.
bool LooksBinary(std::string_view bytes) {
  size_t n = std::min<size_t>(bytes.size(), 512);
  bool control = false;
  for (size_t i = 0; i < n && !control; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    control = c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b);
  }
  return control && !HasTextMarker(bytes.substr(0, std::min<size_t>(bytes.size(), 4096)));
}

// A line starting with "goroutine profile: total" or "goroutineleak profile: total" within the first megabyte.
bool HasAggregatedHeader(std::string_view text) {
  std::string_view head = text.substr(0, std::min<size_t>(text.size(), 1u << 20));
  for (std::string_view key : {std::string_view("goroutine profile: total "),
                               std::string_view("goroutineleak profile: total ")}) {
    size_t at = head.find(key);
    while (at != std::string_view::npos) {
      if (at == 0 || head[at - 1] == '\n') return true;
      at = head.find(key, at + 1);
    }
  }
  return false;
}

}  // namespace

Format DetectFormat(std::string_view bytes) {
  if (util::IsGzip(bytes)) return Format::kPprof;
  if (LooksBinary(bytes)) return Format::kPprof;
  if (HasAggregatedHeader(bytes)) return Format::kAggregated;
  return Format::kTraceback;
}

Dump ParseDump(std::string name, std::string_view bytes, std::shared_ptr<const void> owner,
               const ReadOptions& options) {
  Dump out;
  out.name = std::move(name);
  if (owner) out.Retain(std::move(owner));

  // A gzipped text dump is as welcome as a gzipped profile.
  if (util::IsGzip(bytes)) {
    auto plain = util::Gunzip(bytes, options.max_decompressed);
    if (!plain.ok()) {
      out.diagnostics.push_back(Diagnostic{0, plain.status().message() + " (the budget on what a gzipped input may "
                                                                          "inflate to)", ""});
      return out;
    }
    auto storage = std::make_shared<std::string>(std::move(plain).value());
    bytes = *storage;
    out.Retain(std::move(storage));
  }

  Format format = options.format == Format::kAuto ? DetectFormat(bytes) : options.format;
  out.format = format;
  if (format == Format::kPprof) {
    ReadPprof(bytes, out);
    return out;
  }
  std::string clean;
  if (NormalizeText(bytes, &clean)) {
    auto storage = std::make_shared<std::string>(std::move(clean));
    bytes = *storage;
    out.Retain(std::move(storage));
  }
  if (format == Format::kAggregated) {
    ReadAggregated(bytes, out);
  } else {
    ReadTraceback(bytes, out, options.threads);
  }
  out.format = format;
  // An empty goroutineleak profile is the runtime's word that it proved no leak: not a bad input.
  if (out.goroutines.empty() && out.diagnostics.empty() && !out.leak_profile) {
    out.diagnostics.push_back(Diagnostic{0, "no goroutines found: not a goroutine dump or profile?", ""});
  }
  return out;
}

}  // namespace leakhound::dump
