// The HTML report in a real browser: real Go programs under tests/go leak, are dumped over loopback, the leakhound CLI
// writes the HTML and JSON reports, and tests/browser/check_report.js opens the HTML in Debian's chromium (headless,
// every request but the file itself aborted), works the page like a person and prints what it saw. What the page
// shows must be what the JSON report says; nothing may reach the network, log an error or execute from the input.
// Screenshots land in <build>/browser-shots/.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "leakhound/report/report.h"
#include "leakhound/testing/go_program.h"
#include "leakhound/verdict/analysis.h"

namespace leakhound::report {
namespace {

namespace lt = ::leakhound::testing;
using json = nlohmann::json;

std::string ShotsDir() {
  std::string dir = std::string(LEAKHOUND_BINARY_DIR) + "/browser-shots";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string WorkDir(const std::string& name) {
  std::string dir = std::string(LEAKHOUND_BINARY_DIR) + "/html-tests/" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Runs the browser script on `report`; fails the test unless it ran to the end and printed its JSON.
json CheckInBrowser(const std::string& report, json options) {
  options["shots"] = ShotsDir();
  auto r = lt::RunCommand({"/usr/bin/node", std::string(LEAKHOUND_SOURCE_DIR) + "/tests/browser/check_report.js", report,
                           options.dump()},
                          std::chrono::minutes(3), {}, LEAKHOUND_SOURCE_DIR);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return json::object();
  EXPECT_EQ(r->exit_code, 0) << r->err;
  json out = json::parse(r->out, nullptr, false);
  EXPECT_FALSE(out.is_discarded()) << "not JSON: " << r->out << r->err;
  return out.is_discarded() ? json::object() : out;
}

// What every page must satisfy, whatever it shows.
void ExpectCleanPage(const json& page, const std::string& report) {
  EXPECT_EQ(page["consoleErrors"], json::array()) << page["consoleMessages"];
  EXPECT_EQ(page["pageErrors"], json::array());
  EXPECT_EQ(page["dialogs"], json::array());
  EXPECT_EQ(page["blocked"], json::array()) << "the page asked for something besides itself";
  EXPECT_EQ(page["requests"], json::array({"file://" + std::filesystem::absolute(report).string()}));
  EXPECT_EQ(page["scripts"], 2);
  EXPECT_EQ(page["injected"], json::array());
  EXPECT_EQ(page["onAttributes"], json::array());
  ASSERT_TRUE(page.contains("theme"));
  EXPECT_NE(page["theme"]["light"], page["theme"]["dark"]) << "dark mode did not change the page";
  EXPECT_EQ(page["theme"]["toggledFromDark"], page["theme"]["light"]) << "the toggle did not switch to light";
}

// The page's table filter: a case-insensitive substring of state, labels, frames (function and file) and creator.
bool FilterMatches(const json& b, std::string needle) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  needle = lower(needle);
  std::string hay = b["state"].get<std::string>();
  auto add = [&](const json& s) {
    hay += '\n';
    hay += s.get<std::string>();
  };
  if (b.contains("labels") && b["labels"].is_string()) add(b["labels"]);
  for (const json& f : b["frames"]) add(f["function"]), add(f["file"]);
  if (!b["created_by"].is_null()) add(b["created_by"]["function"]), add(b["created_by"]["file"]);
  return lower(hay).find(needle) != std::string::npos;
}

std::vector<uint64_t> Counts(const json& buckets, const char* key, bool (*keep)(const json&, const std::string&),
                             const std::string& arg) {
  std::vector<uint64_t> out;
  for (const json& b : buckets) {
    if (keep(b, arg)) out.push_back(b[key].is_array() ? b[key].back().get<uint64_t>() : b[key].get<uint64_t>());
  }
  return out;
}
bool All(const json&, const std::string&) { return true; }
bool Filtered(const json& b, const std::string& needle) { return FilterMatches(b, needle); }
bool NotVerdict(const json& b, const std::string& v) { return b["verdict"] != v; }

std::vector<uint64_t> Sorted(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The zoom, search and row checks shared by every report with a table and an icicle graph.
void ExpectTableAndIcicle(const json& page, const json& report, const std::string& counts_key,
                          const std::string& frame) {
  const json& buckets = report["buckets"];
  EXPECT_EQ(page["rows"], buckets.size());
  EXPECT_EQ(page["rowCounts"].get<std::vector<uint64_t>>(), Counts(buckets, counts_key.c_str(), All, ""));
  // Sorting by the count column: two clicks give opposite orders (which comes first depends on the default sort).
  auto first = page["sortedByCount"][0].get<std::vector<uint64_t>>();
  auto second = page["sortedByCount"][1].get<std::vector<uint64_t>>();
  auto asc = [](const std::vector<uint64_t>& v) { return std::is_sorted(v.begin(), v.end()); };
  auto desc = [](const std::vector<uint64_t>& v) { return std::is_sorted(v.rbegin(), v.rend()); };
  if (page["sortAttr"] == "descending") {
    EXPECT_TRUE(asc(first) && desc(second)) << page["sortedByCount"];
  } else {
    EXPECT_EQ(page["sortAttr"], "ascending");
    EXPECT_TRUE(desc(first) && asc(second)) << page["sortedByCount"];
  }
  // The filter narrows to the buckets that mention the frame, and clearing it brings every row back.
  auto filtered = Counts(buckets, counts_key.c_str(), Filtered, frame);
  EXPECT_FALSE(filtered.empty());
  EXPECT_LT(filtered.size(), buckets.size());
  EXPECT_EQ(Sorted(page["filter"]["rowCounts"].get<std::vector<uint64_t>>()), Sorted(filtered));
  EXPECT_EQ(page["filter"]["rowsAfterClear"], buckets.size());
  // Clearing the "benign" checkbox hides exactly the benign rows.
  EXPECT_EQ(Sorted(page["uncheck"]["rowCounts"].get<std::vector<uint64_t>>()),
            Sorted(Counts(buckets, counts_key.c_str(), NotVerdict, "benign")));
  for (const json& v : page["uncheck"]["verdictsLeft"]) EXPECT_NE(v, "benign");
  // The first row expands to its stack with file:line.
  EXPECT_GE(page["expanded"]["frames"].get<int>(), 1);
  EXPECT_NE(page["expanded"]["text"].get<std::string>().find(".go:"), std::string::npos);
  // A click on the frame makes it as wide as the graph; reset gives it its old width back.
  ASSERT_TRUE(page["zoom"]["found"].get<bool>()) << "no frame named " << frame;
  double svg = page["zoom"]["svgWidth"].get<double>();
  EXPECT_LT(page["zoom"]["widthBefore"].get<double>(), svg - 1);
  EXPECT_NEAR(page["zoom"]["widthAfter"].get<double>(), svg, 0.5);
  EXPECT_NEAR(page["zoom"]["widthAfterReset"].get<double>(), page["zoom"]["widthBefore"].get<double>(), 0.5);
  // The keyboard alone does the same: Tab reaches the frame, Enter zooms it (focus stays on it), Escape zooms out.
  const json& keys = page["zoom"]["keyboard"];
  ASSERT_TRUE(keys["reached"].get<bool>()) << "Tab never focused " << frame;
  EXPECT_NEAR(keys["widthAfterEnter"].get<double>(), svg, 0.5);
  EXPECT_TRUE(keys["focusKept"].get<bool>());
  EXPECT_NE(keys["crumbAfterEscape"], keys["crumbAfterEnter"]) << "Escape zooms out one level";
  EXPECT_NE(page["tooltip"].get<std::string>().find(frame), std::string::npos) << page["tooltip"];
  // Search highlights the frames that match, and only those.
  ASSERT_FALSE(page["search"]["highlighted"].empty());
  for (const json& name : page["search"]["highlighted"]) {
    EXPECT_NE(name.get<std::string>().find(page["search"]["text"].get<std::string>()), std::string::npos) << name;
  }
  EXPECT_NE(page["search"]["info"].get<std::string>().find("goroutines ("), std::string::npos);
}

TEST(HtmlBrowser, AnalyzeReportOfALeakingProgramMatchesTheJsonReport) {
  const std::string dir = WorkDir("analyze");
  auto program = lt::GoProgram::Start("abandoned_sender", {"-n", "200"});
  ASSERT_TRUE(program.ok()) << program.status().message();
  auto body = (*program)->Fetch("/debug/pprof/goroutine?debug=2");
  ASSERT_TRUE(body.ok()) << body.status().message();
  const std::string dump = dir + "/abandoned_sender.txt";
  WriteFile(dump, *body);
  (*program)->Kill();

  const std::string html = dir + "/report.html", js = dir + "/report.json";
  auto run = lt::RunCli({"analyze", dump, "--format", "html", "-o", html});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_LE(run->exit_code, 1) << run->err;
  run = lt::RunCli({"analyze", dump, "--format", "json", "-o", js});
  ASSERT_TRUE(run.ok()) << run.status().message();
  json report = json::parse(ReadFile(js));

  json page = CheckInBrowser(html, {{"name", "analyze"},
                                    {"filter", "fetchBackend"},
                                    {"uncheck", "benign"},
                                    {"zoom", "main.fetchBackend"},
                                    {"search", "fetchBackend"}});
  ExpectCleanPage(page, html);
  EXPECT_EQ(page["kind"], "analyze");
  EXPECT_EQ(page["cards"]["goroutines"], WithCommas(report["total_goroutines"].get<uint64_t>()));
  EXPECT_EQ(page["cards"]["buckets"], std::to_string(report["summary"]["buckets"].get<uint64_t>()));
  for (const char* v : {"definite", "suspect", "benign", "active"}) {
    EXPECT_EQ(page["cards"][v], std::to_string(report["summary"][v].get<uint64_t>())) << v;
  }
  ExpectTableAndIcicle(page, report, "count", "main.fetchBackend");
  // The leak is the largest bucket: 200 goroutines, first row.
  EXPECT_EQ(page["rowCounts"][0], 200);
  std::cout << "[ render ] analyze report of " << report["total_goroutines"] << " goroutines: "
            << page["renderMs"] << " ms to render, " << page["loadWallMs"] << " ms to load\n";
}

TEST(HtmlBrowser, DiffReportShowsTheGrowthOfARealLeak) {
  constexpr int kFirst = 30, kMore = 40;
  const std::string dir = WorkDir("diff");
  auto program = lt::GoProgram::Start("abandoned_sender", {"-n", std::to_string(kFirst)});
  ASSERT_TRUE(program.ok()) << program.status().message();
  lt::GoProgram& p = **program;
  auto before = p.Fetch("/debug/pprof/goroutine?debug=2");
  ASSERT_TRUE(before.ok()) << before.status().message();
  const std::string first = dir + "/goroutines-2026-11-25T10-00-00.txt";
  const std::string last = dir + "/goroutines-2026-11-25T10-15-00.txt";
  WriteFile(first, *before);
  for (int i = 0; i < kMore; ++i) (void)p.Fetch("/search?q=more" + std::to_string(i));  // 504 once it abandons
  bool grown = false;
  for (int attempt = 0; attempt < 200 && !grown; ++attempt) {
    auto now = p.Fetch("/debug/pprof/goroutine?debug=2");
    ASSERT_TRUE(now.ok()) << now.status().message();
    dump::Dump d = lt::ParseText("now", *now);
    uint64_t parked = 0;
    for (const dump::Goroutine& g : d.goroutines) {
      if (g.state == "chan send" && g.frames_size > 0 && d.FramesOf(g)[0].function == "main.fetchBackend") ++parked;
    }
    if (parked >= kFirst + kMore) {
      WriteFile(last, *now);
      grown = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ASSERT_TRUE(grown) << "the new senders never parked";
  p.Kill();

  const std::string html = dir + "/report.html", js = dir + "/report.json";
  auto run = lt::RunCli({"diff", first, last, "--format", "html", "-o", html});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_LE(run->exit_code, 1) << run->err;
  run = lt::RunCli({"diff", first, last, "--format", "json", "-o", js});
  ASSERT_TRUE(run.ok()) << run.status().message();
  json report = json::parse(ReadFile(js));

  json page = CheckInBrowser(html, {{"name", "diff"},
                                    {"filter", "fetchBackend"},
                                    {"uncheck", "benign"},
                                    {"zoom", "main.fetchBackend"},
                                    {"search", "fetchBackend"}});
  ExpectCleanPage(page, html);
  EXPECT_EQ(page["kind"], "diff");
  ExpectTableAndIcicle(page, report, "counts", "main.fetchBackend");
  // The first row is the leak that grew: +40, 30 → 70, every first-snapshot id stuck, per minute over 15 minutes.
  const json& cells = page["firstRowCells"];
  ASSERT_GE(cells.size(), 5u) << cells;
  EXPECT_EQ(cells[0], "+40");
  EXPECT_EQ(cells[1], "30 → 70");
  EXPECT_EQ(cells[2], "+2.7");
  EXPECT_EQ(cells[3], "100%");
  EXPECT_EQ(cells[4], "grown");
  EXPECT_EQ(page["cards"]["snapshots"], "2");
  EXPECT_EQ(page["charts"], 1) << "the totals chart";
  EXPECT_TRUE(page["overlappingLabels"].empty()) << page["overlappingLabels"].dump();
}

TEST(HtmlBrowser, HostileNamesLabelsAndWaitReasonsShowLiterallyAndNeverRun) {
  const std::string dir = WorkDir("hostile");
  const std::string dump = std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/html/hostile.txt";
  const std::string html = dir + "/report.html";
  auto run = lt::RunCli({"analyze", dump, "--format", "html", "-o", html});
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_LE(run->exit_code, 1) << run->err;
  const std::vector<std::string> literals = {
      "example.com/x.</script><script>alert(3)</script>.Handler",
      "/src/\"'><img src=x onerror=alert(4)>/h.go:12",
      "/src/x/<iframe src=javascript:alert(5)>.go:40",
      "chan receive <script>alert(1)</script>",
      "{\"user\":\"<img src=x onerror=alert(1)>\", \"q\":\"\\\"'><svg onload=alert(2)>\"}",
      "example.com/x.<style>body{display:none}</style>Start",
      "example.com/x.Serve&amp;<b>bold</b>",
  };
  json page = CheckInBrowser(html, {{"name", "hostile"},
                                    {"expandAll", true},
                                    {"filter", "<script>"},
                                    {"uncheck", "benign"},
                                    {"zoom", "example.com/x.</script><script>alert(3)</script>.Handler"},
                                    {"search", "<b>"},
                                    {"literals", literals}});
  ExpectCleanPage(page, html);
  EXPECT_FALSE(page["xssFlag"].get<bool>());
  for (const std::string& l : literals) EXPECT_TRUE(page["literals"][l].get<bool>()) << "not shown literally: " << l;
  EXPECT_EQ(page["filter"]["rowCounts"], json::array({2}));
  EXPECT_TRUE(page["zoom"]["found"].get<bool>());
  EXPECT_NEAR(page["zoom"]["widthAfter"].get<double>(), page["zoom"]["svgWidth"].get<double>(), 0.5);
  EXPECT_EQ(page["search"]["highlighted"], json::array({"example.com/x.Serve&amp;<b>bold</b>\u2028<!--x-->"}));
}

TEST(HtmlBrowser, WatchReportDrawsTrendsOfRealSamples) {
  // What `leakhound watch` will hand over: samples of a program whose leak grows, the leak's series, and the
  // analysis of the last sample.
  const std::string dir = WorkDir("watch");
  auto program = lt::GoProgram::Start("abandoned_sender", {"-n", "20"});
  ASSERT_TRUE(program.ok()) << program.status().message();
  lt::GoProgram& p = **program;
  std::vector<dump::Dump> dumps;
  WatchHtml w;
  WatchHtmlTarget& target = w.targets.emplace_back();
  target.name = "abandoned_sender";
  target.url = p.base_url();
  target.buckets.push_back(WatchHtmlBucket{"main.fetchBackend", "", 0, "main.handleSearch", "chan send",
                                           verdict::Verdict::kSuspect, "grows with every request"});
  int64_t t = 1764064800000;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 10 * round; ++i) (void)p.Fetch("/search?q=w" + std::to_string(round) + "-" + std::to_string(i));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto d = p.LoadProfile(2);
    ASSERT_TRUE(d.ok()) << d.status().message();
    uint64_t leak = 0;
    for (const dump::Goroutine& g : d->goroutines) {
      if (g.frames_size > 0 && d->FramesOf(g)[0].function == "main.fetchBackend") ++leak;
    }
    target.samples.push_back(WatchHtmlSample{t + round * 15000, d->TotalGoroutines(), {leak}});
    dumps.push_back(std::move(d.value()));
  }
  p.Kill();
  auto analysis = verdict::Analyze(std::span<const dump::Dump>(&dumps.back(), 1), verdict::AnalyzeOptions{});
  ASSERT_TRUE(analysis.ok());
  w.latest = &*analysis;
  const std::string html = dir + "/report.html";
  WriteFile(html, WriteWatchHtml(w, HtmlOptions{cluster::Similarity::kLine, "test", ""}));

  json page = CheckInBrowser(html, {{"name", "watch"},
                                    {"filter", "fetchBackend"},
                                    {"uncheck", "benign"},
                                    {"zoom", "main.fetchBackend"},
                                    {"search", "fetchBackend"}});
  ExpectCleanPage(page, html);
  EXPECT_EQ(page["kind"], "watch");
  EXPECT_EQ(page["charts"], 2) << "total and top buckets";
  EXPECT_TRUE(page["overlappingLabels"].empty()) << page["overlappingLabels"].dump();
  EXPECT_EQ(page["cards"]["samples"], "4");
  EXPECT_EQ(page["rows"], analysis->buckets.size());
  EXPECT_TRUE(page["zoom"]["found"].get<bool>());
  EXPECT_NEAR(page["zoom"]["widthAfter"].get<double>(), page["zoom"]["svgWidth"].get<double>(), 0.5);
}

TEST(HtmlBrowser, WatchCliPagesShowEveryTargetsTrendsAndTheDumpsAnalysis) {
  // The real `leakhound watch` on two real services, one leaking a goroutine per request: the page it writes at the
  // end has both targets' charts and an overview; the page beside the dump taken on the growth alert has the leak's
  // trend and the dump's table and icicle graph.
  const std::string dir = WorkDir("watch-cli");
  std::filesystem::remove_all(dir + "/dumps");
  auto leaky = lt::GoProgram::Start("abandoned_sender", {"-n", "5"});
  ASSERT_TRUE(leaky.ok()) << leaky.status().message();
  auto healthy = lt::GoProgram::Start("healthy", {});
  ASSERT_TRUE(healthy.ok()) << healthy.status().message();
  std::atomic<bool> stop{false};
  std::thread load([&] {
    for (int i = 0; !stop; ++i) {
      (void)(*leaky)->Fetch("/search?q=cli" + std::to_string(i));
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
  });
  const std::string html = dir + "/watch.html";
  auto run = lt::RunCli({"watch", (*leaky)->base_url(), (*healthy)->base_url(), "--interval", "200ms", "--duration",
                         "4s", "--min-samples", "4", "--min-growth", "3", "--dump-dir", dir + "/dumps", "--format",
                         "html", "-o", html});
  stop = true;
  load.join();
  (*leaky)->Kill();
  (*healthy)->Kill();
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << "the leak alerted: " << run->err;
  EXPECT_NE(run->out.find("\"event\":\"alert\""), std::string::npos) << "events still go to stdout";
  EXPECT_NE(run->err.find("wrote " + html), std::string::npos) << run->err;

  json page = CheckInBrowser(html, {{"name", "watch-cli"}});
  ExpectCleanPage(page, html);
  EXPECT_EQ(page["kind"], "watch");
  EXPECT_EQ(page["watchTargets"], 2);
  EXPECT_EQ(page["charts"], 4) << "total and top buckets, per target";
  EXPECT_TRUE(page["overlappingLabels"].empty()) << page["overlappingLabels"].dump();
  EXPECT_EQ(page["cards"]["targets"], "2");
  ASSERT_EQ(page["targetRows"].size(), 2u);
  EXPECT_EQ(page["targetRows"][0], (*leaky)->base_url().substr(7)) << "the fastest growing target first";
  EXPECT_GE(std::stoi(page["cards"]["samples"].get<std::string>()), 10);
  // The alert: marked on the leaky target's two charts, listed with a link to the page beside its dump, and its
  // verdict in the bucket's legend.
  EXPECT_GE(page["alertMarkers"].get<int>(), 2) << page.dump();
  ASSERT_GE(page["alertRows"].size(), 1u) << page.dump();
  const json& row = page["alertRows"][0];
  EXPECT_EQ(row["cells"][1], "growth");
  EXPECT_NE(row["cells"][2].get<std::string>().find("fetchBackend"), std::string::npos) << row.dump();
  ASSERT_TRUE(row["link"].is_string()) << row.dump();
  EXPECT_EQ(row["link"].get<std::string>().rfind("dumps/", 0), 0u) << "relative to the page: " << row.dump();
  EXPECT_TRUE(std::filesystem::exists(dir + "/" + row["link"].get<std::string>())) << row.dump();
  bool legend_says_alert = false;
  for (const json& l : page["legends"]) {
    legend_says_alert = legend_says_alert || l.get<std::string>().find("alert: ") != std::string::npos;
  }
  EXPECT_TRUE(legend_says_alert) << page["legends"].dump();

  std::string beside;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/dumps")) {
    if (e.path().extension() == ".html") beside = e.path().string();
  }
  ASSERT_FALSE(beside.empty()) << "no page beside the dump";
  json dump_page = CheckInBrowser(beside, {{"name", "watch-cli-dump"},
                                           {"filter", "fetchBackend"},
                                           {"zoom", "main.fetchBackend"},
                                           {"search", "fetchBackend"}});
  ExpectCleanPage(dump_page, beside);
  EXPECT_EQ(dump_page["watchTargets"], 1);
  EXPECT_EQ(dump_page["charts"], 2);
  EXPECT_TRUE(dump_page["overlappingLabels"].empty()) << dump_page["overlappingLabels"].dump();
  EXPECT_GT(dump_page["rows"].get<size_t>(), 0u);
  EXPECT_FALSE(dump_page["filter"]["rowCounts"].empty());
  EXPECT_TRUE(dump_page["zoom"]["found"].get<bool>());
  // The page names the alert its dump was taken for.
  ASSERT_TRUE(dump_page["alertBanner"].is_string()) << dump_page.dump();
  EXPECT_NE(dump_page["alertBanner"].get<std::string>().find("growth"), std::string::npos) << dump_page["alertBanner"];
  EXPECT_GE(dump_page["alertMarkers"].get<int>(), 1);
}

}  // namespace
}  // namespace leakhound::report
