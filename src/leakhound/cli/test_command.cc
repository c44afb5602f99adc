#include "leakhound/cli/test_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "leakhound/cli/check_command.h"
#include "leakhound/cli/cli.h"
#include "leakhound/cli/common.h"
#include "leakhound/gotest/runner.h"
#include "leakhound/report/report.h"
#include "leakhound/verdict/check.h"
#include "leakhound/watch/config.h"

namespace leakhound::cli {

namespace {

constexpr const char* kHelp = R"(Run go test so that every test binary reports the goroutines its tests leave running, and fail on new leaks
Usage: leakhound test [OPTIONS] [go test flags] [packages]

No change to the code under test: each package gets a TestMain through go test -overlay (its own TestMain is
wrapped), which after the tests lets goroutines settle and writes those still running for leakhound to judge. With
Go >= 1.26 the runtime's goroutineleak profile proves leaks too. Every argument that is not an option below goes to
go test as given (-run, -race, -tags, -timeout, ./..., -args ...); after --, every argument does.

Options:
  -h,--help                   Print this help message and exit
  --repeat N                  Run each package's tests up to N times; a package stops at its first leak (default 1)
  --per-test                  Run each top-level test in a test binary of its own (-run '^Name$'): every leak named
                              at its test for certain, at the cost of one go test run per test name
  --settle D                  How long goroutines may take to end after the tests: 500ms, 2s (default 2s)
  --no-proof                  Do not build with GOEXPERIMENT=goroutineleakprofile (Go >= 1.26; default: use it)
  --ancestors N               GODEBUG=tracebackancestors=N, to name the test that started a leaked goroutine (0: off; default 3)
  --baseline FILE             Fail only on leak buckets not recorded in FILE
  --write-baseline FILE       Record today's leak buckets in FILE and exit 0 (failing tests still exit 1)
  --format FORMAT             text|json|junit (default text)
  --output FILE               Write the report to FILE
  --config FILE               Project knowledge file (default: .leakhound.yaml here or in the nearest parent)
  --color WHEN                auto|always|never
  --no-color                  Same as --color=never (NO_COLOR is honoured too)
  --quiet                     No progress on stderr
  --keep DIR                  Keep the overlay and the reports in DIR (for a look at what ran)
  --go PATH                   The go command (default: go from PATH)

Exit status: 0 tests passed and no new leak, 1 a new leak or a failing test, 2 leakhound could not run.
)";

struct TestFlags {
  int repeat = 1;
  std::string settle = "2s";
  bool no_proof = false;
  bool per_test = false;
  int ancestors = 3;
  std::string baseline, write_baseline, format = "text", output, config, color = "auto", keep, go = "go";
  bool quiet = false;
  std::vector<std::string> go_args;
};

// Takes leakhound's options out of `args`; the rest is for go test. nullopt: parsed; else the exit code.
std::optional<int> ParseFlags(const std::vector<std::string>& args, TestFlags* f) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leakhound test: {}\n(run leakhound test --help for the options)\n", message);
    return std::optional<int>(kExitError);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      f->go_args.insert(f->go_args.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a == "-h" || a == "--help" || a == "-help") {
      fmt::print("{}", kHelp);
      return kExitOk;
    }
    if (a.rfind("--", 0) != 0 || a == "--args") {
      f->go_args.push_back(a);
      if (a == "-args" || a == "--args") {
        f->go_args.insert(f->go_args.end(), args.begin() + static_cast<long>(i) + 1, args.end());
        break;
      }
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto take = [&](std::string* out) -> bool {
      if (has_value) {
        *out = value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    auto take_int = [&](int* out) -> bool {
      std::string s;
      if (!take(&s)) return false;
      try {
        size_t used = 0;
        *out = std::stoi(s, &used);
        return used == s.size() && *out >= 0;
      } catch (...) {
        return false;
      }
    };
    if (name == "repeat") {
      if (!take_int(&f->repeat) || f->repeat < 1) return usage("--repeat needs a number >= 1");
    } else if (name == "ancestors") {
      if (!take_int(&f->ancestors)) return usage("--ancestors needs a number >= 0");
    } else if (name == "settle" || name == "baseline" || name == "write-baseline" || name == "format" ||
               name == "output" || name == "config" || name == "color" || name == "keep" || name == "go") {
      std::string* dest = name == "settle"           ? &f->settle
                          : name == "baseline"       ? &f->baseline
                          : name == "write-baseline" ? &f->write_baseline
                          : name == "format"         ? &f->format
                          : name == "output"         ? &f->output
                          : name == "config"         ? &f->config
                          : name == "color"          ? &f->color
                          : name == "keep"           ? &f->keep
                                                     : &f->go;
      if (!take(dest)) return usage("--" + name + " needs a value");
    } else if (name == "no-proof" && !has_value) {
      f->no_proof = true;
    } else if (name == "per-test" && !has_value) {
      f->per_test = true;
    } else if (name == "no-color" && !has_value) {
      f->color = "never";
    } else if (name == "quiet" && !has_value) {
      f->quiet = true;
    } else {
      // A go test flag written with two dashes (--run, --count=3): go accepts them.
      f->go_args.push_back(a);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view TestHelp() { return kHelp; }

int RunTest(const std::vector<std::string>& args) {
  TestFlags flags;
  if (auto code = ParseFlags(args, &flags)) return *code;
  auto settle = watch::ParseDuration(flags.settle);
  if (!settle.ok()) {
    fmt::print(stderr, "leakhound test: --settle: {}\n", settle.status().message());
    return kExitError;
  }
  CheckFlags check_flags;
  check_flags.inputs = {"go test"};
  check_flags.format = flags.format;
  check_flags.output = flags.output;
  check_flags.color = flags.color;
  check_flags.config = flags.config;
  check_flags.quiet = flags.quiet;
  check_flags.baseline = flags.baseline;
  CheckSetup setup;
  if (auto code = PrepareCheck("test", check_flags, &setup)) return *code;
  const verdict::CheckOptions& check_options = setup.options;

  auto go_args = gotest::SplitGoTestArgs(flags.go_args);
  if (!go_args.ok()) {
    fmt::print(stderr, "leakhound test: {}\n", go_args.status().message());
    return kExitError;
  }
  gotest::TestOptions options;
  options.args = std::move(go_args).value();
  options.go = flags.go;
  options.repeat = flags.repeat;
  options.settle = *settle;
  options.proof = !flags.no_proof;
  options.ancestors = flags.ancestors;
  options.per_test = flags.per_test;
  options.work_dir = flags.keep;
  if (!flags.keep.empty()) std::filesystem::create_directories(flags.keep);
  options.leaked_packages = [&](const std::vector<gotest::Run>& runs) {
    std::vector<std::string> out;
    auto check = verdict::CheckRuns(runs, check_options);
    if (!check.ok()) return out;
    std::set<std::string> seen;
    for (size_t r = 0; r < runs.size(); ++r) {
      for (const gotest::Owner& o : runs[r].owners) {
        if (!o.package.empty()) seen.insert(o.package);
      }
    }
    for (const verdict::CheckBucket& b : check->buckets) {
      for (const std::string& t : b.tests) {
        for (const std::string& p : seen) {
          if (t == p || t.rfind(p + ".", 0) == 0) out.push_back(p);
        }
      }
    }
    return out;
  };
  if (!flags.quiet) {
    options.progress = [](const std::string& line) { fmt::print(stderr, "leakhound test: {}\n", line); };
  }

  auto run = gotest::RunGoTests(options);
  if (!run.ok()) {
    fmt::print(stderr, "leakhound test: {}\n", run.status().message());
    return kExitError;
  }
  if (!flags.quiet) {
    for (const gotest::Run& r : run->runs) PrintDiagnostics(r.dump);
    for (const std::string& note : run->notes) fmt::print(stderr, "leakhound test: {}\n", note);
  }
  auto check = verdict::CheckRuns(run->runs, check_options);
  if (!check.ok()) {
    fmt::print(stderr, "leakhound test: {}\n", check.status().message());
    return kExitError;
  }
  size_t ran = 0, failed = 0;
  for (const gotest::PackageOutcome& p : run->packages) {
    ran += p.rounds > 0;
    failed += p.status == "FAIL" || p.status == "build failed";
  }
  if (!flags.quiet) {
    fmt::print(stderr, "leakhound test: {} package{} tested{}{}, {} leak bucket{} ({} new){}\n", ran,
               ran == 1 ? "" : "s", run->rounds > 1 ? fmt::format(" in up to {} runs", run->rounds) : "",
               failed > 0 ? fmt::format(", {} failing", failed) : "", check->buckets.size(),
               check->buckets.size() == 1 ? "" : "s", check->new_buckets,
               run->proof ? "; the Go runtime's leak proof was on" : "");
  }
  if (!flags.write_baseline.empty()) {
    if (auto code = Emit(verdict::WriteBaseline(*check), flags.write_baseline)) return *code;
    fmt::print(stderr, "leakhound test: wrote {} leak buckets to {}\n", check->buckets.size(), flags.write_baseline);
    return run->tests_failed ? kExitFindings : kExitOk;
  }
  if (auto code = EmitCheck(*check, setup, flags.output)) return *code;
  return check->new_buckets > 0 || run->tests_failed ? kExitFindings : kExitOk;
}

}  // namespace leakhound::cli
