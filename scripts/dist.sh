#!/usr/bin/env bash
# Packs the release build into dist/dis-console-<version>-<target>.tar.gz, with a .sha256 beside
# it: the server binary, the compiled site (with its precompressed files), the deploy files and
# DEPLOY.md, under one top folder. `make dist` runs the release build first.
#
# The archive is the same for the same build: files in name order, owned by root, dated at the
# commit.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "server"))')
target=$(rustc -vV | awk '$1 == "host:" { print $2 }')
name="dis-console-$version-$target"

for needed in target/release/server target/site/pkg/dis-console.wasm; do
  if [ ! -f "$needed" ]; then
    echo "error: $needed is missing: run 'make dist', which builds the release first" >&2
    exit 1
  fi
done
if [ ! -f target/site/pkg/dis-console.wasm.br ]; then
  echo "error: the site has no precompressed files: build with --precompress ('make dist')" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/deploy"
# Symbols only help a debugger; the bundle ships without them.
strip --strip-all -o "$root/server" target/release/server
cp -R target/site "$root/site"
cp deploy/dis-console.service deploy/dis-console.env.example deploy/nginx.conf.example "$root/deploy/"
cp deploy/DEPLOY.md "$root/DEPLOY.md"
chmod 0755 "$root/server"

stamp=$(git log -1 --format=%ct 2>/dev/null || date +%s)
mkdir -p dist
rm -f dist/dis-console-*.tar.gz dist/dis-console-*.tar.gz.sha256
archive="dist/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" \
  -C "$stage" -cf - "$name" | gzip -n -9 >"$archive.tmp"
mv "$archive.tmp" "$archive"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "==> $archive ($(du -h "$archive" | cut -f1)): $("$root/server" --version)"
