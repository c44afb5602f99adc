// libFuzzer target: every analyze and diff writer over whatever a traceback reader makes of the input. Writers must
// take every Dump: a crash, a sanitizer report, JSON that does not parse as strict UTF-8 JSON, or a text report with
// an escape sequence other than leakhound's own colours (after the terminal filter) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/dump/reader.h"
#include "leakhound/report/report.h"
#include "leakhound/util/text.h"
#include "leakhound/verdict/analysis.h"
#include "leakhound/verdict/diff.h"

namespace {

void CheckJson(const std::string& text) {
  // nlohmann rejects invalid UTF-8 in strings while parsing: the writers must have replaced it.
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) std::abort();
}

void CheckTerminal(const std::string& text) {
  const std::string shown = leakhound::util::ForTerminalText(text, /*keep_colour=*/false);
  if (shown.find('\x1b') != std::string::npos || shown.find('\x07') != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound;
  // Half of the input is the first snapshot, all of it the second: diff sees buckets grow, vanish and appear.
  auto whole = std::make_shared<std::string>(reinterpret_cast<const char*>(data), size);
  auto half = std::make_shared<std::string>(whole->substr(0, size / 2));
  dump::ReadOptions options;
  options.format = dump::Format::kTraceback;
  options.threads = 1;
  std::vector<dump::Dump> dumps;
  dumps.push_back(dump::ParseDump("a", *half, half, options));
  dumps.push_back(dump::ParseDump("b", *whole, whole, options));

  auto analysis = verdict::Analyze(std::span<const dump::Dump>(&dumps[1], 1), verdict::AnalyzeOptions{});
  if (!analysis.ok()) std::abort();
  report::TextOptions text;
  text.color = true;
  text.width = 100;
  CheckTerminal(report::WriteAnalyzeText(*analysis, text));
  CheckJson(report::WriteAnalyzeJson(*analysis, cluster::Similarity::kLine));
  (void)report::WriteFolded(*analysis);
  (void)report::WritePprof(*analysis);
  (void)report::WriteAnalyzeHtml(*analysis, report::HtmlOptions{cluster::Similarity::kLine, "fuzz", ""});

  auto diff = verdict::DiffDumps(dumps, verdict::DiffOptions{});
  if (!diff.ok()) std::abort();
  CheckTerminal(report::WriteDiffText(*diff, text));
  CheckJson(report::WriteDiffJson(*diff, cluster::Similarity::kLine));
  (void)report::WriteDiffHtml(*diff, report::HtmlOptions{cluster::Similarity::kLine, "fuzz", ""});
  return 0;
}
