// The knowledge base of known goroutine signatures: what every healthy Go program runs (benign), resources that are
// fine in small numbers and a leak in large ones (idle-resource), and library goroutines known to leak
// (known-leak). The built-in base is src/leakhound/verdict/knowledge.yaml, compiled in; a project's .leakhound.yaml
// adds signatures and goleak-style ignores (by top function, by any function, by creator), each with its reason.
//
// A KnowledgeBase is immutable once built and may be shared between threads.
#ifndef LEAKHOUND_VERDICT_KNOWLEDGE_H_
#define LEAKHOUND_VERDICT_KNOWLEDGE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/util/status.h"

namespace leakhound::verdict {

enum class Category { kBenign, kIdleResource, kKnownLeak };
std::string_view CategoryName(Category c);

struct Signature {
  // kWaitsIn: the goroutine waits in PREFIX: a frame matches and every frame above it (towards the leaf) is of the
  // standard library or of the matched function's own module. A goroutine that waits in other code (a handler under
  // net/http's conn.serve, a callback under a library loop) does not match. kAny: some frame matches, wherever the
  // goroutine waits (goleak's IgnoreAnyFunction; for a project's ignores).
  enum class Match { kWaitsIn, kAny, kTop, kCreator };
  std::string id;
  Match match = Match::kAny;
  std::string prefix;       // function-name prefix
  std::string via;          // kWaitsIn: the matched frame's callee must start with this; empty: any
  std::string state;        // wait-reason prefix; empty: any
  Category category = Category::kBenign;
  uint64_t max = 0;         // idle-resource: more than this in one bucket is a leak
  uint64_t per = 0;         // idle-resource: goroutines per object (a cache that starts 5 workers: 5); 0: unknown
  std::string object;       // what one object is called ("cache"), for "≈5 caches"
  std::string objects;      // plural
  int32_t max_wait = 0;     // idle-resource: waiting longer than this (minutes) is a leak; 0: no limit
  std::string explanation;
  std::string fix;
  std::string origin;       // "built-in" or "FILE:LINE"
};

class KnowledgeBase {
 public:
  // The compiled-in base.
  static const KnowledgeBase& BuiltIn();

  // Parses a knowledge file: `signatures:` entries as in knowledge.yaml, and `ignore:` entries
  // ({top|any|creator: PREFIX, reason: TEXT}) that make matching buckets benign. Errors name `source` and the line.
  static util::Result<KnowledgeBase> Parse(std::string_view yaml, const std::string& source);

  // The built-in base with a project's file in front of it (its entries win).
  static util::Result<KnowledgeBase> WithProjectFile(const std::string& path);

  // The first signature matching a goroutine with these frames, state and creator; nullptr when none does.
  // `blocking_frame` indexes `frames` (the frame a `top` match looks at, besides the leaf).
  const Signature* Match(std::span<const dump::Frame> frames, size_t blocking_frame, std::string_view state,
                         std::string_view creator) const;

  const std::vector<Signature>& signatures() const { return signatures_; }

 private:
  std::vector<Signature> signatures_;
};

// Finds the project file: `explicit_path` if given, else .leakhound.yaml in the current directory or the nearest
// parent. Empty when there is none.
std::string FindProjectFile(const std::string& explicit_path);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_KNOWLEDGE_H_
