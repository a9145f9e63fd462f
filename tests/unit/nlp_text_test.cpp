#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kefu::nlp
