#include "leakhound/verdict/filter.h"

namespace leakhound::verdict {

namespace {

util::Result<std::optional<std::regex>> Compile(const std::string& pattern, std::string_view flag) {
  if (pattern.empty()) return std::optional<std::regex>();
  try {
    return std::optional<std::regex>(std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
  } catch (const std::regex_error& e) {
    return util::Status::InvalidArgument(std::string(flag) + ": invalid regular expression '" + pattern +
                                         "': " + e.what());
  }
}

bool Matches(std::string_view s, const std::regex& re) { return std::regex_search(s.begin(), s.end(), re); }

bool AnyFrameMatches(const cluster::Bucket& b, const std::regex& re) {
  for (const dump::Frame& f : b.frames()) {
    if (Matches(f.function, re)) return true;
  }
  std::string_view creator = b.representative->created_by.function;
  return !creator.empty() && Matches(creator, re);
}

}  // namespace

util::Result<BucketFilter> BucketFilter::Make(const std::string& focus, const std::string& ignore,
                                              const std::string& ignore_top) {
  BucketFilter f;
  auto a = Compile(focus, "--focus");
  if (!a.ok()) return a.status();
  auto b = Compile(ignore, "--ignore");
  if (!b.ok()) return b.status();
  auto c = Compile(ignore_top, "--ignore-top");
  if (!c.ok()) return c.status();
  f.focus_ = std::move(*a);
  f.ignore_ = std::move(*b);
  f.ignore_top_ = std::move(*c);
  return f;
}

bool BucketFilter::Keep(const cluster::Bucket& b, const Assessment& a) const {
  if (focus_ && !AnyFrameMatches(b, *focus_)) return false;
  if (ignore_ && AnyFrameMatches(b, *ignore_)) return false;
  if (ignore_top_ && !b.frames().empty()) {
    if (Matches(b.frames()[a.blocking_frame].function, *ignore_top_) || Matches(b.frames()[0].function, *ignore_top_)) {
      return false;
    }
  }
  return true;
}

}  // namespace leakhound::verdict
