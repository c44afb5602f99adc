// LH016 across the packages of one scan: a channel a method hands out and nothing closes is reported only where some
// code of the scan (the package's own tests and examples included) ranges over what that method returns — the
// consumer that would block forever. Each package says which methods' results it ranges over.
#ifndef LEAKHOUND_SCAN_RULES_LH016_NEVER_COMPLETED_H_
#define LEAKHOUND_SCAN_RULES_LH016_NEVER_COMPLETED_H_

#include <string>
#include <vector>

#include "leakhound/scan/package.h"

namespace leakhound::scan {

// "range:M" for every `for ... range x.M()` of `pkg`, and every `for ... range v` where v := x.M(): what a
// handed-out-channel finding of LH016 needs (Finding::needs) to stand.
std::vector<std::string> RangedMethods(const Package& pkg);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_LH016_NEVER_COMPLETED_H_
