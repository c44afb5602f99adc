// Exports of an analysis for other tools: folded stacks (flamegraph.pl, inferno, speedscope) and a pprof goroutine
// profile (`go tool pprof`).
#include <fmt/format.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "leakhound/dump/profile.pb.h"
#include "leakhound/report/report.h"
#include "leakhound/util/gzip.h"

namespace leakhound::report {

std::string WriteFolded(const verdict::Analysis& a) {
  // Root first, function names only; buckets that differ only in lines or state merge into one line.
  std::map<std::string, uint64_t> lines;
  std::vector<std::string> order;
  for (const verdict::BucketReport& r : a.buckets) {
    auto frames = r.bucket.frames();
    std::string key;
    for (size_t i = frames.size(); i > 0; --i) {
      if (!key.empty()) key += ';';
      // ';' separates frames and ' ' the count: neither may appear inside a name.
      for (char c : frames[i - 1].function) key += (c == ';' || c == ' ' || c == '\n') ? '_' : c;
    }
    if (key.empty()) key = "(no stack)";
    auto [it, inserted] = lines.try_emplace(key, 0);
    if (inserted) order.push_back(key);
    it->second += r.bucket.count;
  }
  std::string out;
  for (const std::string& key : order) out += fmt::format("{} {}\n", key, lines[key]);
  return out;
}

std::string WritePprof(const verdict::Analysis& a) {
  perftools::profiles::Profile p;
  std::map<std::string, int64_t> strings;
  auto str = [&](std::string_view s) -> int64_t {
    auto [it, inserted] = strings.try_emplace(std::string(s), static_cast<int64_t>(strings.size()));
    if (inserted) p.add_string_table(it->first);
    return it->second;
  };
  str("");
  auto* st = p.add_sample_type();
  st->set_type(str("goroutine"));
  st->set_unit(str("count"));
  p.mutable_period_type()->set_type(str("goroutine"));
  p.mutable_period_type()->set_unit(str("count"));
  p.set_period(1);

  std::map<std::pair<std::string, std::string>, uint64_t> functions;  // (name, file) -> id
  std::map<std::tuple<uint64_t, uint32_t>, uint64_t> locations;      // (function id, line) -> id
  for (const verdict::BucketReport& r : a.buckets) {
    auto* sample = p.add_sample();
    for (const dump::Frame& f : r.bucket.frames()) {
      auto fkey = std::make_pair(std::string(f.function), std::string(f.file));
      auto [fit, fnew] = functions.try_emplace(fkey, functions.size() + 1);
      if (fnew) {
        auto* fn = p.add_function();
        fn->set_id(fit->second);
        fn->set_name(str(f.function));
        fn->set_system_name(str(f.function));
        fn->set_filename(str(f.file));
      }
      auto [lit, lnew] = locations.try_emplace(std::make_tuple(fit->second, f.line), locations.size() + 1);
      if (lnew) {
        auto* loc = p.add_location();
        loc->set_id(lit->second);
        auto* line = loc->add_line();
        line->set_function_id(fit->second);
        line->set_line(f.line);
      }
      sample->add_location_id(lit->second);  // leaf first, as pprof wants
    }
    sample->add_value(static_cast<int64_t>(r.bucket.count));
    auto label = [&](std::string_view k, std::string_view v) {
      auto* l = sample->add_label();
      l->set_key(str(k));
      l->set_str(str(v));
    };
    if (!r.bucket.state().empty()) label("state", r.bucket.state());
    label("verdict", verdict::VerdictName(r.assessment.verdict));
  }
  std::string raw;
  p.SerializeToString(&raw);
  return util::Gzip(raw);
}

}  // namespace leakhound::report
