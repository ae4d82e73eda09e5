#!/usr/bin/env bash
# The demo, run by `make demo` inside `pgrecon sandbox`, which provides a
# throwaway cluster in DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
PGRECON=${PGRECON:-./target/release/pgrecon}
PSQL="$PGRECON_SANDBOX_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
db_url() { echo "${DATABASE_URL%/*}/$1?sslmode=disable"; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Create a database and load the example schema (schema/*.sql) with psql"
$PSQL -d "$DATABASE_URL" -c "CREATE DATABASE demo"
for f in schema/*.sql; do $PSQL -d "$(db_url demo)" -f "$f"; done
echo "loaded $(ls schema/*.sql | wc -l) files"

step "pgrecon dump: the live schema as SQL, ordered by dependency (first 40 lines)"
$PGRECON dump --db "$(db_url demo)" --out target/demo-dump.sql
head -n 40 target/demo-dump.sql
echo "... ($(wc -l < target/demo-dump.sql) lines in target/demo-dump.sql)"

step "Restore pgrecon's dump and PostgreSQL's own pg_dump into empty databases, compare"
# Both sides go through one dump/restore cycle: PostgreSQL's deparse is not a
# fixpoint (`col IN ('a','b')` on varchar comes back as `= ANY (ARRAY[...])`).
$PSQL -d "$DATABASE_URL" -c "CREATE DATABASE demo_restored" -c "CREATE DATABASE demo_reference"
$PSQL -d "$(db_url demo_restored)" -f target/demo-dump.sql
"$PGRECON_SANDBOX_BINDIR/pg_dump" --schema-only -d "$(db_url demo)" | $PSQL -d "$(db_url demo_reference)" >/dev/null
norm() { "$PGRECON_SANDBOX_BINDIR/pg_dump" --schema-only --no-owner --no-privileges -d "$1" | grep -v -e '^--' -e '^\\' -e '^$' | sort; }
if diff <(norm "$(db_url demo_reference)") <(norm "$(db_url demo_restored)") > target/demo-diff.txt; then
  echo "identical schemas"
else
  echo "schemas differ (see target/demo-diff.txt)"; exit 1
fi
