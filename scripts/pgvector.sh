#!/usr/bin/env bash
# Unpacks a PostgreSQL server with the pgvector extension into
# target/pg/pgvector/ (its bindir: pgserver/pginstall/bin) for `make test-pgvector`: the venues
# team plans vector search, and Debian 12 packages no pgvector. Idempotent:
# delete the directory to fetch it again.
#
# The server (PostgreSQL 16 with pgvector and its own psql and pg_dump,
# relocatable) comes from PyPI's pgserver wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/target/pg/pgvector"
version=0.1.4
bindir="$dir/pgserver/pginstall/bin"
[ -x "$bindir/postgres" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux2014_x86_64 --dest "$work" "pgserver==$version"
python3 -m zipfile -e "$work"/pgserver-*.whl "$work/wheel"
install="$work/wheel/pgserver/pginstall"
[ -f "$install/share/postgresql/extension/vector.control" ] || {
    echo "pgserver $version has no pgvector" >&2
    exit 1
}
chmod a+x "$install"/bin/*
# The server runs as the postgres user when the tests run as root. The
# binaries find their libraries in the wheel's pgserver.libs, through
# RPATH: the wheel is kept whole.
chmod -R a+rX "$work/wheel"
mkdir -p "$(dirname "$dir")"
rm -rf "$dir"
mv "$work/wheel" "$dir"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') with pgvector: $bindir"
