#include "leakhound/watch/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "leakhound/util/strings.h"
#include "leakhound/util/yaml_keys.h"

namespace leakhound::watch {

using util::Result;
using util::Status;

namespace {

bool ValidLabelName(std::string_view s) {
  if (s.empty() || util::StartsWith(s, "__")) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && util::IsDigit(c));
    if (!ok) return false;
  }
  return s != "target" && s != "bucket" && s != "site" && s != "reason" && s != "rule";
}

// Applies the rule keys present in `node` to `rules`; unknown keys are left to the caller.
Status ApplyRules(const YAML::Node& node, Rules* rules, Millis* timeout, const std::string& where) {
  try {
    if (auto v = node["max_goroutines"]) rules->max_goroutines = v.as<uint64_t>();
    if (auto v = node["min_samples"]) rules->min_samples = v.as<size_t>();
    if (auto v = node["min_slope"]) rules->min_slope = v.as<double>();
    if (auto v = node["min_growth"]) rules->min_growth = v.as<int64_t>();
    if (auto v = node["definite"]) rules->definite = v.as<bool>();
    for (const char* key : {"cooldown", "timeout"}) {
      if (auto v = node[key]) {
        auto d = ParseDuration(v.as<std::string>());
        if (!d.ok()) return Status::InvalidArgument(fmt::format("{}: {}: {}", where, key, d.status().message()));
        if (std::string_view(key) == "cooldown") rules->cooldown = *d;
        else *timeout = *d;
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(fmt::format("{}: {}", where, e.what()));
  }
  if (rules->min_samples < 2) return Status::InvalidArgument(where + ": min_samples must be at least 2");
  if (timeout->count() <= 0) return Status::InvalidArgument(where + ": timeout must be positive");
  return Status::Ok();
}

}  // namespace

bool ParseScrapeProfile(std::string_view s, ScrapeProfile* out) {
  if (s == "debug0" || s == "debug=0" || s == "0") {
    *out = ScrapeProfile::kDebug0;
  } else if (s == "debug1" || s == "debug=1" || s == "1") {
    *out = ScrapeProfile::kDebug1;
  } else {
    return false;
  }
  return true;
}

Result<Target> MakeTarget(std::string_view url, const Rules& rules, Millis timeout) {
  if (!util::StartsWith(url, "http://") && !util::StartsWith(url, "https://")) {
    return Status::InvalidArgument(fmt::format("{}: a target is a pprof base URL (http://HOST:PORT)", url));
  }
  Target t;
  t.url = std::string(url);
  t.rules = rules;
  t.timeout = timeout;
  size_t scheme = url.find("://") + 3;
  size_t path_at = url.find('/', scheme);
  std::string_view origin = url.substr(0, path_at);
  std::string_view hostport = origin.substr(scheme);
  if (hostport.empty()) return Status::InvalidArgument(fmt::format("{}: no host", url));
  t.name = std::string(hostport);
  size_t pprof = url.find("/debug/pprof");
  if (pprof != std::string_view::npos) {
    t.base = std::string(url.substr(0, pprof)) + "/debug/pprof/";
  } else {
    std::string_view path = path_at == std::string_view::npos ? "" : url.substr(path_at);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    t.base = std::string(origin) + std::string(path) + "/debug/pprof/";
  }
  return t;
}

Result<Millis> ParseDuration(std::string_view text) {
  std::string_view s = util::Trim(text);
  if (s.empty()) return Status::InvalidArgument("empty duration");
  double total_ms = 0;
  bool bare = true;
  std::string_view rest = s;
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() && (util::IsDigit(rest[n]) || rest[n] == '.')) ++n;
    if (n == 0) return Status::InvalidArgument(fmt::format("'{}' is not a duration (200ms, 15s, 30m, 1h)", text));
    double value = 0;
    try {
      value = std::stod(std::string(rest.substr(0, n)));
    } catch (...) {
      return Status::InvalidArgument(fmt::format("'{}' is not a duration (200ms, 15s, 30m, 1h)", text));
    }
    rest.remove_prefix(n);
    double unit = 1000;
    if (util::Consume(rest, "ms")) unit = 1, bare = false;
    else if (util::Consume(rest, "s")) unit = 1000, bare = false;
    else if (util::Consume(rest, "m")) unit = 60000, bare = false;
    else if (util::Consume(rest, "h")) unit = 3600000, bare = false;
    else if (!rest.empty() || !bare) {
      return Status::InvalidArgument(fmt::format("'{}' is not a duration (200ms, 15s, 30m, 1h)", text));
    }
    total_ms += value * unit;
  }
  if (!std::isfinite(total_ms) || total_ms < 0) return Status::InvalidArgument(fmt::format("'{}': bad duration", text));
  return Millis(static_cast<int64_t>(std::llround(total_ms)));
}

std::string FormatDuration(Millis d) {
  int64_t ms = d.count();
  if (ms % 3600000 == 0 && ms > 0) return fmt::format("{}h", ms / 3600000);
  if (ms % 60000 == 0 && ms > 0) return fmt::format("{}m", ms / 60000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

Status LoadTargetsFile(const std::string& path, const Rules& rules, Millis timeout, std::vector<Target>* out) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(fmt::format("{}: {}", path, e.what()));
  }
  if (Status s = util::CheckKeys(root, {"targets", "defaults"}, path, "the file"); !s.ok()) return s;
  Rules file_rules = rules;
  Millis file_timeout = timeout;
  if (auto d = root["defaults"]) {
    if (Status s = util::CheckKeys(d, {"max_goroutines", "min_samples", "min_slope", "min_growth", "definite",
                                       "cooldown", "timeout"},
                                   path, "defaults");
        !s.ok()) {
      return s;
    }
    Status s = ApplyRules(d, &file_rules, &file_timeout, path + ": defaults");
    if (!s.ok()) return s;
  }
  YAML::Node targets = root["targets"];
  if (!targets || !targets.IsSequence()) return Status::InvalidArgument(path + ": needs a `targets:` list");
  for (size_t i = 0; i < targets.size(); ++i) {
    const YAML::Node& node = targets[i];
    std::string where = fmt::format("{}: targets[{}]", path, i);
    std::string url;
    try {
      url = node.IsScalar() ? node.as<std::string>() : node["url"].as<std::string>("");
    } catch (const YAML::Exception& e) {
      return Status::InvalidArgument(fmt::format("{}: {}", where, e.what()));
    }
    if (url.empty()) return Status::InvalidArgument(where + ": needs a url");
    Rules r = file_rules;
    Millis t = file_timeout;
    if (Status s = util::CheckKeys(node, {"url", "name", "labels", "max_goroutines", "min_samples", "min_slope",
                                          "min_growth", "definite", "cooldown", "timeout"},
                                   path, "a target");
        !s.ok()) {
      return s;
    }
    if (node.IsMap()) {
      Status s = ApplyRules(node, &r, &t, where);
      if (!s.ok()) return s;
    }
    auto target = MakeTarget(url, r, t);
    if (!target.ok()) return Status::InvalidArgument(where + ": " + target.status().message());
    if (node.IsMap()) {
      try {
        if (auto n = node["name"]) target->name = n.as<std::string>();
        if (auto labels = node["labels"]) {
          if (!labels.IsMap()) return Status::InvalidArgument(where + ": labels must be a map");
          for (const auto& kv : labels) {
            std::string key = kv.first.as<std::string>();
            if (!ValidLabelName(key)) {
              return Status::InvalidArgument(
                  fmt::format("{}: '{}' is not a usable Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not target, "
                              "bucket, site, reason or rule)", where, key));
            }
            target->labels.emplace_back(key, kv.second.as<std::string>());
          }
        }
      } catch (const YAML::Exception& e) {
        return Status::InvalidArgument(fmt::format("{}: {}", where, e.what()));
      }
    }
    out->push_back(std::move(target).value());
  }
  return Status::Ok();
}

Status ParseListen(std::string_view listen, std::string* host, int* port) {
  std::string_view p = listen;
  *host = "127.0.0.1";
  size_t colon = listen.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view h = listen.substr(0, colon);
    if (util::StartsWith(h, "[") && util::EndsWith(h, "]")) h = h.substr(1, h.size() - 2);
    if (!h.empty()) *host = std::string(h);
    p = listen.substr(colon + 1);
  }
  auto v = util::ParseUint(p);
  if (!v || *v > 65535) return Status::InvalidArgument(fmt::format("'{}': expected HOST:PORT", listen));
  *port = static_cast<int>(*v);
  return Status::Ok();
}

}  // namespace leakhound::watch
