#!/usr/bin/env bash
# How fast the HTML report of the 150,000-goroutine benchmark dump opens in a browser.
#
#   bench/html_report.sh [LEAKHOUND_BIN]          (default: build/leakhound; run bench/run.sh once first for the dump)
#
# For --similarity line (the default: few large buckets) and exact (a bucket per distinct argument list: the table's
# worst case), writes the report, then opens it RUNS times (default 3) in headless chromium through
# tests/browser/check_report.js and prints the page size and the medians of: the script's own render time (mark at
# its first line to the mark after the first paint of table and icicle graph: JSON.parse, DOM building, layout
# reads), the time from navigation start to that mark, and the wall time of page.goto until the report exists.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
LEAKHOUND_BIN=${1:-$REPO_DIR/build/leakhound}
RUNS=${RUNS:-3}
DUMP=${DUMP:-$BENCH_DIR/out/dump-g150000-s64-seed1-skew2.5.txt}
[ -f "$DUMP" ] || { echo "no $DUMP: run bench/run.sh first" >&2; exit 2; }
OUT="$BENCH_DIR/out/html"
mkdir -p "$OUT"

printf '| similarity | buckets | report bytes | write s | render ms (script) | rendered at ms (from navigation) | goto wall ms |\n'
printf '|---|---|---|---|---|---|---|\n'
for sim in line exact; do
  report="$OUT/report-$sim.html"
  start=$(date +%s.%N)
  "$LEAKHOUND_BIN" analyze "$DUMP" --similarity "$sim" --format html -o "$report" -q || true
  write_s=$(echo "$(date +%s.%N) - $start" | bc)
  for ((i = 0; i < RUNS; i++)); do
    node "$REPO_DIR/tests/browser/check_report.js" "$report" '{}' >"$OUT/check-$sim-$i.json"
  done
  python3 - "$OUT" "$sim" "$RUNS" "$report" "$write_s" <<'PY'
import json, os, statistics, sys
out, sim, runs, report, write_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
checks = [json.load(open(f"{out}/check-{sim}-{i}.json")) for i in range(runs)]
for c in checks:
    assert not c["consoleErrors"] and not c["pageErrors"] and not c["blocked"], c
med = lambda k: statistics.median(c[k] for c in checks)
print(f"| {sim} | {checks[0]['cards']['buckets']} | {os.path.getsize(report):,} | {write_s:.2f} | "
      f"{med('renderMs'):.0f} | {med('renderedAtMs'):.0f} | {med('loadWallMs'):.0f} |")
PY
done
