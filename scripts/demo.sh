#!/usr/bin/env bash
# The demo, run by `make demo` inside `pgrecon sandbox`, which provides a
# throwaway cluster in DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
PGRECON=${PGRECON:-./target/release/pgrecon}
PSQL="$PGRECON_SANDBOX_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
db_url() { echo "${DATABASE_URL%/*}/$1?sslmode=disable"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

$PSQL -d "$DATABASE_URL" -c "CREATE DATABASE demo" -c "CREATE DATABASE fresh"
export DATABASE_URL; DATABASE_URL=$(db_url demo)

step "1. plan: the example schema (schema/*.sql) against an empty database"
set +e; run $PGRECON plan --schema schema/ --format human > target/demo-plan.txt; code=$?; set -e
head -n 25 target/demo-plan.txt; echo "... (full plan in target/demo-plan.txt; exit code $code = changes)"

step "2. apply it"
run $PGRECON apply --schema schema/ --yes | tail -n 3

step "3. plan again: nothing left to do (exit code 0)"
run $PGRECON plan --schema schema/

step "4. someone changes the database by hand"
$PSQL -d "$DATABASE_URL" -c "ALTER TABLE cameras ADD COLUMN firmware text" -c "DROP INDEX idx_events_search_vector" \
  -c "ALTER TABLE alerts ALTER COLUMN status SET DEFAULT 'delivered'"
echo "(added cameras.firmware, dropped idx_events_search_vector, changed alerts.status default)"
set +e; run $PGRECON drift --schema schema/; code=$?; set -e
echo "exit code $code: drift found (a nightly job alerts on 2)"

step "5. the plan to undo it, as a pull-request comment would show it"
set +e; $PGRECON plan --schema schema/ --format markdown | head -n 12; set -e

step "6. apply brings it back (dropping the hand-added column needs --allow-data-loss)"
run $PGRECON apply --schema schema/ --yes --allow-data-loss | tail -n 4

step "7. the result is exactly a fresh build of the files"
for f in schema/*.sql; do $PSQL -d "$(db_url fresh)" -f "$f"; done
norm() { "$PGRECON_SANDBOX_BINDIR/pg_dump" --schema-only --no-owner --no-privileges -d "$1" | grep -v -e '^--' -e '^\\' -e '^$' | sort; }
if diff <(norm "$(db_url fresh)") <(norm "$DATABASE_URL") > target/demo-diff.txt; then
  echo "pg_dump --schema-only of the applied database and of a fresh psql build: identical"
else
  echo "schemas differ (see target/demo-diff.txt)"; exit 1
fi

step "8. dump: the live schema as SQL (or --split into files, or --format yaml), for adopting a database"
run $PGRECON dump --out target/demo-dump.sql
echo "$(wc -l < target/demo-dump.sql) lines in target/demo-dump.sql"
