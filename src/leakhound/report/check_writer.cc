#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leakhound/report/report.h"
#include "leakhound/report/text_style.h"
#include "leakhound/util/strings.h"
#include "leakhound/util/text.h"

namespace leakhound::report {

namespace {

using json = nlohmann::ordered_json;

std::string Summary(const verdict::CheckBucket& b) {
  auto frames = b.bucket.frames();
  std::string where = frames.empty() ? "-" : Site(frames[b.assessment.blocking_frame]);
  const dump::Frame& c = b.bucket.representative->created_by;
  std::string created = c.function.empty() ? "" : " created by " + Site(c);
  return fmt::format("{} leaked {} in {} at {}{}", util::WithCommas(b.bucket.count),
                     b.bucket.count == 1 ? "goroutine" : "goroutines",
                     b.bucket.state().empty() ? "?" : b.bucket.state(), where, created);
}

std::string XmlEscape(std::string_view raw) {
  const std::string s = util::ValidUtf8(raw);  // a JUnit file must be well-formed XML whatever the names were
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no place for most control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

std::string WriteCheckText(const verdict::Check& c, const TextOptions& options) {
  Style st{options.color};
  std::string out;
  size_t known = c.buckets.size() - c.new_buckets;
  if (c.buckets.empty()) {
    out += fmt::format("{}no leaked goroutines{} in {}\n", st.Green(), st.Reset(),
                       c.sources.size() == 1 ? c.sources[0] : fmt::format("{} inputs", c.sources.size()));
    return out;
  }
  out += fmt::format("{}{} leaked goroutine{} in {} bucket{}{}: {}{} new{}, {} in the baseline\n", st.Bold(),
                     util::WithCommas(c.leaked), c.leaked == 1 ? "" : "s", c.buckets.size(),
                     c.buckets.size() == 1 ? "" : "s", st.Reset(), c.new_buckets ? st.Red() : st.Green(),
                     c.new_buckets, st.Reset(), known);
  for (const verdict::CheckBucket& b : c.buckets) {
    auto frames = b.bucket.frames();
    out += fmt::format("\n{}{}{} {}\n", b.in_baseline ? st.Dim() : st.Red(), b.in_baseline ? "known" : "NEW  ",
                       st.Reset(), Summary(b));
    out += fmt::format("   why    {}\n", b.assessment.reason);
    std::string tests;
    for (size_t i = 0; i < b.tests.size() && i < 10; ++i) tests += (i ? ", " : "") + b.tests[i];
    if (b.tests.size() > 10) tests += fmt::format(", … ({} tests)", b.tests.size());
    out += fmt::format("   tests  {}\n", tests.empty() ? "-" : tests);
    if (!frames.empty()) {
      const dump::Frame& f = frames[b.assessment.blocking_frame];
      out += fmt::format("   at     {} {}{}:{}{}\n", f.function, st.Dim(), f.file, f.line, st.Reset());
    }
    out += fmt::format("   key    {}\n", b.key);
  }
  return out;
}

std::string WriteCheckJson(const verdict::Check& c) {
  json root;
  root["schema"] = "leakhound.check/v1";
  root["sources"] = c.sources;
  root["leaked_goroutines"] = c.leaked;
  root["new_buckets"] = c.new_buckets;
  json diags = json::array();
  for (const dump::Diagnostic& d : c.diagnostics) {
    diags.push_back(json{{"line", d.line}, {"message", d.message}, {"excerpt", d.excerpt}});
  }
  root["diagnostics"] = std::move(diags);
  json buckets = json::array();
  for (const verdict::CheckBucket& b : c.buckets) {
    auto frames = b.bucket.frames();
    auto site = [](const dump::Frame& f) {
      return json{{"function", std::string(f.function)}, {"file", std::string(f.file)}, {"line", f.line}};
    };
    const dump::Frame& cr = b.bucket.representative->created_by;
    json jf = json::array();
    for (const dump::Frame& f : frames) jf.push_back(site(f));
    buckets.push_back(json{{"key", b.key},
                           {"new", !b.in_baseline},
                           {"count", b.bucket.count},
                           {"state", std::string(b.bucket.state())},
                           {"verdict", std::string(verdict::VerdictName(b.assessment.verdict))},
                           {"reason", b.assessment.reason},
                           {"tests", b.tests},
                           {"blocking_site", frames.empty() ? json(nullptr) : site(frames[b.assessment.blocking_frame])},
                           {"created_by", cr.function.empty() ? json(nullptr) : site(cr)},
                           {"frames", std::move(jf)}});
  }
  root["buckets"] = std::move(buckets);
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string WriteCheckJunit(const verdict::Check& c) {
  // One testcase per test that leaked, in its package's suite; its failures are the buckets it shares.
  std::map<std::string, std::map<std::string, std::vector<const verdict::CheckBucket*>>> suites;
  for (const verdict::CheckBucket& b : c.buckets) {
    if (b.in_baseline) continue;
    for (const std::string& t : b.tests) {
      // "pkg/path.TestX/sub": the package ends where the test name begins.
      size_t test_at = t.find(".Test");
      std::string pkg = test_at == std::string::npos ? t : t.substr(0, test_at);
      std::string name = test_at == std::string::npos ? "(package)" : t.substr(test_at + 1);
      suites[pkg][name].push_back(&b);
    }
    if (b.tests.empty()) suites["leakhound"]["(unattributed)"].push_back(&b);
  }
  size_t cases = 0;
  for (const auto& [pkg, tests] : suites) cases += tests.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"leakhound check\" tests=\"{}\" failures=\"{}\">\n", cases, cases);
  for (const auto& [pkg, tests] : suites) {
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", XmlEscape(pkg), tests.size(),
                       tests.size());
    for (const auto& [name, buckets] : tests) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(pkg), XmlEscape(name));
      std::string message = Summary(*buckets.front());
      std::string body;
      for (const verdict::CheckBucket* b : buckets) {
        body += Summary(*b) + "\n" + b->assessment.reason + "\n";
        for (const dump::Frame& f : b->bucket.frames()) body += fmt::format("  {} {}:{}\n", f.function, f.file, f.line);
      }
      out += fmt::format("      <failure type=\"goroutine leak\" message=\"{}\">{}</failure>\n", XmlEscape(message),
                         XmlEscape(body));
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace leakhound::report
