#include "leakhound/cli/analyze_command.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "leakhound/cli/cli.h"
#include "leakhound/dump/source.h"
#include "leakhound/report/report.h"

namespace leakhound::cli {

namespace {

constexpr size_t kDiagnosticsShown = 20;

bool ParseSimilarity(std::string_view s, cluster::Similarity* out) {
  if (s == "exact") *out = cluster::Similarity::kExact;
  else if (s == "line") *out = cluster::Similarity::kLine;
  else if (s == "func") *out = cluster::Similarity::kFunc;
  else return false;
  return true;
}

bool ParseInputFormat(std::string_view s, dump::Format* out) {
  if (s == "auto") *out = dump::Format::kAuto;
  else if (s == "traceback" || s == "debug2" || s == "text") *out = dump::Format::kTraceback;
  else if (s == "debug1" || s == "aggregated") *out = dump::Format::kAggregated;
  else if (s == "pprof" || s == "debug0" || s == "proto") *out = dump::Format::kPprof;
  else return false;
  return true;
}

size_t TerminalWidth() {
  struct winsize ws;
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) return static_cast<size_t>(std::atoi(c));
  return 120;
}

void PrintDiagnostics(const dump::Dump& d) {
  size_t shown = 0;
  for (const dump::Diagnostic& diag : d.diagnostics) {
    if (shown++ == kDiagnosticsShown) {
      fmt::print(stderr, "{}: {} more problems not shown\n", d.name, d.diagnostics.size() - kDiagnosticsShown);
      break;
    }
    std::string where = diag.line > 0 ? fmt::format("{}:{}", d.name, diag.line) : d.name;
    if (diag.excerpt.empty()) {
      fmt::print(stderr, "{}: {}\n", where, diag.message);
    } else {
      fmt::print(stderr, "{}: {}: {:?}\n", where, diag.message, diag.excerpt);
    }
  }
}

int UsageError(const std::string& message) {
  fmt::print(stderr, "leakhound analyze: {}\n", message);
  return kExitError;
}

}  // namespace

int RunAnalyze(AnalyzeFlags flags) {
  if (!ParseSimilarity(flags.similarity, &flags.analyze.similarity)) {
    return UsageError("--similarity must be exact, line or func, not '" + flags.similarity + "'");
  }
  dump::ReadOptions read;
  read.threads = flags.threads;
  if (!ParseInputFormat(flags.input_format, &read.format)) {
    return UsageError("--input-format must be auto, traceback, debug1 or pprof, not '" + flags.input_format + "'");
  }
  verdict::Verdict fail_on = verdict::Verdict::kDefinite;
  bool never_fail = flags.fail_on == "never" || flags.fail_on == "none";
  if (!never_fail && (!verdict::ParseVerdict(flags.fail_on, &fail_on) ||
                      (fail_on != verdict::Verdict::kDefinite && fail_on != verdict::Verdict::kSuspect))) {
    return UsageError("--fail-on must be definite, suspect or never, not '" + flags.fail_on + "'");
  }
  bool to_terminal = flags.output.empty() && ::isatty(STDOUT_FILENO);
  report::OutputFormat format = report::OutputFormat::kText;
  if (flags.format == "auto") {
    format = to_terminal ? report::OutputFormat::kText : report::OutputFormat::kJson;
  } else if (!report::ParseOutputFormat(flags.format, &format)) {
    return UsageError("--format must be auto, text or json, not '" + flags.format + "'");
  }
  bool color = false;
  if (flags.color == "always") {
    color = true;
  } else if (flags.color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    color = to_terminal && (no_color == nullptr || *no_color == '\0');
  } else if (flags.color != "never") {
    return UsageError("--color must be auto, always or never, not '" + flags.color + "'");
  }
  if (flags.inputs.empty()) {
    if (::isatty(STDIN_FILENO)) {
      return UsageError("no input: name a dump file, a pprof URL (http://127.0.0.1:6060) or - for stdin");
    }
    flags.inputs.push_back("-");
  }
  if (!flags.top_given && format == report::OutputFormat::kText) flags.analyze.top = 40;

  dump::FetchOptions fetch;
  fetch.timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_seconds * 1000));
  bool progress = ::isatty(STDERR_FILENO) && !flags.quiet;
  std::vector<dump::Dump> dumps;
  bool failed_input = false;
  for (const std::string& input : flags.inputs) {
    if (progress) fmt::print(stderr, "reading {} …\r", input);
    auto loaded = dump::LoadSource(input, read, fetch);
    if (progress) fmt::print(stderr, "\x1b[2K");
    if (!loaded.ok()) {
      fmt::print(stderr, "leakhound: {}\n", loaded.status().message());
      failed_input = true;
      continue;
    }
    if (!flags.quiet) PrintDiagnostics(*loaded);
    dumps.push_back(std::move(loaded).value());
  }
  if (dumps.empty()) return kExitError;
  uint64_t total = 0;
  for (const dump::Dump& d : dumps) total += d.TotalGoroutines();
  if (total == 0) {
    fmt::print(stderr, "leakhound: nothing to analyze\n");
    return kExitError;
  }

  auto analysis = verdict::Analyze(dumps, flags.analyze);
  if (!analysis.ok()) return UsageError(analysis.status().message());

  std::string text;
  if (format == report::OutputFormat::kJson) {
    text = report::WriteAnalyzeJson(*analysis, flags.analyze.similarity);
  } else {
    report::TextOptions to;
    to.color = color;
    to.width = to_terminal ? TerminalWidth() : 0;
    text = report::WriteAnalyzeText(*analysis, to);
  }
  if (flags.output.empty() || flags.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream f(flags.output, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      fmt::print(stderr, "leakhound: {}: cannot write\n", flags.output);
      return kExitError;
    }
  }
  (void)failed_input;  // partial results are reported; the exit code follows the findings
  // The process ends next: freeing hundreds of megabytes of records and unmapping the input would only cost time.
  new std::vector<dump::Dump>(std::move(dumps));  // NOLINT: deliberately never freed
  if (never_fail) return kExitOk;
  for (const verdict::BucketReport& r : analysis->buckets) {
    if (verdict::AtLeast(r.assessment.verdict, fail_on)) return kExitFindings;
  }
  // Buckets hidden by --top still count.
  if (fail_on == verdict::Verdict::kDefinite ? analysis->definite > 0
                                             : analysis->definite + analysis->suspect > 0) {
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace leakhound::cli
