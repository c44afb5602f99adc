#include "leakhound/scan/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
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
      if (key != "enable" && key != "disable" && key != "severity" && key != "exclude") {
        return Status::InvalidArgument(Where(source, entry.first) + ": unknown key 'scan." + key +
                                       "' (expected enable, disable, severity or exclude)");
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
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return out;
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
