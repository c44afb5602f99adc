// Child processes for the subcommands that drive other tools (`leakhound test` runs `go list` and `go test`): argv
// with a PATH lookup, extra environment, a working directory; stdout handed over line by line as it arrives (for
// progress), stderr kept (its last 1 MiB).
//
// Thread-safety: RunProcess is reentrant; `on_line` is called on the calling thread.
#ifndef LEAKHOUND_UTIL_PROCESS_H_
#define LEAKHOUND_UTIL_PROCESS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/util/status.h"

namespace leakhound::util {

struct ProcessOptions {
  std::vector<std::string> env;  // "NAME=value", added to (and replacing in) this process's environment
  std::string cwd;               // empty: this process's
};

struct ProcessResult {
  int exit_code = -1;  // the exit status, or 128 + the signal that ended it
  std::string err;     // stderr (the last 1 MiB of it)
};

// Runs argv[0] (looked up in PATH when it has no '/') and waits for it. `on_line` gets each line of stdout without
// its newline (a last line without one too). Fails only when the program cannot be started.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options,
                                 const std::function<void(std::string_view line)>& on_line);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_PROCESS_H_
