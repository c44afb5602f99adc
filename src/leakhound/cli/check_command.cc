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

std::optional<int> PrepareCheck(std::string_view command, CheckFlags& flags, CheckSetup* out) {
  if (flags.format != "auto" && flags.format != "text" && flags.format != "json" && flags.format != "junit") {
    fmt::print(stderr, "leakhound {}: --format must be auto, text, json or junit, not '{}'\n", command, flags.format);
    return kExitError;
  }
  if (flags.inputs.empty() && ::isatty(STDIN_FILENO)) {
    fmt::print(stderr, "leakhound {}: no input: name files of go test output (plain or -json), or pipe it in: "
                       "go test ./... 2>&1 | leakhound {}\n", command, command);
    return kExitError;
  }
  // Output and colour choices are those of every subcommand.
  InputFlags io;
  io.inputs = flags.inputs;
  io.format = flags.format == "junit" ? "text" : flags.format;
  io.output = flags.output;
  io.color = flags.color;
  io.config = flags.config;
  io.quiet = flags.quiet;
  if (auto code = Resolve(command, io, &out->settings)) return code;
  if (flags.format == "junit") out->settings.format = report::OutputFormat::kJunit;
  flags.inputs = io.inputs;
  out->options.knowledge = out->settings.knowledge.get();
  if (!flags.baseline.empty()) {
    auto keys = verdict::ReadBaseline(flags.baseline);
    if (!keys.ok()) {
      fmt::print(stderr, "leakhound {}: {}\n", command, keys.status().message());
      return kExitError;
    }
    out->options.baseline = std::move(keys).value();
  }
  return std::nullopt;
}

std::optional<int> EmitCheck(const verdict::Check& check, const CheckSetup& setup, const std::string& output) {
  std::string text;
  switch (setup.settings.format) {
    case report::OutputFormat::kJson: text = report::WriteCheckJson(check); break;
    case report::OutputFormat::kJunit: text = report::WriteCheckJunit(check); break;
    default: text = report::WriteCheckText(check, setup.settings.text); break;
  }
  return Emit(text, output, setup.settings.format == report::OutputFormat::kText, setup.settings.text.color);
}

int RunCheck(CheckFlags flags) {
  CheckSetup setup;
  if (auto code = PrepareCheck("check", flags, &setup)) return *code;
  const verdict::CheckOptions& options = setup.options;
  std::vector<gotest::Run> runs;
  for (const std::string& input : flags.inputs) {
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
  if (auto code = EmitCheck(*check, setup, flags.output)) return *code;
  return check->new_buckets > 0 ? kExitFindings : kExitOk;
}

}  // namespace leakhound::cli
