// The user's bucket filters (--focus, --ignore, --ignore-top), shared by every analysis.
#ifndef LEAKHOUND_VERDICT_FILTER_H_
#define LEAKHOUND_VERDICT_FILTER_H_

#include <optional>
#include <regex>
#include <string>

#include "leakhound/cluster/cluster.h"
#include "leakhound/util/status.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

class BucketFilter {
 public:
  // Compiles the ECMAScript patterns; an empty pattern filters nothing. Fails naming the flag of a bad pattern.
  static util::Result<BucketFilter> Make(const std::string& focus, const std::string& ignore,
                                         const std::string& ignore_top);

  // --focus: a frame or the creator matches. --ignore: none does. --ignore-top: neither the leaf nor the blocking
  // frame matches.
  bool Keep(const cluster::Bucket& bucket, const Assessment& assessment) const;

 private:
  std::optional<std::regex> focus_, ignore_, ignore_top_;
};

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_FILTER_H_
