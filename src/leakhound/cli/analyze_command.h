// `leakhound analyze`: options and body.
#ifndef LEAKHOUND_CLI_ANALYZE_COMMAND_H_
#define LEAKHOUND_CLI_ANALYZE_COMMAND_H_

#include "leakhound/cli/common.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::cli {

struct AnalyzeFlags {
  InputFlags io;
  verdict::AnalyzeOptions analyze;
  bool top_given = false;
};

int RunAnalyze(AnalyzeFlags flags);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_ANALYZE_COMMAND_H_
