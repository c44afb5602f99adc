// Shell completions: the scripts `leakhound completion SHELL` prints, loaded into the real bash, zsh and fish (Debian's
// packages, installed by scripts/install-deps.sh), asked what they complete.
#include "leakhound/cli/completion.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "leakhound/cli/test_command.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::cli {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;

TEST(Completion, ValuesAreTheWordsAHelpJoinsWithBars) {
  EXPECT_EQ(ValuesInDescription("auto|text|json|html (default: text, on a pipe too)"),
            (std::vector<std::string>{"auto", "text", "json", "html"}));
  EXPECT_EQ(ValuesInDescription("Bucket goroutines by exact|line|func (default: line)"),
            (std::vector<std::string>{"exact", "line", "func"}));
  // Two sets in one help: both, in order, once each.
  EXPECT_EQ(ValuesInDescription("auto|text|json, and json|pprof for analyze"),
            (std::vector<std::string>{"auto", "text", "json", "pprof"}));
  // No set: a lone word, a path, an example value.
  EXPECT_TRUE(ValuesInDescription("Write the report to FILE").empty());
  EXPECT_TRUE(ValuesInDescription("Time between scrapes: 15s, 200ms, 1m (default 15s)").empty());
}

TEST(Completion, TestOptionsComeFromItsHelp) {
  std::vector<CompletionOption> options = OptionsInHelp(TestHelp());
  auto find = [&](const std::string& name) -> const CompletionOption* {
    for (const CompletionOption& o : options) {
      for (const std::string& n : o.names) {
        if (n == name) return &o;
      }
    }
    return nullptr;
  };
  ASSERT_NE(find("--repeat"), nullptr);
  EXPECT_TRUE(find("--repeat")->takes_value);
  ASSERT_NE(find("--per-test"), nullptr);
  EXPECT_FALSE(find("--per-test")->takes_value);
  ASSERT_NE(find("-h"), nullptr);
  EXPECT_EQ(find("-h"), find("--help"));
  ASSERT_NE(find("--format"), nullptr);
  EXPECT_EQ(find("--format")->values, (std::vector<std::string>{"text", "json", "junit"}));
  // A description that goes on over two lines is one description.
  ASSERT_NE(find("--per-test"), nullptr);
  EXPECT_NE(find("--per-test")->description.find("at the cost of one go test run"), std::string::npos);
}

TEST(Completion, UnknownShellIsAnError) {
  auto r = RunCommand({testing::CliPath(), "completion", "powershell"}, std::chrono::seconds(30));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_NE(r->err.find("bash, zsh or fish"), std::string::npos) << r->err;
}

// Writes `leakhound completion SHELL` to a file and returns its path.
fs::path Script(const std::string& shell) {
  auto r = RunCommand({testing::CliPath(), "completion", shell}, std::chrono::seconds(30));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  const fs::path path = fs::path(::testing::TempDir()) / ("leakhound-completion." + shell);
  std::ofstream(path) << r->out;
  return path;
}

// What bash completes for the words of `line` (the last word is the one being completed).
std::string BashCompletes(const fs::path& script, const std::string& words) {
  const std::string program = "source '" + script.string() + "'; COMP_WORDS=(" + words +
                              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _leakhound; printf '%s\\n' \"${COMPREPLY[@]}\"";
  auto r = RunCommand({"/bin/bash", "--norc", "-c", program}, std::chrono::seconds(30), {}, LEAKHOUND_SOURCE_DIR);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  return r->out;
}

TEST(Completion, BashCompletesCommandsOptionsAndTheirValues) {
  const fs::path script = Script("bash");
  EXPECT_EQ(BashCompletes(script, "leakhound an"), "analyze\n");
  EXPECT_EQ(BashCompletes(script, "leakhound analyze --for"), "--format\n");
  EXPECT_EQ(BashCompletes(script, "leakhound diff -f j"), "json\n");
  EXPECT_EQ(BashCompletes(script, "leakhound analyze --fail-on s"), "suspect\n");
  EXPECT_EQ(BashCompletes(script, "leakhound scan --fail-on w"), "warning\n");
  EXPECT_EQ(BashCompletes(script, "leakhound rules LH00"), "LH001\nLH002\nLH003\nLH004\nLH005\nLH006\nLH007\nLH008\nLH009\n");
  EXPECT_EQ(BashCompletes(script, "leakhound test --per"), "--per-test\n");
  EXPECT_EQ(BashCompletes(script, "leakhound completion f"), "fish\n");
  // File arguments: the dump files of the examples.
  EXPECT_EQ(BashCompletes(script, "leakhound analyze examples/dumps/shop-2026-11-25T10-0"),
            "examples/dumps/shop-2026-11-25T10-00-00.txt\n");
  // Options that take a number complete nothing.
  EXPECT_EQ(BashCompletes(script, "leakhound analyze --top ''"), "\n");
}

TEST(Completion, FishCompletesCommandsOptionsAndTheirValues) {
  const fs::path script = Script("fish");
  auto complete = [&](const std::string& line) {
    auto r = RunCommand({"/usr/bin/fish", "--no-config", "-c", "source '" + script.string() + "'; complete -C '" + line + "'"},
                        std::chrono::seconds(30), {}, LEAKHOUND_SOURCE_DIR);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 0) << r->err;
    return r->out;
  };
  EXPECT_EQ(complete("leakhound wat"), "watch\tScrape running Go services' pprof endpoints, track goroutines per "
                                       "stack over time, alert on leaks\n");
  EXPECT_NE(complete("leakhound scan --for").find("--format\t"), std::string::npos);
  std::string formats = complete("leakhound scan --format ");
  EXPECT_NE(formats.find("sarif\t"), std::string::npos) << formats;
  EXPECT_EQ(formats.find("html\t"), std::string::npos) << formats;
  EXPECT_NE(complete("leakhound test --rep").find("--repeat\t"), std::string::npos);
}

TEST(Completion, ZshScriptParsesAndDefinesTheFunction) {
  const fs::path script = Script("zsh");
  auto r = RunCommand({"/usr/bin/zsh", "-f", "-c",
                       "autoload -U compinit && compinit -u -D && source '" + script.string() +
                           "' 2>/dev/null; whence -w _leakhound"},
                      std::chrono::seconds(30));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "_leakhound: function\n") << r->err;
  auto syntax = RunCommand({"/usr/bin/zsh", "-n", script.string()}, std::chrono::seconds(30));
  ASSERT_TRUE(syntax.ok());
  EXPECT_EQ(syntax->exit_code, 0) << syntax->err;
  std::ifstream in(script);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text.rfind("#compdef leakhound\n", 0), 0u);
  EXPECT_NE(text.find("'(-f --format)'{-f,--format}'[auto|text|json|html|folded|pprof"), std::string::npos);
}

}  // namespace
}  // namespace leakhound::cli
