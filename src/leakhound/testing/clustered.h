// Test helper: traceback text parsed and clustered at line similarity, the buckets pointing into the Dump kept beside
// them.
#ifndef LEAKHOUND_TESTING_CLUSTERED_H_
#define LEAKHOUND_TESTING_CLUSTERED_H_

#include <memory>
#include <string>
#include <vector>

#include "leakhound/cluster/cluster.h"
#include "leakhound/dump/model.h"
#include "leakhound/dump/reader.h"

namespace leakhound::testing {

struct Clustered {
  dump::Dump dump;
  std::vector<cluster::Bucket> buckets;
};

inline std::unique_ptr<Clustered> ParseAndCluster(std::string text) {
  auto owned = std::make_shared<std::string>(std::move(text));
  std::string_view bytes = *owned;
  auto c = std::make_unique<Clustered>();
  c->dump = dump::ParseDump("t.txt", bytes, owned, dump::ReadOptions{});
  const dump::Dump* dumps[] = {&c->dump};
  c->buckets = cluster::Cluster(dumps, cluster::Similarity::kLine);
  return c;
}

}  // namespace leakhound::testing

#endif  // LEAKHOUND_TESTING_CLUSTERED_H_
