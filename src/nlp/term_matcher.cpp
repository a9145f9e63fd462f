#include "nlp/term_matcher.h"

#include <map>
#include <queue>

namespace kefu::nlp {

TermMatcher::TermMatcher(const std::vector<std::string>& terms)
    : term_next_(terms.size(), kNone), lengths_(terms.size()) {
  // The trie, with ordered children.
  std::vector<std::map<uint8_t, uint32_t>> children(1);
  std::vector<uint32_t> depth(1, 0);
  states_.emplace_back();
  for (uint32_t t = 0; t < terms.size(); ++t) {
    uint32_t node = 0;
    for (char c : terms[t]) {
      auto [it, inserted] = children[node].try_emplace(static_cast<uint8_t>(c), static_cast<uint32_t>(states_.size()));
      if (inserted) {
        states_.emplace_back();
        children.emplace_back();
        depth.push_back(depth[node] + 1);
      }
      node = it->second;
    }
    lengths_[t] = static_cast<uint32_t>(terms[t].size());
    if (terms[t].empty()) continue;  // an empty term never matches
    term_next_[t] = states_[node].first_term;
    states_[node].first_term = t;
  }

  // Byte classes; class_[b] of a byte in no term stays 0, and so does every move on it.
  std::vector<uint8_t> class_byte(1, 0);  // a byte of each class
  for (const auto& node_children : children)
    for (auto [byte, child] : node_children) class_[byte] = 1;
  for (int b = 0; b < 256; ++b)
    if (class_[b] != 0) {
      class_[b] = static_cast<uint16_t>(class_byte.size());
      class_byte.push_back(static_cast<uint8_t>(b));
    }
  const size_t classes = class_byte.size();

  // Breadth-first, so that a state's failure state (shallower) is complete
  // before it. A dense state's row: its children, else its failure state's
  // moves. A deeper state lists its children and the moves its failure state
  // lists (when that is not dense itself), and falls back to the row of the
  // nearest dense state along its failure links.
  const size_t n = states_.size();
  std::vector<uint32_t> fail(n, 0);
  std::vector<std::map<uint8_t, uint32_t>> listed(n);
  auto next = [&](uint32_t state, uint8_t byte) {
    auto it = listed[state].find(byte);
    return it != listed[state].end() ? it->second : rows_[states_[state].row + class_[byte]];
  };
  std::queue<uint32_t> queue;
  queue.push(0);
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop();
    if (depth[node] <= kDenseDepth) {
      states_[node].row = static_cast<uint32_t>(rows_.size());
      rows_.resize(rows_.size() + classes, 0);
      for (size_t c = 1; c < classes; ++c) {
        auto child = children[node].find(class_byte[c]);
        rows_[states_[node].row + c] =
            child != children[node].end() ? child->second : node == 0 ? 0 : next(fail[node], class_byte[c]);
      }
    } else {
      states_[node].row = states_[fail[node]].row;
      listed[node] = children[node];
      for (auto [byte, target] : listed[fail[node]]) listed[node].try_emplace(byte, target);
    }
    for (auto [byte, child] : children[node]) {
      fail[child] = node == 0 ? 0 : next(fail[node], byte);
      const State& f = states_[fail[child]];
      states_[child].output_link = f.first_term != kNone ? fail[child] : f.output_link;
      queue.push(child);
    }
  }
  for (uint32_t s = 0; s < n; ++s) {
    states_[s].output = states_[s].first_term != kNone ? s : states_[s].output_link;
    states_[s].moves_begin = static_cast<uint32_t>(moves_.size());
    for (auto [byte, target] : listed[s]) moves_.push_back({byte, target});
  }
  states_.emplace_back();
  states_.back().moves_begin = static_cast<uint32_t>(moves_.size());
}

}  // namespace kefu::nlp
