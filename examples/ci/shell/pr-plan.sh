#!/usr/bin/env bash
# Plan between the base branch's files and this branch's, as Markdown for a
# pull-request comment. Usage: pr-plan.sh BASE_REF [OUT.md]
# Exit: 0 no changes, 2 changes (comment written), 1 error.
set -uo pipefail
base_ref=${1:?usage: pr-plan.sh BASE_REF [OUT.md]}
out=${2:-plan.md}
base=$(mktemp -d)
trap 'git worktree remove --force "$base" >/dev/null 2>&1; rm -rf "$base"' EXIT
git worktree add --detach "$base" "$base_ref" >/dev/null || exit 1
pgrecon plan --from "$base/schema" --schema schema --format markdown --out "$out"
