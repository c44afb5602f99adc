#include "leakhound/watch/events.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "leakhound/cluster/cluster.h"
#include "leakhound/util/strings.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::watch {

using json = nlohmann::json;

namespace {

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ms % 1000));
}

}  // namespace

json NewEvent(std::string_view name) {
  json e;
  e["schema"] = kEventSchema;
  e["event"] = name;
  e["time"] = NowIso();
  return e;
}

json AlertJson(const Alert& a) {
  json e = NewEvent("alert");
  // What a webhook receiver de-duplicates on: delivery is at least once.
  e["id"] = fmt::format("{:016x}", util::HashCombine(util::HashCombine(util::HashBytes(a.key), a.round),
                                                     util::HashBytes(e["time"].get<std::string>())));
  e["target"] = a.target;
  e["url"] = a.url;
  e["rule"] = AlertRuleName(a.rule);
  e["message"] = a.message;
  e["round"] = a.round;
  e["goroutines"] = a.total;
  if (!a.bucket.empty()) {
    json b;
    b["name"] = a.bucket;
    b["signature"] = fmt::format("{:016x}", a.signature);
    b["blocking"] = a.blocking;
    b["creating"] = a.creating.empty() ? json(nullptr) : json(a.creating);
    b["state"] = a.state;
    b["count"] = a.count;
    b["growth"] = a.growth;
    b["slope_per_minute"] = a.slope;
    b["samples"] = a.samples;
    b["proven"] = a.proven;
    e["bucket"] = b;
  } else {
    e["bucket"] = nullptr;
  }
  e["verdict"] = a.verdict.empty() ? json(nullptr) : json(a.verdict);
  e["reason"] = a.reason.empty() ? json(nullptr) : json(a.reason);
  e["dump"] = a.dump_path.empty() ? json(nullptr) : json(a.dump_path);
  if (!a.html_path.empty()) e["html"] = a.html_path;
  if (!a.dump_error.empty()) e["dump_error"] = a.dump_error;
  return e;
}

json SlackBody(const Alert& a, const std::string& id) {
  std::string text = fmt::format("*Goroutine leak* ({}) in *{}*: {}", AlertRuleName(a.rule), a.target, a.message);
  if (!a.verdict.empty()) text += fmt::format("\n*{}*: {}", a.verdict, a.reason);
  if (!a.blocking.empty()) text += fmt::format("\nblocked at `{}`", a.blocking);
  if (!a.creating.empty()) text += fmt::format("\n{}", a.creating);
  if (!a.dump_path.empty()) text += fmt::format("\ndump: `{}`", a.dump_path);
  if (!a.html_path.empty()) text += fmt::format(" (page: `{}`)", a.html_path);
  text += fmt::format("\n_leakhound alert {}_", id);
  return json{{"text", text}};
}

void Enrich(dump::Dump& d, const std::unordered_set<uint64_t>& leaked, const verdict::KnowledgeBase& knowledge,
            Alert* a) {
  // A dump taken after a leak-detecting cycle marks the proven goroutines "(leaked)": they count as proof, and are
  // clustered with their stack's other goroutines to find the alert's bucket.
  std::unordered_set<uint64_t> proven_ids = leaked;
  for (dump::Goroutine& g : d.goroutines) {
    if (g.has(dump::kLeaked) && g.id != 0) proven_ids.insert(g.id);
    g.flags &= ~static_cast<uint32_t>(dump::kLeaked);
  }
  const dump::Dump* dumps[] = {&d};
  std::vector<std::vector<uint32_t>> assignment;
  std::vector<cluster::Bucket> buckets = cluster::Cluster(dumps, cluster::Similarity::kLine, &assignment, true);
  const cluster::Bucket* found = nullptr;
  for (const cluster::Bucket& b : buckets) {
    if (b.signature == a->signature) {
      found = &b;
      break;
    }
  }
  uint64_t proven = 0;
  if (found != nullptr && !proven_ids.empty()) {
    const uint32_t index = static_cast<uint32_t>(found - buckets.data());
    for (size_t g = 0; g < d.goroutines.size(); ++g) {
      if (assignment[0][g] == index && proven_ids.count(d.goroutines[g].id)) proven += d.goroutines[g].count;
    }
  }
  if (found == nullptr) {
    if (a->signature != 0) a->reason = "the bucket was not in the dump taken after the alert";
    return;
  }
  // The growth the alert saw is the evidence one dump cannot give (as in `diff`): decided together.
  verdict::Growth growth;
  const verdict::Growth* g = nullptr;
  if (a->rule == AlertRule::kGrowth) {
    growth.snapshots = a->samples;
    growth.growth = a->growth;
    growth.sustained = true;
    growth.detail = fmt::format("+{} in {} samples ({:.1f}/min), never falling", a->growth, a->samples, a->slope);
    g = &growth;
  }
  verdict::Assessment as = verdict::Assess(*found, knowledge, g);
  a->verdict = std::string(verdict::VerdictName(as.verdict));
  a->reason = as.reason;
  if (proven > 0) {
    a->proven = std::max(a->proven, proven);
    a->verdict = "definite";
    a->reason = fmt::format("{} of these {} goroutines proven leaked by the Go runtime's leak detector (goroutineleak "
                            "profile taken with the dump); {}",
                            proven, found->count, as.reason);
  }
  const dump::Frame& c = found->representative->created_by;
  if (!c.function.empty()) {
    a->creating = fmt::format("{} {}:{}", c.function, c.file.substr(c.file.rfind('/') + 1), c.line);
  }
  if (a->state.empty() || a->state == "?") a->state = std::string(found->state());
}


}  // namespace leakhound::watch
