// `leakhound diff`: options and body.
#ifndef LEAKHOUND_CLI_DIFF_COMMAND_H_
#define LEAKHOUND_CLI_DIFF_COMMAND_H_

#include "leakhound/cli/common.h"
#include "leakhound/verdict/diff.h"

namespace leakhound::cli {

struct DiffFlags {
  InputFlags io;
  verdict::DiffOptions diff;
  bool top_given = false;
};

int RunDiff(DiffFlags flags);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_DIFF_COMMAND_H_
