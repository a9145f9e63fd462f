"""The complaint API over real HTTP: the contract other tools rely on."""
import harness
from harness import ServerTestCase, ticket_body


class TicketApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        team = cls.server.request("POST", "/api/v1/teams", {"name": "华东", "region": "east-china"},
                                  token=cls.admin)[1]
        cls.team_id = team["id"]
        cls.server.request("POST", "/api/v1/users", {"username": "wang", "display_name": "王芳", "role": "agent",
                                                     "password": "agent-pass-1", "team_ids": [cls.team_id]},
                           token=cls.admin)
        cls.agent = cls.server.login("wang", "agent-pass-1")

    def test_login_returns_a_bearer_token_and_the_user(self):
        status, body, hdrs = self.server.request("POST", "/api/v1/auth/login",
                                                 {"username": "admin", "password": harness.ADMIN_PASSWORD})
        self.assertEqual(status, 200)
        self.assertEqual(body["user"]["username"], "admin")
        self.assertIn("tickets.create", body["user"]["permissions"])
        self.assertIn("HttpOnly", hdrs["set-cookie"])
        self.assertIn("SameSite=Strict", hdrs["set-cookie"])
        me = self.ok("GET", "/api/v1/auth/me", token=body["token"])
        self.assertEqual(me["user"]["role"], "admin")

    def test_wrong_password_is_401_and_unknown_token_is_401(self):
        self.assertError(self.server.request("POST", "/api/v1/auth/login", {"username": "admin", "password": "nope-nope"}),
                         401, "invalid_credentials")
        self.assertError(self.call("GET", "/api/v1/tickets", token="not-a-token"), 401, "unauthenticated")
        self.assertError(self.server.request("GET", "/api/v1/tickets"), 401, "unauthenticated")

    def test_create_returns_201_with_id_number_and_state(self):
        t = self.ok("POST", "/api/v1/tickets", ticket_body(team_id=self.team_id), expect=201)
        self.assertIsInstance(t["id"], int)
        self.assertRegex(t["number"], r"^\d{8}-\d{5}$")
        self.assertEqual(t["state"], "new")
        self.assertEqual(t["customer"]["tier"], "vip")
        self.assertEqual(t["category"], "logistics")
        got = self.ok("GET", f"/api/v1/tickets/{t['id']}")
        self.assertEqual(got["subject"], "快递三天没到")
        self.assertEqual(got["events"][0]["type"], "created")
        self.assertEqual(got["messages"], [])

    def test_same_source_ref_returns_the_existing_complaint(self):
        body = ticket_body(source_ref="wechat-msg-881")
        first = self.ok("POST", "/api/v1/tickets", body, expect=201)
        status, again, _ = self.call("POST", "/api/v1/tickets", body)
        self.assertEqual(status, 200)
        self.assertEqual(again["id"], first["id"])

    def test_list_filters_sorts_and_pages_with_a_cursor(self):
        ids = []
        for i in range(7):
            t = self.ok("POST", "/api/v1/tickets",
                        ticket_body(subject=f"分页 {i}", channel="email", severity="severe", source_ref=f"page-{i}"))
            ids.append(t["id"])
        seen, cursor = [], None
        while True:
            path = "/api/v1/tickets?channel=email&severity=severe&limit=3&sort=created_at"
            if cursor:
                path += "&cursor=" + cursor
            page = self.ok("GET", path)
            seen += [t["id"] for t in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, sorted(ids))
        page = self.ok("GET", "/api/v1/tickets?state=closed&with_total=1")
        self.assertEqual(page["total"], 0)
        self.assertError(self.call("GET", "/api/v1/tickets?state=bogus"), 400, "validation_failed", "state")
        self.assertError(self.call("GET", "/api/v1/tickets?created_from=yesterday"), 400, "validation_failed",
                         "created_from")

    def test_reply_handoff_answer_resolve_close(self):
        t = self.ok("POST", "/api/v1/tickets", ticket_body(team_id=self.team_id), token=self.agent)
        msg = self.ok("POST", f"/api/v1/tickets/{t['id']}/messages", {"kind": "reply", "body": "已为您催促快递"},
                      token=self.agent, expect=201)
        self.assertEqual(msg["kind"], "reply")
        call = self.ok("POST", f"/api/v1/tickets/{t['id']}/messages",
                       {"kind": "call", "body": "回访电话", "call_direction": "outbound", "call_duration_seconds": 125},
                       token=self.agent, expect=201)
        self.assertEqual(call["call_duration_seconds"], 125)
        h = self.ok("POST", f"/api/v1/tickets/{t['id']}/handoffs",
                    {"department": "logistics", "question": "请核实运单位置", "due_at": "2099-01-01T00:00:00Z"},
                    token=self.agent, expect=201)
        got = self.ok("GET", f"/api/v1/tickets/{t['id']}", token=self.agent)
        self.assertEqual(got["state"], "open")
        self.assertEqual(got["waiting_on"][0]["department"], "logistics")
        inbox = self.ok("GET", "/api/v1/handoffs?department=logistics&state=open")["items"]
        mine = [x for x in inbox if x["id"] == h["id"]]
        self.assertEqual(mine[0]["ticket_number"], t["number"])
        self.assertEqual(mine[0]["ticket_subject"], t["subject"])
        self.ok("POST", f"/api/v1/handoffs/{h['id']}/answer", {"answer": "明天送达"})
        got = self.ok("GET", f"/api/v1/tickets/{t['id']}", token=self.agent)
        self.assertEqual(got["waiting_on"], [])
        self.assertEqual(got["handoffs"][0]["answer"], "明天送达")
        self.ok("POST", f"/api/v1/tickets/{t['id']}/transitions", {"state": "resolved"}, token=self.agent)
        self.assertError(self.call("POST", f"/api/v1/tickets/{t['id']}/transitions", {"state": "pending_customer"},
                                   token=self.agent), 409, "invalid_transition")
        closed = self.ok("POST", f"/api/v1/tickets/{t['id']}/transitions", {"state": "closed"}, token=self.agent)
        self.assertEqual(closed["state"], "closed")
        self.assertEqual(closed["allowed_transitions"], [])

    def test_links_and_merge(self):
        a = self.ok("POST", "/api/v1/tickets", ticket_body(subject="重复 A"))
        b = self.ok("POST", "/api/v1/tickets", ticket_body(subject="重复 B"))
        link = self.ok("POST", f"/api/v1/tickets/{a['id']}/links", {"kind": "related", "ticket_id": b["id"]}, expect=201)
        self.assertEqual(self.ok("GET", f"/api/v1/tickets/{b['id']}")["links"][0]["ticket_id"], a["id"])
        self.ok("DELETE", f"/api/v1/tickets/{a['id']}/links/{link['id']}", expect=204)
        self.assertEqual(self.ok("GET", f"/api/v1/tickets/{b['id']}")["links"], [])
        merged = self.ok("POST", f"/api/v1/tickets/{a['id']}/merge", {"into_id": b["id"]})
        self.assertEqual(merged["state"], "merged")
        self.assertEqual(merged["merged_into_id"], b["id"])

    def test_agents_cannot_administer_or_see_other_teams(self):
        self.assertError(self.call("POST", "/api/v1/users", {"username": "x", "role": "admin", "password": "12345678"},
                                   token=self.agent), 403, "forbidden")
        other = self.ok("POST", "/api/v1/tickets", ticket_body(subject="别的组"))  # no team
        self.assertError(self.call("GET", f"/api/v1/tickets/{other['id']}", token=self.agent), 404, "not_found")

    def test_contact_data_is_masked_for_qa(self):
        self.ok("POST", "/api/v1/users", {"username": "qa1", "role": "qa", "password": "qa-pass-123"})
        qa = self.server.login("qa1", "qa-pass-123")
        t = self.ok("POST", "/api/v1/tickets", ticket_body(customer={"name": "刘洋", "phone": "13900001111",
                                                                      "email": "liu@example.com"}))
        seen = self.ok("GET", f"/api/v1/tickets/{t['id']}", token=qa)
        self.assertEqual(seen["customer"]["phone"], "139****1111")
        self.assertEqual(seen["customer"]["email"], "l***@example.com")
        self.assertError(self.call("GET", "/api/v1/customers?phone=13900001111", token=qa), 403, "forbidden")

    def test_customers_are_found_by_phone_and_list_their_complaints(self):
        t = self.ok("POST", "/api/v1/tickets", ticket_body(customer={"name": "陈静", "phone": "+86 137-0000-2222"}))
        found = self.ok("GET", "/api/v1/customers?phone=%2B8613700002222")["items"]
        self.assertEqual(len(found), 1)
        cid = found[0]["id"]
        self.assertEqual(cid, t["customer"]["id"])
        listed = self.ok("GET", f"/api/v1/customers/{cid}/tickets")["items"]
        self.assertEqual([x["id"] for x in listed], [t["id"]])
        by_prefix = self.ok("GET", "/api/v1/customers?q=%E9%99%88")["items"]  # 陈
        self.assertIn(cid, [c["id"] for c in by_prefix])

    def test_cookie_sessions_need_the_csrf_token_on_writes(self):
        status, body, hdrs = self.server.request("POST", "/api/v1/auth/login",
                                                 {"username": "wang", "password": "agent-pass-1"})
        cookie = hdrs["set-cookie"].split(";")[0]
        self.assertError(self.server.request("POST", "/api/v1/tickets", ticket_body(), headers={"Cookie": cookie}),
                         403, "forbidden")
        status, created, _ = self.server.request("POST", "/api/v1/tickets", ticket_body(team_id=self.team_id),
                                                 headers={"Cookie": cookie, "X-CSRF-Token": body["csrf_token"]})
        self.assertEqual(status, 201, created)
        status, _, _ = self.server.request("GET", "/api/v1/tickets", headers={"Cookie": cookie})
        self.assertEqual(status, 200)

    def test_api_tokens_are_scoped_and_revocable(self):
        tok = self.ok("POST", "/api/v1/tokens", {"name": "大屏", "scopes": ["tickets.read"]}, expect=201)
        self.ok("GET", "/api/v1/tickets", token=tok["token"])
        self.assertError(self.call("POST", "/api/v1/tickets", ticket_body(), token=tok["token"]), 403, "forbidden")
        self.ok("DELETE", f"/api/v1/tokens/{tok['id']}", expect=204)
        self.assertError(self.call("GET", "/api/v1/tickets", token=tok["token"]), 401, "unauthenticated")

    def test_audit_log_records_logins_and_permission_changes(self):
        self.ok("POST", "/api/v1/users", {"username": "lead1", "role": "agent", "password": "lead-pass-1"})
        users = self.ok("GET", "/api/v1/users")["items"]
        uid = next(u["id"] for u in users if u["username"] == "lead1")
        self.ok("PATCH", f"/api/v1/users/{uid}", {"role": "team_lead"})
        actions = [a["action"] for a in self.ok("GET", "/api/v1/audit?limit=50")["items"]]
        self.assertIn("permissions.change", actions)
        self.assertIn("user.create", actions)
        self.assertIn("login", actions)


if __name__ == "__main__":
    harness.main()
