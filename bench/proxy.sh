#!/usr/bin/env bash
# Proxy cost: a server function against the direct signed DIS call (see server/examples/proxy_cost.rs).
source "$(dirname "$0")/common.sh"
cargo run --release -q -p server --example proxy_cost
