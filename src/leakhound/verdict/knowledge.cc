#include "leakhound/verdict/knowledge.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "leakhound/util/strings.h"
#include "leakhound/util/yaml_keys.h"
#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

extern const char kBuiltInKnowledge[];

namespace {

using util::Status;

std::string Where(const std::string& source, const YAML::Node& node) {
  return source + ":" + std::to_string(node.Mark().line + 1);
}

// Reads {waits_in|any|top|creator: PREFIX[, via: PREFIX]} from `node` into `sig`.
Status ReadMatch(const YAML::Node& node, const std::string& source, Signature* sig) {
  int found = 0;
  for (auto [key, kind] : {std::pair{"waits_in", Signature::Match::kWaitsIn}, std::pair{"any", Signature::Match::kAny},
                           std::pair{"top", Signature::Match::kTop}, std::pair{"creator", Signature::Match::kCreator}}) {
    if (node[key]) {
      ++found;
      sig->match = kind;
      sig->prefix = node[key].as<std::string>();
    }
  }
  if (found != 1 || sig->prefix.empty()) {
    return Status::InvalidArgument(Where(source, node) +
                                   ": give exactly one of waits_in, any, top or creator, with a function");
  }
  if (node["via"]) {
    if (sig->match != Signature::Match::kWaitsIn) {
      return Status::InvalidArgument(Where(source, node) + ": via goes with waits_in");
    }
    sig->via = node["via"].as<std::string>();
  }
  return Status::Ok();
}

Status ParseInto(std::string_view yaml, const std::string& source, std::vector<Signature>* out) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return Status::InvalidArgument(source + ":1: expected a mapping with signatures: and ignore:");
  try {
    std::unordered_set<std::string> ids;
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      if (key == "scan") continue;  // `leakhound scan`'s settings, read by scan/config.cc
      if (key != "signatures" && key != "ignore") {
        return Status::InvalidArgument(Where(source, entry.first) + ": unknown key '" + key +
                                       "' (expected signatures or ignore)");
      }
    }
    if (const YAML::Node sigs = root["signatures"]) {
      if (!sigs.IsSequence()) return Status::InvalidArgument(Where(source, sigs) + ": signatures must be a list");
      for (const YAML::Node& n : sigs) {
        if (Status st = util::CheckKeys(n, {"id", "match", "category", "explanation", "state", "max", "per", "object",
                                            "objects", "max_wait", "fix"},
                                        source, "a signature");
            !st.ok()) {
          return st;
        }
        if (Status st = util::CheckKeys(n["match"], {"waits_in", "any", "top", "creator", "via"}, source, "match");
            !st.ok()) {
          return st;
        }
        Signature s;
        s.origin = Where(source, n);
        if (!n["id"] || !n["match"] || !n["category"] || !n["explanation"]) {
          return Status::InvalidArgument(s.origin + ": a signature needs id, match, category and explanation");
        }
        s.id = n["id"].as<std::string>();
        if (!ids.insert(s.id).second) return Status::InvalidArgument(s.origin + ": duplicate id '" + s.id + "'");
        if (Status st = ReadMatch(n["match"], source, &s); !st.ok()) return st;
        std::string category = n["category"].as<std::string>();
        if (category == "benign") {
          s.category = Category::kBenign;
        } else if (category == "idle-resource") {
          s.category = Category::kIdleResource;
        } else if (category == "known-leak") {
          s.category = Category::kKnownLeak;
        } else {
          return Status::InvalidArgument(s.origin + ": category must be benign, idle-resource or known-leak, not '" +
                                         category + "'");
        }
        if (n["state"]) s.state = n["state"].as<std::string>();
        if (n["max"]) s.max = n["max"].as<uint64_t>();
        if (n["per"]) s.per = n["per"].as<uint64_t>();
        if (n["object"]) {
          s.object = n["object"].as<std::string>();
          s.objects = n["objects"] ? n["objects"].as<std::string>() : s.object + "s";
        }
        if (n["max_wait"]) s.max_wait = n["max_wait"].as<int32_t>();
        if (s.category == Category::kIdleResource && s.max == 0) {
          return Status::InvalidArgument(s.origin + ": an idle-resource signature needs max (> 0)");
        }
        s.explanation = n["explanation"].as<std::string>();
        if (n["fix"]) s.fix = n["fix"].as<std::string>();
        out->push_back(std::move(s));
      }
    }
    if (const YAML::Node ignores = root["ignore"]) {
      if (!ignores.IsSequence()) return Status::InvalidArgument(Where(source, ignores) + ": ignore must be a list");
      for (const YAML::Node& n : ignores) {
        if (Status st = util::CheckKeys(n, {"waits_in", "any", "top", "creator", "via", "reason"}, source,
                                        "an ignore entry");
            !st.ok()) {
          return st;
        }
        Signature s;
        s.origin = Where(source, n);
        if (Status st = ReadMatch(n, source, &s); !st.ok()) return st;
        s.id = "ignore:" + s.prefix;
        s.category = Category::kBenign;
        std::string reason = n["reason"] ? n["reason"].as<std::string>() : "no reason given";
        s.explanation = "ignored by " + s.origin + ": " + reason;
        out->push_back(std::move(s));
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return Status::Ok();
}

bool Starts(std::string_view s, const std::string& prefix) { return util::StartsWith(s, prefix); }

// The module a function comes from, as far as its name tells: host/owner/repo for the code hosts, golang.org/x/repo,
// else the first path element (k8s.io, google.golang.org, go.opentelemetry.io); "" for the standard library.
std::string_view ModuleOf(std::string_view function) {
  std::string_view pkg = PackageOf(function);
  size_t first = pkg.find('/');
  std::string_view host = pkg.substr(0, first);
  if (host.find('.') == std::string_view::npos) return "";
  size_t elements = (host == "github.com" || host == "gitlab.com" || host == "bitbucket.org" || host == "golang.org")
                        ? 3 : 1;
  size_t end = 0;
  for (size_t i = 0; i < elements; ++i) {
    size_t next = pkg.find('/', i == 0 ? 0 : end + 1);
    if (next == std::string_view::npos) return pkg;
    end = next;
  }
  return pkg.substr(0, end);
}

// Index of the frame where the goroutine waits in `s.prefix` (kWaitsIn), or frames.size().
size_t WaitsIn(std::span<const dump::Frame> frames, const Signature& s) {
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!Starts(frames[i].function, s.prefix)) continue;
    std::string_view module = ModuleOf(frames[i].function);
    bool only_plumbing = true;
    for (size_t j = 0; j < i && only_plumbing; ++j) {
      std::string_view fn = frames[j].function;
      if (fn == "non-Go function" || fn == "panic") continue;
      only_plumbing = IsStdlibPackage(PackageOf(fn)) || (!module.empty() && ModuleOf(fn) == module);
    }
    if (!only_plumbing) return frames.size();
    if (!s.via.empty() && (i == 0 || !Starts(frames[i - 1].function, s.via))) return frames.size();
    return i;
  }
  return frames.size();
}

}  // namespace

std::string_view CategoryName(Category c) {
  switch (c) {
    case Category::kBenign: return "benign";
    case Category::kIdleResource: return "idle-resource";
    case Category::kKnownLeak: return "known-leak";
  }
  return "benign";
}

const KnowledgeBase& KnowledgeBase::BuiltIn() {
  static const KnowledgeBase* kb = [] {
    auto parsed = Parse(kBuiltInKnowledge, "knowledge.yaml");
    // The built-in file is checked by its unit test; a broken one must not take the tool down.
    return new KnowledgeBase(parsed.ok() ? std::move(parsed).value() : KnowledgeBase());
  }();
  return *kb;
}

util::Result<KnowledgeBase> KnowledgeBase::Parse(std::string_view yaml, const std::string& source) {
  KnowledgeBase kb;
  if (Status st = ParseInto(yaml, source, &kb.signatures_); !st.ok()) return st;
  return kb;
}

util::Result<KnowledgeBase> KnowledgeBase::WithProjectFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::IOError(path + ": cannot read");
  std::stringstream ss;
  ss << f.rdbuf();
  KnowledgeBase kb;
  if (Status st = ParseInto(ss.str(), path, &kb.signatures_); !st.ok()) return st;
  const auto& built_in = BuiltIn().signatures_;
  kb.signatures_.insert(kb.signatures_.end(), built_in.begin(), built_in.end());
  return kb;
}

const Signature* KnowledgeBase::Match(std::span<const dump::Frame> frames, size_t blocking_frame,
                                      std::string_view state, std::string_view creator) const {
  for (const Signature& s : signatures_) {
    if (!s.state.empty() && !Starts(state, s.state)) continue;
    bool hit = false;
    switch (s.match) {
      case Signature::Match::kWaitsIn:
        hit = WaitsIn(frames, s) < frames.size();
        break;
      case Signature::Match::kAny:
        for (const dump::Frame& f : frames) {
          if (Starts(f.function, s.prefix)) {
            hit = true;
            break;
          }
        }
        break;
      case Signature::Match::kTop:
        hit = !frames.empty() && (Starts(frames[0].function, s.prefix) ||
                                  (blocking_frame < frames.size() && Starts(frames[blocking_frame].function, s.prefix)));
        break;
      case Signature::Match::kCreator:
        hit = Starts(creator, s.prefix);
        break;
    }
    if (hit) return &s;
  }
  return nullptr;
}

std::string FindProjectFile(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  if (ec) return "";
  for (;;) {
    std::filesystem::path candidate = dir / ".leakhound.yaml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

}  // namespace leakhound::verdict
