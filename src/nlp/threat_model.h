// A learned second opinion on threats, next to the lexicon's rules: per threat
// kind a logistic regression over cheap features of the grader's folded text
// (Chinese characters one to three at a time, Latin words alone and in pairs),
// hashed into a fixed table. The lexicon learns phrasings one at a time; the
// model weighs the pieces of many, so it finds some threats said in a way no
// lexicon term covers ("行，我走", a renewal switched off "because it's not worth it").
//
//   ThreatModel m = ThreatModel::Train(texts, kinds);  // folded texts, kinds as ThreatMask bits
//   std::array<float, 4> s = m.Scores(folded);          // log-odds per ThreatKind
//
// EmotionGrader uses the model trained on the dev messages of the evaluation
// set that ship with kefu (threat_examples.inc, written by
// scripts/gen_threat_examples.py); the held-out test messages are never
// training data. Training is deterministic.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"

namespace kefu::nlp {

// A set of ThreatKinds: bit (1 << kind).
using ThreatMask = uint8_t;
constexpr ThreatMask MaskOf(ThreatKind k) { return static_cast<ThreatMask>(1u << static_cast<unsigned>(k)); }

class ThreatModel {
 public:
  static constexpr size_t kKinds = 4;
  static constexpr size_t kBuckets = size_t{1} << 16;

  // Trains on folded texts (as the grader folds them) and their threat kinds; texts.size() == kinds.size().
  static ThreatModel Train(std::span<const std::string> texts, std::span<const ThreatMask> kinds);

  // The log-odds of each ThreatKind (indexed by it) for a folded text.
  std::array<float, kKinds> Scores(std::string_view folded) const;

 private:
  ThreatModel() = default;
  std::vector<std::array<float, kKinds>> weights_;  // per bucket
  std::array<float, kKinds> bias_{};
};

}  // namespace kefu::nlp
