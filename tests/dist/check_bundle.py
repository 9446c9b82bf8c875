#!/usr/bin/env python3
"""The release bundle as an operator deploys it (`make dist-check`).

Unpacks dist/dis-console-<version>-<target>.tar.gz into a temporary directory, starts its binary
from there (outside the source tree, so it must find its site beside itself) with an environment
file made from the bundle's own example, on a free port with a fresh state directory; waits for
/readyz, logs in, lists the demo streams, reads the precompressed bundle, then stops it with
SIGTERM and checks the exit status and that every log line is one JSON object. Then checks the
service unit with `systemd-analyze verify` and scores it with `systemd-analyze security`; where
that tool cannot run here, says why and skips that part.

Standard library only: the machine's python3 runs it.
"""

import http.cookiejar
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# The unit's exposure (systemd-analyze security, in tenths) must stay at or under this: 1.5.
EXPOSURE_THRESHOLD = 15
DEMO_STREAMS = ["demo-blob-logs", "demo-csv-metrics", "demo-json-events", "demo-orders"]
EXPECTED_FILES = [
    "server",
    "DEPLOY.md",
    "deploy/dis-console.service",
    "deploy/dis-console.env.example",
    "deploy/nginx.conf.example",
    "site/pkg/dis-console.wasm",
    "site/pkg/dis-console.wasm.br",
    "site/pkg/dis-console.js",
    "site/pkg/dis-console.css",
]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def say(message):
    print(f"==> {message}", flush=True)


def unpack(archive, into):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1:
            fail(f"the archive must hold one top folder, not {sorted(tops)}")
        tar.extractall(into, filter="data")
    root = os.path.join(into, tops.pop())
    for path in EXPECTED_FILES:
        if not os.path.isfile(os.path.join(root, path)):
            fail(f"the bundle lacks {path}")
    if not os.access(os.path.join(root, "server"), os.X_OK):
        fail("the bundle's server is not executable")
    return root


def read_env_file(path):
    """KEY=VALUE lines, as systemd's EnvironmentFile= reads them (comments and blanks skipped)."""
    env = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.isidentifier():
                fail(f"{path}:{number}: not KEY=VALUE: {line!r}")
            env[key] = value
    return env


def write_env_file(example, path, overrides):
    """The bundle's example with `overrides` put in place of its lines."""
    lines = []
    with open(example) as f:
        for line in f:
            key = line.split("=", 1)[0].strip()
            if key in overrides:
                line = f"{key}={overrides.pop(key)}\n"
            lines.append(line)
    if overrides:
        fail(f"the example lacks {sorted(overrides)}")
    with open(path, "w") as f:
        f.writelines(lines)
    os.chmod(path, 0o600)


class Console:
    """The unpacked binary, started with an environment file; its stdout read line by line."""

    def __init__(self, root, env_file, cwd):
        env = {"PATH": "/usr/bin:/bin"}
        env.update(read_env_file(env_file))
        self.process = subprocess.Popen(
            [os.path.join(root, "server")],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = []
        self.queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def next_line(self, deadline):
        try:
            line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if line is not None:
            self.lines.append(line)
        return line

    def url(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.next_line(deadline)
            if line is None:
                break
            event = json.loads(line)
            if event.get("fields", {}).get("message") == "console listening":
                return event["fields"]["url"]
        self.process.kill()
        fail(f"the console never said where it listens:\n{self.output()}")

    def output(self):
        return "\n".join(self.lines) + "\n" + (self.process.stderr.read() if self.process.poll() is not None else "")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("the console did not exit within 40 s of SIGTERM")
        # The rest of what it wrote, up to the end of its output.
        while (line := self.queue.get(timeout=10)) is not None:
            self.lines.append(line)
        return status


class Client:
    """A browser's cookie jar, following no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self.NoRedirect()
        )

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=20) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def check_console(root, work):
    state = os.path.join(work, "state")
    env_file = os.path.join(work, "dis-console.env")
    password = secrets.token_urlsafe(18)
    write_env_file(
        os.path.join(root, "deploy", "dis-console.env.example"),
        env_file,
        {
            "LEPTOS_SITE_ADDR": "127.0.0.1:0",
            "CONSOLE_DATA_DIR": state,
            "CONSOLE_ADMIN_PASSWORD": password,
            "LOG_FORMAT": "json",
        },
    )
    say("starting the unpacked console with an environment file")
    console = Console(root, env_file, cwd=work)
    try:
        base = console.url()
        client = Client(base)
        deadline = time.monotonic() + 60
        while True:
            status, _, body = client.request("/readyz")
            if status == 200:
                break
            if time.monotonic() > deadline:
                fail(f"/readyz answered {status}: {body.decode(errors='replace')}")
            time.sleep(0.2)
        say(f"ready at {base}")

        status, _, body = client.post_form(
            "/api/login", {"name": "admin", "password": password, "next": "/"}
        )
        if status != 200:
            fail(f"login answered {status}: {body.decode(errors='replace')}")
        status, _, body = client.post_form("/api/list_stream_page", {"limit": "10", "filter": ""})
        if status != 200:
            fail(f"the streams list answered {status}: {body.decode(errors='replace')}")
        names = sorted(s["stream_name"] for s in json.loads(body)["streams"])
        if names != DEMO_STREAMS:
            fail(f"the demo streams are {names}")
        say(f"logged in as admin and listed {', '.join(names)}")

        status, headers, body = client.request(
            "/pkg/dis-console.wasm", headers={"Accept-Encoding": "br"}
        )
        encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding")
        expected = os.path.getsize(os.path.join(root, "site/pkg/dis-console.wasm.br"))
        if status != 200 or encoding != "br" or len(body) != expected:
            fail(f"the WASM came as {status}, {encoding}, {len(body)} bytes (expected br, {expected})")
        status, _, body = client.request("/streams")
        if status != 200 or b"demo-orders" not in body:
            fail(f"the streams page answered {status}")
        say("the pages and the precompressed bundle are served from beside the binary")
    except BaseException:
        if console.process.poll() is None:
            console.process.kill()
        raise
    status = console.stop()
    if status != 0:
        fail(f"SIGTERM: exit status {status}\n{console.output()}")
    for line in console.lines:
        if "\x1b" in line:
            fail(f"a colour code in a log line: {line!r}")
        try:
            event = json.loads(line)
        except ValueError:
            fail(f"not a JSON log line: {line!r}")
        if not all(event.get(k) for k in ("timestamp", "level", "target")) or "message" not in event.get("fields", {}):
            fail(f"a log line without time, level, target or message: {line}")
    if password in "\n".join(console.lines):
        fail("admin's password reached the log")
    say(f"SIGTERM: exit status 0; {len(console.lines)} log lines, each one JSON object")


def check_unit(root, work):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        say("skipped the unit check: systemd-analyze is not installed (Debian's systemd package)")
        return
    # verify checks that ExecStart's program exists: point it at the unpacked binary, and the
    # environment file at the test's.
    unit = os.path.join(work, "dis-console.service")
    with open(os.path.join(root, "deploy", "dis-console.service")) as f:
        text = f.read()
    text = text.replace("/opt/dis-console/server", os.path.join(root, "server"))
    text = text.replace("/etc/dis-console/dis-console.env", os.path.join(work, "dis-console.env"))
    with open(unit, "w") as f:
        f.write(text)
    # A unit that cannot be wrong tells whether the tool runs at all on this machine.
    probe = os.path.join(work, "probe.service")
    with open(probe, "w") as f:
        f.write("[Service]\nType=oneshot\nExecStart=/bin/true\n")
    ran = subprocess.run([tool, "verify", probe], capture_output=True, text=True)
    if ran.returncode != 0:
        reason = (ran.stderr or ran.stdout).strip().splitlines()
        say(f"skipped the unit check: systemd-analyze cannot run here ({reason[-1] if reason else ran.returncode})")
        return
    ran = subprocess.run([tool, "verify", unit], capture_output=True, text=True)
    if ran.returncode != 0 or ran.stderr.strip():
        fail(f"systemd-analyze verify:\n{ran.stdout}{ran.stderr}")
    say("systemd-analyze verify: no complaint")
    ran = subprocess.run(
        [tool, "security", "--offline=yes", f"--threshold={EXPOSURE_THRESHOLD}", unit],
        capture_output=True,
        text=True,
    )
    score = [l for l in ran.stdout.splitlines() if "Overall exposure level" in l]
    if ran.returncode != 0:
        fail(f"the unit's exposure is over {EXPOSURE_THRESHOLD / 10}:\n{ran.stdout}{ran.stderr}")
    say(f"systemd-analyze security: {score[0].split(':', 1)[1].strip() if score else ran.stdout}")


def main():
    if len(sys.argv) != 2:
        fail("usage: check_bundle.py dist/dis-console-<version>-<target>.tar.gz")
    work = tempfile.mkdtemp(prefix="dis-console-bundle-")
    try:
        root = unpack(sys.argv[1], work)
        say(f"unpacked {os.path.basename(sys.argv[1])}")
        check_console(root, work)
        check_unit(root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say("the bundle works")


if __name__ == "__main__":
    main()
