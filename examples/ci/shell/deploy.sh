#!/usr/bin/env bash
# Plan against DATABASE_URL, save the plan, apply exactly that plan.
# Usage: deploy.sh [PLAN_NAME]   (extra apply flags in PGRECON_APPLY_FLAGS)
set -uo pipefail
name=${1:-$(date -u +%Y%m%dT%H%M%SZ)}
plan="plans/$name.json"
pgrecon plan --schema schema --out "$plan"
case $? in
  0) echo "nothing to deploy"; exit 0 ;;
  2) ;;
  *) exit 1 ;;
esac
# shellcheck disable=SC2086
pgrecon apply --plan "$plan" --yes ${PGRECON_APPLY_FLAGS:-}
