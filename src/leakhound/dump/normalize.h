// Cleaning of traceback and debug=1 text copied out of logs and terminals before it is parsed: CRLF and lone CR line
// ends, ANSI colour sequences, and a log prefix (timestamps, pod names, go test indentation) in front of every line.
//
// The prefix is learned from the goroutine header lines: identical prefixes are stripped as they are; prefixes of one
// length and one character shape (timestamps) are stripped by shape; prefixes of varying length are stripped through
// their longest common ending ("] ", " | ", " stdout F "). Lines that do not carry the prefix are kept as they are.
// Line count and order never change, so diagnostics' line numbers hold for the original input.
#ifndef LEAKHOUND_DUMP_NORMALIZE_H_
#define LEAKHOUND_DUMP_NORMALIZE_H_

#include <string>
#include <string_view>

namespace leakhound::dump {

// Returns false, leaving *out untouched, when `text` needs no cleaning (the common case: no copy is made).
bool NormalizeText(std::string_view text, std::string* out);

}  // namespace leakhound::dump

#endif  // LEAKHOUND_DUMP_NORMALIZE_H_
