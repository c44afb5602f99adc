#include "leakhound/scan/scan.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace fs = std::filesystem;

namespace {

constexpr auto kProgressAfter = std::chrono::milliseconds(500);
constexpr auto kProgressEvery = std::chrono::milliseconds(100);

bool SkippedDir(const std::string& name) {
  return name == "vendor" || name == "testdata" || name == "node_modules" || (!name.empty() && name[0] == '.') ||
         (!name.empty() && name[0] == '_');
}

bool WantedFile(const fs::path& p, IncludeTests tests) {
  std::string name = p.filename().string();
  if (!util::EndsWith(name, ".go") || name[0] == '.' || name[0] == '_') return false;
  if (tests == IncludeTests::kNo && util::EndsWith(name, "_test.go")) return false;
  return true;
}

void AddDir(const fs::path& dir, bool recursive, IncludeTests tests, std::vector<std::string>* out) {
  std::error_code ec;
  std::vector<fs::path> subdirs;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::error_code ec2;
    if (e.is_directory(ec2)) {
      if (recursive && !SkippedDir(e.path().filename().string()) && !e.is_symlink(ec2)) subdirs.push_back(e.path());
    } else if (e.is_regular_file(ec2) && WantedFile(e.path(), tests)) {
      out->push_back(e.path().lexically_normal().string());
    }
  }
  std::sort(subdirs.begin(), subdirs.end());
  for (const fs::path& d : subdirs) AddDir(d, recursive, tests, out);
}

// Runs fn(i) for i in [0, n) on `threads` threads.
template <typename Fn>
void ParallelFor(size_t n, unsigned threads, Fn&& fn, std::atomic<size_t>* done = nullptr,
                 ShowProgress progress = ShowProgress::kNo, std::string_view what = "") {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      fn(i);
      if (done) done->fetch_add(1);
    }
  };
  unsigned t = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n)));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(work);
  if (progress == ShowProgress::kNo || done == nullptr) {
    work();
  } else {
    // The calling thread reports progress while the others work.
    pool.emplace_back(work);
    auto start = std::chrono::steady_clock::now();
    bool shown = false;
    while (done->load() < n) {
      std::this_thread::sleep_for(kProgressEvery);
      if (std::chrono::steady_clock::now() - start < kProgressAfter) continue;
      fmt::print(stderr, "\r\x1b[2Kscan: {} {}/{}", what, done->load(), n);
      std::fflush(stderr);
      shown = true;
    }
    if (shown) fmt::print(stderr, "\r\x1b[2K");
  }
  for (std::thread& th : pool) th.join();
}

}  // namespace

std::string DisplayPath(const std::string& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(cwd);
  std::string r = rel.generic_string();
  if (r.empty() || util::StartsWith(r, "..")) return fs::path(path).lexically_normal().generic_string();
  return r;
}

util::Result<std::vector<std::string>> FindGoFiles(const std::vector<std::string>& paths, IncludeTests tests) {
  std::vector<std::string> out;
  std::vector<std::string> args = paths.empty() ? std::vector<std::string>{"./..."} : paths;
  for (const std::string& given : args) {
    std::string_view a = given;
    bool recursive = a == "..." || util::EndsWith(a, "/...");
    if (recursive) a.remove_suffix(a == "..." ? 3 : 4);
    std::string arg(a.empty() ? (given == "..." ? "." : "/") : a);
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) return util::Status::NotFound(arg + ": no such file or directory");
    if (fs::is_directory(st)) {
      AddDir(arg, recursive, tests, &out);
    } else if (util::EndsWith(arg, ".go")) {
      out.push_back(fs::path(arg).lexically_normal().string());  // named explicitly: even a _test.go
    } else {
      return util::Status::InvalidArgument(arg + ": not a .go file or a directory");
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

util::Result<std::vector<const RuleInfo*>> SelectRules(const ScanOptions& options) {
  std::map<std::string_view, bool> on;
  for (const RuleInfo& r : AllRules()) on[r.id] = !r.experimental || options.all_rules;
  auto apply = [&](const std::vector<std::string>& ids, bool value) -> util::Status {
    for (const std::string& id : ids) {
      const RuleInfo* r = FindRule(id);
      if (r == nullptr) return util::Status::InvalidArgument(fmt::format("unknown rule '{}' (see leakhound rules)", id));
      on[r->id] = value;
    }
    return util::Status::Ok();
  };
  if (auto s = apply(options.config.enable, true); !s.ok()) return s;
  if (auto s = apply(options.config.disable, false); !s.ok()) return s;
  if (auto s = apply(options.enable, true); !s.ok()) return s;
  if (auto s = apply(options.disable, false); !s.ok()) return s;
  std::vector<const RuleInfo*> out;
  for (const RuleInfo& r : AllRules()) {
    if (on[r.id]) out.push_back(&r);
  }
  return out;
}

util::Result<ScanResult> Scan(const ScanOptions& options) {
  auto rules = SelectRules(options);
  if (!rules.ok()) return rules.status();
  auto paths = FindGoFiles(options.paths, options.tests);
  if (!paths.ok()) return paths.status();
  std::erase_if(*paths, [&](const std::string& p) { return Excluded(options.config, p); });

  ScanResult result;
  result.rules = *rules;
  std::vector<Severity> severity;
  for (const RuleInfo* r : result.rules) {
    auto it = options.config.severity.find(std::string(r->id));
    severity.push_back(it == options.config.severity.end() ? r->severity : it->second);
    result.severities.emplace_back(std::string(r->id), severity.back());
  }
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  // Stage 1: read and parse every file, one parser per thread.
  std::vector<std::unique_ptr<SourceFile>> files(paths->size());
  std::vector<std::vector<Diagnostic>> file_diags(paths->size());
  std::atomic<size_t> parsed{0};
  ParallelFor(
      paths->size(), threads,
      [&](size_t i) {
        thread_local Parser parser;
        auto f = std::make_unique<SourceFile>();
        f->path = (*paths)[i];
        f->display = DisplayPath(f->path);
        f->is_test = util::EndsWith(f->path, "_test.go");
        auto mapped = util::MappedFile::Open(f->path);
        if (!mapped.ok()) {
          file_diags[i].push_back({f->display, {}, mapped.status().message()});
          return;
        }
        f->mapped.emplace(std::move(mapped).value());
        ParseFile(parser, f.get(), &file_diags[i]);
        files[i] = std::move(f);
      },
      &parsed, options.progress, "parsed");

  // Stage 2: packages (directory + package clause), analysed in parallel.
  std::map<std::pair<std::string, std::string_view>, Package> by_key;
  for (auto& f : files) {
    if (!f || f->root().IsNull()) continue;
    result.bytes += f->source().size();
    ++result.files;
    std::string dir = fs::path(f->path).parent_path().string();
    Package& p = by_key[{dir, f->package_name}];
    p.dir = dir;
    p.name = f->package_name;
    p.files.push_back(f.get());
  }
  std::vector<Package*> packages;
  std::map<std::string, std::optional<std::pair<int, int>>> versions;
  for (auto& [key, p] : by_key) {
    auto it = versions.find(p.dir);
    if (it == versions.end()) it = versions.emplace(p.dir, FindGoVersion(p.dir.empty() ? "." : p.dir)).first;
    p.go_version = it->second;
    packages.push_back(&p);
  }
  result.packages = packages.size();
  std::vector<std::vector<Finding>> found(packages.size());
  std::atomic<size_t> analysed{0};
  ParallelFor(
      packages.size(), threads,
      [&](size_t i) {
        Package& p = *packages[i];
        p.Prepare();
        for (size_t r = 0; r < result.rules.size(); ++r) {
          std::unique_ptr<Rule> rule = result.rules[r]->factory();
          FindingSink sink(*result.rules[r], severity[r], &found[i]);
          rule->Check(p, sink);
        }
      },
      &analysed, options.progress, "analysed packages");

  for (auto& d : file_diags) {
    for (auto& x : d) result.diagnostics.push_back(std::move(x));
  }
  for (auto& v : found) {
    for (auto& x : v) result.findings.push_back(std::move(x));
  }
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.start.line, a.start.column, a.rule_id) <
           std::tie(b.file, b.start.line, b.start.column, b.rule_id);
  });
  // Two paths to one finding (a loop reported from two go statements) count once.
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(),
                                    [](const Finding& a, const Finding& b) {
                                      return a.file == b.file && a.start.line == b.start.line &&
                                             a.start.column == b.start.column && a.rule_id == b.rule_id;
                                    }),
                        result.findings.end());
  return result;
}

}  // namespace leakhound::scan
