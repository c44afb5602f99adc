// `leakhound analyze`: options and body.
#ifndef LEAKHOUND_CLI_ANALYZE_COMMAND_H_
#define LEAKHOUND_CLI_ANALYZE_COMMAND_H_

#include <string>
#include <vector>

#include "leakhound/verdict/analysis.h"

namespace leakhound::cli {

struct AnalyzeFlags {
  std::vector<std::string> inputs;  // files, URLs, "-"
  std::string input_format = "auto";
  std::string similarity = "line";
  verdict::AnalyzeOptions analyze;
  bool top_given = false;
  std::string format = "auto";      // auto: text on a terminal, JSON otherwise
  std::string output;               // -o FILE; empty: stdout
  std::string fail_on = "definite"; // definite | suspect | never
  std::string color = "auto";       // auto | always | never
  unsigned threads = 0;
  double timeout_seconds = 30;
  bool quiet = false;
};

int RunAnalyze(AnalyzeFlags flags);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_ANALYZE_COMMAND_H_
