#!/usr/bin/env bash
# SSR throughput: the streams page (logged in, rendered on the server with its DIS calls to the
# embedded backend) against a bare axum handler on the same machine, in one run, with wrk.
# Also the console's memory: resident set idle, and its peak under the load.
source "$(dirname "$0")/common.sh"
need wrk wrk
release_build
cargo build --release -p server --example floor >&2
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
start_console
login
idle=$(rss_kib "$SERVER_PID")

floor_port=$(free_port)
target/release/examples/floor "127.0.0.1:$floor_port" >/dev/null &
FLOOR_PID=$!
trap 'kill $SERVER_PID $FLOOR_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
sleep 0.5

run() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
report() {
  local name=$1 file=$2
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$file")
  p50=$(awk '$1 == "50%" { print $2 }' "$file")
  p99=$(awk '$1 == "99%" { print $2 }' "$file")
  errors=$(awk '/Non-2xx|Socket errors/ { print }' "$file")
  printf '%-28s %12s %10s %10s  %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}

tmp=$(mktemp -d)
run "http://127.0.0.1:$floor_port/" >"$tmp/floor"
run -H "Cookie: $COOKIE" "$BASE/streams" >"$tmp/streams"
peak=$(peak_kib "$SERVER_PID")
# Where the time between the two goes: the console's middleware alone (/healthz), plus the
# session check (a server function that only reads it), plus rendering without DIS (/login).
run -H "Cookie: $COOKIE" "$BASE/healthz" >"$tmp/healthz"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' >"$tmp/post.lua"
run -H "Cookie: $COOKIE" -s "$tmp/post.lua" "$BASE/api/whoami" >"$tmp/whoami"
run "$BASE/login" >"$tmp/login"

printf '%-28s %12s %10s %10s\n' target 'requests/s' p50 p99
report "bare axum handler (floor)" "$tmp/floor"
report "/healthz (middleware)" "$tmp/healthz"
report "/api/whoami (+ session)" "$tmp/whoami"
report "/login (+ SSR, no DIS)" "$tmp/login"
report "/streams (SSR, logged in)" "$tmp/streams"
floor_rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/floor")
ssr_rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/streams")
echo
awk -v s="$ssr_rps" -v f="$floor_rps" 'BEGIN { printf "SSR / floor: %.1f %% (target: at least 40 %%)\n", 100 * s / f }'
echo "console RSS: idle $((idle / 1024)) MiB, peak under load $((peak / 1024)) MiB"
echo "(wrk -t2 -c$CONNECTIONS -d$DURATION on $(nproc) cores; DURATION and CONNECTIONS override)"
rm -rf "$tmp"
