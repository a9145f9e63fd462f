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

namespace kefu::nlp {
namespace {

using Matches = std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>;  // term, begin, end

Matches Found(const TermMatcher& matcher, std::string_view text) {
  Matches out;
  matcher.Find(text, [&](const TermMatcher::Match& m) { out.emplace_back(m.term, m.begin, m.end); });
  return out;
}

// The order Find promises, by brute force: by end offset, then longer terms
// first, then the later term first.
Matches Naive(const std::vector<std::string>& terms, std::string_view text) {
  Matches out;
  for (uint32_t end = 1; end <= text.size(); ++end) {
    std::vector<std::pair<uint32_t, uint32_t>> here;  // length, term
    for (uint32_t t = 0; t < terms.size(); ++t)
      if (!terms[t].empty() && terms[t].size() <= end && text.substr(end - terms[t].size(), terms[t].size()) == terms[t])
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

TEST(NlpTermMatcher, FindsWhatANaiveSearchFindsInRandomTexts) {
  std::mt19937 random(20260608);
  auto word = [&](size_t max_length) {
    std::string s(std::uniform_int_distribution<size_t>(0, max_length)(random), 'a');
    for (char& c : s) c = "abc\xE4\xB8\x80"[std::uniform_int_distribution<int>(0, 5)(random)];
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
