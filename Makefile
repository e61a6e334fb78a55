# Breakfix: `make run` to play, `make test` for the whole suite. Each target does its own set-up.
SWIFT      ?= $(shell command -v swift || echo /opt/swift/usr/bin/swift)
BIN        := .build/debug/breakfix
JOBS       ?= 2
SCENARIO   ?= nginx-wont-start
# Sandboxes need an engine that caps their disk (README, Disk cap). Where the probe finds none,
# make passes BREAKFIX_DISK_CAP=off to the server and the probe prints a WARNING saying so.
DISK_CAP_ENV = BREAKFIX_DISK_CAP=$${BREAKFIX_DISK_CAP:-$$(bash scripts/disk-cap.sh probe)}

.PHONY: all setup build test unit-test lint verify run play images bench clean

all: build

## setup: install Docker and debootstrap if missing, start dockerd, build the base images
setup:
	@bash scripts/setup.sh
	@bash scripts/fetch-xterm.sh

## build: compile the breakfix binary (debug)
build:
	$(SWIFT) build

## test: everything CI runs: unit, runtime and API tests (SQLite, then PostgreSQL), lint,
## verify every scenario and every code challenge, the judge on a second engine, then the
## browser tests against the real server
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash scripts/test-postgres-suite.sh
	$(BIN) scenario lint --all
	$(BIN) scenario verify --all --jobs $(JOBS)
	$(BIN) challenge lint --all
	$(DISK_CAP_ENV) $(BIN) challenge verify --all --jobs $(JOBS) --verbose
	bash scripts/test-judge-engines.sh
	bash scripts/test-disk-cap.sh
	$(DISK_CAP_ENV) bash scripts/abuse.sh
	$(DISK_CAP_ENV) bash scripts/e2e.sh

lint: build
	$(BIN) scenario lint --all

verify: setup build
	$(BIN) scenario verify --all --jobs $(JOBS)

## images: build every scenario image (cached by content hash)
images: setup build
	$(BIN) scenario build --all --jobs $(JOBS)

## run: set up, build the scenario images, serve on http://127.0.0.1:8080
run: images
	$(DISK_CAP_ENV) $(BIN) serve

play: images
	$(BIN) play $(SCENARIO)

## bench: performance figures, in-process (Benchmarks/) and end-to-end against the raw Docker
## Engine API in the same run; not part of `test` (README, Performance). It runs the set-up
## itself, beside the release build, and probes the disk cap once the engine runs.
bench:
	bash scripts/bench/run.sh

clean:
	rm -rf .build
