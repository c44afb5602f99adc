#!/usr/bin/env bash
# Overhead of `leakhound test` against plain `go test` on real modules' test suites, as a ratio measured in the same
# run (runs alternate, so that load from elsewhere hits both alike).
#
#   bench/testgate/overhead.sh [LEAKHOUND_BIN] [MODULE@VERSION ...]
#
# Each module is downloaded from the module proxy (go mod download), copied to bench/out/testgate/<name> (the module
# cache is read-only) and its dependencies downloaded. Then, after one warm-up run of each (it builds the test
# binaries, and the standard library once with GOEXPERIMENT=goroutineleakprofile), RUNS (3) timed runs of:
#   go test -count=1 ./...                      (the baseline: -count=1 because leakhound test must run the binaries)
#   leakhound test ./...                        (with the runtime's leak proof, the default on Go >= 1.26)
#   leakhound test --no-proof ./...
# and the median wall time of each. Prints a markdown table; the leak buckets leakhound reports are in
# bench/out/testgate/<name>.report.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LEAKHOUND=${1:-$ROOT/build/leakhound}
shift || true
MODULES=("$@")
if [[ ${#MODULES[@]} -eq 0 ]]; then
  MODULES=(golang.org/x/sync@v0.25.0 github.com/prometheus/client_golang@v1.23.2)
fi
RUNS=${RUNS:-3}
OUT=$ROOT/bench/out/testgate
mkdir -p "$OUT"
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod

seconds() { # runs "$@" and prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| module | packages | go test -count=1 | leakhound test | ratio | --no-proof | ratio | leak buckets |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for mv in "${MODULES[@]}"; do
  dir=$(go mod download -json "$mv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  # The copy is named like the module's last element (zap, not zap@v1.28.0): some suites compare file paths.
  name=$(basename "$dir" | sed 's/@.*//')
  rm -rf "${OUT:?}/$name"
  cp -r "$dir" "$OUT/$name"
  chmod -R u+w "$OUT/$name"
  cd "$OUT/$name"
  go mod download > /dev/null 2>&1 || true
  packages=$(go list ./... 2> /dev/null | wc -l)
  # Warm-up: test binaries built, results printed once.
  go test -count=1 ./... > "$OUT/$name.gotest.txt" 2>&1 || true
  "$LEAKHOUND" test ./... > "$OUT/$name.report.txt" 2> "$OUT/$name.stderr.txt" || true
  "$LEAKHOUND" test --no-proof ./... > /dev/null 2>&1 || true
  g=() l=() n=()
  for ((i = 0; i < RUNS; i++)); do
    g+=("$(seconds go test -count=1 ./...)")
    l+=("$(seconds "$LEAKHOUND" test --quiet ./...)")
    n+=("$(seconds "$LEAKHOUND" test --quiet --no-proof ./...)")
  done
  mg=$(median "${g[@]}") ml=$(median "${l[@]}") mn=$(median "${n[@]}")
  buckets=$(grep -Eo '^[0-9]+ leaked goroutines? in [0-9]+ buckets?' "$OUT/$name.report.txt" | grep -Eo 'in [0-9]+' | grep -Eo '[0-9]+' || echo 0)
  printf '| %s | %s | %.2f s | %.2f s | %.2f | %.2f s | %.2f | %s |\n' "$mv" "$packages" "$mg" "$ml" \
    "$(python3 -c "print($ml / $mg)")" "$mn" "$(python3 -c "print($mn / $mg)")" "${buckets:-0}"
  cd "$ROOT"
done
