#include "nlp/classifier.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <unordered_map>

#include "nlp/text.h"

namespace kefu::nlp {
namespace {

constexpr double kSmoothing = 0.5;  // additive (Lidstone) smoothing of word counts
constexpr std::string_view kMagic = "kefu-naive-bayes 1\n";

// FNV-1a, 64 bits: words are short, and the table keeps the whole hash.
uint64_t HashWord(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  return h;
}

bool IsCjkLead(unsigned char b) { return b >= 0xE3 && b <= 0xE9; }  // U+3000..U+9FFF in UTF-8

// Words, plus the two-character pieces of CJK words of three or more
// characters, so "物流信息" also counts as "物流", "流信", "信息".
// A view is valid during its call only.
void ForEachFeature(std::string_view text, const std::function<void(std::string_view)>& on_feature,
                    TextForm form = TextForm::kAsWritten) {
  ForEachWord(text, [&](std::string_view w) {
    on_feature(w);
    if (w.size() < 9 || w.size() % 3 != 0) return;
    for (size_t j = 0; j < w.size(); j += 3)
      if (!IsCjkLead(static_cast<unsigned char>(w[j]))) return;
    for (size_t j = 0; j + 6 <= w.size(); j += 3) on_feature(w.substr(j, 6));
  }, form);
}

// Length-prefixed strings: "<bytes>:<text>".
void PutString(std::string& out, std::string_view s) { fmt::format_to(std::back_inserter(out), "{}:{}", s.size(), s); }

class Reader {
 public:
  explicit Reader(std::string_view data) : rest_(data) {}
  bool Literal(std::string_view s) {
    if (!rest_.starts_with(s)) return false;
    rest_.remove_prefix(s.size());
    return true;
  }
  bool Number(uint32_t* v) {
    auto [p, ec] = std::from_chars(rest_.data(), rest_.data() + rest_.size(), *v);
    if (ec != std::errc()) return false;
    rest_.remove_prefix(static_cast<size_t>(p - rest_.data()));
    return true;
  }
  bool String(std::string* s) {
    uint32_t len = 0;
    if (!Number(&len) || !Literal(":") || rest_.size() < len) return false;
    s->assign(rest_.substr(0, len));
    rest_.remove_prefix(len);
    return true;
  }
  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

Classifier Classifier::Train(const std::vector<LabelledText>& examples) {
  Classifier c;
  std::map<std::string, uint32_t, std::less<>> label_ids;
  for (const LabelledText& e : examples)
    if (!e.label.empty()) label_ids.try_emplace(e.label, 0);
  for (auto& [label, id] : label_ids) {
    id = static_cast<uint32_t>(c.labels_.size());
    c.labels_.push_back(label);
  }
  c.documents_.assign(c.labels_.size(), 0);
  std::vector<std::map<uint32_t, uint32_t>> counts;
  std::unordered_map<std::string, uint32_t> seen;  // word -> index in words_
  for (const LabelledText& e : examples) {
    if (e.label.empty()) continue;
    const uint32_t label = label_ids.find(e.label)->second;
    ++c.documents_[label];
    ForEachFeature(e.text, [&](std::string_view f) {
      auto [it, added] = seen.try_emplace(std::string(f), static_cast<uint32_t>(c.words_.size()));
      if (added) {
        c.words_.push_back({std::string(f), {}});
        counts.emplace_back();
      }
      ++counts[it->second][label];
    });
  }
  for (size_t w = 0; w < c.words_.size(); ++w) c.words_[w].per_label.assign(counts[w].begin(), counts[w].end());
  c.Finish();
  return c;
}

bool Classifier::Finish() {
  const size_t labels = labels_.size();
  uint32_t total_documents = 0;
  for (uint32_t d : documents_) total_documents += d;
  log_prior_.resize(labels);
  for (size_t l = 0; l < labels; ++l)
    log_prior_[l] = std::log(static_cast<double>(documents_[l]) / static_cast<double>(std::max(total_documents, 1u)));
  std::vector<double> label_total(labels, 0);
  for (const WordCounts& w : words_)
    for (auto [label, n] : w.per_label) label_total[label] += n;
  const double vocabulary = static_cast<double>(words_.size());
  std::vector<float> log_unseen(labels);
  for (size_t l = 0; l < labels; ++l)
    log_unseen[l] = static_cast<float>(std::log(kSmoothing / (label_total[l] + kSmoothing * vocabulary)));
  log_likelihood_.resize(words_.size() * labels);
  for (size_t w = 0; w < words_.size(); ++w) {
    std::copy(log_unseen.begin(), log_unseen.end(), log_likelihood_.begin() + static_cast<ptrdiff_t>(w * labels));
    for (auto [label, n] : words_[w].per_label)
      log_likelihood_[w * labels + label] =
          static_cast<float>(std::log((n + kSmoothing) / (label_total[label] + kSmoothing * vocabulary)));
  }
  size_t size = 16;
  while (size < 2 * words_.size()) size *= 2;
  slots_.assign(size, Slot{});
  const size_t mask = size - 1;
  for (size_t w = 0; w < words_.size(); ++w) {
    const uint64_t h = HashWord(words_[w].word);
    if (const uint32_t same = Find(h); same != kNoWord) {
      if (words_[same].word == words_[w].word) return false;
      continue;  // another word with the same hash: left out (see Slot)
    }
    size_t i = h & mask;
    while (slots_[i].word != kNoWord) i = (i + 1) & mask;
    slots_[i] = Slot{h, static_cast<uint32_t>(w)};
  }
  return true;
}

uint32_t Classifier::Find(uint64_t hash) const {
  if (slots_.empty()) return kNoWord;
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.word == kNoWord || slot.hash == hash) return slot.word;
  }
}

std::vector<ScoredLabel> Classifier::Predict(std::string_view text, size_t top, TextForm form) const {
  const size_t labels = labels_.size();
  if (labels == 0) return {};
  std::vector<double> score = log_prior_;
  ForEachFeature(text, [&](std::string_view f) {
    const uint32_t w = Find(HashWord(f));
    if (w == kNoWord) return;
    const float* row = log_likelihood_.data() + static_cast<size_t>(w) * labels;
    for (size_t l = 0; l < labels; ++l) score[l] += row[l];
  }, form);
  const double best = *std::ranges::max_element(score);
  double sum = 0;
  for (double& s : score) sum += (s = std::exp(s - best));
  std::vector<ScoredLabel> out;
  out.reserve(labels);
  for (size_t l = 0; l < labels; ++l) out.push_back({labels_[l], score[l] / sum});
  const size_t n = std::min(top, labels);
  std::partial_sort(out.begin(), out.begin() + static_cast<ptrdiff_t>(n), out.end(),
                    [](const ScoredLabel& a, const ScoredLabel& b) {
                      return a.probability != b.probability ? a.probability > b.probability : a.label < b.label;
                    });
  out.resize(n);
  return out;
}

// Format: the magic line; "labels N\n" then N × "<string> <documents>\n";
// "words M\n" then M × "<string> <k> (<label> <count>)×k\n". The log
// probabilities are recomputed from these counts on load.
std::string Classifier::Serialize() const {
  std::string out(kMagic);
  fmt::format_to(std::back_inserter(out), "labels {}\n", labels_.size());
  for (size_t l = 0; l < labels_.size(); ++l) {
    PutString(out, labels_[l]);
    fmt::format_to(std::back_inserter(out), " {}\n", documents_[l]);
  }
  fmt::format_to(std::back_inserter(out), "words {}\n", words_.size());
  for (const WordCounts& w : words_) {
    PutString(out, w.word);
    fmt::format_to(std::back_inserter(out), " {}", w.per_label.size());
    for (auto [label, n] : w.per_label) fmt::format_to(std::back_inserter(out), " {} {}", label, n);
    out += '\n';
  }
  return out;
}

Result<Classifier> Classifier::Deserialize(std::string_view data) {
  auto corrupt = [](std::string_view what) {
    return Fail(Error::Validation("model", fmt::format("not a kefu classifier model: {}", what)));
  };
  Reader r(data);
  if (!r.Literal(kMagic)) return corrupt("unknown header");
  Classifier c;
  uint32_t labels = 0;
  if (!r.Literal("labels ") || !r.Number(&labels) || !r.Literal("\n")) return corrupt("label count");
  for (uint32_t l = 0; l < labels; ++l) {
    std::string label;
    uint32_t documents = 0;
    if (!r.String(&label) || !r.Literal(" ") || !r.Number(&documents) || !r.Literal("\n")) return corrupt("label");
    c.labels_.push_back(std::move(label));
    c.documents_.push_back(documents);
  }
  uint32_t words = 0;
  if (!r.Literal("words ") || !r.Number(&words) || !r.Literal("\n")) return corrupt("word count");
  for (uint32_t w = 0; w < words; ++w) {
    WordCounts wc;
    uint32_t k = 0;
    if (!r.String(&wc.word) || !r.Literal(" ") || !r.Number(&k)) return corrupt("word");
    for (uint32_t i = 0; i < k; ++i) {
      uint32_t label = 0, n = 0;
      if (!r.Literal(" ") || !r.Number(&label) || !r.Literal(" ") || !r.Number(&n) || label >= labels)
        return corrupt("word counts");
      wc.per_label.emplace_back(label, n);
    }
    if (!r.Literal("\n")) return corrupt("word line");
    c.words_.push_back(std::move(wc));
  }
  if (!r.AtEnd()) return corrupt("trailing data");
  if (!c.Finish()) return corrupt("duplicate word");
  return c;
}

}  // namespace kefu::nlp
