// Gunzip against streams made with zlib here and against the gzipped profile Go wrote (tests/fixtures).
#include "leakhound/util/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <string>

namespace leakhound::util {
namespace {

enum class Wrapper { kGzip, kZlib };

std::string Compress(const std::string& data, Wrapper wrapper = Wrapper::kGzip) {
  z_stream zs{};
  const int window = wrapper == Wrapper::kGzip ? 15 + 16 : 15;
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "goroutine " + std::to_string(i) + " [chan receive]:\n";
  s.resize(n);
  return s;
}

TEST(Gzip, RecognisesTheMagicNumber) {
  EXPECT_TRUE(IsGzip(Compress("x")));
  EXPECT_TRUE(IsGzip("\x1f\x8b"));
  EXPECT_FALSE(IsGzip("\x1f"));
  EXPECT_FALSE(IsGzip(""));
  EXPECT_FALSE(IsGzip("goroutine 1 [running]:"));
  EXPECT_FALSE(IsGzip(Compress("x", Wrapper::kZlib)));
}

TEST(Gzip, RoundTrip) {
  const std::string data = Text(1 << 20);
  auto out = Gunzip(Compress(data), size_t{1} << 30);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value(), data);
}

TEST(Gzip, EmptyPayload) {
  auto out = Gunzip(Compress(""), 100);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value(), "");
}

TEST(Gzip, ZlibStreamIsAccepted) {
  auto out = Gunzip(Compress("hello", Wrapper::kZlib), 100);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value(), "hello");
}

TEST(Gzip, ConcatenatedMembersAreJoined) {
  auto out = Gunzip(Compress("first ") + Compress("second"), 100);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value(), "first second");
}

TEST(Gzip, TrailingGarbageIsIgnored) {
  auto out = Gunzip(Compress("payload") + std::string(16, '\0') + "junk", 100);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value(), "payload");
}

TEST(Gzip, TruncatedStreamIsReported) {
  const std::string data = Text(100000);
  std::string gz = Compress(data);
  for (size_t cut : {size_t{1}, size_t{10}, gz.size() / 2, gz.size() - 1}) {
    auto out = Gunzip(std::string_view(gz).substr(0, cut), size_t{1} << 30);
    ASSERT_FALSE(out.ok()) << "cut at " << cut;
    EXPECT_EQ(out.status().code(), Status::Code::kCorruption);
    EXPECT_NE(out.status().message().find("truncated"), std::string::npos) << out.status().message();
  }
}

TEST(Gzip, CorruptDataIsReported) {
  std::string gz = Compress(Text(10000));
  for (size_t i = 20; i < 40; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x55);
  auto out = Gunzip(gz, size_t{1} << 30);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("gzip: "), std::string::npos);
  EXPECT_EQ(out.status().code(), Status::Code::kCorruption);

  auto garbage = Gunzip("\x1f\x8b this is not deflate data", 100);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("corrupt"), std::string::npos) << garbage.status().message();

  auto empty = Gunzip("", 100);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "gzip: empty input");
}

TEST(Gzip, OutputIsBounded) {
  const std::string data = Text(5000);
  const std::string gz = Compress(data);
  auto exact = Gunzip(gz, data.size());
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  EXPECT_EQ(exact.value(), data);

  auto over = Gunzip(gz, data.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(), "gzip: decompressed data is larger than the limit of 4999 bytes");

  auto zero = Gunzip(gz, 0);
  EXPECT_FALSE(zero.ok());
  auto zero_ok = Gunzip(Compress(""), 0);
  EXPECT_TRUE(zero_ok.ok());
}

TEST(Gzip, BombStopsAtTheLimit) {
  // 64 MiB of zeros compress to ~64 KiB; the limit must stop inflation long before the end.
  std::string zeros(size_t{64} << 20, '\0');
  const std::string gz = Compress(zeros);
  zeros = std::string();
  auto out = Gunzip(gz, size_t{1} << 20);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("larger than the limit"), std::string::npos);
}

TEST(Gzip, ALyingSizeTrailerChangesNothingButTheFirstGuess) {
  // The trailer's ISIZE sizes the first output part (an honest one: one part, no copy). A lying one, too small (many
  // parts), too large or zero, fails zlib's length check at the end, and the limit still holds before that.
  const std::string data = Text(300000);
  const std::string honest = Compress(data);
  auto whole = Gunzip(honest, data.size());
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole.value(), data);
  for (uint32_t isize : {0u, 1u, 1000u, 70000000u}) {
    std::string gz = honest;
    for (int k = 0; k < 4; ++k) gz[gz.size() - 4 + k] = static_cast<char>(isize >> (8 * k));
    auto out = Gunzip(gz, data.size());
    ASSERT_FALSE(out.ok()) << isize;
    EXPECT_NE(out.status().message().find("incorrect length check"), std::string::npos) << out.status().message();
    auto over = Gunzip(gz, data.size() - 1);
    ASSERT_FALSE(over.ok()) << isize;
    EXPECT_NE(over.status().message().find("larger than the limit"), std::string::npos) << over.status().message();
  }
}

TEST(Gzip, GoProfileFixture) {
  std::ifstream in(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/fixtures/go1.26/goroutine.debug0.pb.gz",
                   std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto out = Gunzip(ss.str(), size_t{1} << 20);
  ASSERT_TRUE(out.ok()) << out.status().message();
  // The string table of a goroutine profile.
  EXPECT_NE(out.value().find("goroutine"), std::string::npos);
  EXPECT_NE(out.value().find("runtime.gopark"), std::string::npos);
}

}  // namespace
}  // namespace leakhound::util
