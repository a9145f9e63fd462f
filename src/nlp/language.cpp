#include "nlp/language.h"

#include <algorithm>
#include <cstdio>  // compact_lang_det.h needs FILE

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <unicode/utf8.h>

#include "core/text.h"

namespace CLD2 {
const char* LanguageCode(Language lang);  // defined in libcld2; its header is internal
}

namespace kefu::nlp {
namespace {

// Below this many bytes of letters CLD2's answer is a guess.
constexpr int kMinLetterBytes = 12;

std::string PrimarySubtag(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// CLD2 still uses a few withdrawn ISO 639 codes.
std::string NormalizeCode(std::string_view cld2_code) {
  std::string code = PrimarySubtag(cld2_code);
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code == "in") return "id";
  return code;
}

std::string MalayOrIndonesian(std::string detected, std::string_view country) {
  if (country == "ID") return "id";
  if (country == "MY" || country == "BN" || country == "SG") return "ms";
  return detected;
}

// A script used by one language only: its language, else "".
std::string_view LanguageOfScript(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0xE0 || b0 >= 0xF0) continue;
    const char32_t cp = ((b0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
    if (cp >= 0x0E00 && cp <= 0x0E7F) return "th";
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF)) return "ja";
    if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F))
      return "ko";
  }
  return {};
}

// What a code point counts as for LanguageOfLetters.
enum class ScriptClass { kNeutral, kHan, kThai, kOther };

ScriptClass ClassOf(char32_t cp) {
  if (cp < 0x80) return ScriptClass::kNeutral;  // ASCII letters and digits are judged as runs (LanguageOfLetters)
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x3134F))
    return ScriptClass::kHan;
  if (cp >= 0x0E01 && cp <= 0x0E5B) return ScriptClass::kThai;
  // Digits, punctuation, symbols, spaces and emoji seen around Chinese and Thai;
  // any other code point (kana, hangul, Latin letters, …) counts as a letter
  // of another script.
  const bool neutral = (cp >= 0xA0 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) || cp == 0xD7 ||
                       cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
                       (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x2460 && cp <= 0x249B) ||
                       (cp >= 0x2500 && cp <= 0x27BF) || (cp >= 0x3000 && cp <= 0x3004) ||
                       (cp >= 0x3008 && cp <= 0x301F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
                       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF20) ||
                       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF64) ||
                       (cp >= 0xFFE0 && cp <= 0xFFEE) || (cp >= 0x1F000 && cp <= 0x1FAFF);
  return neutral ? ScriptClass::kNeutral : ScriptClass::kOther;
}

bool IsAsciiAlnum(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

// The language of valid UTF-8 whose letters are all Han ("zh") or all Thai
// ("th"), at least kMinLetterBytes of them; "" for any other text, which is
// left to CLD2. It spares CLD2 most complaints (see TextLanguage in the header).
std::string_view LanguageOfLetters(std::string_view text) {
  int han = 0, thai = 0;
  for (size_t i = 0; i < text.size();) {
    if (IsAsciiAlnum(static_cast<unsigned char>(text[i]))) {
      // A run of ASCII letters and digits with a digit in it (an order number,
      // a model: DD20240611, X200) is no word of any language.
      const size_t end = std::find_if_not(text.begin() + static_cast<ptrdiff_t>(i), text.end(),
                                          [](char c) { return IsAsciiAlnum(static_cast<unsigned char>(c)); }) -
                         text.begin();
      const std::string_view run = text.substr(i, end - i);
      if (!std::ranges::any_of(run, [](char c) { return c >= '0' && c <= '9'; })) return {};
      i = end;
      continue;
    }
    UChar32 cp;
    U8_NEXT_UNSAFE(text.data(), i, cp);  // the text is valid UTF-8 (TextLanguage checked)
    switch (ClassOf(static_cast<char32_t>(cp))) {
      case ScriptClass::kNeutral: break;
      case ScriptClass::kHan: ++han; break;
      case ScriptClass::kThai: ++thai; break;
      case ScriptClass::kOther: return {};
    }
  }
  constexpr int kMinLetters = kMinLetterBytes / 3;  // both scripts take 3 bytes a letter
  if (thai == 0 && han >= kMinLetters) return "zh";
  if (han == 0 && thai >= kMinLetters) return "th";
  return {};
}

}  // namespace

std::string TextLanguage(std::string_view text) {
  if (!IsValidUtf8(text)) return {};
  if (std::string_view by_letters = LanguageOfLetters(text); !by_letters.empty()) return std::string(by_letters);
  CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language top3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummary(text.data(), static_cast<int>(text.size()), true, &hints,
                                                             0, top3, percent3, score3, nullptr, &text_bytes, &reliable);
  if (reliable && lang != CLD2::UNKNOWN_LANGUAGE && text_bytes >= kMinLetterBytes)
    return NormalizeCode(CLD2::LanguageCode(lang));
  return std::string(LanguageOfScript(text));
}

std::string ForCustomer(std::string text_language, const LanguageHint& hint) {
  if (text_language.empty()) return PrimarySubtag(hint.fallback);
  if (text_language == "id" || text_language == "ms") return MalayOrIndonesian(std::move(text_language), hint.country);
  return text_language;
}

std::string DetectLanguage(std::string_view text, const LanguageHint& hint) {
  return ForCustomer(TextLanguage(text), hint);
}

}  // namespace kefu::nlp
