#include "nlp/lexicon.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

#include "core/text.h"
#include "nlp/text.h"

namespace kefu::nlp {
namespace {

constexpr std::array<std::string_view, 30> kKinds = {
    "negative",        "positive",     "hedge",        "intensifier",  "negation",     "neutral",
    "repetition",      "urgency",      "resolved",     "threat.media", "threat.regulator", "threat.legal",
    "threat.churn",    "threat.staff", "venue.media",  "venue.regulator", "venue.legal", "venue.churn",
    "intent",          "action",       "condition",    "disavowal",    "mention",      "contrast",
    "praise",          "continuation", "leaving",      "when",         "attempt",      "abbreviation",
};

struct WeightRange {
  std::string_view kind;
  double min, max;
};
// Kinds whose weight means something; every other kind ignores it.
constexpr std::array<WeightRange, 10> kWeightRanges = {{
    {"negative", 0.5, 5},
    {"positive", 0.5, 5},
    {"hedge", 0.5, 2},
    {"intensifier", 0.25, 3},
    {"repetition", 0.1, 4},
    {"urgency", 0.1, 4},
    {"threat.churn", 0, 4},
    {"venue.churn", 0, 4},
    {"continuation", 0, 4},
    {"leaving", 0, 4},
}};

constexpr size_t kMaxTermCodePoints = 40;

std::string KindList() {
  std::string out;
  for (std::string_view k : kKinds) {
    if (!out.empty()) out += '|';
    out += k;
  }
  return out;
}

bool IsLanguageCode(std::string_view s) {
  return s.empty() || (s.size() == 2 && std::ranges::all_of(s, [](char c) { return c >= 'a' && c <= 'z'; }));
}

}  // namespace

std::span<const std::string_view> LexiconKinds() { return kKinds; }

Status ValidateLexiconEntry(const LexiconEntry& entry) {
  if (std::ranges::find(kKinds, entry.kind) == kKinds.end())
    return Fail(Error::Validation("kind", fmt::format("unknown kind '{}'; expected one of {}", entry.kind, KindList())));
  KEFU_TRY(CheckText("term", entry.term, 1, kMaxTermCodePoints));
  const std::string folded = Fold(entry.term);
  std::string_view body = folded;
  if (body.ends_with('*')) body.remove_suffix(1);
  if (body.find_first_not_of(" \t") == std::string_view::npos)
    return Fail(Error::Validation("term", "term must contain a word, not only spaces or '*'"));
  if (body.find('*') != std::string_view::npos)
    return Fail(Error::Validation("term", "'*' is allowed only at the end of a term"));
  if (body.front() == ' ' || body.back() == ' ')
    return Fail(Error::Validation("term", "term must not begin or end with a space"));
  if (!std::isfinite(entry.weight))
    return Fail(Error::Validation("weight", "weight must be a finite number"));
  for (const WeightRange& r : kWeightRanges)
    if (r.kind == entry.kind && (entry.weight < r.min || entry.weight > r.max))
      return Fail(Error::Validation(
          "weight", fmt::format("weight of a {} term must be between {} and {}", entry.kind, r.min, r.max)));
  if (!IsLanguageCode(entry.language))
    return Fail(Error::Validation("language", "language must be a two-letter ISO 639-1 code such as zh or en, or empty"));
  return {};
}

namespace {

// The built-in table is constant data; the vector of strings is made from it
// at first use. (Braced std::string entries took the compiler minutes.)
struct BuiltinEntry {
  std::string_view kind, term;
  double weight;
  std::string_view language;
};
constexpr BuiltinEntry kBuiltin[] = {
#include "nlp/default_lexicon.inc"
};

}  // namespace

const std::vector<LexiconEntry>& DefaultLexicon() {
  static const std::vector<LexiconEntry> lexicon = [] {
    std::vector<LexiconEntry> out;
    out.reserve(std::size(kBuiltin));
    for (const BuiltinEntry& e : kBuiltin)
      out.push_back({std::string(e.kind), std::string(e.term), e.weight, std::string(e.language)});
    return out;
  }();
  return lexicon;
}

}  // namespace kefu::nlp
