#include "leakhound/util/yaml_keys.h"

#include <fmt/format.h>

#include <algorithm>

#include "leakhound/util/strings.h"

namespace leakhound::util {

std::string Nearest(std::string_view word, std::initializer_list<std::string_view> known) {
  std::string best;
  size_t distance = 3;
  for (std::string_view k : known) {
    const size_t d = EditDistance(word, k);
    if (d < distance) distance = d, best = std::string(k);
  }
  return best;
}

Status CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const std::string& file,
                 std::string_view what) {
  if (!map.IsMap()) return Status::Ok();
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string expected;
    for (std::string_view a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
    const std::string nearest = Nearest(key, allowed);
    return Status::InvalidArgument(fmt::format("{}:{}: unknown key '{}' in {} ({}expected {})", file,
                                               entry.first.Mark().line + 1, key, what,
                                               nearest.empty() ? "" : "did you mean '" + nearest + "'?; ", expected));
  }
  return Status::Ok();
}

}  // namespace leakhound::util
