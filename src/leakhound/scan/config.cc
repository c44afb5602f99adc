#include "leakhound/scan/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "leakhound/scan/rules.h"

namespace leakhound::scan {

namespace {

using util::Status;

std::string Where(const std::string& source, const YAML::Node& n) {
  return source + ":" + std::to_string(n.Mark().line + 1);
}

Status ReadIds(const YAML::Node& n, const std::string& source, std::string_view key, std::vector<std::string>* out) {
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return Status::InvalidArgument(Where(source, n) + ": scan." + std::string(key) + " must be a list");
  for (const YAML::Node& e : n) {
    std::string id = e.as<std::string>();
    const RuleInfo* r = FindRule(id);
    if (r == nullptr) return Status::InvalidArgument(Where(source, e) + ": unknown rule '" + id + "'");
    out->emplace_back(r->id);
  }
  return Status::Ok();
}

Status ReadRewrites(const YAML::Node& list, const std::string& source, std::vector<RewriteRule>* out) {
  if (!list.IsSequence()) return Status::InvalidArgument(Where(source, list) + ": scan.rewrite must be a list");
  std::set<std::string> names;
  for (const YAML::Node& e : list) {
    if (!e.IsMap()) {
      return Status::InvalidArgument(Where(source, e) + ": a scan.rewrite entry must be a mapping (name, match, replace)");
    }
    RewriteRule r;
    r.where = Where(source, e);
    for (const auto& kv : e) {
      const std::string key = kv.first.as<std::string>();
      if (key == "name") {
        r.name = kv.second.as<std::string>();
      } else if (key == "match") {
        r.match = kv.second.as<std::string>();
      } else if (key == "replace") {
        r.replace = kv.second.as<std::string>();
      } else if (key == "message") {
        r.message = kv.second.as<std::string>();
      } else if (key == "imports") {
        if (!kv.second.IsSequence()) {
          return Status::InvalidArgument(Where(source, kv.second) + ": imports must be a list of import paths");
        }
        for (const YAML::Node& i : kv.second) r.imports.push_back(i.as<std::string>());
      } else if (key == "severity") {
        std::string level = kv.second.as<std::string>();
        Severity s;
        if (!ParseSeverity(level, &s)) {
          return Status::InvalidArgument(Where(source, kv.second) + ": severity must be error, warning or note, not '" +
                                         level + "'");
        }
        r.severity = s;
      } else {
        return Status::InvalidArgument(Where(source, kv.first) + ": unknown key '" + key +
                                       "' in a scan.rewrite entry (expected name, match, replace, message, imports or "
                                       "severity)");
      }
    }
    for (auto [value, key] : {std::pair{&r.name, "name"}, {&r.match, "match"}, {&r.replace, "replace"}}) {
      if (value->empty()) {
        return Status::InvalidArgument(r.where + ": a scan.rewrite entry needs '" + std::string(key) + "'");
      }
    }
    if (!names.insert(r.name).second) {
      return Status::InvalidArgument(r.where + ": two scan.rewrite entries are named '" + r.name + "'");
    }
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

util::Result<ScanConfig> ParseScanConfig(std::string_view yaml, const std::string& source) {
  ScanConfig out;
  out.source = source;
  std::error_code ec;
  out.base_dir = std::filesystem::absolute(std::filesystem::path(source).parent_path(), ec).lexically_normal();
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root || !root.IsMap() || !root["scan"]) return out;
  try {
    const YAML::Node scan = root["scan"];
    if (scan.IsNull()) return out;
    if (!scan.IsMap()) return Status::InvalidArgument(Where(source, scan) + ": scan must be a mapping");
    for (const auto& entry : scan) {
      std::string key = entry.first.as<std::string>();
      if (key != "enable" && key != "disable" && key != "severity" && key != "exclude" && key != "rewrite" &&
          key != "fixes") {
        return Status::InvalidArgument(Where(source, entry.first) + ": unknown key 'scan." + key +
                                       "' (expected enable, disable, severity, exclude, fixes or rewrite)");
      }
    }
    if (Status s = ReadIds(scan["enable"], source, "enable", &out.enable); !s.ok()) return s;
    if (Status s = ReadIds(scan["disable"], source, "disable", &out.disable); !s.ok()) return s;
    if (const YAML::Node sev = scan["severity"]) {
      if (!sev.IsMap()) return Status::InvalidArgument(Where(source, sev) + ": scan.severity must be a mapping");
      for (const auto& e : sev) {
        std::string id = e.first.as<std::string>();
        const RuleInfo* r = FindRule(id);
        if (r == nullptr) return Status::InvalidArgument(Where(source, e.first) + ": unknown rule '" + id + "'");
        std::string level = e.second.as<std::string>();
        Severity s;
        if (!ParseSeverity(level, &s)) {
          return Status::InvalidArgument(Where(source, e.second) + ": severity must be error, warning or note, not '" +
                                         level + "'");
        }
        out.severity[std::string(r->id)] = s;
      }
    }
    if (const YAML::Node ex = scan["exclude"]) {
      if (!ex.IsSequence()) return Status::InvalidArgument(Where(source, ex) + ": scan.exclude must be a list");
      for (const YAML::Node& e : ex) out.exclude.push_back(e.as<std::string>());
    }
    if (const YAML::Node fixes = scan["fixes"]) {
      if (!fixes.IsMap()) return Status::InvalidArgument(Where(source, fixes) + ": scan.fixes must be a mapping");
      for (const auto& kv : fixes) {
        const std::string key = kv.first.as<std::string>();
        if (key != "read-header-timeout") {
          return Status::InvalidArgument(Where(source, kv.first) + ": unknown key 'scan.fixes." + key +
                                         "' (expected read-header-timeout)");
        }
        const std::string value = kv.second.as<std::string>();
        auto expr = DurationExpr(value);
        if (!expr) {
          return Status::InvalidArgument(Where(source, kv.second) + ": read-header-timeout must be a Go duration such "
                                         "as 10s or 1m30s, not '" + value + "'");
        }
        out.fixes.read_header_timeout = *expr;
      }
    }
    if (const YAML::Node rw = scan["rewrite"]) {
      if (Status s = ReadRewrites(rw, source, &out.rewrite); !s.ok()) return s;
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return out;
}

std::optional<std::string> DurationExpr(std::string_view text) {
  // Units as Go's time.ParseDuration spells them, in nanoseconds.
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"ns", 1}, {"us", 1000}, {"µs", 1000}, {"ms", 1000000}, {"s", 1000000000ull}, {"m", 60000000000ull},
      {"h", 3600000000000ull}};
  uint64_t total = 0;
  size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    size_t j = i;
    uint64_t n = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      if (n > 1000000000000ull) return std::nullopt;
      n = n * 10 + static_cast<uint64_t>(text[j++] - '0');
    }
    if (j == i) return std::nullopt;
    uint64_t unit = 0;
    size_t len = 0;
    for (const auto& [name, ns] : kUnits) {
      if (text.substr(j, name.size()) == name && name.size() > len) unit = ns, len = name.size();
    }
    if (unit == 0) return std::nullopt;
    if (n > UINT64_MAX / unit / 2) return std::nullopt;
    total += n * unit;
    i = j + len;
  }
  if (total == 0) return std::nullopt;
  static constexpr std::pair<std::string_view, uint64_t> kNames[] = {
      {"time.Hour", 3600000000000ull}, {"time.Minute", 60000000000ull}, {"time.Second", 1000000000ull},
      {"time.Millisecond", 1000000}, {"time.Microsecond", 1000}, {"time.Nanosecond", 1}};
  for (const auto& [name, ns] : kNames) {
    if (total % ns != 0) continue;
    const uint64_t k = total / ns;
    return k == 1 ? std::string(name) : std::to_string(k) + " * " + std::string(name);
  }
  return std::nullopt;
}

util::Result<ScanConfig> LoadScanConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseScanConfig(ss.str(), path);
}

bool GlobMatch(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (pattern.substr(0, 2) == "**") {
    std::string_view rest = pattern.substr(2);
    if (!rest.empty() && rest[0] == '/') {
      // "**/x" matches "x" and "a/b/x".
      if (GlobMatch(rest.substr(1), path)) return true;
    }
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(rest, path.substr(i))) return true;
    }
    return false;
  }
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(pattern.substr(1), path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (pattern[0] == '?' ? path[0] != '/' : pattern[0] == path[0]) return GlobMatch(pattern.substr(1), path.substr(1));
  return false;
}

bool Excluded(const ScanConfig& config, const std::string& path) {
  if (config.exclude.empty()) return false;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec).lexically_normal();
  std::string rel = config.base_dir.empty() ? path : abs.lexically_relative(config.base_dir).generic_string();
  std::string base = abs.filename().string();
  for (const std::string& p : config.exclude) {
    if (GlobMatch(p, rel)) return true;
    if (p.find('/') == std::string::npos && GlobMatch(p, base)) return true;
    // "gen/**" also excludes "gen" itself; "gen/" means the directory.
    if (!p.empty() && p.back() == '/' && GlobMatch(p + "**", rel)) return true;
  }
  return false;
}

}  // namespace leakhound::scan
