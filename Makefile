# gitpod-prebuilds: `make demo` runs the demo against the simulator; `make test` runs
# every test. Both install what they need on a fresh machine first (idempotently).

SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
RAW := target/pkg-raw
WASM_OUT := target/$(WASM_TARGET)/wasm-release/gitpod_prebuilds.wasm
# The simulator for gitpod-prebuilds/sim (sim/wasm): its own .wasm, in pkg/sim/.
SIM_RAW := target/pkg-sim-raw
SIM_WASM_OUT := target/$(WASM_TARGET)/wasm-release/prebuild_sim_wasm.wasm
SIM := target/release/prebuild-sim
DEMO_PORT ?= 8787
# The static demo: www/ and the package's browser files, the simulator in the page.
DEMO_STATIC := target/demo-static
DEMO_STATIC_PKG := index.js client.js errors.js gitpod_prebuilds.js gitpod_prebuilds_bg.wasm snippets sim.js sim LICENSE
# The simulator the wasm tests talk to (a fixed port: the URL is compiled into them).
TEST_SIM_PORT ?= 18787

.PHONY: help setup setup-rust setup-node setup-browser setup-runtimes pkg sim demo demo-static test test-native \
        test-sim test-wasm test-node test-types test-size test-e2e test-runtimes readme-runtimes lint clean

help:
	@echo "make demo   - build everything and serve the demo at http://127.0.0.1:$(DEMO_PORT)/"
	@echo "make demo-static - the demo with no server, for any static host (target/demo-static/)"
	@echo "make test   - install what is missing, then run every test"
	@echo "make pkg    - build the npm package into pkg/"
	@echo "make sim    - build the simulator (target/release/prebuild-sim)"
	@echo "make test-runtimes - the packed package in every runtime and bundler (tests/runtimes/)"

## Set-up: each step checks first, so repeated runs are quick. The demo needs the Rust
## tools and the build's npm packages only; the browser and the runtime matrix's tools
## (bun, deno, wrangler, vite, vitest, webpack, next: tests/runtimes/package-lock.json) are
## installed for the tests.
setup: setup-rust setup-node setup-browser

setup-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

setup-node:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	fi

setup-browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

setup-runtimes:
	@if [ ! -f tests/runtimes/node_modules/.package-lock.json ] || \
	    [ tests/runtimes/package-lock.json -nt tests/runtimes/node_modules/.package-lock.json ]; then \
	  (cd tests/runtimes && npm ci --no-audit --no-fund --loglevel=error); \
	fi

## Builds
# The simulator's wasm is built first: it links the library without its bindings, and
# the client's build after it leaves the client's own .wasm in place.
pkg: setup-rust setup-node
	cargo build -p prebuild-sim-wasm --lib --target $(WASM_TARGET) --profile wasm-release
	rm -rf $(SIM_RAW)
	wasm-bindgen --target web --no-typescript --out-dir $(SIM_RAW) --out-name prebuild_sim $(SIM_WASM_OUT)
	wasm-opt -O3 $(SIM_RAW)/prebuild_sim_bg.wasm -o $(SIM_RAW)/optimized.wasm
	cargo build --lib --target $(WASM_TARGET) --profile wasm-release
	rm -rf $(RAW)
	wasm-bindgen --target web --no-typescript --out-dir $(RAW) --out-name gitpod_prebuilds $(WASM_OUT)
	wasm-opt -O3 $(RAW)/gitpod_prebuilds_bg.wasm -o $(RAW)/optimized.wasm
	node pkg-template/assemble.mjs $(RAW) $(RAW)/optimized.wasm pkg $(SIM_RAW)

sim:
	cargo build --release -p prebuild-sim

demo: setup-rust setup-node pkg sim
	@echo "Demo: open http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C stops the simulator)"
	$(SIM) --port $(DEMO_PORT) --www www --pkg pkg

# The same www/ with IN_PAGE_SIM on (js/config.js) and the package's browser files in
# pkg/: the page runs gitpod-prebuilds/sim itself. Relative URLs only: any static file
# host, under any path (e.g. python3 -m http.server -d target/demo-static).
demo-static: pkg
	rm -rf $(DEMO_STATIC)
	mkdir -p $(DEMO_STATIC)/pkg
	cp -R www/. $(DEMO_STATIC)/
	sed -i 's/^export const IN_PAGE_SIM = false;$$/export const IN_PAGE_SIM = true;/' $(DEMO_STATIC)/js/config.js
	grep -qx 'export const IN_PAGE_SIM = true;' $(DEMO_STATIC)/js/config.js
	cd pkg && cp -R $(DEMO_STATIC_PKG) $(CURDIR)/$(DEMO_STATIC)/pkg/
	@echo "Static demo in $(DEMO_STATIC)/ (serve it with any static file server)"

## Tests
test: setup lint test-native test-sim pkg test-size test-types test-node test-wasm test-e2e test-runtimes
	@echo "make test: all suites passed"

test-native:
	cargo test -p gitpod-prebuilds

# The simulator: its sans-IO core alone (no sockets, no real time), the core built for
# wasm (it must need no operating system), its wasm bindings' option parsing, then the
# binary over HTTP (gitpod-prebuilds/sim is tested by test-node).
test-sim: sim setup-rust
	cargo test --release -p prebuild-sim-core
	cargo build -p prebuild-sim-core --target $(WASM_TARGET)
	cargo test --release -p prebuild-sim-wasm
	cargo test --release -p prebuild-sim

# The size budget: what a page downloads (tests/size/budget.mjs prints each file).
test-size: pkg
	node tests/size/budget.mjs pkg

test-types: pkg
	tsc --strict --noEmit -p tests/types

test-node: pkg sim
	SIM_BIN=$(SIM) node --test tests/node/

test-wasm: setup-rust setup-browser sim
	tests/with-sim.sh $(TEST_SIM_PORT) env SIM_URL=http://127.0.0.1:$(TEST_SIM_PORT) \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target $(WASM_TARGET) --test wasm_node --test wasm_browser

test-e2e: pkg sim demo-static setup-browser
	SIM_BIN=$(SIM) node --test tests/e2e/

# The runtime matrix: pkg/ packed, installed from the tarball, and run in Node (ESM,
# CJS), Bun, Deno, workerd, Node bundles, pages built by esbuild, bun, webpack, Vite and
# Next.js (in Chromium), gitpod-prebuilds/sim in those runtimes and a Vite page, and tsc;
# writes target/runtimes.json (see tests/runtimes/).
test-runtimes: pkg sim setup-browser setup-runtimes
	SIM_BIN=$(SIM) node --test tests/runtimes/matrix.test.mjs

# The README's "Runtimes and bundlers" table, from the last run's target/runtimes.json.
readme-runtimes:
	node tests/runtimes/readme-table.mjs

# Clippy denies panicking constructs in the library (see src/lib.rs), on both targets.
lint: setup-rust
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p prebuild-sim-core --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p prebuild-sim-wasm --target $(WASM_TARGET) -- -D warnings

## Benchmark: size, cold start, per-call and list-walk time, memory against a bare
## fetch + JSON.parse and @gitpod/sdk, on one local simulator (see bench/README.md).
.PHONY: bench
bench: setup pkg sim
	SIM_BIN=$(SIM) node --expose-gc bench/run.mjs

## Reliability, long form (`make test` runs the short form of both; see README.md).
## fuzz: 1,000,000 generated inputs per target, optimised but with overflow checks
## (a profile defined here, built in target/fuzz). FUZZ_ITERS, FUZZ_SEED override.
## soak: the load test with 1,000 concurrent calls x 10 rounds, the memory test with
## 100,000 calls.
.PHONY: fuzz soak
fuzz:
	CARGO_PROFILE_FUZZ_INHERITS=release CARGO_PROFILE_FUZZ_OVERFLOW_CHECKS=true \
	  CARGO_PROFILE_FUZZ_DEBUG_ASSERTIONS=true FUZZ_ITERS=$${FUZZ_ITERS:-1000000} \
	  cargo test --profile fuzz -p gitpod-prebuilds --test fuzz_decode

soak: pkg sim
	SIM_BIN=$(SIM) LOAD_CALLS=1000 LOAD_ROUNDS=10 node --test tests/node/load.test.mjs
	SIM_BIN=$(SIM) MEMORY_CALLS=100000 node --test tests/node/memory.test.mjs

clean:
	rm -rf pkg target/pkg-raw target/pkg-sim-raw target/demo-static target/runtimes tests/runtimes/next/.next tests/runtimes/workerd/.wrangler tests/runtimes/sim-workerd/.wrangler
