#include "leakhound/cli/scan_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "leakhound/cli/cli.h"
#include "leakhound/cli/common.h"
#include "leakhound/report/report.h"
#include "leakhound/scan/fix.h"
#include "leakhound/scan/scan.h"
#include "leakhound/verdict/knowledge.h"

namespace leakhound::cli {

namespace {

constexpr size_t kDiagnosticsShown = 20;

int Usage(const std::string& message) {
  fmt::print(stderr, "leakhound scan: {}\n", message);
  return kExitError;
}

}  // namespace

int RunScan(ScanFlags flags) {
  if (flags.format == "auto") flags.format = "text";  // as every other command: text unless asked
  if (flags.format != "text" && flags.format != "json" && flags.format != "sarif") {
    return Usage("--format must be auto, text, json or sarif, not '" + flags.format + "'");
  }
  bool never_fail = flags.fail_on == "never";
  scan::Severity fail_on = scan::Severity::kWarning;
  if (!never_fail && !scan::ParseSeverity(flags.fail_on, &fail_on)) {
    return Usage("--fail-on must be error, warning, note or never, not '" + flags.fail_on + "'");
  }
  bool to_terminal = flags.output.empty() && ::isatty(STDOUT_FILENO);
  report::TextOptions text;
  if (flags.color == "always") {
    text.color = true;
  } else if (flags.color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    text.color = to_terminal && (no_color == nullptr || *no_color == '\0');
  } else if (flags.color != "never") {
    return Usage("--color must be auto, always or never, not '" + flags.color + "'");
  }

  scan::ScanOptions options;
  options.paths = flags.paths;
  options.tests = flags.tests ? scan::IncludeTests::kYes : scan::IncludeTests::kNo;
  options.dependencies = flags.deps;
  options.build.tags.insert(flags.tags.begin(), flags.tags.end());
  options.enable = flags.enable;
  options.disable = flags.disable;
  options.only = flags.only;
  options.all_rules = flags.all_rules;
  options.threads = flags.threads;
  options.progress = ::isatty(STDERR_FILENO) && !flags.quiet ? scan::ShowProgress::kYes : scan::ShowProgress::kNo;
  std::string config = verdict::FindProjectFile(flags.config);
  if (!config.empty()) {
    auto loaded = scan::LoadScanConfig(config);
    if (!loaded.ok()) return Usage(loaded.status().message());
    options.config = std::move(loaded).value();
  }

  auto result = scan::Scan(options);
  if (!result.ok()) return Usage(result.status().message());
  if (result->files == 0 && result->diagnostics.empty()) {
    fmt::print(stderr, "leakhound scan: no Go files found\n");
  }
  if (!flags.quiet) {
    size_t shown = 0;
    for (const scan::Diagnostic& d : result->diagnostics) {
      if (shown++ == kDiagnosticsShown) {
        fmt::print(stderr, "leakhound scan: {} more problems not shown\n", result->diagnostics.size() - kDiagnosticsShown);
        break;
      }
      if (d.position.line > 0) {
        fmt::print(stderr, "{}:{}:{}: {}\n", d.file, d.position.line, d.position.column, d.message);
      } else {
        fmt::print(stderr, "{}: {}\n", d.file, d.message);
      }
    }
  }

  if (flags.diff || flags.fix) {
    // The fixes, not the report: as a diff (stdout, for review or `git apply`), or written in place.
    scan::FixPlan plan = scan::PlanFixes(result->findings);
    for (const std::string& why : plan.skipped_files) fmt::print(stderr, "leakhound scan: not fixed: {}\n", why);
    for (const std::string& why : scan::GofmtPlanned(&plan)) fmt::print(stderr, "leakhound scan: {}\n", why);
    size_t with_fix = 0, without = 0;
    for (const scan::Finding& f : result->findings) {
      if (f.suppressed) continue;
      (f.fix ? with_fix : without)++;
    }
    if (flags.diff) {
      std::string out;
      for (const scan::FixPlan::File& f : plan.files) out += scan::UnifiedDiff(f.display, f.before, f.after);
      if (auto code = Emit(out, flags.output, false, false)) return *code;
    } else {
      util::Status written = scan::WriteFixes(plan);
      if (!written.ok()) {
        fmt::print(stderr, "leakhound scan: {}\n", written.message());
        return kExitError;
      }
    }
    if (!flags.quiet) {
      for (const scan::FixPlan::File& f : plan.files) {
        std::string rules;
        for (const auto& [id, n] : f.by_rule) rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", id, n);
        fmt::print(stderr, "{}: {} fix{} ({})\n", f.display, f.fixes, f.fixes == 1 ? "" : "es", rules);
      }
      fmt::print(stderr, "leakhound scan: {} {} fix{} in {} file{}; {} finding{} without a mechanical fix\n",
                 flags.fix ? "applied" : "offers", plan.fixes, plan.fixes == 1 ? "" : "es", plan.files.size(),
                 plan.files.size() == 1 ? "" : "s", without, without == 1 ? "" : "s");
    }
    (void)with_fix;
    if (never_fail || flags.fix) return kExitOk;
    for (const scan::Finding& f : result->findings) {
      if (!f.suppressed && static_cast<int>(f.severity) <= static_cast<int>(fail_on)) return kExitFindings;
    }
    return kExitOk;
  }

  std::string out;
  if (flags.format == "json") {
    out = report::WriteScanJson(*result);
  } else if (flags.format == "sarif") {
    out = report::WriteScanSarif(*result, ".");
  } else {
    out = report::WriteScanText(*result, text);
  }
  if (auto code = Emit(out, flags.output, flags.format != "json" && flags.format != "sarif", text.color)) return *code;
  if (!flags.quiet && (flags.format == "text" || !flags.output.empty())) {
    fmt::print(stderr, "{}\n", report::ScanSummary(*result));
  }
  if (never_fail) return kExitOk;
  for (const scan::Finding& f : result->findings) {
    if (!f.suppressed && static_cast<int>(f.severity) <= static_cast<int>(fail_on)) return kExitFindings;
  }
  return kExitOk;
}

int RunRules(const RulesFlags& flags) {
  if (!flags.id.empty()) {
    const scan::RuleInfo* r = scan::FindRule(flags.id);
    if (r == nullptr) {
      fmt::print(stderr, "leakhound rules: unknown rule '{}'\n", flags.id);
      return kExitError;
    }
    fmt::print("{}", scan::RuleDocText(*r));
    return kExitOk;
  }
  size_t name_width = 4;
  for (const scan::RuleInfo& r : scan::AllRules()) name_width = std::max(name_width, r.name.size());
  fmt::print("{:<6} {:<{}} {:<8} {:<12} {}\n", "ID", "NAME", name_width, "SEVERITY", "DEFAULT", "SUMMARY");
  for (const scan::RuleInfo& r : scan::AllRules()) {
    fmt::print("{:<6} {:<{}} {:<8} {:<12} {}\n", r.id, r.name, name_width, scan::SeverityName(r.severity),
               r.experimental ? "experimental" : "on", r.summary);
  }
  return kExitOk;
}

}  // namespace leakhound::cli
