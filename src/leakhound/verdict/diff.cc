#include "leakhound/verdict/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <regex>
#include <unordered_set>

#include "leakhound/util/strings.h"
#include "leakhound/verdict/filter.h"
#include "leakhound/verdict/trend.h"

namespace leakhound::verdict {

namespace {

std::string Rate(double per, bool timed) { return fmt::format("{:.1f}/{}", per, timed ? "min" : "snapshot"); }

}  // namespace

std::string_view ChangeName(Change c) {
  switch (c) {
    case Change::kNew: return "new";
    case Change::kGrown: return "grown";
    case Change::kSame: return "same";
    case Change::kShrunk: return "shrunk";
    case Change::kVanished: return "vanished";
  }
  return "same";
}

std::optional<double> TimestampMinutes(std::string_view name) {
  static const std::regex kDate(R"((\d{4})-?(\d{2})-?(\d{2})[T_ .-]?(\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?)");
  static const std::regex kEpoch(R"((?:^|[^0-9])(1[5-9]\d{8})(?:[^0-9]|$))");
  std::string s(name);
  size_t slash = s.find_last_of('/');
  if (slash != std::string::npos) s = s.substr(slash + 1);
  std::smatch m;
  if (std::regex_search(s, m, kDate)) {
    std::tm tm{};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = std::stoi(m[4]);
    tm.tm_min = std::stoi(m[5]);
    tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59) {
      return std::nullopt;
    }
    return static_cast<double>(timegm(&tm)) / 60.0;
  }
  if (std::regex_search(s, m, kEpoch)) return std::stod(m[1]) / 60.0;
  return std::nullopt;
}

util::Result<Diff> DiffDumps(std::span<const dump::Dump> dumps, const DiffOptions& options) {
  auto filter = BucketFilter::Make(options.focus, options.ignore, "");
  if (!filter.ok()) return filter.status();
  Diff out;
  const size_t n = dumps.size();

  // Times: --interval, else timestamps in the names (all or nothing).
  std::vector<double> x(n);
  std::vector<std::optional<double>> stamps(n);
  bool all_stamped = true;
  for (size_t i = 0; i < n; ++i) {
    stamps[i] = TimestampMinutes(dumps[i].name);
    all_stamped = all_stamped && stamps[i].has_value();
  }
  out.timed = options.interval_minutes > 0 || all_stamped;
  for (size_t i = 0; i < n; ++i) {
    if (options.interval_minutes > 0) {
      x[i] = options.interval_minutes * static_cast<double>(i);
    } else if (all_stamped) {
      x[i] = *stamps[i] - *stamps[0];
    } else {
      x[i] = static_cast<double>(i);
    }
    SnapshotInfo s;
    s.name = dumps[i].name;
    s.format = dumps[i].format;
    s.goroutines = dumps[i].TotalGoroutines();
    if (out.timed) s.minute = x[i];
    s.diagnostics = dumps[i].diagnostics;
    out.snapshots.push_back(std::move(s));
  }
  out.total_growth = static_cast<int64_t>(out.snapshots.back().goroutines) -
                     static_cast<int64_t>(out.snapshots.front().goroutines);
  const double span = x.back() - x.front();

  std::vector<const dump::Dump*> ptrs;
  for (const dump::Dump& d : dumps) ptrs.push_back(&d);
  std::vector<std::vector<uint32_t>> assignment;
  // Snapshots of different formats print different things: match them on what they all print. The representative
  // is then taken from the richest format (a traceback, if any) so that states and creators are shown.
  bool mixed = false;
  for (const dump::Dump& d : dumps) mixed = mixed || d.format != dumps.front().format;
  std::vector<cluster::Bucket> buckets = cluster::Cluster(ptrs, options.similarity, &assignment, mixed);

  if (mixed) {
    for (size_t di = 0; di < n; ++di) {
      if (dumps[di].format != dump::Format::kTraceback) continue;
      for (size_t g = 0; g < dumps[di].goroutines.size(); ++g) {
        cluster::Bucket& b = buckets[assignment[di][g]];
        if (b.dump->format != dump::Format::kTraceback) {
          b.dump = &dumps[di];
          b.representative = &dumps[di].goroutines[g];
        }
      }
    }
  }

  // Stuck ids: in the same bucket in the first and the last snapshot (both must print ids).
  std::vector<std::unordered_set<uint64_t>> first_ids(buckets.size());
  const dump::Dump& first = dumps.front();
  const bool ids_known = first.format == dump::Format::kTraceback && dumps.back().format == dump::Format::kTraceback;
  for (size_t g = 0; ids_known && g < first.goroutines.size(); ++g) {
    if (first.goroutines[g].id != 0) first_ids[assignment[0][g]].insert(first.goroutines[g].id);
  }
  std::vector<uint64_t> stuck(buckets.size(), 0);
  // What the latest snapshot alone says of each bucket: proven leaked, creators known and gone.
  std::vector<uint64_t> last_leaked(buckets.size(), 0), last_creator_known(buckets.size(), 0),
      last_creator_gone(buckets.size(), 0);
  {
    const dump::Dump& d = dumps.back();
    std::vector<int8_t> gone = cluster::CreatorGone(d);
    for (size_t g = 0; g < d.goroutines.size(); ++g) {
      uint32_t bi = assignment[n - 1][g];
      if (d.goroutines[g].has(dump::kLeaked)) last_leaked[bi] += d.goroutines[g].count;
      if (gone[g] >= 0) last_creator_known[bi] += d.goroutines[g].count;
      if (gone[g] == 1) last_creator_gone[bi] += d.goroutines[g].count;
    }
  }
  const dump::Dump& last = dumps.back();
  for (size_t g = 0; g < last.goroutines.size(); ++g) {
    uint32_t b = assignment[n - 1][g];
    if (last.goroutines[g].id != 0 && first_ids[b].count(last.goroutines[g].id)) ++stuck[b];
  }

  // Each bucket's evidence first, then one decision over all of them (a stuck creator is evidence for its children).
  std::vector<DiffBucket> pending(buckets.size());
  std::vector<Evidence> evidence(buckets.size());
  const KnowledgeBase& kb = options.knowledge ? *options.knowledge : KnowledgeBase::BuiltIn();
  for (size_t bi = 0; bi < buckets.size(); ++bi) {
    cluster::Bucket& b = buckets[bi];
    DiffBucket& db = pending[bi];
    db.counts = b.per_dump;
    db.growth = static_cast<int64_t>(db.counts.back()) - static_cast<int64_t>(db.counts.front());
    if (n >= 3 || out.timed) db.slope = LeastSquaresSlope(x, db.counts);
    db.monotonic = MonotonicTest(db.counts).growing();
    db.first_ids = first_ids[bi].size();
    db.stuck = stuck[bi];
    if (db.counts.front() == 0) {
      db.change = Change::kNew;
    } else if (db.counts.back() == 0) {
      db.change = Change::kVanished;
    } else if (db.growth > 0) {
      db.change = Change::kGrown;
    } else if (db.growth < 0) {
      db.change = Change::kShrunk;
    } else {
      db.change = Change::kSame;
    }

    // The evidence of the latest snapshot's view of the bucket, and of its growth: one decision (verdict.cc).
    b.count = db.counts.back();
    b.leaked = last_leaked[bi];
    b.creator_known = last_creator_known[bi];
    b.creator_gone = last_creator_gone[bi];
    const bool grew = (db.change == Change::kGrown || db.change == Change::kNew) && db.growth >= options.min_growth;
    const double stuck_share = db.first_ids > 0 ? static_cast<double>(db.stuck) / static_cast<double>(db.first_ids)
                                                : 0.0;
    const bool steady = n >= 3 ? db.monotonic : true;
    const bool kept = db.first_ids == 0 || db.change == Change::kNew || stuck_share >= 0.5;
    Growth growth;
    growth.snapshots = n;
    growth.growth = db.growth;
    growth.first_ids = db.first_ids;
    growth.stuck = db.stuck;
    // Goroutines that come and go with load (server connections, library workers: benign on one snapshot) must grow
    // by more than a few.
    Evidence& e = evidence[bi];
    e = GatherEvidence(b, kb);
    const bool enough = Decide(e).verdict != Verdict::kBenign || db.growth >= 10;
    growth.sustained = grew && steady && kept && enough;
    growth.detail = fmt::format("+{}", util::WithCommas(static_cast<uint64_t>(std::max<int64_t>(db.growth, 0))));
    if (out.timed && span > 0) growth.detail += " in " + util::FormatSpan(span);
    if (db.slope) growth.detail += fmt::format(" ({})", Rate(*db.slope, out.timed));
    if (n >= 3 && db.monotonic) growth.detail += ", rising in every snapshot";
    if (db.first_ids > 0) growth.detail += fmt::format(", {:.0f} % of ids stuck", stuck_share * 100);
    const dump::Frame& c = b.representative->created_by;
    if (!c.function.empty()) {
      growth.detail += fmt::format(", created by {} {}:{}", c.function, c.file.substr(c.file.rfind('/') + 1), c.line);
    }
    e.growth = growth;
  }
  std::vector<Assessment> assessed = DecideWithCreators(evidence, dumps.back(), assignment[n - 1]);
  for (size_t bi = 0; bi < buckets.size(); ++bi) {
    cluster::Bucket& b = buckets[bi];
    DiffBucket& db = pending[bi];
    db.assessment = std::move(assessed[bi]);
    if (db.change == Change::kVanished) {
      db.assessment.verdict = Verdict::kActive;
      db.assessment.score = 0;
      db.assessment.rule = "vanished";
      db.assessment.reason = "gone in the last snapshot";
    }
    if (!filter->Keep(b, db.assessment)) continue;
    switch (db.change) {
      case Change::kNew: ++out.added; break;
      case Change::kGrown: ++out.grown; break;
      case Change::kSame: ++out.unchanged; break;
      case Change::kShrunk: ++out.shrunk; break;
      case Change::kVanished: ++out.vanished; break;
    }
    if (db.assessment.verdict == Verdict::kDefinite) ++out.definite;
    if (db.assessment.verdict == Verdict::kSuspect) ++out.suspect;
    db.bucket = std::move(b);
    out.buckets.push_back(std::move(db));
  }
  std::stable_sort(out.buckets.begin(), out.buckets.end(), [](const DiffBucket& a, const DiffBucket& b) {
    if (a.growth != b.growth) return a.growth > b.growth;
    return a.counts.back() > b.counts.back();
  });
  out.kept_buckets = out.buckets.size();
  if (options.top > 0 && out.buckets.size() > options.top) out.buckets.resize(options.top);
  return out;
}

}  // namespace leakhound::verdict
