#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leakhound/report/report.h"
#include "leakhound/report/text_style.h"
#include "leakhound/util/strings.h"

namespace leakhound::report {

namespace {

using json = nlohmann::ordered_json;

std::string Signed(int64_t v) {
  std::string digits = util::WithCommas(static_cast<uint64_t>(v < 0 ? -v : v));
  return (v > 0 ? "+" : v < 0 ? "-" : "±") + digits;
}

std::string SlopeText(const verdict::DiffBucket& b) {
  if (!b.slope) return "-";
  return fmt::format("{:+.1f}", *b.slope);
}

std::string StuckText(const verdict::DiffBucket& b) {
  if (b.first_ids == 0) return "-";
  return fmt::format("{:.0f}%", 100.0 * static_cast<double>(b.stuck) / static_cast<double>(b.first_ids));
}

json SiteJson(const dump::Frame& f) {
  return json{{"function", std::string(f.function)}, {"file", std::string(f.file)}, {"line", f.line}};
}

}  // namespace

std::string WriteDiffText(const verdict::Diff& d, const TextOptions& options) {
  Style st{options.color};
  std::string out;
  const auto& first = d.snapshots.front();
  const auto& last = d.snapshots.back();
  std::string span;
  if (d.timed && last.minute) span = " in " + util::FormatSpan(*last.minute);
  std::string verdicts;
  if (d.definite > 0) verdicts += fmt::format("{}{} definite{}", st.Red(), d.definite, st.Reset());
  if (d.suspect > 0) {
    verdicts += fmt::format("{}{}{} {}{}", verdicts.empty() ? "" : ", ", st.Yellow(), d.suspect,
                            d.suspect == 1 ? "suspect" : "suspects", st.Reset());
  }
  if (verdicts.empty()) verdicts = fmt::format("{}no leaks found{}", st.Green(), st.Reset());
  out += fmt::format("{}{} snapshots: {} → {} goroutines ({}{}){}; {} grown, {} new, {} shrunk, {} vanished ({})\n",
                     st.Bold(), d.snapshots.size(), util::WithCommas(first.goroutines),
                     util::WithCommas(last.goroutines), Signed(d.total_growth), span, st.Reset(), d.grown, d.added,
                     d.shrunk, d.vanished, verdicts);
  for (const verdict::SnapshotInfo& s : d.snapshots) {
    std::string when = s.minute ? " at +" + util::FormatSpan(*s.minute) : "";
    out += fmt::format("{}  {}: {} goroutines{}{}\n", st.Dim(), s.name, util::WithCommas(s.goroutines), when,
                       st.Reset());
  }
  if (d.buckets.empty()) return out;

  // COUNTS shows first → last; SLOPE is per minute when timed, per snapshot otherwise.
  struct Row {
    std::string growth, counts, slope, stuck, verdict, state, blocked;
    const verdict::DiffBucket* b;
  };
  std::vector<Row> rows;
  for (const verdict::DiffBucket& b : d.buckets) {
    auto frames = b.bucket.frames();
    std::string counts = util::WithCommas(b.counts.front()) + " → " + util::WithCommas(b.counts.back());
    rows.push_back(Row{Signed(b.growth), counts, SlopeText(b), StuckText(b),
                       std::string(verdict::VerdictName(b.assessment.verdict)),
                       b.bucket.state().empty() ? "?" : std::string(b.bucket.state()),
                       frames.empty() ? "-" : Site(frames[b.assessment.blocking_frame]), &b});
  }
  size_t wg = 6, wc = 6, wsl = 5, wst = 5, wv = 7, ws = 5;
  for (const Row& r : rows) {
    wg = std::max(wg, Width(r.growth));
    wc = std::max(wc, Width(r.counts));
    wsl = std::max(wsl, Width(r.slope));
    wst = std::max(wst, Width(r.stuck));
    wv = std::max(wv, Width(r.verdict));
    ws = std::max(ws, Width(r.state));
  }
  ws = std::min<size_t>(ws, 24);
  std::string slope_header = d.timed ? "/MIN" : "/SNAP";
  out += "\n";
  out += fmt::format("{} {:>{}}  {:>{}}  {:>{}}  {:>{}}  {}  {}  {}{}\n", st.Bold(), "GROWTH", wg, "COUNTS", wc,
                     slope_header, wsl, "STUCK", wst, Fit("VERDICT", wv), Fit("STATE", ws), "BLOCKED AT", st.Reset());
  for (const Row& r : rows) {
    out += fmt::format(" {:>{}}  {:>{}}  {:>{}}  {:>{}}  {}{}{}  {}  {}\n", r.growth, wg, r.counts, wc, r.slope, wsl,
                       r.stuck, wst, st.For(r.b->assessment.verdict), Fit(r.verdict, wv), st.Reset(),
                       Fit(r.state, ws), r.blocked);
  }
  size_t hidden = d.kept_buckets - d.buckets.size();
  if (hidden > 0) out += fmt::format("{} … {} more buckets not shown (--top){}\n", st.Dim(), hidden, st.Reset());

  size_t shown = 0;
  for (const verdict::DiffBucket& b : d.buckets) {
    if (b.assessment.verdict != verdict::Verdict::kDefinite && b.assessment.verdict != verdict::Verdict::kSuspect) {
      continue;
    }
    if (shown++ == options.max_details) break;
    auto frames = b.bucket.frames();
    const dump::Goroutine& g = *b.bucket.representative;
    out += fmt::format("\n{}{}{} {}  {}\n", st.For(b.assessment.verdict), verdict::VerdictName(b.assessment.verdict),
                       st.Reset(), Signed(b.growth),
                       frames.empty() ? std::string("-") : std::string(frames[b.assessment.blocking_frame].function));
    out += fmt::format("   why         {}\n", b.assessment.reason);
    std::string counts;
    for (size_t i = 0; i < b.counts.size(); ++i) counts += (i ? " → " : "") + util::WithCommas(b.counts[i]);
    out += fmt::format("   counts      {}\n", counts);
    if (!frames.empty()) {
      const dump::Frame& f = frames[b.assessment.blocking_frame];
      out += fmt::format("   blocked at  {} {}{}:{}{}\n", f.function, st.Dim(), f.file, f.line, st.Reset());
    }
    if (!g.created_by.function.empty()) {
      out += fmt::format("   created by  {} {}{}:{}{}\n", g.created_by.function, st.Dim(), g.created_by.file,
                         g.created_by.line, st.Reset());
    }
  }
  return out;
}

std::string WriteDiffJson(const verdict::Diff& d, cluster::Similarity similarity) {
  json root;
  root["schema"] = "leakhound.diff/v1";
  root["similarity"] = std::string(cluster::SimilarityName(similarity));
  root["timed"] = d.timed;
  root["total_growth"] = d.total_growth;
  root["summary"] = json{{"buckets", d.kept_buckets}, {"buckets_shown", d.buckets.size()}, {"grown", d.grown},
                         {"new", d.added},           {"shrunk", d.shrunk},                {"vanished", d.vanished},
                         {"unchanged", d.unchanged}, {"definite", d.definite},            {"suspect", d.suspect}};
  json snaps = json::array();
  for (const verdict::SnapshotInfo& s : d.snapshots) {
    json diags = json::array();
    for (const dump::Diagnostic& x : s.diagnostics) {
      diags.push_back(json{{"line", x.line}, {"message", x.message}, {"excerpt", x.excerpt}});
    }
    snaps.push_back(json{{"name", s.name},
                         {"format", std::string(dump::FormatName(s.format))},
                         {"goroutines", s.goroutines},
                         {"minute", s.minute ? json(*s.minute) : json(nullptr)},
                         {"diagnostics", std::move(diags)}});
  }
  root["snapshots"] = std::move(snaps);
  json buckets = json::array();
  for (const verdict::DiffBucket& b : d.buckets) {
    const dump::Goroutine& g = *b.bucket.representative;
    auto frames = b.bucket.frames();
    json jb;
    jb["change"] = std::string(verdict::ChangeName(b.change));
    jb["counts"] = b.counts;
    jb["growth"] = b.growth;
    jb["growth_ratio"] = b.counts.front() == 0 ? json(nullptr)
                                               : json(static_cast<double>(b.growth) /
                                                      static_cast<double>(b.counts.front()));
    jb["slope"] = b.slope ? json(*b.slope) : json(nullptr);
    jb["slope_unit"] = d.timed ? "per_minute" : "per_snapshot";
    jb["monotonic"] = b.monotonic;
    jb["stuck_ids"] = b.stuck;
    jb["first_ids"] = b.first_ids;
    jb["state"] = std::string(b.bucket.state());
    jb["verdict"] = std::string(verdict::VerdictName(b.assessment.verdict));
    jb["score"] = b.assessment.score;
    jb["rule"] = b.assessment.rule;
    jb["reason"] = b.assessment.reason;
    jb["blocking_site"] = frames.empty() ? json(nullptr) : SiteJson(frames[b.assessment.blocking_frame]);
    jb["created_by"] = g.created_by.function.empty() ? json(nullptr) : SiteJson(g.created_by);
    json jf = json::array();
    for (const dump::Frame& f : frames) jf.push_back(SiteJson(f));
    jb["frames"] = std::move(jf);
    buckets.push_back(std::move(jb));
  }
  root["buckets"] = std::move(buckets);
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace leakhound::report
