// libFuzzer target: what `watch` does with the bodies a target serves, after the fetch. The input is up to four
// scrape bodies (separated by "\n--8<--\n"; a gzipped debug=0 profile, debug=1 text, a bomb, an error page, ...):
// each is classified and parsed as a scrape (decompression budget 64 MiB), added to the target's series, its trends
// and alert rules evaluated, its top buckets sent to the metrics; the last usable body is also read as a
// goroutineleak profile and as the debug=2 dump an alert completes itself from. Then every output is checked: the
// Prometheus exposition (fuzz_checks.h), the alert events as strict UTF-8 JSON (what the webhook posts), the live
// table's strings past the terminal filter, and the trend page. A crash, a sanitizer report, or a broken output is a
// bug: a target can serve any of these bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "leakhound/dump/fuzz_checks.h"
#include "leakhound/dump/reader.h"
#include "leakhound/report/report.h"
#include "leakhound/util/text.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/watch/alerts.h"
#include "leakhound/watch/events.h"
#include "leakhound/watch/fuzz_checks.h"
#include "leakhound/watch/metrics.h"
#include "leakhound/watch/scraper.h"
#include "leakhound/watch/series.h"

namespace {

constexpr std::string_view kSeparator = "\n--8<--\n";
constexpr size_t kMaxBodies = 4;

std::vector<std::string> Bodies(std::string_view input) {
  std::vector<std::string> out;
  while (out.size() + 1 < kMaxBodies) {
    const size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) break;
    out.emplace_back(input.substr(0, at));
    input.remove_prefix(at + kSeparator.size());
  }
  out.emplace_back(input);
  return out;
}

void CheckJson(const nlohmann::json& event) {
  const std::string text = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_discarded()) std::abort();
}

void CheckTerminal(std::string_view s) {
  const std::string shown = leakhound::util::ForTerminal(s);
  if (!leakhound::util::IsValidUtf8(shown)) std::abort();
  for (unsigned char c : shown) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound;
  using namespace leakhound::watch;
  const std::vector<std::string> bodies = Bodies(std::string_view(reinterpret_cast<const char*>(data), size));

  Rules rules;
  rules.min_samples = 2;
  rules.min_growth = 1;
  rules.min_slope = 0;
  rules.max_goroutines = 3;
  auto target = MakeTarget("http://127.0.0.1:6060", rules, Millis(1000));
  if (!target.ok()) std::abort();
  Metrics metrics;
  metrics.AddTarget(*target);
  TargetSeries series(Millis(60 * 60 * 1000));

  std::string last_usable;
  for (size_t k = 0; k < bodies.size(); ++k) {
    ScrapeResult scrape;
    ParseScrapeBody("fuzz", bodies[k], &scrape, size_t{64} << 20);
    metrics.Scraped(target->name, scrape.seconds, scrape.error == ScrapeError::kNone);
    CheckTerminal(scrape.message);
    if (scrape.error != ScrapeError::kNone) {
      if (scrape.dump != nullptr) std::abort();
      metrics.ScrapeError(target->name, ScrapeErrorName(scrape.error));
      continue;
    }
    if (scrape.dump == nullptr) std::abort();
    dump::FuzzCheckDump(*scrape.dump);
    last_usable = bodies[k];
    series.Add(static_cast<double>(k), *scrape.dump);
    const std::vector<BucketTrend> trends = series.Trends(rules);
    std::vector<Metrics::BucketPoint> top;
    for (const BucketTrend& t : trends) {
      CheckTerminal(t.info->entry);
      CheckTerminal(t.info->blocking);
      top.push_back({t.info->entry, t.info->blocking, t.count, t.slope.value_or(0)});
    }
    metrics.Sample(target->name, series.total(), series.TotalSlope(), std::move(top));
    for (Alert& a : EvaluateRules(*target, series, trends)) {
      metrics.Alerted(target->name, AlertRuleName(a.rule));
      // The dump an alert is completed from: the same bytes, read as any reader takes them.
      auto storage = std::make_shared<std::string>(bodies[k]);
      dump::ReadOptions read;
      read.threads = 1;
      read.max_decompressed = size_t{64} << 20;
      dump::Dump d = dump::ParseDump("fuzz-dump", *storage, storage, read);
      std::unordered_set<uint64_t> leaked;
      for (const dump::Goroutine& g : d.goroutines) {
        if (leaked.size() < 4) leaked.insert(g.id);
      }
      Enrich(d, leaked, verdict::KnowledgeBase::BuiltIn(), &a);
      CheckJson(AlertJson(a));
    }
  }
  FuzzCheckExposition(metrics.Render());

  if (!last_usable.empty()) {
    auto storage = std::make_shared<std::string>(last_usable);
    dump::ReadOptions read;
    read.threads = 1;
    read.max_decompressed = size_t{64} << 20;
    dump::Dump proof = dump::ParseDump("fuzz-leak", *storage, storage, read);
    series.SetProven(ProvenBySignature(proof));
    (void)series.Trends(rules);
  }

  report::WatchHtmlTarget trend;
  trend.name = target->name;
  trend.url = target->url;
  const std::vector<TargetSeries::BucketCounts> top = series.TopBuckets(5);
  for (const TargetSeries::BucketCounts& b : top) {
    const BucketInfo& info = *b.info;
    trend.buckets.push_back(report::WatchHtmlBucket{info.blocking_function.empty() ? info.entry : info.blocking_function,
                                                    info.blocking_file, info.blocking_line, info.created_by,
                                                    info.state, info.verdict, info.reason});
  }
  for (size_t k = 0; k < series.samples(); ++k) {
    report::WatchHtmlSample sample;
    sample.unix_ms = static_cast<int64_t>(series.minutes()[k] * 60000.0);
    sample.total = series.totals()[k];
    for (const TargetSeries::BucketCounts& b : top) sample.counts.push_back((*b.counts)[k]);
    trend.samples.push_back(std::move(sample));
  }
  report::WatchHtml page;
  page.targets.push_back(std::move(trend));
  const std::string html = report::WriteWatchHtml(page, report::HtmlOptions{cluster::Similarity::kLine, "fuzz", ""});
  if (!util::IsValidUtf8(html)) std::abort();
  return 0;
}
