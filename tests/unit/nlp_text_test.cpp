#include <gtest/gtest.h>

#include <memory>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <string>
#include <vector>

#include "nlp/text.h"

namespace kefu::nlp {
namespace {

using Strings = std::vector<std::string>;

TEST(NlpFold, MakesFullWidthFormsAscii) { EXPECT_EQ(Fold("ＡＢＣ １２３！"), "abc 123!"); }

TEST(NlpFold, SplitsLigaturesAndFoldsCase) {
  EXPECT_EQ(Fold("ﬁle"), "file");
  EXPECT_EQ(Fold("Straße KEFU"), "strasse kefu");
  EXPECT_EQ(Fold("ΣΊΣΥΦΟΣ"), Fold("σίσυφος"));
}

TEST(NlpFold, LeavesChineseAlone) { EXPECT_EQ(Fold("快递三天没到"), "快递三天没到"); }

TEST(NlpWords, BreaksChineseIntoWords) {
  EXPECT_EQ(Words("我的快递三天没到"), (Strings{"我的", "快递", "三天", "没", "到"}));
}

TEST(NlpWords, BreaksThaiWithItsDictionary) {
  const Strings words = Words("พัสดุของฉันยังไม่มาถึง");
  EXPECT_EQ(words, (Strings{"พัสดุ", "ของ", "ฉัน", "ยัง", "ไม่", "มา", "ถึง"}));
}

TEST(NlpWords, KeepsVietnameseSyllablesWithTheirMarks) {
  EXPECT_EQ(Words("Đơn hàng của tôi chưa được giao"),
            (Strings{"đơn", "hàng", "của", "tôi", "chưa", "được", "giao"}));
}

TEST(NlpWords, DropsPunctuationKeepsNumbersAndContractions) {
  EXPECT_EQ(Words("My parcel hasn't arrived, order #12345!"),
            (Strings{"my", "parcel", "hasn't", "arrived", "order", "12345"}));
}

TEST(NlpWords, FoldsEachWord) { EXPECT_EQ(Words("ＫＥＦＵ Kefu"), (Strings{"kefu", "kefu"})); }

TEST(NlpWords, EmptyAndPunctuationOnlyGiveNoWords) {
  EXPECT_TRUE(Words("").empty());
  EXPECT_TRUE(Words("？？？ !!! 👍").empty());
}

TEST(NlpWords, CutsWordsRightAfterCharactersOutsideTheBasicPlane) {
  // 👍 and 𠮷 take two UTF-16 units each, 𠮷 is a CJK ideograph outside the basic plane.
  EXPECT_EQ(Words("👍 parcel 😡 arrived"), (Strings{"parcel", "arrived"}));
  const Strings words = Words("𠮷野家的快递");
  ASSERT_FALSE(words.empty());
  EXPECT_EQ(words.back(), "快递");
  std::string joined;
  for (const auto& w : words) joined += w;
  EXPECT_EQ(joined, "𠮷野家的快递");
}

TEST(NlpWords, IllFormedBytesBecomeReplacementCharactersNotPartsOfWords) {
  const Strings words = Words("快递\xff\xfe到了 ok\xc3");
  EXPECT_EQ(words, Words("快递\uFFFD\uFFFD到了 ok\uFFFD"));
  for (const auto& w : words) EXPECT_EQ(w.find('\xff'), std::string::npos) << w;
  EXPECT_NE(std::find(words.begin(), words.end(), "ok"), words.end());
}

TEST(NlpWords, FoldedTextGivesTheSameWords) {
  const std::string text = "Ｍｙ 快递 hasn't ARRIVED 👍 พัสดุของฉัน";
  Strings folded;
  ForEachWord(Fold(text), [&](std::string_view w) { folded.emplace_back(w); }, TextForm::kFolded);
  EXPECT_EQ(folded, Words(text));
}

TEST(NlpSimplified, TraditionalCharactersBecomeSimplifiedAndOtherTextStays) {
  EXPECT_EQ(ToSimplified("我們會採取法律行動"), "我们会采取法律行动");
  EXPECT_EQ(ToSimplified("律師函 ok"), "律师函 ok");
  EXPECT_EQ(ToSimplified("我们会采取法律行动 hello พัสดุ Đơn hàng"), "我们会采取法律行动 hello พัสดุ Đơn hàng");
}

TEST(NlpSimplified, HasTraditionalIsTrueExactlyForCharactersTheTransliteratorChanges) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> simplify(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status));
  int changed = 0;
  auto check = [&](UChar32 c) {
    icu::UnicodeString one(c);
    std::string utf8;
    one.toUTF8String(utf8);
    icu::UnicodeString out = one;
    simplify->transliterate(out);
    const bool changes = out != one;
    changed += changes;
    EXPECT_EQ(HasTraditional(utf8), changes) << "U+" << std::hex << c;
    EXPECT_EQ(HasTraditional("ok " + utf8 + " 好"), changes) << "U+" << std::hex << c;
  };
  for (UChar32 c = 0x2E80; c <= 0x9FFF; ++c) check(c);
  for (UChar32 c = 0xF900; c <= 0xFAFF; ++c) check(c);
  for (UChar32 c = 0x20000; c <= 0x2A6DF; c += 7) check(c);
  EXPECT_GT(changed, 2000);  // the table is really there
  EXPECT_FALSE(HasTraditional("快递\xff\xfe到了 ok\xc3"));
  EXPECT_TRUE(HasTraditional("\xff們"));
}

}  // namespace
}  // namespace kefu::nlp
