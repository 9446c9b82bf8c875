#!/usr/bin/env bash
# A second `wasm-opt -Oz` over the release WASM, after cargo-leptos's own. The first pass leaves
# code the second can still fold (about 1 KB brotli today, see bench/README.md); the browser
# build has a size budget. The precompressed copies cargo-leptos wrote are of the WASM before
# this pass, so they are written again: gzip -9, and brotli at quality 11 through Node's zlib
# (Node is there already for binaryen and Playwright).
set -euo pipefail
wasm="${1:-target/site/pkg/dis-console.wasm}"
# Once per WASM cargo-leptos writes: a build that left it as it was leaves it alone.
stamp="target/.$(basename "$wasm").second-pass"
if [[ -e "$stamp" && "$stamp" -nt "$wasm" ]]; then
  echo "WASM already had its second pass: $(wc -c < "$wasm") B raw"
  exit 0
fi
# The same features cargo-leptos enables for its pass.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$wasm" -o "$wasm.tmp"
mv "$wasm.tmp" "$wasm"
gzip -9 -n -c "$wasm" > "$wasm.gz"
node -e '
  const fs = require("fs"), zlib = require("zlib");
  const [from, to] = process.argv.slice(1);
  fs.writeFileSync(to, zlib.brotliCompressSync(fs.readFileSync(from), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
  }));' "$wasm" "$wasm.br"
touch "$stamp"
echo "WASM after the second pass: $(wc -c < "$wasm") B raw, $(wc -c < "$wasm.br") B brotli"
