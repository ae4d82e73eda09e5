# The two commands a newcomer runs: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: demo test build bench fmt lint

build:
	$(CARGO) build --release

## The main job on a throwaway local database: builds, starts a scratch
## cluster, runs the demo script against it, removes the cluster.
demo: build
	./target/release/pgrecon sandbox -- ./scripts/demo.sh

## Every test: unit tests and integration tests on a real PostgreSQL cluster
## that the tests start (and remove) themselves.
test:
	$(CARGO) test --all-targets

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
