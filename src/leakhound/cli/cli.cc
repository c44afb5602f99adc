#include "leakhound/cli/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "leakhound/cli/analyze_command.h"
#include "leakhound/cli/check_command.h"
#include "leakhound/cli/completion.h"
#include "leakhound/cli/diff_command.h"
#include "leakhound/cli/watch_command.h"
#include "leakhound/cli/scan_command.h"
#include "leakhound/cli/test_command.h"
#include "leakhound/scan/rules.h"
#include "leakhound/util/strings.h"

namespace leakhound::cli {

namespace {

// Options of every dump-reading subcommand.
void AddInputOptions(CLI::App* cmd, InputFlags& f, bool& no_color, const std::string& formats) {
  cmd->add_option("--input-format", f.input_format, "auto|traceback|debug1|pprof (default: detected)");
  cmd->add_option("--leak-profile", f.leak_profile,
                  "A goroutineleak?debug=2 profile (file or URL) of the process of the last input, taken after it: "
                  "the goroutines it marks leaked are definite, by id (URL inputs fetch it themselves)");
  cmd->add_option("-s,--similarity", f.similarity, "Bucket goroutines by exact|line|func (default: line)");
  cmd->add_option("-f,--format", f.format, formats);
  cmd->add_option("-o,--output", f.output, "Write the report to FILE");
  cmd->add_option("--fail-on", f.fail_on,
                  "definite|suspect|never: exit 1 when a bucket has that verdict or worse (default: definite)");
  cmd->add_option("--color", f.color, "auto|always|never");
  cmd->add_flag("--no-color", no_color, "Same as --color=never (NO_COLOR is honoured too)");
  cmd->add_option("--threads", f.threads, "Parser threads (default: all cores)");
  cmd->add_option("--timeout", f.timeout_seconds, "Seconds to wait for a URL (default: 30)");
  cmd->add_flag("-q,--quiet", f.quiet, "Do not print input problems on stderr");
  cmd->add_option("--config", f.config,
                  "Project knowledge file (default: .leakhound.yaml in this directory or the nearest parent)");
}

void AddAnalyze(CLI::App& app, AnalyzeFlags& f, bool& no_color) {
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Cluster the goroutines of dumps or profiles, rank leak suspects and name where they were created");
  cmd->add_option("inputs", f.io.inputs,
                  "Dump files, pprof URLs (http://127.0.0.1:6060, .../debug/pprof/goroutine?debug=N) or - for stdin");
  cmd->add_option("--top", f.analyze.top, "Show the N largest buckets (default: 40 for text, all for JSON; 0: all)")
      ->each([&](const std::string&) { f.top_given = true; });
  cmd->add_option("--min-count", f.analyze.min_count, "Hide buckets with fewer goroutines");
  cmd->add_option("--focus", f.analyze.focus, "Keep buckets with a frame or creator matching REGEX");
  cmd->add_option("--ignore", f.analyze.ignore, "Drop buckets with any frame or creator matching REGEX");
  cmd->add_option("--ignore-top", f.analyze.ignore_top, "Drop buckets whose top or blocking frame matches REGEX");
  AddInputOptions(cmd, f.io, no_color, "auto|text|json|html|folded|pprof (default: text, on a pipe too)");
}

void AddDiff(CLI::App& app, DiffFlags& f, bool& no_color) {
  CLI::App* cmd = app.add_subcommand(
      "diff", "Match the buckets of two or more snapshots and show which grew, how fast, and which goroutines stayed");
  cmd->add_option("snapshots", f.io.inputs, "Two or more dumps or pprof URLs, oldest first");
  cmd->add_option("--interval", f.diff.interval_minutes,
                  "Minutes between consecutive snapshots (default: from timestamps in the file names, if any)");
  cmd->add_option("--min-growth", f.diff.min_growth, "Growth below N never raises a verdict (default 5)");
  cmd->add_option("--top", f.diff.top, "Show the N buckets that grew most (default: 40 for text, all for JSON; 0: all)")
      ->each([&](const std::string&) { f.top_given = true; });
  cmd->add_option("--focus", f.diff.focus, "Keep buckets with a frame or creator matching REGEX");
  cmd->add_option("--ignore", f.diff.ignore, "Drop buckets with any frame or creator matching REGEX");
  AddInputOptions(cmd, f.io, no_color, "auto|text|json|html (default: text, on a pipe too)");
}

void AddCheck(CLI::App& app, CheckFlags& f, bool& no_color) {
  CLI::App* cmd = app.add_subcommand(
      "check", "CI gate: find the goroutine leaks in `go test` output (plain or -json) and fail on new ones");
  cmd->add_option("inputs", f.inputs, "go test output files, or - for stdin (default: stdin)");
  cmd->add_option("--baseline", f.baseline, "Fail only on leak buckets not recorded in FILE");
  cmd->add_option("--write-baseline", f.write_baseline, "Record today's leak buckets in FILE and exit 0");
  cmd->add_option("-f,--format", f.format, "auto|text|json|junit (default: text, on a pipe too)");
  cmd->add_option("-o,--output", f.output, "Write the report to FILE");
  cmd->add_option("--color", f.color, "auto|always|never");
  cmd->add_flag("--no-color", no_color, "Same as --color=never (NO_COLOR is honoured too)");
  cmd->add_option("--config", f.config,
                  "Project knowledge file (default: .leakhound.yaml in this directory or the nearest parent)");
  cmd->add_flag("-q,--quiet", f.quiet, "Do not print input problems on stderr");
}

void AddScan(CLI::App& app, ScanFlags& f, bool& no_color) {
  CLI::App* cmd = app.add_subcommand("scan", "Find goroutine leaks in Go source before they ship (static rules)");
  cmd->add_option("paths", f.paths, "./... (default), DIR/..., DIR or FILE.go");
  cmd->add_option("-f,--format", f.format, "auto|text|json|sarif (default: text, on a pipe too)");
  cmd->add_option("-o,--output", f.output, "Write the report to FILE");
  cmd->add_flag("--tests{true}", f.tests, "Scan _test.go files too (default: true; --tests=false drops them)");
  cmd->add_flag("--deps{true}", f.deps,
                "Judge calls into the module's dependencies by summaries of their source in the module cache or "
                "vendor/ (default: true; kept in ~/.cache/leakhound or $LEAKHOUND_CACHE_DIR)");
  cmd->add_option("--tags", f.tags,
                  "Build tags, as go build -tags: files whose //go:build needs them are read (GOOS/GOARCH from the "
                  "environment)")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("--enable", f.enable, "Run rule ID (or name), experimental ones too; repeatable, or ID,ID")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("--disable", f.disable, "Do not run rule ID (or name); repeatable, or ID,ID")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("--only", f.only,
                  "Run only rule ID (or name), e.g. --only LH020 for the project's rewrites; repeatable, or ID,ID")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_flag("--all-rules", f.all_rules, "Run every rule, experimental ones too");
  cmd->add_option("--fail-on", f.fail_on,
                  "error|warning|note|never: exit 1 on findings of that severity or above (default: warning)");
  cmd->add_option("--config", f.config,
                  "Project file with a scan: section (default: .leakhound.yaml here or in the nearest parent)");
  cmd->add_option("--threads", f.threads, "Parser threads (default: all cores)");
  cmd->add_option("--color", f.color, "auto|always|never");
  cmd->add_flag("--no-color", no_color, "Same as --color=never (NO_COLOR is honoured too)");
  cmd->add_flag("-q,--quiet", f.quiet, "No summary and no syntax-error diagnostics on stderr");
  cmd->add_flag("--diff", f.diff, "Print the fixes offered for the findings as a unified diff (no report)");
  cmd->add_flag("--fix", f.fix, "Apply the fixes offered for the findings, in place (files changed since the scan "
                                 "are left alone)");
}

void AddRules(CLI::App& app, RulesFlags& f) {
  CLI::App* cmd = app.add_subcommand("rules", "List the scan rules, or print one rule's documentation");
  cmd->add_option("id", f.id, "A rule id (LH001) or name (abandoned-sender)");
}

void AddWatch(CLI::App& app, WatchFlags& f, bool& no_color) {
  CLI::App* cmd = app.add_subcommand(
      "watch", "Scrape running Go services' pprof endpoints, track goroutines per stack over time, alert on leaks");
  cmd->add_option("targets", f.targets, "pprof base URLs (http://127.0.0.1:6060)");
  cmd->add_option("--config", f.config, "targets.yaml: url, name, labels and rule overrides per target");
  cmd->add_option("--knowledge", f.knowledge,
                  "The project's knowledge file: ignores and signatures (default: .leakhound.yaml here or in the "
                  "nearest parent)");
  cmd->add_option("--interval", f.interval, "Time between scrapes: 15s, 200ms, 1m (default 15s)");
  cmd->add_option("--window", f.window, "Time series kept per bucket (default 30m)");
  cmd->add_option("--timeout", f.timeout, "Per scrape: connect, and the whole response (default 5s)");
  cmd->add_flag("--once", f.once, "One round, then exit (exit 1 when an alert fired)");
  cmd->add_option("--duration", f.duration, "Stop after this long (exit 1 when an alert fired)");
  cmd->add_option("--max-goroutines", f.max_goroutines, "Alert when a target has more goroutines (default: off)");
  cmd->add_option("--min-samples", f.min_samples, "Samples of unbroken growth before a growth alert (default 8)");
  cmd->add_option("--min-slope", f.min_slope, "... at least this many goroutines per minute (default 1)");
  cmd->add_option("--min-growth", f.min_growth, "... and this many goroutines in all (default 5)");
  cmd->add_flag("--no-definite", f.no_definite, "Do not alert on buckets whose verdict is definite");
  cmd->add_option("--leak-every", f.leak_every,
                  "Every N rounds also scrape /debug/pprof/goroutineleak (Go 1.26, GOEXPERIMENT=goroutineleakprofile; "
                  "costs the target a GC cycle) and alert on what the runtime proves leaked (default 0: only with "
                  "the dump taken on alert)");
  cmd->add_option("--cooldown", f.cooldown, "The same alert fires at most once per this (default 10m)");
  cmd->add_option("--dump-dir", f.dump_dir, "On alert, write a debug=2 dump of the target here");
  cmd->add_option("--dump-keep", f.dump_keep, "Keep at most N dumps in --dump-dir (default 20)");
  cmd->add_option("--dump-max-mb", f.dump_max_mb, "Keep at most this many MiB of dumps (default 1024)");
  cmd->add_option("--webhook", f.webhook, "POST each alert as JSON to URL");
  cmd->add_option("--webhook-timeout", f.webhook_timeout, "Per attempt (default 5s)");
  cmd->add_option("--webhook-retries", f.webhook_retries,
                  "Retries of one alert after a failed POST, with backoff up to 30 s (default: until --webhook-max-age)");
  cmd->add_option("--webhook-max-age", f.webhook_max_age,
                  "Keep retrying an alert this long: a receiver down for minutes still gets it (default 10m)");
  cmd->add_option("--webhook-format", f.webhook_format,
                  "json|slack: leakhound's alert event, or a Slack-compatible {\"text\": ...} body (default json)");
  cmd->add_option("--file-sd", f.file_sd,
                  "Targets from a Prometheus file_sd FILE (JSON or YAML [{targets, labels}]), re-read when it changes "
                  "(repeatable)");
  cmd->add_option("--http-sd", f.http_sd, "Targets from a Prometheus HTTP SD URL, polled every --sd-refresh (repeatable)");
  cmd->add_option("--prometheus", f.prometheus,
                  "Targets from a running Prometheus server's active targets (URL of the server), every --sd-refresh");
  cmd->add_option("--prometheus-job", f.prometheus_job, "... only those of this job (repeatable)");
  cmd->add_option("--prometheus-match", f.prometheus_match, "... only those with this label=value (repeatable)");
  cmd->add_option("--pprof-port", f.pprof_port,
                  "Discovered targets serve pprof on this port of their host (default: the discovered address's)");
  cmd->add_option("--pprof-label", f.pprof_label,
                  "A label of discovered targets that holds their pprof address (host:port or URL), where present");
  cmd->add_option("--sd-refresh", f.sd_refresh, "How often HTTP SD and Prometheus are asked (default 30s)");
  cmd->add_option("--sd-grace", f.sd_grace,
                  "A discovered target that left keeps its series this long before they are dropped (default 5m)");
  cmd->add_option("--shard", f.shard,
                  "I/N: watch only this replica's share of the targets (a stable hash), for N replicas with no "
                  "coordination");
  cmd->add_option("--alertmanager", f.alertmanager,
                  "Post alerts to this Alertmanager (http://127.0.0.1:9093), re-send them while they hold, resolve "
                  "them when they stop (repeatable)");
  cmd->add_option("--alertmanager-resend", f.alertmanager_resend, "How often firing alerts are re-sent (default 1m)");
  cmd->add_option("--metrics-listen", f.metrics_listen,
                  "Serve Prometheus metrics on HOST:PORT (a bare PORT binds 127.0.0.1), e.g. 127.0.0.1:9464");
  cmd->add_option("--metrics-top", f.metrics_top, "Bucket series per target in the metrics (default 10)");
  cmd->add_option("--max-body-mb", f.max_body_mb, "Refuse goroutine profiles larger than this (default 64)");
  cmd->add_option("--concurrency", f.concurrency, "Scrapes in flight at once (default 8)");
  cmd->add_option("--profile", f.profile,
                  "debug0: scrape the pprof protobuf, whose runtime frames give wait states (definite leaks); "
                  "debug1: the text profile, without them (default debug0)");
  cmd->add_option("-f,--format", f.format,
                  "auto|table|json (default: table on a terminal, JSON lines otherwise); html writes the page to -o "
                  "and keeps the live output as auto");
  cmd->add_option("-o,--output", f.output, "With --format html: the HTML page written at the end of the run");
  cmd->add_option("--html", f.html,
                  "Write an HTML page of every target's trends here at the end of the run, and one beside each dump");
  cmd->add_option("--color", f.color, "auto|always|never");
  cmd->add_flag("--no-color", no_color, "Same as --color=never (NO_COLOR is honoured too)");
  cmd->add_flag("-q,--quiet", f.quiet, "Do not print scrape errors on stderr");
}

// The commands and options for the shell completion scripts, from the parser itself (and `test`'s help).
std::vector<CompletionCommand> CompletionCommands(const CLI::App& app) {
  std::vector<CompletionCommand> out;
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    CompletionCommand c{sub->get_name(), sub->get_description(), {}, {}, true};
    names.push_back(c.name);
    if (c.name == "test") {
      c.options = OptionsInHelp(TestHelp());
    } else {
      for (const CLI::Option* opt : sub->get_options()) {
        if (opt->get_positional()) continue;
        CompletionOption o;
        for (const std::string& n : opt->get_snames()) o.names.push_back("-" + n);
        for (const std::string& n : opt->get_lnames()) o.names.push_back("--" + n);
        o.description = opt->get_description();
        o.takes_value = opt->get_items_expected_max() > 0;
        if (o.takes_value) o.values = ValuesInDescription(o.description);
        c.options.push_back(std::move(o));
      }
    }
    if (c.name == "rules") {
      for (const scan::RuleInfo& r : scan::AllRules()) c.words.emplace_back(r.id);
      c.files = false;
    } else if (c.name == "completion") {
      c.words = {"bash", "zsh", "fish"};
      c.files = false;
    }
    out.push_back(std::move(c));
  }
  out.push_back({"help", "Print the help of leakhound or of a command", {}, names, false});
  return out;
}

}  // namespace

int Main(int argc, char** argv) {
  // `test` passes go test's own flags (-run, -count=3, -args ...) through: it parses its arguments itself.
  if (argc >= 2 && std::string_view(argv[1]) == "test") return RunTest(std::vector<std::string>(argv + 2, argv + argc));
  CLI::App app{"leakhound: find goroutine leaks in Go programs", "leakhound"};
  app.set_version_flag("--version", std::string(kVersionLine));
  app.require_subcommand(1);
  AnalyzeFlags analyze;
  DiffFlags diff;
  CheckFlags check;
  WatchFlags watch;
  bool no_color = false;
  AddAnalyze(app, analyze, no_color);
  AddDiff(app, diff, no_color);
  AddCheck(app, check, no_color);
  // Listed for --help; `leakhound test ...` is dispatched above, before CLI11 sees go test's flags.
  app.add_subcommand("test", "Run go test so that every test binary reports the goroutines its tests leave running "
                             "(no code change), and fail on new leaks")
      ->allow_extras();
  AddWatch(app, watch, no_color);
  ScanFlags scan;
  RulesFlags rules;
  AddScan(app, scan, no_color);
  AddRules(app, rules);
  std::string shell;
  app.add_subcommand("completion", "Print a shell completion script: bash, zsh or fish")
      ->add_option("shell", shell, "bash|zsh|fish")
      ->required();
  app.footer("Run leakhound help COMMAND (or leakhound COMMAND --help) for a command's options.");
  // `leakhound help [COMMAND]`, and a word that is no command: say so, with the nearest one.
  if (argc >= 2 && argv[1][0] != '-') {
    const std::string_view word = argv[1];
    if (word == "help") {
      if (argc >= 3) {
        if (std::string_view(argv[2]) == "test") return RunTest({"--help"});
        for (CLI::App* sub : app.get_subcommands({})) {
          if (sub->get_name() == argv[2]) {
            fmt::print("{}", sub->help("leakhound"));
            return kExitOk;
          }
        }
      }
      fmt::print("{}", app.help());
      return kExitOk;
    }
    std::string nearest;
    size_t best = SIZE_MAX;
    bool known = false;
    for (CLI::App* sub : app.get_subcommands({})) {
      known = known || sub->get_name() == word;
      const size_t d = util::EditDistance(word, sub->get_name());
      if (d < best) best = d, nearest = sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "leakhound: unknown command '{}'{}\n(run leakhound --help for the commands)\n", word,
                 best <= 2 ? fmt::format("; did you mean '{}'?", nearest) : "");
      return kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // An option nobody has (--formt): name the nearest one of the command.
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      std::vector<CLI::App*> parsed = app.get_subcommands();
      CLI::App* cmd = parsed.empty() ? &app : parsed.front();
      for (const std::string& extra : cmd->remaining()) {
        if (extra.rfind("--", 0) != 0) continue;
        const std::string name = extra.substr(2, extra.find('=') - 2);
        std::string nearest;
        size_t best = SIZE_MAX;
        for (const CLI::Option* opt : cmd->get_options()) {
          for (const std::string& l : opt->get_lnames()) {
            const size_t d = util::EditDistance(name, l);
            if (d < best) best = d, nearest = l;
          }
        }
        if (best <= 2) fmt::print(stderr, "did you mean --{}?\n", nearest);
      }
    }
    return code == 0 ? kExitOk : kExitError;
  }
  if (app.got_subcommand("analyze")) {
    if (no_color) analyze.io.color = "never";
    return RunAnalyze(std::move(analyze));
  }
  if (app.got_subcommand("diff")) {
    if (no_color) diff.io.color = "never";
    return RunDiff(std::move(diff));
  }
  if (app.got_subcommand("check")) {
    if (no_color) check.color = "never";
    return RunCheck(std::move(check));
  }
  if (app.got_subcommand("scan")) {
    if (no_color) scan.color = "never";
    return RunScan(std::move(scan));
  }
  if (app.got_subcommand("rules")) return RunRules(rules);
  if (app.got_subcommand("completion")) {
    std::optional<std::string> script = CompletionScript(shell, CompletionCommands(app));
    if (!script) {
      fmt::print(stderr, "leakhound completion: no script for '{}': bash, zsh or fish\n", shell);
      return kExitError;
    }
    fmt::print("{}", *script);
    return kExitOk;
  }
  if (app.got_subcommand("watch")) {
    if (no_color) watch.color = "never";
    return RunWatch(std::move(watch));
  }
  return kExitError;
}

}  // namespace leakhound::cli
