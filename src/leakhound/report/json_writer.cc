#include <nlohmann/json.hpp>

#include <functional>
#include <sstream>

#include "leakhound/report/report.h"

namespace leakhound::report {

using json = nlohmann::ordered_json;

namespace {

json SiteJson(const dump::Frame& f) {
  return json{{"function", std::string(f.function)}, {"file", std::string(f.file)}, {"line", f.line}};
}

// Writes `root`, whose last member is an empty array, pretty-printed exactly as root.dump(2) would print it with `n`
// elements in that array, each made by element(i) when it is written: a report of a million buckets is never whole in
// memory, neither as JSON values nor as one string.
void WriteWithStreamedArray(const json& root, size_t n, const std::function<json(size_t)>& element,
                            std::ostream& out) {
  const std::string head = root.dump(2, ' ', false, json::error_handler_t::replace);
  const size_t at = head.rfind("[]");
  out.write(head.data(), static_cast<std::streamsize>(at + 1));
  if (n > 0) {
    out << '\n';
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out << ",\n";
      const std::string e = element(i).dump(2, ' ', false, json::error_handler_t::replace);
      size_t start = 0;
      while (start < e.size()) {
        size_t end = e.find('\n', start);
        if (end == std::string::npos) end = e.size();
        out << "    ";
        out.write(e.data() + start, static_cast<std::streamsize>(end - start));
        if (end < e.size()) out << '\n';
        start = end + 1;
      }
    }
    out << "\n  ";
  }
  out.write(head.data() + at + 1, static_cast<std::streamsize>(head.size() - at - 1));
  out << '\n';
}

}  // namespace

std::string WriteAnalyzeJson(const verdict::Analysis& a, cluster::Similarity similarity) {
  std::ostringstream out;
  WriteAnalyzeJson(a, similarity, out);
  return out.str();
}

void WriteAnalyzeJson(const verdict::Analysis& a, cluster::Similarity similarity, std::ostream& out) {
  json root;
  root["schema"] = "leakhound.analyze/v1";
  root["total_goroutines"] = a.total_goroutines;
  root["similarity"] = std::string(cluster::SimilarityName(similarity));
  root["summary"] = json{{"buckets", a.kept_buckets},
                         {"buckets_shown", a.buckets.size()},
                         {"goroutines_in_buckets", a.shown_goroutines},
                         {"definite", a.definite},
                         {"suspect", a.suspect},
                         {"benign", a.benign},
                         {"active", a.active}};
  json sources = json::array();
  for (const verdict::SourceSummary& s : a.sources) {
    json diags = json::array();
    for (const dump::Diagnostic& d : s.diagnostics) {
      diags.push_back(json{{"line", d.line}, {"message", d.message}, {"excerpt", d.excerpt}});
    }
    sources.push_back(json{{"name", s.name},
                           {"format", std::string(dump::FormatName(s.format))},
                           {"goroutines", s.goroutines},
                           {"snapshots", s.snapshots},
                           {"leak_profile", s.leak_profile},
                           {"leak_proof", s.leak_proof.empty() ? json(nullptr) : json(s.leak_proof)},
                           {"diagnostics", std::move(diags)}});
  }
  root["sources"] = std::move(sources);

  root["buckets"] = json::array();
  WriteWithStreamedArray(root, a.buckets.size(), [&](size_t i) {
    const verdict::BucketReport& r = a.buckets[i];
    const cluster::Bucket& b = r.bucket;
    const dump::Goroutine& g = *b.representative;
    auto frames = b.frames();
    json jb;
    jb["count"] = b.count;
    jb["state"] = std::string(b.state());
    jb["state_inferred"] = g.has(dump::kStateInferred);
    jb["wait_minutes"] = b.wait_min < 0 ? json(nullptr) : json{{"min", b.wait_min}, {"max", b.wait_max}};
    jb["verdict"] = std::string(verdict::VerdictName(r.assessment.verdict));
    jb["score"] = r.assessment.score;
    jb["rule"] = r.assessment.rule;
    jb["reason"] = r.assessment.reason;
    jb["blocking_site"] = frames.empty() ? json(nullptr) : SiteJson(frames[r.assessment.blocking_frame]);
    if (g.created_by.function.empty()) {
      jb["created_by"] = nullptr;
    } else {
      json c = SiteJson(g.created_by);
      c["parent_goroutine"] = g.parent_id == 0 ? json(nullptr) : json(g.parent_id);
      jb["created_by"] = std::move(c);
    }
    jb["entry"] = frames.empty() ? json(nullptr) : SiteJson(frames[verdict::EntryFrame(frames)]);
    json jf = json::array();
    for (const dump::Frame& f : frames) {
      json x = SiteJson(f);
      if (f.inlined) x["inlined"] = true;
      jf.push_back(std::move(x));
    }
    jb["frames"] = std::move(jf);
    jb["frames_elided"] = g.has(dump::kElided);
    jb["goroutine_ids"] = b.ids;
    jb["leaked"] = b.leaked;
    jb["locked_to_thread"] = g.has(dump::kLocked);
    jb["labels"] = g.labels.empty() ? json(nullptr) : json(std::string(g.labels));
    jb["per_source"] = b.per_dump;
    return jb;
  }, out);
}

}  // namespace leakhound::report
