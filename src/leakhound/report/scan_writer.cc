#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "leakhound/report/report.h"
#include "leakhound/report/text_style.h"
#include "leakhound/scan/rules.h"
#include "leakhound/util/strings.h"

namespace leakhound::report {

namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kToolVersion = "0.1.0";

std::string_view ColorFor(const Style& st, scan::Severity s) {
  switch (s) {
    case scan::Severity::kError: return st.Red();
    case scan::Severity::kWarning: return st.Yellow();
    case scan::Severity::kNote: return st.Dim();
  }
  return "";
}

std::string Plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Percent-encodes what may not stand in a URI path.
std::string UriPath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

json Location(const scan::Finding& f) {
  return {{"file", f.file}, {"line", f.start.line}, {"column", f.start.column}, {"end_line", f.end.line},
          {"end_column", f.end.column}};
}

}  // namespace

std::string WriteScanText(const scan::ScanResult& r, const TextOptions& options) {
  Style st{options.color};
  size_t width = 0;
  std::vector<std::string> where;
  for (const scan::Finding& f : r.findings) {
    where.push_back(f.suppressed ? "" : fmt::format("{}:{}:{}:", f.file, f.start.line, f.start.column));
    width = std::max(width, Width(where.back()));
  }
  std::string out;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const scan::Finding& f = r.findings[i];
    if (f.suppressed) continue;
    if (!options.color) {
      out += fmt::format("{} {} ({} {})\n", where[i], f.message, f.rule_id, f.rule_name);
    } else {
      out += fmt::format("{}{}{} {}{}{} {}({} {}){}\n", st.Bold(), Fit(where[i], width), st.Reset(),
                         ColorFor(st, f.severity), f.message, st.Reset(), st.Dim(), f.rule_id, f.rule_name, st.Reset());
    }
  }
  return out;
}

std::string ScanSummary(const scan::ScanResult& r) {
  size_t counts[3] = {0, 0, 0};
  size_t suppressed = 0;
  for (const scan::Finding& f : r.findings) {
    if (f.suppressed) {
      ++suppressed;
    } else {
      ++counts[static_cast<int>(f.severity)];
    }
  }
  size_t total = counts[0] + counts[1] + counts[2];
  std::string detail;
  for (int s = 0; s < 3; ++s) {
    if (counts[s] == 0) continue;
    detail += fmt::format("{}{}", detail.empty() ? "" : ", ",
                          Plural(counts[s], scan::SeverityName(static_cast<scan::Severity>(s))));
  }
  std::string out = total == 0 ? "no findings" : Plural(total, "finding") + " (" + detail + ")";
  out += fmt::format(" in {}, {}", Plural(r.files, "file"), Plural(r.packages, "package"));
  if (suppressed) out += fmt::format("; {} suppressed", suppressed);
  if (!r.diagnostics.empty()) out += fmt::format("; {}", Plural(r.diagnostics.size(), "problem"));
  return out;
}

std::string WriteScanJson(const scan::ScanResult& r) {
  json j;
  j["schema"] = "leakhound.scan/v1";
  json rules = json::array();
  for (size_t i = 0; i < r.rules.size(); ++i) {
    rules.push_back({{"id", r.rules[i]->id}, {"name", r.rules[i]->name},
                     {"severity", scan::SeverityName(r.severities[i].second)}});
  }
  j["rules"] = rules;
  json findings = json::array();
  for (const scan::Finding& f : r.findings) {
    json o = Location(f);
    o["rule"] = f.rule_id;
    o["name"] = f.rule_name;
    o["severity"] = scan::SeverityName(f.severity);
    o["message"] = f.message;
    if (!f.suggestion.empty()) o["suggestion"] = f.suggestion;
    if (f.fix) {
      json edits = json::array();
      for (const scan::TextEdit& e : f.fix->edits) {
        edits.push_back({{"start", {{"line", e.start_pos.line}, {"column", e.start_pos.column}, {"offset", e.start}}},
                         {"end", {{"line", e.end_pos.line}, {"column", e.end_pos.column}, {"offset", e.end}}},
                         {"text", e.text}});
      }
      o["fix"] = {{"description", f.fix->description}, {"edits", edits}};
    }
    o["suppressed"] = f.suppressed;
    if (f.suppressed) o["suppression"] = f.suppression;
    findings.push_back(std::move(o));
  }
  j["findings"] = findings;
  json diags = json::array();
  for (const scan::Diagnostic& d : r.diagnostics) {
    diags.push_back({{"file", d.file}, {"line", d.position.line}, {"column", d.position.column},
                     {"message", d.message}});
  }
  j["diagnostics"] = diags;
  size_t counts[3] = {0, 0, 0}, suppressed = 0;
  for (const scan::Finding& f : r.findings) f.suppressed ? ++suppressed : ++counts[static_cast<int>(f.severity)];
  j["summary"] = {{"files", r.files},       {"packages", r.packages}, {"bytes", r.bytes},
                  {"errors", counts[0]},     {"warnings", counts[1]},  {"notes", counts[2]},
                  {"suppressed", suppressed}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string WriteScanSarif(const scan::ScanResult& r, const std::string& srcroot) {
  std::error_code ec;
  fs::path root = fs::absolute(srcroot.empty() ? fs::path(".") : fs::path(srcroot), ec).lexically_normal();
  std::string root_uri = "file://" + UriPath(root.generic_string());
  if (root_uri.back() != '/') root_uri += '/';

  json rules = json::array();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < r.rules.size(); ++i) {
    const scan::RuleInfo& rule = *r.rules[i];
    index[rule.id] = i;
    std::string help = scan::RuleDocText(rule);
    std::string markdown = fmt::format("{}\n\n**Leaks:**\n\n```go\n{}\n```\n\n**Fixed:**\n\n```go\n{}\n```\n", rule.doc,
                                       rule.leaking, rule.fixed);
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"shortDescription", {{"text", rule.summary}}},
                     {"fullDescription", {{"text", rule.doc}}},
                     {"help", {{"text", help}, {"markdown", markdown}}},
                     {"defaultConfiguration", {{"level", scan::SeverityName(r.severities[i].second)}}},
                     {"properties",
                      {{"tags", {"goroutine-leak", "concurrency"}}, {"experimental", rule.experimental}}}});
  }

  auto artifact = [&](const std::string& file) -> json {
    fs::path p(file);
    fs::path abs = fs::absolute(p, ec).lexically_normal();
    fs::path rel = abs.lexically_relative(root);
    std::string rs = rel.generic_string();
    if (!rs.empty() && !util::StartsWith(rs, "..")) return {{"uri", UriPath(rs)}, {"uriBaseId", "SRCROOT"}};
    return {{"uri", "file://" + UriPath(abs.generic_string())}};
  };

  json results = json::array();
  std::map<std::pair<std::string, uint64_t>, int> occurrences;
  for (const scan::Finding& f : r.findings) {
    uint64_t h = util::HashBytes(f.snippet, util::HashBytes(f.rule_id));
    int occurrence = ++occurrences[{f.file, h}];
    json region = {{"startLine", f.start.line}, {"startColumn", f.start.column}, {"endLine", f.end.line},
                   {"endColumn", f.end.column}};
    json result = {{"ruleId", f.rule_id},
                   {"ruleIndex", index[f.rule_id]},
                   {"level", scan::SeverityName(f.severity)},
                   {"message", {{"text", f.message}}},
                   {"locations", json::array({{{"physicalLocation",
                                                {{"artifactLocation", artifact(f.file)}, {"region", region}}}}})},
                   {"partialFingerprints",
                    {{"primaryLocationLineHash", fmt::format("{:016x}:{}", h, occurrence)}}}};
    if (!f.suggestion.empty()) result["properties"] = {{"suggestion", f.suggestion}};
    if (f.fix) {
      // SARIF 2.1.0 §3.55: a fix is artifactChanges of replacements (deletedRegion, insertedContent).
      json replacements = json::array();
      for (const scan::TextEdit& e : f.fix->edits) {
        replacements.push_back({{"deletedRegion",
                                 {{"startLine", e.start_pos.line},
                                  {"startColumn", e.start_pos.column},
                                  {"endLine", e.end_pos.line},
                                  {"endColumn", e.end_pos.column}}},
                                {"insertedContent", {{"text", e.text}}}});
      }
      result["fixes"] = json::array({{{"description", {{"text", f.fix->description}}},
                                      {"artifactChanges", json::array({{{"artifactLocation", artifact(f.file)},
                                                                        {"replacements", replacements}}})}}});
    }
    if (f.suppressed) {
      result["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", f.suppression}}});
    }
    results.push_back(std::move(result));
  }

  json notifications = json::array();
  for (const scan::Diagnostic& d : r.diagnostics) {
    json n = {{"level", "error"}, {"message", {{"text", d.message}}}};
    json loc = {{"artifactLocation", artifact(d.file)}};
    if (d.position.line > 0) {
      loc["region"] = {{"startLine", d.position.line}, {"startColumn", std::max<uint32_t>(1, d.position.column)}};
    }
    n["locations"] = json::array({{{"physicalLocation", loc}}});
    notifications.push_back(std::move(n));
  }

  json run = {{"tool", {{"driver", {{"name", "leakhound"},
                                    {"semanticVersion", kToolVersion},
                                    {"version", kToolVersion},
                                    {"rules", rules}}}}},
              {"originalUriBaseIds", {{"SRCROOT", {{"uri", root_uri}}}}},
              {"invocations", json::array({{{"executionSuccessful", true},
                                            {"toolExecutionNotifications", notifications}}})},
              {"results", results}};
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({run})}};
  return sarif.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace leakhound::report
