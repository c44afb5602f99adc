// Writers for the analysis model, one per output format (chosen by enum, as bloaty's RollupOutput does). Writers
// only format; they never change the model.
#ifndef LEAKHOUND_REPORT_REPORT_H_
#define LEAKHOUND_REPORT_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/scan/scan.h"
#include "leakhound/verdict/analysis.h"
#include "leakhound/verdict/check.h"
#include "leakhound/verdict/diff.h"

namespace leakhound::report {

enum class OutputFormat { kText, kJson, kJunit, kFolded, kPprof, kHtml };
// Parses "text" / "json" / "junit" / "folded" / "pprof" / "html"; false when unknown.
bool ParseOutputFormat(std::string_view s, OutputFormat* out);

struct TextOptions {
  bool color = false;
  size_t width = 0;        // terminal columns; 0: do not truncate
  size_t max_details = 10; // leak/suspect buckets described in full below the table
};

// The report for people: a summary line, an aligned bucket table, then the definite leaks and suspects in detail
// (reason, blocking and creating sites, the stack).
std::string WriteAnalyzeText(const verdict::Analysis& analysis, const TextOptions& options);

// The report for machines, schema "leakhound.analyze/v1" (documented in README.md).
std::string WriteAnalyzeJson(const verdict::Analysis& analysis, cluster::Similarity similarity);
// The same, written to `out` a bucket at a time (what the CLI uses: a million-bucket report is never whole in memory).
void WriteAnalyzeJson(const verdict::Analysis& analysis, cluster::Similarity similarity, std::ostream& out);

// Collapsed stacks, root first, one "a;b;c COUNT" line per distinct function stack (flamegraph.pl, inferno,
// speedscope).
std::string WriteFolded(const verdict::Analysis& analysis);
// A gzipped pprof goroutine profile (sample type goroutine/count, leaf first, labels state and verdict) that
// `go tool pprof` opens.
std::string WritePprof(const verdict::Analysis& analysis);

// `leakhound diff` for people: the snapshots, then buckets by growth with counts, slope, stuck ids and verdict,
// then the grown leaks in detail.
std::string WriteDiffText(const verdict::Diff& diff, const TextOptions& options);

// `leakhound diff` for machines, schema "leakhound.diff/v1" (documented in README.md).
std::string WriteDiffJson(const verdict::Diff& diff, cluster::Similarity similarity);

// The HTML report: one self-contained file (inline CSS and JS, no network, a strict Content-Security-Policy) with
// summary cards, a sortable, filterable bucket table and an icicle graph of every stack. Everything taken from the
// input travels as one JSON blob in which '<', '>', '&', U+2028 and U+2029 are \u-escaped, and the script renders it
// with textContent and DOM calls only. The assets are src/leakhound/report/html/{template.html,report.css,report.js},
// compiled in by CMake.
struct HtmlOptions {
  cluster::Similarity similarity = cluster::Similarity::kLine;
  std::string version;    // leakhound's version, shown in the footer
  std::string generated;  // shown as the report's time; empty: now (or $SOURCE_DATE_EPOCH), UTC
};
std::string WriteAnalyzeHtml(const verdict::Analysis& analysis, const HtmlOptions& options);
// Growth per bucket (counts per snapshot as a sparkline, growth, slope, stuck ids, change), a chart of the snapshots'
// totals and top buckets, and the icicle graph of the last snapshot coloured by growth.
std::string WriteDiffHtml(const verdict::Diff& diff, const HtmlOptions& options);

// What `leakhound watch` knows at the end of a run (or at an auto-dump), for WriteWatchHtml: the samples of the
// scrape loop and the buckets they count, per target. The watch command fills it; the writer only formats.
struct WatchHtmlBucket {
  std::string blocking_function;  // the blocking site; empty when unknown
  std::string blocking_file;
  uint32_t blocking_line = 0;
  std::string created_by;         // creator function; empty when none
  std::string state;
  verdict::Verdict verdict = verdict::Verdict::kActive;
  std::string reason;
  std::string alert_verdict;      // the verdict an alert on this bucket raised (its legend says it); empty: none
  uint64_t signature = 0;         // the bucket's (watch: to match its alerts)
};
// An alert of the run, as the pages show it: a marker on the target's charts and a row of its alert list.
struct WatchHtmlAlert {
  int64_t unix_ms = 0;
  std::string rule;      // growth, definite, proven, max_goroutines
  std::string bucket;    // entry function; empty for a fuse alert on an empty target
  std::string blocking;  // "pkg.f file.go:12"
  std::string verdict;
  std::string message;
  std::string page;      // the page beside its dump, as a link relative to the page that lists it; empty: none
  std::string dump;      // the dump's path
};
struct WatchHtmlSample {
  int64_t unix_ms = 0;            // when the sample was taken
  uint64_t total = 0;             // goroutines in the target
  std::vector<uint64_t> counts;   // per WatchHtmlTarget::buckets index; shorter vectors mean 0 for the rest
};
struct WatchHtmlTarget {
  std::string name;                      // shown as the section's title
  std::string url;
  uint64_t alerts = 0;                   // alerts fired for it in the run
  std::vector<WatchHtmlBucket> buckets;  // the ones worth a trend line, most interesting first
  std::vector<WatchHtmlSample> samples;  // oldest first
  std::vector<WatchHtmlAlert> alert_list;  // oldest first
};
struct WatchHtml {
  std::vector<WatchHtmlTarget> targets;       // in the order watched; one page holds them all
  const verdict::Analysis* latest = nullptr;  // a snapshot's analysis (table and icicle graph); may be null
  std::string latest_source;                  // what `latest` is (the dump's path), shown above it
  const WatchHtmlAlert* alert = nullptr;      // the alert `latest` was taken for (a dump's page); may be null
};
// An overview of the targets (when there are several), trend charts of the total and the top buckets over time per
// target, then (when `latest` is set) the analyze report of that snapshot.
std::string WriteWatchHtml(const WatchHtml& watch, const HtmlOptions& options);

// `leakhound check` for people, for machines ("leakhound.check/v1") and for CI test reports (JUnit XML: one
// testcase per leaking test, the failure text the bucket summary).
std::string WriteCheckText(const verdict::Check& check, const TextOptions& options);
std::string WriteCheckJson(const verdict::Check& check);
std::string WriteCheckJunit(const verdict::Check& check);

// `leakhound scan` for people: one `file:line:col: message (LH001 rule-name)` line per unsuppressed finding, like
// go vet and golangci-lint; on a terminal (options.color) locations are aligned and coloured by severity.
std::string WriteScanText(const scan::ScanResult& result, const TextOptions& options);
// The one-line summary ("3 findings (2 errors, 1 warning) in 12 files, 4 packages; 1 suppressed").
std::string ScanSummary(const scan::ScanResult& result);
// `leakhound scan` for machines, schema "leakhound.scan/v1" (documented in README.md); suppressed findings included
// with "suppressed": true.
std::string WriteScanJson(const scan::ScanResult& result);
// SARIF 2.1.0 for code scanning: every rule that ran in tool.driver.rules, results with paths relative to
// `srcroot` (uriBaseId SRCROOT; an absolute file: URI outside it) and partialFingerprints; suppressed findings carry
// an inSource suppression.
std::string WriteScanSarif(const scan::ScanResult& result, const std::string& srcroot);

// "github.com/acme/api/worker.(*Pool).emit" -> "worker.(*Pool).emit".
std::string_view ShortFunction(std::string_view function);
// "/src/github.com/acme/api/worker/pool.go" -> "pool.go".
std::string_view BaseName(std::string_view path);
// 153983 -> "153,983".
std::string WithCommas(uint64_t n);

}  // namespace leakhound::report

#endif  // LEAKHOUND_REPORT_REPORT_H_
