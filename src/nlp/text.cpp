#include "nlp/text.h"

#include <cstdlib>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>

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

}  // namespace

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

std::vector<std::string> Words(std::string_view utf8) {
  std::vector<std::string> words;
  const std::string folded = Fold(utf8);
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, folded.data(), static_cast<int64_t>(folded.size()), &status);
  if (U_FAILURE(status)) return words;
  icu::BreakIterator& breaker = ThreadWordBreaker();
  breaker.setText(text, status);
  if (U_SUCCESS(status)) {
    // With a UTF-8 UText the boundaries are byte offsets into `folded`.
    int32_t start = breaker.first();
    for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE; start = end, end = breaker.next()) {
      if (breaker.getRuleStatus() >= UBRK_WORD_NONE_LIMIT)
        words.emplace_back(folded.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
    }
  }
  // The iterator keeps its own shallow clone of the UText; it is not read
  // again before the next setText.
  utext_close(text);
  return words;
}

}  // namespace kefu::nlp
