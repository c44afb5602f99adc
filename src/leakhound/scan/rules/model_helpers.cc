#include "leakhound/scan/rules/model_helpers.h"

namespace leakhound::scan {

std::string ObjectName(std::string_view key, const Object* base) {
  if (key.rfind("var.", 0) == 0) return std::string(key.substr(4));
  if (key.rfind("local.", 0) == 0) return "the local variable";
  const size_t dot = key.find('.');
  if (base != nullptr && dot != std::string_view::npos) return std::string(base->name) + std::string(key.substr(dot));
  return std::string(key);
}

}  // namespace leakhound::scan
