#!/usr/bin/env bash
# Embedded backend put cost with 10k and 1M records stored (see server/examples/backend_put.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --example backend_put
