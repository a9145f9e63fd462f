"""Notifications beyond the app, through the outbox: a real kefu server, a real
SMTP server (aiosmtpd) and an HTTP receiver standing in for the WeCom, DingTalk
and Feishu robots and a webhook — all on 127.0.0.1; nothing leaves the machine."""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from aiosmtpd.controller import Controller
except ImportError:  # Debian's python3-aiosmtpd, under another python3 on PATH
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller

import harness
from harness import ServerTestCase, ticket_body

WAIT = 30  # seconds; the sanitizer build is slow
FIGURES = {}


def wait_for(predicate, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class MailBox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "msg": msg,
                                  "raw": envelope.original_content or envelope.content, "at": time.monotonic()})
        return "250 OK"

    def find(self, predicate):
        with self.lock:
            return [m for m in self.messages if predicate(m)]


class Receiver:
    """An HTTP server recording every POST; answers 500 while a path has failures left."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.failures = {}  # path -> 500s still to answer; -1: always
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                url = urllib.parse.urlsplit(self.path)
                with receiver.lock:
                    left = receiver.failures.get(url.path, 0)
                    status = 500 if left else 200
                    if left > 0:
                        receiver.failures[url.path] = left - 1
                    receiver.requests.append({"path": url.path, "query": urllib.parse.parse_qs(url.query),
                                              "headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body, "status": status, "at": time.monotonic()})
                reply = b'{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}' if status == 200 else b"busy"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_address[1]
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path, status=None):
        with self.lock:
            return [r for r in self.requests if r["path"] == path and (status is None or r["status"] == status)]

    def stop(self):
        self.http.shutdown()
        self.http.server_close()


class NotificationsApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.mailbox = MailBox()
        cls.smtp = Controller(cls.mailbox, hostname="127.0.0.1", port=harness.free_port())
        cls.smtp.start()
        cls.receiver = Receiver()
        cls.server = harness.Server(extra_env={
            "KEFU_SMTP_URL": f"smtp://127.0.0.1:{cls.smtp.port}",
            "KEFU_SMTP_FROM": "kefu@kefu.test",
            "KEFU_OUTBOX_BACKOFF_BASE_MS": "300",
            "KEFU_OUTBOX_BACKOFF_MAX_MS": "1500",
            "KEFU_OUTBOX_MAX_ATTEMPTS": "6",
            "KEFU_OUTBOX_PRIVATE_TARGETS": "true",  # the receivers here are on 127.0.0.1
        })
        harness.run_cli("migrate", "--data", cls.server.data)
        cls.server.create_user("admin", "admin", harness.ADMIN_PASSWORD)
        cls.server.start()
        cls.admin = cls.server.login("admin", harness.ADMIN_PASSWORD)
        cls.teams = {}
        for name in ("华东", "华南", "西北", "东北", "华北"):
            cls.teams[name] = cls.server.request("POST", "/api/v1/teams", {"name": name, "region": "cn"},
                                                 token=cls.admin)[1]["id"]
        cls.tokens = {}
        for username, role, team in (("zhao", "supervisor", "华东"), ("qian", "supervisor", "华南"),
                                     ("sun", "agent", "华东"), ("li", "team_lead", "华南"),
                                     ("zhou", "supervisor", "西北"), ("wu", "supervisor", "东北")):
            status, body, _ = cls.server.request("POST", "/api/v1/users", {
                "username": username, "display_name": username, "role": role, "password": f"{username}-pass-2026",
                "team_ids": [cls.teams[team]]}, token=cls.admin)
            assert status == 201, body
            cls.tokens[username] = cls.server.login(username, f"{username}-pass-2026")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.smtp.stop()
        cls.receiver.stop()
        for name, value in sorted(FIGURES.items()):
            print(f"figure: {name} = {value}", file=sys.stderr)

    # --- helpers ---

    def red_case(self, team):
        subject = f"投诉 {time.monotonic_ns()}"
        t = self.ok("POST", "/api/v1/tickets", ticket_body(
            subject=subject, team_id=self.teams[team],
            customer={"name": "陈静", "phone": "13900001111", "tier": "regular", "language": "zh-CN"}), expect=201)
        # Delivery latencies are measured from just before the request whose
        # commit enqueues the messages (the commit is inside it).
        started = time.monotonic()
        self.ok("POST", f"/api/v1/tickets/{t['id']}/red-case", {"reason": "客户威胁向媒体曝光"}, expect=201)
        return t, started

    def channel(self, path, body, token=None):
        return self.ok("POST", path, body, token=token, expect=201)

    def deliveries(self, **query):
        qs = urllib.parse.urlencode(query)
        return self.ok("GET", "/api/v1/outbox?" + qs)["items"]

    # --- email ---

    def test_red_case_emails_the_supervisor_through_smtp(self):
        ch = self.channel("/api/v1/me/channels", {"kind": "email", "target": "zhao@example.com", "name": "我的邮箱"},
                          token=self.tokens["zhao"])
        self.assertEqual(ch["target"], "zhao@example.com")
        t, started = self.red_case("华东")
        title = f"红案 Red case {t['number']} {t['subject']}"
        mine = lambda m: m["msg"]["Subject"] == title and m["to"] == ["zhao@example.com"]  # noqa: E731
        found = wait_for(lambda: self.mailbox.find(mine), "the red-case email")
        self.assertEqual(len(found), 1)
        mail = found[0]
        FIGURES["email received, from the red-case request (ms)"] = round((mail["at"] - started) * 1000)
        self.assertEqual(mail["to"], ["zhao@example.com"])
        self.assertEqual(mail["from"], "kefu@kefu.test")
        msg = mail["msg"]
        delivery = int(msg["X-Kefu-Delivery"])
        self.assertEqual(msg["Message-ID"], f"<kefu.outbox.{delivery}@kefu.test>")
        self.assertTrue(msg["X-Kefu-Event"].startswith(f"red_case:{t['id']}:"))
        self.assertIn("客户威胁向媒体曝光", msg.get_content())
        rows = wait_for(lambda: [d for d in self.deliveries(channel_id=ch["id"]) if d["id"] == delivery
                                 and d["state"] == "delivered"], "the delivery to be recorded")
        self.assertEqual(rows[0]["attempts"], 1)
        self.assertEqual(rows[0]["title"], title)
        time.sleep(1)
        self.assertEqual(len(self.mailbox.find(mine)), 1)

    def test_subject_is_rfc2047_encoded_on_the_wire(self):
        self.channel("/api/v1/me/channels", {"kind": "email", "target": "wu@example.com"}, token=self.tokens["wu"])
        t, _ = self.red_case("东北")
        found = wait_for(lambda: self.mailbox.find(lambda m: m["to"] == ["wu@example.com"]), "the email to wu")
        raw = found[0]["raw"]
        self.assertIn(b"Subject: =?UTF-8?B?", raw)
        self.assertNotIn("红案".encode(), raw.split(b"\r\n\r\n")[0])

    def test_test_message_goes_through_the_outbox(self):
        ch = self.channel("/api/v1/me/channels", {"kind": "email", "target": "zhao+test@example.com"},
                          token=self.tokens["zhao"])
        status, queued, _ = self.call("POST", f"/api/v1/me/channels/{ch['id']}/test", {}, token=self.tokens["zhao"])
        self.assertEqual(status, 202, queued)
        self.assertEqual(queued["state"], "pending")
        found = wait_for(lambda: self.mailbox.find(lambda m: m["to"] == ["zhao+test@example.com"]), "the test email")
        self.assertEqual(int(found[0]["msg"]["X-Kefu-Delivery"]), queued["id"])
        self.assertEqual(found[0]["msg"]["Subject"], "kefu 测试消息 test message")

    # --- group-chat robots and webhooks ---

    def test_each_team_robot_gets_exactly_one_signed_message_per_red_case(self):
        team = self.teams["华南"]
        base = f"/api/v1/teams/{team}/channels"
        self.channel(base, {"kind": "wecom", "target": self.receiver.url("/wecom/send?key=wk-123")})
        ding = self.channel(base, {"kind": "dingtalk", "secret": "SECding",
                                   "target": self.receiver.url("/dingtalk/robot/send?access_token=dt-456")})
        self.assertTrue(ding["has_secret"])
        self.channel(base, {"kind": "feishu", "secret": "fs-secret", "target": self.receiver.url("/feishu/hook/fs-789")})
        self.channel(base, {"kind": "webhook", "secret": "wh-secret", "target": self.receiver.url("/hook")})
        t, started = self.red_case("华南")
        paths = ["/wecom/send", "/dingtalk/robot/send", "/feishu/hook/fs-789", "/hook"]
        wait_for(lambda: all(self.receiver.at(p) for p in paths), "a message at every robot")
        FIGURES["4 team robots all received, from the red-case request (ms)"] = round(
            (max(self.receiver.at(p)[0]["at"] for p in paths) - started) * 1000)
        time.sleep(1.5)  # nothing more may come
        got = {p: self.receiver.at(p) for p in paths}
        for p in paths:
            self.assertEqual(len(got[p]), 1, p)
        events = {got[p][0]["headers"]["x-kefu-event"] for p in paths}
        self.assertEqual(len(events), 1)
        self.assertTrue(events.pop().startswith(f"red_case:{t['id']}:"))
        self.assertEqual(len({got[p][0]["headers"]["x-kefu-delivery"] for p in paths}), 4)
        title = f"红案 Red case {t['number']} {t['subject']}"
        now = time.time()

        wecom = json.loads(got["/wecom/send"][0]["body"])
        self.assertEqual(got["/wecom/send"][0]["query"]["key"], ["wk-123"])
        self.assertEqual(wecom, {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n客户威胁向媒体曝光"}})

        d = got["/dingtalk/robot/send"][0]
        ts = d["query"]["timestamp"][0]
        self.assertLess(abs(int(ts) / 1000 - now), 120)
        expected = base64.b64encode(hmac.new(b"SECding", f"{ts}\nSECding".encode(), hashlib.sha256).digest()).decode()
        self.assertEqual(d["query"]["sign"], [expected])
        self.assertEqual(d["query"]["access_token"], ["dt-456"])
        self.assertEqual(json.loads(d["body"])["msgtype"], "markdown")
        self.assertEqual(json.loads(d["body"])["markdown"]["title"], title)

        f = json.loads(got["/feishu/hook/fs-789"][0]["body"])
        expected = base64.b64encode(hmac.new(f"{f['timestamp']}\nfs-secret".encode(), b"", hashlib.sha256).digest())
        self.assertEqual(f["sign"], expected.decode())
        self.assertLess(abs(int(f["timestamp"]) - now), 120)
        self.assertEqual(f["msg_type"], "text")
        self.assertEqual(f["content"]["text"], f"{title}\n客户威胁向媒体曝光")

        w = got["/hook"][0]
        ts = w["headers"]["x-kefu-timestamp"]
        mac = hmac.new(b"wh-secret", ts.encode() + b"." + w["body"], hashlib.sha256).hexdigest()
        self.assertEqual(w["headers"]["x-kefu-signature"], "sha256=" + mac)
        body = json.loads(w["body"])
        self.assertEqual(body["ticket_id"], t["id"])
        self.assertEqual(body["kind"], "red_case")
        self.assertEqual(body["delivery_id"], int(w["headers"]["x-kefu-delivery"]))

    def test_failing_receiver_is_retried_with_growing_delays_and_gets_the_message_once(self):
        ch = self.channel(f"/api/v1/teams/{self.teams['西北']}/channels",
                          {"kind": "webhook", "target": self.receiver.url("/flaky")})
        with self.receiver.lock:
            self.receiver.failures["/flaky"] = 2
        self.red_case("西北")
        wait_for(lambda: self.receiver.at("/flaky", 200), "the third attempt to succeed")
        time.sleep(1.5)
        tries = self.receiver.at("/flaky")
        self.assertEqual([r["status"] for r in tries], [500, 500, 200])
        self.assertEqual(len({r["headers"]["x-kefu-delivery"] for r in tries}), 1, "the same delivery each time")
        gap1, gap2 = tries[1]["at"] - tries[0]["at"], tries[2]["at"] - tries[1]["at"]
        self.assertGreater(gap1, 0.2)
        self.assertGreater(gap2, gap1)
        FIGURES["retry gaps with base 300 ms (ms)"] = f"{round(gap1 * 1000)}, {round(gap2 * 1000)}"
        row = wait_for(lambda: [d for d in self.deliveries(channel_id=ch["id"]) if d["state"] == "delivered"],
                       "the delivered state")[0]
        self.assertEqual(row["attempts"], 3)
        self.assertEqual(row["last_error"], "")

    def test_receiver_down_gives_failed_state_with_an_error_naming_only_the_host(self):
        ch = self.channel(f"/api/v1/teams/{self.teams['华北']}/channels",
                          {"kind": "webhook", "target": self.receiver.url("/always-500?token=abc-secret")})
        with self.receiver.lock:
            self.receiver.failures["/always-500"] = -1
        status, queued, _ = self.call("POST", f"/api/v1/teams/{self.teams['华北']}/channels/{ch['id']}/test", {})
        self.assertEqual(status, 202)
        row = wait_for(lambda: [d for d in self.deliveries(state="failed") if d["id"] == queued["id"]],
                       "a failed attempt")[0]
        self.assertEqual(row["last_error"], f"HTTP 500 from http://127.0.0.1:{self.receiver.port}")
        self.assertIsNotNone(row["next_attempt_at"])
        self.ok("DELETE", f"/api/v1/teams/{self.teams['华北']}/channels/{ch['id']}", expect=204)
        dead = [d for d in self.deliveries(state="dead") if d["id"] == queued["id"]]
        self.assertEqual(dead[0]["last_error"], "channel deleted")

    def test_sigkill_with_a_pending_delivery_then_restart_delivers_it_once(self):
        team = self.teams["东北"]
        ch = self.channel(f"/api/v1/teams/{team}/channels", {"kind": "webhook", "target": self.receiver.url("/down")})
        with self.receiver.lock:
            self.receiver.failures["/down"] = -1
        self.red_case("东北")
        wait_for(lambda: [d for d in self.deliveries(channel_id=ch["id"]) if d["state"] == "failed"],
                 "a failed attempt before the kill")
        self.assertEqual(self.server.stop(signal.SIGKILL), -signal.SIGKILL)
        with self.receiver.lock:
            self.receiver.failures["/down"] = 0
        self.assertEqual(self.receiver.at("/down", 200), [])
        self.server.start()
        wait_for(lambda: self.receiver.at("/down", 200), "the delivery after the restart")
        time.sleep(2)
        ok = self.receiver.at("/down", 200)
        self.assertEqual(len(ok), 1)
        self.assertEqual(len({r["headers"]["x-kefu-delivery"] for r in self.receiver.at("/down")}), 1)
        rows = self.deliveries(channel_id=ch["id"])
        self.assertEqual([r["state"] for r in rows], ["delivered"])

    # --- the API itself ---

    def test_bad_channel_input_is_400_naming_the_field_and_changes_nothing(self):
        token = self.tokens["sun"]
        before = self.ok("GET", "/api/v1/me/channels", token=token)["items"]
        cases = [
            ({"kind": "sms", "target": "13800000000"}, "kind"),
            ({"target": "a@example.com"}, "kind"),
            ({"kind": "webhook", "target": "ftp://example.com/x"}, "target"),
            ({"kind": "webhook", "target": "javascript:alert(1)"}, "target"),
            ({"kind": "wecom", "target": "not a url"}, "target"),
            ({"kind": "webhook"}, "target"),
            ({"kind": "email", "target": "not-an-email"}, "target"),
            ({"kind": "email", "target": "a@example.com\r\nBcc: b@example.com"}, "target"),
            ({"kind": "email", "target": "a@example.com", "secret": "x"}, "secret"),
            ({"kind": "webhook", "target": "http://127.0.0.1:9/h", "kinds": ["Red Case!"]}, "kinds"),
            ({"kind": "webhook", "target": "http://127.0.0.1:9/h", "enabled": "yes"}, "enabled"),
        ]
        for body, field in cases:
            self.assertError(self.call("POST", "/api/v1/me/channels", body, token=token), 400, "validation_failed", field)
        self.assertEqual(self.ok("GET", "/api/v1/me/channels", token=token)["items"], before)

    def test_secrets_are_write_only_and_never_logged(self):
        team = self.teams["华东"]
        ch = self.channel(f"/api/v1/teams/{team}/channels", {
            "kind": "dingtalk", "secret": "SEC-never-shown-42",
            "target": self.receiver.url("/dingtalk2/send?access_token=token-never-shown-42")})
        text = json.dumps(ch)
        self.assertNotIn("never-shown", text)
        self.assertNotIn("secret", ch)
        self.assertTrue(ch["has_secret"])
        self.assertEqual(ch["target"], f"http://127.0.0.1:{self.receiver.port}/…n-42")
        listed = self.ok("GET", f"/api/v1/teams/{team}/channels")
        self.assertNotIn("never-shown", json.dumps(listed))
        with self.receiver.lock:
            self.receiver.failures["/dingtalk2/send"] = 1  # one failure: an error is logged
        self.call("POST", f"/api/v1/teams/{team}/channels/{ch['id']}/test", {})
        wait_for(lambda: self.receiver.at("/dingtalk2/send", 200), "the test message after one failure")
        self.assertNotIn("never-shown", json.dumps(self.deliveries()))
        self.assertNotIn("never-shown", self.server.read_log())
        patched = self.ok("PATCH", f"/api/v1/teams/{team}/channels/{ch['id']}", {"secret": None})
        self.assertFalse(patched["has_secret"])

    def test_team_channels_need_a_lead_of_that_team_or_a_supervisor(self):
        south, east = self.teams["华南"], self.teams["华东"]
        body = {"kind": "wecom", "target": self.receiver.url("/perm/wecom?key=x")}
        self.assertError(self.call("POST", f"/api/v1/teams/{east}/channels", body, token=self.tokens["sun"]),
                         403, "forbidden")
        self.assertError(self.call("POST", f"/api/v1/teams/{east}/channels", body, token=self.tokens["li"]),
                         403, "forbidden")
        self.assertError(self.call("GET", f"/api/v1/teams/{east}/channels", token=self.tokens["li"]), 403, "forbidden")
        own = self.channel(f"/api/v1/teams/{south}/channels", body, token=self.tokens["li"])
        self.channel(f"/api/v1/teams/{south}/channels", body, token=self.tokens["zhao"])  # a supervisor of another team
        self.assertError(self.call("POST", "/api/v1/teams/999999/channels", body), 404, "not_found")
        # One team's channel is not reachable through another team's path.
        self.assertError(self.call("PATCH", f"/api/v1/teams/{east}/channels/{own['id']}", {"enabled": False}),
                         404, "not_found")
        self.assertError(self.call("GET", "/api/v1/outbox", token=self.tokens["zhao"]), 403, "forbidden")
        self.assertError(self.call("GET", "/api/v1/outbox?state=lost"), 400, "validation_failed", "state")

    def test_a_users_channels_are_their_own(self):
        mine = self.channel("/api/v1/me/channels", {"kind": "webhook", "target": self.receiver.url("/qian")},
                            token=self.tokens["qian"])
        self.assertError(self.call("PATCH", f"/api/v1/me/channels/{mine['id']}", {"enabled": False},
                                   token=self.tokens["zhao"]), 404, "not_found")
        self.assertError(self.call("DELETE", f"/api/v1/me/channels/{mine['id']}", token=self.tokens["zhao"]),
                         404, "not_found")
        patched = self.ok("PATCH", f"/api/v1/me/channels/{mine['id']}", {"enabled": False, "kinds": ["red_case"]},
                          token=self.tokens["qian"])
        self.assertEqual((patched["enabled"], patched["kinds"]), (False, ["red_case"]))
        self.assertError(self.call("PATCH", f"/api/v1/me/channels/{mine['id']}", {"kind": "email"},
                                   token=self.tokens["qian"]), 400, "validation_failed", "kind")
        self.ok("DELETE", f"/api/v1/me/channels/{mine['id']}", token=self.tokens["qian"], expect=204)
        ids = [c["id"] for c in self.ok("GET", "/api/v1/me/channels", token=self.tokens["qian"])["items"]]
        self.assertNotIn(mine["id"], ids)


class InternalTargetsTest(ServerTestCase):
    """Without [outbox] private_targets, a webhook on an internal address is never contacted."""

    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.receiver.stop()

    def test_a_personal_webhook_on_loopback_is_refused_for_good_and_never_contacted(self):
        ch = self.ok("POST", "/api/v1/me/channels", {"kind": "webhook", "target": self.receiver.url("/inside")})
        status, queued, _ = self.call("POST", f"/api/v1/me/channels/{ch['id']}/test", {})
        self.assertEqual(status, 202)
        row = wait_for(lambda: [d for d in self.ok("GET", "/api/v1/outbox?state=dead")["items"]
                                if d["id"] == queued["id"]], "the refused delivery")[0]
        self.assertEqual(row["attempts"], 1)
        self.assertIn("refused", row["last_error"])
        self.assertIn("private_targets", row["last_error"])
        self.assertNotIn("/inside", row["last_error"])
        self.assertEqual(self.receiver.at("/inside"), [])


if __name__ == "__main__":
    harness.main()
