#include "leakhound/scan/deps.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "leakhound/scan/package.h"
#include "leakhound/scan/ts.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace fs = std::filesystem;

namespace {

// Bump when what a summary says, or how it is computed, changes: older files are then not read.
constexpr const char* kSummaryFormat = "summaries-v1";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool IsLocalPath(std::string_view p) {
  return p.rfind("./", 0) == 0 || p.rfind("../", 0) == 0 || p.rfind("/", 0) == 0 || p == "." || p == "..";
}

// The words of a go.mod line, without its comment.
std::vector<std::string> Words(std::string_view line) {
  if (size_t c = line.find("//"); c != std::string_view::npos) line = line.substr(0, c);
  std::vector<std::string> out;
  std::istringstream in{std::string(line)};
  std::string w;
  while (in >> w) {
    if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
    out.push_back(w);
  }
  return out;
}

}  // namespace

namespace {

// A setting the go command keeps in its env file (`go env -w NAME=value`): $GOENV, else
// $XDG_CONFIG_HOME/go/env, else ~/.config/go/env. "" when not set there.
std::string GoEnvFileSetting(std::string_view name) {
  std::string file = Env("GOENV");
  if (file == "off") return "";
  if (file.empty()) {
    if (std::string config = Env("XDG_CONFIG_HOME"); !config.empty()) {
      file = config + "/go/env";
    } else if (std::string home = Env("HOME"); !home.empty()) {
      file = home + "/.config/go/env";
    }
  }
  std::ifstream in(file);
  std::string line, value;
  while (std::getline(in, line)) {
    std::string_view l = util::Trim(line);
    if (util::Consume(l, name) && util::Consume(l, "=")) value = std::string(util::Trim(l));
  }
  return value;
}

}  // namespace

std::string ModuleCacheDir() {
  // As the go command decides it: the environment, then its env file, then the GOPATH default.
  for (const char* name : {"GOMODCACHE", "GOPATH"}) {
    std::string v = Env(name);
    if (v.empty()) v = GoEnvFileSetting(name);
    if (v.empty()) continue;
    return name == std::string_view("GOMODCACHE") ? v : v.substr(0, v.find(':')) + "/pkg/mod";
  }
  if (std::string home = Env("HOME"); !home.empty()) return home + "/go/pkg/mod";
  return "";
}

std::string DefaultSummaryCacheDir() {
  if (std::string d = Env("LEAKHOUND_CACHE_DIR"); !d.empty()) return d;
  if (std::string d = Env("XDG_CACHE_HOME"); !d.empty()) return d + "/leakhound";
  if (std::string home = Env("HOME"); !home.empty()) return home + "/.cache/leakhound";
  return "";
}

std::string EscapeModulePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '!';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

Dependencies::Dependencies(std::string module_root, DependencyOptions options)
    : root_(std::move(module_root)), options_(std::move(options)) {
  std::error_code ec;
  vendored_ = fs::exists(fs::path(root_) / "vendor" / "modules.txt", ec);
  std::ifstream in(fs::path(root_) / "go.mod");
  if (!in) in = std::ifstream(fs::path(root_) / "vendor.mod");
  std::string line;
  enum { kNone, kRequire, kReplace } block = kNone;
  std::vector<std::vector<std::string>> replaces;
  while (std::getline(in, line)) {
    std::vector<std::string> w = Words(line);
    if (w.empty()) continue;
    if (block != kNone) {
      if (w[0] == ")") {
        block = kNone;
        continue;
      }
      if (block == kRequire && w.size() >= 2) requires_[w[0]] = {w[1], "", w[0]};
      if (block == kReplace) replaces.push_back(w);
      continue;
    }
    if ((w[0] == "require" || w[0] == "replace") && w.size() == 2 && w[1] == "(") {
      block = w[0] == "require" ? kRequire : kReplace;
      continue;
    }
    if (w[0] == "require" && w.size() >= 3) requires_[w[1]] = {w[2], "", w[1]};
    if (w[0] == "replace") replaces.emplace_back(w.begin() + 1, w.end());
  }
  // old [version] => new [version]
  for (const std::vector<std::string>& r : replaces) {
    size_t arrow = 0;
    while (arrow < r.size() && r[arrow] != "=>") ++arrow;
    if (arrow == 0 || arrow + 1 >= r.size()) continue;
    const std::string& old_path = r[0];
    const std::string& target = r[arrow + 1];
    Requirement req;
    if (IsLocalPath(target)) {
      req.dir = (fs::path(root_) / target).lexically_normal().string();
      req.path = old_path;
    } else if (arrow + 2 < r.size()) {
      req.path = target;
      req.version = r[arrow + 2];
    } else {
      continue;
    }
    requires_[old_path] = std::move(req);
  }
}

std::string Dependencies::DirOf(const std::string& import_path, std::string* version) const {
  if (version) version->clear();
  // The module whose path is the longest prefix of the import path.
  const Requirement* best = nullptr;
  std::string_view best_path;
  for (const auto& [path, req] : requires_) {
    if (import_path != path && import_path.rfind(path + "/", 0) != 0) continue;
    if (path.size() > best_path.size()) {
      best = &req;
      best_path = path;
    }
  }
  if (best == nullptr) return "";
  const std::string rest = import_path.substr(best_path.size());  // "" or "/sub/pkg"
  std::error_code ec;
  if (vendored_) {
    fs::path v = fs::path(root_) / "vendor" / import_path;
    if (fs::is_directory(v, ec)) return v.string();
  }
  if (!best->dir.empty()) return best->dir + rest;
  if (options_.module_cache.empty() || best->version.empty()) return "";
  fs::path d = fs::path(options_.module_cache) / (EscapeModulePath(best->path) + "@" + EscapeModulePath(best->version));
  d += rest;
  if (!fs::is_directory(d, ec)) return "";
  if (version) *version = best->version;
  return d.string();
}

std::string Dependencies::CacheFile(const std::string& import_path, const std::string& version) const {
  if (options_.cache_dir.empty() || version.empty()) return "";
  return (fs::path(options_.cache_dir) / kSummaryFormat / (EscapeModulePath(import_path) + "@" + version) /
          "ctx-only-done.json")
      .string();
}

std::optional<CtxOnlyDoneSummary> Dependencies::CtxOnlyDone(const std::string& key) {
  const size_t hash = key.rfind('#');
  if (hash == std::string::npos) return std::nullopt;
  const std::string function = key.substr(0, hash);
  const size_t dot = function.rfind('.');
  const size_t slash = function.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  const auto arg = util::ParseUint(std::string_view(key).substr(hash + 1));
  if (!arg) return std::nullopt;
  for (const CtxOnlyDoneSummary& s : Summaries(function.substr(0, dot), options_.depth)) {
    if (s.function == function && s.param == static_cast<int>(*arg)) return s;
  }
  return std::nullopt;
}

const std::vector<CtxOnlyDoneSummary>& Dependencies::Summaries(const std::string& import_path, int depth) {
  static const std::vector<CtxOnlyDoneSummary> kNone;
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (auto it = memo_.find(import_path); it != memo_.end()) return it->second;
  if (depth <= 0) return kNone;
  memo_[import_path];  // an import cycle (not valid Go) ends here
  std::string version;
  const std::string dir = DirOf(import_path, &version);
  std::vector<CtxOnlyDoneSummary> found;
  const std::string cache = CacheFile(import_path, version);
  bool from_cache = false;
  if (!dir.empty() && !cache.empty()) {
    std::ifstream in(cache);
    if (in) {
      try {
        nlohmann::json j = nlohmann::json::parse(in);
        for (const auto& s : j.at("summaries")) {
          found.push_back({s.at("function").get<std::string>(), s.at("param").get<int>(),
                           s.at("goroutine").get<std::string>(), s.at("package").get<std::string>()});
        }
        from_cache = true;
        ++cached_;
      } catch (const std::exception&) {
        found.clear();  // a damaged file: computed again, and written over
      }
    }
  }
  if (!dir.empty() && !from_cache) {
    found = Compute(dir, import_path, depth);
    ++parsed_;
    if (!cache.empty()) {
      nlohmann::json j;
      j["import_path"] = import_path;
      j["version"] = version;
      j["summaries"] = nlohmann::json::array();
      for (const CtxOnlyDoneSummary& s : found) {
        j["summaries"].push_back(
            {{"function", s.function}, {"param", s.param}, {"goroutine", s.goroutine}, {"package", s.package}});
      }
      // Written whole under a temporary name, then renamed: a concurrent scan reads the old file or the new one.
      std::error_code ec;
      fs::create_directories(fs::path(cache).parent_path(), ec);
      const std::string tmp = cache + ".tmp." + std::to_string(::getpid());
      if (std::ofstream out(tmp); out << j.dump() << '\n') {
        out.close();
        fs::rename(tmp, cache, ec);
      }
      if (ec) fs::remove(tmp, ec);
    }
  }
  return memo_[import_path] = std::move(found);
}

std::vector<CtxOnlyDoneSummary> Dependencies::Compute(const std::string& dir, const std::string& import_path,
                                                      int depth) {
  std::vector<std::unique_ptr<SourceFile>> files;
  std::error_code ec;
  Parser parser;
  std::vector<Diagnostic> ignored;  // a library's syntax errors are not the user's
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !util::EndsWith(name, ".go") || util::EndsWith(name, "_test.go")) continue;
    if (auto f = ReadSourceFile(entry.path().string(), entry.path().string(), options_.build, parser, &ignored)) {
      files.push_back(std::move(f));
    }
  }
  // The package the directory builds: the name most of its files declare (a stray `package main` tool aside).
  std::map<std::string_view, size_t> names;
  for (const auto& f : files) ++names[f->package_name];
  std::string_view name;
  size_t most = 0;
  for (const auto& [n, count] : names) {
    if (count > most && n != "main") {
      name = n;
      most = count;
    }
  }
  if (name.empty()) return {};
  Package pkg;
  pkg.dir = dir;
  pkg.name = name;
  pkg.go_version = FindGoVersion(dir);
  for (const auto& f : files) {
    if (f->package_name == name) pkg.files.push_back(f.get());
  }
  pkg.Prepare();
  ImportedCtxOnlyDone imported = [this, depth](const std::string& key) -> std::optional<CtxOnlyDoneSummary> {
    if (depth <= 1) return std::nullopt;
    const size_t hash = key.rfind('#');
    const std::string function = key.substr(0, hash);
    const size_t dot = function.rfind('.');
    if (hash == std::string::npos || dot == std::string::npos) return std::nullopt;
    for (const CtxOnlyDoneSummary& s : Summaries(function.substr(0, dot), depth - 1)) {
      if (s.function == function && std::to_string(s.param) == key.substr(hash + 1)) return s;
    }
    return std::nullopt;
  };
  return CtxOnlyDoneSummaries(pkg, import_path, imported);
}

size_t Dependencies::parsed() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return parsed_;
}

size_t Dependencies::cached() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return cached_;
}

}  // namespace leakhound::scan
