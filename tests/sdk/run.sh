#!/usr/bin/env bash
# Starts `server dis-backend` on a free loopback port with a fresh data directory, drives it with
# the official Python SDK (official_sdk.py), and stops it. Exit status: the SDK script's.
set -euo pipefail

server_bin=${1:?usage: run.sh SERVER_BINARY}
python=${SDK_PYTHON:-tools/sdk-venv/bin/python}
data=$(mktemp -d)
log="$data/backend.log"

export DIS_AK=AKSDKCOMPAT000000001
export DIS_SK="sdk-compat-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export DIS_PROJECT_ID=0123456789abcdef0123456789abcdef
# The SDK's stream is its own; the demo streams' synthetic records would only add noise.
export CONSOLE_DEMO_TRAFFIC=off

"$server_bin" dis-backend --listen 127.0.0.1:0 --data "$data/dis" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

# The backend prints its address once it listens.
endpoint=""
for _ in $(seq 1 100); do
  endpoint=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n1 || true)
  [ -n "$endpoint" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$endpoint" ] || { echo "the DIS backend did not start"; cat "$log"; exit 1; }

"$python" tests/sdk/official_sdk.py "$endpoint"
