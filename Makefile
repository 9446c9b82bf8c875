# The two commands a fresh machine needs: `make run` and `make test`. Both install what is
# missing first (scripts/install-tools.sh skips what is already there).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

E2E_PORT ?= 3100
# The Playwright suite runs against the release build by default: what `make run` serves.
# E2E_PROFILE=debug tests the dev build instead.
E2E_PROFILE ?= release

# cargo-leptos runs the first wasm-opt on PATH: binaryen's, from tools/ (see install-tools.sh).
export PATH := $(CURDIR)/tools/node_modules/.bin:$(PATH)

.PHONY: help run test tools tools-test build build-release unit sdk e2e dist dist-check lint fmt clean

help:
	@echo "make run    build (release) and start the console on http://127.0.0.1:3000"
	@echo "make test   every test: cargo test, then Playwright against a fresh release build"
	@echo "make lint   rustfmt check and clippy with warnings denied"
	@echo "make dist   the release bundle for a host: dist/dis-console-<version>-<target>.tar.gz"

tools:
	@scripts/install-tools.sh build

tools-test:
	@scripts/install-tools.sh test

# --precompress writes .br and .gz beside each bundle file; the server sends them as they are.
# scripts/shrink-wasm.sh then gives the WASM a second wasm-opt pass (and compresses it again).
build-release: tools
	cargo leptos build --release --precompress
	scripts/shrink-wasm.sh target/site/pkg/dis-console.wasm

# Server and WASM are built in the same profile: a debug server with a release WASM (or the
# reverse) renders, but never hydrates.
build: tools
	cargo leptos build

run: build-release
	@echo "==> starting the console (Ctrl-C stops it)"
	LEPTOS_SITE_ROOT=target/site ./target/release/server

unit:
	cargo test --workspace

# The official Python SDK against `server dis-backend`: the backend must pass for real DIS.
sdk: tools-test
	cargo build -p server --bin server
	tests/sdk/run.sh target/debug/server

e2e: tools-test $(if $(filter release,$(E2E_PROFILE)),build-release,build)
	cd end2end && E2E_PORT=$(E2E_PORT) E2E_SERVER_BIN=../target/$(E2E_PROFILE)/server npx playwright test

# The deploy bundle (deploy/DEPLOY.md): binary, site, systemd unit, environment and nginx examples.
dist: build-release
	scripts/dist.sh

# The bundle unpacked and started as an operator would, and its unit checked by systemd-analyze.
dist-check: dist
	python3 tests/dist/check_bundle.py dist/dis-console-*.tar.gz

test: tools-test
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory sdk
	$(MAKE) --no-print-directory e2e
	$(MAKE) --no-print-directory dist-check

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf dist tools/node_modules tools/sdk-venv end2end/node_modules end2end/test-results end2end/playwright-report
