// Root-cause classifier: multinomial naive Bayes over Words() and the
// character bigrams of longer Chinese/Japanese words, trained on the
// complaints whose category an agent set or confirmed.
//
//   Classifier c = Classifier::Train({{"快递三天没到", "logistics"}, {"客服态度很差", "attitude"}});
//   c.Predict("快递还没到")  // {{"logistics", 0.8…}, {"attitude", 0.1…}}
//
// Immutable once trained: Predict may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "nlp/text.h"

namespace kefu::nlp {

struct LabelledText {
  std::string text;
  std::string label;
};

struct ScoredLabel {
  std::string label;
  double probability;
};

class Classifier {
 public:
  // Examples with an empty label are skipped. No examples: a classifier that predicts nothing.
  static Classifier Train(const std::vector<LabelledText>& examples);

  // The `top` most probable labels, most probable first (ties by label).
  // The probabilities are over all labels, so they sum to 1 when top >= label_count().
  std::vector<ScoredLabel> Predict(std::string_view text, size_t top = 3, TextForm form = TextForm::kAsWritten) const;

  // A self-contained text form of the model; Deserialize(Serialize()) predicts identically.
  std::string Serialize() const;
  static Result<Classifier> Deserialize(std::string_view data);

  size_t label_count() const { return labels_.size(); }
  size_t vocabulary_size() const { return words_.size(); }

 private:
  struct WordCounts {
    std::string word;
    std::vector<std::pair<uint32_t, uint32_t>> per_label;  // (label, occurrences), by label
  };

  // Derives the log probabilities from the counts and builds the word table;
  // false when a word occurs twice.
  bool Finish();
  // The index in words_ of the word with this hash, or kNoWord.
  uint32_t Find(uint64_t hash) const;
  static constexpr uint32_t kNoWord = UINT32_MAX;

  // The vocabulary as one open-addressing table (a power of two, at most half
  // full) of (hash, word index). Words are told apart by their 64-bit hash
  // alone, so a look-up reads no string: two words of a vocabulary of 100,000
  // share a hash with a chance of about 1 in 10^9, and then the second one
  // is left out of the table.
  struct Slot {
    uint64_t hash = 0;
    uint32_t word = kNoWord;
  };

  std::vector<std::string> labels_;
  std::vector<uint32_t> documents_;  // per label
  std::vector<WordCounts> words_;
  std::vector<Slot> slots_;
  std::vector<double> log_prior_;       // per label
  std::vector<float> log_likelihood_;   // [word * labels + label]; float halves the rows a prediction reads
};

}  // namespace kefu::nlp
