#include "leakhound/watch/discovery.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "leakhound/util/strings.h"

namespace leakhound::watch {

using util::Result;
using util::Status;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Group {
  std::vector<std::string> addresses;
  Labels labels;
};

const std::string* Find(const Labels& labels, std::string_view key) {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool LabelNameOk(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// One discovered address with its labels as a Target; an error names `where`.
Result<Target> FromAddress(std::string address, const Labels& labels, const std::string& where,
                           const SdTargetOptions& sd, const Rules& rules, Millis timeout) {
  const std::string* scheme_label = Find(labels, "__scheme__");
  std::string scheme = scheme_label && !scheme_label->empty() ? *scheme_label : "http";
  std::string url;
  const std::string* named = sd.pprof_label.empty() ? nullptr : Find(labels, sd.pprof_label);
  if (named && !named->empty()) {
    url = named->find("://") != std::string::npos ? *named : scheme + "://" + *named;
  } else {
    if (address.empty() || address.find('/') != std::string::npos) {
      return Status::InvalidArgument(fmt::format("{}: '{}' is not a HOST:PORT address", where, address));
    }
    if (sd.pprof_port > 0) {
      // Replace the port (an IPv6 address is bracketed: [::1]:9090).
      const size_t bracket = address.rfind(']');
      const size_t colon = address.rfind(':');
      if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) address.resize(colon);
      address += ":" + std::to_string(sd.pprof_port);
    }
    url = scheme + "://" + address;
  }
  auto target = MakeTarget(url, rules, timeout);
  if (!target.ok()) return Status::InvalidArgument(where + ": " + target.status().message());
  target->profile = sd.profile;
  if (const std::string* instance = Find(labels, "instance"); instance && !instance->empty()) {
    target->name = *instance;
  }
  for (const auto& [k, v] : labels) {
    // `instance` is the target's name (its `target` label) already.
    if (util::StartsWith(k, "__") || !LabelNameOk(k) || (k == "instance" && target->name == v)) continue;
    const bool ours = k == "target" || k == "bucket" || k == "site" || k == "reason" || k == "rule" || k == "shard";
    target->labels.emplace_back(ours ? "exported_" + k : k, v);
  }
  return target;
}

Result<std::vector<Group>> GroupsFromJson(std::string_view text, const std::string& source) {
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::InvalidArgument(source + ": not JSON");
  if (!root.is_array()) return Status::InvalidArgument(source + ": expected a list of {targets, labels} groups");
  std::vector<Group> groups;
  for (size_t i = 0; i < root.size(); ++i) {
    const json& g = root[i];
    const std::string where = fmt::format("{}: group {}", source, i);
    if (!g.is_object()) return Status::InvalidArgument(where + ": not an object");
    Group group;
    if (auto t = g.find("targets"); t != g.end()) {
      if (!t->is_array()) return Status::InvalidArgument(where + ": targets must be a list of strings");
      for (const json& a : *t) {
        if (!a.is_string()) return Status::InvalidArgument(where + ": targets must be a list of strings");
        group.addresses.push_back(a.get<std::string>());
      }
    }
    if (auto l = g.find("labels"); l != g.end() && !l->is_null()) {
      if (!l->is_object()) return Status::InvalidArgument(where + ": labels must be a map of strings");
      for (auto it = l->begin(); it != l->end(); ++it) {
        if (!it.value().is_string()) {
          return Status::InvalidArgument(fmt::format("{}: label {} is not a string", where, it.key()));
        }
        group.labels.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

Result<std::vector<Group>> GroupsFromYaml(std::string_view text, const std::string& source) {
  std::vector<Group> groups;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) return groups;  // an empty file: no targets
    if (!root.IsSequence()) return Status::InvalidArgument(source + ": expected a list of {targets, labels} groups");
    for (size_t i = 0; i < root.size(); ++i) {
      const YAML::Node g = root[i];
      const std::string where = fmt::format("{}:{}: group {}", source, g.Mark().line + 1, i);
      if (!g.IsMap()) return Status::InvalidArgument(where + ": not a map");
      for (const auto& kv : g) {
        const std::string key = kv.first.as<std::string>();
        if (key != "targets" && key != "labels") {
          return Status::InvalidArgument(fmt::format("{}: unknown key '{}' (targets, labels)", where, key));
        }
      }
      Group group;
      if (YAML::Node t = g["targets"]) {
        if (!t.IsSequence()) return Status::InvalidArgument(where + ": targets must be a list");
        for (const auto& a : t) group.addresses.push_back(a.as<std::string>());
      }
      if (YAML::Node l = g["labels"]; l && !l.IsNull()) {
        if (!l.IsMap()) return Status::InvalidArgument(where + ": labels must be a map");
        for (const auto& kv : l) group.labels.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
      }
      groups.push_back(std::move(group));
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(fmt::format("{}: {}", source, e.what()));
  }
  return groups;
}

bool SameTargets(const std::vector<Target>& a, const std::vector<Target>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].base != b[i].base || a[i].name != b[i].name || a[i].labels != b[i].labels) return false;
  }
  return true;
}

}  // namespace

bool Shard::Owns(const Target& t) const { return count <= 1 || TargetHash(t) % count == index; }

std::string Shard::Label() const { return fmt::format("{}/{}", index + 1, count); }

Result<Shard> ParseShard(std::string_view text) {
  const size_t slash = text.find('/');
  auto i = slash == std::string_view::npos ? std::nullopt : util::ParseUint(text.substr(0, slash));
  auto n = slash == std::string_view::npos ? std::nullopt : util::ParseUint(text.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 1 || *i > *n || *n > 1000000) {
    return Status::InvalidArgument(fmt::format("--shard '{}': expected I/N with 1 <= I <= N (2/3: the second of three)",
                                               text));
  }
  return Shard{static_cast<uint32_t>(*i - 1), static_cast<uint32_t>(*n)};
}

uint64_t TargetHash(const Target& t) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : t.base) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Result<std::vector<Target>> ParseSdGroups(std::string_view text, bool yaml, const std::string& source,
                                          const SdTargetOptions& sd, const Rules& rules, Millis timeout) {
  auto groups = yaml ? GroupsFromYaml(text, source) : GroupsFromJson(text, source);
  if (!groups.ok()) return groups.status();
  std::vector<Target> out;
  for (size_t i = 0; i < groups->size(); ++i) {
    const Group& g = (*groups)[i];
    for (const std::string& address : g.addresses) {
      auto t = FromAddress(address, g.labels, fmt::format("{}: group {}", source, i), sd, rules, timeout);
      if (!t.ok()) return t.status();
      out.push_back(std::move(t).value());
    }
  }
  return out;
}

Result<std::vector<Target>> ParsePrometheusTargets(std::string_view json_text, const std::string& source,
                                                   const PrometheusSelector& select, const SdTargetOptions& sd,
                                                   const Rules& rules, Millis timeout) {
  json root = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return Status::InvalidArgument(source + ": not Prometheus API JSON");
  if (root.value("status", "") != "success") {
    return Status::InvalidArgument(fmt::format("{}: status {}: {}", source, root.value("status", "?"),
                                               root.value("error", "")));
  }
  const json* active = nullptr;
  if (auto d = root.find("data"); d != root.end() && d->is_object()) {
    if (auto a = d->find("activeTargets"); a != d->end() && a->is_array()) active = &*a;
  }
  if (!active) return Status::InvalidArgument(source + ": no data.activeTargets");
  std::vector<Target> out;
  for (size_t i = 0; i < active->size(); ++i) {
    const json& t = (*active)[i];
    if (!t.is_object()) continue;
    Labels labels;
    if (auto l = t.find("labels"); l != t.end() && l->is_object()) {
      for (auto it = l->begin(); it != l->end(); ++it) {
        if (it.value().is_string()) labels.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    const std::string* job = Find(labels, "job");
    if (!select.jobs.empty() &&
        (!job || std::find(select.jobs.begin(), select.jobs.end(), *job) == select.jobs.end())) {
      continue;
    }
    bool matches = true;
    for (const auto& [k, v] : select.match) {
      const std::string* have = Find(labels, k);
      matches = matches && have && *have == v;
    }
    if (!matches) continue;
    // The scrape URL's scheme and address: what Prometheus really scrapes, after relabelling.
    std::string scrape = t.value("scrapeUrl", "");
    const size_t scheme_end = scrape.find("://");
    if (scheme_end == std::string::npos) continue;
    const size_t path = scrape.find('/', scheme_end + 3);
    std::string address = scrape.substr(scheme_end + 3, path == std::string::npos ? std::string::npos
                                                                                   : path - scheme_end - 3);
    labels.emplace_back("__scheme__", scrape.substr(0, scheme_end));
    if (auto d = t.find("discoveredLabels"); d != t.end() && d->is_object() && !sd.pprof_label.empty()) {
      // The pprof label may be a discovered (meta) label that relabelling dropped.
      if (auto v = d->find(sd.pprof_label); v != d->end() && v->is_string() && !Find(labels, sd.pprof_label)) {
        labels.emplace_back(sd.pprof_label, v->get<std::string>());
      }
    }
    auto target = FromAddress(address, labels, fmt::format("{}: activeTargets[{}]", source, i), sd, rules, timeout);
    if (!target.ok()) return target.status();
    out.push_back(std::move(target).value());
  }
  return out;
}

Discovery::Discovery(Options options, Rules rules, Millis target_timeout, Fetch fetch)
    : options_(std::move(options)), rules_(rules), target_timeout_(target_timeout), fetch_(std::move(fetch)) {
  auto add = [this](Source::Kind kind, std::string where) {
    Source s;
    s.kind = kind;
    s.where = std::move(where);
    sources_.push_back(std::move(s));
  };
  for (const std::string& f : options_.files) add(Source::kFile, f);
  for (const std::string& u : options_.http) add(Source::kHttp, u);
  if (!options_.prometheus.empty()) {
    std::string base = options_.prometheus;
    while (!base.empty() && base.back() == '/') base.pop_back();
    add(Source::kPrometheus, base + "/api/v1/targets?state=active");
  }
}

Discovery::~Discovery() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Discovery::PollOnce(Clock::time_point now, std::vector<std::string>* errors) {
  bool changed = false;
  for (Source& s : sources_) {
    if (now < s.next) continue;
    Result<std::vector<Target>> parsed = std::vector<Target>{};
    if (s.kind == Source::kFile) {
      s.next = now + std::chrono::seconds(1);
      struct stat st {};
      if (::stat(s.where.c_str(), &st) != 0) {
        // A file that is gone (or not there yet) has no targets, as in Prometheus.
        if (s.stamp_size != -2) {
          s.stamp_ns = -1, s.stamp_size = -2;
          changed = changed || !s.targets.empty();
          s.targets.clear();
          errors->push_back(fmt::format("{}: cannot read it (no targets from it until it exists)", s.where));
        }
        continue;
      }
      const int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      if (mtime == s.stamp_ns && static_cast<int64_t>(st.st_size) == s.stamp_size) continue;
      s.stamp_ns = mtime;
      s.stamp_size = static_cast<int64_t>(st.st_size);
      std::ifstream in(s.where, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      const bool yaml = !util::EndsWith(s.where, ".json");
      parsed = ParseSdGroups(text.str(), yaml, s.where, options_.sd, rules_, target_timeout_);
    } else {
      s.next = now + options_.refresh;
      auto body = fetch_(s.where, options_.timeout);
      if (!body.ok()) {
        errors->push_back(fmt::format("{}: {} (keeping its last {} targets)", s.where, body.status().message(),
                                      s.targets.size()));
        continue;
      }
      if (*body == s.last_body) continue;
      s.last_body = *body;
      parsed = s.kind == Source::kHttp
                   ? ParseSdGroups(*body, /*yaml=*/false, s.where, options_.sd, rules_, target_timeout_)
                   : ParsePrometheusTargets(*body, s.where, options_.select, options_.sd, rules_, target_timeout_);
    }
    if (!parsed.ok()) {
      errors->push_back(fmt::format("{} (keeping its last {} targets)", parsed.status().message(), s.targets.size()));
      if (s.kind != Source::kFile) s.last_body.clear();
      continue;
    }
    if (!SameTargets(s.targets, *parsed)) {
      s.targets = std::move(parsed).value();
      changed = true;
    }
  }
  return changed;
}

void Discovery::PublishLocked() {
  latest_.clear();
  std::set<std::string> seen;
  for (const Source& s : sources_) {
    for (const Target& t : s.targets) {
      if (seen.insert(t.base).second) latest_.push_back(t);
    }
  }
  ++generation_;
}

std::vector<std::string> Discovery::Start() {
  std::vector<std::string> errors;
  PollOnce(Clock::now(), &errors);
  {
    std::lock_guard<std::mutex> lock(mu_);
    PublishLocked();
  }
  thread_ = std::thread([this] { Loop(); });
  return errors;
}

void Discovery::Loop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; });
      if (stop_) return;
    }
    std::vector<std::string> errors;
    const bool changed = PollOnce(Clock::now(), &errors);
    std::lock_guard<std::mutex> lock(mu_);
    errors_.insert(errors_.end(), errors.begin(), errors.end());
    if (changed) PublishLocked();
  }
}

std::vector<Target> Discovery::Latest(uint64_t* generation, std::vector<std::string>* errors) {
  std::lock_guard<std::mutex> lock(mu_);
  *generation = generation_;
  errors->insert(errors->end(), errors_.begin(), errors_.end());
  errors_.clear();
  return latest_;
}

}  // namespace leakhound::watch
