#!/usr/bin/env bash
# Nightly drift check for one or more databases (URLs as arguments, else
# DATABASE_URL). Exit 2 if any database drifted, 1 on any error.
set -uo pipefail
status=0
urls=("$@")
[ ${#urls[@]} -eq 0 ] && urls=("${DATABASE_URL:?set DATABASE_URL or pass URLs}")
for url in "${urls[@]}"; do
  pgrecon drift --db "$url" --schema schema --format json --out "drift-$(echo "$url" | md5sum | cut -c1-8).json"
  code=$?
  if [ $code -eq 1 ]; then status=1; elif [ $code -eq 2 ] && [ $status -eq 0 ]; then status=2; fi
done
exit $status
