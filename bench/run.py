#!/usr/bin/env python3
"""kefu benchmarks: `make bench`. Starts a Release server on loopback, drives
it with wrk (sharing the machine's cores), and prints the figures of
docs/performance.md. Every load is bounded in time; nothing leaves 127.0.0.1."""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench-pass-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(kefu, *args, stdin=None):
    p = subprocess.run([kefu, *args], input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"kefu {' '.join(args)} failed: {p.stderr}")
    return p.stdout


class Server:
    def __init__(self, kefu, data, env=None):
        self.kefu, self.data, self.port, self.env = kefu, data, free_port(), env

    def start(self):
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([self.kefu, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=dict(os.environ, **(self.env or {})))
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return time.perf_counter() - t0
            except OSError:
                time.sleep(0.005)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def login(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port)
        c.request("POST", "/api/v1/auth/login", json.dumps({"username": "bench", "password": PASSWORD}),
                  {"Content-Type": "application/json"})
        return json.loads(c.getresponse().read())["token"]

    def metrics(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port)
        c.request("GET", "/metrics")
        out = {}
        for line in c.getresponse().read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out

    def get_json(self, path, token):
        c = http.client.HTTPConnection("127.0.0.1", self.port)
        c.request("GET", path, headers={"Authorization": "Bearer " + token})
        return json.loads(c.getresponse().read())


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port, path, token, connections, seconds, script=None):
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", os.path.join(HERE, script)]
    args.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, KEFU_TOKEN=token or "")).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m.group(1): to_ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": int(errors.group(1)) if errors else 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kefu", required=True)
    ap.add_argument("--micro")
    ap.add_argument("--big", type=int, default=1_000_000, help="complaints for the large-store figures")
    ap.add_argument("--seconds", type=int, default=10)
    a = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run scripts/install-deps.sh --bench")
    results = {}
    if a.micro and os.path.exists(a.micro):
        subprocess.run([a.micro, "--benchmark_min_time=0.2"], check=False)

    # 1. Creation throughput, durable (synchronous=FULL, group commit), vs /healthz.
    data = tempfile.mkdtemp(prefix="kefu-bench-")
    try:
        cli(a.kefu, "user", "add", "--data", data, "--username", "bench", "--role", "admin", "--password-stdin",
            stdin=PASSWORD + "\n")
        s = Server(a.kefu, data)
        s.start()
        token = s.login()
        health = wrk(s.port, "/healthz", None, 64, a.seconds // 2)
        create = wrk(s.port, "/api/v1/tickets", token, 64, a.seconds, "create.lua")
        one = s.get_json("/api/v1/tickets?limit=1", token)["items"][0]["id"]
        get1 = wrk(s.port, f"/api/v1/tickets/{one}", token, 1, a.seconds // 2, "auth.lua")
        get = wrk(s.port, f"/api/v1/tickets/{one}", token, 8, a.seconds // 2, "auth.lua")
        s.stop()
        results.update(health_rps=health["rps"], create_rps=create["rps"], create_p50_ms=create["p50"],
                       create_p99_ms=create["p99"], create_non2xx=create["non2xx"],
                       create_vs_health=create["rps"] / health["rps"], get_p99_ms=get["p99"], get_rps=get["rps"], get1_p99_ms=get1["p99"])
    finally:
        shutil.rmtree(data, ignore_errors=True)

    # 1b. Creation with triage on and off, alternating on fresh stores (the machine is noisy).
    rates = {"on": [], "off": []}
    for mode in ("off", "on") * 3:
        data = tempfile.mkdtemp(prefix="kefu-bench-triage-")
        try:
            cli(a.kefu, "user", "add", "--data", data, "--username", "bench", "--role", "admin", "--password-stdin",
                stdin=PASSWORD + "\n")
            s = Server(a.kefu, data, {"KEFU_TRIAGE": "true" if mode == "on" else "false"})
            s.start()
            rates[mode].append(wrk(s.port, "/api/v1/tickets", s.login(), 64, a.seconds // 2, "create.lua")["rps"])
            s.stop()
        finally:
            shutil.rmtree(data, ignore_errors=True)
    results.update(create_triage_on_rps=sum(rates["on"]) / len(rates["on"]),
                   create_triage_off_rps=sum(rates["off"]) / len(rates["off"]))
    results["create_triage_ratio"] = results["create_triage_on_rps"] / results["create_triage_off_rps"]

    # 2. A store of a.big complaints: start-up, filtered first page, RSS.
    data = tempfile.mkdtemp(prefix="kefu-bench-big-")
    try:
        cli(a.kefu, "user", "add", "--data", data, "--username", "bench", "--role", "admin", "--password-stdin",
            stdin=PASSWORD + "\n")
        t0 = time.perf_counter()
        cli(a.kefu, "demo", "bulk", "--data", data, "--tickets", str(a.big))
        fill_s = time.perf_counter() - t0
        s = Server(a.kefu, data)
        start_s = s.start()
        token = s.login()
        team = s.get_json("/api/v1/teams", token)["items"][0]["id"]
        filtered_path = f"/api/v1/tickets?state=open,new&team_id={team}&limit=50"
        filtered1 = wrk(s.port, filtered_path, token, 1, a.seconds // 2, "auth.lua")
        filtered = wrk(s.port, filtered_path, token, 8, a.seconds // 2, "auth.lua")
        by_channel = wrk(s.port, "/api/v1/tickets?channel=email&severity=severe&limit=50", token, 8, a.seconds // 2,
                         "auth.lua")
        rss = s.rss_mb()
        s.stop()
        results.update(big=a.big, fill_seconds=fill_s, start_seconds=start_s, list_p99_ms=filtered["p99"], list1_p99_ms=filtered1["p99"],
                       list_rps=filtered["rps"], list2_p99_ms=by_channel["p99"], rss_mb=rss)
    finally:
        shutil.rmtree(data, ignore_errors=True)

    # 3. SLA timers: a.big open complaints with running clocks (two timers each) whose timers come due
    # from shortly after the server is up, while intake runs at full speed.
    data = tempfile.mkdtemp(prefix="kefu-bench-sla-")
    try:
        cli(a.kefu, "user", "add", "--data", data, "--username", "bench", "--role", "admin", "--password-stdin",
            stdin=PASSWORD + "\n")
        after = int(results["fill_seconds"] * 1.5) + 30
        window = 3600
        t0 = time.perf_counter()
        cli(a.kefu, "demo", "bulk", "--data", data, "--tickets", str(a.big), "--sla-due-after", str(after),
            "--sla-due-within", str(window))
        filled = time.perf_counter() - t0
        s = Server(a.kefu, data)
        start_s = s.start()
        m0 = s.metrics()
        rss = s.rss_mb()
        token = s.login()
        wait = max(0.0, after - filled - start_s) + 1
        time.sleep(wait)  # until the first timers come due
        before = s.metrics()
        create = wrk(s.port, "/api/v1/tickets", token, 64, a.seconds, "create.lua")
        time.sleep(1)
        late = s.metrics()
        s.stop()
        buckets = sorted((int(re.search(r'le="(\d+)"', k).group(1)), late[k] - before.get(k, 0))
                         for k in late if k.startswith("kefu_sla_timer_lateness_bucket"))
        fired = late["kefu_sla_timer_fired_total"] - before["kefu_sla_timer_fired_total"]
        p99 = next((le for le, n in buckets if fired and n >= 0.99 * fired), None)
        p50 = next((le for le, n in buckets if fired and n >= 0.5 * fired), None)
        results.update(sla_timers=m0["kefu_sla_timers"], sla_rebuild_ms=m0["kefu_sla_timer_rebuild_ms"],
                       sla_rss_mb=rss, sla_fired=fired, sla_late_p50_ms=p50, sla_late_p99_ms=p99,
                       sla_create_rps=create["rps"])
    finally:
        shutil.rmtree(data, ignore_errors=True)

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"\nkefu benchmark (2 cores shared by server and wrk; load average at the end {load})")
    print(f"  /healthz                      {results['health_rps']:>10.0f} req/s (64 connections)")
    print(f"  create complaint (durable)    {results['create_rps']:>10.0f} req/s  p50 {results['create_p50_ms']:.2f} ms  "
          f"p99 {results['create_p99_ms']:.2f} ms  ({results['create_non2xx']} non-2xx)")
    print(f"  create / healthz ratio        {results['create_vs_health']:>10.2f}")
    print(f"  create, triage on / off       {results['create_triage_on_rps']:>10.0f} / {results['create_triage_off_rps']:.0f} "
          f"req/s = {results['create_triage_ratio']:.2f}")
    print(f"  GET one complaint             {results['get_rps']:>10.0f} req/s  p99 {results['get_p99_ms']:.2f} ms (8 connections), "
          f"p99 {results['get1_p99_ms']:.2f} ms (1 connection)")
    print(f"  store of {results['big']:,} complaints: filled in {results['fill_seconds']:.1f} s")
    print(f"  start-up to ready             {results['start_seconds']*1000:>10.0f} ms")
    print(f"  filtered first page (team+state) p99 {results['list1_p99_ms']:.2f} ms (1 connection), "
          f"{results['list_p99_ms']:.2f} ms (8 connections, {results['list_rps']:.0f} req/s)")
    print(f"  filtered first page (channel+severity) p99 {results['list2_p99_ms']:.2f} ms (8 connections)")
    print(f"  RSS after the list load       {results['rss_mb']:>10.0f} MB")
    print(f"  SLA: {results['sla_timers']:,.0f} timers rebuilt at start in {results['sla_rebuild_ms']:.0f} ms; "
          f"RSS {results['sla_rss_mb']:.0f} MB (vs {results['rss_mb']:.0f} MB without clocks)")
    print(f"  SLA: {results['sla_fired']:.0f} timers fired during intake at {results['sla_create_rps']:.0f} creates/s; "
          f"lateness p50 < {results['sla_late_p50_ms']} ms, p99 < {results['sla_late_p99_ms']} ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
