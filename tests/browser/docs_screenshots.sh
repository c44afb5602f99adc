#!/usr/bin/env bash
# Regenerates docs/report-analyze.png, docs/report-diff.png and docs/report-watch.png from examples/leaky-service:
# starts it on loopback with `leakhound watch` scraping it every second, sends it leaking traffic, takes a debug=2
# dump, sends more, takes another, writes the HTML reports with leakhound (the watch page at the end of its run) and
# screenshots them in headless chromium (tests/browser/check_report.js).
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
"$lh" watch "$base" --interval 1s --duration 40s --dump-dir "$work/watch-dumps" --html "$work/watch.html" -q \
  >"$work/watch.jsonl" 2>"$work/watch.err" &
watch_pid=$!
trap 'kill $watch_pid $pid 2>/dev/null || true; wait $watch_pid $pid 2>/dev/null || true' EXIT
sleep 3  # a few quiet samples first
round 60 20 150 30
curl -s "$base/debug/pprof/goroutine?debug=2" >"$work/goroutines-2026-11-25T10-00-00.txt"
round 60 20 150 30
curl -s "$base/debug/pprof/goroutine?debug=2" >"$work/goroutines-2026-11-25T10-10-00.txt"
while kill -0 $watch_pid 2>/dev/null; do round 20 5 40 10; done  # keep it growing until the watch ends
wait $watch_pid || true  # exit 1: it alerted, as it should
[ -s "$work/watch.html" ] || { echo "leakhound watch wrote no page" >&2; cat "$work/watch.err" >&2; exit 2; }

cd "$work"
"$lh" analyze goroutines-2026-11-25T10-10-00.txt --format html -o analyze.html -q || true
"$lh" diff goroutines-2026-11-25T10-00-00.txt goroutines-2026-11-25T10-10-00.txt --format html -o diff.html -q || true
node "$root/tests/browser/check_report.js" analyze.html "{\"shots\": \"$work\", \"name\": \"analyze\"}" >analyze.check.json
node "$root/tests/browser/check_report.js" diff.html "{\"shots\": \"$work\", \"name\": \"diff\"}" >diff.check.json
node "$root/tests/browser/check_report.js" watch.html "{\"shots\": \"$work\", \"name\": \"watch\"}" >watch.check.json
mkdir -p "$root/docs"
cp analyze-light.png "$root/docs/report-analyze.png"
cp diff-light.png "$root/docs/report-diff.png"
cp watch-light.png "$root/docs/report-watch.png"
echo "wrote $root/docs/report-analyze.png, report-diff.png and report-watch.png" >&2
