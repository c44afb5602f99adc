// libFuzzer target: the Prometheus exposition of `watch`'s metrics, with every string a target, a profile or a
// targets.yaml can put in a label (target names, label values, bucket entry functions, blocking sites, rules,
// reasons) taken from the input. The whole page must keep the text exposition format 0.0.4 that Prometheus parses:
// a crash, a sanitizer report, invalid UTF-8, or a line the grammar below rejects is a bug (Prometheus drops the
// whole scrape over one bad line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/watch/config.h"
#include "leakhound/watch/fuzz_checks.h"
#include "leakhound/watch/metrics.h"

namespace {

// Splits the input into NUL-separated fields (the last may be empty).
std::vector<std::string> Fields(const uint8_t* data, size_t size) {
  std::vector<std::string> out(1);
  for (size_t k = 0; k < size; ++k) {
    if (data[k] == 0) out.emplace_back();
    else out.back().push_back(static_cast<char>(data[k]));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::watch;
  const std::vector<std::string> f = Fields(data, size);
  auto field = [&](size_t k) -> const std::string& { return f[k % f.size()]; };

  Metrics metrics;
  // Two targets from targets.yaml (label names are validated there; values are anything), one met only by name.
  for (size_t t = 0; t < 2; ++t) {
    Target target;
    target.name = field(t);
    target.labels.emplace_back("cluster", field(t + 2));
    target.labels.emplace_back("zone", field(t + 3));
    metrics.AddTarget(target);
  }
  const double odd[] = {0, -1.5, 1e308, -0.0, 3.25, 1.0 / 3};
  for (size_t k = 0; k + 4 < f.size() && k < 64; k += 4) {
    const std::string& target = field(k);
    metrics.Scraped(target, odd[k % 6], k % 3 == 0);
    metrics.ScrapeError(target, field(k + 1));
    metrics.Alerted(target, field(k + 2));
    std::vector<Metrics::BucketPoint> top;
    top.push_back({field(k + 1), field(k + 3), k, odd[(k + 1) % 6]});
    top.push_back({field(k + 3), field(k + 2), k * 7, odd[(k + 2) % 6]});
    metrics.Sample(target, k, k % 2 ? std::optional<double>(odd[k % 6]) : std::nullopt, std::move(top));
    if (k % 8 == 0) metrics.Restarted(target);
  }
  FuzzCheckExposition(metrics.Render());
  return 0;
}
