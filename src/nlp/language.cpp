#include "nlp/language.h"

#include <cstdio>  // compact_lang_det.h needs FILE

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

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

}  // namespace

std::string TextLanguage(std::string_view text) {
  if (!IsValidUtf8(text)) return {};
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
