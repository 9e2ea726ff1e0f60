# Vitrine: one entry point for setting up, building, testing and running.
#   make test    everything CI runs: Rust tests, UI tests (Playwright + mock IPC), real-window E2E
#   make run     build and open the desktop app on your own catalog
#   make check   rustfmt + clippy -D warnings
# Each target installs what it is missing first (apt packages, node_modules, tauri-driver).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One cargo invocation shape everywhere (`build --workspace --all-targets`, then
# `test --workspace`): a different package set or target kind unifies features differently
# and rebuilds tauri, gtk and tokio for minutes.
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP_BIN := $(TARGET_DIR)/debug/vitrine-desktop
TOOLS ?= $(CURDIR)/.tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

APT_BUILD := build-essential pkg-config file curl wget libwebkit2gtk-4.1-dev libssl-dev \
             libayatana-appindicator3-dev librsvg2-dev libxdo-dev
APT_TEST := xvfb xauth webkit2gtk-driver chromium imagemagick xdotool libvips-tools sqlite3 \
             dbus gnome-keyring poppler-utils postgresql libheif1
APT_PACKAGES := $(APT_BUILD) $(APT_TEST)

UI_SRC := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts \
          ui/svelte.config.js ui/tsconfig.json ui/package.json icons/vitrine.svg
NPM_STAMP := node_modules/.package-lock.json

.PHONY: help setup setup-apt setup-npm setup-tools ui bindings build test test-rust test-ui \
        test-e2e run dev check bench bench-desktop bundle screenshot fuzz clean

help:
	@echo "make setup      install apt packages, node_modules and tauri-driver (only what is missing)"
	@echo "make build      build the UI and every Rust target"
	@echo "make test       test-rust + test-ui + test-e2e"
	@echo "make run        build and open the desktop app"
	@echo "make dev        the app on Vite's dev server, with hot reload (first start compiles a while)"
	@echo "make check      cargo fmt --check + clippy -D warnings"
	@echo "make bindings   regenerate ui/src/lib/bindings.ts and the price table from the Rust side"
	@echo "make bench      cargo bench"
	@echo "make fuzz       each fuzz target for FUZZ_SECONDS (600) on a nightly toolchain; skipped without one"
	@echo "make bench-desktop  start time, memory and search latency of the app on 10,000 products"
	@echo "make bundle     release build + .deb (slow: LTO)"
	@echo "make screenshot real window under Xvfb -> docs/screenshots/catalog.png"

## ---- setup -------------------------------------------------------------------------------

setup: setup-apt setup-npm setup-tools

# Fast and root-free when nothing is missing: asks dpkg first, apt only for what is absent.
setup-apt:
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed$$' || echo "$$p"; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

setup-npm: $(NPM_STAMP)
$(NPM_STAMP): package.json package-lock.json ui/package.json
	npm ci --no-audit --no-fund
	@touch $@

setup-tools: $(TAURI_DRIVER)
$(TAURI_DRIVER):
	$(CARGO) install tauri-driver --version '^2' --locked --root $(TOOLS)

## ---- build -------------------------------------------------------------------------------

# A file target: vite rewrites ui/dist on every build and tauri's generate_context! tracks
# those files, so building the UI only when its sources change saves an app recompile.
ui: ui/dist/index.html
ui/dist/index.html: $(UI_SRC) $(NPM_STAMP)
	npm run build --workspace ui

build: setup-apt ui
	$(CARGO) build --workspace --all-targets

# The bindings are committed; the shell's tests fail when they drift from the commands.
bindings: setup-apt ui
	VITRINE_UPDATE_BINDINGS=1 $(CARGO) test --workspace --test shell -- bindings
	VITRINE_UPDATE_BINDINGS=1 $(CARGO) test --workspace --test price_formats

## ---- test --------------------------------------------------------------------------------

test: test-rust test-ui test-e2e

test-rust: build
	$(CARGO) test --workspace

test-ui: setup-apt setup-npm
	npm run check --workspace ui
	npm run test:unit --workspace ui
	npm run e2e:mock --workspace ui

# The real app in a real window under Xvfb, driven through tauri-driver + WebKitWebDriver.
# The tests give the app its own temp data dir and XDG dirs (WebKit writes caches there);
# the orders test also runs the relay binary on loopback.
E2E_ENV := TAURI_DRIVER=$(TAURI_DRIVER) VITRINE_DESKTOP_BIN=$(APP_BIN) \
           VITRINE_RELAY_BIN=$(TARGET_DIR)/debug/vitrine-relay
test-e2e: build setup-tools
	$(E2E_ENV) $(XVFB) $(CARGO) test --workspace --test webdriver --test orders_window -- --ignored --test-threads=1

# The same run, also saving the window as docs/screenshots/catalog.png (for the README).
screenshot: build setup-tools
	mkdir -p docs/screenshots
	$(E2E_ENV) VITRINE_SCREENSHOT=$(CURDIR)/docs/screenshots/catalog.png \
	  $(XVFB) $(CARGO) test --workspace --test webdriver -- --ignored --test-threads=1

## ---- run, check, ship --------------------------------------------------------------------

# The debug binary embeds ui/dist (feature custom-protocol is on by default) and opens the
# catalog in VITRINE_DATA_DIR, else the per-user data directory: nothing to configure.
run: build
	$(APP_BIN)

# `tauri dev` builds with --no-default-features (no embedded UI), a feature set of its own:
# its first start compiles tauri again.
dev: setup-apt setup-npm
	npx tauri dev

check: setup-apt ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm run lint --workspace ui
	npm run format:check --workspace ui

bench: setup-apt ui
	$(CARGO) bench --workspace

# The debug app (what `make build` makes) on a seeded 10,000-product catalog in a real
# window under Xvfb: start time, idle memory, first paint, search latency. Not in `make test`.
# The catalog is seeded once (with the seed example `make build` compiles) and reused.
BENCH_CATALOG := $(TARGET_DIR)/bench-catalog-10000
bench-desktop: build setup-tools
	@[ -f $(BENCH_CATALOG).seeded ] || { rm -rf $(BENCH_CATALOG); \
	  $(TARGET_DIR)/debug/examples/seed $(BENCH_CATALOG) 10000 24 && touch $(BENCH_CATALOG).seeded; }
	@echo "machine: $$(nproc) cores,$$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)," \
	  "$$(free -g | awk '/Mem:/ {print $$2}') GiB, $$(uname -sr)," \
	  "WebKitGTK $$(dpkg-query -W -f='$${Version}' libwebkit2gtk-4.1-0 2>/dev/null), load $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(E2E_ENV) VITRINE_BENCH_CATALOG=$(BENCH_CATALOG) \
	  $(XVFB) $(CARGO) test --workspace --test desktop_bench -- --ignored --nocapture --test-threads=1

# Fuzzing needs a nightly toolchain (libFuzzer, sanitizers); without one this says so and
# succeeds. New inputs and crashes go under the target dir, never into the committed seeds.
FUZZ_TARGETS ?= csv_import webhook_split backup_restore image_decode
FUZZ_SECONDS ?= 600
FUZZ_WORK := $(TARGET_DIR)/fuzz
CARGO_FUZZ := $(TOOLS)/bin/cargo-fuzz
fuzz:
	@if ! cargo +nightly --version >/dev/null 2>&1; then \
	  echo "make fuzz: no nightly toolchain here (rustup toolchain install nightly); skipped"; exit 0; fi; \
	[ -x $(CARGO_FUZZ) ] || $(CARGO) install cargo-fuzz --locked --root $(TOOLS); \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_WORK)/corpus/$$t $(FUZZ_WORK)/artifacts/$$t; \
	  echo "== $$t for $(FUZZ_SECONDS) s"; \
	  PATH=$(TOOLS)/bin:$$PATH cargo +nightly fuzz run --fuzz-dir fuzz --target-dir $(TARGET_DIR)/fuzz-build $$t \
	    $(FUZZ_WORK)/corpus/$$t fuzz/corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=1048576 \
	    -artifact_prefix=$(FUZZ_WORK)/artifacts/$$t/ -print_final_stats=1; \
	done

bundle: setup-apt setup-npm
	npx tauri build --bundles deb
	@ls -1 $(TARGET_DIR)/release/bundle/deb/*.deb

clean:
	$(CARGO) clean
	rm -rf ui/dist
