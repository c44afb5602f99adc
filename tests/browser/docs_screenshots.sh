#!/usr/bin/env bash
# Regenerates docs/report-analyze.png and docs/report-diff.png from real dumps of examples/leaky-service:
# starts it on loopback, sends it leaking traffic, takes a debug=2 dump, sends more, takes another, writes the HTML
# reports with leakhound and screenshots them in headless chromium (tests/browser/check_report.js).
#
#   tests/browser/docs_screenshots.sh [LEAKHOUND_BIN]      (default: build/leakhound)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lh=${1:-$root/build/leakhound}
case $lh in /*) ;; *) lh=$PWD/$lh ;; esac
work=$(dirname "$lh")/docs-shots
mkdir -p "$work"
(cd "$root/examples/leaky-service" && go build -o "$work/leaky-service" .)
"$work/leaky-service" -addr 127.0.0.1:0 >"$work/service.out" 2>"$work/service.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q LISTENING "$work/service.out" && break; sleep 0.1; done
base=$(sed -n 's/^LISTENING //p' "$work/service.out")
[ -n "$base" ] || { echo "leaky-service did not start" >&2; exit 2; }

drive() {  # COUNT METHOD PATH: PATH may hold {i}
  seq "$1" | xargs -P 8 -I{i} curl -s -o /dev/null --max-time 15 -X "$2" "$base$3" || true
}
round() {
  drive "$1" GET '/subscribe?topic=orders'
  drive "$2" GET '/report?every=5s'
  drive "$3" GET '/search?q=item-{i}'
  drive "$4" GET '/fetch?sku=sku-{i}'
  drive 50 POST '/orders?customer=c{i}&sku=sku-{i}&qty=1'
  drive 50 GET '/healthz'
  sleep 0.5
}
round 60 20 150 30
curl -s "$base/debug/pprof/goroutine?debug=2" >"$work/goroutines-2026-11-25T10-00-00.txt"
round 60 20 150 30
curl -s "$base/debug/pprof/goroutine?debug=2" >"$work/goroutines-2026-11-25T10-10-00.txt"

cd "$work"
"$lh" analyze goroutines-2026-11-25T10-10-00.txt --format html -o analyze.html -q || true
"$lh" diff goroutines-2026-11-25T10-00-00.txt goroutines-2026-11-25T10-10-00.txt --format html -o diff.html -q || true
node "$root/tests/browser/check_report.js" analyze.html "{\"shots\": \"$work\", \"name\": \"analyze\"}" >analyze.check.json
node "$root/tests/browser/check_report.js" diff.html "{\"shots\": \"$work\", \"name\": \"diff\"}" >diff.check.json
mkdir -p "$root/docs"
cp analyze-light.png "$root/docs/report-analyze.png"
cp diff-light.png "$root/docs/report-diff.png"
echo "wrote $root/docs/report-analyze.png and $root/docs/report-diff.png" >&2
