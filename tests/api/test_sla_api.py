"""Service levels on lists over real HTTP: the SLA summary of each complaint
in GET /tickets (running, then warning, then late), the same rows on the
at-risk and breached lists, and who may see them.

The server runs on the real clock (kefu serve has no test clock), so the
policy of these complaints is short: a first response within one minute of
wall time with a warning at 25 % (15 s). The test waits for those instants;
it takes a little over a minute."""
import time
from datetime import datetime

import harness
from harness import ServerTestCase, ticket_body


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class SlaListsApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = cls.server.request
        cls.team_id = req("POST", "/api/v1/teams", {"name": "在线客服", "region": "east-china"}, token=cls.admin)[1]["id"]
        cls.other_team = req("POST", "/api/v1/teams", {"name": "热线", "region": "north"}, token=cls.admin)[1]["id"]
        for username, team in (("chat-agent", cls.team_id), ("hotline-agent", cls.other_team)):
            status, body, _ = req("POST", "/api/v1/users", {"username": username, "display_name": username, "role": "agent",
                                                             "password": "pass-word-1", "team_ids": [team]}, token=cls.admin)
            assert status == 201, body
        cls.agent = cls.server.login("chat-agent", "pass-word-1")
        cls.outsider = cls.server.login("hotline-agent", "pass-word-1")
        status, body, _ = req("POST", "/api/v1/sla/policies", {
            "name": "在线 1 分钟 Chat within a minute", "position": 1,
            "when": {"field": "channel", "op": "eq", "value": "chat"},
            "targets": {"first_response": {"minutes": 1, "business": False},
                        "resolution": {"minutes": 600, "business": False}},
            "warnings": [25]}, token=cls.admin)
        assert status == 201, body

    def list_item(self, ticket_id, token=None):
        items = self.ok("GET", f"/api/v1/tickets?team_id={self.team_id}&limit=200", token=token)["items"]
        return next((i for i in items if i["id"] == ticket_id), None)

    def sla_rows(self, which, token=None, **query):
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return self.ok("GET", f"/api/v1/sla/{which}?{q}", token=token)["items"]

    def assertSameRows(self, rows):
        """Each row's complaint is the list item of GET /tickets, and its summary the item's."""
        self.assertTrue(rows)
        for row in rows:
            item = self.list_item(row["ticket_id"])
            self.assertIsNotNone(item, row)
            self.assertEqual(row["ticket"]["id"], row["ticket_id"])
            self.assertEqual(row["ticket"], {k: v for k, v in item.items() if k != "sla_summary"})
            self.assertEqual(row["summary"], item["sla_summary"])

    def test_a_list_item_shows_its_service_level_running_then_warning_then_late(self):
        created = time.time()
        t = self.ok("POST", "/api/v1/tickets", ticket_body(channel="chat", team_id=self.team_id, source_ref="sla-chat-1",
                                                            subject="聊天里没人回复"), expect=201)
        phone = self.ok("POST", "/api/v1/tickets", ticket_body(team_id=self.team_id, source_ref="sla-phone-1",
                                                                customer={"name": "王芳", "phone": "13600000001"}),
                        expect=201)

        # Running: the first response is due a minute after intake, the warning at 15 s.
        item = self.list_item(t["id"])
        s = item["sla_summary"]
        self.assertEqual(s["next_metric"], "first_response")
        self.assertIsNone(s["next_ref"])
        self.assertAlmostEqual(ts(s["next_due_at"]), created + 60, delta=5)
        self.assertAlmostEqual(ts(s["warning_at"]), ts(s["next_due_at"]) - 45, delta=1)
        self.assertFalse(s["warning"])
        self.assertFalse(s["breached"])
        self.assertIsNone(s["breached_metric"])
        detail = self.ok("GET", f"/api/v1/tickets/{t['id']}")
        self.assertEqual(detail["sla"]["summary"], s, "the complaint view says the same")
        self.assertNotIn("sla_summary", detail)
        # The other complaint runs under the default policy (business hours): a summary of its own.
        self.assertIsNotNone(self.list_item(phone["id"])["sla_summary"]["next_due_at"])
        # A customer's complaints carry it too.
        mine = self.ok("GET", f"/api/v1/customers/{detail['customer_id']}/tickets")["items"]
        self.assertEqual(next(i for i in mine if i["id"] == t["id"])["sla_summary"], s)

        # The at-risk list: the chat complaint within five minutes; both within a week, soonest first.
        soon = self.sla_rows("at-risk", team_id=self.team_id, within_minutes=5)
        self.assertEqual([r["ticket_id"] for r in soon], [t["id"]])
        self.assertSameRows(soon)
        week = self.sla_rows("at-risk", team_id=self.team_id, within_minutes=7 * 24 * 60)
        self.assertEqual([r["ticket_id"] for r in week][:2], [t["id"], phone["id"]])
        self.assertSameRows(week)
        self.assertEqual(self.sla_rows("breached", team_id=self.team_id), [])

        # Permissions are those of the lists before: an agent of another team gets neither the rows nor the complaint.
        self.assertError(self.call("GET", f"/api/v1/sla/at-risk?team_id={self.team_id}", token=self.outsider),
                         400, "validation_failed", "team_id")
        self.assertEqual(self.sla_rows("at-risk", token=self.outsider, team_id=self.other_team,
                                       within_minutes=7 * 24 * 60), [])
        self.assertIsNone(self.list_item(t["id"], token=self.outsider))
        self.assertEqual(self.list_item(t["id"], token=self.agent)["sla_summary"], s)

        # Warning: past 25 % of the minute.
        self.sleep_until(ts(s["warning_at"]) + 1)
        w = self.list_item(t["id"])["sla_summary"]
        self.assertTrue(w["warning"], w)
        self.assertFalse(w["breached"], w)
        self.assertEqual(w["next_metric"], "first_response")
        self.assertEqual(w["next_due_at"], s["next_due_at"])

        # Late: a second after the due time the breach timer has fired; the summary names the clock.
        self.sleep_until(ts(s["next_due_at"]) + 1.5)
        b = self.list_item(t["id"])["sla_summary"]
        self.assertTrue(b["breached"], b)
        self.assertEqual(b["breached_metric"], "first_response")
        self.assertAlmostEqual(ts(b["breached_at"]), ts(s["next_due_at"]), delta=0.01)
        self.assertEqual(b["next_metric"], "resolution", "the next clock due is now the resolution")
        self.assertFalse(b["warning"], "the resolution clock is far from its warning")
        late = self.sla_rows("breached", team_id=self.team_id)
        self.assertEqual([r["ticket_id"] for r in late], [t["id"]])
        self.assertSameRows(late)
        self.assertTrue(late[0]["breached"])
        self.assertNotIn(t["id"], [r["ticket_id"] for r in self.sla_rows("at-risk", team_id=self.team_id,
                                                                            within_minutes=5)])
        self.assertEqual(self.sla_rows("breached", token=self.outsider, team_id=self.other_team), [])

        # Answered: the first response is met late, a finished clock: neither the summary nor the
        # breached list counts it any more.
        self.ok("POST", f"/api/v1/tickets/{t['id']}/messages", {"kind": "reply", "body": "您好，马上为您处理"}, expect=201)
        after = self.list_item(t["id"])["sla_summary"]
        self.assertFalse(after["breached"], after)
        self.assertEqual(after["next_metric"], "resolution")
        self.assertEqual(self.sla_rows("breached", team_id=self.team_id), [])

    def sleep_until(self, instant):
        delay = instant - time.time()
        if delay > 0:
            time.sleep(delay)


if __name__ == "__main__":
    harness.main()
