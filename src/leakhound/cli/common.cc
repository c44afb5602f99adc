#include "leakhound/cli/common.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "leakhound/cli/cli.h"
#include "leakhound/gotest/test_output.h"
#include "leakhound/util/mapped_file.h"
#include "leakhound/util/text.h"

namespace leakhound::cli {

namespace {

constexpr size_t kDiagnosticsShown = 20;

bool ParseSimilarity(std::string_view s, cluster::Similarity* out) {
  if (s == "exact") *out = cluster::Similarity::kExact;
  else if (s == "line") *out = cluster::Similarity::kLine;
  else if (s == "func") *out = cluster::Similarity::kFunc;
  else return false;
  return true;
}

bool ParseInputFormat(std::string_view s, dump::Format* out) {
  if (s == "auto") *out = dump::Format::kAuto;
  else if (s == "traceback" || s == "debug2" || s == "text") *out = dump::Format::kTraceback;
  else if (s == "debug1" || s == "aggregated") *out = dump::Format::kAggregated;
  else if (s == "pprof" || s == "debug0" || s == "proto") *out = dump::Format::kPprof;
  else return false;
  return true;
}

size_t TerminalWidth() {
  struct winsize ws;
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) return static_cast<size_t>(std::atoi(c));
  return 120;
}

}  // namespace

std::optional<int> Resolve(std::string_view command, InputFlags& flags, Settings* out) {
  auto usage = [&](const std::string& message) {
    fmt::print(stderr, "leakhound {}: {}\n", command, message);
    return std::optional<int>(kExitError);
  };
  if (!ParseSimilarity(flags.similarity, &out->similarity)) {
    return usage("--similarity must be exact, line or func, not '" + flags.similarity + "'");
  }
  out->read.threads = flags.threads;
  if (!ParseInputFormat(flags.input_format, &out->read.format)) {
    return usage("--input-format must be auto, traceback, debug1 or pprof, not '" + flags.input_format + "'");
  }
  out->never_fail = flags.fail_on == "never" || flags.fail_on == "none";
  if (!out->never_fail && (!verdict::ParseVerdict(flags.fail_on, &out->fail_on) ||
                           (out->fail_on != verdict::Verdict::kDefinite &&
                            out->fail_on != verdict::Verdict::kSuspect))) {
    return usage("--fail-on must be definite, suspect or never, not '" + flags.fail_on + "'");
  }
  bool to_terminal = flags.output.empty() && ::isatty(STDOUT_FILENO);
  if (flags.format == "auto") {
    // Text on a pipe too (| less, | grep), as go vet and golangci-lint print: machines ask for -f json.
    out->format = report::OutputFormat::kText;
  } else if (!report::ParseOutputFormat(flags.format, &out->format)) {
    return usage("--format must be auto, text, json, html, folded or pprof, not '" + flags.format + "'");
  }
  if (out->format == report::OutputFormat::kHtml && to_terminal) {
    return usage("--format html writes a web page, not text for a terminal: give -o FILE.html");
  }
  if (flags.color == "always") {
    out->text.color = true;
  } else if (flags.color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    out->text.color = to_terminal && (no_color == nullptr || *no_color == '\0');
  } else if (flags.color != "never") {
    return usage("--color must be auto, always or never, not '" + flags.color + "'");
  }
  out->text.width = to_terminal ? TerminalWidth() : 0;
  if (flags.timeout_seconds <= 0) return usage("--timeout must be positive");
  out->fetch.timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_seconds * 1000));
  out->fetch.deadline = out->fetch.timeout;  // the whole exchange: a server dripping bytes cannot hold us longer
  std::string project = verdict::FindProjectFile(flags.config);
  if (!project.empty()) {
    auto kb = verdict::KnowledgeBase::WithProjectFile(project);
    if (!kb.ok()) {
      fmt::print(stderr, "leakhound {}: {}\n", command, kb.status().message());
      return kExitError;
    }
    out->knowledge = std::make_shared<const verdict::KnowledgeBase>(std::move(kb).value());
  }
  if (flags.inputs.empty()) {
    if (::isatty(STDIN_FILENO)) {
      return usage("no input: name a dump file, a pprof URL (http://127.0.0.1:6060) or - for stdin");
    }
    flags.inputs.push_back("-");
  }
  return std::nullopt;
}

bool LoadInputs(const InputFlags& flags, const Settings& settings, std::vector<dump::Dump>* dumps) {
  bool progress = ::isatty(STDERR_FILENO) && !flags.quiet;
  for (const std::string& input : flags.inputs) {
    if (progress) fmt::print(stderr, "reading {} …\r", input);
    auto loaded = dump::LoadSource(input, settings.read, settings.fetch);
    if (progress) fmt::print(stderr, "\r\x1b[2K");
    if (!loaded.ok()) {
      fmt::print(stderr, "leakhound: {}\n", loaded.status().message());
      continue;
    }
    // `go test -json` output holding a timeout or goleak dump (what check reads) is read the way check reads it.
    if (loaded->goroutines.empty() && input != "-" && input.find("://") == std::string::npos) {
      if (auto file = util::MappedFile::Open(input); file.ok() && file->bytes().find("\"Action\":") != std::string::npos) {
        gotest::Run run = gotest::ReadTestOutput(input, file->bytes());
        if (!run.dump.goroutines.empty()) *loaded = std::move(run.dump);
      }
    }
    if (!flags.quiet) PrintDiagnostics(*loaded);
    // Proof when the runtime offers it: the same process's goroutineleak profile names leaked goroutines by id.
    if (std::string leak_url = dump::LeakProfileUrlFor(input);
        !leak_url.empty() && loaded->format == dump::Format::kTraceback && !loaded->leak_profile) {
      dump::FetchError why = dump::FetchError::kNone;
      auto proof_body = dump::FetchUrl(leak_url, settings.fetch, &why);
      if (proof_body.ok()) {
        auto storage = std::make_shared<std::string>(std::move(proof_body).value());
        std::string_view bytes = *storage;
        dump::Dump proof = dump::ParseDump(leak_url, bytes, storage, settings.read);
        if (proof.format == dump::Format::kTraceback && !proof.goroutines.empty()) {
          size_t marked = dump::ApplyLeakProof(proof, &*loaded);
          loaded->proof = leak_url;
          if (!flags.quiet && progress) fmt::print(stderr, "{}: goroutineleak profile: {} proven leaked\n", input, marked);
        }
      } else if (why != dump::FetchError::kStatus && !flags.quiet) {
        // 404 is the common answer (a build without the experiment); anything else is worth a line.
        fmt::print(stderr, "leakhound: {}\n", proof_body.status().message());
      }
    }
    dumps->push_back(std::move(loaded).value());
  }
  if (dumps->empty()) return false;
  if (!flags.leak_profile.empty()) {
    // The proof for the last input (the latest snapshot of `diff`): a goroutineleak profile with ids.
    auto proof = dump::LoadSource(flags.leak_profile, settings.read, settings.fetch);
    if (!proof.ok()) {
      fmt::print(stderr, "leakhound: --leak-profile: {}\n", proof.status().message());
      return false;
    }
    bool marks = false;
    for (const dump::Goroutine& g : proof->goroutines) marks = marks || (g.has(dump::kLeaked) && g.id != 0);
    if (proof->format != dump::Format::kTraceback || dumps->back().format != dump::Format::kTraceback) {
      fmt::print(stderr,
                 "leakhound: --leak-profile: the proof applies by goroutine id: give a goroutineleak?debug=2 profile "
                 "and a debug=2 (or SIGQUIT) input\n");
      return false;
    }
    size_t marked = dump::ApplyLeakProof(*proof, &dumps->back());
    dumps->back().proof = flags.leak_profile;
    if (!flags.quiet && !marks) {
      fmt::print(stderr, "{}: the goroutineleak profile marks no goroutine leaked: no proven leaks\n",
                 flags.leak_profile);
    } else if (!flags.quiet && marked == 0) {
      fmt::print(stderr, "{}: none of the goroutines it proves leaked is in {} (another process?)\n",
                 flags.leak_profile, dumps->back().name);
    }
  }
  uint64_t total = 0;
  bool all_leak_profiles = true;
  for (const dump::Dump& d : *dumps) {
    total += d.TotalGoroutines();
    all_leak_profiles = all_leak_profiles && d.leak_profile;
  }
  // An empty goroutineleak profile: the runtime proved no leak, which is an answer, not a failure.
  if (total == 0 && !all_leak_profiles) {
    fmt::print(stderr, "leakhound: nothing to analyze\n");
    return false;
  }
  return true;
}

void PrintDiagnostics(const dump::Dump& d) {
  size_t shown = 0;
  for (const dump::Diagnostic& diag : d.diagnostics) {
    if (shown++ == kDiagnosticsShown) {
      fmt::print(stderr, "{}: {} more problems not shown\n", d.name, d.diagnostics.size() - kDiagnosticsShown);
      break;
    }
    std::string where = diag.line > 0 ? fmt::format("{}:{}", d.name, diag.line) : d.name;
    if (diag.excerpt.empty()) {
      fmt::print(stderr, "{}: {}\n", where, diag.message);
    } else {
      fmt::print(stderr, "{}: {}: {:?}\n", where, diag.message, diag.excerpt);
    }
  }
}

// Why `path` could not be written, in words: a missing directory is the usual cause and is named.
std::string WriteError(const std::string& path, int err) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    return fmt::format("the directory {} does not exist", dir.string());
  }
  return err != 0 ? std::strerror(err) : "write failed (disk full?)";
}

std::optional<int> Emit(const std::string& raw, const std::string& output, bool terminal_text, bool colour) {
  // Text reports carry names from the input: no escape sequence of theirs may reach a terminal.
  const std::string sanitized = terminal_text ? util::ForTerminalText(raw, colour) : std::string();
  const std::string& text = terminal_text ? sanitized : raw;
  if (output.empty() || output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return std::nullopt;
  }
  std::ofstream f(output, std::ios::binary | std::ios::trunc);
  const int open_errno = errno;
  f << text;
  f.close();
  if (!f) {
    fmt::print(stderr, "leakhound: {}: cannot write: {}\n", output, WriteError(output, open_errno));
    return kExitError;
  }
  return std::nullopt;
}

std::optional<int> EmitStream(const std::string& output, const std::function<void(std::ostream&)>& write) {
  if (output.empty() || output == "-") {
    std::fflush(stdout);
    write(std::cout);
    std::cout.flush();
    return std::nullopt;
  }
  std::ofstream f(output, std::ios::binary | std::ios::trunc);
  const int open_errno = errno;
  if (f) write(f);
  f.close();
  if (!f) {
    fmt::print(stderr, "leakhound: {}: cannot write: {}\n", output, WriteError(output, open_errno));
    return kExitError;
  }
  return std::nullopt;
}

int ExitFor(const Settings& settings, size_t definite, size_t suspect) {
  if (settings.never_fail) return kExitOk;
  if (definite > 0) return kExitFindings;
  if (settings.fail_on == verdict::Verdict::kSuspect && suspect > 0) return kExitFindings;
  return kExitOk;
}

}  // namespace leakhound::cli
