// The customer's emotion grade (0 calm … 4 threatening) and the threats a
// message states, from a lexicon (see lexicon.h) and a few surface cues.
//
//   EmotionGrader grader(DefaultLexicon());
//   EmotionResult r = grader.Grade("你们再不处理，我就去12315投诉！");
//   // r.grade == 4, r.threats == {ThreatKind::kRegulator}, r.cues names what was found
//
// How a message is read: the text is folded (see Fold), cut into clauses at
// punctuation, and the lexicon's terms found in one pass. Negative words add
// to the score (intensifiers multiply them, a negation just before cancels
// them, and a negated positive word counts as mild displeasure); repetition,
// urgency, exclamation marks, English capitals and the customer's earlier
// complaints add to it. A threat is stated when a threat term appears, or a
// venue (微博, 12315, lawyer…) follows an intent or an action in its clause,
// unless a disavowal ("我不会去曝光", "won't sue") or a mention ("我在抖音看到")
// governs it. Media, regulator, legal and staff threats make the grade 4; a
// churn ultimatum makes it at least 3.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"
#include "nlp/lexicon.h"

namespace kefu::nlp {

// One thing that moved the grade. kind: word, intensifier, negation,
// repetition, urgency, exclamation, capitals, prior_complaints, threat.
struct EmotionCue {
  std::string kind;
  std::string text;  // the folded words that were found ("非常生气", "!!!")
  double weight;     // what it added to the score (0 for a negation that cancelled a word)
};

struct EmotionResult {
  int grade = 0;  // 0 calm, 1 dissatisfied, 2 upset, 3 angry, 4 threatening
  double score = 0;
  std::vector<ThreatKind> threats;  // distinct, in ThreatKind order
  std::vector<EmotionCue> cues;
};

// Immutable once built: Grade may be called from many threads at once.
class EmotionGrader {
 public:
  // Compiles the lexicon once; entries that fail ValidateLexiconEntry are ignored.
  explicit EmotionGrader(std::vector<LexiconEntry> lexicon);
  ~EmotionGrader();
  EmotionGrader(EmotionGrader&&) noexcept;
  EmotionGrader& operator=(EmotionGrader&&) noexcept;

  // prior_complaints: how many times this customer has already complained
  // about this matter.
  EmotionResult Grade(std::string_view text, int prior_complaints = 0) const;

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace kefu::nlp
