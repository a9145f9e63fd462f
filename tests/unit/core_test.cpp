#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/published.h"
#include "core/text.h"

namespace kefu {
namespace {

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1795425081123), "2026-11-23T09:11:21.123Z");
}

TEST(Rfc3339, ParsesOffsetsToTheSameInstant) {
  auto utc = ParseRfc3339("2026-11-23T09:11:21Z");
  auto shanghai = ParseRfc3339("2026-11-23T17:11:21+08:00");
  auto frac = ParseRfc3339("2026-11-23T09:11:21.5Z");
  ASSERT_TRUE(utc && shanghai && frac);
  EXPECT_EQ(*utc, *shanghai);
  EXPECT_EQ(*frac - *utc, 500);
}

TEST(Rfc3339, RoundTripsFormattedTimes) {
  for (Millis t : {0LL, 86399999LL, 1795425081123LL, 951782400000LL /* 2000-02-29 */}) {
    auto parsed = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, t);
  }
}

TEST(Rfc3339, RejectsMalformedTimes) {
  for (const char* bad : {"", "2026-11-23", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T09:11:21",
                          "2026-11-23T25:00:00Z", "2026-11-23T09:11:21+0800", "2026-11-23T09:11:21Zjunk",
                          "2026-11-23T09:11:21.Z"})
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
}

TEST(UtcDayStamp, NamesTheUtcDay) { EXPECT_EQ(UtcDayStamp(1795425081123), "20261123"); }

TEST(Utf8, AcceptsChineseThaiVietnamese) {
  EXPECT_TRUE(IsValidUtf8("退款没到账"));
  EXPECT_TRUE(IsValidUtf8("สินค้าชำรุด"));
  EXPECT_TRUE(IsValidUtf8("Tôi chưa nhận được hàng"));
  EXPECT_EQ(CodePoints("退款"), 2u);
}

TEST(Utf8, RejectsInvalidSequences) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe9\x80"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("ok\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(CheckText, CountsCodePointsNotBytes) {
  std::string ten_chinese = "一二三四五六七八九十";
  EXPECT_TRUE(CheckText("subject", ten_chinese, 1, 10));
  auto too_long = CheckText("subject", ten_chinese + "一", 1, 10);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "subject");
}

TEST(CheckText, RejectsControlCharactersUnlessMultiline) {
  EXPECT_FALSE(CheckText("subject", "a\nb", 1, 10));
  EXPECT_TRUE(CheckText("body", "a\nb", 1, 10, true));
  EXPECT_FALSE(CheckText("body", std::string("a\0b", 3), 1, 10, true));
}

}  // namespace
TEST(Published, RebuildsFromTheValueBeforeThemOneAtATime) {
  // Each rebuild adds its number to what is published; two threads rebuild at
  // once, with a pause inside the build, and none may publish over another.
  Published<std::vector<int>> numbers;
  auto add = [&](int first) {
    for (int n = first; n < first + 20; ++n)
      ASSERT_TRUE(numbers.Rebuild([n](std::shared_ptr<const std::vector<int>> now) -> Result<std::shared_ptr<const std::vector<int>>> {
        auto next = std::make_shared<std::vector<int>>(now ? *now : std::vector<int>{});
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        next->push_back(n);
        return next;
      }));
  };
  std::thread a(add, 0), b(add, 100);
  a.join();
  b.join();
  std::vector<int> got = *numbers.Get();
  std::ranges::sort(got);
  std::vector<int> all;
  for (int n = 0; n < 20; ++n) all.push_back(n);
  for (int n = 100; n < 120; ++n) all.push_back(n);
  EXPECT_EQ(got, all);
  EXPECT_FALSE(numbers.Rebuild([](auto) -> Result<std::shared_ptr<const std::vector<int>>> {
    return Fail(Error::Internal("the store failed"));
  }));
  EXPECT_EQ(numbers.Get()->size(), all.size()) << "a failed rebuild publishes nothing";
}

}  // namespace kefu
