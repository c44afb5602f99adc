#include "leakhound/cli/diff_command.h"

#include <fmt/format.h>

#include "leakhound/cli/cli.h"
#include "leakhound/report/report.h"

namespace leakhound::cli {

int RunDiff(DiffFlags flags) {
  if (flags.io.inputs.empty()) {
    fmt::print(stderr, "leakhound diff: give two or more snapshots, oldest first: dump files, pprof URLs or - "
                       "(e.g. leakhound diff before.txt after.txt)\n");
    return kExitError;
  }
  Settings settings;
  if (auto code = Resolve("diff", flags.io, &settings)) return *code;
  if (flags.io.inputs.size() < 2) {
    fmt::print(stderr, "leakhound diff: needs at least two snapshots, oldest first (files, URLs or -)\n");
    return kExitError;
  }
  flags.diff.similarity = settings.similarity;
  flags.diff.knowledge = settings.knowledge.get();
  if (!flags.top_given && settings.format == report::OutputFormat::kText) flags.diff.top = 40;

  std::vector<dump::Dump> dumps;
  if (!LoadInputs(flags.io, settings, &dumps)) return kExitError;
  if (dumps.size() < 2) {
    fmt::print(stderr, "leakhound diff: fewer than two snapshots could be read\n");
    return kExitError;
  }
  auto diff = verdict::DiffDumps(dumps, flags.diff);
  if (!diff.ok()) {
    fmt::print(stderr, "leakhound diff: {}\n", diff.status().message());
    return kExitError;
  }
  std::string text;
  switch (settings.format) {
    case report::OutputFormat::kJson: text = report::WriteDiffJson(*diff, settings.similarity); break;
    case report::OutputFormat::kText: text = report::WriteDiffText(*diff, settings.text); break;
    case report::OutputFormat::kHtml:
      text = report::WriteDiffHtml(*diff, report::HtmlOptions{settings.similarity, kVersion, ""});
      break;
    default:
      fmt::print(stderr, "leakhound diff: --format must be text, json or html\n");
      return kExitError;
  }
  if (auto code = Emit(text, flags.io.output, settings.format == report::OutputFormat::kText, settings.text.color)) {
    return *code;
  }
  int exit = ExitFor(settings, diff->definite, diff->suspect);
  new std::vector<dump::Dump>(std::move(dumps));  // NOLINT: deliberately never freed, as in analyze
  return exit;
}

}  // namespace leakhound::cli
