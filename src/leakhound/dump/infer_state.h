// Wait reasons for formats that print none (`?debug=1`, pprof protobuf): derived from the runtime frames at the top
// of the stack, so that such inputs get the same states ("chan receive", "select", "sync.Mutex.Lock", "IO wait", ...)
// as traceback text. Returns a static string, or an empty view when the frames say nothing.
#ifndef LEAKHOUND_DUMP_INFER_STATE_H_
#define LEAKHOUND_DUMP_INFER_STATE_H_

#include <span>
#include <string_view>

#include "leakhound/dump/model.h"

namespace leakhound::dump {

std::string_view InferState(std::span<const Frame> frames);

}  // namespace leakhound::dump

#endif  // LEAKHOUND_DUMP_INFER_STATE_H_
