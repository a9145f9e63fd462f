// Finds every occurrence of a fixed set of byte strings in one pass
// (Aho-Corasick). The emotion grader compiles its lexicon into one, triage
// the text terms of its rules (triage::TermIndex). Immutable after
// construction, so Find may run on many threads.
//
// The automaton is deterministic, so Find takes one step per byte of text and
// never walks failure links. The states within the first kDenseDepth bytes of
// a term (few, and with many moves) have a full row of moves, one per byte
// class (the bytes that occur in terms each have their own class, the others
// share one); every deeper state lists only the moves that differ from those
// of its nearest such state along its failure links, usually one or two.
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

  // Calls on_match(Match) for every occurrence, in order of end offset; at
  // one end offset, longer terms first, and terms of the same length in
  // reverse order of index.
  template <typename OnMatch>
  void Find(std::string_view text, OnMatch&& on_match) const {
    uint32_t state = 0;
    for (uint32_t i = 0; i < text.size(); ++i) {
      state = Next(state, static_cast<uint8_t>(text[i]));
      for (uint32_t n = states_[state].output; n != 0; n = states_[n].output_link)
        for (uint32_t t = states_[n].first_term; t != kNone; t = term_next_[t])
          on_match(Match{t, i + 1 - lengths_[t], i + 1});
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kDenseDepth = 2;
  struct State {
    uint32_t moves_begin = 0;  // listed moves: [moves_begin, the next state's moves_begin)
    uint32_t row = 0;          // where rows_ holds the moves of the other bytes
    uint32_t output = 0;       // this state if it ends a term, else output_link
    uint32_t output_link = 0;  // nearest proper suffix state that ends a term (0: none)
    uint32_t first_term = kNone;
  };
  struct Move {
    uint8_t byte;
    uint32_t target;
  };

  uint32_t Next(uint32_t state, uint8_t byte) const {
    const Move* it = moves_.data() + states_[state].moves_begin;
    const Move* const end = moves_.data() + states_[state + 1].moves_begin;
    for (; it != end; ++it)
      if (it->byte == byte) return it->target;
    return rows_[states_[state].row + class_[byte]];
  }

  std::vector<State> states_;  // one more than there are states: the last ends the moves
  std::vector<Move> moves_;
  std::vector<uint32_t> rows_;       // full rows of moves, by class
  std::array<uint16_t, 256> class_{};  // 0: a byte that occurs in no term
  std::vector<uint32_t> term_next_;  // terms ending at the same state, chained
  std::vector<uint32_t> lengths_;
};

}  // namespace kefu::nlp
