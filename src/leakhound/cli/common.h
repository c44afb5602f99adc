// What every dump-reading subcommand shares: the flags for inputs, output and exit codes, their validation, loading
// the inputs (problems printed on stderr as FILE:LINE: message), and writing the report.
#ifndef LEAKHOUND_CLI_COMMON_H_
#define LEAKHOUND_CLI_COMMON_H_

#include <functional>
#include <memory>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/dump/source.h"
#include "leakhound/report/report.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::cli {

struct InputFlags {
  std::vector<std::string> inputs;  // files, URLs, "-"
  std::string input_format = "auto";
  std::string similarity = "line";
  std::string format = "auto";       // auto: text on a terminal, JSON otherwise
  std::string output;                // -o FILE; empty: stdout
  std::string fail_on = "definite";  // definite | suspect | never
  std::string color = "auto";        // auto | always | never
  unsigned threads = 0;
  double timeout_seconds = 30;
  bool quiet = false;
  std::string config;                // --config FILE; empty: .leakhound.yaml here or in a parent directory
  std::string leak_profile;          // --leak-profile FILE|URL: the runtime's proof for the last input
};

struct Settings {
  cluster::Similarity similarity = cluster::Similarity::kLine;
  dump::ReadOptions read;
  dump::FetchOptions fetch;
  report::OutputFormat format = report::OutputFormat::kText;
  report::TextOptions text;
  bool never_fail = false;
  verdict::Verdict fail_on = verdict::Verdict::kDefinite;
  std::shared_ptr<const verdict::KnowledgeBase> knowledge;  // built-in plus the project file, if any
};

// Validates `flags` (filling in "-" when no input is named and stdin is not a terminal). On a usage error prints
// "leakhound COMMAND: message" and returns the exit code.
std::optional<int> Resolve(std::string_view command, InputFlags& flags, Settings* out);

// Loads every input; unreadable ones are reported and skipped. False (after saying why) when nothing usable was read.
bool LoadInputs(const InputFlags& flags, const Settings& settings, std::vector<dump::Dump>* dumps);

// Prints a Dump's problems on stderr as FILE:LINE: message: "excerpt" (at most 20, then a count).
void PrintDiagnostics(const dump::Dump& d);

// Writes the report to -o FILE or stdout; returns the exit code for a failed write, or nullopt. A `terminal_text`
// report (the text formats) is passed through util::ForTerminalText first, keeping colour when `colour`.
std::optional<int> Emit(const std::string& text, const std::string& output, bool terminal_text = false,
                        bool colour = false);

// Like Emit for machine formats written piece by piece: `write` writes the report to the stream (stdout or -o FILE).
std::optional<int> EmitStream(const std::string& output, const std::function<void(std::ostream&)>& write);

// The exit code for the verdicts found: 1 when one is at or above --fail-on.
int ExitFor(const Settings& settings, size_t definite, size_t suspect);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_COMMON_H_
