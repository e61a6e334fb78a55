# Breakfix: `make run` to play, `make test` for the whole suite. Each target does its own set-up.
SWIFT      ?= $(shell command -v swift || echo /opt/swift/usr/bin/swift)
BIN        := .build/debug/breakfix
JOBS       ?= 2
SCENARIO   ?= nginx-wont-start

.PHONY: all setup build test unit-test lint verify run play images clean

all: build

## setup: install Docker and debootstrap if missing, start dockerd, build the base images
setup:
	@bash scripts/setup.sh

## build: compile the breakfix binary (debug)
build:
	$(SWIFT) build

## test: everything CI runs: unit and runtime tests, lint, verify every scenario
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(BIN) scenario lint --all
	$(BIN) scenario verify --all --jobs $(JOBS)

lint: build
	$(BIN) scenario lint --all

verify: setup build
	$(BIN) scenario verify --all --jobs $(JOBS)

## images: build every scenario image (cached by content hash)
images: setup build
	$(BIN) scenario build --all --jobs $(JOBS)

## run: set up, build, list the catalog, and play $(SCENARIO) in this terminal
run: images
	@$(BIN) scenario list
	@if [ -t 0 ] && [ -t 1 ]; then \
		echo; echo "Starting $(SCENARIO) (pick another with: make run SCENARIO=<slug>)"; \
		$(BIN) play $(SCENARIO); \
	else \
		echo; echo "Play one in a terminal with: $(BIN) play <slug>"; \
	fi

play: images
	$(BIN) play $(SCENARIO)

clean:
	rm -rf .build
