#!/usr/bin/env bash
# Overview cost with 200 streams × 5 tasks (see server/examples/overview_cost.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --example overview_cost
