// The HTML writer without a browser: the data blob cannot close its <script> element whatever the input holds, the
// CSP hashes are those of the inline script and style, small frames collapse, and the watch entry point carries its
// samples. The browser tests (html_browser_test.cc) open the same pages in chromium.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "leakhound/report/html_assets.h"
#include "leakhound/report/report.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/util/sha256.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::report {
namespace {

constexpr std::string_view kDataOpen = "<script type=\"application/json\" id=\"data\">";

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Hash(std::string_view s) {
  auto d = util::Sha256(s);
  return util::Base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

// The JSON between <script type="application/json" id="data"> and the first "</script>" after it.
std::string Blob(const std::string& page) {
  size_t open = page.find(kDataOpen);
  if (open == std::string::npos) return "";
  open += kDataOpen.size();
  return page.substr(open, page.find("</script>", open) - open);
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

struct Analyzed {
  dump::Dump dump;
  verdict::Analysis analysis;
};

Analyzed AnalyzeText(std::string name, std::string text) {
  Analyzed a{testing::ParseText(std::move(name), std::move(text)), {}};
  auto r = verdict::Analyze(std::span<const dump::Dump>(&a.dump, 1), verdict::AnalyzeOptions{});
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (r.ok()) a.analysis = std::move(r.value());
  return a;
}

TEST(HtmlSha256, KnownVectors) {
  EXPECT_EQ(Hash(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(Hash("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
  EXPECT_EQ(util::Base64("ab"), "YWI=");
  EXPECT_EQ(util::Base64("a"), "YQ==");
}

TEST(HtmlWriter, HostileNamesNeverLeaveTheJsonBlob) {
  const std::string path = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/html/hostile.txt";
  Analyzed a = AnalyzeText("hostile <script>.txt", ReadFile(path));
  ASSERT_EQ(a.analysis.total_goroutines, 3u);
  std::string page = WriteAnalyzeHtml(a.analysis, HtmlOptions{});

  std::string blob = Blob(page);
  ASSERT_FALSE(blob.empty());
  for (char c : {'<', '>', '&'}) EXPECT_EQ(blob.find(c), std::string::npos) << "raw '" << c << "' in the blob";
  EXPECT_EQ(blob.find("\xe2\x80\xa8"), std::string::npos) << "raw U+2028 in the blob";
  EXPECT_NE(blob.find("\\u2028"), std::string::npos);
  // Exactly the template's two scripts and one style: nothing from the input opened or closed an element.
  EXPECT_EQ(Count(page, "<script"), 2u);
  EXPECT_EQ(Count(page, "</script>"), 2u);
  EXPECT_EQ(Count(page, "<style"), 1u);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<iframe"), std::string::npos);

  // The escapes mean the same text: the blob parses back to the literal names.
  auto data = nlohmann::json::parse(blob);
  std::string strings = data["strings"].dump();
  auto names = data["strings"].get<std::vector<std::string>>();
  auto has = [&](std::string_view s) { return std::find(names.begin(), names.end(), s) != names.end(); };
  EXPECT_TRUE(has("example.com/x.</script><script>alert(3)</script>.Handler")) << strings;
  EXPECT_TRUE(has("/src/\"'><img src=x onerror=alert(4)>/h.go")) << strings;
  EXPECT_TRUE(has("example.com/x.<style>body{display:none}</style>Start")) << strings;
  EXPECT_EQ(data["sources"][0]["name"], "hostile <script>.txt");
  bool state_found = false;
  for (const auto& b : data["buckets"]) {
    if (b["state"] == "chan receive <script>alert(1)</script>") {
      state_found = true;
      EXPECT_EQ(b["labels"], "{\"user\":\"<img src=x onerror=alert(1)>\", \"q\":\"\\\"'><svg onload=alert(2)>\"}");
    }
  }
  EXPECT_TRUE(state_found) << data["buckets"].dump();
}

TEST(HtmlWriter, CspHashesAreThoseOfTheInlineScriptAndStyle) {
  Analyzed a = AnalyzeText("golden", ReadFile(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/analyze-input.txt"));
  std::string page = WriteAnalyzeHtml(a.analysis, HtmlOptions{});
  size_t script = page.rfind("<script>");
  ASSERT_NE(script, std::string::npos);
  script += 8;
  std::string js = page.substr(script, page.find("</script>", script) - script);
  EXPECT_EQ(js, HtmlJs());
  size_t style = page.find("<style>") + 7;
  std::string css = page.substr(style, page.find("</style>", style) - style);
  EXPECT_EQ(css, HtmlCss());
  std::string csp = "default-src 'none'; script-src 'sha256-" + Hash(js) + "'; style-src 'sha256-" + Hash(css) +
                    "'; img-src data:; base-uri 'none'; form-action 'none'";
  EXPECT_NE(page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">"), std::string::npos);
  // The assets themselves can never end their element early.
  EXPECT_EQ(HtmlJs().find("</"), std::string_view::npos);
  EXPECT_EQ(HtmlCss().find("</"), std::string_view::npos);
  for (std::string_view sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("}) {
    EXPECT_EQ(HtmlJs().find(sink), std::string_view::npos) << sink;
  }
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a template slot was left unfilled";
}

TEST(HtmlWriter, FramesUnderAThousandthOfTheWidthCollapse) {
  // 3000 goroutines in one stack, and 5 single goroutines each in a stack of its own: 1/3000 of the width each.
  std::string text;
  uint64_t id = 1;
  for (int i = 0; i < 3000; ++i) {
    text += "goroutine " + std::to_string(id++) +
            " [chan receive]:\nmain.worker()\n\t/src/w.go:5 +0x1\ncreated by main.main in goroutine 1\n\t/src/m.go:9 "
            "+0x1\n\n";
  }
  for (int i = 0; i < 5; ++i) {
    text += "goroutine " + std::to_string(id++) + " [select]:\nmain.rare" + std::to_string(i) +
            "()\n\t/src/r.go:5 +0x1\ncreated by main.main in goroutine 1\n\t/src/m.go:9 +0x1\n\n";
  }
  Analyzed a = AnalyzeText("many", text);
  ASSERT_EQ(a.analysis.total_goroutines, 3005u);
  auto data = nlohmann::json::parse(Blob(WriteAnalyzeHtml(a.analysis, HtmlOptions{})));
  const auto& root = data["flame"];
  const auto& strings = data["strings"];
  EXPECT_EQ(root["v"], 3005);
  ASSERT_EQ(root["c"].size(), 2u) << root.dump();
  EXPECT_EQ(strings[root["c"][0]["n"].get<int>()], "main.worker");
  EXPECT_EQ(root["c"][0]["v"], 3000);
  EXPECT_EQ(strings[root["c"][1]["n"].get<int>()], "(5 small frames)");
  EXPECT_EQ(root["c"][1]["v"], 5);
  EXPECT_EQ(root["c"][1]["o"], 1);
  EXPECT_EQ(data["buckets"].size(), 6u) << "the table keeps every bucket";
}

TEST(HtmlWriter, WatchPageCarriesSamplesSeriesAndTheLatestSnapshot) {
  Analyzed a = AnalyzeText("golden", ReadFile(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/analyze-input.txt"));
  WatchHtml w;
  WatchHtmlTarget& t = w.targets.emplace_back();
  t.name = "api";
  t.url = "http://127.0.0.1:6060";
  t.buckets.push_back(WatchHtmlBucket{"example.com/shop/search.queryBackend", "/src/shop/search/fanout.go", 71,
                                      "example.com/shop/search.(*Handler).ServeHTTP", "chan send",
                                      verdict::Verdict::kSuspect, "grows"});
  t.samples.push_back(WatchHtmlSample{1764064800000, 30, {20}});
  t.samples.push_back(WatchHtmlSample{1764064815000, 70, {60}});
  t.samples.push_back(WatchHtmlSample{1764064830000, 71, {}});
  w.targets.push_back(WatchHtmlTarget{"db", "http://127.0.0.1:6061", 0, {}, {WatchHtmlSample{1764064800000, 5, {}}}});
  w.latest = &a.analysis;
  auto data = nlohmann::json::parse(Blob(WriteWatchHtml(w, HtmlOptions{})));
  EXPECT_EQ(data["kind"], "watch");
  ASSERT_EQ(data["targets"].size(), 2u);
  const auto& api = data["targets"][0];
  EXPECT_EQ(api["name"], "api");
  EXPECT_EQ(api["samples"].size(), 3u);
  EXPECT_EQ(api["samples"][1]["counts"], nlohmann::json::array({60}));
  EXPECT_EQ(api["samples"][2]["counts"], nlohmann::json::array({0})) << "missing counts are 0";
  EXPECT_EQ(api["series"][0]["verdict"], "suspect");
  EXPECT_EQ(data["targets"][1]["samples"][0]["total"], 5);
  EXPECT_EQ(data["buckets"].size(), a.analysis.buckets.size());
}

TEST(HtmlCli, AnalyzeAndDiffWriteThePageToAPipe) {
  const std::string golden = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/";
  auto a = testing::RunCli({"analyze", golden + "analyze-input.txt", "--format", "html"});
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->exit_code, 1) << a->err;  // the input holds a definite leak
  EXPECT_EQ(a->out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(nlohmann::json::parse(Blob(a->out))["kind"], "analyze");
  auto d = testing::RunCli({"diff", golden + "goroutines-2026-11-25T10-00-00.txt",
                            golden + "goroutines-2026-11-25T10-15-00.txt", "--format", "html"});
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->exit_code, 1) << d->err;
  auto data = nlohmann::json::parse(Blob(d->out));
  EXPECT_EQ(data["kind"], "diff");
  EXPECT_EQ(data["buckets"][0]["growth"], 40);
  EXPECT_EQ(data["buckets"][0]["counts"], nlohmann::json::array({20, 60}));
  EXPECT_EQ(data["timed"], true);
}

TEST(HtmlCli, HtmlToATerminalIsAUsageErrorThatSuggestsOutput) {
  // script(1) gives the CLI a real pseudo-terminal as stdout.
  const std::string cmd = testing::CliPath() + " analyze " + LEAKHOUND_SOURCE_DIR +
                          "/tests/golden/analyze-input.txt --format html";
  auto r = testing::RunCommand({"/usr/bin/script", "-qec", cmd, "/dev/null"}, std::chrono::seconds(60));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 2) << r->out << r->err;
  EXPECT_NE(r->out.find("--format html writes a web page, not text for a terminal: give -o FILE.html"),
            std::string::npos)
      << r->out;
  EXPECT_EQ(r->out.find("<!DOCTYPE"), std::string::npos);
}

TEST(HtmlCli, DiffRefusesTheAnalyzeOnlyFormats) {
  const std::string golden = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/golden/";
  auto r = testing::RunCli({"diff", golden + "goroutines-2026-11-25T10-00-00.txt",
                            golden + "goroutines-2026-11-25T10-15-00.txt", "--format", "folded"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_NE(r->err.find("--format must be text, json or html"), std::string::npos) << r->err;
}

}  // namespace
}  // namespace leakhound::report
