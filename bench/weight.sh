#!/usr/bin/env bash
# First-load weight of the release build: the login page a new visitor gets, the streams page a
# logged-in operator gets, and the CSS, JS and WASM both load. Raw, gzip -9 and brotli -q 11.
source "$(dirname "$0")/common.sh"
need brotli brotli
release_build
start_console
login
out=$(mktemp -d)
curl -fs "$BASE/login" -o "$out/login.html"
curl -fs -H "Cookie: $COOKIE" "$BASE/streams" -o "$out/streams.html"
cp target/site/pkg/dis-console.css target/site/pkg/dis-console.js target/site/pkg/dis-console.wasm "$out/"

printf '%-20s %10s %10s %10s\n' file raw gzip brotli
total_br=0
for f in login.html streams.html dis-console.css dis-console.js dis-console.wasm; do
  r=$(size "$out/$f"); g=$(gz "$out/$f"); b=$(br "$out/$f")
  printf '%-20s %10d %10d %10d\n' "$f" "$r" "$g" "$b"
  [ "$f" = streams.html ] || total_br=$((total_br + b))
done
wasm_br=$(br "$out/dis-console.wasm")
echo
echo "first load (login page + CSS + JS + WASM), brotli: $total_br bytes (target: at most 204800)"
echo "WASM, brotli: $wasm_br bytes (target: at most 163840)"
rm -rf "$out"
