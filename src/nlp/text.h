// Text normalization and word segmentation shared by triage and (later) search.
//
// Both functions take UTF-8 and are thread-safe: the ICU break iterator is kept
// per thread (ICU objects must not be shared between threads); the NFKC
// case-fold normalizer is ICU's immutable singleton. Ill-formed UTF-8 is
// treated as U+FFFD, never an error.
//
//   Fold("ＡＢＣ ﬁle")          -> "abc file"
//   Words("我的快递三天没到！")  -> {"我的", "快递", "三天", "没", "到"} (per ICU's dictionary)
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::nlp {

// NFKC with full case folding (Unicode NFKC_Casefold): full-width forms become
// ASCII, ligatures are split, case differences disappear.
std::string Fold(std::string_view utf8);

// Traditional Chinese characters made simplified (ICU's Traditional-Simplified
// transliterator); other text is left as it is. "我們會採取法律行動" ->
// "我们会采取法律行动".
std::string ToSimplified(std::string_view utf8);

// Whether ToSimplified would change `utf8` (it has a traditional character).
bool HasTraditional(std::string_view utf8);

// The words of `utf8` per ICU's word-break rules (dictionary breaks for
// Chinese, Japanese, Thai, Lao, Khmer, Burmese), each folded; spaces,
// punctuation and symbols are dropped, numbers are kept.
std::vector<std::string> Words(std::string_view utf8);
// How a text handed to the word functions is: as written, or already folded
// (the output of Fold), which they then do not fold again.
enum class TextForm { kAsWritten, kFolded };

// The same words, one call each, without collecting them; a view is valid
// during its call only.
void ForEachWord(std::string_view utf8, const std::function<void(std::string_view)>& on_word,
                 TextForm form = TextForm::kAsWritten);

}  // namespace kefu::nlp
