#!/usr/bin/env bash
# What the WASM would weigh split by page: every page a lazy route (bench/split/lazy-routes.patch)
# and `cargo leptos build --release --split`, in a scratch worktree of HEAD. Weight only: with
# this toolchain the split build does not start in a browser (see bench/README.md).
source "$(dirname "$0")/common.sh"
need brotli brotli
tree=$(mktemp -d)
git worktree add -q --detach "$tree" HEAD
trap 'git worktree remove --force "$tree"' EXIT
git -C "$tree" apply "$ROOT/bench/split/lazy-routes.patch"
(cd "$tree" && CARGO_TARGET_DIR="$ROOT/target/split" PATH="$ROOT/tools/node_modules/.bin:$PATH" \
  cargo leptos build --release --frontend-only --split >&2)

pkg="$tree/target/site/pkg"
printf '%-44s %10s %10s\n' file raw brotli
for f in "$pkg/dis-console.wasm" "$pkg"/split___*.wasm; do
  name=$(basename "$f" .wasm)
  printf '%-44s %10d %10d\n' "${name%_*}" "$(stat -c %s "$f")" "$(br "$f")"
done
shared=0
for f in "$pkg"/chunk_*.wasm; do shared=$((shared + $(br "$f"))); done
echo "shared chunks: $(ls "$pkg"/chunk_*.wasm | wc -l), $shared bytes brotli in all"
echo "main module + login page, brotli: $(( $(br "$pkg/dis-console.wasm") + $(br "$pkg"/split___login_route_view_*.wasm) )) bytes (target for the WASM: at most 163840)"
