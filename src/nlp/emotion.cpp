#include "nlp/emotion.h"

#include <algorithm>
#include <array>
#include <optional>

#include "nlp/term_matcher.h"
#include "nlp/text.h"

namespace kefu::nlp {
namespace {

enum class Kind {
  kNegative, kPositive, kHedge, kIntensifier, kNegation, kNeutral, kRepetition, kUrgency, kResolved,
  kThreat, kVenue, kIntent, kAction, kCondition, kDisavowal, kMention, kContrast, kPraise, kContinuation,
  kLeaving,  // a venue.churn that is churn by itself with clear displeasure
};

// What a threat or venue term is about; kStaff has no ThreatKind.
enum class Target { kNone, kMedia, kRegulator, kLegal, kChurn, kStaff };

struct Term {
  Kind kind;
  Target target = Target::kNone;
  double weight = 1;
  bool whole_word_start = false;  // begins with a Latin letter or digit: needs a word boundary before
  bool whole_word_end = false;    // ends with one (and no '*'): needs a word boundary after
};

// How far (in bytes of folded text) a negation, hedge or intensifier reaches
// forward: two CJK characters, or one short English word with its spaces.
constexpr uint32_t kNear = 7;
// Scoring, in grade steps. The strongest negative word counts whole, the
// others add 0.3 of theirs (at most one step); the other cues are added.
constexpr double kOtherWords = 0.3, kOtherWordsCap = 1;
constexpr double kIntensifiedCap = 3.4;  // an intensifier lifts a word to grade 3 at most
constexpr double kHedgedCap = 1.2;       // a hedged word stays mild…
constexpr double kHedgeLimit = 3;        // …unless it is a strong word ("有点垃圾" is still 垃圾)
constexpr double kSarcasm = 2;           // a positive word in quotes: 真是太“好”了
constexpr double kRepetitionCap = 1.5, kUrgencyCap = 1;
constexpr double kUltimatum = 1;         // a churn threat with a condition
constexpr double kOneOrTwoMarks = 0.25;  // "!" or "!!"
constexpr double kQuestionRun = 1;       // "???" alone is impatience
constexpr double kQuestionRunWithOthers = 0.3;
constexpr double kEmphasis = 0.5, kEmphasisCap = 1;  // words in capitals
constexpr double kModerateCap = 2.6;     // the most that cues below a strong word add up to
constexpr double kShouted = 2.75;        // a complaint with "!!!" or a sentence in capitals is angry
constexpr double kClearDispleasure = 2;   // a word of clear displeasure (an upset customer), or stronger
// Score thresholds of grades 1, 2 and 3.
constexpr std::array<double, 3> kGradeThresholds = {0.5, 2.0, 2.75};
// The threat model's log-odds above which it states a threat the rules did not find (chosen by cross-validation
// on the dev split: p > 0.98).
constexpr float kModelThreshold = 4;

// The lead byte of a character in U+3000..U+9FFF (CJK punctuation, kana, ideographs).
bool IsCjkLead(unsigned char b) { return b >= 0xE3 && b <= 0xE9; }

bool IsWordByte(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::optional<std::pair<Kind, Target>> ParseKind(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::pair<Kind, Target>>, 27> kTable = {{
      {"negative", {Kind::kNegative, Target::kNone}},
      {"positive", {Kind::kPositive, Target::kNone}},
      {"hedge", {Kind::kHedge, Target::kNone}},
      {"intensifier", {Kind::kIntensifier, Target::kNone}},
      {"negation", {Kind::kNegation, Target::kNone}},
      {"neutral", {Kind::kNeutral, Target::kNone}},
      {"repetition", {Kind::kRepetition, Target::kNone}},
      {"urgency", {Kind::kUrgency, Target::kNone}},
      {"resolved", {Kind::kResolved, Target::kNone}},
      {"threat.media", {Kind::kThreat, Target::kMedia}},
      {"threat.regulator", {Kind::kThreat, Target::kRegulator}},
      {"threat.legal", {Kind::kThreat, Target::kLegal}},
      {"threat.churn", {Kind::kThreat, Target::kChurn}},
      {"threat.staff", {Kind::kThreat, Target::kStaff}},
      {"venue.media", {Kind::kVenue, Target::kMedia}},
      {"venue.regulator", {Kind::kVenue, Target::kRegulator}},
      {"venue.legal", {Kind::kVenue, Target::kLegal}},
      {"venue.churn", {Kind::kVenue, Target::kChurn}},
      {"intent", {Kind::kIntent, Target::kNone}},
      {"action", {Kind::kAction, Target::kNone}},
      {"condition", {Kind::kCondition, Target::kNone}},
      {"disavowal", {Kind::kDisavowal, Target::kNone}},
      {"mention", {Kind::kMention, Target::kNone}},
      {"contrast", {Kind::kContrast, Target::kNone}},
      {"praise", {Kind::kPraise, Target::kNone}},
      {"continuation", {Kind::kContinuation, Target::kChurn}},
      {"leaving", {Kind::kLeaving, Target::kChurn}},
  }};
  for (const auto& [name, value] : kTable)
    if (name == kind) return value;
  return std::nullopt;
}

// Where the Latin word (letters, digits, apostrophes) at s[i] ends: i when there is none.
size_t LatinWordEnd(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && (IsWordByte(static_cast<unsigned char>(s[j])) || s[j] == '\'')) ++j;
  return j;
}

// "cancel. my. subscription.": three or more one-word sentences in a row are
// one phrase said with emphasis, so the periods between them are dropped
// ("cancel my subscription.").
void JoinOneWordSentences(std::string& s) {
  // Most texts have fewer than two ". ": nothing to look at.
  const size_t first = s.find(". ");
  if (first == std::string::npos || s.find(". ", first + 2) == std::string::npos) return;
  std::vector<size_t> drop;  // periods to remove
  for (size_t i = 0; i < s.size();) {
    if (i > 0 && IsWordByte(static_cast<unsigned char>(s[i - 1]))) {
      ++i;
      continue;
    }
    size_t words = 0, j = i;
    const size_t first_stop = drop.size();
    for (;;) {
      const size_t end = LatinWordEnd(s, j);
      if (end == j) {
        if (words > 0) drop.pop_back();  // the period after the last word ends the sentence
        break;
      }
      ++words;
      if (end + 1 >= s.size() || s[end] != '.' || s[end + 1] != ' ') break;
      drop.push_back(end);
      j = end + 2;
    }
    if (words < 3) drop.resize(first_stop);
    i = std::max(i + 1, j);
  }
  if (drop.empty()) return;
  std::string out;
  out.reserve(s.size());
  size_t from = 0;
  for (size_t k : drop) {
    out.append(s, from, k - from);
    from = k + 1;
  }
  out.append(s, from, std::string::npos);
  s = std::move(out);
}

// Folded text in simplified characters with typographic apostrophes made
// ASCII and runs of white space made one space, so "won’t  sue" matches
// "won't sue" and "律師函" matches "律师函"; see also JoinOneWordSentences.
// folded_text, when given, is Fold(text), which is then not computed again.
std::string Prepare(std::string_view text, const std::string* folded_text = nullptr) {
  const bool given = folded_text && !HasTraditional(text);
  std::string own;
  if (!given) own = Fold(ToSimplified(text));
  const std::string_view folded = given ? std::string_view(*folded_text) : std::string_view(own);
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (c == '\xE2' && (folded.compare(i, 3, "\xE2\x80\x99") == 0 || folded.compare(i, 3, "\xE2\x80\x98") == 0)) {
      out += '\'';
      i += 2;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      // "到现在 没人 管": a space between two CJK characters is dropped.
      const bool cjk_before = out.size() >= 3 && IsCjkLead(static_cast<unsigned char>(out[out.size() - 3]));
      const bool cjk_after = i + 1 < folded.size() && IsCjkLead(static_cast<unsigned char>(folded[i + 1]));
      if (!out.empty() && out.back() != ' ' && !(cjk_before && cjk_after)) out += ' ';
    } else {
      out += c;
    }
  }
  JoinOneWordSentences(out);
  return out;
}

// The length of the clause boundary at s[i] (0 if none): sentence and clause
// punctuation (folding made full-width forms ASCII), a line break, a dash, and
// a period that ends a sentence (not one inside "12.5").
size_t ClauseBoundary(std::string_view s, size_t i) {
  static constexpr std::array<std::string_view, 5> kMarks = {"\xE3\x80\x82" /*。*/, "\xE2\x80\xA6" /*…*/,
                                                             "\xEF\xBD\xA1" /*｡*/, "\xE2\x80\x94" /*—*/,
                                                             "\xE2\x80\x93" /*–*/};
  const char c = s[i];
  if (c == '!' || c == '?' || c == ',' || c == ';' || c == ':' || c == '\n' || c == '~') return 1;
  if (c == '.') return i + 1 >= s.size() || !(s[i + 1] >= '0' && s[i + 1] <= '9') ? 1 : 0;
  for (std::string_view m : kMarks)  // the first byte rules out most characters without a comparison
    if (c == m[0] && s.compare(i, m.size(), m) == 0) return m.size();
  return 0;
}

struct Found {
  uint32_t term;
  uint32_t begin, end;
  uint32_t clause;
};

struct Clause {
  uint32_t begin, end;
};

// Whether the clause is a question: the text right after it is a question mark.
bool IsQuestion(std::string_view text, const Clause& c) { return c.end < text.size() && text[c.end] == '?'; }

// Whether the clause ends a sentence (or the text).
bool EndsSentence(std::string_view text, const Clause& c) {
  if (c.end >= text.size()) return true;
  const char ch = text[c.end];
  return ch == '.' || ch == '?' || ch == '!' || ch == '\n' || text.compare(c.end, 3, "\xE3\x80\x82" /*。*/) == 0;
}

// The clause without the spaces around it.
std::string_view Trimmed(std::string_view text, const Clause& c) {
  uint32_t begin = c.begin, end = c.end;
  while (begin < end && text[begin] == ' ') ++begin;
  while (end > begin && text[end - 1] == ' ') --end;
  return text.substr(begin, end - begin);
}

// The shortest take-back that withdraws its sentence as a clause of its own, in bytes: four CJK characters
// ("就是问问"), or two short words ("just asking").
constexpr uint32_t kLoneTakeBack = 10;

// The longest question tag, in bytes ("right", "对吧", "isn't it", "对不对").
constexpr uint32_t kQuestionTag = 12;

// Whether the clause is a question, or a statement that a short question tag turns into one
// ("No need to renew the warranty, right?", "不用续费了，对吧？").
bool AsksWithTag(std::string_view text, const std::vector<Clause>& clauses, uint32_t c) {
  if (IsQuestion(text, clauses[c])) return true;
  return c + 1 < clauses.size() && text[clauses[c].end] == ',' && IsQuestion(text, clauses[c + 1]) &&
         Trimmed(text, clauses[c + 1]).size() <= kQuestionTag;
}

// What follows `from` in the clause, without the spaces that end it.
std::string_view RestOfClause(std::string_view text, const Clause& c, uint32_t from) {
  const std::string_view whole = Trimmed(text, c);
  const auto end = static_cast<uint32_t>(whole.data() - text.data() + whole.size());
  return from >= end ? std::string_view() : text.substr(from, end - from);
}

// A short sentence that answers or goes on from the one before ("This week.", "明天去。", "They will by tonight."):
// eight CJK characters or four short English words at most.
constexpr uint32_t kTerse = 24;

// Whether a short clause says when (and in how many bytes), or is a bare act of trying ("那我试试看"): what turns a
// body named in the sentence before into a plan. Looked for only in a clause of at most kTerse bytes; the words are
// the lexicon's `when` and `attempt` terms.
struct WhenOrAct {
  size_t when_bytes = 0;
  bool act = false;
};
WhenOrAct SaysWhenOrActs(std::string_view s, const std::vector<std::string>& when,
                         const std::vector<std::string>& attempts) {
  WhenOrAct r;
  for (const std::string& w : when)
    if (s.find(w) != std::string_view::npos) r.when_bytes = std::max(r.when_bytes, w.size());
  r.act = std::ranges::any_of(attempts, [&](const std::string& w) { return s.find(w) != std::string_view::npos; });
  return r;
}

ThreatKind ToThreatKind(Target t) {
  switch (t) {
    case Target::kMedia: return ThreatKind::kMedia;
    case Target::kRegulator: return ThreatKind::kRegulator;
    case Target::kLegal: return ThreatKind::kLegal;
    default: return ThreatKind::kChurn;
  }
}

bool QuotedAt(std::string_view s, uint32_t begin, uint32_t end) {
  auto opens = [&](std::string_view q) { return begin >= q.size() && s.substr(begin - q.size(), q.size()) == q; };
  auto closes = [&](std::string_view q) { return s.substr(end, q.size()) == q; };
  return (opens("\"") || opens("\xE2\x80\x9C") || opens("\xE3\x80\x8C")) &&
         (closes("\"") || closes("\xE2\x80\x9D") || closes("\xE3\x80\x8D"));
}

// Where the word in quotes right after s[at] ends, with its closing quote ("really \"express\" shipping",
// 真“快”啊): 0 when none follows or it is longer than a word or two.
uint32_t ScareQuoteEnd(std::string_view s, uint32_t at) {
  constexpr size_t kLongest = 16;  // bytes inside the quotes: five CJK characters, or two short words
  if (at < s.size() && s[at] == ' ') ++at;
  const auto open = [&](std::string_view q) { return s.substr(at, q.size()) == q ? q.size() : 0; };
  size_t opened = open("\"");
  std::string_view close = "\"";
  if (opened == 0 && (opened = open("\xE2\x80\x9C")) > 0) close = "\xE2\x80\x9D";
  if (opened == 0 && (opened = open("\xE3\x80\x8C")) > 0) close = "\xE3\x80\x8D";
  if (opened == 0) return 0;
  const size_t from = at + opened;
  const size_t end = s.substr(from, kLongest + close.size()).find(close);
  if (end == std::string_view::npos || end == 0) return 0;
  return static_cast<uint32_t>(from + end + close.size());
}

// Words in capitals (two letters or more, not a common abbreviation) and
// whether a whole sentence is in capitals, in the original text.
struct Capitals {
  int emphasised = 0;
  bool shouted_sentence = false;
};

// `abbreviations`: the lexicon's folded `abbreviation` terms, words in capitals that are no emphasis (VIP, ASAP).
Capitals FindCapitals(std::string_view text, const std::vector<std::string>& abbreviations) {
  auto abbreviation = [&](std::string_view word) {
    return std::ranges::any_of(abbreviations, [&](const std::string& a) {
      return std::ranges::equal(word, a, [](char w, char f) { return w - 'A' + 'a' == f; });
    });
  };
  Capitals caps;
  int sentence_words = 0, sentence_letters = 0;
  bool sentence_upper = true;
  auto end_sentence = [&] {
    if (sentence_upper && sentence_words >= 2 && sentence_letters >= 8) caps.shouted_sentence = true;
    sentence_words = sentence_letters = 0;
    sentence_upper = true;
  };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '.' || c == '!' || c == '?' || c == '\n') end_sentence();
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool upper = true;
    while (j < text.size() && ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z'))) {
      upper = upper && text[j] <= 'Z';
      ++j;
    }
    const std::string_view word = text.substr(i, j - i);
    ++sentence_words;
    sentence_letters += static_cast<int>(word.size());
    sentence_upper = sentence_upper && upper;
    if (upper && word.size() >= 2 && !abbreviation(word))
      ++caps.emphasised;
    i = j;
  }
  end_sentence();
  return caps;
}

}  // namespace

std::string GraderText(std::string_view text) { return Prepare(text); }

const ThreatModel& ShippedThreatModel() {
  struct Example {
    std::string_view text;
    ThreatMask kinds;
  };
  static constexpr Example kExamples[] = {
#include "nlp/threat_examples.inc"
  };
  static const ThreatModel model = [] {
    std::vector<std::string> texts;
    std::vector<ThreatMask> kinds;
    for (const Example& e : kExamples) {
      texts.push_back(Prepare(e.text));
      kinds.push_back(e.kinds);
    }
    return ThreatModel::Train(texts, kinds);
  }();
  return model;
}

struct EmotionGrader::Compiled {
  std::vector<Term> terms;
  TermMatcher matcher;
  // Kinds looked for in one short clause or word, not in the text's single pass.
  std::vector<std::string> when, attempts, abbreviations;
  const ThreatModel* model;

  // Folded terms, with a trailing '*' removed, in the order of `terms`.
  static std::vector<std::string> FoldedTerms(const std::vector<LexiconEntry>& lexicon, std::vector<Term>* terms);
  // The folded terms of one such kind.
  static std::vector<std::string> FoldedOf(const std::vector<LexiconEntry>& lexicon, std::string_view kind);
  Compiled(const std::vector<LexiconEntry>& lexicon, const ThreatModel* model)
      : matcher(FoldedTerms(lexicon, &terms)),
        when(FoldedOf(lexicon, "when")),
        attempts(FoldedOf(lexicon, "attempt")),
        abbreviations(FoldedOf(lexicon, "abbreviation")),
        model(model) {}

  std::vector<Found> FindTerms(std::string_view text, std::vector<Clause>* clauses) const;
  EmotionResult Grade(std::string_view text, const std::string* folded_text, int prior_complaints) const;
};

std::vector<std::string> EmotionGrader::Compiled::FoldedTerms(const std::vector<LexiconEntry>& lexicon,
                                                              std::vector<Term>* terms) {
  std::vector<std::string> folded;
  for (const LexiconEntry& e : lexicon) {
    if (!ValidateLexiconEntry(e)) continue;
    auto kind = ParseKind(e.kind);
    if (!kind) continue;
    std::string t = Prepare(e.term);
    const bool prefix = t.ends_with('*');
    if (prefix) t.pop_back();
    terms->push_back(Term{kind->first, kind->second, e.weight, IsWordByte(static_cast<unsigned char>(t.front())),
                          !prefix && IsWordByte(static_cast<unsigned char>(t.back()))});
    folded.push_back(std::move(t));
  }
  return folded;
}

std::vector<std::string> EmotionGrader::Compiled::FoldedOf(const std::vector<LexiconEntry>& lexicon,
                                                           std::string_view kind) {
  std::vector<std::string> out;
  for (const LexiconEntry& e : lexicon)
    if (e.kind == kind && ValidateLexiconEntry(e)) out.push_back(Prepare(e.term));
  return out;
}

// Every term occurrence that respects word boundaries, minus those inside a
// longer occurrence ("满意" inside "不满意"), ordered by position, each with
// its clause.
std::vector<Found> EmotionGrader::Compiled::FindTerms(std::string_view text, std::vector<Clause>* clauses) const {
  std::vector<Found> found;
  matcher.Find(text, [&](const TermMatcher::Match& m) {
    const Term& t = terms[m.term];
    if (t.whole_word_start && m.begin > 0 && IsWordByte(static_cast<unsigned char>(text[m.begin - 1]))) return;
    if (t.whole_word_end && m.end < text.size() && IsWordByte(static_cast<unsigned char>(text[m.end]))) return;
    found.push_back({m.term, m.begin, m.end, 0});
  });
  std::ranges::sort(found, [](const Found& a, const Found& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end > b.end : a.term < b.term;
  });
  std::vector<Found> kept;
  uint32_t covered_to = 0;
  for (const Found& f : found) {
    if (!kept.empty() && f.end <= covered_to) continue;
    kept.push_back(f);
    covered_to = std::max(covered_to, f.end);
  }
  clauses->push_back({0, 0});
  for (size_t i = 0; i < text.size();) {
    if (size_t len = ClauseBoundary(text, i); len > 0) {
      clauses->back().end = static_cast<uint32_t>(i);
      i += len;
      clauses->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i)});
    } else {
      ++i;
    }
  }
  clauses->back().end = static_cast<uint32_t>(text.size());
  uint32_t clause = 0;
  for (Found& f : kept) {
    while (clause + 1 < clauses->size() && (*clauses)[clause + 1].begin <= f.begin) ++clause;
    f.clause = clause;
  }
  return kept;
}

EmotionResult EmotionGrader::Compiled::Grade(std::string_view original, const std::string* folded_text,
                                              int prior_complaints) const {
  EmotionResult result;
  const std::string text = Prepare(original, folded_text);
  std::vector<Clause> clauses;
  const std::vector<Found> found = FindTerms(text, &clauses);
  auto span = [&](uint32_t begin, uint32_t end) { return std::string(text.substr(begin, end - begin)); };
  auto near = [](const std::optional<Found>& before, const Found& f) {
    return before && f.begin >= before->end && f.begin - before->end <= kNear;
  };

  std::vector<double> words;  // contributions of negative words, in grade steps
  double repetition = 0, urgency = 0;
  bool resolved = false, any_condition = false;
  std::array<bool, 6> targets{};
  // Kinds with a threat or venue term anywhere in the message, fired or not: where the rules saw a term and did
  // not fire it (a disavowal, a mention, a question, a take-back, no intent), the threat model does not overrule them.
  std::array<bool, 6> seen{};
  std::vector<Found> churn;
  // Media threats wait for the end: going public to praise ("发条微博夸夸她", "a shout-out on TikTok") is not a
  // complaint taken outside, so praise in the venue's clause or the next one cancels them.
  std::vector<Found> media;
  std::vector<uint32_t> praised;  // clauses with praise, in order
  auto fire = [&](const Found& f) {
    const Term& t = terms[f.term];
    if (t.target == Target::kMedia) {
      media.push_back(f);
      return;
    }
    if (!targets[static_cast<size_t>(t.target)]) result.cues.push_back({"threat", span(f.begin, f.end), 0});
    targets[static_cast<size_t>(t.target)] = true;
    if (t.target == Target::kChurn) churn.push_back(f);
  };

  // Per-clause state while walking the occurrences in order.
  uint32_t clause = UINT32_MAX;
  std::optional<Found> negation, intensifier, hedge;
  double boost = 0;
  std::optional<size_t> hedge_word, negated_positive_word;  // indexes into `words`
  uint32_t negated_positive_end = 0;
  uint32_t sarcasm_end = 0;  // where the last word in quotes after an intensifier ends
  bool condition = false, stated = false, disavowed = false, mentioned = false, intended = false;
  bool contrasted = false;  // the clause turns against what came before ("but", "但是")
  bool refused = false;     // the clause has a disavowal, even after a condition (for a continuation term)
  // An earlier clause turned against a withdrawal with a condition, so the intent may come in a later clause
  // ("也不想跑监管局，但周五前再不退，那就没办法了，只能去").
  bool turned_on_condition = false;
  std::vector<Found> pending;  // venues waiting for an intent or action in their clause
  std::vector<Found> listed;   // venues listed without a verb ("12315、消协、微博"), waiting for an intent
  // Venues and threats named in a question ("你们不怕上新闻吗？"), waiting for a later clause with an intent
  // carried out by an action ("我这就把材料发给他") or an intent that ends its clause ("好，我这就去",
  // "Because I will."): an intent followed by something else may be about that ("销户以后余额怎么退？我要出国了").
  std::vector<Found> asked;
  // Leaving terms (kLeaving) stated without an intent or an action ("孩子的网课下学期不报了"): churn when the message
  // shows clear displeasure at the service, like a question about how to leave; not a generic venue such as 注销,
  // which also tells of a closure the customer is still billed after ("上个月就注销了，还在扣钱").
  std::vector<Found> left;
  // Threats and venues a disavowal or negation withdrew ("I wasn't going to sue", "本来没想过打官司"), waiting for a later
  // clause that turns against it with an intent that ends its clause ("but now I will", "但现在不打不行了").
  std::vector<Found> withdrawn;
  // Venues named in a statement without a verb ("预付卡归商务局管"), for the next clause if it goes there with an
  // intent and a verb that end it ("明天我就过去", or an act done: "材料我已经寄出去了").
  std::vector<Found> named;
  uint32_t named_clause = UINT32_MAX;
  uint32_t intent_end = 0;  // where the clause's last intent ends
  // A condition follows the clause's intent ("that's where I'm headed if it isn't fixed"): an ultimatum about
  // a venue asked about or named in the clause before, like an intent that ends its clause.
  bool condition_after_intent = false;
  // A venue asked about, or named alone, in the clause before ("Does the ICO know …?", "The ombudsman."), for the
  // next clause if it is short and says when or carries an intent ("This week.", "明天去。", "They will by tonight.").
  std::vector<Found> carried;
  uint32_t carried_clause = UINT32_MAX;
  bool clause_negated = false;  // the clause has a negation or a disavowal
  // A venue named alone needs only a time ("The ombudsman. This week."); one asked about needs an intent or an act
  // too ("They will by tonight.", "那我试试看"), as "消协周末上班吗？明天。" may ask when it opens. An intent alone is not
  // enough: "销户以后余额怎么退？我要出国了" says why, not when.
  bool carried_asked = false;
  auto answer_carried = [&](uint32_t c, bool negated, bool intent) {
    if (carried.empty() || carried_clause + 1 != c) return;
    const std::string_view s = Trimmed(text, clauses[c]);
    const WhenOrAct said = SaysWhenOrActs(s, when, attempts);
    const bool bare = said.when_bytes > 0 && s.size() <= said.when_bytes + 4;  // "This week.", "by tonight"
    if (!negated && !IsQuestion(text, clauses[c]) && s.size() <= kTerse &&
        (said.act || (said.when_bytes > 0 && (intent || (bare && !carried_asked)))))
      for (const Found& v : carried) fire(v);
    carried.clear();
  };
  // What had fired when the clause and when its sentence began: a take-back ending the clause ("上周说要去消协那事算了")
  // or opening the sentence after a question ("…走仲裁的话…？不是要告") withdraws what fired since.
  struct Snapshot {
    std::array<bool, 6> targets{};
    size_t cues = 0, churn = 0, media = 0;
  };
  Snapshot clause_start, sentence_start, sentence_before;
  auto snapshot = [&] { return Snapshot{targets, result.cues.size(), churn.size(), media.size()}; };
  auto take_back = [&](const Snapshot& to) {
    targets = to.targets;
    churn.resize(std::min(churn.size(), to.churn));
    media.resize(std::min(media.size(), to.media));
    const auto since = result.cues.begin() + static_cast<std::ptrdiff_t>(std::min(to.cues, result.cues.size()));
    result.cues.erase(std::remove_if(since, result.cues.end(), [](const EmotionCue& c) { return c.kind == "threat"; }),
                      result.cues.end());
  };
  auto close_clause = [&] {
    if (clause == UINT32_MAX) return;
    answer_carried(clause, disavowed || mentioned || clause_negated, intended);
    if (intended && condition_after_intent && named_clause + 1 == clause) {
      for (const Found& v : named) fire(v);
      named.clear();
    }
    if (intended && (clauses[clause].end - intent_end <= kNear || condition_after_intent)) {
      for (const Found& v : asked) fire(v);
      asked.clear();
      if (contrasted || turned_on_condition) {
        for (const Found& v : withdrawn) fire(v);
        withdrawn.clear();
      }
    }
    if (pending.empty()) return;
    uint32_t venue_bytes = 0;
    for (const Found& v : pending) venue_bytes += v.end - v.begin;
    const Clause& c = clauses[clause];
    // The clause's length without the spaces around it: ", the regulator, my solicitor —" lists two venues.
    const size_t length = Trimmed(text, c).size();
    // "法院见", "明天黑猫投诉见": a venue that ends its clause with 见 ("see you at") is an ultimatum.
    const std::string_view after = RestOfClause(text, c, pending.back().end);
    if (!IsQuestion(text, c))
      for (const Found& v : pending)
        if (terms[v.term].kind == Kind::kLeaving) left.push_back(v);
    if (IsQuestion(text, c)) {
      asked.insert(asked.end(), pending.begin(), pending.end());
      carried = pending;
      carried_clause = clause;
      carried_asked = true;
    } else if (after == "\xE8\xA7\x81" /*见*/ || after == "\xE4\xB8\x8A\xE8\xA7\x81" /*上见*/) {
      for (const Found& v : pending) fire(v);
    } else if (pending.size() == 1 && terms[pending.back().term].target == Target::kChurn &&
               after == "\xE5\x90\xA7" /*吧*/ && length <= venue_bytes + 9) {
      // "注销吧", "那就销户吧": leaving said as a terse order.
      fire(pending.back());
    } else if (pending.size() >= 2 || length <= venue_bytes + 4) {
      listed.insert(listed.end(), pending.begin(), pending.end());
      if (length <= venue_bytes + 4) {
        carried = pending;
        carried_clause = clause;
        carried_asked = false;
      }
    } else {
      named = pending;
      named_clause = clause;
    }
    pending.clear();
  };

  for (const Found& f : found) {
    const Term& t = terms[f.term];
    if (f.clause != clause) {
      close_clause();
      if (clause != UINT32_MAX && clause + 1 < f.clause) answer_carried(clause + 1, false, false);  // it had no terms
      bool new_sentence = clause == UINT32_MAX;
      for (uint32_t c = clause == UINT32_MAX ? 0 : clause; c < f.clause && !new_sentence; ++c)
        new_sentence = EndsSentence(text, clauses[c]);
      clause = f.clause;
      clause_start = snapshot();
      if (new_sentence) {
        sentence_before = sentence_start;
        sentence_start = clause_start;
      }
      clause_negated = false;
      negation.reset();
      intensifier.reset();
      hedge.reset();
      hedge_word.reset();
      negated_positive_word.reset();
      boost = 0;
      if (contrasted && condition && !withdrawn.empty()) turned_on_condition = true;
      condition = stated = disavowed = mentioned = intended = contrasted = condition_after_intent = refused = false;
    }
    const bool negated = near(negation, f) && !condition;
    switch (t.kind) {
      case Kind::kNegation:
        negation = f;
        clause_negated = true;
        break;
      case Kind::kIntensifier:
        if (negated_positive_word && f.begin - negated_positive_end <= 1) {
          // "not happy at all": the negation is intensified.
          words[*negated_positive_word] += t.weight;
          result.cues.push_back({"intensifier", span(f.begin, f.end), t.weight});
          break;
        }
        // "不是很满意", "not very happy": an intensifier right after a negation passes the negation on.
        if (negation && f.begin - negation->end <= 1) negation->end = f.end;
        boost = near(intensifier, f) ? boost + t.weight / 2 : t.weight;
        intensifier = f;
        // "真“快”啊", "really \"express\" shipping": a word in quotes after an intensifier is sarcasm.
        if (const uint32_t quoted_end = ScareQuoteEnd(text, f.end); quoted_end > 0) {
          words.push_back(kSarcasm);
          result.cues.push_back({"sarcasm", span(f.begin, quoted_end), kSarcasm});
          sarcasm_end = quoted_end;
        }
        break;
      case Kind::kHedge:
        hedge = f;
        hedge_word = words.size();
        words.push_back(t.weight);
        result.cues.push_back({"word", span(f.begin, f.end), t.weight});
        break;
      case Kind::kNegative: {
        if (negated) {
          result.cues.push_back({"negation", span(negation->begin, f.end), 0});
          break;
        }
        double w = t.weight;
        if (near(intensifier, f)) {
          w = std::max(w, std::min(w + boost, kIntensifiedCap));
          result.cues.push_back({"intensifier", span(intensifier->begin, intensifier->end), w - t.weight});
        }
        result.cues.push_back({"word", span(f.begin, f.end), t.weight});
        if (hedge_word && near(hedge, f) && t.weight < kHedgeLimit) {
          words[*hedge_word] = std::max(words[*hedge_word], std::min(w, kHedgedCap));
          hedge_word.reset();
        } else {
          words.push_back(w);
        }
        break;
      }
      case Kind::kPositive:
        if (QuotedAt(text, f.begin, f.end)) {
          if (f.begin < sarcasm_end) break;  // counted with its intensifier
          words.push_back(kSarcasm);
          result.cues.push_back({"sarcasm", span(f.begin, f.end), kSarcasm});
        } else if (negated) {
          double w = t.weight;
          // "一点都不满意": an intensifier before the negation intensifies it.
          if (intensifier && intensifier->end <= negation->begin && negation->begin - intensifier->end <= kNear)
            w += boost;
          negated_positive_word = words.size();
          negated_positive_end = f.end;
          words.push_back(w);
          result.cues.push_back({"negation", span(negation->begin, f.end), w});
        }
        break;
      case Kind::kNeutral:
        break;
      case Kind::kContinuation:
        // "车险我不会在你们这续了", "we won't be renewing": staying on, refused earlier in the clause, is leaving
        // (after a condition too: "再修不好，我不打算续费了"); not in a question, nor after a mention.
        if (refused && !mentioned && !AsksWithTag(text, clauses, f.clause)) fire(f);
        break;
      case Kind::kPraise:
        if (praised.empty() || praised.back() != f.clause) praised.push_back(f.clause);
        break;
      case Kind::kRepetition:
        repetition += t.weight;
        result.cues.push_back({"repetition", span(f.begin, f.end), t.weight});
        break;
      case Kind::kUrgency:
        urgency += t.weight;
        result.cues.push_back({"urgency", span(f.begin, f.end), t.weight});
        break;
      case Kind::kResolved:
        resolved = true;
        break;
      case Kind::kCondition:
        condition = any_condition = true;
        if (intended && !disavowed) condition_after_intent = true;
        break;
      case Kind::kDisavowal: {
        // "不是开玩笑的", "not joking": a negated take-back says the opposite.
        if (negated && f.begin - negation->end <= 1) break;
        refused = true;
        negation = f;  // "我不会生气": a disavowal negates the words right after it too
        clause_negated = true;
        const std::string_view whole = Trimmed(text, clauses[f.clause]);
        const auto at = static_cast<uint32_t>(whole.data() - text.data());
        const std::string_view rest = RestOfClause(text, clauses[f.clause], f.end);
        const bool ends_clause = rest.empty() || rest == "\xE4\xBA\x86" /*了*/ || rest == "\xE5\x90\xA7" /*吧*/;
        // A take-back after words of its own clause, or one of four characters or two words or more making up a
        // clause that goes on from one in its sentence ("就是问问", not a curt "不用了").
        const bool after_words = f.begin > at || (f.end - f.begin >= kLoneTakeBack && f.clause > 0 &&
                                                  !EndsSentence(text, clauses[f.clause - 1]));
        if (!condition && ends_clause && after_words) {
          // "上周说要去消协那事算了", "我不是要续约，就是问问": a take-back that ends its clause withdraws what its
          // sentence said before it.
          take_back(sentence_start);
          pending.clear();
        } else if (!condition && f.begin - at <= 3 && f.clause > 0 && IsQuestion(text, clauses[f.clause - 1])) {
          // "如果真要走仲裁的话，在哪边？不是要告": a disavowal answering the customer's own question withdraws it.
          take_back(sentence_before);
          asked.clear();
          carried.clear();
        }
        if (!condition) {
          disavowed = true;
          pending.clear();
        }
        break;
      }
      case Kind::kContrast:
        contrasted = true;
        disavowed = mentioned = refused = false;
        negation.reset();
        break;
      case Kind::kMention:
        mentioned = true;
        pending.clear();
        break;
      case Kind::kIntent:
      case Kind::kAction:
        // "我不去找媒体", "I'm not going to": an intent or action right after a negation disavows the rest
        // of the clause ("钱不退我就去法院" is a condition, not a disavowal).
        if (negated && f.begin - negation->end <= 1) {
          disavowed = true;
          pending.clear();
          break;
        }
        if (disavowed) break;
        if (t.kind == Kind::kIntent) {
          mentioned = false;
          intended = true;
          intent_end = f.end;
          for (const Found& v : listed) fire(v);
          listed.clear();
        }
        // In a question only an intent counts: "销户需要本人去营业厅吗？" asks how, it does not threaten.
        if (mentioned || (t.kind == Kind::kAction && IsQuestion(text, clauses[f.clause]))) break;
        if (t.kind == Kind::kAction && intended) {
          for (const Found& v : asked) fire(v);
          asked.clear();
        }
        stated = true;
        for (const Found& v : pending) fire(v);
        pending.clear();
        if (t.kind == Kind::kAction && intended && named_clause + 1 == f.clause) {
          // "…现在归金融监管总局管，材料我已经寄出去了": an act already done (了) ends the clause too.
          if (const std::string_view rest = RestOfClause(text, clauses[f.clause], f.end);
              rest.empty() || rest == "\xE4\xBA\x86" /*了*/) {
            for (const Found& v : named) fire(v);
            named.clear();
          }
        }
        break;
      case Kind::kThreat:
      case Kind::kVenue:
      case Kind::kLeaving:
        seen[static_cast<size_t>(t.target)] = true;
        if ((disavowed || negated) && !mentioned) withdrawn.push_back(f);
        if (disavowed || mentioned || negated) break;
        // In a question ("销户需要本人去吗？", "不怕上新闻吗？", "is there a fee if I cancel my plan?") a threat
        // term waits for an intent too, even after a condition.
        // "If I cancel my plan, is there a fee?", "如果我退订的话，要交违约金吗？": a condition whose sentence goes on
        // to ask is a question about what would happen, not an ultimatum.
        if (const bool question = IsQuestion(text, clauses[f.clause]) ||
                                  (condition && f.clause + 1 < clauses.size() &&
                                   text[clauses[f.clause].end] == ',' && IsQuestion(text, clauses[f.clause + 1]));
            (t.kind == Kind::kThreat && !question) || stated || (condition && !question)) {
          fire(f);
        } else {
          pending.push_back(f);
        }
        break;
    }
  }
  close_clause();
  if (clause != UINT32_MAX && clause + 1 < clauses.size()) answer_carried(clause + 1, false, false);
  // "携号转网怎么办理？你们的信号一格都没有，报修两次也没用": asking how to leave, with clear displeasure at the
  // service, is leaving because of it (not "How do I close my account? I'm moving abroad.").
  if (!words.empty() && std::ranges::max(words) >= kClearDispleasure) {
    for (const Found& f : asked)
      if (terms[f.term].target == Target::kChurn) fire(f);
    if (!left.empty() && !targets[static_cast<size_t>(Target::kChurn)]) fire(left.front());
  }
  // Praise in a message with no word of displeasure ("Loved the grooming!! Posting her pics on Instagram") makes all
  // its going public praise.
  const bool all_praise = !praised.empty() && words.empty();
  for (const Found& f : media) {
    if (all_praise || std::ranges::any_of(praised, [&](uint32_t c) { return c == f.clause || c == f.clause + 1; }))
      continue;
    if (!targets[static_cast<size_t>(Target::kMedia)]) result.cues.push_back({"threat", span(f.begin, f.end), 0});
    targets[static_cast<size_t>(Target::kMedia)] = true;
  }
  // The threat model speaks only where the rules found no threat at all: it adds a kind none of whose terms is in
  // the message ("行，我走", "Took me ten minutes"), and none to a message with praise ("发个小红书夸夸你们").
  if (model && !std::ranges::any_of(targets, std::identity{})) {
    const std::array<float, ThreatModel::kKinds> scores = model->Scores(text);
    for (Target t : {Target::kMedia, Target::kRegulator, Target::kLegal, Target::kChurn}) {
      const float score = scores[static_cast<size_t>(ToThreatKind(t))];
      if (seen[static_cast<size_t>(t)] || (t == Target::kMedia && !praised.empty()) || score <= kModelThreshold) continue;
      targets[static_cast<size_t>(t)] = true;
      result.cues.push_back({"model", std::string(Name(ToThreatKind(t))), score});
    }
  }

  // A churn threat adds its weight, and more as an ultimatum.
  for (const Found& f : churn) words.push_back(terms[f.term].weight + (any_condition ? kUltimatum : 0));
  std::ranges::sort(words, std::greater<>());
  double others = 0;
  for (size_t i = 1; i < words.size(); ++i) others += words[i] * kOtherWords;
  result.score = words.empty() ? 0 : words.front() + std::min(others, kOtherWordsCap);
  result.score += std::min(repetition, kRepetitionCap) + std::min(urgency, kUrgencyCap);
  const bool complaint = result.score > 0;
  // Many moderate cues make an upset customer, not an angry one: anger needs a strong word (or shouting, below).
  if (words.empty() || words.front() < kGradeThresholds[2]) result.score = std::min(result.score, kModerateCap);

  const auto marks = std::ranges::count(text, '!');
  if (marks > 0) result.cues.push_back({"exclamation", std::string(static_cast<size_t>(std::min<long>(marks, 5)), '!'), 0});
  if (marks > 0 && marks < 3) result.score += kOneOrTwoMarks;
  if (text.find("??") != std::string::npos) {
    const double w = complaint ? kQuestionRunWithOthers : kQuestionRun;
    result.score += w;
    result.cues.push_back({"question", "??", w});
  }
  const Capitals caps = FindCapitals(original, abbreviations);
  if (caps.emphasised > 0 && complaint) {
    const double w = std::min(kEmphasis * caps.emphasised, kEmphasisCap);
    result.score += w;
    result.cues.push_back({"capitals", "", w});
  }
  if (complaint && (marks >= 3 || caps.shouted_sentence)) result.score = std::max(result.score, kShouted);

  for (double threshold : kGradeThresholds)
    if (result.score >= threshold) ++result.grade;
  result.resolved = resolved;
  AddPriorComplaints(result, prior_complaints);
  for (Target t : {Target::kMedia, Target::kRegulator, Target::kLegal, Target::kChurn})
    if (targets[static_cast<size_t>(t)]) result.threats.push_back(ToThreatKind(t));
  if (targets[static_cast<size_t>(Target::kMedia)] || targets[static_cast<size_t>(Target::kRegulator)] ||
      targets[static_cast<size_t>(Target::kLegal)] || targets[static_cast<size_t>(Target::kStaff)])
    result.grade = 4;
  return result;
}

// Earlier complaints about the same matter (see the labelling guide): one makes
// it at least 1, two at least 2, three or more at least 2 and an upset message angry.
void AddPriorComplaints(EmotionResult& result, int prior_complaints) {
  if (prior_complaints <= 0 || result.resolved) return;
  result.cues.push_back({"prior_complaints", std::to_string(prior_complaints), 0});
  if (prior_complaints >= 3 && result.grade >= 2) {
    result.grade = std::max(result.grade, 3);
  } else {
    result.grade = std::max(result.grade, std::min(prior_complaints, 2));
  }
}

EmotionGrader::EmotionGrader(std::vector<LexiconEntry> lexicon, const ThreatModel* model)
    : compiled_(std::make_unique<Compiled>(lexicon, model)) {}
EmotionGrader::~EmotionGrader() = default;
EmotionGrader::EmotionGrader(EmotionGrader&&) noexcept = default;
EmotionGrader& EmotionGrader::operator=(EmotionGrader&&) noexcept = default;

EmotionResult EmotionGrader::Grade(std::string_view text, int prior_complaints) const {
  return compiled_->Grade(text, nullptr, prior_complaints);
}

EmotionResult EmotionGrader::Grade(std::string_view text, const std::string& folded, int prior_complaints) const {
  return compiled_->Grade(text, &folded, prior_complaints);
}

}  // namespace kefu::nlp
