#!/usr/bin/env bash
# What the console's WASM would weigh built as Leptos islands (bench/islands/: the wizard, the
# stream, task and operators pages as islands; the rest server-rendered only), next to the
# hydrated build that `make run` serves. Raw, gzip -9 and brotli -q 11.
source "$(dirname "$0")/common.sh"
need brotli brotli
release_build
# The probe is its own workspace, pinned to the console's dependency versions.
cp Cargo.lock bench/islands/Cargo.lock
(cd bench/islands && PATH="$ROOT/tools/node_modules/.bin:$PATH" \
  cargo leptos build --release --frontend-only >&2)

printf '%-34s %10s %10s %10s\n' build raw gzip brotli
for f in target/site/pkg/dis-console.wasm bench/islands/target/site/pkg/islands.wasm \
  target/site/pkg/dis-console.js bench/islands/target/site/pkg/islands.js; do
  printf '%-34s %10d %10d %10d\n' "${f#*/site/pkg/}" "$(size "$f")" "$(gz "$f")" "$(br "$f")"
done
echo
echo "islands WASM, brotli: $(br bench/islands/target/site/pkg/islands.wasm) bytes (target for the WASM: at most 163840)"
