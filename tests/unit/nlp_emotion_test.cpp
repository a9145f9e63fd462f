#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "nlp/emotion.h"
#include "nlp/text.h"

namespace kefu::nlp {
namespace {

const EmotionGrader& Default() {
  static const EmotionGrader grader(DefaultLexicon());
  return grader;
}

int GradeOf(std::string_view text, int prior = 0) { return Default().Grade(text, prior).grade; }

std::vector<ThreatKind> ThreatsOf(std::string_view text) { return Default().Grade(text).threats; }

bool HasCue(const EmotionResult& r, std::string_view kind) {
  return std::ranges::any_of(r.cues, [&](const EmotionCue& c) { return c.kind == kind; });
}

using Threats = std::vector<ThreatKind>;

TEST(NlpEmotion, NeutralQuestionsAreCalm) {
  EXPECT_EQ(GradeOf("请问退款一般几个工作日到账？"), 0);
  EXPECT_EQ(GradeOf("Hi, could you tell me when order #45821 will ship?"), 0);
  EXPECT_EQ(GradeOf("非常感谢！！！问题终于解决了"), 0);
}

TEST(NlpEmotion, NegationWeakensOrCancels) {
  EXPECT_EQ(GradeOf("满意"), 0);
  EXPECT_EQ(GradeOf("不是很满意"), 1);
  EXPECT_EQ(GradeOf("没有不满意的地方，就是想确认一下保修期"), 0);
  EXPECT_EQ(GradeOf("Not happy."), 1);
  EXPECT_EQ(GradeOf("Not bad at all, the new firmware fixed it."), 0);
  EXPECT_GT(GradeOf("一点都不满意"), GradeOf("不是很满意"));
}

TEST(NlpEmotion, IntensifiersRaiseANegativeWord) {
  EXPECT_GT(GradeOf("失望"), 0);
  EXPECT_GT(GradeOf("非常失望"), GradeOf("失望"));
  EXPECT_GT(GradeOf("I am extremely disappointed"), GradeOf("I am disappointed"));
  const EmotionResult r = Default().Grade("非常失望");
  EXPECT_TRUE(HasCue(r, "intensifier"));
  EXPECT_TRUE(HasCue(r, "word"));
}

TEST(NlpEmotion, RepetitionRaisesTheGrade) {
  EXPECT_GT(GradeOf("第三次了，我的宽带又断了，有点失望"), GradeOf("我的宽带断了，有点失望"));
  EXPECT_TRUE(HasCue(Default().Grade("Disconnected again, third time this week"), "repetition"));
}

TEST(NlpEmotion, ThreeExclamationMarksOnAComplaintAreAngry) {
  EXPECT_EQ(GradeOf("服务太差了！！！"), 3);
  EXPECT_LT(GradeOf("服务太差了"), 3);
  EXPECT_TRUE(HasCue(Default().Grade("服务太差了！！！"), "exclamation"));
}

TEST(NlpEmotion, ShoutingInCapitalsIsAngry) {
  EXPECT_EQ(GradeOf("THIS IS UNACCEPTABLE. I WANT MY MONEY BACK NOW."), 3);
  EXPECT_LT(GradeOf("This is unacceptable, I want my money back."), 3);
  EXPECT_TRUE(HasCue(Default().Grade("THIS IS UNACCEPTABLE."), "capitals"));
}

TEST(NlpEmotion, PriorComplaintsRaiseButNeverThreaten) {
  const char* text = "请问我的退款处理得怎么样了？";
  EXPECT_EQ(GradeOf(text, 0), 0);
  EXPECT_EQ(GradeOf(text, 1), 1);
  EXPECT_EQ(GradeOf(text, 3), 2);
  EXPECT_EQ(GradeOf("退款到现在还没到，麻烦今天给我一个准确的时间。", 3), 3);
  EXPECT_EQ(GradeOf(text, 5), 2);
  EXPECT_TRUE(HasCue(Default().Grade(text, 2), "prior_complaints"));
  EXPECT_EQ(GradeOf("之前投诉的问题已经处理好了，可以结单了。", 2), 0);
}

TEST(NlpEmotion, DetectsEachThreatKindInChinese) {
  EXPECT_EQ(ThreatsOf("再不解决我就去微博曝光你们！"), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("如果明天还不解决，我就去12315投诉。"), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("这是合同违约，我会让律师跟你们谈。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("再这样我就销户！"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(GradeOf("我要起诉你们！"), 4);
}

TEST(NlpEmotion, DetectsEachThreatKindInEnglish) {
  EXPECT_EQ(ThreatsOf("I'm going to the press with this."), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("I will be reporting this to the FCC."), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("My lawyer will be in touch."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("Never buying from you again."), Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, SeveralKindsAreAllTagged) {
  EXPECT_EQ(ThreatsOf("我要销户，还要去微博把你们的所作所为都说出来！"),
            (Threats{ThreatKind::kMedia, ThreatKind::kChurn}));
  EXPECT_EQ(ThreatsOf("Lawyer, BBB, Twitter: I'll do all of it."),
            (Threats{ThreatKind::kMedia, ThreatKind::kRegulator, ThreatKind::kLegal}));
}

TEST(NlpEmotion, ChurnAloneIsNotThreatening) {
  EXPECT_EQ(GradeOf("再这样我就销户！"), 3);
  EXPECT_LT(GradeOf("Please cancel my subscription from next month."), 4);
}

TEST(NlpEmotion, ADisavowalIsNotAThreat) {
  EXPECT_TRUE(ThreatsOf("我不会去曝光，只想尽快解决问题。").empty());
  EXPECT_TRUE(ThreatsOf("I'm not going to sue, I just want a refund.").empty());
  EXPECT_LT(GradeOf("我不会去曝光，只想尽快解决问题。"), 4);
}

TEST(NlpEmotion, AConditionAfterADisavowalIsAThreat) {
  EXPECT_EQ(ThreatsOf("我暂时不会去曝光，但如果周五还不退款，我一定会发到网上。"), Threats{ThreatKind::kMedia});
}

TEST(NlpEmotion, ADisavowalTakenBackLaterIsAThreat) {
  // A later clause turns against the disavowal ("but") with an intent that ends it.
  EXPECT_EQ(ThreatsOf("I wasn't going to sue, but after today's call I will."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I had no intention of suing. Now I do."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("说真的，我没想过要跟你们打官司，但现在看来不打不行了。"), Threats{ThreatKind::kLegal});
  // Without the turn, or with an intent about something else, the disavowal stands.
  EXPECT_EQ(ThreatsOf("I'm not going to sue, I just want the outage fixed."), Threats{});
  EXPECT_EQ(ThreatsOf("我不会起诉你们的，但是我要一个解释。"), Threats{});
}

TEST(NlpEmotion, AConditionInAQuestionDoesNotMakeAThreat) {
  EXPECT_EQ(ThreatsOf("Is there a fee if I cancel my subscription before the year is up?"), Threats{});
  EXPECT_EQ(ThreatsOf("If the router fails again, I'm cancelling my subscription."), Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, AMentionIsNotAThreat) {
  EXPECT_TRUE(ThreatsOf("我在抖音看到你们的广告，想问一下有没有蓝色的？").empty());
  EXPECT_TRUE(ThreatsOf("My lawyer friend said it's fine, is the battery covered?").empty());
  EXPECT_TRUE(ThreatsOf("I saw your ad on TikTok, does the blender come in black?").empty());
  EXPECT_TRUE(ThreatsOf("想问一下，销户需要本人去营业厅吗？").empty());
  EXPECT_TRUE(ThreatsOf("This issue has been open for a week.").empty());  // "sue" inside "issue"
}

TEST(NlpEmotion, LegalActionInItsManyForms) {
  EXPECT_EQ(ThreatsOf("我司已启动诉讼程序。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("你们就等着吃官司吧。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我们将通过司法途径解决。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I am instructing solicitors today."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("You'll be hearing from my solicitor."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("Unless this is resolved, I will begin arbitration proceedings."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我們會採取法律行動，等著收律師函吧。"), Threats{ThreatKind::kLegal});  // traditional characters
  // An errand at a court or police station, a lawyer friend's advice, another matter long ago.
  EXPECT_EQ(ThreatsOf("我下周二要去法院办点事，能改期吗？"), Threats{});
  EXPECT_EQ(ThreatsOf("我去年在法院打过官司，所以知道流程。"), Threats{});
  EXPECT_EQ(ThreatsOf("My lawyer friend told me to check the warranty."), Threats{});
  EXPECT_EQ(ThreatsOf("No need to involve the police, I just want a refund."), Threats{});
  // Courts as a meeting place, suing into the ground, a judge, lawyering up, a demand letter.
  EXPECT_EQ(ThreatsOf("那咱们法院门口见吧。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("行，我们法庭上说。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我就算倾家荡产也要告到你们倒闭！"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("You can explain to a judge why you charged me twice."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I'm lawyering up."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("He's drafting a demand letter as we speak."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("律師信下星期會寄到你們公司。"), Threats{ThreatKind::kLegal});  // Hong Kong usage
  // Someone else's case, a case filed long ago, a police report about something else, passing a message on.
  EXPECT_EQ(ThreatsOf("新闻里说有人起诉了外卖平台，帮我查下订单。"), Threats{});
  EXPECT_EQ(ThreatsOf("We sued our previous landlord years ago. Does this plan have an exit fee?"), Threats{});
  EXPECT_EQ(ThreatsOf("I need my receipt for a police report about my stolen bike."), Threats{});
  EXPECT_EQ(ThreatsOf("請轉告你們的業務經理，下週見。"), Threats{});
}

TEST(NlpEmotion, LeavingSaidAsANegatedContinuationIsChurn) {
  EXPECT_EQ(ThreatsOf("明年的合同我们不会再续约了。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("We will not be renewing our contract."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("If the app crashes one more time I'm deleting my account."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("I'm not going to cancel my account over this."), Threats{});
  EXPECT_EQ(ThreatsOf("Cancel the extra charge please."), Threats{});
  // Leaving said in other ways; and switching to us, or someone else switching, is not leaving.
  EXPECT_EQ(ThreatsOf("受够了，这个月底我就把所有业务转走。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("我們公司明年不會再跟你們續約了。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("One more missed delivery and I'm out."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("I want to cancel."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("合約到期我就攜出。"), Threats{ThreatKind::kChurn});  // Taiwan usage
  EXPECT_EQ(ThreatsOf("Cancel. My. Subscription."), Threats{ThreatKind::kChurn});  // one word at a time, with emphasis
  EXPECT_EQ(ThreatsOf("Cancel. Thanks."), Threats{});
  EXPECT_EQ(ThreatsOf("以前用电信的，后来携号转网到你们这里，体验挺好。"), Threats{});
  EXPECT_EQ(ThreatsOf("我妈说要换运营商，我劝她别换了。"), Threats{});
  EXPECT_EQ(ThreatsOf("I'm out of data already, can I buy an add-on?"), Threats{});
  EXPECT_EQ(ThreatsOf("Please unsubscribe me from the newsletter."), Threats{});
}

TEST(NlpEmotion, AVenueInAQuestionNeedsAnIntentAboutIt) {
  // The intent that answers the question: carried out by an action, or ending its clause.
  EXPECT_EQ(ThreatsOf("你们不怕上新闻吗？我这就把材料发给他。"), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("逼我去消协是吧？好，我这就去。"), Threats{ThreatKind::kRegulator});
  // An intent about something else.
  EXPECT_EQ(ThreatsOf("销户以后余额怎么退？我要出国了。"), Threats{});
}

TEST(NlpEmotion, AThreatAgainstStaffIsGradeFourWithoutAKind) {
  const EmotionResult r = Default().Grade("I know where you live. Watch yourself.");
  EXPECT_EQ(r.grade, 4);
  EXPECT_TRUE(r.threats.empty());
  EXPECT_EQ(GradeOf("下班别让我碰到那个客服。"), 4);
}

TEST(NlpEmotion, CustomEntriesExtendTheLexicon) {
  std::vector<LexiconEntry> lexicon = DefaultLexicon();
  EXPECT_EQ(GradeOf("这服务真拉胯"), 0);
  EXPECT_TRUE(ThreatsOf("我要去找海关").empty());
  lexicon.push_back({"negative", "拉胯", 3, "zh"});
  lexicon.push_back({"venue.regulator", "海关", 1, "zh"});
  const EmotionGrader extended(std::move(lexicon));
  EXPECT_EQ(extended.Grade("这服务真拉胯").grade, 3);
  EXPECT_EQ(extended.Grade("我要去找海关").threats, Threats{ThreatKind::kRegulator});
}

// The times and acts that carry a venue into a short next sentence, and the
// abbreviations that are no emphasis, are lexicon data a department extends.
TEST(NlpEmotion, CustomTimesAttemptsAndAbbreviationsExtendTheLexicon) {
  std::vector<LexiconEntry> lexicon = DefaultLexicon();
  EXPECT_TRUE(ThreatsOf("受够了。消协。月底。").empty());
  EXPECT_TRUE(ThreatsOf("12345管得了你们吗？那我碰碰运气").empty());
  const char* kyc = "This is useless, the KYC form is broken and I cannot open my account.";
  const char* lower = "This is useless, the kyc form is broken and I cannot open my account.";
  EXPECT_GT(Default().Grade(kyc).score, Default().Grade(lower).score) << "capitals are emphasis by default";
  lexicon.push_back({"when", "月底", 1, "zh"});
  lexicon.push_back({"attempt", "碰碰运气", 1, "zh"});
  lexicon.push_back({"abbreviation", "kyc", 1, "en"});
  const EmotionGrader extended(std::move(lexicon));
  EXPECT_EQ(extended.Grade("受够了。消协。月底。").threats, Threats{ThreatKind::kRegulator});
  EXPECT_EQ(extended.Grade("12345管得了你们吗？那我碰碰运气").threats, Threats{ThreatKind::kRegulator});
  EXPECT_EQ(extended.Grade(kyc).score, extended.Grade(lower).score);
}

TEST(NlpEmotion, InvalidEntriesAreIgnored) {
  const EmotionGrader grader({{"negative", "", 3, "zh"}, {"anger", "气死", 3, "zh"}, {"negative", "烦", 99, "zh"}});
  EXPECT_EQ(grader.Grade("烦死了，气死").grade, 0);
}

TEST(NlpEmotion, GradesConcurrently) {
  const std::vector<std::string> texts = {"非常失望！", "我要起诉你们", "请问几点发货？", "THIS IS A SCAM!!!"};
  std::vector<int> expected;
  for (const auto& t : texts) expected.push_back(GradeOf(t));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < 200; ++n)
        for (size_t k = 0; k < texts.size(); ++k) mismatches[i] += Default().Grade(texts[k]).grade != expected[k];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(NlpLexicon, ValidationNamesTheField) {
  auto field_of = [](const LexiconEntry& e) {
    auto s = ValidateLexiconEntry(e);
    return s ? std::string() : s.error().field;
  };
  EXPECT_EQ(field_of({"negative", "气死", 3, "zh"}), "");
  EXPECT_EQ(field_of({"venue.media", "tiktok*", 1, "en"}), "");
  EXPECT_EQ(field_of({"anger", "气死", 3, "zh"}), "kind");
  EXPECT_EQ(field_of({"negative", "", 3, "zh"}), "term");
  EXPECT_EQ(field_of({"negative", "   ", 3, "zh"}), "term");
  EXPECT_EQ(field_of({"negative", "lo*ser", 3, "en"}), "term");
  EXPECT_EQ(field_of({"negative", "a\nb", 3, "en"}), "term");
  EXPECT_EQ(field_of({"negative", "气死", 9, "zh"}), "weight");
  EXPECT_EQ(field_of({"intensifier", "very", 0, "en"}), "weight");
  EXPECT_EQ(field_of({"negative", "气死", 3, "zho"}), "language");
  auto s = ValidateLexiconEntry({"anger", "x", 1, ""});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("negative"), std::string::npos);  // lists the allowed kinds
}

TEST(NlpLexicon, DefaultLexiconIsValid) {
  ASSERT_GT(DefaultLexicon().size(), 500u);
  for (const LexiconEntry& e : DefaultLexicon()) EXPECT_TRUE(ValidateLexiconEntry(e)) << e.kind << " " << e.term;
}

TEST(NlpEmotion, LeavingAGameABrandOrAProviderIsChurn) {
  EXPECT_EQ(ThreatsOf("这个手游我退坑了，以后一分钱都不会再充。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("这家的外卖我弃了，太难吃。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("酒店前台态度这么差，我再也不住你们家了。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("I've cancelled my gym membership, the showers have been broken for a month."),
            Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("We are terminating our maintenance agreement at the end of the quarter."),
            Threats{ThreatKind::kChurn});
  // Giving up on waiting, a cancelled order and a friend who left are not churn.
  EXPECT_EQ(ThreatsOf("我放弃了，你们慢慢查吧。"), Threats{});
  EXPECT_EQ(ThreatsOf("I cancelled my order by mistake, can you restore it?"), Threats{});
  EXPECT_EQ(ThreatsOf("我同学弃了这个游戏，我还在玩，想问个充值问题。"), Threats{});
}

TEST(NlpEmotion, LeavingStatedWithoutAnIntentIsChurnWithClearDispleasure) {
  const EmotionGrader rules(DefaultLexicon(), nullptr);
  auto threats = [&](std::string_view text) { return rules.Grade(text).threats; };
  EXPECT_EQ(threats("瑜伽课下个月不练了，教练天天迟到，前台也没人管。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(threats("存款到期后全部转到别的银行，柜台服务太差了。"), Threats{ThreatKind::kChurn});
  // Without displeasure it is a neutral closure; asked about, it waits for an intent.
  EXPECT_TRUE(threats("孩子毕业了，下学期的课就不报了，剩下的课时怎么退？").empty());
  EXPECT_TRUE(threats("以后用支付宝付款可以吗？").empty());
  EXPECT_TRUE(threats("以后用这个邮箱联系我就行。").empty());
  EXPECT_TRUE(threats("我退订了营销短信，还是一直收到，太烦了。").empty());
  // A closure the customer is still billed after is not a decision said in a word.
  EXPECT_TRUE(threats("我上个月就注销了，结果还在扣钱，太过分了！").empty());
}

TEST(NlpEmotion, MovingTheMoneyOrTheNumberOrTheSupplierIsChurn) {
  EXPECT_EQ(ThreatsOf("Porting to EE on Friday, the signal here is hopeless."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("Send me my PAC code please, I've had enough."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("I'm moving my mortgage when the fixed rate ends. Nobody answers the phone."),
            Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("We're switching energy suppliers, the bills have been wrong for months."),
            Threats{ThreatKind::kChurn});
  EXPECT_TRUE(ThreatsOf("We're switching phone cases for the new model, do you have the blue one?").empty());
  EXPECT_TRUE(ThreatsOf("I stopped using the old charger like you said, and it works now.").empty());
  EXPECT_EQ(ThreatsOf("车都租不明白，下次我宁可打车也不找你们了。"), Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, LegalStepsAndPublicProtestsAreThreats) {
  EXPECT_EQ(ThreatsOf("维修前后的照片我已经拿去公证了。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("Refund me or a judge can decide who is right."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("The whole file goes to my lawyer on Monday."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("We'll be protesting outside your head office next week."), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("A journalist rang me about the recall and I agreed to an interview."),
            Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("I'm writing this up for my blog tonight."), Threats{ThreatKind::kMedia});
  // A judge met at work, a white picket fence and a notary for a house sale are not threats.
  EXPECT_TRUE(ThreatsOf("My wife is a judge and can't take calls at work, please email instead.").empty());
  EXPECT_TRUE(ThreatsOf("The parcel was left by the white picket fence, thanks!").empty());
}

TEST(NlpEmotion, AThreatTakenBackAsAJokeIsWithdrawnUnlessTheJokeIsDenied) {
  EXPECT_TRUE(ThreatsOf("等这么久我都想去消协了哈哈，开玩笑的，不急。").empty());
  EXPECT_TRUE(ThreatsOf("maybe i should call the ftc lol jk, any update on my refund?").empty());
  EXPECT_EQ(ThreatsOf("告你们不是开玩笑的，律师已经在写起诉状了。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I'm not joking, I will sue."), Threats{ThreatKind::kLegal});
}

TEST(NlpEmotion, GoingPublicInAMessageOfPraiseWithoutDispleasureIsNotMedia) {
  EXPECT_TRUE(ThreatsOf("Loved the new menu!! Putting the photos on Instagram tonight.").empty());
  // Praise beside a word of displeasure does not cancel the post.
  EXPECT_EQ(ThreatsOf("Loved the haircut, but the receptionist was rude. Posting on Facebook."),
            Threats{ThreatKind::kMedia});
}

TEST(NlpEmotion, ThreatsToldAsAlreadyDoneAreThreats) {
  EXPECT_EQ(ThreatsOf("I've closed my account. Twelve years, and this is how you treat me."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("Already signed up with Sky, the engineer comes Tuesday."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("We've issued proceedings in the county court."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我在网上立了案，等法院通知吧。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我已经请了代理律师，后面请和他对接。"), Threats{ThreatKind::kLegal});
  // The company closing the account, or another bank, is no threat of the customer's.
  EXPECT_TRUE(ThreatsOf("You closed my account without any warning, why?").empty());
}

TEST(NlpEmotion, LeavingSaidAsAFarewellAndTheCourtLeftToDecideAreThreats) {
  EXPECT_EQ(ThreatsOf("行了，不伺候了，你们自己玩吧。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("Find yourself another customer. Unbelievable."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("你们店我拉黑了，什么玩意。"), Threats{ThreatKind::kChurn});
  EXPECT_TRUE(ThreatsOf("推销电话我全拉黑了，把我从外呼名单里删掉。").empty());
  EXPECT_EQ(ThreatsOf("谁对谁错，让法院来判。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I have a police case number for the theft at your depot."), Threats{ThreatKind::kLegal});
}

TEST(NlpEmotion, LegalStepsTakenOrAdvisedOnTheCustomersCaseAreLegal) {
  EXPECT_EQ(ThreatsOf("律师说你们这属于虚假宣传，赔偿跑不了。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("Filing fee paid. See you there."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("Please treat this as a letter of claim."), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("I have cc'd my solicitor."), Threats{ThreatKind::kLegal});
  EXPECT_TRUE(ThreatsOf("My lawyer friend said I should read the warranty terms first.").empty());
  EXPECT_TRUE(ThreatsOf("我在法院上班，开庭时间经常变，送货能不能晚上？").empty());
}

TEST(NlpEmotion, LeavingForARivalOrByNoticeIsChurn) {
  EXPECT_EQ(ThreatsOf("我们店的收款码都换成别家的了。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("Found a better deal elsewhere, thanks for nothing."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("We won't be extending the lease after what happened."), Threats{ThreatKind::kChurn});
  // Another bank's card closed before the customer came to us, a stay not extended and notice given on a flat are
  // not leaving us.
  EXPECT_TRUE(ThreatsOf("We won't be extending the stay, please check us out on Friday as booked.").empty());
  EXPECT_TRUE(ThreatsOf("I've given notice on my flat, so please deliver the sofa to the new address.").empty());
  EXPECT_TRUE(ThreatsOf("上个月把那边的卡销了，所以来你们这开户，要带什么？").empty());
}

TEST(NlpEmotion, ComplaintsABodyHoldsAndPostsThatWentOutAreThreats) {
  EXPECT_EQ(ThreatsOf("材料已经寄给市场监管局了。"), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("Ofcom has my complaint, reference attached."), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("Channel 7 is running my story on Friday."), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("Posted on X with the receipts, it's everywhere now."), Threats{ThreatKind::kMedia});
  EXPECT_TRUE(ThreatsOf("退货已经寄到你们仓库了，请查收。").empty());
}

TEST(NlpEmotion, LeavingSaidNotToBeBecauseOfTheServiceIsNotChurn) {
  EXPECT_TRUE(ThreatsOf("【电话记录】客户要求注销宽带，称要搬去外地，与服务无关，语气平和。").empty());
  EXPECT_TRUE(ThreatsOf("Please close my account, nothing to do with your service, I'm moving abroad.").empty());
  // Only in the sentence that says so.
  EXPECT_EQ(ThreatsOf("Please close my account. The fees are a joke, and it has nothing to do with the service."),
            Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, CantoneseAndMisspeltThreatsAreThreats) {
  EXPECT_EQ(ThreatsOf("我尋日已經報咗警。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("約滿我就轉台。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("i already spoke to a laywer about this"), Threats{ThreatKind::kLegal});
}

TEST(NlpEmotion, ASuccessorFoundOrKeepingTheCustomerRefusedIsChurn) {
  EXPECT_EQ(ThreatsOf("保洁这块我们已经找好下家了，月底交接。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("别挽留了，这个月就停。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("Don't try to keep me, the answer is no."), Threats{ThreatKind::kChurn});
  // A new supplier of the customer's may be anyone's; a notary visited for a house sale is no legal step.
  EXPECT_TRUE(ThreatsOf("Our new supplier sent the wrong invoice, can you help me read it?").empty());
  EXPECT_TRUE(ThreatsOf("买房要去公证处办手续，能不能改一下上门时间？").empty());
}

TEST(NlpEmotion, RegulatorsOfEachTradeAndPlaceAreVenues) {
  EXPECT_EQ(ThreatsOf("保单理赔拖了三个月，我已经写信去金管会了。"), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("Your airline stranded us overnight. A complaint to the DOT went in this morning."),
            Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("Water bill tripled. Ofwat complaint lodged."), Threats{ThreatKind::kRegulator});
}

TEST(NlpEmotion, PostsThatGoUpOrWereMadeAreMedia) {
  EXPECT_EQ(ThreatsOf("Refund me by Friday or the whole chat log goes up on Reddit."), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("Made a video about your exploding charger, it is already trending."),
            Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("不给说法我就把你们挂网上。"), Threats{ThreatKind::kMedia});
  EXPECT_EQ(ThreatsOf("我还要去小红书发个笔记提醒大家。"), Threats{ThreatKind::kMedia});
  // The internet as the service that failed is not a place to post.
  EXPECT_EQ(ThreatsOf("If the internet drops again tonight I will lose my job interview."), Threats{});
}

TEST(NlpEmotion, AListOfVenuesWithSpacesIsStillAList) {
  EXPECT_EQ(ThreatsOf("The press, the ombudsman, my attorney - I'll use all three if you keep stalling."),
            (Threats{ThreatKind::kMedia, ThreatKind::kRegulator, ThreatKind::kLegal}));
}

TEST(NlpEmotion, AWithdrawalTurnedWithAConditionComesBackInALaterClause) {
  EXPECT_EQ(ThreatsOf("我真不想去找消协，可是下周前再不修好，那也没别的办法，只能去了。"),
            Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("我不会去投诉，但是如果今天能退款就最好了。谢谢，我等着。"), Threats{});
}

TEST(NlpEmotion, GoingPublicToPraiseIsNotAMediaThreat) {
  EXPECT_EQ(ThreatsOf("师傅装得又快又好，我要发个抖音表扬一下他。"), Threats{});
  EXPECT_EQ(ThreatsOf("Loved the help today, I'll give your agent a shout-out on Instagram!"), Threats{});
  // Praise elsewhere in the message does not cancel a complaint taken public.
  EXPECT_EQ(ThreatsOf("客服态度值得表扬，但是物流太差了，我要发微博曝光。"), Threats{ThreatKind::kMedia});
}

TEST(NlpEmotion, AVenueThatEndsItsClauseWithJianIsAnUltimatum) {
  EXPECT_EQ(ThreatsOf("押金再不退，下周消协见。"), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("我在微博见过你们的广告，想问问活动还有吗？"), Threats{});
}

TEST(NlpEmotion, ABodyNamedInOneClauseAndGoneToInTheNextIsAThreat) {
  EXPECT_EQ(ThreatsOf("这种纠纷归消协管，下午我就过去。"), Threats{ThreatKind::kRegulator});
  // The verb must end the clause: going somewhere to do something else is not about the body.
  EXPECT_EQ(ThreatsOf("我是在抖音上下的单，我要去退货。"), Threats{});
  // An act already done (了) ends the clause too.
  EXPECT_EQ(ThreatsOf("这种纠纷归消协管，材料我已经寄出去了。"), Threats{ThreatKind::kRegulator});
}

TEST(NlpEmotion, AskingHowToLeaveWithClearDispleasureIsChurn) {
  const EmotionGrader rules(DefaultLexicon(), nullptr);  // the rules alone, without the threat model
  auto threats = [&](std::string_view text) { return rules.Grade(text).threats; };
  EXPECT_EQ(threats("携号转网怎么办理？你们的信号在我家一格都没有，报修两次也没用。"), Threats{ThreatKind::kChurn});
  // A neutral reason, mild displeasure, or a question taken back is no churn.
  EXPECT_TRUE(threats("携号转网怎么办理？我下个月要搬去外地了。").empty());
  EXPECT_TRUE(threats("怎么注销账户？有点不方便。").empty());
  EXPECT_TRUE(threats("携号转网怎么办理？不是要转，就是问问，你们的信号真的太差了。").empty());
}

TEST(NlpEmotion, AVenueAskedAboutAndAnsweredWithWhereThisIsHeadingIsAThreat) {
  EXPECT_EQ(ThreatsOf("Do you want to explain this to a judge? Because that's where this is heading."),
            Threats{ThreatKind::kLegal});
}

TEST(NlpEmotion, StayingOnRefusedIsChurn) {
  const EmotionGrader rules(DefaultLexicon(), nullptr);  // the rules alone, without the threat model
  auto threats = [&](std::string_view text) { return rules.Grade(text).threats; };
  EXPECT_EQ(threats("车险我肯定不会在你们这续了，理赔拖了三个月。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(threats("明年的合同我们不打算续签了。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(threats("We won't be renewing the support contract in June."), Threats{ThreatKind::kChurn});
  EXPECT_EQ(threats("如果这周还修不好，我不打算续费了。"), Threats{ThreatKind::kChurn});
  // Staying on is nothing by itself, asked about, or after a mention; a hedged refusal is no ultimatum.
  EXPECT_TRUE(threats("续费成功了，谢谢。").empty());
  EXPECT_TRUE(threats("不续约的话要付违约金吗？").empty());
  EXPECT_TRUE(threats("听说别人都不打算续约了，我想问问新套餐。").empty());
  EXPECT_TRUE(threats("我暂时不续费，先用着看。").empty());
  EXPECT_TRUE(threats("还没续费，明天去交。").empty());
}

TEST(NlpEmotion, RenewingDisavowedOrAskedAboutWithATagIsNotChurn) {
  const EmotionGrader rules(DefaultLexicon(), nullptr);
  auto threats = [&](std::string_view text) { return rules.Grade(text).threats; };
  EXPECT_TRUE(threats("No need to renew the warranty, right?").empty());
  EXPECT_TRUE(threats("今年不用续费了，对吧？").empty());
  EXPECT_TRUE(threats("我不是要续约，就是问问。").empty());
  EXPECT_TRUE(threats("I don't want to renew yet, just asking.").empty());
  // A tag longer than a few words is a question of its own; a curt "不用了" is no take-back.
  EXPECT_EQ(threats("We won't be renewing, and why would we after this?"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(threats("信号差成这样，月底帮我办携号转网，不用了。"), Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, AnIntentReportedFromAnEarlierTimeIsNotAThreat) {
  EXPECT_EQ(ThreatsOf("之前说要去消协是气话，现在已经处理好了，谢谢。"), Threats{});
}

TEST(NlpEmotion, AnIntentFollowedByAConditionTakesUpTheBodyOfTheClauseBefore) {
  // A body named, then "that's where I'm going if …": an ultimatum about it.
  EXPECT_EQ(ThreatsOf("The energy ombudsman handles billing disputes, and that's where I'm going if the bill isn't corrected."),
            Threats{ThreatKind::kRegulator});
  // A body asked about, then the same.
  EXPECT_EQ(ThreatsOf("small claims? that's where I'm headed if the deposit isn't back by friday"),
            Threats{ThreatKind::kLegal});
  // The condition comes first: the intent is about something else.
  EXPECT_EQ(ThreatsOf("我是在抖音上下的单，如果明天还不到我就退货。"), Threats{});
}

TEST(NlpEmotion, AWordInQuotesAfterAnIntensifierIsSarcasm) {
  // Not only the positive words of the lexicon: any short word in scare quotes.
  EXPECT_EQ(GradeOf("真是“靠谱”啊，装个空调约了三回。"), 2);
  EXPECT_EQ(GradeOf("So \"seamless\" migration. Lost half my contacts."), 2);
  // Counted once when the quoted word is itself a positive word.
  EXPECT_EQ(GradeOf("Really \"fast\" delivery."), 2);
  // Quotes that are not after an intensifier are a title or a name.
  EXPECT_EQ(GradeOf("请问“畅享套餐”还能办理吗？"), 0);
}

TEST(NlpEmotion, AConditionWhoseSentenceGoesOnToAskIsNotAnUltimatum) {
  EXPECT_EQ(ThreatsOf("If I end my subscription, is there a fee?"), Threats{});
  EXPECT_EQ(ThreatsOf("如果我退订的话，要交违约金吗？"), Threats{});
  // An intent still states the threat, whatever question follows.
  EXPECT_EQ(ThreatsOf("不退钱我就起诉你们，听懂了吗？"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("If this isn't fixed, I'm cancelling, got it?"), Threats{ThreatKind::kChurn});
}

TEST(NlpEmotion, TheAbbreviationsOfTelecomAndBankingAreNotEmphasis) {
  // A SIM, a PAC code, an ISP, an IBAN are written in capitals; they are not words said louder.
  EXPECT_EQ(Default().Grade("The signal is a bit weak here, could you send me the PAC code and a new SIM?").score,
            Default().Grade("The signal is a bit weak here, could you send me the pac code and a new sim?").score);
}

// Triage grades the text before it knows the customer and adds the earlier
// complaints afterwards; that must give what grading with them gives.
TEST(NlpEmotion, AddingPriorComplaintsLaterGivesTheSameGradeAsGradingWithThem) {
  for (std::string_view text :
       {"请问退款一般几个工作日到账？", "快递比预计的晚了两天，有点失望。", "客服把我转给售后，售后又让我找客服，到底谁管？",
        "你们这是什么垃圾服务！！！", "如果明天还不解决，我就去12315投诉。", "问题已经解决了，谢谢。",
        "Not great. The colour is a lot duller than in the photos.", "My lawyer will be in touch.",
        "Thanks, it's sorted now.", "THIS IS UNACCEPTABLE. I WANT MY MONEY BACK NOW."}) {
    for (int prior = 0; prior <= 4; ++prior) {
      EmotionResult later = Default().Grade(text, 0);
      AddPriorComplaints(later, prior);
      const EmotionResult at_once = Default().Grade(text, prior);
      EXPECT_EQ(later.grade, at_once.grade) << text << " prior " << prior;
      EXPECT_EQ(later.threats, at_once.threats) << text;
      EXPECT_EQ(HasCue(later, "prior_complaints"), HasCue(at_once, "prior_complaints")) << text << " prior " << prior;
    }
  }
}

TEST(NlpEmotion, AVenueNamedAloneIsCarriedToAShortSentenceThatSaysWhen) {
  EXPECT_EQ(ThreatsOf("I've had enough. The ombudsman. This week."), Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("受够了。消协。明天。"), Threats{ThreatKind::kRegulator});
  // Not past the next sentence, not negated, not into a question or a longer sentence.
  EXPECT_TRUE(ThreatsOf("Ombudsman. Not this week, I'm busy.").empty());
  EXPECT_TRUE(ThreatsOf("我不会去消协。明天再说吧。").empty());
  EXPECT_TRUE(ThreatsOf("The ombudsman. Is it open this week?").empty());
}

TEST(NlpEmotion, AVenueAskedAboutIsCarriedToATerseAnswerWithAnIntentAndATimeOrAnAct) {
  EXPECT_EQ(ThreatsOf("Does the ICO know you're still emailing me? They will by tonight."),
            Threats{ThreatKind::kRegulator});
  EXPECT_EQ(ThreatsOf("12345管得了你们吗？那我试试看。"), Threats{ThreatKind::kRegulator});
  // A bare time after a question may ask when it opens; a statement about the news is no answer.
  EXPECT_TRUE(ThreatsOf("消协周末上班吗？明天。").empty());
  EXPECT_TRUE(ThreatsOf("你们会被消协查吗？今天新闻说的。").empty());
  EXPECT_TRUE(ThreatsOf("12315的电话是多少？明天要用。").empty());
  EXPECT_TRUE(ThreatsOf("销号之后原来的积分还能用吗？我准备出国读书了。").empty());
}

TEST(NlpEmotion, ATakeBackEndingItsClauseWithdrawsTheVenueNamedEarlierInIt) {
  EXPECT_TRUE(ThreatsOf("上周说要去消协那事算了，钱已经到账，谢谢。").empty());
  EXPECT_TRUE(ThreatsOf("去消协投诉的事就算了。").empty());
  // A disavowal that does not end its clause, or a negated one, takes nothing back.
  EXPECT_EQ(ThreatsOf("医疗事故鉴定我已经申请了，后面该走的法律程序一样都不会少。"), Threats{ThreatKind::kLegal});
  EXPECT_EQ(ThreatsOf("我不会就这么算了，去消协！"), Threats{ThreatKind::kRegulator});
}

TEST(NlpEmotion, ATakeBackMakingUpItsOwnClauseWithdrawsItsSentence) {
  EXPECT_TRUE(ThreatsOf("我要去12315投诉，那事算了。").empty());
  EXPECT_TRUE(ThreatsOf("Should I report you to the ombudsman, just asking.").empty());
  // Not the sentence before.
  EXPECT_EQ(ThreatsOf("我要去12315投诉。就是问问你们怕不怕。"), Threats{ThreatKind::kRegulator});
}

TEST(NlpEmotion, ADisavowalAnsweringTheCustomersOwnQuestionWithdrawsIt) {
  EXPECT_TRUE(ThreatsOf("如果真要走仲裁的话，是在你们那边还是我这边？不是要告，就是想了解一下条款。").empty());
  EXPECT_TRUE(ThreatsOf("你们知道12315吗？不是要投诉，只是问一下。").empty());
  // A disavowal after a statement, not a question, does not reach back.
  EXPECT_EQ(ThreatsOf("我已经去12315投诉了。不是要吓你们，就是说一声。"), Threats{ThreatKind::kRegulator});
}

TEST(NlpEmotion, LeavingSaidAsATerseOrderWithBaIsChurn) {
  EXPECT_EQ(ThreatsOf("还有什么理由让我留下来？没有。注销吧。"), Threats{ThreatKind::kChurn});
  EXPECT_EQ(ThreatsOf("那就销户吧。"), Threats{ThreatKind::kChurn});
  // Not in a question, nor negated.
  EXPECT_TRUE(ThreatsOf("怎么注销吧？").empty());
  EXPECT_TRUE(ThreatsOf("我不想注销吧").empty());
}

// A threat model that reads a made-up word, "zorbify", as churn (trained on folded texts, as the grader folds them).
const ThreatModel& ZorbifyModel() {
  static const ThreatModel model = [] {
    std::vector<std::string> texts;
    std::vector<ThreatMask> kinds;
    for (int i = 0; i < 40; ++i) {
      texts.push_back(GraderText("Zorbify " + std::to_string(i)));
      kinds.push_back(MaskOf(ThreatKind::kChurn));
      for (const char* calm : {"Where is my parcel?", "Thanks for the help.", "请问发票怎么开？", "快递到哪了"}) {
        texts.push_back(GraderText(calm));
        kinds.push_back(0);
      }
    }
    return ThreatModel::Train(texts, kinds);
  }();
  return model;
}

TEST(NlpEmotion, TheThreatModelStatesAKindTheRulesDidNotFind) {
  const EmotionGrader with(DefaultLexicon(), &ZorbifyModel()), without(DefaultLexicon(), nullptr);
  const EmotionResult r = with.Grade("OK then. Zorbify.");
  EXPECT_EQ(r.threats, Threats{ThreatKind::kChurn});
  EXPECT_TRUE(HasCue(r, "model"));
  EXPECT_TRUE(without.Grade("OK then. Zorbify.").threats.empty());
  EXPECT_TRUE(with.Grade("Where is my parcel?").threats.empty());
}

TEST(NlpEmotion, TheThreatModelDoesNotOverruleATermTheRulesWithdrew) {
  const EmotionGrader g(DefaultLexicon(), &ZorbifyModel());
  // A churn term disavowed, or asked about: the rules decided, the model does not add churn.
  EXPECT_TRUE(g.Grade("I'm not going to cancel. Zorbify.").threats.empty());
  EXPECT_TRUE(g.Grade("How do I cancel my account? Zorbify.").threats.empty());
}

TEST(NlpEmotion, TheThreatModelAddsNothingToAMessageWhoseThreatsTheRulesFound) {
  const EmotionGrader g(DefaultLexicon(), &ZorbifyModel());
  const EmotionResult r = g.Grade("我要去12315投诉。Zorbify.");
  EXPECT_EQ(r.threats, Threats{ThreatKind::kRegulator});
  EXPECT_FALSE(HasCue(r, "model"));
}

TEST(NlpEmotion, TheShippedThreatModelFindsTerseLeavingAndLeavesCalmMessagesAlone) {
  const EmotionResult r = Default().Grade("五年的老客户了，说走就走你们也不会心疼吧？行，我走。");
  EXPECT_EQ(r.threats, Threats{ThreatKind::kChurn});
  EXPECT_TRUE(HasCue(r, "model"));
  EXPECT_TRUE(ThreatsOf("请问退款一般几个工作日到账？").empty());
  EXPECT_TRUE(ThreatsOf("How do I close my account? I'm moving abroad.").empty());
}

TEST(NlpEmotion, GradingWithTheFoldAtHandGivesTheSameResult) {
  for (const std::string text : {"我們會採取法律行動，律師函已經寄出！", "你们再不处理，我就去12315投诉！",
                                 "ＷＨＹ is my refund STILL not here?!? I will sue.", "不是很满意", "Cảm ơn, mọi thứ ổn."}) {
    for (int prior : {0, 2}) {
      const EmotionResult plain = Default().Grade(text, prior);
      const EmotionResult given = Default().Grade(text, Fold(text), prior);
      EXPECT_EQ(given.grade, plain.grade) << text;
      EXPECT_EQ(given.score, plain.score) << text;
      EXPECT_EQ(given.threats, plain.threats) << text;
      ASSERT_EQ(given.cues.size(), plain.cues.size()) << text;
      for (size_t i = 0; i < plain.cues.size(); ++i) EXPECT_EQ(given.cues[i].text, plain.cues[i].text) << text;
    }
  }
  EXPECT_EQ(Default().Grade("我們會採取法律行動", Fold("我們會採取法律行動"), 0).threats, Threats{ThreatKind::kLegal});
}

}  // namespace
}  // namespace kefu::nlp
