// `leakhound check`: the CI gate over `go test` output.
#ifndef LEAKHOUND_CLI_CHECK_COMMAND_H_
#define LEAKHOUND_CLI_CHECK_COMMAND_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/cli/common.h"
#include "leakhound/verdict/check.h"

namespace leakhound::cli {

struct CheckFlags {
  std::vector<std::string> inputs;  // go test output files (plain or -json), "-" for stdin
  std::string baseline;             // --baseline FILE: fail only on buckets not in it
  std::string write_baseline;       // --write-baseline FILE: record today's leaks and exit 0
  std::string format = "auto";      // auto | text | json | junit
  std::string output;
  std::string color = "auto";
  std::string config;
  bool quiet = false;
};

int RunCheck(CheckFlags flags);

// What `check` and `test` share: the report's settings and the baseline, from the flags they have in common.
struct CheckSetup {
  Settings settings;
  verdict::CheckOptions options;
};
// Validates the flags (`command` names the subcommand in messages; flags.inputs gets "-" when it names none and stdin
// is not a terminal). On an error prints it and returns the exit code.
std::optional<int> PrepareCheck(std::string_view command, CheckFlags& flags, CheckSetup* out);
// Writes the report in the chosen format to `output` (stdout when empty); the exit code of a failed write, or nullopt.
std::optional<int> EmitCheck(const verdict::Check& check, const CheckSetup& setup, const std::string& output);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_CHECK_COMMAND_H_
