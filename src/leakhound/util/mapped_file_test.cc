#include "leakhound/util/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace leakhound::util {
namespace {

TEST(MappedFile, AFileThatShrinksAfterOpeningCannotRaiseSigbus) {
  // A mapping of this file would raise SIGBUS on the first page past its new end once it is truncated: the bytes are
  // leakhound's own copy instead.
  const std::string path = ::testing::TempDir() + "/shrinking-dump.txt";
  std::string content(size_t{20} << 20, 'g');  // large enough to be read in parallel slices
  std::ofstream(path, std::ios::binary) << content;
  auto f = MappedFile::Open(path);
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  std::string_view bytes = f->bytes();
  ASSERT_EQ(bytes.size(), content.size());
  EXPECT_EQ(bytes.back(), 'g');
  EXPECT_EQ(bytes.substr(bytes.size() / 2, 4), "gggg");
}

TEST(MappedFile, ReadAllStopsAtItsBudget) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "0123456789", 10), 10);
  ::close(fds[1]);
  auto r = ReadAll(fds[0], "<pipe>", 4);
  ::close(fds[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("budget"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace leakhound::util
