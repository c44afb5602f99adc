#include "leakhound/gotest/testmain.h"

#include <algorithm>

#include "leakhound/scan/ts.h"

namespace leakhound::gotest {

extern const char kReportGo[];

namespace {

constexpr std::string_view kGeneratedName = "zz_leakhound_testmain_test.go";

// One replacement of source bytes [begin, end).
struct Edit {
  uint32_t begin, end;
  std::string text;
};

std::string Apply(std::string source, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const Edit& e : edits) source.replace(e.begin, e.end - e.begin, e.text);
  return source;
}

std::string Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '`')) return std::string(s.substr(1, s.size() - 2));
  return std::string(s);
}

// What one test file says about TestMain.
struct FileFacts {
  std::string package;        // its package clause
  std::string os_name;        // the name "os" is imported under ("" when not imported)
  bool imports_companion = false;
  scan::Node testmain;        // the TestMain declaration, or null
};

FileFacts Inspect(const scan::Tree& tree, std::string_view src) {
  FileFacts f;
  tree.Root().ForEachNamedChild([&](scan::Node top) {
    if (top.Is("package_clause")) {
      if (scan::Node id = top.ChildOfType("package_identifier")) f.package = std::string(id.Text(src));
    } else if (top.Is("import_declaration")) {
      scan::TreeCursor(top).Walk([&](scan::Node n) {
        if (!n.Is("import_spec")) return true;
        const std::string path = Unquote(n.Field("path").Text(src));
        scan::Node name = n.Field("name");
        if (path == "os") f.os_name = name ? std::string(name.Text(src)) : "os";
        if (path == kCompanionImport) f.imports_companion = true;
        return false;
      });
    } else if (top.Is("function_declaration") && top.Field("name").Text(src) == "TestMain") {
      f.testmain = top;
    }
    return true;
  });
  return f;
}

constexpr std::string_view kExitFunc = R"(
// leakhoundExit reports, then exits: what the package's os.Exit calls in TestMain became.
func leakhoundExit(code int) {
	leakhoundReport()
	lhos.Exit(code)
}
)";

}  // namespace

std::string ReportSource(std::string_view name, std::string_view extra, bool need_testing) {
  std::string src(kReportGo);
  const std::string clause = "\npackage leakcheck\n";
  if (size_t at = src.find(clause); at != std::string::npos) {
    src.replace(at, clause.size(), "\npackage " + std::string(name) + "\n");
  }
  if (need_testing) {
    if (size_t at = src.find("import ("); at != std::string::npos) src.insert(at + 8, "\n\tlhtesting \"testing\"");
  }
  src += extra;
  return src;
}

TestMainPlan PlanTestMain(const std::string& dir, const std::string& name,
                          const std::vector<std::pair<std::string, std::string>>& test_files) {
  TestMainPlan plan;
  scan::Parser parser;
  for (const auto& file : test_files) {
    const std::string& path = file.first;  // named, not bound: lambdas below capture them
    const std::string& src = file.second;
    if (src.find("TestMain") == std::string::npos && src.find(kCompanionImport) == std::string::npos) continue;
    scan::Tree tree = parser.Parse(src);
    if (!tree.ok()) continue;
    FileFacts facts = Inspect(tree, src);
    if (facts.imports_companion) {
      plan.kind = TestMainPlan::Kind::kCompanion;
      plan.testmain_file = path;
      plan.files.clear();
      return plan;
    }
    if (!facts.testmain) continue;
    if (facts.testmain.Text(src).find(".VerifyTestMain(") != std::string_view::npos) {
      plan.kind = TestMainPlan::Kind::kGoleak;
      plan.testmain_file = path;
      return plan;
    }
    plan.kind = TestMainPlan::Kind::kRewritten;
    plan.testmain_file = path;
    std::vector<Edit> edits;
    scan::Node fname = facts.testmain.Field("name");
    edits.push_back({fname.StartByte(), fname.EndByte(), "leakhoundUserTestMain"});
    if (!facts.os_name.empty() && facts.os_name != "_" && facts.os_name != ".") {
      scan::TreeCursor(facts.testmain.Field("body")).Walk([&](scan::Node n) {
        if (!n.Is("call_expression")) return true;
        scan::Node fn = n.Field("function");
        if (fn.Is("selector_expression") && fn.Field("operand").Text(src) == facts.os_name &&
            fn.Field("field").Text(src) == "Exit") {
          edits.push_back({fn.StartByte(), fn.EndByte(), "leakhoundExit"});
          ++plan.exits_rewritten;
        }
        return true;
      });
    }
    std::string rewritten = Apply(src, std::move(edits));
    // The os import may have served only os.Exit: keep it used.
    if (plan.exits_rewritten > 0) rewritten += "\nvar _ = " + facts.os_name + ".Exit\n";
    plan.files[path] = std::move(rewritten);
    const std::string extra = std::string(kExitFunc) + R"(
// TestMain runs the package's own TestMain (renamed by leakhound test), then reports when it returns.
func TestMain(m *lhtesting.M) {
	leakhoundUserTestMain(m)
	leakhoundReport()
}
)";
    plan.files[dir + "/" + std::string(kGeneratedName)] = ReportSource(facts.package, extra, true);
    return plan;
  }
  const std::string extra = std::string(kExitFunc) + R"(
// TestMain runs the tests, then reports (added by leakhound test: the package has none).
func TestMain(m *lhtesting.M) {
	leakhoundExit(m.Run())
}
)";
  plan.files[dir + "/" + std::string(kGeneratedName)] = ReportSource(name, extra, true);
  return plan;
}

}  // namespace leakhound::gotest
