// The notification outbox: channel formats byte for byte (signatures checked
// against values computed independently with Python's hmac), enqueueing in
// the caller's transaction, and the dispatcher's retries on a manual clock.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "outbox/address.h"
#include "outbox/channels.h"
#include "outbox/dispatcher.h"
#include "outbox/enqueue.h"
#include "outbox/format.h"
#include "outbox/transport.h"
#include "test_support.h"
#include "triage/notify.h"

namespace kefu {
namespace {

using namespace outbox;
using outbox::Message;  // not kefu::Message, a complaint's message

constexpr Millis kNow = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

Message RedCaseMessage() {
  return Message{"red_case:7:3", "red_case", 7, "红案 Red case 20261123-00007 快递丢失", "客户威胁曝光", kNow};
}

std::string HeaderValue(const HttpPost& p, const std::string& name) {
  for (const auto& [k, v] : p.headers)
    if (k == name) return v;
  return "(absent)";
}

// --- formats ---

TEST(OutboxFormat, HmacSha256MatchesRfc4231TestCase2) {
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(OutboxFormat, WeComMarkdownBodyAndDeliveryHeaders) {
  HttpPost p = WeComMarkdown("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", RedCaseMessage(), 42);
  EXPECT_EQ(p.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1");
  EXPECT_EQ(p.body,
            R"({"msgtype":"markdown","markdown":{"content":"**红案 Red case 20261123-00007 快递丢失**\n客户威胁曝光"}})");
  EXPECT_EQ(HeaderValue(p, "Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(HeaderValue(p, "X-Kefu-Delivery"), "42");
  EXPECT_EQ(HeaderValue(p, "X-Kefu-Event"), "red_case:7:3");
  EXPECT_TRUE(p.robot_reply);
}

TEST(OutboxFormat, WeComTextBody) {
  HttpPost p = WeComText("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", RedCaseMessage(), 42);
  EXPECT_EQ(p.body, R"({"msgtype":"text","text":{"content":"红案 Red case 20261123-00007 快递丢失\n客户威胁曝光"}})");
}

TEST(OutboxFormat, DingTalkSignsTimestampAndSecretIntoTheQuery) {
  HttpPost p = DingTalk("https://oapi.dingtalk.com/robot/send?access_token=abc", std::string("SECtest"),
                        RedCaseMessage(), 42, kNow);
  // base64(HMAC-SHA256("SECtest", "1700000000123\nSECtest")), percent-encoded.
  EXPECT_EQ(p.url,
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000123"
            "&sign=lrMq5E54T40t3FfGVjxdvoqIbXlWY6mzkZYiVoI6emk%3D");
  EXPECT_EQ(p.body,
            R"({"msgtype":"markdown","markdown":{"title":"红案 Red case 20261123-00007 快递丢失",)"
            R"("text":"#### 红案 Red case 20261123-00007 快递丢失\n\n客户威胁曝光"}})");
}

TEST(OutboxFormat, DingTalkWithoutSecretLeavesTheUrlAlone) {
  HttpPost p = DingTalk("https://oapi.dingtalk.com/robot/send?access_token=abc", std::nullopt, RedCaseMessage(), 42, kNow);
  EXPECT_EQ(p.url, "https://oapi.dingtalk.com/robot/send?access_token=abc");
}

TEST(OutboxFormat, FeishuPutsTimestampAndSignInTheBody) {
  HttpPost p = Feishu("https://open.feishu.cn/open-apis/bot/v2/hook/xyz", std::string("feishu-secret"),
                      RedCaseMessage(), 42, kNow);
  // sign = base64(HMAC-SHA256(key "1700000000\nfeishu-secret", message "")).
  EXPECT_EQ(p.body,
            R"({"timestamp":"1700000000","sign":"OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=","msg_type":"text",)"
            R"("content":{"text":"红案 Red case 20261123-00007 快递丢失\n客户威胁曝光"}})");
  HttpPost plain = Feishu("https://open.feishu.cn/open-apis/bot/v2/hook/xyz", std::nullopt, RedCaseMessage(), 42, kNow);
  EXPECT_EQ(plain.body.find("sign"), std::string::npos);
}

TEST(OutboxFormat, WebhookSignsTimestampDotBody) {
  HttpPost p = Webhook("https://hooks.example.com/kefu", std::string("whsec"), RedCaseMessage(), 42, kNow);
  EXPECT_EQ(p.body,
            R"({"delivery_id":42,"event_key":"red_case:7:3","kind":"red_case",)"
            R"("title":"红案 Red case 20261123-00007 快递丢失","body":"客户威胁曝光","ticket_id":7,)"
            R"("created_at":"2023-11-14T22:13:20.123Z"})");
  EXPECT_EQ(HeaderValue(p, "X-Kefu-Timestamp"), "1700000000");
  EXPECT_EQ(HeaderValue(p, "X-Kefu-Signature"),
            "sha256=bebefad776eb8cf530ecf5ad77b9829732584f16e08455ed1a936d82ecb5c4f4");
  EXPECT_FALSE(p.robot_reply);
  HttpPost unsigned_post = Webhook("https://hooks.example.com/kefu", std::nullopt, RedCaseMessage(), 42, kNow);
  EXPECT_EQ(HeaderValue(unsigned_post, "X-Kefu-Signature"), "(absent)");
}

TEST(OutboxFormat, EmailIsAnRfc5322MessageWithEncodedSubjectAndMessageIdOfTheDelivery) {
  Email e = MailMessage("kefu@example.com", "zhao@example.com", RedCaseMessage(), 42, kNow);
  EXPECT_EQ(e.from, "kefu@example.com");
  EXPECT_EQ(e.to, "zhao@example.com");
  EXPECT_EQ(e.data,
            "From: kefu <kefu@example.com>\r\n"
            "To: <zhao@example.com>\r\n"
            "Subject: =?UTF-8?B?57qi5qGIIFJlZCBjYXNlIDIwMjYxMTIzLTAwMDA3IOW/q+mAkuS4ouWksQ==?=\r\n"
            "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            "Message-ID: <kefu.outbox.42@example.com>\r\n"
            "X-Kefu-Delivery: 42\r\n"
            "X-Kefu-Event: red_case:7:3\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            // base64 of the CRLF text, in lines of 76 (RFC 2045)
            "57qi5qGIIFJlZCBjYXNlIDIwMjYxMTIzLTAwMDA3IOW/q+mAkuS4ouWksQ0KDQrlrqLmiLflqIHo\r\n"
            "g4Hmm53lhYkNCg==\r\n");
}

TEST(OutboxFormat, LongSubjectsSplitIntoEncodedWordsOnCharacterBoundaries) {
  std::string subject;
  for (int i = 0; i < 20; ++i) subject += "投";  // 60 bytes: 15 characters (45 bytes) + 5
  std::string encoded = EncodeHeaderText(subject);
  auto fold = encoded.find("\r\n ");
  ASSERT_NE(fold, std::string::npos);
  std::string first = encoded.substr(0, fold), second = encoded.substr(fold + 3);
  EXPECT_LE(first.size(), 75u);
  EXPECT_EQ(first, "=?UTF-8?B?" + Base64(subject.substr(0, 45)) + "?=");
  EXPECT_EQ(second, "=?UTF-8?B?" + Base64(subject.substr(45)) + "?=");
}

TEST(OutboxFormat, HeaderTextCannotInjectHeaders) {
  EXPECT_EQ(EncodeHeaderText("plain ascii"), "plain ascii");
  std::string encoded = EncodeHeaderText("hi\r\nBcc: evil@example.com");
  EXPECT_EQ(encoded.find('\n'), std::string::npos);
  EXPECT_EQ(encoded, "=?UTF-8?B?" + Base64("hi  Bcc: evil@example.com") + "?=");
  Email e = MailMessage("kefu@example.com", "a@example.com\r\nBcc: x@example.com", RedCaseMessage(), 1, kNow);
  EXPECT_EQ(e.data.find("\r\nBcc:"), std::string::npos);
}

TEST(OutboxFormat, PayloadRoundTrips) {
  Message m = RedCaseMessage();
  auto back = DecodePayload(EncodePayload(m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->event_key, m.event_key);
  EXPECT_EQ(back->ticket_id, m.ticket_id);
  EXPECT_EQ(back->title, m.title);
  EXPECT_EQ(back->created_at, m.created_at);
}

TEST(OutboxFormat, RedactedUrlsShowSchemeAndHostOnly) {
  EXPECT_EQ(RedactUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key"), "https://qyapi.weixin.qq.com");
  EXPECT_EQ(RedactUrl("http://127.0.0.1:8099/hook/token"), "http://127.0.0.1:8099");
  NotificationChannel c;
  c.kind = ChannelKind::kFeishu;
  c.target = "https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef";
  EXPECT_EQ(TargetHint(c), "https://open.feishu.cn/…cdef");
}

TEST(OutboxFormat, TargetChecksAcceptHttpUrlsAndAddressesOnly) {
  EXPECT_TRUE(CheckHttpUrl("target", "https://oapi.dingtalk.com/robot/send?access_token=x"));
  EXPECT_TRUE(CheckHttpUrl("target", "http://127.0.0.1:9000/hook"));
  EXPECT_FALSE(CheckHttpUrl("target", "ftp://example.com/x"));
  EXPECT_FALSE(CheckHttpUrl("target", "file:///etc/passwd"));
  EXPECT_FALSE(CheckHttpUrl("target", "not a url"));
  EXPECT_FALSE(CheckHttpUrl("target", "https://user:pw@example.com/"));
  EXPECT_TRUE(CheckEmailAddress("target", "zhao.li+kefu@example.com"));
  EXPECT_FALSE(CheckEmailAddress("target", "no-at-sign"));
  EXPECT_FALSE(CheckEmailAddress("target", "a@b@c"));
  EXPECT_FALSE(CheckEmailAddress("target", "a b@example.com"));
  EXPECT_FALSE(CheckEmailAddress("target", "a@example.com\r\nBcc: x@y"));
  EXPECT_EQ(CheckEmailAddress("target", "bad").error().field, "target");
}

// --- enqueueing ---

class OutboxEnqueue : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      Team t;
      t.name = "华东";
      KEFU_TRY(tx.InsertTeam(t));
      team_id = t.id;
      User u;
      u.username = "zhao";
      u.display_name = "赵";
      u.role = Role::kSupervisor;
      u.team_ids = {team_id};
      KEFU_TRY(tx.InsertUser(u));
      user_id = u.id;
      return {};
    }));
    user_mail = AddChannel(ChannelOwner::kUser, user_id, ChannelKind::kEmail, "zhao@example.com");
  }

  Id AddChannel(ChannelOwner owner, Id owner_id, ChannelKind kind, std::string target,
                std::vector<std::string> kinds = {}, bool enabled = true) {
    NotificationChannel c;
    c.owner_kind = owner;
    c.owner_id = owner_id;
    c.kind = kind;
    c.target = std::move(target);
    c.kinds = std::move(kinds);
    c.enabled = enabled;
    EXPECT_TRUE(ts.store->Write([&](WriteTx& tx) { return tx.InsertChannel(c); }));
    return c.id;
  }

  std::vector<OutboxEntry> Outbox() {
    std::vector<OutboxEntry> out;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(out, tx.ListOutbox(OutboxQuery{}));
      return {};
    }));
    return out;
  }

  Status SendToUser(const std::string& kind, const std::string& key, Millis at = kNow) {
    return ts.store->Write([&](WriteTx& tx) -> Status {
      std::vector<Notification> sent;
      triage::Notifier notify(tx, at, sent);
      return notify.Send({user_id}, kind, std::nullopt, "标题", "正文", key);
    });
  }

  testing::TempStore ts;
  Id team_id = 0, user_id = 0, user_mail = 0;
};

TEST_F(OutboxEnqueue, NotificationEnqueuesOneRowPerChannelOfTheUserInTheSameTransaction) {
  Id second = AddChannel(ChannelOwner::kUser, user_id, ChannelKind::kWebhook, "https://hooks.example.com/a");
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].channel_id, second);
  EXPECT_EQ(rows[1].channel_id, user_mail);
  for (const auto& r : rows) {
    EXPECT_EQ(r.state, DeliveryState::kPending);
    EXPECT_EQ(r.event_key, "red_case:1:1");
    EXPECT_EQ(r.next_attempt_at, kNow);
  }
}

TEST_F(OutboxEnqueue, RolledBackWriteEnqueuesNothing) {
  Status s = ts.store->Write([&](WriteTx& tx) -> Status {
    std::vector<Notification> sent;
    triage::Notifier notify(tx, kNow, sent);
    KEFU_TRY(notify.Send({user_id}, "red_case", std::nullopt, "标题", "正文", "red_case:1:1"));
    return Fail(Error::Conflict("the change failed after notifying"));
  });
  ASSERT_FALSE(s);
  EXPECT_TRUE(Outbox().empty());
  std::int64_t unread = -1;
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(unread, tx.CountUnreadNotifications(user_id));
    return {};
  }));
  EXPECT_EQ(unread, 0);
}

TEST_F(OutboxEnqueue, SameEventKeyIsEnqueuedOncePerChannel) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  EXPECT_EQ(Outbox().size(), 1u);
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:2"));
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_F(OutboxEnqueue, WithoutAKeyEachSendIsItsOwnEvent) {
  ASSERT_TRUE(SendToUser("assigned", ""));
  ASSERT_TRUE(SendToUser("assigned", ""));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].event_key, rows[1].event_key);
  EXPECT_EQ(rows[0].event_key.rfind("assigned:0:n", 0), 0u) << rows[0].event_key;
}

TEST_F(OutboxEnqueue, DisabledChannelsAndUnwantedKindsGetNothing) {
  AddChannel(ChannelOwner::kUser, user_id, ChannelKind::kWebhook, "https://hooks.example.com/off", {}, false);
  Id only_risk = AddChannel(ChannelOwner::kUser, user_id, ChannelKind::kWebhook, "https://hooks.example.com/r",
                            {"risk_alert"});
  ASSERT_TRUE(SendToUser("red_case", "k1"));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].channel_id, user_mail);
  ASSERT_TRUE(SendToUser("risk_alert", "k2"));
  rows = Outbox();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].channel_id, only_risk);
}

TEST_F(OutboxEnqueue, TeamEventIsOneRowPerTeamChannelNotPerMember) {
  Id robot = AddChannel(ChannelOwner::kTeam, team_id, ChannelKind::kWecom, "https://qyapi.weixin.qq.com/x?key=1");
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
    std::vector<Notification> sent;
    triage::Notifier notify(tx, kNow, sent);
    KEFU_TRY(notify.SendTeam(team_id, "red_case", 5, "标题", "正文", "red_case:5:1"));
    return notify.SendTeam(team_id, "red_case", 5, "标题", "正文", "red_case:5:1");
  }));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].channel_id, robot);
}

TEST_F(OutboxEnqueue, DeletingAChannelKillsItsUndeliveredMessagesAndForgetsTheSecret) {
  ASSERT_TRUE(SendToUser("red_case", "k1"));
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) { return tx.DeleteChannel(user_mail, kNow); }));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, DeliveryState::kDead);
  EXPECT_EQ(rows[0].last_error, "channel deleted");
  Status s = ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_TRY(tx.GetChannel(user_mail));
    return {};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
}

// --- dispatching ---

class FakeTransport final : public Transport {
 public:
  Outcome Post(const HttpPost& request) override {
    std::lock_guard lock(mu);
    posts.push_back(request);
    return Next();
  }
  Outcome Send(const Email& mail) override {
    std::lock_guard lock(mu);
    mails.push_back(mail);
    return Next();
  }
  size_t Calls() {
    std::lock_guard lock(mu);
    return posts.size() + mails.size();
  }

  std::mutex mu;
  std::vector<HttpPost> posts;
  std::vector<Email> mails;
  std::vector<Outcome> script;  // outcomes in order; success once used up

 private:
  Outcome Next() {
    if (script.empty()) return Outcome{true, false, false, ""};
    Outcome o = script.front();
    script.erase(script.begin());
    return o;
  }
};

TEST(OutboxBackoff, DelayDoublesFromTheBaseUpToTheCapWithTwentyPercentJitter) {
  EXPECT_EQ(BackoffDelay(1, 1000, 8000, 0.5), 1000);
  EXPECT_EQ(BackoffDelay(2, 1000, 8000, 0.5), 2000);
  EXPECT_EQ(BackoffDelay(3, 1000, 8000, 0.5), 4000);
  EXPECT_EQ(BackoffDelay(4, 1000, 8000, 0.5), 8000);
  EXPECT_EQ(BackoffDelay(9, 1000, 8000, 0.5), 8000);
  EXPECT_EQ(BackoffDelay(60, 30'000, 3'600'000, 0.5), 3'600'000);
  EXPECT_EQ(BackoffDelay(1, 1000, 8000, 0.0), 800);
  EXPECT_EQ(BackoffDelay(1, 1000, 8000, 0.999999), 1200);
}

class OutboxDispatch : public OutboxEnqueue {
 protected:
  DispatcherOptions Options() {
    DispatcherOptions o;
    o.max_attempts = 4;
    o.backoff_base = 1000;
    o.backoff_max = 8000;
    o.mail_from = "kefu@example.com";
    o.random = [] { return 0.5; };
    return o;
  }
  OutboxEntry Only() {
    auto rows = Outbox();
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? OutboxEntry{} : rows[0];
  }
  ManualClock clock{kNow};
  FakeTransport transport;
};

// Email that is slow to answer (held until released, five seconds at most);
// robots and webhooks answer at once.
class SlowMailTransport final : public Transport {
 public:
  Outcome Post(const HttpPost&) override {
    std::lock_guard lock(mu);
    ++posts;
    changed.notify_all();
    return Outcome{true, false, false, ""};
  }
  Outcome Send(const Email&) override {
    std::unique_lock lock(mu);
    mail_waiting = true;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return released; });
    mail_waiting = false;
    return Outcome{true, false, false, ""};
  }
  // Whether every post was made while the email was still held.
  bool PostsWhileMailHeld(int n) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, std::chrono::seconds(5), [&] { return mail_waiting && posts >= n; });
  }
  void Release() {
    std::lock_guard lock(mu);
    released = true;
    changed.notify_all();
  }

 private:
  std::mutex mu;
  std::condition_variable changed;
  int posts = 0;
  bool mail_waiting = false, released = false;
};

TEST_F(OutboxDispatch, AReceiverSlowToAnswerDoesNotHoldUpTheOthers) {
  for (const char* host : {"a", "b", "c"})
    AddChannel(ChannelOwner::kUser, user_id, ChannelKind::kWebhook, fmt::format("https://{}.example.com/hook", host));
  ASSERT_TRUE(SendToUser("red_case", "red_case:7:1"));  // the email is claimed first (lowest id)
  SlowMailTransport slow;
  Dispatcher d(*ts.store, clock, slow, Options());
  std::thread pass([&] { EXPECT_EQ(d.RunOnce().value(), 4); });
  EXPECT_TRUE(slow.PostsWhileMailHeld(3));
  slow.Release();
  pass.join();
  for (const auto& e : Outbox()) EXPECT_EQ(e.state, DeliveryState::kDelivered) << e.id;
}

TEST_F(OutboxDispatch, DeliversAndMarksDeliveredThenNeverSendsAgain) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  Dispatcher d(*ts.store, clock, transport, Options());
  EXPECT_EQ(d.RunOnce().value(), 1);
  ASSERT_EQ(transport.mails.size(), 1u);
  EXPECT_EQ(transport.mails[0].to, "zhao@example.com");
  EXPECT_NE(transport.mails[0].data.find(fmt::format("Message-ID: <kefu.outbox.{}@example.com>", Only().id)),
            std::string::npos);
  OutboxEntry e = Only();
  EXPECT_EQ(e.state, DeliveryState::kDelivered);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.delivered_at, kNow);
  clock.Advance(3'600'000);
  EXPECT_EQ(d.RunOnce().value(), 0);
  EXPECT_EQ(transport.Calls(), 1u);
}

TEST_F(OutboxDispatch, FailuresAreRetriedWithExponentialBackoffThenDead) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  Outcome fail{false, false, false, "HTTP 500 from http://127.0.0.1:1"};
  transport.script = {fail, fail, fail, fail};
  Dispatcher d(*ts.store, clock, transport, Options());
  Millis expected_delay[] = {1000, 2000, 4000};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    EXPECT_EQ(d.RunOnce().value(), 1);
    OutboxEntry e = Only();
    EXPECT_EQ(e.state, DeliveryState::kFailed);
    EXPECT_EQ(e.attempts, attempt);
    EXPECT_EQ(e.last_error, fail.error);
    EXPECT_EQ(e.next_attempt_at, clock.Now() + expected_delay[attempt - 1]);
    clock.Advance(expected_delay[attempt - 1] - 1);
    EXPECT_EQ(d.RunOnce().value(), 0) << "retried before its time";
    clock.Advance(1);
  }
  EXPECT_EQ(d.RunOnce().value(), 1);
  EXPECT_EQ(Only().state, DeliveryState::kDead);
  EXPECT_EQ(Only().attempts, 4);
  clock.Advance(3'600'000);
  EXPECT_EQ(d.RunOnce().value(), 0);
  EXPECT_EQ(transport.Calls(), 4u);
  EXPECT_EQ(d.Stats().dead, 1u);
}

TEST_F(OutboxDispatch, FailedThenSucceededIsDeliveredOnce) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  transport.script = {Outcome{false, false, false, "HTTP 503"}};
  Dispatcher d(*ts.store, clock, transport, Options());
  EXPECT_EQ(d.RunOnce().value(), 1);
  clock.Advance(1000);
  EXPECT_EQ(d.RunOnce().value(), 1);
  EXPECT_EQ(Only().state, DeliveryState::kDelivered);
  EXPECT_EQ(Only().last_error, "");
  EXPECT_EQ(transport.Calls(), 2u);
}

TEST_F(OutboxDispatch, PermanentFailureIsDeadAtOnce) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  transport.script = {Outcome{false, true, false, "HTTP 404 from https://hooks.example.com"}};
  Dispatcher d(*ts.store, clock, transport, Options());
  EXPECT_EQ(d.RunOnce().value(), 1);
  EXPECT_EQ(Only().state, DeliveryState::kDead);
  EXPECT_EQ(Only().attempts, 1);
}

TEST_F(OutboxDispatch, DeliveredAndDeadMessagesAreDeletedAfterTheKeepingDaysAndUndeliveredOnesStay) {
  Dispatcher d(*ts.store, clock, transport, Options());  // keep_days 30
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  EXPECT_EQ(d.RunOnce().value(), 1);  // delivered
  transport.script = {Outcome{false, true, false, "HTTP 404"}};
  ASSERT_TRUE(SendToUser("red_case", "red_case:2:1"));
  EXPECT_EQ(d.RunOnce().value(), 1);  // dead
  clock.Advance(86'400'000);
  transport.script = {Outcome{false, false, false, "HTTP 503"}};
  ASSERT_TRUE(SendToUser("red_case", "red_case:3:1", clock.Now()));
  EXPECT_EQ(d.RunOnce().value(), 1);  // failed, to be retried
  ASSERT_EQ(Outbox().size(), 3u);

  clock.Advance(29 * 86'400'000LL - 1);  // the first two are one millisecond short of 30 days
  EXPECT_EQ(d.Prune().value(), 0);
  EXPECT_EQ(Outbox().size(), 3u);
  clock.Advance(1);
  EXPECT_EQ(d.Prune().value(), 2);
  auto rest = Outbox();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].event_key, "red_case:3:1");
  EXPECT_EQ(rest[0].state, DeliveryState::kFailed);
  clock.Advance(400 * 86'400'000LL);
  EXPECT_EQ(d.Prune().value(), 0) << "an undelivered message is never deleted";
}

TEST_F(OutboxDispatch, KeepDaysZeroKeepsEverything) {
  DispatcherOptions o = Options();
  o.keep_days = 0;
  Dispatcher d(*ts.store, clock, transport, o);
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  EXPECT_EQ(d.RunOnce().value(), 1);
  clock.Advance(3650 * 86'400'000LL);
  EXPECT_EQ(d.Prune().value(), 0);
  EXPECT_EQ(Only().state, DeliveryState::kDelivered);
}

TEST_F(OutboxDispatch, AttemptCutShortByACrashIsRetriedAfterRestartAtItsBackoff) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  // What the claim leaves in the store when the process dies while sending.
  OutboxEntry claimed = Only();
  claimed.attempts = 1;
  claimed.next_attempt_at = kNow + 1000;
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) { return tx.UpdateOutbox(claimed); }));
  Dispatcher restarted(*ts.store, clock, transport, Options());
  EXPECT_EQ(restarted.RunOnce().value(), 0);
  clock.Advance(1000);
  EXPECT_EQ(restarted.RunOnce().value(), 1);
  EXPECT_EQ(Only().state, DeliveryState::kDelivered);
  EXPECT_EQ(Only().attempts, 2);
  EXPECT_EQ(transport.Calls(), 1u);
}

TEST_F(OutboxDispatch, DisabledChannelGetsNoMessageButATestStillGoes) {
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto c, tx.GetChannel(user_mail));
    c.enabled = false;
    KEFU_TRY(tx.UpdateChannel(c));
    KEFU_TRY(EnqueueForChannel(tx, c, Message{"test:1", "test", std::nullopt, "测试", "", kNow}, kNow));
    return {};
  }));
  Dispatcher d(*ts.store, clock, transport, Options());
  EXPECT_EQ(d.RunOnce().value(), 2);
  EXPECT_EQ(transport.Calls(), 1u);
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, DeliveryState::kDelivered);  // the test message
  EXPECT_EQ(rows[1].state, DeliveryState::kDead);
  EXPECT_EQ(rows[1].last_error, "channel disabled");
}

TEST_F(OutboxDispatch, ThreadIsWokenByTheCommitThatEnqueued) {
  SystemClock real;
  Dispatcher d(*ts.store, real, transport, Options());
  d.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // idle: nothing due, waiting without a deadline
  auto committed = std::chrono::steady_clock::now();
  ASSERT_TRUE(SendToUser("red_case", "red_case:1:1"));
  while (transport.Calls() == 0 && std::chrono::steady_clock::now() - committed < std::chrono::seconds(5))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto latency = std::chrono::steady_clock::now() - committed;
  d.Stop();
  EXPECT_EQ(transport.Calls(), 1u);
  EXPECT_LT(latency, std::chrono::seconds(2));
}

TEST(OutboxAddress, LoopbackPrivateLinkLocalAndMetadataAddressesAreInternal) {
  for (const char* ip : {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                         "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                         "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                         "64:ff9b::a00:1"})
    EXPECT_TRUE(IsInternalAddress(std::string_view(ip))) << ip;
  for (const char* ip : {"8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1", "100.128.0.1", "1.1.1.1",
                         "2606:4700::1111", "::ffff:8.8.8.8", "qyapi.weixin.qq.com", ""})
    EXPECT_FALSE(IsInternalAddress(std::string_view(ip))) << ip;
}

// A listening socket on 127.0.0.1 that never answers: whether curl connected
// shows in its accept queue.
struct SilentListener {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  SilentListener() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 8), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
  }
  ~SilentListener() { ::close(fd); }
  bool WasConnected() const {
    int c = ::accept(fd, nullptr, nullptr);
    if (c >= 0) ::close(c);
    return c >= 0;
  }
};

TEST(OutboxTransport, RefusesAWebhookOnALoopbackAddressForGoodWithoutConnecting) {
  SilentListener listener;
  TransportOptions o;
  o.timeout_ms = 1000;
  auto transport = MakeCurlTransport(o);
  HttpPost post;
  post.url = fmt::format("http://127.0.0.1:{}/hook/secret-path", listener.port);
  post.body = "{}";
  Outcome out = transport->Post(post);
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.permanent);
  EXPECT_NE(out.error.find("refused"), std::string::npos) << out.error;
  EXPECT_EQ(out.error.find("secret-path"), std::string::npos) << "the log must not show the URL's path";
  EXPECT_FALSE(listener.WasConnected());
}

TEST(OutboxTransport, ConnectsToALoopbackAddressWhenPrivateTargetsAreAllowed) {
  SilentListener listener;
  TransportOptions o;
  o.timeout_ms = 500;
  o.private_targets = true;
  auto transport = MakeCurlTransport(o);
  HttpPost post;
  post.url = fmt::format("http://127.0.0.1:{}/hook", listener.port);
  post.body = "{}";
  Outcome out = transport->Post(post);
  EXPECT_FALSE(out.ok);  // the listener never answers
  EXPECT_FALSE(out.permanent);
  EXPECT_EQ(out.error.find("refused"), std::string::npos) << out.error;
  EXPECT_TRUE(listener.WasConnected());
}

}  // namespace
}  // namespace kefu
