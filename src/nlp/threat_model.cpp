#include "nlp/threat_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kefu::nlp {
namespace {

// Training: plain stochastic gradient descent on the logistic loss, the same
// shuffled order for every kind, a step that shrinks each pass.
constexpr int kPasses = 15;
constexpr float kStep = 0.5f;
constexpr float kL2 = 1e-3f;
// A feature seen fewer times than this in training keeps weight 0: one message's words are not evidence.
constexpr uint32_t kMinCount = 2;

constexpr uint64_t kFnvOffset = 14695981039346656037ull, kFnvPrime = 1099511628211ull;

uint64_t Mix(uint64_t h, std::string_view bytes) {
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return h;
}
uint64_t Mix(uint64_t h, char c) { return (h ^ static_cast<unsigned char>(c)) * kFnvPrime; }

uint32_t Bucket(uint64_t h) { return static_cast<uint32_t>((h ^ (h >> 29)) & (ThreatModel::kBuckets - 1)); }

// The bucket of one to three CJK characters (code points, the last one in c).
uint32_t CharBucket(uint32_t a, uint32_t b, uint32_t c, size_t n) {
  uint64_t h = c * 0x9E3779B97F4A7C15ull;
  if (n >= 2) h = (h ^ b) * 0xC2B2AE3D27D4EB4Full;
  if (n >= 3) h = (h ^ a) * 0x165667B19E3779F9ull;
  h ^= n;
  h *= 0xD6E8FEB86659FD93ull;
  return Bucket(h ^ (h >> 32));
}

bool IsWordByte(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\''; }

// Calls on_feature(bucket) for each feature of a folded text: every run of CJK characters (U+3040..U+9FFF,
// kana and ideographs, not CJK punctuation) gives its characters one, two and three at a time; Latin words
// (lower-case letters, digits, apostrophes) give themselves and each pair of consecutive words.
template <typename F>
void ForEachFeature(std::string_view s, F&& on_feature) {
  uint32_t before_last = 0, last = 0;  // the two CJK characters before this one in the run
  size_t run = 0;                      // CJK characters in the current run
  std::string_view previous_word;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xE3 && b <= 0xE9 && i + 2 < s.size()) {
      const uint32_t cp = ((b & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                          (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      if (cp >= 0x3040) {
        ++run;
        for (size_t n = 1; n <= std::min<size_t>(run, 3); ++n) on_feature(CharBucket(before_last, last, cp, n));
        before_last = last;
        last = cp;
        i += 3;
        continue;
      }
    }
    run = 0;
    if (IsWordByte(s[i])) {
      size_t j = i;
      while (j < s.size() && IsWordByte(s[j])) ++j;
      const std::string_view word = s.substr(i, j - i);
      on_feature(Bucket(Mix(Mix(kFnvOffset, 'w'), word)));
      if (!previous_word.empty())
        on_feature(Bucket(Mix(Mix(Mix(Mix(kFnvOffset, 'b'), previous_word), ' '), word)));
      previous_word = word;
      i = j;
      continue;
    }
    ++i;
  }
}

float Sigmoid(float z) { return 1 / (1 + std::exp(-std::clamp(z, -30.f, 30.f))); }

}  // namespace

ThreatModel ThreatModel::Train(std::span<const std::string> texts, std::span<const ThreatMask> kinds) {
  std::vector<std::vector<uint32_t>> features(texts.size());
  std::vector<uint32_t> counts(kBuckets);
  for (size_t i = 0; i < texts.size(); ++i)
    ForEachFeature(texts[i], [&](uint32_t f) {
      features[i].push_back(f);
      ++counts[f];
    });
  for (auto& f : features) std::erase_if(f, [&](uint32_t b) { return counts[b] < kMinCount; });

  ThreatModel m;
  m.weights_.assign(kBuckets, {});
  std::vector<size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  uint64_t state = 1;  // a fixed linear congruential generator: the same model on every run
  auto next = [&state](size_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((state >> 33) % bound);
  };
  for (int pass = 0; pass < kPasses; ++pass) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[next(i)]);
    const float step = kStep / static_cast<float>(1 + pass);
    for (size_t i : order) {
      for (size_t k = 0; k < kKinds; ++k) {
        float z = m.bias_[k];
        for (uint32_t f : features[i]) z += m.weights_[f][k];
        const float y = (kinds[i] >> k) & 1u ? 1.f : 0.f;
        const float g = Sigmoid(z) - y;
        m.bias_[k] -= step * g;
        for (uint32_t f : features[i]) m.weights_[f][k] -= step * (g + kL2 * m.weights_[f][k]);
      }
    }
  }
  return m;
}

std::array<float, ThreatModel::kKinds> ThreatModel::Scores(std::string_view folded) const {
  std::array<float, kKinds> z = bias_;
  ForEachFeature(folded, [&](uint32_t f) {
    for (size_t k = 0; k < kKinds; ++k) z[k] += weights_[f][k];
  });
  return z;
}

}  // namespace kefu::nlp
