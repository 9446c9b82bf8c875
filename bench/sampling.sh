#!/usr/bin/env bash
# Sampling a stream's records for the wizard's preview: 4 partitions × 200 records, end to end
# (see server/examples/sampling.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --example sampling
