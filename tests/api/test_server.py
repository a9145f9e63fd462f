"""The server process: durability under SIGKILL, graceful shutdown, the data
directory lock, operations endpoints, backup and the command line."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import Server, run_cli, ticket_body


class CrashTest(unittest.TestCase):
    def test_every_acknowledged_complaint_survives_sigkill(self):
        s = Server()
        try:
            run_cli("migrate", "--data", s.data)
            s.create_user("admin", "admin", harness.ADMIN_PASSWORD)
            s.start()
            token = s.login("admin", harness.ADMIN_PASSWORD)
            acked, lock, stop = [], threading.Lock(), threading.Event()

            def burst(n):
                i = 0
                while not stop.is_set():
                    try:
                        status, body, _ = s.request("POST", "/api/v1/tickets",
                                                    ticket_body(subject=f"崩溃测试 {n}-{i}", source_ref=f"crash-{n}-{i}"),
                                                    token=token)
                    except OSError:
                        return
                    if status == 201:
                        with lock:
                            acked.append((body["id"], body["number"], body["subject"]))
                    i += 1

            threads = [threading.Thread(target=burst, args=(n,)) for n in range(8)]
            for t in threads:
                t.start()
            time.sleep(2.0)
            s.proc.send_signal(signal.SIGKILL)
            s.proc.wait()
            stop.set()
            for t in threads:
                t.join()
            self.assertGreater(len(acked), 20)
            db = sqlite3.connect(os.path.join(s.data, "kefu.db"))
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            db.close()
            s.start()
            token = s.login("admin", harness.ADMIN_PASSWORD)
            for tid, number, subject in acked:
                status, body, _ = s.request("GET", f"/api/v1/tickets/{tid}", token=token)
                self.assertEqual(status, 200, f"acknowledged complaint {tid} lost")
                self.assertEqual((body["number"], body["subject"]), (number, subject))
                self.assertEqual(body["events"][0]["type"], "created")
        finally:
            s.cleanup()


class ProcessTest(harness.ServerTestCase):
    def test_health_readiness_and_metrics(self):
        status, body, _ = self.server.request("GET", "/healthz")
        self.assertEqual((status, body), (200, "ok\n"))
        self.assertEqual(self.server.request("GET", "/readyz")[0], 200)
        status, metrics, hdrs = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn("kefu_http_requests_total", metrics)
        self.assertIn("kefu_store_commits_total", metrics)
        self.assertTrue(hdrs["content-type"].startswith("text/plain"))

    def test_openapi_document_is_served(self):
        status, doc, _ = self.server.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(status, 200)
        self.assertIn("openapi: 3.1", doc)

    def test_a_second_server_on_the_same_data_directory_is_refused(self):
        p = subprocess.run([harness.KEFU, "serve", "--data", self.server.data, "--listen",
                            f"127.0.0.1:{harness.free_port()}"], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("in use", p.stderr)

    def test_backup_while_serving_is_a_consistent_copy(self):
        self.ok("POST", "/api/v1/tickets", ticket_body(subject="备份前"))
        out = os.path.join(tempfile.mkdtemp(), "kefu-backup.db")
        run_cli("backup", "--data", self.server.data, "--to", out)
        db = sqlite3.connect(out)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        subjects = [r[0] for r in db.execute("SELECT subject FROM tickets")]
        self.assertIn("备份前", subjects)
        db.close()
        shutil.rmtree(os.path.dirname(out))

    def test_export_is_audited(self):
        self.ok("POST", "/api/v1/tickets", ticket_body(subject="导出"))
        p = run_cli("export", "--data", self.server.data)
        lines = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertIn("导出", [l["subject"] for l in lines])
        actions = [a["action"] for a in self.ok("GET", "/api/v1/audit")["items"]]
        self.assertIn("export", actions)


class WebAppTest(unittest.TestCase):
    def test_serves_the_app_with_spa_fallback_csp_and_leaves_operations_alone(self):
        web = tempfile.mkdtemp(prefix="kefu-web-")
        os.makedirs(os.path.join(web, "assets"))
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>kefu</title>")
        with open(os.path.join(web, "assets", "app-abc123.js"), "w") as f:
            f.write("console.log(1)")
        s = Server(extra_env={"KEFU_WEB_DIR": web})
        try:
            run_cli("migrate", "--data", s.data)
            s.start()
            status, body, hdrs = s.request("GET", "/queue/mine")
            self.assertEqual(status, 200)
            self.assertIn("<title>kefu</title>", body)
            self.assertIn("default-src 'self'", hdrs["content-security-policy"])
            status, _, hdrs = s.request("GET", "/assets/app-abc123.js")
            self.assertEqual(status, 200)
            self.assertIn("immutable", hdrs["cache-control"])
            self.assertEqual(s.request("GET", "/assets/missing.js")[0], 404)
            self.assertEqual(s.request("GET", "/healthz")[1], "ok\n")
            self.assertIn("kefu_http_requests_total", s.request("GET", "/metrics")[1])
            self.assertEqual(s.request("GET", "/api/v1/tickets")[0], 401)
        finally:
            s.cleanup()
            shutil.rmtree(web, ignore_errors=True)


class LifecycleTest(unittest.TestCase):
    def test_sigterm_finishes_and_exits_zero(self):
        s = Server()
        try:
            run_cli("migrate", "--data", s.data)
            s.start()
            self.assertEqual(s.stop(signal.SIGTERM), 0)
        finally:
            s.cleanup()

    def test_cli_user_commands_and_clear_errors(self):
        data = tempfile.mkdtemp(prefix="kefu-cli-")
        try:
            self.assertIn("kefu", run_cli("version").stdout)
            run_cli("user", "add", "--data", data, "--username", "lin", "--role", "agent", "--password-stdin",
                    stdin="lin-pass-123\n")
            self.assertIn("lin", run_cli("user", "list", "--data", data).stdout)
            bad = run_cli("user", "add", "--data", data, "--username", "lin2", "--role", "boss", "--password-stdin",
                          stdin="lin-pass-123\n", check=False)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("role", bad.stderr)
            short = run_cli("user", "add", "--data", data, "--username", "lin3", "--role", "agent", "--password-stdin",
                            stdin="short\n", check=False)
            self.assertNotEqual(short.returncode, 0)
            self.assertIn("password", short.stderr)
            run_cli("user", "passwd", "--data", data, "--username", "lin", "--password-stdin", stdin="new-pass-456\n")
            run_cli("user", "disable", "--data", data, "--username", "lin")
            self.assertIn("disabled", run_cli("user", "list", "--data", data).stdout)
            missing = run_cli("export", "--data", data + "/nope", check=False)
            self.assertNotEqual(missing.returncode, 0)
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    harness.main()
