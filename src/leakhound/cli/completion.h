// Shell completion scripts for bash, zsh and fish, generated from the command line's own definition (the CLI11
// subcommands and options, and `test`'s help), so they cannot drift from what the binary accepts. `leakhound
// completion SHELL` prints one; `make dist` and `make install` ship all three.
#ifndef LEAKHOUND_CLI_COMPLETION_H_
#define LEAKHOUND_CLI_COMPLETION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakhound::cli {

struct CompletionOption {
  std::vector<std::string> names;  // "--format", "-f"
  std::string description;         // one line
  bool takes_value = false;
  std::vector<std::string> values;  // the words it accepts (text, json, ...), when they are a fixed set
};

struct CompletionCommand {
  std::string name;
  std::string description;
  std::vector<CompletionOption> options;
  std::vector<std::string> words;  // fixed words its arguments take (rule ids, command names); else files
  bool files = true;               // arguments are files (or URLs) too
};

// The words of a fixed set an option's help names: "auto|text|json (default: text)" gives auto, text, json.
std::vector<std::string> ValuesInDescription(std::string_view description);

// Options out of a help text's "Options:" lines ("  --settle D    How long ...").
std::vector<CompletionOption> OptionsInHelp(std::string_view help);

// The script for `shell` (bash, zsh or fish); nullopt for another shell.
std::optional<std::string> CompletionScript(std::string_view shell, const std::vector<CompletionCommand>& commands);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_COMPLETION_H_
