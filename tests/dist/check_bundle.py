#!/usr/bin/env python3
"""The release bundle as an operator deploys it (`make dist-check`).

Unpacks dist/dis-console-<version>-<target>.tar.gz into a temporary directory, starts its binary
from there (outside the source tree, so it must find its site beside itself) with an environment
file made from the bundle's own example, on a free port with a fresh state directory; waits for
/readyz, logs in, lists the demo streams, reads the precompressed bundle, then stops it with
SIGTERM and checks the exit status and that every log line is one JSON object. Then starts it again
on the same state behind nginx, configured from the bundle's nginx example, and uses it over TLS
as a browser would. Last, checks the service unit with `systemd-analyze verify` and scores it with
`systemd-analyze security`. Where nginx, openssl or systemd-analyze is missing or cannot run
here, it says why and skips that part.

Standard library only: the machine's python3 runs it.
"""

import http.cookiejar
import json
import os
import queue
import secrets
import shutil
import pwd
import signal
import socket
import ssl
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

    def __init__(self, base, ca_file=None):
        self.base = base
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self.NoRedirect()]
        if ca_file:
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca_file)))
        self.opener = urllib.request.build_opener(*handlers)

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

        log_in_and_list(client, password)

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
    return state, password


def log_in_and_list(client, password, headers=None):
    """Logs in as admin and lists the demo streams; the login's answer headers."""
    body = urllib.parse.urlencode({"name": "admin", "password": password, "next": "/"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    status, answer, text = client.request("/api/login", body, form)
    if status != 200:
        fail(f"login answered {status}: {text.decode(errors='replace')}")
    body = urllib.parse.urlencode({"limit": "10", "filter": ""}).encode()
    status, _, text = client.request("/api/list_stream_page", body, form)
    if status != 200:
        fail(f"the streams list answered {status}: {text.decode(errors='replace')}")
    names = sorted(s["stream_name"] for s in json.loads(text)["streams"])
    if names != DEMO_STREAMS:
        fail(f"the demo streams are {names}")
    say(f"logged in as admin and listed {', '.join(names)}")
    return answer


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{what} exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    fail(f"{what} did not listen on {port} within 30 s")


def nginx_site(example, console_port, tls_port, http_port, cert, key):
    """The bundle's nginx example, put on this test's ports, name and certificate. Each change
    must find its line: an example that changes shape fails here instead of going untested."""
    with open(example) as f:
        text = f.read()
    for old, new in [
        ("server 127.0.0.1:3000;", f"server 127.0.0.1:{console_port};"),
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("server_name dis-console.example.com;", "server_name localhost;"),
        ("/etc/ssl/certs/dis-console.example.com.pem", cert),
        ("/etc/ssl/private/dis-console.example.com.key", key),
    ]:
        if old not in text:
            fail(f"nginx.conf.example has no {old.strip()!r}")
        text = text.replace(old, new)
    return text


def check_behind_nginx(root, work, state, password):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    openssl = shutil.which("openssl")
    if not nginx or not openssl:
        say("skipped the nginx check: nginx or openssl is not installed (Debian's packages)")
        return
    cert, key = os.path.join(work, "tls.pem"), os.path.join(work, "tls.key")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    console_port, tls_port, http_port = free_port(), free_port(), free_port()
    public = f"https://localhost:{tls_port}"
    env_file = os.path.join(work, "dis-console.env")
    write_env_file(
        os.path.join(root, "deploy", "dis-console.env.example"),
        env_file,
        {
            "LEPTOS_SITE_ADDR": f"127.0.0.1:{console_port}",
            "CONSOLE_DATA_DIR": state,
            "CONSOLE_PUBLIC_URL": public,
            "CONSOLE_TRUSTED_PROXIES": "127.0.0.1",
            "LOG_FORMAT": "json",
        },
    )
    site = os.path.join(work, "dis-console.conf")
    with open(site, "w") as f:
        f.write(nginx_site(os.path.join(root, "deploy", "nginx.conf.example"),
                           console_port, tls_port, http_port, cert, key))
    conf = os.path.join(work, "nginx.conf")
    temp = os.path.join(work, "nginx-temp")
    os.mkdir(temp)
    user = pwd.getpwuid(os.getuid()).pw_name
    with open(conf, "w") as f:
        f.write(
            (f"user {user};\n" if os.getuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
            f"error_log {work}/nginx-error.log;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n  access_log off;\n"
            + "".join(f"  {kind}_temp_path {temp}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {site};\n}}\n"
        )
    tested = subprocess.run([nginx, "-t", "-c", conf, "-e", f"{work}/nginx-error.log"],
                            capture_output=True, text=True)
    if tested.returncode != 0:
        fail(f"nginx -t refuses the example:\n{tested.stderr}")
    say("nginx -t accepts the example")

    console = Console(root, env_file, cwd=work)
    proxy = subprocess.Popen([nginx, "-c", conf, "-e", f"{work}/nginx-error.log"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        console.url()
        wait_for_port(tls_port, proxy, "nginx")
        client = Client(public, ca_file=cert)
        deadline = time.monotonic() + 30
        while (status := client.request("/readyz")[0]) != 200:
            if time.monotonic() > deadline:
                fail(f"/readyz through nginx answered {status}")
            time.sleep(0.2)
        # A browser's change: from the public origin, with its cookie over TLS only.
        browser = {"Origin": public, "Sec-Fetch-Site": "same-origin"}
        answer = log_in_and_list(client, password, browser)
        cookie = {k.lower(): v for k, v in answer.items()}.get("set-cookie", "")
        if not cookie.startswith("__Host-") or "Secure" not in cookie:
            fail(f"the session cookie behind TLS is not __Host- and Secure: {cookie}")
        status, headers, _ = client.request("/streams")
        hsts = {k.lower(): v for k, v in headers.items()}.get("strict-transport-security")
        if status != 200 or not hsts:
            fail(f"the streams page through nginx: {status}, HSTS {hsts!r}")
        # Host passes through unchanged, so the console still refuses a name it does not have.
        status, _, _ = client.request("/streams", headers={"Host": "rebound.example"})
        if status != 421:
            fail(f"a foreign Host through nginx answered {status}, not 421")
        status, headers, _ = Client(f"http://localhost:{http_port}").request("/streams")
        location = {k.lower(): v for k, v in headers.items()}.get("location", "")
        if status != 301 or not location.startswith("https://localhost"):
            fail(f"plain http answered {status} {location}")
        say(f"behind nginx at {public}: Secure __Host- cookie, HSTS, a foreign Host refused, http redirected")
    finally:
        proxy.terminate()
        proxy.wait(timeout=20)
        if console.process.poll() is None:
            status = console.stop()
            if status != 0:
                fail(f"SIGTERM behind nginx: exit status {status}")


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
        state, password = check_console(root, work)
        check_behind_nginx(root, work, state, password)
        check_unit(root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say("the bundle works")


if __name__ == "__main__":
    main()
