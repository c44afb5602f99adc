#!/usr/bin/env bash
# Benchmark of `leakhound watch` over many targets: one Go process (bench/watch/main.go) becomes a real service with
# 5,000 parked goroutines, takes its own debug=0/1/2 goroutine profiles, and replays them on 200 loopback ports; leakhound
# watches all 200 at a 5 s interval for 60 s. Reports CPU (user+sys of the leakhound process, from GNU time), CPU
# cores used, CPU per scrape, peak RSS and memory per target.
#
# Usage: bench/watch/run.sh [LEAKHOUND_BIN]
#   env: TARGETS=200 GOROUTINES=5000 SHAPES=60 INTERVAL=5s DURATION=60s MIX=0 (MIX=1: endpoints replay profiles of
#   1/5, 3/5 and all of the goroutines in turn; PROFILE=debug0|debug1: what watch scrapes, default watch's own)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build-watch/leakhound}
targets=${TARGETS:-200}
goroutines=${GOROUTINES:-5000}
interval=${INTERVAL:-5s}
duration=${DURATION:-60s}
mix=${MIX:-0}
shapes=${SHAPES:-60}
profile=${PROFILE:-}
out=$root/bench/out/watch
mkdir -p "$out"
[ -x "$bin" ] || { echo "no leakhound binary at $bin (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

(cd "$here" && GOWORK=off GOFLAGS=-buildvcs=false go build -o "$out/watch-replay" .)
mixflag=""
[ "$mix" = 1 ] && mixflag="-mix"
"$out/watch-replay" -targets "$targets" -goroutines "$goroutines" -shapes "$shapes" $mixflag -urls "$out/urls.txt" \
  >"$out/replay.stdout" 2>"$out/replay.stderr" &
replay=$!
trap 'kill "$replay" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q READY "$out/replay.stdout" 2>/dev/null && break
  sleep 0.1
done
grep -q READY "$out/replay.stdout" || { echo "replay server not ready" >&2; cat "$out/replay.stderr" >&2; exit 2; }
cat "$out/replay.stderr"

mapfile -t urls <"$out/urls.txt"
/usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
  "$bin" watch "${urls[@]}" --interval "$interval" --duration "$duration" --format json -q ${profile:+--profile "$profile"} \
  >"$out/events.jsonl" 2>"$out/watch.stderr" || true
read -r wall user sys maxrss <"$out/time.txt"

python3 - "$out/events.jsonl" "$wall" "$user" "$sys" "$maxrss" "$targets" "$goroutines" "$interval" <<'PY'
import json, sys
events, wall, user, sys_, maxrss, targets, goroutines, interval = sys.argv[1:]
wall, user, sys_, maxrss, targets = float(wall), float(user), float(sys_), int(maxrss), int(targets)
summary = None
samples = errors = 0
scrape_s = []
sizes = []
for line in open(events):
    e = json.loads(line)
    if e["event"] == "summary": summary = e
    elif e["event"] == "sample":
        samples += 1; scrape_s.append(e["scrape_seconds"]); sizes.append(e["bytes"])
    elif e["event"] == "scrape_error": errors += 1
cpu = user + sys_
rounds = summary["rounds"]
scrapes = rounds * targets
series = sum(t["series_bytes"] for t in summary["targets"])
scrape_s.sort()
print(f"targets {targets} x {goroutines} goroutines, interval {interval}, {rounds} rounds in {wall:.1f} s wall")
print(f"scrapes {scrapes} ({samples} usable, {errors} failed); profile body {min(sizes)}-{max(sizes)} bytes")
print(f"CPU user {user:.2f} s + sys {sys_:.2f} s = {cpu:.2f} s -> {cpu / wall:.3f} cores")
print(f"CPU per scrape {cpu * 1000 / scrapes:.2f} ms (fetch + parse + cluster + trends + metrics)")
print(f"scrape wall time median {scrape_s[len(scrape_s)//2]*1000:.1f} ms, p99 {scrape_s[int(len(scrape_s)*0.99)]*1000:.1f} ms")
print(f"peak RSS {maxrss} KB -> {maxrss / targets:.0f} KB per target (whole process); "
      f"series {series / targets / 1024:.1f} KB per target after {rounds} samples")
print("PASS: under half a core" if cpu / wall < 0.5 else "FAIL: half a core or more")
PY
