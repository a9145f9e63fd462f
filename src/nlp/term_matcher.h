// Finds every occurrence of a fixed set of strings in one pass
// (Aho-Corasick). The emotion grader compiles its lexicon into one, triage
// the text terms of its rules (triage::TermIndex). Immutable after
// construction, so Find may run on many threads.
//
// Text and terms are read as UTF-8 characters, so that Find takes one step
// per character (a Chinese one is three bytes) and a term only ever matches
// whole characters. A byte that does not begin a well-formed sequence is a
// character of its own, in text and terms alike.
//
// Each state lists its children, sorted; a character none of them takes
// follows failure links (usually one or two) down to the start state, which
// has a move for every character that begins a term (a two-level table by
// character). Listing children only keeps the automaton small (one move per
// state), which matters more than the failure steps when caches are cold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/utf8.h>

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
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto size = static_cast<uint32_t>(text.size());
    uint32_t state = 0;
    for (uint32_t i = 0; i < size;) {
      state = Next(state, NextCharacter(bytes, size, i));
      for (uint32_t n = states_[state].output; n != 0; n = ends_[n].output_link)
        for (uint32_t t = ends_[n].first_term; t != kNone; t = term_next_[t])
          on_match(Match{t, i - lengths_[t], i});
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kIllFormed = 0x110000;  // + the byte: a byte that begins no well-formed sequence
  static constexpr uint32_t kLinear = 8;            // moves searched one by one; longer lists are bisected

  struct State {
    uint32_t moves_begin = 0;  // its children: [moves_begin, the next state's moves_begin)
    uint32_t output = 0;       // this state if it ends a term, else its output_link
    uint32_t fail = 0;         // the longest proper suffix that is a state
  };
  struct End {
    uint32_t output_link = 0;  // nearest proper suffix state that ends a term (0: none)
    uint32_t first_term = kNone;
  };
  struct Move {
    uint32_t character;
    uint32_t target;
  };

  // The character at bytes[i], moving i past it.
  static uint32_t NextCharacter(const uint8_t* bytes, uint32_t size, uint32_t& i) {
    const uint8_t lead = bytes[i];
    auto at = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(bytes, at, static_cast<int32_t>(size), c);
    if (c < 0) {
      ++i;
      return kIllFormed + lead;
    }
    i = static_cast<uint32_t>(at);
    return static_cast<uint32_t>(c);
  }

  uint32_t FromStart(uint32_t character) const {
    return start_moves_[(static_cast<size_t>(start_pages_[character >> 8]) << 8) | (character & 0xFF)];
  }

  uint32_t Next(uint32_t state, uint32_t character) const {
    for (; state != 0; state = states_[state].fail) {
      const Move* first = moves_.data() + states_[state].moves_begin;
      const Move* last = moves_.data() + states_[state + 1].moves_begin;
      while (static_cast<uint32_t>(last - first) > kLinear) {
        const Move* mid = first + (last - first) / 2;
        if (mid->character <= character) first = mid;
        else last = mid;
      }
      for (; first != last; ++first)
        if (first->character == character) return first->target;
    }
    return FromStart(character);
  }

  std::vector<State> states_;  // one more than there are states: the last ends the moves
  std::vector<End> ends_;
  std::vector<Move> moves_;
  // The start state's moves: a page of 256 targets for each block of 256
  // characters (page 0: all zero, for blocks that begin no term).
  std::vector<uint16_t> start_pages_;
  std::vector<uint32_t> start_moves_;
  std::vector<uint32_t> term_next_;  // terms ending at the same state, chained
  std::vector<uint32_t> lengths_;
};

}  // namespace kefu::nlp
