# Shared by the benchmarks: a release build, a console started on a free port with a fresh data
# directory and a known admin password, and a logged-in session cookie.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ADMIN_PASSWORD='bench admin password'

need() {
  # Benchmark tools come from Debian's packages.
  command -v "$1" >/dev/null || { echo "==> installing $2"; apt-get install -y "$2" >/dev/null; }
}

# Always built (quick when nothing changed), so a figure never comes from a stale binary.
release_build() {
  make build-release >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts the console; sets BASE, SERVER_PID, DATA.
start_console() {
  DATA=$(mktemp -d)
  local port
  port=$(free_port)
  BASE="http://127.0.0.1:$port"
  LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site CONSOLE_DATA_DIR="$DATA" \
    CONSOLE_ADMIN_PASSWORD="$ADMIN_PASSWORD" RUST_LOG=warn DIS_ENDPOINT= CONSOLE_DEMO_TRAFFIC=off \
    target/release/server >"$DATA/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
  for _ in $(seq 100); do
    curl -fs "$BASE/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the console did not become ready; its log:" >&2
  cat "$DATA/server.log" >&2
  exit 1
}

# Logs in as admin; sets COOKIE (name=value).
login() {
  local jar="$DATA/cookies"
  curl -fs -c "$jar" -H "Origin: $BASE" \
    --data-urlencode name=admin --data-urlencode "password=$ADMIN_PASSWORD" \
    --data-urlencode next=/ "$BASE/api/login" >/dev/null
  COOKIE=$(awk '$6 == "dis-console" { print $6 "=" $7 }' "$jar")
  [ -n "$COOKIE" ] || { echo "login failed" >&2; exit 1; }
}

# Bytes of a file: as it is, after gzip -9, after brotli -q 11.
size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
br() { brotli -q 11 -c "$1" | wc -c; }

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
peak_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
