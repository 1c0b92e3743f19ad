#!/usr/bin/env bash
# Start-up of the CLI, whole process: the median wall time of N runs (default 11) of
# `bin/lsmlog stats` and `bin/lsmlog scan` on a one-entry log. Target: <= 0.4 s each.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-11}"
dir="$(mktemp -d)/log"
"$root/bin/lsmlog" append --dir "$dir" k v > /dev/null   # builds if needed; makes the caches
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
echo "bin/lsmlog stats: $(median "$root/bin/lsmlog" stats --dir "$dir") ms (median of $runs)"
echo "bin/lsmlog scan:  $(median "$root/bin/lsmlog" scan --dir "$dir" k) ms (median of $runs)"
rm -rf "$(dirname "$dir")"
