#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "leakhound/report/report.h"
#include "leakhound/report/text_style.h"
#include "leakhound/util/strings.h"

namespace leakhound::report {

namespace {

std::string WaitColumn(const cluster::Bucket& b) {
  if (b.wait_min < 0) return "-";
  if (b.wait_min == b.wait_max) return fmt::format("{}m", b.wait_min);
  return fmt::format("{}-{}m", b.wait_min, b.wait_max);
}

std::string StateColumn(const verdict::BucketReport& r) {
  std::string_view s = r.bucket.state();
  if (s.empty()) return "?";
  return std::string(s);
}

std::string CreatorColumn(const verdict::BucketReport& r) {
  const dump::Goroutine& g = *r.bucket.representative;
  if (!g.created_by.function.empty()) return Site(g.created_by);
  auto frames = r.bucket.frames();
  // Formats without creators: the goroutine's entry function is the next best thing.
  if (frames.empty() || !g.has(dump::kStateInferred)) return "-";
  return "entry " + std::string(ShortFunction(frames[verdict::EntryFrame(frames)].function));
}

std::string_view FormatDescription(dump::Format f) {
  switch (f) {
    case dump::Format::kTraceback: return "goroutine traceback (debug=2 / SIGQUIT / panic text)";
    case dump::Format::kAggregated: return "goroutine profile, debug=1 text";
    case dump::Format::kPprof: return "goroutine profile, pprof protobuf";
    case dump::Format::kAuto: break;
  }
  return "unknown format";
}

}  // namespace

bool ParseOutputFormat(std::string_view s, OutputFormat* out) {
  if (s == "text") {
    *out = OutputFormat::kText;
  } else if (s == "json") {
    *out = OutputFormat::kJson;
  } else if (s == "junit") {
    *out = OutputFormat::kJunit;
  } else if (s == "folded") {
    *out = OutputFormat::kFolded;
  } else if (s == "pprof") {
    *out = OutputFormat::kPprof;
  } else if (s == "html") {
    *out = OutputFormat::kHtml;
  } else {
    return false;
  }
  return true;
}

std::string_view ShortFunction(std::string_view function) {
  size_t slash = function.rfind('/');
  // Only cut a path that lies before the package's first dot ("a/b.F" -> "b.F"; "pkg.F[a/b]" keeps its brackets).
  size_t bracket = function.find('[');
  if (slash != std::string_view::npos && (bracket == std::string_view::npos || slash < bracket)) {
    return function.substr(slash + 1);
  }
  return function;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string WithCommas(uint64_t n) { return util::WithCommas(n); }

std::string WriteAnalyzeText(const verdict::Analysis& a, const TextOptions& options) {
  Style st{options.color};
  std::string out;

  // Summary.
  std::string verdicts;
  auto add = [&](size_t n, std::string_view one, std::string_view many, std::string_view color) {
    if (n == 0) return;
    if (!verdicts.empty()) verdicts += ", ";
    verdicts += fmt::format("{}{} {}{}", color, n, n == 1 ? one : many, st.Reset());
  };
  add(a.definite, "definite leak", "definite leaks", st.Red());
  add(a.suspect, "suspect", "suspects", st.Yellow());
  if (verdicts.empty()) verdicts = fmt::format("{}no leaks found{}", st.Green(), st.Reset());
  out += fmt::format("{}{} goroutines{} in {} {} ({})\n", st.Bold(), WithCommas(a.total_goroutines), st.Reset(),
                     WithCommas(a.kept_buckets), a.kept_buckets == 1 ? "bucket" : "buckets", verdicts);
  for (const verdict::SourceSummary& s : a.sources) {
    std::string extra;
    if (s.snapshots > 1) extra += fmt::format(", {} dumps", s.snapshots);
    if (s.leak_profile) extra += s.goroutines == 0 ? ", goroutineleak profile: no proven leaks" : ", goroutineleak profile";
    if (!s.leak_proof.empty()) extra += ", proof from its goroutineleak profile";
    if (!s.diagnostics.empty()) {
      extra += fmt::format(", {} {} (see stderr)", s.diagnostics.size(), s.diagnostics.size() == 1 ? "problem" : "problems");
    }
    out += fmt::format("{}  {}: {}, {} goroutines{}{}\n", st.Dim(), s.name, FormatDescription(s.format),
                       WithCommas(s.goroutines), extra, st.Reset());
  }
  if (a.buckets.empty()) return out;

  // Leaks described below the table: definite first, then suspects, each in table order (count descending).
  std::vector<const verdict::BucketReport*> leaks;
  for (verdict::Verdict v : {verdict::Verdict::kDefinite, verdict::Verdict::kSuspect}) {
    for (const verdict::BucketReport& r : a.buckets) {
      if (r.assessment.verdict == v && leaks.size() < options.max_details) leaks.push_back(&r);
    }
  }
  auto detail_number = [&](const verdict::BucketReport& r) -> std::string {
    for (size_t i = 0; i < leaks.size(); ++i) {
      if (leaks[i] == &r) return fmt::format("#{}", i + 1);
    }
    return "";
  };

  // Table columns sized to their content.
  struct Row {
    std::string number, count, state, wait, verdict;
    const dump::Frame* blocked;
    std::string created;
    const verdict::BucketReport* report;
  };
  std::vector<Row> rows;
  rows.reserve(a.buckets.size());
  for (const verdict::BucketReport& r : a.buckets) {
    auto frames = r.bucket.frames();
    rows.push_back(Row{detail_number(r), WithCommas(r.bucket.count), StateColumn(r), WaitColumn(r.bucket),
                       std::string(verdict::VerdictName(r.assessment.verdict)),
                       frames.empty() ? nullptr : &frames[r.assessment.blocking_frame], CreatorColumn(r), &r});
  }
  size_t wn = 0, wc = 5, ws = 5, ww = 4, wv = 7, wb = 10, wcr = 10;
  for (const Row& r : rows) {
    wn = std::max(wn, Width(r.number));
    wc = std::max(wc, Width(r.count));
    ws = std::max(ws, Width(r.state));
    ww = std::max(ww, Width(r.wait));
    wv = std::max(wv, Width(r.verdict));
    wb = std::max(wb, r.blocked ? Width(Site(*r.blocked)) : 1);
    wcr = std::max(wcr, Width(r.created));
  }
  ws = std::min<size_t>(ws, 24);
  if (options.width > 0) {
    // Share what is left between the two site columns.
    size_t fixed = 1 + (wn ? wn + 1 : 0) + wc + 2 + ws + 2 + ww + 2 + wv + 2 + 2;
    size_t room = options.width > fixed + 40 ? options.width - fixed : 40;
    if (wb + wcr > room) {
      size_t half = room / 2;
      if (wb < half) {
        wcr = room - wb;
      } else if (wcr < half) {
        wb = room - wcr;
      } else {
        wb = half;
        wcr = room - half;
      }
    }
  }
  std::string number_header = wn ? std::string(wn + 1, ' ') : "";
  out += "\n";
  out += fmt::format("{}{} {:>{}}  {}  {}  {}  {}  {}{}\n", st.Bold(), number_header, "COUNT", wc, Fit("STATE", ws),
                     Fit("WAIT", ww), Fit("VERDICT", wv), Fit("BLOCKED AT", wb), "CREATED BY", st.Reset());
  for (const Row& r : rows) {
    std::string created = r.created;
    if (options.width > 0 && Width(created) > wcr) {
      const dump::Goroutine& g = *r.report->bucket.representative;
      created = g.created_by.function.empty() ? Fit(created, wcr) : Site(g.created_by, wcr);
    }
    std::string blocked = r.blocked ? Site(*r.blocked, options.width > 0 ? wb : 0) : "-";
    std::string number = wn ? fmt::format("{:>{}} ", r.number, wn) : "";
    out += fmt::format("{}{}{} {:>{}}  {}  {}  {}{}{}  {}  {}\n", st.Bold(), number, st.Reset(), r.count, wc,
                       Fit(r.state, ws), Fit(r.wait, ww), st.For(r.report->assessment.verdict), Fit(r.verdict, wv),
                       st.Reset(), Fit(blocked, wb), created);
  }
  size_t hidden = a.kept_buckets - a.buckets.size();
  if (hidden > 0) {
    out += fmt::format("{} … {} more {} not shown (--top){}\n", st.Dim(), hidden, hidden == 1 ? "bucket" : "buckets",
                       st.Reset());
  }

  int rank = 0;
  for (const verdict::BucketReport* r : leaks) {
    const cluster::Bucket& b = r->bucket;
    const dump::Goroutine& g = *b.representative;
    auto frames = b.frames();
    ++rank;
    std::string where = frames.empty() ? std::string("-") : std::string(frames[r->assessment.blocking_frame].function);
    out += fmt::format("\n{}#{}{} {}{}{}  {}{}{}  ({} goroutines, {})\n", st.Bold(), rank, st.Reset(),
                       st.For(r->assessment.verdict), verdict::VerdictName(r->assessment.verdict), st.Reset(),
                       st.Bold(), where, st.Reset(), WithCommas(b.count), b.state().empty() ? "state unknown" : b.state());
    out += fmt::format("   why         {}\n", r->assessment.reason);
    if (!frames.empty()) {
      const dump::Frame& f = frames[r->assessment.blocking_frame];
      out += fmt::format("   blocked at  {} {}{}:{}{}\n", f.function, st.Dim(), f.file, f.line, st.Reset());
    }
    if (!g.created_by.function.empty()) {
      std::string parent = g.parent_id ? fmt::format(" (in goroutine {})", g.parent_id) : "";
      out += fmt::format("   created by  {} {}{}:{}{}{}\n", g.created_by.function, st.Dim(), g.created_by.file,
                         g.created_by.line, parent, st.Reset());
    }
    if (!b.ids.empty()) {
      std::vector<uint64_t> sorted = b.ids;
      std::sort(sorted.begin(), sorted.end());
      std::string ids;
      for (size_t i = 0; i < sorted.size() && i < 8; ++i) ids += (i ? ", " : "") + std::to_string(sorted[i]);
      if (b.count > 8) ids += ", …";
      out += fmt::format("   goroutines  {}\n", ids);
    }
    out += "   stack";
    bool first = true;
    for (size_t i = 0; i < frames.size(); ++i) {
      const dump::Frame& f = frames[i];
      bool muted = i < r->assessment.blocking_frame;
      out += fmt::format("{}{}{}  {}:{}{}\n", first ? "       " : "               ", muted ? st.Dim() : "",
                         ShortFunction(f.function), BaseName(f.file), f.line, muted ? st.Reset() : "");
      first = false;
    }
    if (g.has(dump::kElided)) out += "               …frames elided by the runtime…\n";
  }
  return out;
}

}  // namespace leakhound::report
