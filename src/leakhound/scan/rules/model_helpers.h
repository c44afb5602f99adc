// Small helpers the model-based rules (LH014-LH018) share.
#ifndef LEAKHOUND_SCAN_RULES_MODEL_HELPERS_H_
#define LEAKHOUND_SCAN_RULES_MODEL_HELPERS_H_

#include <string>
#include <string_view>

#include "leakhound/scan/model.h"

namespace leakhound::scan {

// The object as a reader knows it: "c.mu" for the key "Container.mu" reached from c, "Container.mu" otherwise;
// "done" for "var.done".
std::string ObjectName(std::string_view key, const Object* base);

// A key whose identity can be followed across calls: a package variable, or a field reached from a known variable.
inline bool Trackable(std::string_view key, const Object* base) {
  return key.rfind("var.", 0) == 0 || (key.rfind("local.", 0) != 0 && base != nullptr);
}

// The 1-based line of an event.
inline uint32_t EventLine(const FunctionModel& fm, const SyncEvent& e) { return fm.file->Start(e.node).line; }

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_MODEL_HELPERS_H_
