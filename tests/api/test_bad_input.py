"""Bad input gets the documented error and changes nothing; customer text is
stored verbatim and returned safely escaped as JSON."""
import http.client
import json
import socket

import harness
from harness import ServerTestCase, ticket_body


class BadInputTest(ServerTestCase):
    def count(self):
        return self.ok("GET", "/api/v1/tickets?with_total=1&limit=1")["total"]

    def assertUnchanged(self, before):
        self.assertEqual(self.count(), before)

    def test_malformed_json_is_400_on_body(self):
        before = self.count()
        self.assertError(self.call("POST", "/api/v1/tickets", raw=b'{"subject": "x",', headers={"Content-Type": "application/json"}),
                         400, "validation_failed", "body")
        self.assertError(self.call("POST", "/api/v1/tickets", raw=b'[1,2]'), 400, "validation_failed", "body")
        self.assertUnchanged(before)

    def test_wrong_types_name_the_field(self):
        before = self.count()
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(subject=5)), 400, "validation_failed", "subject")
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(team_id="east")), 400, "validation_failed", "team_id")
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(customer={"name": "x", "tier": "gold"})),
                         400, "validation_failed", "customer.tier")
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(channel="fax")), 400, "validation_failed", "channel")
        self.assertUnchanged(before)

    def test_missing_fields_name_the_field(self):
        before = self.count()
        body = ticket_body()
        del body["subject"]
        self.assertError(self.call("POST", "/api/v1/tickets", body), 400, "validation_failed", "subject")
        body = ticket_body()
        del body["customer"]
        self.assertError(self.call("POST", "/api/v1/tickets", body), 400, "validation_failed", "customer")
        body = ticket_body()
        del body["channel"]
        self.assertError(self.call("POST", "/api/v1/tickets", body), 400, "validation_failed", "channel")
        self.assertUnchanged(before)

    def test_invalid_utf8_is_rejected(self):
        before = self.count()
        raw = json.dumps(ticket_body(), ensure_ascii=False).encode().replace("快递".encode(), b"\xff\xfe")
        self.assertError(self.call("POST", "/api/v1/tickets", raw=raw), 400, "validation_failed", "body")
        self.assertUnchanged(before)

    def test_oversized_body_is_413(self):
        before = self.count()
        big = json.dumps(ticket_body(description="投" * 400_000)).encode()  # 1.2 MB
        # The limit is enforced from Content-Length, before the body arrives.
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as s:
            s.sendall(b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Authorization: Bearer " + self.admin.encode() +
                      b"\r\nContent-Length: " + str(len(big)).encode() + b"\r\n\r\n" + big[:1000])
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        head, _, payload = reply.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 413"), head)
        self.assertEqual(json.loads(payload)["error"]["code"], "payload_too_large")
        self.assertUnchanged(before)

    def test_unknown_ids_and_routes_are_404_and_wrong_methods_405(self):
        self.assertError(self.call("GET", "/api/v1/tickets/999999"), 404, "not_found")
        self.assertError(self.call("GET", "/api/v1/tickets/abc"), 404, "not_found")
        self.assertError(self.call("POST", "/api/v1/tickets/999999/messages", {"kind": "reply", "body": "x"}), 404, "not_found")
        self.assertError(self.call("GET", "/api/v1/nothing-here"), 404, "not_found")
        status, body, _ = self.call("DELETE", "/api/v1/tickets")
        self.assertEqual(status, 405)

    def test_sql_and_html_metacharacters_are_stored_verbatim(self):
        nasty = "'; DROP TABLE tickets; -- <img src=x onerror=alert(1)> \"quoted\" \\ 退款"
        t = self.ok("POST", "/api/v1/tickets", ticket_body(subject=nasty, description=nasty,
                                                          customer={"name": "<script>alert(1)</script>"}))
        status, raw, hdrs = self.server.request("GET", f"/api/v1/tickets/{t['id']}", token=self.admin)
        self.assertEqual(raw["subject"], nasty)
        self.assertEqual(raw["customer"]["name"], "<script>alert(1)</script>")
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        # The JSON text itself escapes quotes and backslashes; the store still works.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port)
        conn.request("GET", f"/api/v1/tickets/{t['id']}", headers={"Authorization": "Bearer " + self.admin})
        text = conn.getresponse().read().decode()
        self.assertIn('\\"quoted\\"', text)
        self.assertGreaterEqual(self.count(), 1)

    def test_thai_and_vietnamese_text_round_trips(self):
        for subject in ["สินค้าชำรุด ต้องการคืนเงิน", "Tôi chưa nhận được hàng, yêu cầu hoàn tiền"]:
            t = self.ok("POST", "/api/v1/tickets", ticket_body(subject=subject))
            self.assertEqual(self.ok("GET", f"/api/v1/tickets/{t['id']}")["subject"], subject)

    def test_subject_over_200_characters_is_rejected(self):
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(subject="长" * 201)),
                         400, "validation_failed", "subject")

    def test_login_is_throttled_per_account(self):
        for _ in range(5):
            self.server.request("POST", "/api/v1/auth/login", {"username": "ghost", "password": "wrong-password"})
        status, body, hdrs = self.server.request("POST", "/api/v1/auth/login",
                                                 {"username": "ghost", "password": "wrong-password"})
        self.assertEqual(status, 429)
        self.assertEqual(body["error"]["code"], "rate_limited")
        self.assertGreater(int(hdrs["retry-after"]), 0)


if __name__ == "__main__":
    harness.main()
