#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "nlp/lexicon.h"
#include "nlp/term_matcher.h"
#include "nlp/text.h"

#include <unicode/utf8.h>

namespace kefu::nlp {
namespace {

using Matches = std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>;  // term, begin, end

Matches Found(const TermMatcher& matcher, std::string_view text) {
  Matches out;
  matcher.Find(text, [&](const TermMatcher::Match& m) { out.emplace_back(m.term, m.begin, m.end); });
  return out;
}

// Where the text's characters begin, read as Find reads them: a byte that
// begins no well-formed sequence is a character of its own.
std::vector<bool> CharacterBoundaries(std::string_view text) {
  std::vector<bool> at(text.size() + 1, false);
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < size;) {
    at[static_cast<size_t>(i)] = true;
    int32_t next = i;
    UChar32 c;
    U8_NEXT(bytes, next, size, c);
    i = c < 0 ? i + 1 : next;
  }
  at[text.size()] = true;
  return at;
}

// What Find promises, by brute force: every byte-for-byte occurrence that
// begins and ends between two of the text's characters, by end offset, then
// longer terms first, then the later term first.
Matches Naive(const std::vector<std::string>& terms, std::string_view text) {
  const std::vector<bool> boundary = CharacterBoundaries(text);
  Matches out;
  for (uint32_t end = 1; end <= text.size(); ++end) {
    if (!boundary[end]) continue;
    std::vector<std::pair<uint32_t, uint32_t>> here;  // length, term
    for (uint32_t t = 0; t < terms.size(); ++t)
      if (!terms[t].empty() && terms[t].size() <= end && boundary[end - terms[t].size()] &&
          text.substr(end - terms[t].size(), terms[t].size()) == terms[t])
        here.emplace_back(static_cast<uint32_t>(terms[t].size()), t);
    std::sort(here.rbegin(), here.rend());
    for (auto [length, t] : here) out.emplace_back(t, end - length, end);
  }
  return out;
}

TEST(NlpTermMatcher, FindsOverlappingAndNestedTermsInOrderOfEnd) {
  const std::vector<std::string> terms = {"he", "she", "his", "hers", "", "满意", "不满意", "she"};
  const TermMatcher matcher(terms);
  EXPECT_EQ(Found(matcher, "ushers"), (Matches{{7, 1, 4}, {1, 1, 4}, {0, 2, 4}, {3, 2, 6}}));
  EXPECT_EQ(Found(matcher, "很不满意"), (Matches{{6, 3, 12}, {5, 6, 12}}));
  EXPECT_TRUE(Found(matcher, "").empty());
  EXPECT_TRUE(Found(TermMatcher({}), "anything").empty());
}

TEST(NlpTermMatcher, MatchesWholeCharactersOnly) {
  // "一" is E4 B8 80; "丁" is E4 B8 81.
  const std::vector<std::string> terms = {"\xB8\x80", "\xE4\xB8", "一", "\xFF", "a\xE4"};
  const TermMatcher matcher(terms);
  EXPECT_EQ(Found(matcher, "丁一"), (Matches{{2, 3, 6}}));
  // Ill-formed bytes are characters of their own, in the text and in terms.
  EXPECT_EQ(Found(matcher, "x\xFFy"), (Matches{{3, 1, 2}}));
  EXPECT_EQ(Found(matcher, "\xE4\xB8" "a\xB8\x80"), (Matches{{1, 0, 2}, {0, 3, 5}}));
  EXPECT_EQ(Found(matcher, "a\xE4" "b a一"), (Matches{{4, 0, 2}, {2, 5, 8}}));
}

TEST(NlpTermMatcher, FindsWhatANaiveSearchFindsInRandomTexts) {
  std::mt19937 random(20260608);
  auto word = [&](size_t max_length) {
    std::string s(std::uniform_int_distribution<size_t>(0, max_length)(random), 'a');
    // Characters and the bytes of one, which are ill-formed alone or in another order.
    for (char& c : s) c = "abc\xE4\xB8\x80"[std::uniform_int_distribution<int>(0, 5)(random)];
    if (std::uniform_int_distribution<int>(0, 1)(random) == 0) {
      std::string whole;  // well-formed: a, b, c and 一
      for (char c : s) whole += static_cast<unsigned char>(c) >= 0x80 ? std::string("一") : std::string(1, c);
      s = whole;
    }
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> terms(std::uniform_int_distribution<size_t>(1, 30)(random));
    for (std::string& t : terms) t = word(6);
    const TermMatcher matcher(terms);
    for (int k = 0; k < 10; ++k) {
      const std::string text = word(200);
      ASSERT_EQ(Found(matcher, text), Naive(terms, text)) << round << ": " << text;
    }
  }
}

TEST(NlpTermMatcher, FindsWhatANaiveSearchFindsWithTheDefaultLexiconInTheLabelledMessages) {
  std::vector<std::string> terms;
  for (const LexiconEntry& e : DefaultLexicon()) terms.push_back(Fold(ToSimplified(e.term)));
  const TermMatcher matcher(terms);
  std::ifstream in(std::string(KEFU_SOURCE_DIR) + "/tests/data/emotion_eval.jsonl");
  std::string line;
  int lines = 0;
  for (; std::getline(in, line) && lines < 300; ++lines) {
    const std::string text = Fold(ToSimplified(line));
    ASSERT_EQ(Found(matcher, text), Naive(terms, text)) << line;
  }
  EXPECT_EQ(lines, 300);
}

}  // namespace
}  // namespace kefu::nlp
