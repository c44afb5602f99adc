#include "leakhound/cluster/cluster.h"

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <unordered_set>

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

bool IsRuntimeFrame(const Frame& f) {
  return util::StartsWith(f.function, "runtime.") || util::StartsWith(f.function, "internal/runtime/");
}

// The frames every format prints: tracebacks hide runtime frames at the top that pprof shows, and debug=1 adds
// runtime.main / runtime.goexit at the bottom.
std::span<const Frame> PortableFrames(std::span<const Frame> frames) {
  size_t begin = 0, end = frames.size();
  while (begin < end && IsRuntimeFrame(frames[begin])) ++begin;
  while (end > begin && IsRuntimeFrame(frames[end - 1])) --end;
  return frames.subspan(begin, end - begin);
}

// Goroutines the runtime proved leaked never share a bucket with ones it did not: the proof is per goroutine.
constexpr uint64_t kLeakedSalt = 0x9e3779b97f4a7c15ULL;

uint64_t PortableSignature(const Dump& d, const Goroutine& g, Similarity s) {
  uint64_t h = g.has(dump::kLeaked) ? kLeakedSalt : 0x2545f4914f6cdd1dULL;
  for (const Frame& f : PortableFrames(d.FramesOf(g))) h = util::HashCombine(h, FrameHash(f, s));
  return h;
}

uint64_t Signature(const Dump& d, const Goroutine& g, Similarity s) {
  uint64_t h = util::HashBytes(g.state);
  if (g.has(dump::kLeaked)) h = util::HashCombine(h, kLeakedSalt);
  for (const Frame& f : d.FramesOf(g)) h = util::HashCombine(h, FrameHash(f, s));
  if (!g.created_by.function.empty()) {
    // The creator by function (func), function and line (line), function and file:line (exact); never arguments.
    h = util::HashCombine(h, util::HashBytes(g.created_by.function, 0x5bd1e995u));
    if (s != Similarity::kFunc) h = util::HashCombine(h, g.created_by.line);
    if (s == Similarity::kExact) h = util::HashCombine(h, util::HashBytes(g.created_by.file));
  }
  return h;
}

bool SameFrame(const Frame& a, const Frame& b, Similarity s) {
  if (a.function != b.function) return false;
  if (s == Similarity::kFunc) return true;
  if (a.file != b.file || a.line != b.line) return false;
  return s != Similarity::kExact || a.args == b.args;
}

bool SamePortableStack(const Dump& da, const Goroutine& a, const Dump& db, const Goroutine& b, Similarity s) {
  if (a.has(dump::kLeaked) != b.has(dump::kLeaked)) return false;
  auto fa = PortableFrames(da.FramesOf(a));
  auto fb = PortableFrames(db.FramesOf(b));
  if (fa.size() != fb.size()) return false;
  for (size_t i = 0; i < fa.size(); ++i) {
    if (!SameFrame(fa[i], fb[i], s == Similarity::kExact ? Similarity::kLine : s)) return false;
  }
  return true;
}

bool SameStack(const Dump& da, const Goroutine& a, const Dump& db, const Goroutine& b, Similarity s) {
  if (a.state != b.state || a.frames_size != b.frames_size) return false;
  if (a.has(dump::kLeaked) != b.has(dump::kLeaked)) return false;
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
std::vector<uint64_t> Signatures(const Dump& d, Similarity s, bool portable) {
  const size_t n = d.goroutines.size();
  std::vector<uint64_t> sigs(n);
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (portable) {
    // Argument values differ between formats (debug=0/1 print none): portable signatures stop at file:line.
    Similarity level = s == Similarity::kExact ? Similarity::kLine : s;
    for (size_t i = 0; i < n; ++i) sigs[i] = PortableSignature(d, d.goroutines[i], level);
    return sigs;
  }
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

std::vector<int8_t> CreatorGone(const Dump& d) {
  std::vector<int8_t> out(d.goroutines.size(), -1);
  if (d.format != dump::Format::kTraceback) return out;
  struct Snapshot {
    std::unordered_set<uint64_t> ids;
    bool complete = true;
  };
  std::unordered_map<uint32_t, Snapshot> snaps;
  for (const Goroutine& g : d.goroutines) {
    Snapshot& s = snaps[g.snapshot];
    if (g.id != 0) s.ids.insert(g.id);
    if (g.has(dump::kTruncated) || g.has(dump::kPartialSnapshot)) s.complete = false;
  }
  for (size_t i = 0; i < d.goroutines.size(); ++i) {
    const Goroutine& g = d.goroutines[i];
    if (g.parent_id == 0) continue;
    const Snapshot& s = snaps[g.snapshot];
    if (!s.complete || s.ids.size() < 2) continue;
    out[i] = s.ids.count(g.parent_id) ? 0 : 1;
  }
  return out;
}

std::vector<uint8_t> ConnectionSiblings(const Dump& d) {
  std::vector<uint8_t> out(d.goroutines.size(), 0);
  if (d.format != dump::Format::kTraceback) return out;
  // (snapshot, creator) pairs that created a goroutine waiting on the network.
  std::unordered_set<uint64_t> io_parents;
  for (const Goroutine& g : d.goroutines) {
    if (g.parent_id != 0 && g.state == "IO wait") io_parents.insert(util::HashCombine(g.snapshot, g.parent_id));
  }
  if (io_parents.empty()) return out;
  for (size_t i = 0; i < d.goroutines.size(); ++i) {
    const Goroutine& g = d.goroutines[i];
    if (g.parent_id != 0 && g.state != "IO wait" && io_parents.count(util::HashCombine(g.snapshot, g.parent_id))) {
      out[i] = 1;
    }
  }
  return out;
}

std::string_view SimilarityName(Similarity s) {
  switch (s) {
    case Similarity::kExact: return "exact";
    case Similarity::kLine: return "line";
    case Similarity::kFunc: return "func";
  }
  return "line";
}

std::vector<Bucket> Cluster(std::span<const Dump* const> dumps, Similarity similarity,
                            std::vector<std::vector<uint32_t>>* assignment, bool portable) {
  std::vector<Bucket> buckets;
  std::unordered_map<uint64_t, size_t> index;
  if (assignment != nullptr) assignment->assign(dumps.size(), {});
  for (size_t di = 0; di < dumps.size(); ++di) {
    const Dump& d = *dumps[di];
    std::vector<uint64_t> sigs = Signatures(d, similarity, portable);
    std::vector<int8_t> gone = CreatorGone(d);
    std::vector<uint8_t> siblings = ConnectionSiblings(d);
    if (assignment != nullptr) (*assignment)[di].resize(d.goroutines.size());
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
        if (portable ? SamePortableStack(*cand.dump, *cand.representative, d, g, similarity)
                     : SameStack(*cand.dump, *cand.representative, d, g, similarity)) {
          b = &cand;
          break;
        }
        key = util::Mix64(key + 1);
      }
      if (assignment != nullptr) (*assignment)[di][gi] = static_cast<uint32_t>(b - buckets.data());
      b->count += g.count;
      if (g.has(dump::kLeaked)) b->leaked += g.count;
      if (siblings[gi]) b->connection_siblings += g.count;
      if (gone[gi] >= 0) {
        b->creator_known += g.count;
        if (gone[gi] == 1) b->creator_gone += g.count;
      }
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
  std::vector<uint32_t> order(buckets.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return buckets[a].count > buckets[b].count; });
  std::vector<Bucket> sorted;
  sorted.reserve(buckets.size());
  std::vector<uint32_t> new_index(buckets.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    sorted.push_back(std::move(buckets[order[i]]));
  }
  if (assignment != nullptr) {
    for (auto& per_dump : *assignment) {
      for (uint32_t& b : per_dump) b = new_index[b];
    }
  }
  return sorted;
}

}  // namespace leakhound::cluster
