// The emotion grader against the labelled evaluation set (tests/data,
// see emotion_labelling.md) and the targets of issue 4.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "nlp/evaluate.h"

namespace kefu::nlp {
namespace {

const std::string kSetPath = std::string(KEFU_SOURCE_DIR) + "/tests/data/emotion_eval.jsonl";

const EmotionGrader& Default() {
  static const EmotionGrader grader(DefaultLexicon());
  return grader;
}

// Figures are judged on the held-out test split only: the dev split is what
// the lexicon was tuned on, so its figures say little about new messages.
// The floor is what the grader measured when it was last raised (within one
// 95.3%, threat precision 97.8%, recall 95.3%, with the threat model trained
// on the dev split, batches one to ten), rounded down, so that a change cannot
// make it worse unnoticed. The issue's targets (MeetsTargets with its
// defaults) are met, by one threat pair over the recall target.
TEST(NlpEmotionEval, HeldOutFiguresDoNotFallBelowTheMeasuredFloor) {
  auto test = EvaluateEmotion(kSetPath, Default(), "test");
  ASSERT_TRUE(test) << test.error().message;
  auto dev = EvaluateEmotion(kSetPath, Default(), "dev");
  ASSERT_TRUE(dev) << dev.error().message;
  std::cout << "dev\n" << FormatReport(*dev) << "test\n" << FormatReport(*test, MissedIds::kHide);
  EXPECT_GE(test->n, 350);
  EXPECT_TRUE(MeetsTargets(*test, {.within_one = 0.95, .threat_recall = 0.95, .threat_precision = 0.97}));
  // Tuning must not trade the grades of the dev split for its threats.
  EXPECT_GE(dev->within_one, 0.90);
}

TEST(NlpEmotionEval, CountsExactWithinOneAndThreats) {
  const std::string path = (std::filesystem::temp_directory_path() / "kefu-nlp-eval-test.jsonl").string();
  {
    std::ofstream out(path);
    out << R"({"id":"a","lang":"zh","text":"我要起诉你们！","grade":4,"threats":["legal"],"prior_complaints":0,"split":"dev"})" "\n"
        << R"({"id":"b","lang":"en","text":"Where is the invoice?","grade":2,"threats":[],"prior_complaints":0,"split":"dev"})" "\n"
        << R"({"id":"c","lang":"en","text":"Thanks!","grade":0,"threats":["media"],"prior_complaints":0,"split":"test"})" "\n";
  }
  auto all = EvaluateEmotion(path, Default());
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->n, 3);
  EXPECT_NEAR(all->exact, 2.0 / 3, 1e-9);
  EXPECT_NEAR(all->within_one, 2.0 / 3, 1e-9);
  EXPECT_EQ(all->misgraded, std::vector<std::string>{"b"});
  EXPECT_EQ(all->threat_errors, std::vector<std::string>{"c"});
  EXPECT_DOUBLE_EQ(all->threat_precision, 1.0);
  EXPECT_DOUBLE_EQ(all->threat_recall, 0.5);
  EXPECT_EQ(all->confusion[2][0], 1);
  auto dev = EvaluateEmotion(path, Default(), "dev");
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->n, 2);
  EXPECT_FALSE(MeetsTargets(*all));
  EXPECT_TRUE(MeetsTargets(*all, {.within_one = 0.6, .threat_recall = 0.5, .threat_precision = 1}));
  // A held-out report gives the figures and how many were wrong, never which.
  EXPECT_NE(FormatReport(*all).find(" c\n"), std::string::npos);
  const std::string hidden = FormatReport(*all, MissedIds::kHide);
  EXPECT_NE(hidden.find("threats differ: 1"), std::string::npos);
  EXPECT_EQ(hidden.find(" c\n"), std::string::npos);
  EXPECT_EQ(hidden.find(" b\n"), std::string::npos);
  std::remove(path.c_str());
}

TEST(NlpEmotionEval, RejectsAMissingFileAndBadLines) {
  EXPECT_FALSE(EvaluateEmotion("/nonexistent/eval.jsonl", Default()));
  const std::string path = (std::filesystem::temp_directory_path() / "kefu-nlp-eval-bad.jsonl").string();
  {
    std::ofstream out(path);
    out << R"({"id":"a","text":"ok","grade":0,"threats":[]})" "\n" << R"({"id":"b","text":"ok","grade":7})" "\n";
  }
  auto r = EvaluateEmotion(path, Default());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "grade");
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace kefu::nlp
