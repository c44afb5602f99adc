// `leakhound check`: the CI gate over `go test` output.
#ifndef LEAKHOUND_CLI_CHECK_COMMAND_H_
#define LEAKHOUND_CLI_CHECK_COMMAND_H_

#include <string>
#include <vector>

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

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_CHECK_COMMAND_H_
