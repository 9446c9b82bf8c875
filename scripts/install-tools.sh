#!/usr/bin/env bash
# Installs what building and testing the console needs, and skips whatever is already present at
# the right version, so a warm run costs a few seconds.
#
#   scripts/install-tools.sh build   toolchain for `make run`: wasm target, cargo-leptos,
#                                    wasm-bindgen-cli (the version in Cargo.lock), and binaryen's
#                                    wasm-opt from npm (tools/)
#   scripts/install-tools.sh test    the same, plus Debian's chromium, and strip,
#                                    systemd-analyze, nginx and openssl for the deploy bundle's
#                                    check, and the end2end npm packages
#
# Everything comes from the package registries (crates.io, Debian, npm); nothing downloads a
# browser or a prebuilt tool from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
CARGO_LEPTOS_VERSION=0.3.2

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: '$*' needs root; install it by hand or run as root" >&2
    exit 1
  fi
}

# Debian packages, installed in one apt run when any is missing.
apt_missing=()
need_deb() { # need_deb <package> <command it provides>
  command -v "$2" >/dev/null 2>&1 || apt_missing+=("$1")
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

have_leptos=$(cargo leptos --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_leptos" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (compiles for about 13 minutes on two cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# cargo-leptos uses the wasm-bindgen on PATH when its version matches the crate in Cargo.lock.
want_bindgen=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -z "$want_bindgen" ]; then
  echo "error: Cargo.lock names no wasm-bindgen version" >&2
  exit 1
fi
if [ "$have_bindgen" != "$want_bindgen" ]; then
  say "installing wasm-bindgen-cli $want_bindgen"
  # Without --locked: the CLI's own lock pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

need_deb nodejs node
need_deb npm npm
if [ "$mode" = test ]; then
  need_deb chromium chromium
  need_deb binutils strip
  need_deb systemd systemd-analyze
  need_deb nginx nginx
  need_deb openssl openssl
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  # Installed, never started: nginx runs only inside the bundle's check, on its own ports. A
  # policy-rc.d that answers 101 keeps the packages' scripts from starting services.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 0755 $policy"
    trap 'as_root rm -f "$policy"' EXIT
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

# npm ci wipes node_modules; run it only when the lock file or Node changed since the last run.
npm_ci() { # npm_ci <folder with package-lock.json>
  local stamp="$1/node_modules/.install-stamp"
  local want
  want="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1) $(node --version)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    say "installing npm packages in $1"
    (cd "$1" && npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
  fi
}

# wasm-opt comes from binaryen's npm package, which cargo-leptos finds first on PATH (the
# Makefile puts tools/node_modules/.bin there). Debian's binaryen (version 108) mangles the
# externref table that wasm-bindgen emits, and the release page then never hydrates.
npm_ci tools
if [ "$mode" = test ]; then
  npm_ci end2end
fi

# The official Python SDK, which the SDK compatibility test drives against the embedded DIS.
# A virtual environment under tools/, rebuilt only when the requirements or Python change.
if [ "$mode" = test ]; then
  venv=tools/sdk-venv
  want="$(sha256sum tests/sdk/requirements.txt | cut -d' ' -f1) $(python3 --version 2>&1)"
  if [ "$(cat "$venv/.install-stamp" 2>/dev/null || true)" != "$want" ]; then
    say "installing the official DIS Python SDK in $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/sdk/requirements.txt
    echo "$want" >"$venv/.install-stamp"
  fi
fi
