// The command line: parses arguments with CLI11 and runs a subcommand. main() only calls Main(); every subcommand's
// body lives in the library so it can be tested without a process.
//
// Exit codes follow Go tools: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, 2 usage or input
// error.
#ifndef LEAKHOUND_CLI_CLI_H_
#define LEAKHOUND_CLI_CLI_H_

namespace leakhound::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

inline constexpr const char* kVersion = "0.1.0";

int Main(int argc, char** argv);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_CLI_H_
