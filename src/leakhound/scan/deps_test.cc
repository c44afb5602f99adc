// Summaries of dependencies (deps.h): where an imported package's source is found, and LH019 on a real library
// (github.com/lestrrat-go/jwx/v2, from the module proxy) judged through its source in the module cache.
#include "leakhound/scan/deps.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <fstream>
#include <regex>
#include <sstream>

#include "leakhound/scan/scan.h"
#include "leakhound/testing/go_program.h"

namespace leakhound::scan {
namespace {

namespace fs = std::filesystem;
namespace lt = ::leakhound::testing;

fs::path TempDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("leakhound-deps-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(EscapeModulePath, UpperCaseLettersAsTheModuleCacheSpellsThem) {
  EXPECT_EQ(EscapeModulePath("github.com/BurntSushi/toml"), "github.com/!burnt!sushi/toml");
  EXPECT_EQ(EscapeModulePath("golang.org/x/sys"), "golang.org/x/sys");
}

// Where the go command keeps modules: the environment first, then its env file (`go env -w GOMODCACHE=...`).
TEST(ModuleCacheDir, AsTheGoCommandDecidesIt) {
  const fs::path root = TempDir("goenv");
  Write(root / "env", "GOPROXY=https://proxy.golang.org\nGOMODCACHE=/srv/modcache\n");
  auto keep = [](const char* name) {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  const auto gomodcache = keep("GOMODCACHE"), gopath = keep("GOPATH"), goenv = keep("GOENV");
  ::unsetenv("GOMODCACHE");
  ::unsetenv("GOPATH");
  ::setenv("GOENV", (root / "env").c_str(), 1);
  EXPECT_EQ(ModuleCacheDir(), "/srv/modcache");
  ::setenv("GOPATH", "/gopath:/other", 1);
  EXPECT_EQ(ModuleCacheDir(), "/srv/modcache") << "GOMODCACHE, even from the file, comes before GOPATH";
  Write(root / "env", "GOPROXY=off\n");
  EXPECT_EQ(ModuleCacheDir(), "/gopath/pkg/mod");
  ::setenv("GOMODCACHE", "/from/env", 1);
  EXPECT_EQ(ModuleCacheDir(), "/from/env");
  for (auto [name, value] : {std::pair{"GOMODCACHE", gomodcache}, {"GOPATH", gopath}, {"GOENV", goenv}}) {
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  fs::remove_all(root);
}

// The longest required module path owns the import path; replace lines and vendor/ win over the module cache.
TEST(Dependencies, FindsAnImportedPackageWhereTheBuildTakesIt) {
  const fs::path root = TempDir("dirof");
  const fs::path cache = root / "modcache";
  Write(root / "m" / "go.mod",
        "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/Lib v1.2.0 // indirect\n\texample.com/lib/sub "
        "v0.3.0\n\texample.com/other v1.0.0\n)\n\nrequire example.com/gone v0.1.0\n\nreplace example.com/other => "
        "../other\n");
  Write(cache / "example.com/!lib@v1.2.0/pkg/a.go", "package pkg\n");
  Write(cache / "example.com/lib/sub@v0.3.0/b.go", "package sub\n");
  Write(root / "other" / "c" / "c.go", "package c\n");
  DependencyOptions o;
  o.module_cache = cache.string();
  o.cache_dir = "";
  Dependencies deps((root / "m").string(), o);
  std::string version;
  EXPECT_EQ(deps.DirOf("example.com/Lib/pkg", &version), (cache / "example.com/!lib@v1.2.0/pkg").string());
  EXPECT_EQ(version, "v1.2.0");
  EXPECT_EQ(deps.DirOf("example.com/lib/sub"), (cache / "example.com/lib/sub@v0.3.0").string());
  EXPECT_EQ(deps.DirOf("example.com/other/c", &version), (root / "other" / "c").string());
  EXPECT_EQ(version, "") << "a directory replacement has no version (and is not cached on disk)";
  EXPECT_EQ(deps.DirOf("example.com/gone"), "") << "required but not downloaded";
  EXPECT_EQ(deps.DirOf("fmt"), "");
  EXPECT_EQ(deps.DirOf("example.com/m/internal"), "") << "the module itself is scanned, not summarised";

  // With vendor/modules.txt the vendored copy is the one the build compiles.
  Write(root / "m" / "vendor" / "modules.txt", "# example.com/lib/sub v0.3.0\n");
  Write(root / "m" / "vendor" / "example.com/lib/sub/b.go", "package sub\n");
  Dependencies vendored((root / "m").string(), o);
  EXPECT_EQ(vendored.DirOf("example.com/lib/sub"), (root / "m" / "vendor" / "example.com/lib/sub").string());
  fs::remove_all(root);
}

class DependenciesLive : public ::testing::Test {
 protected:
  // A copy of tests/go/fixes/jwkcache (a handler that makes a jwk.Cache per request with context.Background()),
  // its modules downloaded from the proxy into the module cache.
  void SetUp() override {
    go_ = lt::FindGo();
    ASSERT_FALSE(go_.empty()) << "go is needed";
    dir_ = TempDir("jwk");
    for (const char* f : {"main.go", "go.mod", "go.sum"}) {
      fs::copy_file(fs::path(LEAKHOUND_SOURCE_DIR) / "tests/go/fixes/jwkcache" / f, dir_ / f);
    }
    auto r = lt::RunCommand({go_, "mod", "download"}, std::chrono::seconds(300),
                            {"GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"}, dir_.string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->exit_code, 0) << r->err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  ScanResult Run(bool dependencies) {
    ScanOptions o;
    o.paths = {dir_.string()};
    o.only = {"LH019"};
    o.dependencies = dependencies;
    o.summary_cache = (dir_ / "cache").string();
    auto r = Scan(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ScanResult();
  }

  std::string go_;
  fs::path dir_;
};

TEST_F(DependenciesLive, ACachePerRequestWithABackgroundContextIsFlaggedThroughTheLibrarySource) {
  ScanResult first = Run(true);
  ASSERT_EQ(first.findings.size(), 1u);
  const Finding& f = first.findings[0];
  EXPECT_EQ(f.start.line, 18u);
  // jwk.NewCache -> httprc.NewCache -> newQueue -> go refreshLoop: the goroutine is named from the library's code.
  EXPECT_NE(f.message.find("jwk.NewCache starts a goroutine"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("queue.refreshLoop"), std::string::npos) << f.message;

  // Kept on disk by import path and version, and read back by the next scan with the same result.
  const fs::path kept = dir_ / "cache/summaries-v1/github.com/lestrrat-go/jwx/v2/jwk@v2.1.7/ctx-only-done.json";
  ASSERT_TRUE(fs::exists(kept));
  std::stringstream text;
  text << std::ifstream(kept).rdbuf();
  EXPECT_NE(text.str().find("\"github.com/lestrrat-go/jwx/v2/jwk.NewCache\""), std::string::npos) << text.str();
  ScanResult second = Run(true);
  ASSERT_EQ(second.findings.size(), 1u);
  EXPECT_EQ(second.findings[0].message, f.message);

  // Without the dependencies' source nothing says what jwk.NewCache starts.
  EXPECT_TRUE(Run(false).findings.empty());
}

TEST_F(DependenciesLive, TheFixedTwinHandsTheCacheTheRequestContext) {
  std::stringstream text;
  text << std::ifstream(dir_ / "main.go").rdbuf();
  std::string fixed = std::regex_replace(text.str(), std::regex(R"(jwk\.NewCache\(context\.Background\(\)\))"),
                                         "jwk.NewCache(r.Context())");
  ASSERT_NE(fixed, text.str());
  fixed = std::regex_replace(fixed, std::regex("\t\"context\"\n"), "");
  std::ofstream(dir_ / "main.go") << fixed;
  EXPECT_TRUE(Run(true).findings.empty());
}

}  // namespace
}  // namespace leakhound::scan
