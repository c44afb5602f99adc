// `leakhound scan` (static goroutine-leak rules over Go source) and `leakhound rules` (the rule table and docs).
#ifndef LEAKHOUND_CLI_SCAN_COMMAND_H_
#define LEAKHOUND_CLI_SCAN_COMMAND_H_

#include <string>
#include <vector>

namespace leakhound::cli {

struct ScanFlags {
  std::vector<std::string> paths;  // ./..., dir/..., dir, file.go (default ./...)
  std::string format = "text";     // text | json | sarif
  std::string output;              // -o FILE
  bool tests = true;               // --tests=false drops _test.go files
  bool deps = true;                // --deps=false: no summaries of the module's dependencies
  std::vector<std::string> tags;   // --tags: build tags, as go build -tags
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::vector<std::string> only;
  bool all_rules = false;
  std::string fail_on = "warning";  // error | warning | note | never
  std::string config;               // default: .leakhound.yaml here or in a parent directory
  unsigned threads = 0;
  std::string color = "auto";
  bool quiet = false;
  bool diff = false;  // --diff: print the offered fixes as a unified diff instead of the report
  bool fix = false;   // --fix: apply them in place
};

int RunScan(ScanFlags flags);

struct RulesFlags {
  std::string id;  // empty: the table
};

int RunRules(const RulesFlags& flags);

}  // namespace leakhound::cli

#endif  // LEAKHOUND_CLI_SCAN_COMMAND_H_
