// Language of a customer's message (CLD2), with the customer's context as the
// tie-breaker. Thread-safe and allocation-free apart from the returned string.
//
//   DetectLanguage("Paket saya belum sampai", {.country = "MY", .fallback = "ms"}) -> "ms"
//   DetectLanguage("ok", {.country = "", .fallback = "zh-CN"})                     -> "zh"
#pragma once

#include <string>
#include <string_view>

namespace kefu::nlp {

struct LanguageHint {
  std::string country;   // ISO 3166 alpha-2 ("MY", "ID") or ""
  std::string fallback;  // the customer's language tag ("zh-CN", "en", "th") or ""
};

// The ISO 639-1 code of the text's language ("zh", "en", "th", "vi", "id",
// "ms", "ja", …). Indonesian and Malay are one language to CLD2 in practice,
// so a customer in Indonesia gets "id" and one in Malaysia, Brunei or
// Singapore gets "ms". A text too short or too mixed to be judged (and not in
// a script that names its language: Thai, Hangul, kana) gets the primary
// subtag of hint.fallback, lower-cased, or "" if there is none.
// A text whose letters are all Han (no kana, hangul, Latin…), at least four of
// them, is "zh", and one whose letters are all Thai, at least four, is "th"
// (a run of ASCII letters and digits with a digit in it, such as an order
// number "DD20240611" or a model "X200", counts as no letters),
// without asking CLD2: CLD2 names the same language or, for some short
// Chinese messages, is unsure (then the text still counts as Chinese here);
// a Japanese phrase in kanji only ("株式会社") is "zh" too.
std::string DetectLanguage(std::string_view text, const LanguageHint& hint);

// DetectLanguage in two steps, so that the work on the text can be done
// before the customer is known: what the text alone shows ("" when it is too
// short or mixed to judge), then the customer's context applied to that.
std::string TextLanguage(std::string_view text);
std::string ForCustomer(std::string text_language, const LanguageHint& hint);

}  // namespace kefu::nlp
