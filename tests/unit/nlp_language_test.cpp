#include <gtest/gtest.h>

#include "nlp/language.h"

namespace kefu::nlp {
namespace {

TEST(NlpDetectLanguage, NamesCommonCustomerLanguages) {
  const LanguageHint none;
  EXPECT_EQ(DetectLanguage("我的快递三天没到，请帮我查一下物流信息", none), "zh");
  EXPECT_EQ(DetectLanguage("My parcel has not arrived after three days, please check.", none), "en");
  EXPECT_EQ(DetectLanguage("พัสดุของฉันยังไม่มาถึงเลยสามวันแล้ว", none), "th");
  EXPECT_EQ(DetectLanguage("Đơn hàng của tôi chưa được giao sau ba ngày", none), "vi");
  EXPECT_EQ(DetectLanguage("私の荷物がまだ届いていません", none), "ja");
}

TEST(NlpDetectLanguage, CountryBreaksTheIndonesianMalayTie) {
  const char* text = "Saya ingin mengajukan keluhan tentang layanan Anda yang sangat buruk";
  EXPECT_EQ(DetectLanguage(text, {.country = "ID", .fallback = ""}), "id");
  EXPECT_EQ(DetectLanguage(text, {.country = "MY", .fallback = ""}), "ms");
  EXPECT_EQ(DetectLanguage(text, {.country = "BN", .fallback = "en"}), "ms");
}

TEST(NlpDetectLanguage, ShortTextFallsBackToTheCustomersLanguage) {
  EXPECT_EQ(DetectLanguage("ok", {.country = "", .fallback = "zh-CN"}), "zh");
  EXPECT_EQ(DetectLanguage("好的", {.country = "", .fallback = "EN_us"}), "en");
  EXPECT_EQ(DetectLanguage("ok", {}), "");
}

TEST(NlpDetectLanguage, ShortTextInAScriptOfOneLanguageNeedsNoFallback) {
  EXPECT_EQ(DetectLanguage("ครับ", {.country = "", .fallback = "en"}), "th");
  EXPECT_EQ(DetectLanguage("はい", {.country = "", .fallback = "en"}), "ja");
}

// CLD2 is unsure of this one and would fall back to the customer's language.
TEST(NlpDetectLanguage, HanOnlyTextWithDigitsAndPunctuationIsChineseWithoutCld2sHelp) {
  EXPECT_EQ(DetectLanguage("明天还不退款我就打12315。", {.country = "", .fallback = "en"}), "zh");
  EXPECT_EQ(DetectLanguage("【紧急】退款！！！ 😡 ¥199", {.country = "", .fallback = "vi"}), "zh");
  EXPECT_EQ(TextLanguage("請盡快處理退款"), "zh");  // traditional characters too
}

TEST(NlpDetectLanguage, OrderNumbersAndModelsInHanTextAreNoWordsOfAnotherLanguage) {
  EXPECT_EQ(DetectLanguage("订单DD079637766885超时未送达", {.country = "", .fallback = "en"}), "zh");
  EXPECT_EQ(DetectLanguage("X200型号的洗衣机坏了", {.country = "", .fallback = "en"}), "zh");
  // Letters alone are a word: "退款OK" is left to CLD2, which finds it too short.
  EXPECT_EQ(DetectLanguage("退款OK了吗", {.country = "", .fallback = "en"}), "en");
}

TEST(NlpDetectLanguage, ThaiOnlyTextWithDigitsIsThai) {
  EXPECT_EQ(DetectLanguage("ยังไม่ได้รับของ 3 วันแล้ว", {.country = "", .fallback = "en"}), "th");
}

TEST(NlpDetectLanguage, HanTextOfFewerThanFourCharactersStillFallsBackToTheCustomersLanguage) {
  EXPECT_EQ(DetectLanguage("退款了！", {.country = "", .fallback = "en"}), "en");
}

TEST(NlpDetectLanguage, HanTextWithKanaIsStillJapanese) {
  EXPECT_EQ(DetectLanguage("株式会社の対応がひどいです", {.country = "", .fallback = "zh-CN"}), "ja");
}

TEST(NlpDetectLanguage, ChineseWithAnEnglishWordIsLeftToCld2) {
  EXPECT_EQ(DetectLanguage("我的iPhone屏幕坏了，申请售后三次都被拒绝了，你们到底管不管", {.country = "", .fallback = "en"}),
            "zh");
  EXPECT_EQ(DetectLanguage("我的iPhone坏了", {.country = "", .fallback = "en"}), "en");  // too short for CLD2
}

TEST(NlpDetectLanguage, InvalidUtf8FallsBack) {
  EXPECT_EQ(DetectLanguage("\xff\xfe broken", {.country = "", .fallback = "vi"}), "vi");
}

// Triage runs CLD2 before it knows the customer and applies the customer afterwards.
TEST(NlpDetectLanguage, TheTextAloneThenTheCustomerGivesWhatDetectingWithTheCustomerGives) {
  const LanguageHint hints[] = {{"MY", ""}, {"ID", "en"}, {"", "zh-CN"}, {"TH", "th-TH"}, {"", ""}};
  for (std::string_view text : {"Paket saya belum sampai, sudah seminggu menunggu kiriman ini", "ok", "好",
                                "我的快递三天没到，请帮忙查一下", "พัสดุของฉันยังไม่มาถึง", "\xff\xfe"}) {
    const std::string alone = TextLanguage(text);
    for (const auto& hint : hints) EXPECT_EQ(ForCustomer(alone, hint), DetectLanguage(text, hint)) << text;
  }
  EXPECT_EQ(TextLanguage("ok"), "");
  EXPECT_EQ(ForCustomer("", {"", "zh-CN"}), "zh");
}

}  // namespace
}  // namespace kefu::nlp
