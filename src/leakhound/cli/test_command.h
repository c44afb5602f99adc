// `leakhound test [leakhound flags] [go test flags] [packages]`: runs `go test` so that every test binary reports the
// goroutines its tests leave running, and gates on them like `check`. leakhound's own flags are long (--repeat, ...);
// everything else goes to `go test` as given (after `--`, everything does).
#ifndef LEAKHOUND_CLI_TEST_COMMAND_H_
#define LEAKHOUND_CLI_TEST_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

namespace leakhound::cli {

// `args`: what follows "test" on the command line.
int RunTest(const std::vector<std::string>& args);

// What `leakhound test --help` prints (its "Options:" lines also feed the shell completions).
std::string_view TestHelp();

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_TEST_COMMAND_H_
