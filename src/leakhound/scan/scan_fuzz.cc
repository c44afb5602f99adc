// libFuzzer target: arbitrary bytes as a Go file through the parser, the syntax layer, every rule and a few project
// rewrites (LH020), then every offered fix applied (ApplyEdits, FixImports). Any input must be taken: a crash or a
// sanitizer report is a bug, and so is a finding whose position lies outside the input or an edit outside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/rewrite.h"
#include "leakhound/scan/scan.h"

namespace {

const std::vector<leakhound::scan::CompiledRewrite>& Rewrites() {
  using leakhound::scan::RewriteRule;
  static const std::vector<leakhound::scan::CompiledRewrite> rewrites = [] {
    std::vector<leakhound::scan::CompiledRewrite> out;
    const std::vector<std::pair<std::string, std::string>> rules = {
        {"exec.Command($*args)", "exec.CommandContext($ctx, $*args)"},
        {"go func() { $ch <- $v }()", "go func() {\n\tselect {\n\tcase $ch <- $v:\n\tcase <-$ctx.Done():\n\t}\n}()"},
        {"$f($x, $x, $*rest)", "$f($x, $*rest)"},
        {"$t := time.NewTicker($d)", "$t := time.NewTicker($d)\ndefer $t.Stop()"},
        {"&http.Server{$*fields}", "&http.Server{ReadHeaderTimeout: time.Second, $*fields}"},
    };
    for (const auto& [match, replace] : rules) {
      RewriteRule r;
      r.name = match;
      r.match = match;
      r.replace = replace;
      r.imports = {"time"};
      r.where = "fuzz";
      auto c = leakhound::scan::CompileRewrite(r);
      if (!c.ok()) std::abort();
      out.push_back(std::move(c).value());
    }
    return out;
  }();
  return rewrites;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakhound::scan;
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : AllRules()) rules.push_back(&r);
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  ScanResult result = ScanInMemory({{"fuzz.go", text}}, rules, Rewrites());
  std::vector<TextEdit> edits;
  std::vector<std::string> imports;
  for (const Finding& f : result.findings) {
    if (f.start.line == 0 || f.start.line > lines || f.end.line < f.start.line) std::abort();
    if (!f.fix) continue;
    for (const TextEdit& e : f.fix->edits) {
      if (e.start > e.end || e.end > text.size()) std::abort();
      edits.push_back(e);
    }
    imports.insert(imports.end(), f.fix->imports.begin(), f.fix->imports.end());
  }
  if (!edits.empty()) (void)FixImports(text, ApplyEdits(text, edits), imports);
  return 0;
}
