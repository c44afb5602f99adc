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
#include <set>
#include <thread>

#include "leakhound/scan/rewrite.h"
#include "leakhound/scan/rules/lh016_never_completed.h"
#include "leakhound/scan/rules/lh019_goroutine_until_cancel.h"
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

// Rule pairs where the first, reported at the same place as the second, says less and offers a fix that is not
// enough: goroutines started in a loop sending on a channel received once (LH002, "buffer it for every sender") are
// also abandoned senders (LH001, "buffer of one"); one send, one fix, one finding.
constexpr std::pair<std::string_view, std::string_view> kSubsumed[] = {{"LH001", "LH002"}};

// Sorts findings by file, position and rule; then two paths to one finding (a loop reported from two go statements)
// count once, and a finding subsumed by another rule's at the same place is dropped.
void SortAndDropRepeated(std::vector<Finding>* findings) {
  std::sort(findings->begin(), findings->end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.start.line, a.start.column, a.rule_id) <
           std::tie(b.file, b.start.line, b.start.column, b.rule_id);
  });
  auto same_place = [](const Finding& a, const Finding& b) {
    return a.file == b.file && a.start.line == b.start.line && a.start.column == b.start.column;
  };
  findings->erase(std::unique(findings->begin(), findings->end(),
                              [&](const Finding& a, const Finding& b) { return same_place(a, b) && a.rule_id == b.rule_id; }),
                  findings->end());
  std::vector<bool> drop(findings->size(), false);
  for (size_t i = 0; i < findings->size(); ++i) {
    for (size_t j = i + 1; j < findings->size() && same_place((*findings)[i], (*findings)[j]); ++j) {
      for (const auto& [weaker, stronger] : kSubsumed) {
        const Finding& a = (*findings)[i];
        const Finding& b = (*findings)[j];
        if (a.suppressed != b.suppressed) continue;
        if (a.rule_id == weaker && b.rule_id == stronger) drop[i] = true;
        if (b.rule_id == weaker && a.rule_id == stronger) drop[j] = true;
      }
    }
  }
  size_t k = 0;
  std::erase_if(*findings, [&](const Finding&) { return drop[k++]; });
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
  if (!options.only.empty()) {
    for (auto& [id, value] : on) value = false;
    if (auto s = apply(options.only, true); !s.ok()) return s;
  }
  // LH020 has nothing to run without the project's rewrites.
  if (options.config.rewrite.empty()) on["LH020"] = false;
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
  std::vector<bool> configured;
  for (const RuleInfo* r : result.rules) {
    auto it = options.config.severity.find(std::string(r->id));
    configured.push_back(it != options.config.severity.end());
    severity.push_back(it == options.config.severity.end() ? r->severity : it->second);
    result.severities.emplace_back(std::string(r->id), severity.back());
  }
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Rule>> rule_objects;
  for (const RuleInfo* r : result.rules) rule_objects.push_back(r->factory());
  int lh020 = -1;  // the project's rewrites, when they run
  for (size_t r = 0; r < result.rules.size(); ++r) {
    if (result.rules[r]->id == "LH020") lh020 = static_cast<int>(r);
  }
  std::vector<CompiledRewrite> rewrites;
  if (lh020 >= 0) {
    for (const RewriteRule& rule : options.config.rewrite) {
      auto compiled = CompileRewrite(rule);
      if (!compiled.ok()) return compiled.status();
      rewrites.push_back(std::move(compiled).value());
    }
  }

  // One directory at a time per thread: parse its files, split them into packages by package clause, run the rules,
  // keep the findings and drop the trees, so memory stays bounded by the largest packages in flight.
  std::vector<std::vector<std::string>> dirs;
  {
    std::map<std::string, std::vector<std::string>> by_dir;
    for (const std::string& p : *paths) by_dir[fs::path(p).parent_path().string()].push_back(p);
    for (auto& [dir, files] : by_dir) dirs.push_back(std::move(files));
    // Largest directories first, so that a big one (generated code) does not start last and leave the other threads
    // idle while it finishes. Results are sorted at the end, so the order does not show.
    std::vector<std::pair<uintmax_t, size_t>> sizes;
    for (size_t d = 0; d < dirs.size(); ++d) {
      uintmax_t bytes = 0;
      for (const std::string& p : dirs[d]) {
        std::error_code ec;
        uintmax_t n = fs::file_size(p, ec);
        if (!ec) bytes += n;
      }
      sizes.emplace_back(bytes, d);
    }
    std::stable_sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::vector<std::string>> ordered;
    for (const auto& [bytes, d] : sizes) ordered.push_back(std::move(dirs[d]));
    dirs = std::move(ordered);
  }
  struct DirResult {
    std::vector<Finding> findings;
    std::vector<Diagnostic> diagnostics;
    size_t files = 0, packages = 0;
    uint64_t bytes = 0;
    // LH019 across packages: what this directory's package offers and asks.
    std::vector<CtxOnlyDoneSummary> summaries;
    std::vector<CrossPackageCandidate> candidates;
    Dependencies* deps = nullptr;  // its module's dependencies, when they are read
    std::vector<std::string> provides;  // what findings of other packages may need (Finding::needs)
  };
  // One Dependencies per module (the directory of its go.mod), made when a package of it first asks.
  std::mutex deps_mu;
  std::map<std::string, std::unique_ptr<Dependencies>> deps_by_root;
  auto deps_for = [&](const std::string& dir) -> Dependencies* {
    if (!options.dependencies) return nullptr;
    std::string root, contents;
    if (!ReadNearestGoMod(dir.empty() ? "." : dir, &root, &contents)) return nullptr;
    std::lock_guard<std::mutex> lock(deps_mu);
    auto& d = deps_by_root[root];
    if (!d) {
      DependencyOptions o;
      o.cache_dir = options.summary_cache;
      o.build = options.build;
      d = std::make_unique<Dependencies>(root, std::move(o));
    }
    return d.get();
  };
  // The rule whose findings need every package: its index in result.rules, or -1 when it does not run.
  int lh019 = -1;
  // LH016's handed-out channels need a consumer somewhere in the scan (Finding::needs): asked only when it runs.
  bool lh016 = false;
  for (size_t r = 0; r < result.rules.size(); ++r) {
    if (result.rules[r]->id == "LH019") lh019 = static_cast<int>(r);
    lh016 = lh016 || result.rules[r]->id == "LH016";
  }
  std::vector<DirResult> per_dir(dirs.size());
  std::mutex versions_mu;
  std::map<std::string, std::optional<std::pair<int, int>>> versions;
  std::atomic<size_t> done{0};
  ParallelFor(
      dirs.size(), threads,
      [&](size_t d) {
        thread_local Parser parser;
        DirResult& out = per_dir[d];
        std::vector<std::unique_ptr<SourceFile>> files;
        for (const std::string& path : dirs[d]) {
          auto f = ReadSourceFile(path, DisplayPath(path), options.build, parser, &out.diagnostics);
          if (!f) continue;
          out.bytes += f->source().size();
          ++out.files;
          files.push_back(std::move(f));
        }
        if (files.empty()) return;
        std::string dir = fs::path(dirs[d].front()).parent_path().string();
        std::optional<std::pair<int, int>> version;
        {
          std::lock_guard<std::mutex> lock(versions_mu);
          auto it = versions.find(dir);
          if (it == versions.end()) it = versions.emplace(dir, FindGoVersion(dir.empty() ? "." : dir)).first;
          version = it->second;
        }
        std::map<std::string_view, Package> packages;
        for (auto& f : files) {
          Package& p = packages[f->package_name];
          p.dir = dir;
          p.name = f->package_name;
          p.go_version = version;
          p.fix_settings = options.config.fixes;
          p.files.push_back(f.get());
        }
        for (auto& [name, p] : packages) {
          ++out.packages;
          p.Prepare();
          for (size_t r = 0; r < rule_objects.size(); ++r) {
            FindingSink sink(*result.rules[r], severity[r], &out.findings, configured[r]);
            rule_objects[r]->Check(p, sink);
          }
          if (lh020 >= 0) {
            FindingSink sink(*result.rules[lh020], severity[lh020], &out.findings, configured[lh020]);
            ReportRewrites(rewrites, p, sink);
          }
          if (lh016) {
            for (auto& x : RangedMethods(p)) out.provides.push_back(std::move(x));
          }
          if (lh019 >= 0) {
            out.deps = deps_for(dir);
            ImportedCtxOnlyDone imported;
            if (Dependencies* deps = out.deps) {
              imported = [deps](const std::string& key) { return deps->CtxOnlyDone(key); };
            }
            for (auto& x : CtxOnlyDoneSummaries(p, ImportPathOf(dir), imported)) out.summaries.push_back(std::move(x));
            for (auto& x : BackgroundCallsToImports(p, *result.rules[lh019], severity[lh019], configured[lh019])) {
              out.candidates.push_back(std::move(x));
            }
          }
        }
      },
      &done, options.progress, "directories");

  // LH019's calls into other packages of the scan, kept where the callee's package has the summary.
  std::map<std::string, std::string> summaries;  // "path.Func#arg" -> package name
  for (const DirResult& d : per_dir) {
    for (const CtxOnlyDoneSummary& x : d.summaries) summaries[x.function + "#" + std::to_string(x.param)] = x.package;
  }
  for (DirResult& d : per_dir) {
    for (CrossPackageCandidate& c : d.candidates) {
      bool found = false;
      for (const std::string& key : c.keys) {
        auto it = summaries.find(key);
        found = found || (it != summaries.end() && (c.package.empty() || it->second == c.package ||
                                                      c.keys.size() == 1));
      }
      // Not a package of this scan: a dependency's, from its source in the module cache.
      for (size_t k = 0; !found && d.deps && k < c.keys.size(); ++k) {
        auto s = d.deps->CtxOnlyDone(c.keys[k]);
        if (!s || !(c.package.empty() || s->package == c.package || c.keys.size() == 1)) continue;
        found = true;
        for (Finding& f : c.findings) {
          const std::string from = c.keys[k].substr(0, c.keys[k].rfind('.'));
          if (size_t at = f.message.find(kGoroutineSeeItsPackage); at != std::string::npos) {
            f.message.replace(at, kGoroutineSeeItsPackage.size(), fmt::format("({}, in {})", s->goroutine, from));
          }
        }
      }
      if (!found) continue;
      for (Finding& f : c.findings) d.findings.push_back(std::move(f));
    }
  }
  // Findings that stand only on what some package of the scan provides.
  std::set<std::string> provided;
  for (const DirResult& d : per_dir) provided.insert(d.provides.begin(), d.provides.end());
  for (DirResult& d : per_dir) {
    std::erase_if(d.findings, [&](const Finding& f) { return !f.needs.empty() && !provided.count(f.needs); });
  }
  for (DirResult& d : per_dir) {
    result.files += d.files;
    result.packages += d.packages;
    result.bytes += d.bytes;
    for (auto& x : d.diagnostics) result.diagnostics.push_back(std::move(x));
    for (auto& x : d.findings) result.findings.push_back(std::move(x));
  }
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.position.line, a.position.column) < std::tie(b.file, b.position.line, b.position.column);
  });
  SortAndDropRepeated(&result.findings);
  return result;
}

ScanResult ScanInMemory(const std::vector<std::pair<std::string, std::string>>& inputs,
                        const std::vector<const RuleInfo*>& rules, const std::vector<CompiledRewrite>& rewrites) {
  ScanResult result;
  result.rules = rules;
  Parser parser;
  std::vector<std::unique_ptr<SourceFile>> files;
  for (const auto& [name, text] : inputs) {
    auto f = std::make_unique<SourceFile>();
    f->path = f->display = name;
    f->is_test = util::EndsWith(name, "_test.go");
    f->owned = text;
    ParseFile(parser, f.get(), &result.diagnostics);
    if (f->root().IsNull()) continue;
    result.bytes += f->source().size();
    ++result.files;
    files.push_back(std::move(f));
  }
  std::map<std::string_view, Package> packages;
  for (auto& f : files) {
    Package& p = packages[f->package_name];
    p.name = f->package_name;
    p.files.push_back(f.get());
  }
  for (auto& [name, p] : packages) {
    ++result.packages;
    p.Prepare();
    for (const RuleInfo* r : rules) {
      result.severities.emplace_back(std::string(r->id), r->severity);
      FindingSink sink(*r, r->severity, &result.findings);
      r->factory()->Check(p, sink);
      if (r->id == "LH020") ReportRewrites(rewrites, p, sink);
    }
  }
  std::set<std::string> provided;
  const bool needs = std::any_of(result.findings.begin(), result.findings.end(),
                                 [](const Finding& f) { return !f.needs.empty(); });
  for (auto& [name, p] : packages) {
    if (!needs) break;
    for (auto& x : RangedMethods(p)) provided.insert(std::move(x));
  }
  std::erase_if(result.findings, [&](const Finding& f) { return !f.needs.empty() && !provided.count(f.needs); });
  SortAndDropRepeated(&result.findings);
  return result;
}

}  // namespace leakhound::scan
