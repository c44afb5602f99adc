// Writers for the analysis model, one per output format (chosen by enum, as bloaty's RollupOutput does). Writers
// only format; they never change the model.
#ifndef LEAKHOUND_REPORT_REPORT_H_
#define LEAKHOUND_REPORT_REPORT_H_

#include <string>
#include <string_view>

#include "leakhound/verdict/analysis.h"
#include "leakhound/verdict/check.h"
#include "leakhound/verdict/diff.h"

namespace leakhound::report {

enum class OutputFormat { kText, kJson, kJunit, kFolded, kPprof };
// Parses "text" / "json"; false when unknown.
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

// `leakhound check` for people, for machines ("leakhound.check/v1") and for CI test reports (JUnit XML: one
// testcase per leaking test, the failure text the bucket summary).
std::string WriteCheckText(const verdict::Check& check, const TextOptions& options);
std::string WriteCheckJson(const verdict::Check& check);
std::string WriteCheckJunit(const verdict::Check& check);

// "github.com/acme/api/worker.(*Pool).emit" -> "worker.(*Pool).emit".
std::string_view ShortFunction(std::string_view function);
// "/src/github.com/acme/api/worker/pool.go" -> "pool.go".
std::string_view BaseName(std::string_view path);
// 153983 -> "153,983".
std::string WithCommas(uint64_t n);

}  // namespace leakhound::report

#endif  // LEAKHOUND_REPORT_REPORT_H_
