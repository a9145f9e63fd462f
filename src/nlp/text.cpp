#include "nlp/text.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uniset.h>
#include <unicode/usetiter.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "core/text.h"

namespace kefu::nlp {
namespace {

const icu::Normalizer2& FoldingNormalizer() {
  static const icu::Normalizer2* normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) std::abort();  // ICU data missing: nothing sensible to do
    return n;
  }();
  return *normalizer;
}

// One word-break iterator per thread, cloned from a prototype built once.
icu::BreakIterator& ThreadWordBreaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !it) std::abort();
    return it;
  }();
  thread_local const std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return *mine;
}

// One Traditional-Simplified transliterator per thread, cloned from a prototype built once.
icu::Transliterator& ThreadSimplifier() {
  static const std::unique_ptr<icu::Transliterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t) std::abort();  // ICU data missing: nothing sensible to do
    return t;
  }();
  thread_local const std::unique_ptr<icu::Transliterator> mine(prototype->clone());
  return *mine;
}

// The characters the transliterator changes (its source set also holds many
// it leaves alone, such as 好), as a bitmap over the BMP, where they all are
// (a set of the rest, if any): one look-up per character instead of a search
// of the set's ranges.
class TraditionalCharacters {
 public:
  TraditionalCharacters() {
    icu::UnicodeSet candidates;
    ThreadSimplifier().getSourceSet(candidates);
    for (icu::UnicodeSetIterator it(candidates); it.next();) {
      if (it.isString()) continue;
      const UChar32 c = it.getCodepoint();
      icu::UnicodeString one(c);
      ThreadSimplifier().transliterate(one);
      if (one == icu::UnicodeString(c)) continue;
      if (c < 0x10000) bmp_[static_cast<size_t>(c) / 64] |= uint64_t{1} << (c % 64);
      else beyond_.add(c);
    }
    beyond_.freeze();
  }
  bool Contains(UChar32 c) const {
    return c < 0x10000 ? (bmp_[static_cast<size_t>(c) / 64] >> (c % 64)) & 1 : beyond_.contains(c);
  }

 private:
  std::array<uint64_t, 0x10000 / 64> bmp_{};
  icu::UnicodeSet beyond_;
};

}  // namespace

bool HasTraditional(std::string_view utf8) {
  static const TraditionalCharacters traditional;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && traditional.Contains(c)) return true;
  }
  return false;
}

std::string ToSimplified(std::string_view utf8) {
  // Most text has no traditional character: it is returned as it is, without
  // converting it to UTF-16.
  if (!HasTraditional(utf8)) return std::string(utf8);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  ThreadSimplifier().transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string Fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  FoldingNormalizer().normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                                    nullptr, status);
  if (U_FAILURE(status)) return std::string(utf8);
  return out;
}

void ForEachWord(std::string_view utf8, const std::function<void(std::string_view)>& on_word, TextForm form) {
  std::string own;
  if (form == TextForm::kAsWritten) own = Fold(utf8);
  std::string_view folded = form == TextForm::kAsWritten ? std::string_view(own) : utf8;
  // Break in UTF-16, ICU's native form: faster than a UTF-8 UText.
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
  if (!IsValidUtf8(folded)) {  // words are cut from well-formed UTF-8: ill-formed bytes as U+FFFD
    own.clear();
    text.toUTF8String(own);
    folded = own;
  }
  icu::BreakIterator& breaker = ThreadWordBreaker();
  breaker.setText(text);
  // Each word is cut out of `folded`: its UTF-16 offsets are followed in the
  // UTF-8, which only moves forward.
  const auto* bytes = reinterpret_cast<const uint8_t*>(folded.data());
  const auto length = static_cast<int32_t>(folded.size());
  int32_t at16 = 0, at8 = 0;
  auto to_utf8 = [&](int32_t offset16) {
    while (at16 < offset16 && at8 < length) {
      UChar32 c;
      U8_NEXT(bytes, at8, length, c);
      at16 += U16_LENGTH(c);
    }
    return at8;
  };
  int32_t start = breaker.first();
  for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE; start = end, end = breaker.next()) {
    if (breaker.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    const int32_t from = to_utf8(start);
    on_word(folded.substr(static_cast<size_t>(from), static_cast<size_t>(to_utf8(end) - from)));
  }
  // The iterator keeps a pointer to `text`; it is not read again before the next setText.
}

std::vector<std::string> Words(std::string_view utf8) {
  std::vector<std::string> words;
  ForEachWord(utf8, [&](std::string_view w) { words.emplace_back(w); });
  return words;
}

}  // namespace kefu::nlp
