// Finds every occurrence of a fixed set of byte strings in one pass
// (Aho-Corasick). The emotion grader compiles its lexicon into one, triage
// the text terms of its rules (triage::TermIndex). Immutable after
// construction, so Find may run on many threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::nlp {

class TermMatcher {
 public:
  struct Match {
    uint32_t term;   // index into the terms given to the constructor
    uint32_t begin;  // byte offsets into the searched text
    uint32_t end;
  };

  explicit TermMatcher(const std::vector<std::string>& terms);

  // Calls on_match(Match) for every occurrence, in order of end offset.
  template <typename OnMatch>
  void Find(std::string_view text, OnMatch&& on_match) const {
    uint32_t state = 0;
    for (uint32_t i = 0; i < text.size(); ++i) {
      state = Next(state, static_cast<uint8_t>(text[i]));
      for (uint32_t n = nodes_[state].has_output ? state : nodes_[state].output_link; n != 0;
           n = nodes_[n].output_link)
        for (uint32_t t = nodes_[n].first_term; t != kNone; t = term_next_[t])
          on_match(Match{t, i + 1 - lengths_[t], i + 1});
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Edge {
    uint8_t byte;
    uint32_t target;
  };
  struct Node {
    uint32_t edges_begin = 0, edges_end = 0;  // sorted range in edges_
    uint32_t fail = 0;
    uint32_t output_link = 0;  // nearest proper suffix node that ends a term (0: none)
    uint32_t first_term = kNone;
    bool has_output = false;
  };

  uint32_t Child(uint32_t node, uint8_t byte) const;
  uint32_t Next(uint32_t state, uint8_t byte) const;

  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<uint32_t> term_next_;  // terms ending at the same node, chained
  std::vector<uint32_t> lengths_;
  std::array<uint32_t, 256> root_{};  // root transitions, dense
};

}  // namespace kefu::nlp
