#include "nlp/evaluate.h"

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <fstream>

#include <boost/json.hpp>

#include "core/json.h"

namespace kefu::nlp {
namespace {

double Share(int part, int whole) { return whole == 0 ? 0 : static_cast<double>(part) / whole; }

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

struct LabelledMessage {
  std::string id, text, split;
  int grade = 0;
  int prior_complaints = 0;
  std::vector<ThreatKind> threats;
};

Result<LabelledMessage> ParseMessage(std::string_view line) {
  KEFU_ASSIGN(boost::json::value doc, json::ParseDocument(line));
  KEFU_ASSIGN(const boost::json::object* o, json::AsObject(doc, "line"));
  LabelledMessage m;
  KEFU_ASSIGN(auto id, json::OptString(*o, "id"));
  KEFU_ASSIGN(auto text, json::OptString(*o, "text"));
  KEFU_ASSIGN(auto grade, json::OptInt(*o, "grade"));
  KEFU_ASSIGN(auto threats, json::OptStringArray(*o, "threats"));
  KEFU_ASSIGN(auto prior, json::OptInt(*o, "prior_complaints"));
  KEFU_ASSIGN(auto split, json::OptString(*o, "split"));
  if (!id) return Fail(Error::Validation("id", "id is required"));
  if (!text) return Fail(Error::Validation("text", "text is required"));
  if (!grade || *grade < 0 || *grade > 4) return Fail(Error::Validation("grade", "grade must be 0..4"));
  m.id = std::move(*id);
  m.text = std::move(*text);
  m.split = split.value_or("");
  m.grade = static_cast<int>(*grade);
  m.prior_complaints = static_cast<int>(prior.value_or(0));
  for (const std::string& t : threats.value_or(std::vector<std::string>{})) {
    auto kind = Parse<ThreatKind>(t);
    if (!kind) return Fail(Error::Validation("threats", fmt::format("unknown threat '{}'; expected {}", t, AllowedNames<ThreatKind>())));
    m.threats.push_back(*kind);
  }
  return m;
}

}  // namespace

double PrecisionRecall::precision() const {
  const int predicted = true_positives + false_positives;
  return predicted == 0 ? 1 : Share(true_positives, predicted);
}

double PrecisionRecall::recall() const {
  const int expected = true_positives + false_negatives;
  return expected == 0 ? 1 : Share(true_positives, expected);
}

Result<EmotionEval> EvaluateEmotion(const std::string& jsonl_path, const EmotionGrader& grader, std::string_view split) {
  std::ifstream in(jsonl_path);
  if (!in) return Fail(Error::NotFound(fmt::format("cannot read {}", jsonl_path)));
  EmotionEval eval;
  PrecisionRecall all;
  int exact = 0, within_one = 0, line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto message = ParseMessage(line);
    if (!message) {
      Error e = message.error();
      e.message = fmt::format("{} line {}: {}", jsonl_path, line_no, e.message);
      return Fail(std::move(e));
    }
    if (!split.empty() && message->split != split) continue;
    const EmotionResult r = grader.Grade(message->text, message->prior_complaints);
    ++eval.n;
    ++eval.confusion[static_cast<size_t>(message->grade)][static_cast<size_t>(r.grade)];
    exact += r.grade == message->grade;
    if (std::abs(r.grade - message->grade) <= 1) {
      ++within_one;
    } else {
      eval.misgraded.push_back(message->id);
    }
    bool threats_match = true;
    for (size_t k = 0; k < eval.per_threat.size(); ++k) {
      const auto kind = static_cast<ThreatKind>(k);
      const bool expected = std::ranges::find(message->threats, kind) != message->threats.end();
      const bool found = std::ranges::find(r.threats, kind) != r.threats.end();
      for (PrecisionRecall* pr : {&eval.per_threat[k], &all}) {
        pr->true_positives += expected && found;
        pr->false_positives += !expected && found;
        pr->false_negatives += expected && !found;
      }
      threats_match = threats_match && expected == found;
    }
    if (!threats_match) eval.threat_errors.push_back(message->id);
  }
  eval.exact = Share(exact, eval.n);
  eval.within_one = Share(within_one, eval.n);
  eval.threat_precision = all.precision();
  eval.threat_recall = all.recall();
  return eval;
}

ClassifierEval EvaluateClassifier(const std::vector<LabelledText>& examples, double test_fraction) {
  const auto cut = static_cast<uint64_t>(std::clamp(test_fraction, 0.0, 1.0) * 10000);
  std::vector<LabelledText> train;
  std::vector<const LabelledText*> test;
  for (const LabelledText& e : examples) {
    if (Fnv1a(e.text) % 10000 < cut) {
      test.push_back(&e);
    } else {
      train.push_back(e);
    }
  }
  const Classifier model = Classifier::Train(train);
  ClassifierEval eval;
  eval.train = static_cast<int>(train.size());
  eval.test = static_cast<int>(test.size());
  int right = 0, right3 = 0;
  for (const LabelledText* e : test) {
    const auto top = model.Predict(e->text, 3);
    right += !top.empty() && top.front().label == e->label;
    right3 += std::ranges::any_of(top, [&](const ScoredLabel& s) { return s.label == e->label; });
  }
  eval.accuracy = Share(right, eval.test);
  eval.top3_accuracy = Share(right3, eval.test);
  return eval;
}

bool MeetsTargets(const EmotionEval& e, const EmotionTargets& targets) {
  return e.n > 0 && e.within_one >= targets.within_one && e.threat_recall >= targets.threat_recall &&
         e.threat_precision >= targets.threat_precision;
}

std::string FormatReport(const EmotionEval& e, MissedIds ids) {
  std::string out = fmt::format(
      "emotion: {} messages\n"
      "  exact grade        {:5.1f}%\n"
      "  within one grade   {:5.1f}%\n"
      "  threat precision   {:5.1f}%\n"
      "  threat recall      {:5.1f}%\n",
      e.n, 100 * e.exact, 100 * e.within_one, 100 * e.threat_precision, 100 * e.threat_recall);
  for (size_t k = 0; k < e.per_threat.size(); ++k)
    out += fmt::format("    {:<10} precision {:5.1f}%  recall {:5.1f}%\n", Name(static_cast<ThreatKind>(k)),
                       100 * e.per_threat[k].precision(), 100 * e.per_threat[k].recall());
  out += "  confusion (rows expected 0-4, columns graded 0-4)\n";
  for (size_t i = 0; i < 5; ++i) {
    out += fmt::format("    {}:", i);
    for (int c : e.confusion[i]) out += fmt::format(" {:4}", c);
    out += '\n';
  }
  auto list = [&](std::string_view title, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    out += fmt::format("  {} ({}):", title, ids.size());
    for (const std::string& id : ids) out += ' ' + id;
    out += '\n';
  };
  if (ids == MissedIds::kHide) {
    out += fmt::format("  more than one grade off: {}, threats differ: {} (ids of held-out messages not listed)\n",
                       e.misgraded.size(), e.threat_errors.size());
    return out;
  }
  list("more than one grade off", e.misgraded);
  list("threats differ", e.threat_errors);
  return out;
}

std::string FormatReport(const ClassifierEval& e) {
  return fmt::format(
      "root cause: trained on {}, tested on {}\n"
      "  accuracy           {:5.1f}%\n"
      "  top-3 accuracy     {:5.1f}%\n",
      e.train, e.test, 100 * e.accuracy, 100 * e.top3_accuracy);
}

}  // namespace kefu::nlp
