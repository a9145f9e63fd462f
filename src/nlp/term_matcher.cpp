#include "nlp/term_matcher.h"

#include <algorithm>
#include <map>
#include <queue>

namespace kefu::nlp {

TermMatcher::TermMatcher(const std::vector<std::string>& terms)
    : term_next_(terms.size(), kNone), lengths_(terms.size()) {
  // Build the trie with ordered children, then flatten it into sorted edges.
  std::vector<std::map<uint8_t, uint32_t>> children(1);
  nodes_.emplace_back();
  for (uint32_t t = 0; t < terms.size(); ++t) {
    uint32_t node = 0;
    for (char c : terms[t]) {
      auto [it, inserted] = children[node].try_emplace(static_cast<uint8_t>(c), static_cast<uint32_t>(nodes_.size()));
      if (inserted) {
        nodes_.emplace_back();
        children.emplace_back();
      }
      node = it->second;
    }
    lengths_[t] = static_cast<uint32_t>(terms[t].size());
    if (terms[t].empty()) continue;  // an empty term never matches
    term_next_[t] = nodes_[node].first_term;
    nodes_[node].first_term = t;
    nodes_[node].has_output = true;
  }
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    nodes_[n].edges_begin = static_cast<uint32_t>(edges_.size());
    for (auto [byte, target] : children[n]) edges_.push_back({byte, target});
    nodes_[n].edges_end = static_cast<uint32_t>(edges_.size());
  }
  for (auto [byte, target] : children[0]) root_[byte] = target;

  // Breadth-first: failure and output links of a node come from its parent's.
  std::queue<uint32_t> queue;
  for (auto [byte, target] : children[0]) queue.push(target);
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop();
    for (auto [byte, child] : children[node]) {
      const uint32_t fail = Next(nodes_[node].fail, byte);
      nodes_[child].fail = fail;
      nodes_[child].output_link = nodes_[fail].has_output ? fail : nodes_[fail].output_link;
      queue.push(child);
    }
  }
}

uint32_t TermMatcher::Child(uint32_t node, uint8_t byte) const {
  const Edge* begin = edges_.data() + nodes_[node].edges_begin;
  const Edge* end = edges_.data() + nodes_[node].edges_end;
  const Edge* it = std::lower_bound(begin, end, byte, [](const Edge& e, uint8_t b) { return e.byte < b; });
  return it != end && it->byte == byte ? it->target : kNone;
}

uint32_t TermMatcher::Next(uint32_t state, uint8_t byte) const {
  while (state != 0) {
    if (uint32_t child = Child(state, byte); child != kNone) return child;
    state = nodes_[state].fail;
  }
  return root_[byte];
}

}  // namespace kefu::nlp
