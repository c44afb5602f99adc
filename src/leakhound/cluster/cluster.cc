#include "leakhound/cluster/cluster.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "leakhound/util/strings.h"

namespace leakhound::cluster {
namespace {

using dump::Dump;
using dump::Frame;
using dump::Goroutine;

uint64_t FrameHash(const Frame& f, Similarity s) {
  uint64_t h = util::HashBytes(f.function);
  if (s == Similarity::kFunc) return h;
  h = util::HashCombine(h, util::HashBytes(f.file, f.line));
  if (s == Similarity::kExact) h = util::HashCombine(h, util::HashBytes(f.args));
  return h;
}

uint64_t Signature(const Dump& d, const Goroutine& g, Similarity s) {
  uint64_t h = util::HashBytes(g.state);
  for (const Frame& f : d.FramesOf(g)) h = util::HashCombine(h, FrameHash(f, s));
  if (!g.created_by.function.empty()) {
    h = util::HashCombine(h, 0x5bd1e995u);
    Frame creator = g.created_by;
    if (s == Similarity::kLine) creator.file = {};
    h = util::HashCombine(h, FrameHash(creator, s == Similarity::kExact ? Similarity::kLine : s));
    if (s == Similarity::kLine) h = util::HashCombine(h, creator.line);
  }
  return h;
}

bool SameFrame(const Frame& a, const Frame& b, Similarity s) {
  if (a.function != b.function) return false;
  if (s == Similarity::kFunc) return true;
  if (a.file != b.file || a.line != b.line) return false;
  return s != Similarity::kExact || a.args == b.args;
}

bool SameStack(const Dump& da, const Goroutine& a, const Dump& db, const Goroutine& b, Similarity s) {
  if (a.state != b.state || a.frames_size != b.frames_size) return false;
  if (a.created_by.function != b.created_by.function) return false;
  if (s != Similarity::kFunc && a.created_by.line != b.created_by.line) return false;
  if (s == Similarity::kExact && a.created_by.file != b.created_by.file) return false;
  auto fa = da.FramesOf(a);
  auto fb = db.FramesOf(b);
  for (size_t i = 0; i < fa.size(); ++i) {
    if (!SameFrame(fa[i], fb[i], s)) return false;
  }
  return true;
}

// Signatures of all goroutines of one dump, computed on all cores for large dumps.
std::vector<uint64_t> Signatures(const Dump& d, Similarity s) {
  const size_t n = d.goroutines.size();
  std::vector<uint64_t> sigs(n);
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (n < 20000 || threads == 1) {
    for (size_t i = 0; i < n; ++i) sigs[i] = Signature(d, d.goroutines[i], s);
    return sigs;
  }
  std::vector<std::thread> pool;
  size_t per = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    size_t begin = t * per, end = std::min(n, begin + per);
    if (begin >= end) break;
    pool.emplace_back([&, begin, end] {
      for (size_t i = begin; i < end; ++i) sigs[i] = Signature(d, d.goroutines[i], s);
    });
  }
  for (std::thread& t : pool) t.join();
  return sigs;
}

}  // namespace

std::string_view SimilarityName(Similarity s) {
  switch (s) {
    case Similarity::kExact: return "exact";
    case Similarity::kLine: return "line";
    case Similarity::kFunc: return "func";
  }
  return "line";
}

std::vector<Bucket> Cluster(std::span<const Dump* const> dumps, Similarity similarity) {
  std::vector<Bucket> buckets;
  std::unordered_map<uint64_t, size_t> index;
  for (size_t di = 0; di < dumps.size(); ++di) {
    const Dump& d = *dumps[di];
    std::vector<uint64_t> sigs = Signatures(d, similarity);
    for (size_t gi = 0; gi < d.goroutines.size(); ++gi) {
      const Goroutine& g = d.goroutines[gi];
      uint64_t key = sigs[gi];
      Bucket* b = nullptr;
      // Open addressing over the signature space resolves the (rare) hash collisions.
      for (;;) {
        auto [it, inserted] = index.try_emplace(key, buckets.size());
        if (inserted) {
          buckets.emplace_back();
          b = &buckets.back();
          b->signature = sigs[gi];
          b->dump = &d;
          b->representative = &g;
          b->per_dump.assign(dumps.size(), 0);
          break;
        }
        Bucket& cand = buckets[it->second];
        if (SameStack(*cand.dump, *cand.representative, d, g, similarity)) {
          b = &cand;
          break;
        }
        key = util::Mix64(key + 1);
      }
      b->count += g.count;
      if (g.has(dump::kLeaked)) b->leaked += g.count;
      if (g.wait_minutes >= 0) {
        b->wait_min = b->wait_min < 0 ? g.wait_minutes : std::min(b->wait_min, g.wait_minutes);
        b->wait_max = std::max(b->wait_max, g.wait_minutes);
      }
      if (g.id != 0 && b->ids.size() < Bucket::kMaxIds) b->ids.push_back(g.id);
      if (g.parent_id != 0 && b->parents.size() < Bucket::kMaxParents &&
          std::find(b->parents.begin(), b->parents.end(), g.parent_id) == b->parents.end()) {
        b->parents.push_back(g.parent_id);
      }
      b->per_dump[di] += g.count;
    }
  }
  std::stable_sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) { return a.count > b.count; });
  return buckets;
}

}  // namespace leakhound::cluster
