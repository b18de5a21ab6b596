# Mission CRM: `make run` starts the app (with the demo mission in an empty
# database); `make test` runs every check CI runs. Both install what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
# The app as shipped: assets embedded, not loaded from the Vite dev server.
APP_FEATURES := --features tauri/custom-protocol
E2E_APP := target/e2e/mission-crm

.PHONY: setup ui app run test lint test-rust test-ui test-e2e bindings clean bench bench-search bench-import fuzz crash-long

setup:
	./scripts/setup.sh

# After setup: under make -j, the build must not start while npm ci runs.
ui: setup
	npm --prefix ui run build

# The window needs the built UI at compile time (generate_context! embeds it).
app: ui
	$(CARGO) build -p mission-crm -p mission-crm-cli $(APP_FEATURES)

run: setup app
	target/debug/mission-crm-cli demo --if-empty
	target/debug/mission-crm

test: setup ui lint test-rust test-ui test-e2e
	@echo "All checks passed."

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace --exclude mission-crm-e2e
	@cat target/crash-safety.txt

test-ui:
	npm --prefix ui run check
	npm --prefix ui run lint
	npm --prefix ui test

# Built after the other tests (whose builds replace target/debug/mission-crm
# with a test-feature binary) and copied aside, so the web view under test is
# the shipped build.
test-e2e: ui
	$(CARGO) build -p mission-crm -p mission-crm-cli $(APP_FEATURES)
	mkdir -p $(dir $(E2E_APP)) && cp target/debug/mission-crm target/debug/mission-crm-cli $(dir $(E2E_APP))
	$(CARGO) build -p mission-crm-e2e --test ui
	# One app at a time: two windows and their WebKit processes on two cores
	# make timings (and so waits) less predictable.
	MISSION_CRM_APP=$(abspath $(E2E_APP)) xvfb-run -a $(CARGO) test -p mission-crm-e2e --test ui -- --test-threads=1

# Rewrites ui/src/lib/bindings.ts from the Rust types.
bindings: ui
	UPDATE_BINDINGS=1 $(CARGO) test -p mission-crm --test ipc typescript_bindings_are_up_to_date

clean:
	rm -rf target ui/dist ui/node_modules tests/artifacts

# Every benchmark, each figure beside its limit measured in the same run:
# datasets of 10k, 100k and 1M contacts (made once into target/bench/data),
# then the data, search, import and app (web view, against an empty Tauri
# window) measurements; writes docs/BENCHMARKS.md and docs/benchmarks/*.md.
# About 30 minutes on 2 cores the first time, 12 after.
bench: setup ui
	$(CARGO) build --release -p mission-crm -p empty-window $(APP_FEATURES)
	rm -f target/bench/summary-*.md
	$(CARGO) bench -p mission-crm-engine --bench scale
	$(CARGO) bench -p mission-crm-engine --bench search
	$(CARGO) bench -p mission-crm-engine --bench import
	xvfb-run -a $(CARGO) bench -p mission-crm-e2e --bench app
	./scripts/benchmarks.sh > docs/BENCHMARKS.md
	@cat docs/BENCHMARKS.md

# Search at 100k and 1M generated contacts beside the raw FTS5 query; writes
# docs/benchmarks/search.md.
bench-search:
	cargo bench -p mission-crm-engine --bench search

# Import of 100k and 1M generated CSV rows beside raw rusqlite inserts of the
# same rows; writes docs/benchmarks/import.md.
bench-import:
	cargo bench -p mission-crm-engine --bench import

# Fuzz the import readers (CSV and vCard) with libFuzzer: FUZZ_SECONDS each
# (default 60). The first build takes ~6 min (a sanitizer build of SQLite).
# RUSTC_BOOTSTRAP: cargo-fuzz passes nightly flags; this machine has stable.
FUZZ_SECONDS ?= 60
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && for target in csv vcard; do \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run $$target corpus/$$target -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536; \
	done

# The crash harness's long mode: 1,000 rounds of a writer killed mid-write
# (the default test run does 20). Figures in target/crash-safety.txt.
crash-long:
	CRASH_ROUNDS=1000 CRASH_IMPORT_ROWS=200 $(CARGO) test -p mission-crm-cli --test crash -- --nocapture
