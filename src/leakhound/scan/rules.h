// The rule registry: ONE explicit table of {id, name, severity, experimental, summary, doc, leaking example, fixed
// example, factory} (rules.cc), which also drives `leakhound rules` and the SARIF rule metadata. A rule implements
// Rule::Check over one Package and reports through a FindingSink; rule bodies live in scan/rules/*.cc.
//
// To add a rule: write `std::unique_ptr<Rule> NewMyRule()` in scan/rules/lh0NN_name.cc, declare it in
// scan/rules/factories.h, add its row to kRules in rules.cc, and fixtures under tests/scan/LH0NN/.
//
// The table is static and immutable. Rule objects are created per scan and Check is called concurrently for
// different packages, so Check must not mutate the rule.
#ifndef LEAKHOUND_SCAN_RULES_H_
#define LEAKHOUND_SCAN_RULES_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/scan/package.h"

namespace leakhound::scan {

struct RuleInfo;

// Collects the findings of one rule over one package, applying suppression comments.
class FindingSink {
 public:
  // `configured`: the severity comes from the configuration (then it wins over ReportWithSeverity's).
  FindingSink(const RuleInfo& rule, Severity severity, std::vector<Finding>* out, bool configured = false)
      : rule_(rule), severity_(severity), out_(out), configured_(configured) {}
  // A finding spanning `at` (its first line is where suppressions are looked up).
  void Report(const SourceFile& file, Node at, std::string message, std::string suggestion = {}) {
    ReportRange(file, at.StartByte(), at.EndByte(), std::move(message), std::move(suggestion));
  }
  // The finding just reported stands only if some package of the scan provides `what` (Finding::needs).
  void NeedsLast(std::string what);
  // Did the configuration set this rule's severity?
  bool configured() const { return configured_; }
  // Attaches `fix` to the finding just reported (its edits are in that finding's file).
  void FixLast(const SourceFile& file, Fix fix);
  // A finding spanning bytes [start, end) of `file`.
  void ReportRange(const SourceFile& file, uint32_t start, uint32_t end, std::string message,
                   std::string suggestion = {});
  // Like Report, for a kind of finding milder than the rule's default severity (one rule, two patterns):
  // `severity` applies unless the configuration set the rule's severity, which then wins.
  void ReportWithSeverity(Severity severity, const SourceFile& file, Node at, std::string message,
                          std::string suggestion = {});

 private:
  const RuleInfo& rule_;
  Severity severity_;
  std::vector<Finding>* out_;
  bool last_kept_ = false;  // the last Report made a finding (not in a generated file)
  bool configured_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual void Check(const Package& package, FindingSink& sink) const = 0;
};

struct RuleInfo {
  std::string_view id;       // "LH001"
  std::string_view name;     // "abandoned-sender"
  Severity severity;         // default severity
  bool experimental;         // off unless enabled by --enable, --all-rules or the config
  std::string_view summary;  // one line
  std::string_view doc;      // why it leaks, a paragraph
  std::string_view leaking;  // Go code that leaks
  std::string_view fixed;    // the same code fixed
  std::unique_ptr<Rule> (*factory)();
};

std::span<const RuleInfo> AllRules();
// By id ("LH001", any case) or name ("abandoned-sender"); nullptr when unknown.
const RuleInfo* FindRule(std::string_view id_or_name);
// The full doc as `leakhound rules ID` prints it.
std::string RuleDocText(const RuleInfo& rule);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_H_
