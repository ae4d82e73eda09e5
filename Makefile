# The two commands a newcomer runs: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: demo test test-versions test-pgvector soak build bench fmt lint

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

## Scale benchmark (issue 8): synthetic schemas of 1,000 to 10,000 tables on
## a throwaway cluster; prints a table with the targets marked and writes
## target/bench/scale.json. PGRECON_BENCH_SIZES=1000,2000 picks sizes.
bench: build
	$(CARGO) bench --bench scale

## Long property runs: 300 random schema pairs through apply (about ten
## minutes), and the loaders fuzzed with 20,000 cases per property.
soak:
	PGRECON_SOAK_CASES=300 $(CARGO) test --release --test integration property:: -- --nocapture
	PROPTEST_CASES=20000 $(CARGO) test --release --test integration fuzz::

## The integration tests against other PostgreSQL majors (`make test` uses
## the installed one), one after the other: scripts/pg-versions.sh fetches
## the servers into target/pg/ first. Runs every major, then fails if any
## failed. PG_MAJORS="17 18" picks majors.
PG_MAJORS ?= 13 14 16 17 18
test-versions:
	./scripts/pg-versions.sh $(PG_MAJORS)
	@failed=""; for v in $(PG_MAJORS); do \
		echo "== PostgreSQL $$(cat target/pg/$$v/VERSION)"; \
		PGRECON_PG_BINDIR=$(CURDIR)/target/pg/$$v/bin $(CARGO) test --test integration || failed="$$failed $$v"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed on PostgreSQL$$failed"; exit 1; fi

## The scenarios that need pgvector (the venues team's vector search), on a
## PostgreSQL 16 with pgvector that scripts/pgvector.sh fetches into
## target/pg/pgvector (`make test` skips them: Debian 12 has no pgvector).
test-pgvector:
	./scripts/pgvector.sh
	PGRECON_PG_BINDIR=$(CURDIR)/target/pg/pgvector/pgserver/pginstall/bin PGRECON_SCENARIOS=pgvector \
		$(CARGO) test --test integration scenarios_converge -- --nocapture

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
