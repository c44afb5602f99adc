// The keys a YAML mapping of a leakhound file may have: a misspelt one (`reson:`, `min_sample:`) is an error naming
// its line and the nearest known key, not a setting silently ignored.
//
// Thread-safety: pure functions.
#ifndef LEAKHOUND_UTIL_YAML_KEYS_H_
#define LEAKHOUND_UTIL_YAML_KEYS_H_

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "leakhound/util/status.h"

namespace leakhound::util {

// The known key nearest to `word` when it is within 2 edits, else "".
std::string Nearest(std::string_view word, std::initializer_list<std::string_view> known);

// Fails on the first key of `map` (when it is a mapping) not in `allowed`: "FILE:LINE: unknown key 'k' in WHAT
// (did you mean 'key'?; expected a, b, c)". `file` names the file; `what` the mapping ("a target", "a signature").
Status CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const std::string& file,
                 std::string_view what);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_YAML_KEYS_H_
