// The HTML report. C++ aggregates (buckets, and the icicle tree merged from every bucket's stack with small frames
// collapsed), the browser only draws: a 150,000-goroutine dump becomes a few hundred buckets and a few thousand
// frames, whatever its size. The page is the template with four slots filled: the CSP, the style, the data (one
// JSON blob) and the script (both assets are constant; their CSP hashes are computed here over the exact bytes).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "leakhound/report/html_assets.h"
#include "leakhound/report/report.h"
#include "leakhound/util/sha256.h"

namespace leakhound::report {

namespace {

using json = nlohmann::ordered_json;

// Frames narrower than 1/kMinWidthDivisor of all goroutines collapse into one "other" frame per parent; if the tree
// still has more than kMaxNodes nodes the threshold doubles until it fits.
constexpr uint64_t kMinWidthDivisor = 1000;
constexpr size_t kMaxNodes = 20000;
// The table gets at most this many buckets (the largest; diff: those that grew most). The icicle graph still counts
// every bucket. --similarity exact on a big dump makes a bucket per goroutine: 150,000 rows help nobody, and would
// make the page tens of megabytes.
constexpr size_t kMaxTableBuckets = 2000;

// Interns the strings taken from the input (functions, files) so that each appears once in the blob.
class StringTable {
 public:
  int Intern(std::string_view s) {
    auto [it, inserted] = index_.try_emplace(std::string(s), static_cast<int>(strings_.size()));
    if (inserted) strings_.emplace_back(s);
    return it->second;
  }
  json ToJson() const { return json(strings_); }

 private:
  std::unordered_map<std::string, int> index_;
  std::vector<std::string> strings_;
};

json Site(StringTable& st, const dump::Frame& f) { return json::array({st.Intern(f.function), st.Intern(f.file), f.line}); }

json Frames(StringTable& st, std::span<const dump::Frame> frames) {
  json out = json::array();
  for (const dump::Frame& f : frames) {
    json x = Site(st, f);
    if (f.inlined) x.push_back(1);
    out.push_back(std::move(x));
  }
  return out;
}

// What every bucket row carries, whichever report it is in.
json BucketCommon(StringTable& st, const cluster::Bucket& b, const verdict::Assessment& a) {
  const dump::Goroutine& g = *b.representative;
  auto frames = b.frames();
  json jb;
  jb["count"] = b.count;
  jb["state"] = std::string(b.state());
  jb["wait"] = b.wait_min < 0 ? json(nullptr) : json::array({b.wait_min, b.wait_max});
  jb["verdict"] = std::string(verdict::VerdictName(a.verdict));
  jb["score"] = a.score;
  jb["reason"] = a.reason;
  jb["block"] = frames.empty() ? -1 : static_cast<int>(a.blocking_frame);
  jb["created"] = g.created_by.function.empty() ? json(nullptr) : Site(st, g.created_by);
  jb["parent"] = g.parent_id == 0 ? json(nullptr) : json(g.parent_id);
  jb["frames"] = Frames(st, frames);
  jb["elided"] = g.has(dump::kElided);
  jb["ids"] = b.ids;
  jb["leaked"] = b.leaked;
  jb["labels"] = g.labels.empty() ? json(nullptr) : json(std::string(g.labels));
  return jb;
}

// The icicle tree: every bucket's stack, root first, merged by function name.
class FlameTree {
 public:
  explicit FlameTree(StringTable* st) : st_(st) { nodes_.push_back(Node{}); nodes_[0].name = st_->Intern("all"); }

  // `base` is the count in the first snapshot (diff only).
  void Add(std::span<const dump::Frame> frames, uint64_t value, uint64_t base, verdict::Verdict v) {
    size_t at = 0;
    Credit(at, value, base, v);
    if (frames.empty()) {
      at = Child(at, st_->Intern("(no stack)"), -1, 0);
      Credit(at, value, base, v);
      return;
    }
    // runtime.goexit is the root of every goroutine's stack in profiles and some tracebacks: a row that says nothing.
    size_t n = frames.size();
    if (n > 1 && frames[n - 1].function == "runtime.goexit") --n;
    for (size_t i = n; i > 0; --i) {
      const dump::Frame& f = frames[i - 1];
      at = Child(at, st_->Intern(f.function), st_->Intern(f.file), f.line);
      Credit(at, value, base, v);
    }
  }

  json ToJson(bool with_base) {
    uint64_t threshold = std::max<uint64_t>(1, nodes_[0].value / kMinWidthDivisor);
    while (Kept(0, threshold) > kMaxNodes) threshold *= 2;
    return Emit(0, threshold, with_base);
  }

 private:
  struct Node {
    int name = 0, file = -1;
    uint32_t line = 0;
    uint64_t value = 0, base = 0;
    uint64_t by_verdict[4] = {0, 0, 0, 0};
    std::vector<size_t> children;
    std::unordered_map<int, size_t> by_name;
  };

  size_t Child(size_t parent, int name, int file, uint32_t line) {
    auto it = nodes_[parent].by_name.find(name);
    if (it != nodes_[parent].by_name.end()) return it->second;
    size_t id = nodes_.size();
    nodes_.push_back(Node{});
    nodes_[id].name = name;
    nodes_[id].file = file;
    nodes_[id].line = line;
    nodes_[parent].by_name.emplace(name, id);
    nodes_[parent].children.push_back(id);
    return id;
  }

  void Credit(size_t at, uint64_t value, uint64_t base, verdict::Verdict v) {
    nodes_[at].value += value;
    nodes_[at].base += base;
    nodes_[at].by_verdict[static_cast<int>(v)] += value;
  }

  // Nodes emitted at this threshold (recursion depth is bounded by the stack depth of the input).
  size_t Kept(size_t at, uint64_t threshold) const {
    size_t n = 1;
    bool small = false;
    for (size_t c : nodes_[at].children) {
      if (nodes_[c].value >= threshold) {
        n += Kept(c, threshold);
      } else {
        small = true;
      }
    }
    return n + (small ? 1 : 0);
  }

  json Emit(size_t at, uint64_t threshold, bool with_base) {
    const Node& n = nodes_[at];
    json j;
    j["n"] = n.name;
    if (n.file >= 0) {
      j["f"] = n.file;
      j["l"] = n.line;
    }
    j["v"] = n.value;
    if (with_base) j["b"] = n.base;
    j["k"] = json::array({n.by_verdict[0], n.by_verdict[1], n.by_verdict[2], n.by_verdict[3]});
    std::vector<size_t> kids = n.children;
    std::stable_sort(kids.begin(), kids.end(), [&](size_t a, size_t b) { return nodes_[a].value > nodes_[b].value; });
    json children = json::array();
    uint64_t other_value = 0, other_base = 0, other_frames = 0;
    uint64_t other_verdict[4] = {0, 0, 0, 0};
    for (size_t c : kids) {
      if (nodes_[c].value >= threshold) {
        children.push_back(Emit(c, threshold, with_base));
        continue;
      }
      other_value += nodes_[c].value;
      other_base += nodes_[c].base;
      ++other_frames;
      for (int v = 0; v < 4; ++v) other_verdict[v] += nodes_[c].by_verdict[v];
    }
    if (other_frames > 0) {
      json o;
      o["n"] = st_->Intern(fmt::format("({} small frame{})", other_frames, other_frames == 1 ? "" : "s"));
      o["v"] = other_value;
      if (with_base) o["b"] = other_base;
      o["k"] = json::array({other_verdict[0], other_verdict[1], other_verdict[2], other_verdict[3]});
      o["o"] = 1;
      o["c"] = json::array();
      children.push_back(std::move(o));
    }
    j["c"] = std::move(children);
    return j;
  }

  StringTable* st_;
  std::vector<Node> nodes_;
};

std::string GeneratedTime(const HtmlOptions& options) {
  if (!options.generated.empty()) return options.generated;
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json Meta(std::string_view kind, const HtmlOptions& options) {
  json m;
  m["kind"] = kind;
  m["version"] = options.version;
  m["generated"] = GeneratedTime(options);
  m["similarity"] = std::string(cluster::SimilarityName(options.similarity));
  return m;
}

json Diagnostics(const std::vector<dump::Diagnostic>& diagnostics) {
  json out = json::array();
  for (const dump::Diagnostic& d : diagnostics) {
    out.push_back(json{{"line", d.line}, {"message", d.message}, {"excerpt", d.excerpt}});
  }
  return out;
}

void AddAnalysis(json& data, StringTable& st, const verdict::Analysis& a) {
  data["summary"] = json{{"goroutines", a.total_goroutines}, {"in_buckets", a.shown_goroutines},
                         {"buckets", a.kept_buckets},        {"buckets_total", a.total_buckets},
                         {"shown", a.buckets.size()},        {"definite", a.definite},
                         {"suspect", a.suspect},             {"benign", a.benign},
                         {"active", a.active}};
  json sources = json::array();
  for (const verdict::SourceSummary& s : a.sources) {
    sources.push_back(json{{"name", s.name},
                           {"format", std::string(dump::FormatName(s.format))},
                           {"goroutines", s.goroutines},
                           {"leak_profile", s.leak_profile},
                           {"diagnostics", Diagnostics(s.diagnostics)}});
  }
  data["sources"] = std::move(sources);
  json buckets = json::array();
  FlameTree tree(&st);
  for (const verdict::BucketReport& r : a.buckets) {
    if (buckets.size() < kMaxTableBuckets) buckets.push_back(BucketCommon(st, r.bucket, r.assessment));
    tree.Add(r.bucket.frames(), r.bucket.count, 0, r.assessment.verdict);
  }
  data["summary"]["table"] = buckets.size();
  data["buckets"] = std::move(buckets);
  data["flame"] = tree.ToJson(false);
}

// Makes the JSON safe inside <script type="application/json">: no '<' (so never "</script>" or "<!--"), no '>' or
// '&', and no U+2028/U+2029 (line terminators to older JavaScript parsers). These characters only occur inside JSON
// strings, where the \u escapes mean the same text.
std::string EscapeJsonForHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xe2' && i + 2 < s.size() && s[i + 1] == '\x80' && (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) {
      out += s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string CspHash(std::string_view text) {
  auto digest = util::Sha256(text);
  return "'sha256-" + util::Base64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) +
         "'";
}

// Fills {{CSP}}, {{CSS}}, {{DATA}} and {{JS}} in the template, in one pass over the template only.
std::string Page(json data, StringTable& st) {
  data["strings"] = st.ToJson();
  std::string blob = EscapeJsonForHtml(data.dump(-1, ' ', false, json::error_handler_t::replace));
  std::string_view css = HtmlCss(), js = HtmlJs(), tpl = HtmlTemplate();
  std::string csp = "default-src 'none'; script-src " + CspHash(js) + "; style-src " + CspHash(css) +
                    "; img-src data:; base-uri 'none'; form-action 'none'";
  std::string out;
  out.reserve(tpl.size() + css.size() + js.size() + blob.size() + csp.size());
  size_t pos = 0;
  while (pos < tpl.size()) {
    size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    size_t close = tpl.find("}}", open);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(pos, open - pos));
    std::string_view key = tpl.substr(open + 2, close - open - 2);
    if (key == "CSP") out += csp;
    else if (key == "CSS") out += css;
    else if (key == "DATA") out += blob;
    else if (key == "JS") out += js;
    else out.append(tpl.substr(open, close + 2 - open));
    pos = close + 2;
  }
  out.append(tpl.substr(pos));
  return out;
}

}  // namespace

std::string WriteAnalyzeHtml(const verdict::Analysis& a, const HtmlOptions& options) {
  StringTable st;
  json data = Meta("analyze", options);
  AddAnalysis(data, st, a);
  return Page(std::move(data), st);
}

std::string WriteDiffHtml(const verdict::Diff& d, const HtmlOptions& options) {
  StringTable st;
  json data = Meta("diff", options);
  data["timed"] = d.timed;
  data["summary"] = json{{"first", d.snapshots.front().goroutines}, {"last", d.snapshots.back().goroutines},
                         {"growth", d.total_growth},               {"buckets", d.kept_buckets},
                         {"shown", d.buckets.size()},              {"grown", d.grown},
                         {"new", d.added},                         {"shrunk", d.shrunk},
                         {"vanished", d.vanished},                 {"unchanged", d.unchanged},
                         {"definite", d.definite},                 {"suspect", d.suspect}};
  json snaps = json::array();
  for (const verdict::SnapshotInfo& s : d.snapshots) {
    snaps.push_back(json{{"name", s.name},
                         {"format", std::string(dump::FormatName(s.format))},
                         {"goroutines", s.goroutines},
                         {"minute", s.minute ? json(*s.minute) : json(nullptr)},
                         {"diagnostics", Diagnostics(s.diagnostics)}});
  }
  data["snapshots"] = std::move(snaps);
  json buckets = json::array();
  FlameTree tree(&st);
  for (const verdict::DiffBucket& b : d.buckets) {
    tree.Add(b.bucket.frames(), b.counts.back(), b.counts.front(), b.assessment.verdict);
    if (buckets.size() == kMaxTableBuckets) continue;
    json jb = BucketCommon(st, b.bucket, b.assessment);
    jb["count"] = b.counts.back();
    jb["counts"] = b.counts;
    jb["growth"] = b.growth;
    jb["slope"] = b.slope ? json(*b.slope) : json(nullptr);
    jb["monotonic"] = b.monotonic;
    jb["stuck"] = b.stuck;
    jb["first_ids"] = b.first_ids;
    jb["change"] = std::string(verdict::ChangeName(b.change));
    buckets.push_back(std::move(jb));
  }
  data["summary"]["table"] = buckets.size();
  data["buckets"] = std::move(buckets);
  data["flame"] = tree.ToJson(true);
  return Page(std::move(data), st);
}

namespace {

json AlertJson(const WatchHtmlAlert& a) {
  return json{{"t", a.unix_ms},        {"rule", a.rule},       {"bucket", a.bucket}, {"blocking", a.blocking},
              {"verdict", a.verdict},  {"message", a.message}, {"page", a.page},     {"dump", a.dump}};
}

}  // namespace

std::string WriteWatchHtml(const WatchHtml& w, const HtmlOptions& options) {
  StringTable st;
  json data = Meta("watch", options);
  json targets = json::array();
  for (const WatchHtmlTarget& t : w.targets) {
    json series = json::array();
    for (const WatchHtmlBucket& b : t.buckets) {
      series.push_back(json{{"function", b.blocking_function},
                            {"file", b.blocking_file},
                            {"line", b.blocking_line},
                            {"created_by", b.created_by},
                            {"state", b.state},
                            {"verdict", std::string(verdict::VerdictName(b.verdict))},
                            {"alert_verdict", b.alert_verdict},
                            {"reason", b.reason}});
    }
    json alerts = json::array();
    for (const WatchHtmlAlert& a : t.alert_list) alerts.push_back(AlertJson(a));
    json samples = json::array();
    for (const WatchHtmlSample& s : t.samples) {
      json counts = json::array();
      for (size_t i = 0; i < t.buckets.size(); ++i) counts.push_back(i < s.counts.size() ? s.counts[i] : 0);
      samples.push_back(json{{"t", s.unix_ms}, {"total", s.total}, {"counts", std::move(counts)}});
    }
    targets.push_back(json{{"name", t.name},
                           {"url", t.url},
                           {"alerts", t.alerts},
                           {"series", std::move(series)},
                           {"samples", std::move(samples)},
                           {"alert_list", std::move(alerts)}});
  }
  data["targets"] = std::move(targets);
  data["latest_source"] = w.latest_source;
  if (w.alert != nullptr) data["alert"] = AlertJson(*w.alert);
  if (w.latest != nullptr) AddAnalysis(data, st, *w.latest);
  return Page(std::move(data), st);
}

}  // namespace leakhound::report
