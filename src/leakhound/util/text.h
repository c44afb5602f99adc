// Text that leaves leakhound: whatever bytes a dump, profile or source file carried, every output format gets text
// that is valid for it. ValidUtf8 replaces each invalid UTF-8 sequence with U+FFFD (JSON, SARIF, JUnit XML, Prometheus
// label values, HTML); ForTerminal also replaces control characters, so that names from a profile can neither move
// the cursor nor recolour or retitle the user's terminal.
#ifndef LEAKHOUND_UTIL_TEXT_H_
#define LEAKHOUND_UTIL_TEXT_H_

#include <string>
#include <string_view>

namespace leakhound::util {

// Length of the valid UTF-8 sequence at the start of `s` (1-4), or 0 when it is not one (overlong forms, surrogates
// and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s);

// True when `s` is valid UTF-8 throughout.
bool IsValidUtf8(std::string_view s);

// `s` with every invalid sequence replaced by U+FFFD (one per offending byte).
std::string ValidUtf8(std::string_view s);

// ValidUtf8(s) with C0 controls (but tab), DEL and C1 controls shown as U+FFFD: no escape sequence from data reaches
// a terminal. Newlines are replaced too: callers print line by line.
std::string ForTerminal(std::string_view s);

// A whole report for a terminal or a text file: like ForTerminal, but newlines stay and, when `keep_colour`, so do
// SGR colour sequences (ESC [ digits/semicolons m): the only escapes leakhound's text writers emit. Anything else —
// cursor movement, window titles, OSC, a lone ESC — is replaced, wherever it came from.
std::string ForTerminalText(std::string_view s, bool keep_colour);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_TEXT_H_
