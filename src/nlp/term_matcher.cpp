#include "nlp/term_matcher.h"

#include <map>
#include <queue>

namespace kefu::nlp {

TermMatcher::TermMatcher(const std::vector<std::string>& terms)
    : term_next_(terms.size(), kNone), lengths_(terms.size()) {
  // The trie over characters, with ordered children.
  std::vector<std::map<uint32_t, uint32_t>> children(1);
  ends_.emplace_back();
  for (uint32_t t = 0; t < terms.size(); ++t) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(terms[t].data());
    const auto size = static_cast<uint32_t>(terms[t].size());
    uint32_t node = 0;
    for (uint32_t i = 0; i < size;) {
      auto [it, inserted] = children[node].try_emplace(NextCharacter(bytes, size, i), static_cast<uint32_t>(ends_.size()));
      if (inserted) {
        ends_.emplace_back();
        children.emplace_back();
      }
      node = it->second;
    }
    lengths_[t] = size;
    if (size == 0) continue;  // an empty term never matches
    term_next_[t] = ends_[node].first_term;
    ends_[node].first_term = t;
  }
  const size_t n = ends_.size();

  // The start state's moves: its children.
  constexpr size_t kPages = ((kIllFormed + 0xFF) >> 8) + 1;
  start_pages_.assign(kPages, 0);
  start_moves_.assign(256, 0);
  for (auto [character, child] : children[0]) {
    uint16_t& page = start_pages_[character >> 8];
    if (page == 0) {
      page = static_cast<uint16_t>(start_moves_.size() >> 8);
      start_moves_.resize(start_moves_.size() + 256, 0);
    }
    start_moves_[(static_cast<size_t>(page) << 8) | (character & 0xFF)] = child;
  }

  // Failure links, breadth-first so that a state's failure state (shallower)
  // has its own before it.
  std::vector<uint32_t> fail(n, 0);
  auto next = [&](uint32_t state, uint32_t character) {
    for (; state != 0; state = fail[state]) {
      auto it = children[state].find(character);
      if (it != children[state].end()) return it->second;
    }
    return FromStart(character);
  };
  std::queue<uint32_t> queue;
  queue.push(0);
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop();
    for (auto [character, child] : children[node]) {
      fail[child] = node == 0 ? 0 : next(fail[node], character);
      const End& f = ends_[fail[child]];
      ends_[child].output_link = f.first_term != kNone ? fail[child] : f.output_link;
      queue.push(child);
    }
  }
  states_.resize(n + 1);
  for (uint32_t s = 0; s < n; ++s) {
    states_[s].output = ends_[s].first_term != kNone ? s : ends_[s].output_link;
    states_[s].fail = fail[s];
    states_[s].moves_begin = static_cast<uint32_t>(moves_.size());
    if (s != 0)
      for (auto [character, target] : children[s]) moves_.push_back({character, target});
  }
  states_[n].moves_begin = static_cast<uint32_t>(moves_.size());
}

}  // namespace kefu::nlp
