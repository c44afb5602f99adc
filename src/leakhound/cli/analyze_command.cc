#include "leakhound/cli/analyze_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include "leakhound/cli/cli.h"
#include "leakhound/report/report.h"

namespace leakhound::cli {

int RunAnalyze(AnalyzeFlags flags) {
  Settings settings;
  if (auto code = Resolve("analyze", flags.io, &settings)) return *code;
  flags.analyze.similarity = settings.similarity;
  flags.analyze.knowledge = settings.knowledge.get();
  if (!flags.top_given && settings.format == report::OutputFormat::kText) flags.analyze.top = 40;
  if (settings.format == report::OutputFormat::kPprof && flags.io.output.empty() && ::isatty(STDOUT_FILENO)) {
    fmt::print(stderr, "leakhound analyze: --format pprof writes binary data: give -o FILE.pb.gz\n");
    return kExitError;
  }

  std::vector<dump::Dump> dumps;
  if (!LoadInputs(flags.io, settings, &dumps)) return kExitError;
  auto analysis = verdict::Analyze(dumps, flags.analyze);
  if (!analysis.ok()) {
    fmt::print(stderr, "leakhound analyze: {}\n", analysis.status().message());
    return kExitError;
  }
  if (settings.format == report::OutputFormat::kJson) {
    if (auto code = EmitStream(flags.io.output, [&](std::ostream& out) {
          report::WriteAnalyzeJson(*analysis, settings.similarity, out);
        })) {
      return *code;
    }
    const int exit = ExitFor(settings, analysis->definite, analysis->suspect);
    new std::vector<dump::Dump>(std::move(dumps));  // NOLINT: see below
    return exit;
  }
  std::string text;
  switch (settings.format) {
    case report::OutputFormat::kJson: break;
    case report::OutputFormat::kFolded: text = report::WriteFolded(*analysis); break;
    case report::OutputFormat::kPprof: text = report::WritePprof(*analysis); break;
    case report::OutputFormat::kHtml:
      text = report::WriteAnalyzeHtml(*analysis, report::HtmlOptions{settings.similarity, kVersion, ""});
      break;
    case report::OutputFormat::kText: text = report::WriteAnalyzeText(*analysis, settings.text); break;
    case report::OutputFormat::kJunit:
      fmt::print(stderr, "leakhound analyze: --format junit is for check\n");
      return kExitError;
  }
  if (auto code = Emit(text, flags.io.output, settings.format == report::OutputFormat::kText, settings.text.color)) {
    return *code;
  }
  int exit = ExitFor(settings, analysis->definite, analysis->suspect);
  // The process ends next: freeing hundreds of megabytes of records and unmapping the input would only cost time.
  new std::vector<dump::Dump>(std::move(dumps));  // NOLINT: deliberately never freed
  return exit;
}

}  // namespace leakhound::cli
