// The customer's emotion grade (0 calm … 4 threatening) and the threats a
// message states, from a lexicon (see lexicon.h) and a few surface cues.
//
//   EmotionGrader grader(DefaultLexicon());
//   EmotionResult r = grader.Grade("你们再不处理，我就去12315投诉！");
//   // r.grade == 4, r.threats == {ThreatKind::kRegulator}, r.cues names what was found
//
// How a message is read (the rules follow tests/data/emotion_labelling.md):
// the text is folded (see Fold), cut into clauses at punctuation, and the
// lexicon's terms found in one pass. The strongest negative word sets the
// score in grade steps and the others add a little; an intensifier raises a
// word by a step (to 3 at most), a hedge keeps it mild, a negation just
// before cancels it, and a negated positive word is mild displeasure
// ("不是很满意"). Repetition, urgency, "??" and words in capitals add to the
// score; without a strong word it stays below 3, but "!!!" or a sentence in
// capitals on a complaint makes it 3. Earlier complaints raise the grade
// (one: at least 1; two: at least 2; three or more: at least 2, and 2 becomes
// 3) unless the message says the matter is resolved.
// A threat is stated when a threat term appears, or a venue (微博, 12315,
// lawyer…) shares its clause with an intent or an action, or a list of venues
// is followed by an intent ("12315、消协、微博，我一个一个来"); not when a
// disavowal ("我不会去曝光", "won't sue") or a mention ("我在抖音看到") governs
// it, nor in a question without an intent (a venue named in a question waits
// for a later clause whose intent is about it: "不怕上新闻吗？我这就把材料发给他",
// not "销户以后余额怎么退？我要出国了"; a condition in a question is not an
// ultimatum: "is there a fee if I cancel my plan?"). A threat a disavowal or
// negation withdrew comes back when a later clause turns against it with an
// intent that ends the clause ("I wasn't going to sue, but now I will",
// "没想过打官司，但现在不打不行了"), or a clause after one that turned against it with a
// condition ("也不想去监管局，但周五前再不退，那就只能去了"). A venue that ends its clause with
// 见 is an ultimatum ("明天黑猫投诉见"); a venue named alone carries to a short next sentence that says when
// ("The ombudsman. This week."), and one asked about to a short answer with an intent and a time or an act
// ("Does the ICO know? They will by tonight.", "12345管得了你们吗？那我试试看"); a take-back that ends its clause
// withdraws what its sentence said ("上周说要去消协那事算了", "我不是要续约，就是问问"), and a disavowal opening the sentence after the
// customer's own question withdraws that question's threats ("…走仲裁的话…？不是要告"); leaving said as a terse order with 吧 ("注销吧") is churn, and so is staying on refused
// ("车险我不会在你们这续了", "we won't be renewing": a continuation term after a disavowal in its clause, not
// in a question, nor one a short tag makes: "No need to renew the warranty, right?"), and so
// is asking how to leave, or stating it without an intent, with clear displeasure at the service
// ("携号转网怎么办理？…报修两次也没用", "孩子的网课下学期不报了。…问什么都没人回"); going public to praise ("发条微博夸夸她", "a shout-out
// on TikTok", or in a message of praise with no word of displeasure) is no media threat; a threat taken back as a
// joke ("想打12315了哈哈哈，开玩笑的", "lol jk") is withdrawn, and a denied joke ("不是开玩笑的") withdraws nothing.
// When the rules find no threat at all, the learned threat model (threat_model.h) may still state a kind it is
// sure of (log-odds above 4) if no threat or venue term of that kind is in the message: a term the rules saw
// and did not fire was withdrawn or left waiting on purpose (a disavowal, a mention, a question), and the model
// does not overrule them; nor does it state media beside praise. It finds what no term covers, such as leaving
// said without a churn word ("行，我走", "会员自动续费帮我关了吧，不值这个钱了"). Media, regulator, legal and staff
// threats make the grade 4; a churn threat only adds its weight to the score
// (more as an ultimatum, with a condition).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"
#include "nlp/lexicon.h"
#include "nlp/threat_model.h"

namespace kefu::nlp {

// One thing that moved the grade. kind: word, intensifier, negation, sarcasm,
// repetition, urgency, exclamation, question, capitals, prior_complaints, threat, model (a threat kind the
// threat model stated, weight its log-odds).
struct EmotionCue {
  std::string kind;
  std::string text;  // the folded words that were found ("非常生气", "!!!")
  double weight;     // the term's weight or what it added, in grade steps (0 when it added nothing by itself)
};

struct EmotionResult {
  int grade = 0;  // 0 calm, 1 dissatisfied, 2 upset, 3 angry, 4 threatening
  double score = 0;
  std::vector<ThreatKind> threats;  // distinct, in ThreatKind order
  std::vector<EmotionCue> cues;
  bool resolved = false;  // the message says the matter is resolved: earlier complaints do not count
};

// Raises a grade made without earlier complaints as Grade(text,
// prior_complaints) would have (Grade calls it), so that the text can be
// graded before the customer's history is known.
void AddPriorComplaints(EmotionResult& result, int prior_complaints);

// The text as the grader reads it: folded (see Fold), in simplified characters, with runs of white space made one
// space. The threat model is trained on and applied to this form.
std::string GraderText(std::string_view text);

// The threat model trained on the dev messages that ship with kefu (threat_examples.inc); trained on first use,
// once per process.
const ThreatModel& ShippedThreatModel();

// Immutable once built: Grade may be called from many threads at once.
class EmotionGrader {
 public:
  // Compiles the lexicon once; entries that fail ValidateLexiconEntry are ignored. model: the threat model
  // (it must outlive the grader), or nullptr for the lexicon's rules alone.
  explicit EmotionGrader(std::vector<LexiconEntry> lexicon, const ThreatModel* model = &ShippedThreatModel());
  ~EmotionGrader();
  EmotionGrader(EmotionGrader&&) noexcept;
  EmotionGrader& operator=(EmotionGrader&&) noexcept;

  // prior_complaints: how many times this customer has already complained
  // about this matter.
  EmotionResult Grade(std::string_view text, int prior_complaints = 0) const;
  // The same for a text whose fold the caller has at hand (folded == Fold(text)), which is then not computed again.
  EmotionResult Grade(std::string_view text, const std::string& folded, int prior_complaints) const;

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace kefu::nlp
