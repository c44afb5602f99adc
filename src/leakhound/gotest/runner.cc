#include "leakhound/gotest/runner.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "leakhound/dump/reader.h"
#include "leakhound/gotest/testmain.h"
#include "leakhound/util/mapped_file.h"
#include "leakhound/util/process.h"
#include "leakhound/util/strings.h"

namespace leakhound::gotest {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using util::Status;

// go build and go test flags that take no value (a value may still follow '=').
const std::set<std::string, std::less<>> kBoolFlags = {
    "a",    "n",       "x",    "v",        "race",     "msan",     "asan",     "cover", "trimpath",
    "work", "linkshared", "json", "short", "failfast", "benchmem", "fullpath", "buildvcs"};
// Build flags that change which files a package has: `go list` must see them too.
const std::set<std::string, std::less<>> kListFlags = {"tags", "mod", "modfile", "race", "msan", "asan", "C"};

struct GoPackage {
  std::string import_path, name, dir, error;
  std::vector<std::string> test_files;  // absolute: in-package and external _test.go files
};

// A file's bytes, "" when it cannot be read (a report half written by a killed test binary reads as no report).
std::string ReadFile(const fs::path& path) {
  auto file = util::MappedFile::Open(path.string());
  return file.ok() ? std::string(file->bytes()) : std::string();
}

util::Result<std::vector<GoPackage>> ListPackages(const TestOptions& o) {
  std::vector<std::string> argv = {o.go, "list", "-e", "-json=ImportPath,Name,Dir,TestGoFiles,XTestGoFiles,Error"};
  argv.insert(argv.end(), o.args.list_flags.begin(), o.args.list_flags.end());
  argv.insert(argv.end(), o.args.packages.begin(), o.args.packages.end());
  std::string out;
  auto r = util::RunProcess(argv, {}, [&](std::string_view line) {
    out += line;
    out += '\n';
  });
  if (!r.ok()) return r.status();
  std::vector<GoPackage> packages;
  std::istringstream in(out);
  while (in >> std::ws && in.peek() != EOF) {
    json j;
    try {
      in >> j;
    } catch (const json::exception& e) {
      return Status::Corruption(fmt::format("go list: unreadable output ({})", e.what()));
    }
    GoPackage p;
    p.import_path = j.value("ImportPath", "");
    p.name = j.value("Name", "");
    p.dir = j.value("Dir", "");
    if (j.contains("Error") && j["Error"].is_object()) p.error = j["Error"].value("Err", "");
    for (const char* key : {"TestGoFiles", "XTestGoFiles"}) {
      if (!j.contains(key) || !j[key].is_array()) continue;
      for (const auto& f : j[key]) {
        if (f.is_string()) p.test_files.push_back(p.dir + "/" + f.get<std::string>());
      }
    }
    packages.push_back(std::move(p));
  }
  if (packages.empty()) {
    return Status::InvalidArgument(fmt::format("go list found no packages (exit {}): {}", r->exit_code,
                                               util::Trim(r->err)));
  }
  return packages;
}

// "go1.26.8" -> true when the toolchain has the goroutineleak profile (Go >= 1.26).
bool HasLeakProfile(const std::string& go) {
  std::string version;
  auto r = util::RunProcess({go, "env", "GOVERSION"}, {}, [&](std::string_view line) { version = line; });
  if (!r.ok() || r->exit_code != 0 || !util::StartsWith(version, "go1.")) return false;
  std::string_view rest = std::string_view(version).substr(4);
  auto minor = util::ConsumeUint(rest);
  return minor && *minor >= 26;
}

std::string AppendEnv(const char* name, std::string_view item, char sep) {
  const char* old = ::getenv(name);
  std::string value = old != nullptr ? old : "";
  if (value.find(item) != std::string::npos) return fmt::format("{}={}", name, value);
  return fmt::format("{}={}{}{}", name, value, value.empty() ? "" : std::string(1, sep), item);
}

// One test binary's report: <pid>.json (and <pid>.txt when goroutines were left).
struct Report {
  std::string dir;
  bool proof = false;
  uint64_t left = 0;
  int64_t settle_ms = 0;
  fs::path dump;
};

std::optional<Report> ReadReport(const fs::path& info_path) {
  json j = json::parse(ReadFile(info_path), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  Report r;
  r.dir = j.value("dir", "");
  r.proof = j.value("proof", false);
  r.left = j.value("left", uint64_t{0});
  r.settle_ms = j.value("settle_ms", int64_t{0});
  r.dump = info_path;
  r.dump.replace_extension(".txt");
  return r;
}

// The report's dump as a Run: every goroutine owned by the package (and the test it was attributed to), the
// reporting goroutine itself removed.
Run ReportRun(const Report& report, const std::string& package, int round, const std::string& test) {
  auto text = std::make_shared<std::string>(ReadFile(report.dump));
  dump::ReadOptions read;
  read.threads = 1;
  read.format = dump::Format::kTraceback;
  Run run;
  run.dump = dump::ParseDump(fmt::format("{} (after {}{})", package, test.empty() ? "its tests" : test,
                                         round > 1 ? fmt::format(", run {}", round) : std::string()),
                             *text, text, read);
  std::map<uint64_t, std::string> tests = AttributeToTests(*text, package);
  std::vector<dump::Goroutine> kept;
  for (const dump::Goroutine& g : run.dump.goroutines) {
    bool reporter = false;
    for (const dump::Frame& f : run.dump.FramesOf(g)) {
      reporter = reporter || util::EndsWith(f.function, ".leakhoundReport");
    }
    if (reporter) continue;
    kept.push_back(g);
    auto it = tests.find(g.id);
    std::string owner_test = !test.empty() ? test : it == tests.end() ? std::string() : it->second;
    run.owners.push_back(Owner{package, std::move(owner_test), Origin::kAfterTests});
  }
  run.dump.goroutines = std::move(kept);
  return run;
}

// A Test/Benchmark/Fuzz/Example function name of `package` at the start of `fn`, or "".
std::string TestOf(std::string_view fn, std::string_view package) {
  for (std::string_view suffix : {std::string_view("."), std::string_view("_test.")}) {
    if (!util::StartsWith(fn, package) || !util::StartsWith(fn.substr(package.size()), suffix)) continue;
    std::string_view rest = fn.substr(package.size() + suffix.size());
    std::string_view name = rest.substr(0, rest.find_first_of(".( "));
    for (std::string_view kind : {"Test", "Benchmark", "Fuzz", "Example"}) {
      if (!util::StartsWith(name, kind)) continue;
      if (name.size() == kind.size() || !(name[kind.size()] >= 'a' && name[kind.size()] <= 'z')) {
        return std::string(name);
      }
    }
  }
  return "";
}

// The tests, examples and fuzz targets of `packages` (matching the user's -run), by name, each with the packages
// that have it: `go test -list`, built as the runs will be (same overlay and environment: the builds are shared).
util::Result<std::map<std::string, std::vector<std::string>>> ListTests(
    const TestOptions& o, const std::vector<std::string>& lead, const std::vector<std::string>& flags,
    const std::string& overlay, const std::vector<std::string>& env, const std::vector<std::string>& packages) {
  std::string pattern = ".";
  std::vector<std::string> build;  // the user's flags without -run (its pattern is the list's)
  for (size_t i = 0; i < flags.size(); ++i) {
    std::string_view f = flags[i];
    std::string_view name = f.substr(f.rfind("--", 0) == 0 ? 2 : 1);
    if (name == "run" && i + 1 < flags.size()) {
      pattern = flags[++i];
    } else if (util::StartsWith(name, "run=")) {
      pattern = std::string(name.substr(4));
    } else {
      build.push_back(flags[i]);
    }
  }
  std::vector<std::string> argv = {o.go};
  argv.insert(argv.end(), lead.begin(), lead.end());
  argv.insert(argv.end(), {"test", "-json", "-overlay", overlay, "-list", pattern});
  argv.insert(argv.end(), build.begin(), build.end());
  argv.insert(argv.end(), packages.begin(), packages.end());
  std::map<std::string, std::vector<std::string>> out;
  auto r = util::RunProcess(argv, util::ProcessOptions{env, ""}, [&](std::string_view line) {
    json e = json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || e.value("Action", "") != "output" || e.contains("Test")) return;
    std::string name = e.value("Output", "");
    while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
    const bool runnable = (util::StartsWith(name, "Test") || util::StartsWith(name, "Example") ||
                           util::StartsWith(name, "Fuzz")) &&
                          name.find_first_of(" \t") == std::string::npos;
    if (runnable) out[name].push_back(e.value("Package", ""));
  });
  if (!r.ok()) return r.status();
  if (r->exit_code != 0 && out.empty()) {
    return Status::Unavailable(fmt::format("go test -list failed (exit {}): {}", r->exit_code, util::Trim(r->err)));
  }
  return out;
}

}  // namespace

std::map<uint64_t, std::string> AttributeToTests(std::string_view text, std::string_view package) {
  std::map<uint64_t, std::string> out;
  uint64_t id = 0;
  bool found = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (util::StartsWith(line, "goroutine ")) {
      std::string_view rest = line.substr(10);
      id = util::ConsumeUint(rest).value_or(0);
      found = false;
      continue;
    }
    if (found || id == 0 || line.empty() || line[0] == '\t') continue;
    std::string_view fn = line;
    if (util::StartsWith(fn, "created by ")) fn = fn.substr(11);
    std::string test = TestOf(fn, package);
    if (!test.empty()) {
      out[id] = std::move(test);
      found = true;
    }
  }
  return out;
}

util::Result<GoTestArgs> SplitGoTestArgs(const std::vector<std::string>& args) {
  GoTestArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-args" || a == "--args") {
      out.binary_args.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      out.packages.push_back(a);
      continue;
    }
    std::string_view body = std::string_view(a).substr(a[1] == '-' ? 2 : 1);
    const size_t eq = body.find('=');
    const std::string name(body.substr(0, eq));
    std::vector<std::string> tokens = {a};
    std::string value = eq == std::string_view::npos ? "" : std::string(body.substr(eq + 1));
    if (eq == std::string_view::npos && !kBoolFlags.count(name)) {
      if (i + 1 >= args.size()) return Status::InvalidArgument(fmt::format("go test flag {} needs a value", a));
      value = args[++i];
      tokens.push_back(value);
    }
    if (name == "json") continue;  // leakhound reads go test's events itself
    if (name == "overlay") {
      out.overlay = value;
      continue;
    }
    if (name == "count") out.count = true;
    if (kListFlags.count(name)) out.list_flags.insert(out.list_flags.end(), tokens.begin(), tokens.end());
    out.flags.insert(out.flags.end(), tokens.begin(), tokens.end());
  }
  if (out.packages.empty()) out.packages.push_back(".");
  return out;
}

util::Result<TestRun> RunGoTests(const TestOptions& o) {
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  TestRun result;
  std::string work = o.work_dir;
  bool remove_work = false;
  if (work.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "leakhound-test.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return Status::IOError("cannot make a temporary directory");
    work = tmpl;
    remove_work = true;
  }
  struct Cleanup {
    std::string dir;
    bool on;
    ~Cleanup() {
      std::error_code ec;
      if (on) fs::remove_all(dir, ec);
    }
  } cleanup{work, remove_work};

  auto listed = ListPackages(o);
  if (!listed.ok()) return listed.status();
  std::vector<GoPackage>& packages = *listed;

  // The overlay: each package with tests gets its report.
  json replace = json::object();
  if (!o.args.overlay.empty()) {
    json user = json::parse(ReadFile(o.args.overlay), nullptr, false);
    if (user.is_discarded() || !user.contains("Replace") || !user["Replace"].is_object()) {
      return Status::InvalidArgument(o.args.overlay + ": not a go build -overlay file ({\"Replace\": {...}})");
    }
    replace = user["Replace"];
  }
  std::unordered_map<std::string, size_t> by_dir, by_path;
  std::vector<std::string> pending;
  for (size_t k = 0; k < packages.size(); ++k) {
    const GoPackage& p = packages[k];
    PackageOutcome outcome;
    outcome.package = p.import_path;
    if (!p.error.empty()) {
      outcome.status = "build failed";
      result.tests_failed = true;
      result.notes.push_back(fmt::format("{}: {}", p.import_path.empty() ? "go list" : p.import_path, p.error));
    } else if (p.test_files.empty()) {
      outcome.status = "no test files";
    } else {
      std::vector<std::pair<std::string, std::string>> files;
      for (const std::string& f : p.test_files) {
        // A file the user's overlay replaces is read from there.
        std::string from = replace.contains(f) && replace[f].is_string() ? replace[f].get<std::string>() : f;
        files.emplace_back(f, ReadFile(from));
      }
      TestMainPlan plan = PlanTestMain(p.dir, p.name, files);
      outcome.testmain = plan.kind == TestMainPlan::Kind::kGenerated   ? "generated"
                         : plan.kind == TestMainPlan::Kind::kRewritten ? "rewritten"
                         : plan.kind == TestMainPlan::Kind::kGoleak    ? "goleak"
                                                                        : "companion";
      size_t n = 0;
      for (const auto& [path, contents] : plan.files) {
        fs::path dest = fs::path(work) / "overlay" / std::to_string(k) / fmt::format("{}_{}", n++,
                                                                                    fs::path(path).filename().string());
        fs::create_directories(dest.parent_path());
        std::ofstream(dest, std::ios::binary) << contents;
        replace[path] = dest.string();
      }
      outcome.status = "not run";
      pending.push_back(p.import_path);
      by_dir[p.dir] = k;
    }
    by_path[p.import_path] = k;
    result.packages.push_back(std::move(outcome));
  }
  const std::string overlay_path = (fs::path(work) / "overlay.json").string();
  std::ofstream(overlay_path) << json{{"Replace", replace}}.dump();
  if (pending.empty()) {
    result.notes.push_back("no package with tests");
    return result;
  }

  result.proof = o.proof && HasLeakProfile(o.go);
  std::vector<std::string> env = {fmt::format("LEAKHOUND_TEST_SETTLE={}ms", o.settle.count())};
  if (result.proof) env.push_back(AppendEnv("GOEXPERIMENT", "goroutineleakprofile", ','));
  if (o.ancestors > 0) env.push_back(AppendEnv("GODEBUG", fmt::format("tracebackancestors={}", o.ancestors), ','));

  std::set<std::string> plain_checked;  // failing packages run once without the report
  std::vector<std::string> flags = o.args.flags;
  std::vector<std::string> lead;  // -C must come first
  for (size_t i = 0; i + 1 < flags.size(); ++i) {
    if (flags[i] == "-C" || flags[i] == "--C") {
      lead = {flags[i], flags[i + 1]};
      flags.erase(flags.begin() + static_cast<long>(i), flags.begin() + static_cast<long>(i) + 2);
      break;
    }
  }
  int report_dirs = 0;

  // One `go test` run of `packages` (with `extra` flags after the user's); returns the packages that may go on: they
  // passed, left their report and did not leak. `test`: the one test the run was limited to ("" for all).
  auto run_round = [&](const std::vector<std::string>& packages, const std::vector<std::string>& extra, int round,
                       const std::string& test, const std::string& label) -> util::Result<std::vector<std::string>> {
    const fs::path reports = fs::path(work) / fmt::format("reports-{}", ++report_dirs);
    fs::create_directories(reports);
    std::vector<std::string> argv = {o.go};
    argv.insert(argv.end(), lead.begin(), lead.end());
    argv.insert(argv.end(), {"test", "-json", "-overlay", overlay_path});
    if (!o.args.count) argv.push_back("-count=1");  // a cached result runs no test binary, so no report
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), packages.begin(), packages.end());
    if (!o.args.binary_args.empty()) {
      argv.push_back("-args");
      argv.insert(argv.end(), o.args.binary_args.begin(), o.args.binary_args.end());
    }
    std::vector<std::string> round_env = env;
    round_env.push_back("LEAKHOUND_TEST_DIR=" + reports.string());

    std::string output;
    std::set<std::string> seen_reports;
    std::vector<Run> round_runs;
    size_t done = 0;
    auto collect = [&]() {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(reports, ec)) {
        const fs::path& path = entry.path();
        if (path.extension() != ".json" || seen_reports.count(path.string())) continue;
        auto report = ReadReport(path);
        if (!report) continue;
        seen_reports.insert(path.string());
        auto it = by_dir.find(report->dir);
        if (it == by_dir.end()) continue;
        PackageOutcome& outcome = result.packages[it->second];
        outcome.reported = true;
        outcome.left += report->left;
        if (report->left > 0 && fs::exists(report->dump)) {
          round_runs.push_back(ReportRun(*report, outcome.package, round, test));
        }
      }
    };
    std::set<std::string> ended;
    std::map<std::string, std::vector<std::string>> failed_tests;  // by package
    auto r = util::RunProcess(argv, util::ProcessOptions{round_env, ""}, [&](std::string_view line) {
      output += line;
      output += '\n';
      json e = json::parse(line, nullptr, false);
      if (e.is_discarded() || !e.is_object()) return;
      const std::string action = e.value("Action", "");
      const std::string package = e.value("Package", e.value("ImportPath", ""));
      if (package.empty()) return;
      if (e.contains("Test")) {
        // Top-level tests that failed: run again without the report if their package fails (see below).
        const std::string name = e.value("Test", "");
        if (action == "fail" && name.find('/') == std::string::npos) failed_tests[package].push_back(name);
        return;
      }
      auto it = by_path.find(package);
      if (it == by_path.end()) return;
      PackageOutcome& outcome = result.packages[it->second];
      if (action == "output" || action == "build-output") {
        const std::string text = e.value("Output", "");
        if (text.find("[build failed]") != std::string::npos || text.find("[setup failed]") != std::string::npos) {
          outcome.status = "build failed";
        }
        return;
      }
      if (action != "pass" && action != "fail" && action != "skip" && action != "build-fail") return;
      if (!ended.insert(package).second) return;
      ++done;
      ++outcome.rounds;
      outcome.seconds = e.value("Elapsed", 0.0);
      if (action == "build-fail") outcome.status = "build failed";
      if (outcome.status != "build failed") {
        outcome.status = action == "fail" && !outcome.fails_only_with_report ? "FAIL" : "ok";
      }
      const uint64_t left_before = outcome.left;
      collect();
      std::string left;
      if (outcome.left > left_before) {
        left = fmt::format("  {} goroutine{} still running after its tests", outcome.left - left_before,
                           outcome.left - left_before == 1 ? "" : "s");
      }
      say(fmt::format("{}[{}/{}] {:<6} {} {:.2f}s{}", label, done, packages.size(), outcome.status, package,
                      outcome.seconds, left));
    });
    if (!r.ok()) return r.status();
    collect();
    if (r->exit_code != 0 && r->exit_code != 1) {
      return Status::Unavailable(fmt::format("go test failed (exit {}): {}", r->exit_code, util::Trim(r->err)));
    }
    if (r->exit_code == 1 && done == 0) {
      return Status::Unavailable(fmt::format("go test failed: {}", util::Trim(r->err)));
    }
    // go test's own output holds goroutines worth reading only when a test binary died with its stacks (a timeout,
    // a deadlock, a panic, SIGQUIT); stack traces a test merely logs are not that.
    // goleak's own reports (VerifyNone, VerifyTestMain) are read too.
    const bool died = output.find("\"Output\":\"panic: ") != std::string::npos ||
                      output.find("\"Output\":\"fatal error: ") != std::string::npos ||
                      output.find("\"Output\":\"SIGQUIT: quit") != std::string::npos ||
                      output.find("found unexpected goroutines") != std::string::npos;
    if (died) {
      Run go_run = ReadTestOutput(
          label.empty() ? std::string("go test") : "go test (" + std::string(util::TrimRight(label)) + ")", output);
      std::erase_if(go_run.dump.diagnostics,
                    [](const dump::Diagnostic& d) { return d.message.rfind("no goroutines found", 0) == 0; });
      for (size_t g = 0; g < go_run.owners.size(); ++g) {
        Owner& owner = go_run.owners[g];
        if (!owner.test.empty()) continue;
        if (!test.empty()) {
          owner.test = test;
          continue;
        }
        // A package-level report (goleak.VerifyTestMain, a timeout): the test in the stack or the creator.
        const dump::Goroutine& gr = go_run.dump.goroutines[g];
        for (const dump::Frame& f : go_run.dump.FramesOf(gr)) {
          if (owner.test.empty()) owner.test = TestOf(f.function, owner.package);
        }
        if (owner.test.empty()) owner.test = TestOf(gr.created_by.function, owner.package);
      }
      if (!go_run.dump.goroutines.empty()) round_runs.push_back(std::move(go_run));
    }

    // A package that fails with the report laid over it may pass without: a test that compares its own call stack
    // sees the added TestMain frame. Its failing tests run once more as plain go test to tell (a package that failed
    // without a failing test, a panic or a timeout, is not retried).
    std::vector<std::string> failed;
    std::set<std::string> names;
    for (const std::string& p : packages) {
      PackageOutcome& outcome = result.packages[by_path[p]];
      auto tests = failed_tests.find(p);
      if (outcome.status != "FAIL" || !ended.count(p) || tests == failed_tests.end() || died) continue;
      if (!plain_checked.insert(p).second) continue;
      failed.push_back(p);
      names.insert(tests->second.begin(), tests->second.end());
    }
    if (!failed.empty()) {
      std::string run_pattern = "^(";
      for (const std::string& n : names) run_pattern += (run_pattern.size() > 2 ? "|" : "") + n;
      run_pattern += ")$";
      std::vector<std::string> plain = {o.go};
      plain.insert(plain.end(), lead.begin(), lead.end());
      plain.insert(plain.end(), {"test", "-json", "-count=1"});
      if (!o.args.overlay.empty()) plain.insert(plain.end(), {"-overlay", o.args.overlay});
      plain.insert(plain.end(), flags.begin(), flags.end());
      plain.insert(plain.end(), {"-run", run_pattern});
      plain.insert(plain.end(), failed.begin(), failed.end());
      if (!o.args.binary_args.empty()) {
        plain.push_back("-args");
        plain.insert(plain.end(), o.args.binary_args.begin(), o.args.binary_args.end());
      }
      (void)util::RunProcess(plain, {}, [&](std::string_view line) {
        json e = json::parse(line, nullptr, false);
        if (e.is_discarded() || !e.is_object() || e.contains("Test") || e.value("Action", "") != "pass") return;
        auto it = by_path.find(e.value("Package", ""));
        if (it == by_path.end()) return;
        PackageOutcome& outcome = result.packages[it->second];
        outcome.fails_only_with_report = true;
        outcome.status = "ok";
      });
    }

    std::set<std::string> leaked;
    if (o.leaked_packages && round < std::max(1, o.repeat)) {  // judged only when another round may follow
      for (std::string& p : o.leaked_packages(round_runs)) leaked.insert(std::move(p));
    }
    std::vector<std::string> next;
    for (const std::string& p : packages) {
      PackageOutcome& outcome = result.packages[by_path[p]];
      if (outcome.status == "FAIL" || outcome.status == "build failed") result.tests_failed = true;
      const bool ran = ended.count(p) > 0;
      const bool goleak = outcome.testmain == "goleak";  // reports in the test output, not in a file
      if (ran && outcome.status == "ok" && !outcome.reported && !goleak) outcome.needs_helper = true;
      if (ran && outcome.status == "ok" && (outcome.reported || goleak) && !leaked.count(p)) next.push_back(p);
    }
    for (Run& run : round_runs) result.runs.push_back(std::move(run));
    return next;
  };

  // What runs: every package at once, or (--per-test) each test on its own, in every package that has it.
  struct Unit {
    std::string test;
    std::vector<std::string> packages;
  };
  std::vector<Unit> units;
  if (!o.per_test) {
    units.push_back(Unit{"", pending});
  } else {
    auto listed_tests = ListTests(o, lead, flags, overlay_path, env, pending);
    if (!listed_tests.ok()) return listed_tests.status();
    for (auto& [test, packages] : *listed_tests) units.push_back(Unit{test, packages});
    say(fmt::format("{} test{} in {} package{}, each run on its own", units.size(), units.size() == 1 ? "" : "s",
                    pending.size(), pending.size() == 1 ? "" : "s"));
  }
  for (size_t u = 0; u < units.size(); ++u) {
    std::vector<std::string> run = units[u].packages;
    std::vector<std::string> extra;
    if (!units[u].test.empty()) extra = {"-run", "^" + units[u].test + "$"};
    for (int round = 1; round <= std::max(1, o.repeat) && !run.empty(); ++round) {
      result.rounds = std::max(result.rounds, round);
      std::string label = units[u].test.empty() ? "" : fmt::format("{} ({}/{}) ", units[u].test, u + 1, units.size());
      if (o.repeat > 1) label += fmt::format("run {}: ", round);
      auto next = run_round(run, extra, round, units[u].test, label);
      if (!next.ok()) return next.status();
      run = std::move(next).value();
    }
  }
  for (const PackageOutcome& p : result.packages) {
    if (p.fails_only_with_report) {
      result.notes.push_back(fmt::format(
          "{}: its tests fail under leakhound test but pass under plain go test: a test that compares its own call "
          "stack sees the TestMain frame leakhound adds (its leak report is kept; -skip that test to silence this)",
          p.package));
    }
    if (p.needs_helper) {
      result.notes.push_back(fmt::format(
          "{}: no leak report: its TestMain exits before leakhound's check (os.Exit in a helper, log.Fatal); call "
          "leakcheck.Report() (leakhound.dev/leakcheck) just before that exit",
          p.package));
    }
  }
  return result;
}

}  // namespace leakhound::gotest
