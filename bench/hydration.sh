#!/usr/bin/env bash
# Navigation to hydrated, median of 20 loads in Chromium (see hydration.mjs).
source "$(dirname "$0")/common.sh"
release_build
[ -d end2end/node_modules/@playwright/test ] || (cd end2end && npm ci >/dev/null)
start_console
login
BASE="$BASE" COOKIE="$COOKIE" node bench/hydration.mjs
