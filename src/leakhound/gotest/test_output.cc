#include "leakhound/gotest/test_output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "leakhound/dump/reader.h"
#include "leakhound/util/strings.h"

namespace leakhound::gotest {

namespace {

using util::StartsWith;

// The owner of the lines from `first_line` (1-based, in the text handed to the traceback reader) on.
struct Range {
  uint64_t first_line;
  Owner owner;
};

// Follows the test context through the lines of plain `go test` output.
class Context {
 public:
  void Line(std::string_view raw, uint64_t line_no, std::vector<Range>& ranges) {
    std::string_view line = util::TrimLeft(raw);
    std::string_view rest;
    if (Word(line, "=== RUN", &rest) || Word(line, "=== CONT", &rest) || Word(line, "=== PAUSE", &rest) ||
        Word(line, "--- FAIL:", &rest) || Word(line, "--- PASS:", &rest) || Word(line, "--- SKIP:", &rest)) {
      Set(std::string(FirstWord(rest)), Origin::kTimeout, line_no, ranges);
    } else if (line.find("found unexpected goroutines") != std::string_view::npos) {
      // VerifyTestMain prints "goleak: Errors on successful test run: found unexpected goroutines:".
      std::string test = StartsWith(line, "goleak:") ? std::string() : test_;
      Set(test, Origin::kGoleak, line_no, ranges);
    } else if (StartsWith(line, "panic: test timed out after")) {
      timeout_ = true;
      Set("", Origin::kTimeout, line_no, ranges);
    } else if (timeout_ && running_list_ && raw.size() > 2 && raw[0] == '\t' && raw[1] == '\t') {
      // "\t\tTestX (2s)": the first running test owns the dump.
      if (ranges.back().owner.test.empty()) ranges.back().owner.test = std::string(FirstWord(util::TrimLeft(raw)));
    } else if (timeout_ && util::Trim(raw) == "running tests:") {
      running_list_ = true;
    } else if (PackageEnd(line, &rest)) {
      // "FAIL\tpkg\t1.2s", "ok  \tpkg\t0.1s": the ranges since the last package end belong to pkg.
      std::string pkg(FirstWord(rest));
      for (size_t i = package_start_; i < ranges.size(); ++i) {
        if (ranges[i].owner.package.empty()) ranges[i].owner.package = pkg;
      }
      package_start_ = ranges.size();
      test_.clear();
      timeout_ = running_list_ = false;
      Set("", Origin::kTimeout, line_no + 1, ranges);
    }
  }

  // -json: the event names package and test; only goleak/timeout detection comes from the text.
  void JsonLine(const std::string& package, const std::string& test, std::string_view output, uint64_t line_no,
                std::vector<Range>& ranges) {
    std::string_view line = util::TrimLeft(output);
    Origin origin = ranges.empty() ? Origin::kTimeout : ranges.back().owner.origin;
    bool changed = ranges.empty() || ranges.back().owner.package != package || ranges.back().owner.test != test;
    if (line.find("found unexpected goroutines") != std::string_view::npos) {
      origin = Origin::kGoleak;
      changed = true;
    } else if (StartsWith(line, "panic: test timed out after") || StartsWith(line, "=== RUN") ||
               StartsWith(line, "--- ")) {
      origin = Origin::kTimeout;
      changed = true;
    }
    if (changed) ranges.push_back(Range{line_no, Owner{package, test, origin}});
  }

 private:
  static bool Word(std::string_view line, std::string_view word, std::string_view* rest) {
    if (!StartsWith(line, word)) return false;
    *rest = util::TrimLeft(line.substr(word.size()));
    return true;
  }
  static std::string_view FirstWord(std::string_view s) {
    size_t end = s.find_first_of(" \t");
    return s.substr(0, end);
  }
  static bool PackageEnd(std::string_view line, std::string_view* rest) {
    for (std::string_view w : {std::string_view("FAIL\t"), std::string_view("ok  \t"), std::string_view("ok \t")}) {
      if (StartsWith(line, w)) {
        *rest = line.substr(w.size());
        return !rest->empty();
      }
    }
    return false;
  }
  void Set(std::string test, Origin origin, uint64_t line_no, std::vector<Range>& ranges) {
    if (origin != Origin::kGoleak) test_ = test;
    ranges.push_back(Range{line_no, Owner{"", std::move(test), origin}});
  }

  std::string test_;
  size_t package_start_ = 0;
  bool timeout_ = false;
  bool running_list_ = false;
};

}  // namespace

Run ReadTestOutput(std::string name, std::string_view bytes, unsigned threads) {
  Run run;
  std::vector<Range> ranges;
  Context context;
  std::string_view head = util::TrimLeft(bytes.substr(0, 256));
  run.json = StartsWith(head, "{") && head.find("\"Action\"") != std::string_view::npos;
  auto text = std::make_shared<std::string>();
  std::vector<dump::Diagnostic> json_problems;
  uint64_t line_no = 1;  // line of `text` the next output starts on
  if (run.json) {
    size_t pos = 0;
    uint64_t input_line = 0;
    while (pos < bytes.size()) {
      size_t nl = bytes.find('\n', pos);
      std::string_view line = bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
      ++input_line;
      if (util::Trim(line).empty()) continue;
      nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (event.is_discarded() || !event.is_object()) {
        if (json_problems.size() < 100) json_problems.push_back({input_line, "not a go test -json event", ""});
        continue;
      }
      // Fields of another type than go test writes (null, numbers) read as absent: never a type error.
      auto field = [&event](const char* key) {
        auto it = event.find(key);
        return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      if (field("Action") != "output") continue;
      std::string output = field("Output");
      context.JsonLine(field("Package"), field("Test"), output, line_no, ranges);
      text->append(output);
      line_no += static_cast<uint64_t>(std::count(output.begin(), output.end(), '\n'));
    }
  } else {
    text->assign(bytes);
    size_t pos = 0;
    while (pos < bytes.size()) {
      size_t nl = bytes.find('\n', pos);
      std::string_view line = bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
      if (ranges.empty()) ranges.push_back(Range{1, Owner{}});
      context.Line(line, line_no, ranges);
      ++line_no;
    }
  }

  dump::ReadOptions options;
  options.format = dump::Format::kTraceback;
  options.threads = threads;
  std::string_view view = *text;
  run.dump = dump::ParseDump(std::move(name), view, text, options);
  for (dump::Diagnostic& d : json_problems) run.dump.diagnostics.push_back(std::move(d));

  // Each goroutine's owner: the last range that starts at or before its header.
  run.owners.reserve(run.dump.goroutines.size());
  for (const dump::Goroutine& g : run.dump.goroutines) {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), uint64_t{g.line},
                               [](uint64_t line, const Range& r) { return line < r.first_line; });
    run.owners.push_back(it == ranges.begin() ? Owner{} : std::prev(it)->owner);
  }
  return run;
}

}  // namespace leakhound::gotest
