#include "leakhound/watch/dump_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace leakhound::watch {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("leakhound-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p.string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(WatchDumpWriter, WritesCompleteFileNamedByTargetAndTimeWithNoTemporaryLeft) {
  std::string dir = TempDir("dumpwriter");
  DumpWriter w(dir + "/nested", Rotation{});
  std::string body(300000, 'g');
  auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764118800123));  // 2025-11-26T01:00:00.123Z
  auto path = w.Write("api:6060", body, when);
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(fs::path(*path).filename().string(), "leakhound-api_6060-2025-11-26T01-00-00.123Z.txt");
  EXPECT_EQ(ReadFile(*path), body);
  EXPECT_EQ(Listing(dir + "/nested").size(), 1u) << "no temporary file stays behind";
  auto again = w.Write("api:6060", "second", when);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *path) << "the same millisecond gets a distinct name";
  EXPECT_EQ(ReadFile(*again), "second");
  fs::remove_all(dir);
}

TEST(WatchDumpWriter, RotationKeepsTheNewestByCount) {
  std::string dir = TempDir("rotate-count");
  DumpWriter w(dir, Rotation{3, uint64_t{1} << 30});
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764118800));
  std::vector<std::string> paths;
  for (int i = 0; i < 5; ++i) {
    auto p = w.Write("svc", "dump " + std::to_string(i), t + std::chrono::seconds(i));
    ASSERT_TRUE(p.ok());
    paths.push_back(*p);
    // Distinct modification times, oldest first, whatever the file system's resolution.
    fs::last_write_time(*p, fs::file_time_type::clock::now() - std::chrono::hours(10 - i));
  }
  { std::ofstream(dir + "/notes.txt") << "not ours"; }
  auto deleted = w.Rotate();
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2u);
  EXPECT_FALSE(fs::exists(paths[0]));
  EXPECT_FALSE(fs::exists(paths[1]));
  EXPECT_TRUE(fs::exists(paths[2]));
  EXPECT_TRUE(fs::exists(paths[4]));
  EXPECT_TRUE(fs::exists(dir + "/notes.txt")) << "files leakhound did not write are left alone";
  fs::remove_all(dir);
}

TEST(WatchDumpWriter, RotationKeepsTotalBytesButAlwaysTheNewest) {
  std::string dir = TempDir("rotate-bytes");
  DumpWriter w(dir, Rotation{100, 2500});
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764118800));
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i) {
    auto p = w.Write("svc", std::string(1000, 'x'), t + std::chrono::seconds(i));
    ASSERT_TRUE(p.ok());
    paths.push_back(*p);
    fs::last_write_time(*p, fs::file_time_type::clock::now() - std::chrono::hours(10 - i));
  }
  ASSERT_TRUE(w.Rotate().ok());
  EXPECT_EQ(Listing(dir).size(), 2u);
  EXPECT_TRUE(fs::exists(paths[3]));
  EXPECT_TRUE(fs::exists(paths[2]));

  DumpWriter tiny(dir, Rotation{100, 10});
  auto big = tiny.Write("svc", std::string(5000, 'y'), t + std::chrono::seconds(9));
  ASSERT_TRUE(big.ok());
  ASSERT_TRUE(tiny.Rotate().ok());
  EXPECT_EQ(Listing(dir), std::vector<std::string>{fs::path(*big).filename().string()})
      << "a dump larger than the limit is still kept: it is the newest";
  fs::remove_all(dir);
}

TEST(WatchDumpWriter, TemporariesLeftByAKilledWriterAreCountedThenRemoved) {
  std::string dir = TempDir("stale-tmp");
  DumpWriter w(dir, Rotation{100, 3000});
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764118800));
  auto dump = w.Write("svc", std::string(1000, 'x'), t);
  ASSERT_TRUE(dump.ok());
  fs::last_write_time(*dump, fs::file_time_type::clock::now() - std::chrono::hours(1));
  const fs::path stale = fs::path(dir) / ".leakhound-AbCdEf.tmp", fresh = fs::path(dir) / ".leakhound-GhIjKl.tmp";
  std::ofstream(stale) << std::string(5000, 's');
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
  std::ofstream(fresh) << std::string(2500, 'f');  // being written now, maybe by another leakhound
  auto newer = w.Write("svc", std::string(1000, 'y'), t + std::chrono::seconds(5));
  ASSERT_TRUE(newer.ok());
  ASSERT_TRUE(w.Rotate().ok());
  EXPECT_FALSE(fs::exists(stale)) << "abandoned for hours: removed";
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(*newer));
  EXPECT_FALSE(fs::exists(*dump)) << "the fresh temporary counts against --dump-max-mb: 2500 + 1000 + 1000 > 3000";
  fs::remove_all(dir);
}

TEST(WatchDumpWriter, CompanionPagesSitBesideTheirDumpAndAreRotatedAndCountedWithThem) {
  std::string dir = TempDir("rotate-companions");
  // Each dump is 1000 bytes and its page 1000: two dumps with their pages fill 4000 of the 4500 allowed.
  DumpWriter w(dir, Rotation{100, 4500});
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764118800));
  std::vector<std::string> dumps, pages;
  for (int i = 0; i < 3; ++i) {
    auto p = w.Write("svc", std::string(1000, 'x'), t + std::chrono::seconds(i));
    ASSERT_TRUE(p.ok());
    auto page = w.WriteBeside(*p, ".html", std::string(1000, 'h'));
    ASSERT_TRUE(page.ok()) << page.status().message();
    EXPECT_EQ(fs::path(*page).stem(), fs::path(*p).stem());
    EXPECT_EQ(fs::path(*page).extension(), ".html");
    EXPECT_EQ(ReadFile(*page), std::string(1000, 'h'));
    dumps.push_back(*p);
    pages.push_back(*page);
    fs::last_write_time(*p, fs::file_time_type::clock::now() - std::chrono::hours(10 - i));
  }
  auto deleted = w.Rotate();
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1u);
  EXPECT_FALSE(fs::exists(dumps[0]));
  EXPECT_FALSE(fs::exists(pages[0])) << "a dump's page goes with it";
  EXPECT_TRUE(fs::exists(dumps[2]) && fs::exists(pages[2]));
  EXPECT_TRUE(fs::exists(dumps[1]) && fs::exists(pages[1]));
  EXPECT_EQ(Listing(dir).size(), 4u) << "no temporary left";
  fs::remove_all(dir);
}

TEST(WatchDumpWriter, UnwritableDirectoryIsAnError) {
  DumpWriter w("/proc/leakhound-cannot-exist", Rotation{});
  auto p = w.Write("svc", "x", std::chrono::system_clock::now());
  EXPECT_FALSE(p.ok());
}

TEST(WatchDumpWriter, SafeFileNameReplacesSeparators) {
  EXPECT_EQ(SafeFileName("api.eu-1:6060"), "api.eu-1_6060");
  EXPECT_EQ(SafeFileName("../etc/passwd"), "_.._etc_passwd");
  EXPECT_EQ(SafeFileName(""), "_");
}

}  // namespace
}  // namespace leakhound::watch
