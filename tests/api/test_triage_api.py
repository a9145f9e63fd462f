"""Triage and business calendars over real HTTP: rules, grading on intake,
red cases, routing with capacity, notifications, calendar arithmetic."""
import harness
from harness import ServerTestCase, ticket_body

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
       "BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;VALUE=DATE:20270101\r\n"
       "DTEND;VALUE=DATE:20270102\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


class TriageApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = cls.server.request
        cls.team_id = req("POST", "/api/v1/teams", {"name": "华东", "region": "east-china"}, token=cls.admin)[1]["id"]
        cls.other_team = req("POST", "/api/v1/teams", {"name": "东南亚", "region": "sea"}, token=cls.admin)[1]["id"]
        for username, role in (("li", "agent"), ("zhao", "agent"), ("boss", "supervisor")):
            req("POST", "/api/v1/users", {"username": username, "display_name": username, "role": role,
                                          "password": "pass-word-1", "team_ids": [cls.team_id]}, token=cls.admin)
        cls.agent = cls.server.login("li", "pass-word-1")
        cls.supervisor = cls.server.login("boss", "pass-word-1")
        cls.users = {u["username"]: u["id"] for u in req("GET", "/api/v1/users", token=cls.admin)[1]["items"]}

    def test_a_rule_is_validated_versioned_and_fires_in_the_dry_run(self):
        bad = self.call("POST", "/api/v1/triage/rules",
                        {"name": "坏规则", "when": {"all": [{"field": "channel", "op": "gte", "value": "phone"}]},
                         "then": [{"type": "add_tags", "value": ["x"]}]})
        self.assertError(bad, 400, "validation_failed")
        self.assertIn("when.all[0]", bad[1]["error"]["field"])
        rule = self.ok("POST", "/api/v1/triage/rules",
                       {"name": "安装问题", "when": {"field": "text", "op": "contains_any", "value": ["安装"]},
                        "then": [{"type": "add_tags", "value": ["安装"]}]}, expect=201)
        self.ok("PATCH", f"/api/v1/triage/rules/{rule['id']}", {"name": "安装问题 v2"})
        versions = self.ok("GET", f"/api/v1/triage/rules/{rule['id']}/versions")["items"]
        self.assertEqual([v["version"] for v in versions], [2, 1])
        dry = self.ok("POST", "/api/v1/triage/dry-run", {"subject": "洗衣机一直没人来安装"})
        self.assertIn(rule["id"], [f["id"] for f in dry["fired"]])
        self.assertError(self.call("POST", "/api/v1/triage/rules", {"name": "x"}, token=self.agent), 403, "forbidden")

    def test_a_media_threat_is_graded_and_becomes_a_red_case_with_a_notification(self):
        before = self.ok("GET", "/api/v1/notifications", token=self.supervisor)["unread"]
        t = self.ok("POST", "/api/v1/tickets",
                    ticket_body(subject="再不解决我就找记者曝光你们", description="我要发微博让大家都看看！！",
                                team_id=self.team_id, source_ref="media-1"), expect=201)
        got = self.ok("GET", f"/api/v1/tickets/{t['id']}")
        self.assertGreaterEqual(got["emotion"], 3)
        self.assertIn("media", got["threats"])
        self.assertTrue(got["red_case"])
        self.assertEqual(got["language"], "zh")
        triage = self.ok("GET", f"/api/v1/tickets/{t['id']}/triage")
        self.assertTrue(any(c["kind"] == "threat" for c in _cues(triage["history"][0])), triage)
        board = self.ok("GET", "/api/v1/red-cases", token=self.supervisor)["items"]
        case = next(c for c in board if c["ticket"]["id"] == t["id"])
        after = self.ok("GET", "/api/v1/notifications", token=self.supervisor)
        self.assertGreater(after["unread"], before)
        self.assertTrue(any(n["kind"] == "red_case" and n["ticket_id"] == t["id"] for n in after["items"]))
        # Leaving red status needs a reason.
        self.assertError(self.call("POST", f"/api/v1/red-cases/{case['id']}/close", {}, token=self.supervisor),
                         400, "validation_failed", "reason")
        self.ok("POST", f"/api/v1/red-cases/{case['id']}/updates", {"body": "已联系客户，今日上门"}, token=self.supervisor)
        closed = self.ok("POST", f"/api/v1/red-cases/{case['id']}/close", {"reason": "客户接受处理方案"},
                         token=self.supervisor)
        self.assertEqual(closed["state"], "closed")
        self.assertFalse(self.ok("GET", f"/api/v1/tickets/{t['id']}")["red_case"])

    def test_routing_assigns_by_load_and_never_over_capacity(self):
        team = self.ok("POST", "/api/v1/teams", {"name": "路由组", "region": "north"}, expect=201)["id"]
        a = self.ok("POST", "/api/v1/users", {"username": "route-a", "display_name": "A", "role": "agent",
                                               "password": "pass-word-1", "team_ids": [team]}, expect=201)["id"]
        self.ok("PATCH", f"/api/v1/routing/teams/{team}", {"mode": "least_loaded"})
        self.ok("PATCH", f"/api/v1/routing/agents/{a}", {"presence": "online", "capacity": 1})
        first = self.ok("POST", "/api/v1/tickets", ticket_body(team_id=team, source_ref="route-1",
                                                                 customer={"name": "甲", "phone": "13700000001"}))
        second = self.ok("POST", "/api/v1/tickets", ticket_body(team_id=team, source_ref="route-2",
                                                                  customer={"name": "乙", "phone": "13700000002"}))
        one = self.ok("GET", f"/api/v1/tickets/{first['id']}")
        self.assertEqual(one["assignee_id"], a)
        routed = [e for e in one["events"] if e["type"] == "routed"]
        self.assertTrue(routed and routed[0]["detail"], one["events"])
        two = self.ok("GET", f"/api/v1/tickets/{second['id']}")
        self.assertIsNone(two["assignee_id"], "the only agent is at capacity")
        self.assertTrue(any(e["type"] == "queued" for e in two["events"]))

    def test_a_department_lexicon_term_grades_new_text(self):
        self.assertError(self.call("POST", "/api/v1/triage/lexicon", {"kind": "nonsense", "term": "x"}),
                         400, "validation_failed", "kind")
        before = self.ok("POST", "/api/v1/triage/dry-run", {"subject": "你们的服务真是蜗牛速度"})
        self.ok("POST", "/api/v1/triage/lexicon", {"kind": "negative", "term": "蜗牛速度", "weight": 3, "language": "zh"},
                expect=201)
        after = self.ok("POST", "/api/v1/triage/dry-run", {"subject": "你们的服务真是蜗牛速度"})
        self.assertGreater(after["emotion"], before["emotion"])

    def test_agents_cannot_read_customers_at_risk(self):
        self.assertError(self.call("GET", "/api/v1/customers/at-risk", token=self.agent), 403, "forbidden")
        self.assertIn("items", self.ok("GET", "/api/v1/customers/at-risk", token=self.supervisor))

    def test_calendar_arithmetic_follows_holidays_and_adjusted_working_days(self):
        # 2026-09-30 17:30 Shanghai + 60 business minutes: 30 that day, then the National Day holiday
        # (10-01..10-07), then 30 on Thursday 10-08 from 09:00.
        due = self.ok("GET", "/api/v1/calendars/cn-2026/add?from=2026-09-30T09:30:00Z&minutes=60", token=self.agent)
        self.assertEqual(due["due"], "2026-10-08T01:30:00.000Z")
        # Sunday 2026-09-20 is a working day (调休): 09:00-18:00 minus lunch.
        between = self.ok("GET", "/api/v1/calendars/cn-2026/between?from=2026-09-19T16:00:00Z&to=2026-09-20T16:00:00Z",
                          token=self.agent)
        self.assertGreater(between["seconds"], 7 * 3600)
        self.assertError(self.call("GET", "/api/v1/calendars/cn-2026/add?from=yesterday&minutes=5"),
                         400, "validation_failed", "from")
        self.assertError(self.call("GET", "/api/v1/calendars/nope/add?from=2026-09-30T09:30:00Z&minutes=5"),
                         404, "not_found")

    def test_calendars_are_created_bound_and_take_holidays_from_icalendar(self):
        bad = self.call("POST", "/api/v1/calendars", {"id": "bad", "name": "坏", "time_zone": "Mars/Olympus",
                                                      "weekly": {}})
        self.assertError(bad, 400, "validation_failed", "time_zone")
        self.assertError(self.call("POST", "/api/v1/calendars", {"id": "x", "name": "x", "time_zone": "UTC"},
                                   token=self.agent), 403, "forbidden")
        cal = self.ok("POST", "/api/v1/calendars",
                      {"id": "vn-hcm", "name": "Hồ Chí Minh", "time_zone": "Asia/Ho_Chi_Minh",
                       "weekly": {d: ["08:00-17:00"] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")}},
                      expect=201)
        self.assertEqual(cal["time_zone"], "Asia/Ho_Chi_Minh")
        status, _, _ = self.call("PUT", "/api/v1/calendars/vn-hcm/holidays", raw=ICS.encode(),
                                 headers={"Content-Type": "text/calendar"})
        self.assertEqual(status, 200)
        status, text, hdrs = self.call("GET", "/api/v1/calendars/vn-hcm/holidays")
        self.assertTrue(hdrs["content-type"].startswith("text/calendar"))
        self.assertIn("DTSTART;VALUE=DATE:20270101", text)
        self.assertIn("元旦", text)
        # Friday 2027-01-01 is now a holiday: 08:00 local is closed until Monday.
        due = self.ok("GET", "/api/v1/calendars/vn-hcm/add?from=2027-01-01T01:00:00Z&minutes=60")
        self.assertEqual(due["due"], "2027-01-04T02:00:00.000Z")
        self.ok("PUT", "/api/v1/calendar-bindings", {"scope": "team", "value": str(self.other_team),
                                                     "calendar": "vn-hcm"})
        self.assertError(self.call("DELETE", "/api/v1/calendars/vn-hcm"), 409, "conflict")
        self.ok("PUT", "/api/v1/calendar-bindings", {"scope": "team", "value": str(self.other_team), "calendar": ""})
        self.assertEqual(self.call("DELETE", "/api/v1/calendars/vn-hcm")[0], 204)


def _cues(record):
    import json
    cues = record.get("cues")
    return json.loads(cues) if isinstance(cues, str) else cues


if __name__ == "__main__":
    harness.main()
