// The learned threat model (src/nlp/threat_model.h) on its own.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nlp/threat_model.h"

namespace kefu::nlp {
namespace {

constexpr auto kChurn = static_cast<size_t>(ThreatKind::kChurn);
constexpr auto kLegal = static_cast<size_t>(ThreatKind::kLegal);

// Churn messages said with a made-up word or with 拜拜了 (each with a number seen once, which the model ignores), and
// calm ones around them.
ThreatModel SmallModel() {
  std::vector<std::string> texts;
  std::vector<ThreatMask> kinds;
  for (int i = 0; i < 20; ++i) {
    texts.push_back("zorbify " + std::to_string(i));
    kinds.push_back(MaskOf(ThreatKind::kChurn));
    texts.push_back("拜拜了 " + std::to_string(i));
    kinds.push_back(MaskOf(ThreatKind::kChurn));
    for (const char* calm : {"where is my parcel", "thanks for the help", "请问发票怎么开", "快递到哪了"}) {
      texts.push_back(calm);
      kinds.push_back(0);
    }
  }
  return ThreatModel::Train(texts, kinds);
}

TEST(NlpThreatModel, ScoresAKindHighOnTheWordsItWasTrainedOn) {
  const ThreatModel m = SmallModel();
  EXPECT_GT(m.Scores("fine. zorbify.")[kChurn], 0);
  EXPECT_GT(m.Scores("那就拜拜了")[kChurn], 0);
  EXPECT_LT(m.Scores("where is my invoice")[kChurn], 0);
  EXPECT_LT(m.Scores("fine. zorbify.")[kLegal], 0);  // no legal example: every legal score is low
}

TEST(NlpThreatModel, ReadsChineseByCharactersNotWords) {
  const ThreatModel m = SmallModel();
  // 拜拜了 inside a longer run of characters still counts.
  EXPECT_GT(m.Scores("行吧我们拜拜了吧")[kChurn], m.Scores("行吧我们吧")[kChurn]);
}

TEST(NlpThreatModel, TrainingIsDeterministic) {
  const ThreatModel a = SmallModel(), b = SmallModel();
  for (const char* text : {"fine. zorbify.", "那就拜拜了", "where is my parcel"})
    EXPECT_EQ(a.Scores(text), b.Scores(text)) << text;
}

TEST(NlpThreatModel, PunctuationAndSpacesCarryNoFeature) {
  const ThreatModel m = SmallModel();
  EXPECT_EQ(m.Scores("!!! ... ？"), m.Scores(""));
}

}  // namespace
}  // namespace kefu::nlp
