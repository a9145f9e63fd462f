#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "nlp/classifier.h"
#include "nlp/evaluate.h"

namespace kefu::nlp {
namespace {

std::vector<LabelledText> ToySet() {
  return {
      {"快递三天没到，物流信息一直不更新", "logistics"}, {"包裹显示已签收但我没收到", "logistics"},
      {"快递员把包裹放在门口丢了", "logistics"},         {"My parcel is lost, tracking has not updated", "logistics"},
      {"The courier left my package outside", "logistics"}, {"账单多扣了一笔钱", "billing"},
      {"这个月话费账单不对，多收了费用", "billing"},       {"I was charged twice on my bill", "billing"},
      {"The invoice amount is wrong, please refund the fee", "billing"}, {"客服态度很差，直接挂我电话", "attitude"},
      {"客服说话很不耐烦", "attitude"},                   {"The agent was rude and hung up on me", "attitude"},
      {"Your staff were dismissive and impolite", "attitude"},
  };
}

TEST(NlpClassifier, LearnsAToySet) {
  const Classifier c = Classifier::Train(ToySet());
  EXPECT_EQ(c.label_count(), 3u);
  EXPECT_GT(c.vocabulary_size(), 20u);
  EXPECT_EQ(c.Predict("我的快递还没到，物流不更新").front().label, "logistics");
  EXPECT_EQ(c.Predict("账单上多扣了钱").front().label, "billing");
  EXPECT_EQ(c.Predict("the agent on the phone was rude").front().label, "attitude");
  EXPECT_EQ(c.Predict("I was charged twice").front().label, "billing");
}

// Triage folds a complaint once and hands the folded text to the classifier.
TEST(NlpClassifier, FoldedTextPredictsAsTheTextAsWritten) {
  const Classifier c = Classifier::Train(ToySet());
  for (const char* text : {"我的快递還沒到，ＫＥＦＵ物流不更新！", "The AGENT on the phone was RUDE", ""}) {
    const auto raw = c.Predict(text, 3);
    const auto folded = c.Predict(Fold(text), 3, TextForm::kFolded);
    ASSERT_EQ(raw.size(), folded.size()) << text;
    for (size_t i = 0; i < raw.size(); ++i) {
      EXPECT_EQ(raw[i].label, folded[i].label) << text;
      EXPECT_DOUBLE_EQ(raw[i].probability, folded[i].probability) << text;
    }
  }
}

TEST(NlpClassifier, ProbabilitiesSumToOneAndTopThreeIsSorted) {
  const Classifier c = Classifier::Train(ToySet());
  const auto all = c.Predict("客服态度差，快递也没到", 10);
  ASSERT_EQ(all.size(), 3u);
  double sum = 0;
  for (const auto& s : all) sum += s.probability;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  const auto top = c.Predict("客服态度差，快递也没到");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_GE(top[0].probability, top[1].probability);
  EXPECT_GE(top[1].probability, top[2].probability);
  EXPECT_EQ(c.Predict("anything", 1).size(), 1u);
}

TEST(NlpClassifier, UnknownWordsLeaveThePriors) {
  const Classifier c = Classifier::Train(ToySet());
  const auto r = c.Predict("zzzz qqqq", 3);
  EXPECT_EQ(r.front().label, "logistics");  // the most frequent label (5 of 13)
  EXPECT_NEAR(r.front().probability, 5.0 / 13, 1e-9);
}

TEST(NlpClassifier, SerializeRoundTripPredictsIdentically) {
  const Classifier c = Classifier::Train(ToySet());
  auto copy = Classifier::Deserialize(c.Serialize());
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_EQ(copy->label_count(), c.label_count());
  EXPECT_EQ(copy->vocabulary_size(), c.vocabulary_size());
  EXPECT_EQ(copy->Serialize(), c.Serialize());
  for (const char* text : {"快递丢了", "double charge on the bill", "rude agent", "完全无关的句子"}) {
    const auto a = c.Predict(text, 3), b = copy->Predict(text, 3);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].label, b[i].label);
      EXPECT_EQ(a[i].probability, b[i].probability);
    }
  }
}

TEST(NlpClassifier, LabelsWithSpacesAndNewlinesSurviveSerialization) {
  const Classifier c = Classifier::Train({{"快递丢了", "物流 问题\n第二行"}, {"账单错了", "billing 2"}});
  auto copy = Classifier::Deserialize(c.Serialize());
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->Predict("快递丢了").front().label, "物流 问题\n第二行");
}

TEST(NlpClassifier, DeserializeRejectsDamagedModels) {
  const std::string good = Classifier::Train(ToySet()).Serialize();
  for (const std::string& bad : {std::string(), std::string("hello"), good.substr(0, good.size() / 2), good + "x",
                                 std::string("kefu-naive-bayes 1\nlabels 1\n1:a 1\nwords 1\n1:w 1 5 1\n")}) {
    auto r = Classifier::Deserialize(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "model");
  }
}

// Regression: the CJK bigrams were appended to the word list while a reference
// into it was held, which reads freed memory once the list reallocates.
TEST(NlpClassifier, ManyLongChineseWordsAreSafeToSplitIntoBigrams) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "信用卡共和国";
  const Classifier c = Classifier::Train({{text, "card"}, {"快递丢了", "logistics"}});
  EXPECT_GT(c.vocabulary_size(), 2u);  // the words and their bigrams
  EXPECT_EQ(c.Predict(text).front().label, "card");
}

TEST(NlpClassifier, EmptyTrainingPredictsNothing) {
  const Classifier c = Classifier::Train({});
  EXPECT_EQ(c.label_count(), 0u);
  EXPECT_TRUE(c.Predict("快递").empty());
  auto copy = Classifier::Deserialize(c.Serialize());
  ASSERT_TRUE(copy);
  EXPECT_TRUE(copy->Predict("快递").empty());
}

TEST(NlpClassifierEval, SplitIsDeterministicAndCoversAllExamples) {
  std::vector<LabelledText> examples;
  for (int i = 0; i < 60; ++i)
    for (const auto& e : ToySet()) examples.push_back({e.text + " #" + std::to_string(i), e.label});
  const ClassifierEval a = EvaluateClassifier(examples, 0.25);
  const ClassifierEval b = EvaluateClassifier(examples, 0.25);
  EXPECT_EQ(a.train + a.test, static_cast<int>(examples.size()));
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.accuracy, b.accuracy);
  EXPECT_GT(a.test, 100);
  EXPECT_LT(a.test, 300);
  EXPECT_GT(a.accuracy, 0.9);
  EXPECT_GE(a.top3_accuracy, a.accuracy);
  EXPECT_NE(FormatReport(a).find("accuracy"), std::string::npos);
}

}  // namespace
}  // namespace kefu::nlp
