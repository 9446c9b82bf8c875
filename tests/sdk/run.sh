#!/usr/bin/env bash
# Starts `server dis-backend` on a free loopback port with a fresh data directory, drives it with
# the official Python SDK (official_sdk.py), reads its OBS endpoint with boto3 and esdk-obs-python
# (obs_clients.py), and stops it. Exit status: the SDK script's.
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

# The backend prints its addresses once it listens: DIS's, then its OBS endpoint's.
endpoint=""
obs=""
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's|^DIS backend listening on \(http://[0-9.:]*\)$|\1|p' "$log" | head -n1)
  obs=$(sed -n 's|^OBS endpoint listening on \(http://[0-9.:]*\)$|\1|p' "$log" | head -n1)
  [ -n "$endpoint" ] && [ -n "$obs" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$endpoint" ] && [ -n "$obs" ] || { echo "the DIS backend did not start"; cat "$log"; exit 1; }

"$python" tests/sdk/official_sdk.py "$endpoint"
"$python" tests/sdk/obs_clients.py "$endpoint" "$obs"
