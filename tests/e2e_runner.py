"""Runs the browser tests (tests/e2e/run.mjs: playwright-core driving
Debian's chromium) against a real kefu server serving the built web app from
a temporary data directory with a small demo department."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "api"))
import harness  # noqa: E402

SOURCE = os.environ.get("KEFU_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    web = os.path.join(SOURCE, "web", "dist")
    if not os.path.exists(os.path.join(web, "index.html")):
        print("web/dist is missing: run scripts/build-web.sh")
        print("0 passed, 1 failed")
        return 1
    s = harness.Server()
    try:
        harness.run_cli("demo", "seed", "--data", s.data, "--tickets", "300")
        s.env["KEFU_WEB_DIR"] = web
        s.start()
        env = dict(os.environ, KEFU_URL=f"http://127.0.0.1:{s.port}", KEFU_ADMIN_USER="admin",
                   KEFU_ADMIN_PASSWORD="kefu-admin-2026",
                   KEFU_SCREENSHOTS=os.path.join(SOURCE, "build", "screenshots"))
        return subprocess.run(["node", os.path.join(SOURCE, "tests", "e2e", "run.mjs")], env=env,
                              cwd=os.path.join(SOURCE, "web"), timeout=540).returncode
    finally:
        if s.proc and s.proc.poll() is not None and s.proc.returncode != 0:
            print(s.read_log())
        s.cleanup()


if __name__ == "__main__":
    sys.exit(main())
