#include "leakhound/cli/check_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include "leakhound/cli/cli.h"
#include "leakhound/cli/common.h"
#include "leakhound/gotest/test_output.h"
#include "leakhound/report/report.h"
#include "leakhound/util/mapped_file.h"
#include "leakhound/verdict/check.h"

namespace leakhound::cli {

int RunCheck(CheckFlags flags) {
  // Output and colour choices are those of every subcommand.
  InputFlags io;
  io.inputs = flags.inputs;
  io.format = flags.format == "junit" ? "text" : flags.format;
  io.output = flags.output;
  io.color = flags.color;
  io.config = flags.config;
  io.quiet = flags.quiet;
  Settings settings;
  if (auto code = Resolve("check", io, &settings)) return *code;
  if (flags.format == "junit") settings.format = report::OutputFormat::kJunit;

  verdict::CheckOptions options;
  options.knowledge = settings.knowledge.get();
  if (!flags.baseline.empty()) {
    auto keys = verdict::ReadBaseline(flags.baseline);
    if (!keys.ok()) {
      fmt::print(stderr, "leakhound check: {}\n", keys.status().message());
      return kExitError;
    }
    options.baseline = std::move(keys).value();
  }

  std::vector<gotest::Run> runs;
  for (const std::string& input : io.inputs) {
    std::string bytes;
    if (input == "-") {
      auto data = util::ReadAll(STDIN_FILENO, "<stdin>");
      if (!data.ok()) {
        fmt::print(stderr, "leakhound: {}\n", data.status().message());
        continue;
      }
      bytes = std::move(data).value();
    } else {
      auto mapped = util::MappedFile::Open(input);
      if (!mapped.ok()) {
        fmt::print(stderr, "leakhound: {}\n", mapped.status().message());
        continue;
      }
      bytes.assign(mapped->bytes());
    }
    runs.push_back(gotest::ReadTestOutput(input == "-" ? "<stdin>" : input, bytes));
    // A clean run has no goroutines at all: that is no problem worth printing.
    auto& diags = runs.back().dump.diagnostics;
    std::erase_if(diags, [](const dump::Diagnostic& d) { return d.message.rfind("no goroutines found", 0) == 0; });
    if (!flags.quiet) PrintDiagnostics(runs.back().dump);
  }
  if (runs.empty()) return kExitError;

  auto check = verdict::CheckRuns(runs, options);
  if (!check.ok()) {
    fmt::print(stderr, "leakhound check: {}\n", check.status().message());
    return kExitError;
  }
  if (!flags.write_baseline.empty()) {
    if (auto code = Emit(verdict::WriteBaseline(*check), flags.write_baseline)) return *code;
    fmt::print(stderr, "leakhound check: wrote {} leak buckets to {}\n", check->buckets.size(), flags.write_baseline);
    return kExitOk;
  }
  std::string text;
  switch (settings.format) {
    case report::OutputFormat::kText: text = report::WriteCheckText(*check, settings.text); break;
    case report::OutputFormat::kJson: text = report::WriteCheckJson(*check); break;
    case report::OutputFormat::kJunit: text = report::WriteCheckJunit(*check); break;
    case report::OutputFormat::kFolded:
    case report::OutputFormat::kPprof:
    case report::OutputFormat::kHtml:
      fmt::print(stderr, "leakhound check: --format must be text, json or junit\n");
      return kExitError;
  }
  if (auto code = Emit(text, io.output, settings.format == report::OutputFormat::kText, settings.text.color)) {
    return *code;
  }
  return check->new_buckets > 0 ? kExitFindings : kExitOk;
}

}  // namespace leakhound::cli
