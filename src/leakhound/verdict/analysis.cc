#include "leakhound/verdict/analysis.h"

#include <algorithm>
#include <optional>
#include <regex>

namespace leakhound::verdict {

using util::Result;
using util::Status;

namespace {

Result<std::optional<std::regex>> Compile(const std::string& pattern, std::string_view flag) {
  if (pattern.empty()) return std::optional<std::regex>();
  try {
    return std::optional<std::regex>(std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(std::string(flag) + ": invalid regular expression '" + pattern + "': " + e.what());
  }
}

bool AnyFrameMatches(const cluster::Bucket& b, const std::regex& re) {
  for (const dump::Frame& f : b.frames()) {
    if (std::regex_search(f.function.begin(), f.function.end(), re)) return true;
  }
  const auto& creator = b.representative->created_by.function;
  return !creator.empty() && std::regex_search(creator.begin(), creator.end(), re);
}

}  // namespace

Result<Analysis> Analyze(std::span<const dump::Dump> dumps, const AnalyzeOptions& options) {
  auto focus = Compile(options.focus, "--focus");
  if (!focus.ok()) return focus.status();
  auto ignore = Compile(options.ignore, "--ignore");
  if (!ignore.ok()) return ignore.status();
  auto ignore_top = Compile(options.ignore_top, "--ignore-top");
  if (!ignore_top.ok()) return ignore_top.status();

  Analysis out;
  std::vector<const dump::Dump*> ptrs;
  for (const dump::Dump& d : dumps) {
    ptrs.push_back(&d);
    SourceSummary s;
    s.name = d.name;
    s.format = d.format;
    s.leak_profile = d.leak_profile;
    s.goroutines = d.TotalGoroutines();
    s.snapshots = d.snapshots;
    s.diagnostics = d.diagnostics;
    out.total_goroutines += s.goroutines;
    out.sources.push_back(std::move(s));
  }
  std::vector<cluster::Bucket> buckets = cluster::Cluster(ptrs, options.similarity);
  out.total_buckets = buckets.size();
  for (cluster::Bucket& b : buckets) {
    if (b.count < options.min_count) continue;
    if (*focus && !AnyFrameMatches(b, **focus)) continue;
    if (*ignore && AnyFrameMatches(b, **ignore)) continue;
    Assessment a = Assess(b);
    if (*ignore_top && !b.frames().empty()) {
      std::string_view top = b.frames()[a.blocking_frame].function;
      std::string_view leaf = b.frames()[0].function;
      if (std::regex_search(top.begin(), top.end(), **ignore_top) ||
          std::regex_search(leaf.begin(), leaf.end(), **ignore_top)) {
        continue;
      }
    }
    switch (a.verdict) {
      case Verdict::kDefinite: ++out.definite; break;
      case Verdict::kSuspect: ++out.suspect; break;
      case Verdict::kBenign: ++out.benign; break;
      case Verdict::kActive: ++out.active; break;
    }
    out.buckets.push_back(BucketReport{std::move(b), std::move(a)});
  }
  // Count descending; among equals the worse verdict first (the input order breaks remaining ties).
  std::stable_sort(out.buckets.begin(), out.buckets.end(), [](const BucketReport& x, const BucketReport& y) {
    if (x.bucket.count != y.bucket.count) return x.bucket.count > y.bucket.count;
    return static_cast<int>(x.assessment.verdict) < static_cast<int>(y.assessment.verdict);
  });
  for (const BucketReport& r : out.buckets) out.shown_goroutines += r.bucket.count;
  out.kept_buckets = out.buckets.size();
  if (options.top > 0 && out.buckets.size() > options.top) out.buckets.resize(options.top);
  return out;
}

}  // namespace leakhound::verdict
