// The emotion lexicon: data, not code. kefu ships a Chinese and English
// default; a department adds entries through the API, each checked by
// ValidateLexiconEntry before it is stored.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace kefu::nlp {

// One term and what it signals. Terms are matched on folded text (see Fold),
// so case and full-width forms do not matter. A term that begins or ends with
// a Latin letter or digit matches whole words only; a trailing '*' lets it
// match any word that begins with it ("lawyer*" matches "lawyers").
//
// kinds (weight meaning in brackets):
//   negative            a word of displeasure [strength in grade steps, 0.5..5: 1 mild, 2 clear, 3 strong]
//   positive            a word of satisfaction; counts only when negated ("不是很满意") [strength]
//   hedge               有点, a bit: mild on its own, and keeps the next negative word mild [strength]
//   intensifier         非常, 太, very: raises the next negative word [steps added, 0.25..3]
//   negation            不, 没, not: cancels a negative word, turns a positive one negative
//   neutral             counts for nothing, but hides the shorter terms inside it
//                       ("不好意思" hides "不好", "cancel my order" hides "cancel my")
//   repetition          又, 第三次, again [added to the score]
//   urgency             尽快, today, asap [added to the score]
//   resolved            已经解决, it's fixed: earlier complaints no longer raise the grade
//   threat.media, threat.regulator, threat.legal, threat.churn, threat.staff
//                       an action that is itself a threat (曝光, 起诉, sue, never buy again)
//                       [for churn: added to the score]
//   venue.media, venue.regulator, venue.legal, venue.churn
//                       a place or authority (微博, 12315, lawyer, 退订) that is a threat only with an
//                       intent or action in its clause ("我要发微博", "my lawyer will call")
//                       [for churn: added to the score]
//   intent              我要, 我会, I will: the customer states what they will do (or did: 我已经)
//   action              发到, 找, post, contact: a verb that takes a venue
//   condition           如果, 再不, if, unless: an ultimatum; a negation after it is not a disavowal
//   disavowal           不会, 不打算, won't: what follows in its clause is not intended; one that ends its clause
//                       (那事算了, 开玩笑的, just asking) takes back what its sentence said, unless it is negated
//                       (不是开玩笑的)
//   mention             看到, 听说, saw, friend: what follows is reported, not intended
//   contrast            但是, but: ends the reach of a negation, disavowal or mention
//   praise              夸夸, 表扬, a shout-out: going public in its clause (or the one before), or anywhere in a
//                       message with no word of displeasure, is to praise, not a media threat ("我要发条微博夸夸她")
//   continuation        续约, 续费, renew: staying a customer; refused by a disavowal earlier in its clause
//                       ("车险我不会在你们这续了", "we won't be renewing") it is churn, not in a question
//                       ("不续约的话要付违约金吗？", "no need to renew it, right?") nor after a mention
//                       [added to the score, like churn]
//   leaving             不报了, 以后换, another bank: a decision to leave said in a word; churn like venue.churn, and
//                       also stated alone in a message with clear displeasure at the service ("孩子的网课下学期不报了。
//                       …问什么都没人回"), not a neutral closure ("孩子毕业了，下学期就不报了") [added to the score]
//   when                明天, this week: a time; a short sentence saying it turns a venue named alone just before
//                       into a plan ("The ombudsman. This week.")
//   attempt             试试, watch me: a bare act of trying, which does the same ("12345管得了你们吗？那我试试看")
//   abbreviation        VIP, ASAP: a word in capitals that is no emphasis (terms in any case)
struct LexiconEntry {
  std::string kind;
  std::string term;
  double weight = 1;
  std::string language;  // "zh", "en", another ISO 639-1 code, or "" for any
};

// The kinds above, in a fixed order.
std::span<const std::string_view> LexiconKinds();

// Ok, or a validation error naming the field ("kind", "term", "weight",
// "language") and why.
Status ValidateLexiconEntry(const LexiconEntry& entry);

// The built-in Chinese and English lexicon.
const std::vector<LexiconEntry>& DefaultLexicon();

}  // namespace kefu::nlp
