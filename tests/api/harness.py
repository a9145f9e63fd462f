"""Starts a real kefu server on a loopback port with a temporary data
directory, and speaks HTTP to it. Used by every API test."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

KEFU = os.environ.get("KEFU_BIN", "build/asan/kefu")
ADMIN_PASSWORD = "admin-pass-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, stdin=None, check=True):
    p = subprocess.run([KEFU, *args], input=stdin, capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"kefu {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


class Server:
    def __init__(self, data_dir=None, extra_env=None):
        self.own_dir = data_dir is None
        self.data = data_dir or tempfile.mkdtemp(prefix="kefu-api-")
        self.port = free_port()
        self.proc = None
        self.env = dict(os.environ, **(extra_env or {}))

    def create_user(self, username, role, password, extra=()):
        run_cli("user", "add", "--data", self.data, "--username", username, "--role", role,
                "--password-stdin", *extra, stdin=password + "\n")

    def start(self):
        if getattr(self, "log", None):
            self.log.close()
        self.log = open(os.path.join(self.data, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [KEFU, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("kefu serve exited early: " + self.read_log())
            try:
                status, _, _ = self.request("GET", "/readyz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("kefu did not become ready: " + self.read_log())

    def read_log(self):
        with open(os.path.join(self.data, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        code = self.proc.returncode if self.proc else None
        self.proc = None
        return code

    def cleanup(self):
        self.stop()
        if getattr(self, "log", None):
            self.log.close()
        if self.own_dir:
            shutil.rmtree(self.data, ignore_errors=True)

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
        ctype = hdrs.get("content-type", "")
        if payload and ctype.startswith("application/json"):
            return resp.status, json.loads(payload), hdrs
        return resp.status, payload.decode("utf-8", "replace"), hdrs

    def login(self, username, password):
        status, body, hdrs = self.request("POST", "/api/v1/auth/login",
                                          {"username": username, "password": password})
        if status != 200:
            raise AssertionError(f"login {username}: {status} {body}")
        return body["token"]


class ServerTestCase(unittest.TestCase):
    """One server per test class, with an admin already created."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        run_cli("migrate", "--data", cls.server.data)
        cls.server.create_user("admin", "admin", ADMIN_PASSWORD)
        cls.server.start()
        cls.admin = cls.server.login("admin", ADMIN_PASSWORD)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def call(self, method, path, body=None, token=None, **kw):
        return self.server.request(method, path, body, token=token or self.admin, **kw)

    def ok(self, method, path, body=None, token=None, expect=(200, 201)):
        status, data, _ = self.call(method, path, body, token)
        expected = expect if isinstance(expect, tuple) else (expect,)
        self.assertIn(status, expected, f"{method} {path}: {status} {data}")
        return data

    def assertError(self, response, status, code, field=None):
        got_status, body, _ = response
        self.assertEqual(got_status, status, body)
        self.assertEqual(body["error"]["code"], code, body)
        if field is not None:
            self.assertEqual(body["error"]["field"], field, body)


def ticket_body(**over):
    body = {
        "subject": "快递三天没到",
        "description": "订单显示已发货，但物流三天没有更新。",
        "channel": "phone",
        "customer": {"name": "张伟", "phone": "13812345678", "tier": "vip", "region": "east-china",
                     "language": "zh-CN"},
        "category": "logistics",
        "severity": "normal",
        "priority": "high",
    }
    body.update(over)
    return body


def main():
    unittest.main(verbosity=2)
