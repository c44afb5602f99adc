#!/usr/bin/env bash
# Speed benchmark of `leakhound scan` (issue 5): one run each, on the same tree ($(go env GOROOT)/src, module std),
# of
#   1. leakhound scan --format json -o /dev/null ./...            (all cores, then again with --threads 1)
#   2. go vet ./...                with a cold GOCACHE            (a fresh empty directory)
#   3. staticcheck ./...           with a cold GOCACHE and a cold STATICCHECK_CACHE, installed from the Go module
#                                  proxy into bench/out/scan/bin (version pinned below)
# Each runs under GNU time (`/usr/bin/time`): wall clock, user+sys CPU of the whole process tree (every waited-for
# descendant: go vet's compile and vet children, staticcheck's `go list`), and peak RSS. GNU time's peak RSS is
# getrusage's ru_maxrss for the children: the largest single process of the tree, NOT the sum over the processes
# alive at the same time (go vet runs up to GOMAXPROCS compile/vet processes at once).
# MB/s is the bytes of .go files that leakhound scanned (its JSON summary) divided by each tool's wall time; go vet and
# staticcheck read the same packages' files plus export data of their dependencies, so for them it is a rate over the
# same tree, not over what they read.
#
# Usage: bench/scan/run.sh [LEAKHOUND_BIN]        (default: build/leakhound)
#   env: SRC (default $(go env GOROOT)/src; a module root, `./...` is run in it), STATICCHECK_VERSION (v0.8.2),
#        VET_TIMEOUT (1800 s), STATICCHECK_TIMEOUT (1800 s), TOOLS (default "leakhound threads1 vet staticcheck": the
#        runs to make; rows of earlier invocations are kept in bench/out/scan/rows.txt, so `TOOLS="vet staticcheck"`
#        and then `TOOLS="leakhound threads1"` make one table; rm -r bench/out/scan to start afresh)
# Output: a table on stdout, the same as markdown in bench/out/scan/results.md, raw outputs in bench/out/scan/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/leakhound}
out=$root/bench/out/scan
tools=$out/bin
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
VET_TIMEOUT=${VET_TIMEOUT:-1800}
STATICCHECK_TIMEOUT=${STATICCHECK_TIMEOUT:-1800}
TOOLS=${TOOLS:-leakhound threads1 vet staticcheck}
mkdir -p "$out" "$tools"

log() { printf '%s\n' "$*" >&2; }
die() { log "bench/scan/run.sh: $*"; exit 2; }
[[ " ${TOOLS:-leakhound} " != *" leakhound "* && " ${TOOLS:-} " != *" threads1 "* ]] || [ -x "$bin" ] ||
  die "no leakhound binary at $bin (build it first)"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (Debian package time)"
command -v go >/dev/null || die "needs go"
command -v python3 >/dev/null || die "needs python3"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
SRC=${SRC:-$(go env GOROOT)/src}
[ -d "$SRC" ] || die "no source tree at $SRC"

# ---- staticcheck from the module proxy (not timed) ----
sc_installed() { go version -m "$tools/staticcheck" 2>/dev/null | awk '$1 == "mod" && $2 == "honnef.co/go/tools" {print $3}'; }
if [[ " $TOOLS " == *" staticcheck "* ]] && [ "$(sc_installed)" != "$STATICCHECK_VERSION" ]; then
  log "installing staticcheck $STATICCHECK_VERSION into $tools"
  (cd "$out" && GOBIN="$tools" GOFLAGS=-buildvcs=false GOWORK=off \
    go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION")
fi

# ---- the tree (not timed): file list, warm page cache for every tool ----
pkgs=$(cd "$SRC" && GOWORK=off go list ./... 2>/dev/null | wc -l)
cat $(find "$SRC" -name '*.go' -type f) >/dev/null 2>&1 || true

load1() { awk '{print $1}' /proc/loadavg; }
loadavg() { awk '{print $1 ", " $2 ", " $3}' /proc/loadavg; }
LOAD_START=$(loadavg)
log "load average at start: $LOAD_START on $(nproc) CPUs"

declare -a NAMES=() WALL=() CPU=() RSS=() RC=() NOTE=() LOADS=() WHEN=()
timefile=$out/time.txt
# run NAME TIMEOUT DIR CMD... : one run under GNU time; stdout to $out/NAME.stdout, stderr to $out/NAME.stderr
run() {
  local name=$1 limit=$2 dir=$3; shift 3
  local slug=${name//[^a-zA-Z0-9]/_} l0 t0 t1 rc
  l0=$(load1)
  log "running $name (timeout ${limit}s, load $l0)"
  t0=$(date +%s%N)
  set +e
  (cd "$dir" && /usr/bin/time -v -o "$timefile" timeout --kill-after=10 "$limit" "$@") \
    >"$out/$slug.stdout" 2>"$out/$slug.stderr"
  rc=$?
  set -e
  t1=$(date +%s%N)
  NAMES+=("$name"); RC+=("$rc"); LOADS+=("$l0 -> $(load1)"); WHEN+=("$(date -u -d "@${t0%?????????}" +%H:%M)")
  WALL+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')")
  CPU+=("$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END { printf "%.2f", u + s }' "$timefile")")
  RSS+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$timefile")")
  case $rc in
    124|137) NOTE+=("timed out after ${limit}s (killed)") ;;
    *) NOTE+=("exit $rc") ;;
  esac
  log "  $name: ${WALL[-1]} s wall, ${CPU[-1]} s CPU, ${RSS[-1]} MB peak RSS, exit $rc"
}

want() { [[ " $TOOLS " == *" $1 "* ]]; }
# 1. leakhound (exit 1 = findings, the normal case on a large tree)
if want leakhound; then
  run "leakhound scan" 600 "$SRC" "$bin" scan --format json -o "$out/leakhound.json" ./...
fi
if want threads1; then
  run "leakhound scan --threads 1" 1200 "$SRC" "$bin" scan --threads 1 --format json -o /dev/null ./...
fi
# 2. go vet, cold build cache
vetcache="" sccache="" scgocache=""
trap 'rm -rf ${vetcache:+"$vetcache"} ${sccache:+"$sccache"} ${scgocache:+"$scgocache"}' EXIT
if want vet; then
  vetcache=$(mktemp -d)
  run "go vet (cold GOCACHE)" "$VET_TIMEOUT" "$SRC" env GOCACHE="$vetcache" GOWORK=off GOFLAGS=-buildvcs=false \
    go vet ./...
fi
# 3. staticcheck, cold build cache and cold staticcheck cache
if want staticcheck; then
  sccache=$(mktemp -d); scgocache=$(mktemp -d)
  run "staticcheck (cold caches)" "$STATICCHECK_TIMEOUT" "$SRC" env GOCACHE="$scgocache" STATICCHECK_CACHE="$sccache" \
    GOWORK=off GOFLAGS=-buildvcs=false "$tools/staticcheck" ./...
fi
LOAD_END=$(loadavg)

# ---- report ----
export OUT=$out SRC BIN=$bin PKGS=$pkgs LOAD_START LOAD_END STATICCHECK_VERSION
export NCPU=$(nproc) CPUNAME="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
export MEM="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)" GOVERSION="$(go version)"
export COMMIT="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (+ uncommitted edits under src/)')"
# rows.txt keeps the latest row of every tool across invocations (TOOLS=vet then TOOLS=leakhound gives one table);
# each row carries its own time and load.
touch "$out/rows.txt"
for i in "${!NAMES[@]}"; do
  grep -v -F "${NAMES[$i]}|" "$out/rows.txt" >"$out/rows.tmp" || true
  printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "${NAMES[$i]}" "${WALL[$i]}" "${CPU[$i]}" "${RSS[$i]}" "${RC[$i]}" "${NOTE[$i]}" \
    "${LOADS[$i]}" "${WHEN[$i]}" >>"$out/rows.tmp"
  mv "$out/rows.tmp" "$out/rows.txt"
done
python3 - <<'PY'
import json, os, re
out = os.environ["OUT"]
rows = [l.rstrip("\n").split("|") for l in open(f"{out}/rows.txt") if l.strip()]
order = ["leakhound scan", "leakhound scan --threads 1", "go vet (cold GOCACHE)", "staticcheck (cold caches)"]
rows.sort(key=lambda r: order.index(r[0]) if r[0] in order else 99)
base = {r[0]: r for r in rows}
lh = None
if "leakhound scan" in base and os.path.exists(f"{out}/leakhound.json"):
    lh = json.load(open(f"{out}/leakhound.json"))
def diag_lines(path):
    try:
        return [l for l in open(path, errors="replace") if re.match(r"^[^#\s].*\.go:\d+:\d+: ", l)]
    except FileNotFoundError:
        return []
mb = lw = None
findings, by_rule = [], {}
if lh:
    s = lh["summary"]
    mb = s["bytes"] / 1e6
    lw = float(base["leakhound scan"][1])
    findings = [f for f in lh["findings"] if not f.get("suppressed")]
    for f in findings:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
table = []
for name, wall, cpu, rss, rc, note, load, when in rows:
    slug = re.sub(r"[^a-zA-Z0-9]", "_", name)
    w, c = float(wall), float(cpu)
    if name == "leakhound scan":
        what = f"{len(findings)} findings, {len(lh['diagnostics']) if lh else '?'} syntax diagnostics"
    elif name.startswith("leakhound"):
        what = "same tree"
    else:
        n = len(diag_lines(f"{out}/{slug}.stdout")) + len(diag_lines(f"{out}/{slug}.stderr"))
        what = f"{n} file:line:col diagnostics"
    ratio = "-" if lw is None else f"{'>' if 'timed out' in note else ''}{w / lw:.1f}x"
    rate = "-" if mb is None else f"{mb / w:.1f}"
    table.append([name, f"{w:.2f}", f"{c:.2f}", f"{c / w:.2f}", rate, rss, ratio, note, what, f"{when} UTC, {load}"])
head = ["tool", "wall s", "CPU s (user+sys)", "cores used", "MB/s", "peak RSS MB", "wall vs leakhound", "exit", "output", "started, load 1m before -> after"]
machine = (f"machine: {os.environ['NCPU']} CPUs ({os.environ['CPUNAME']}), {os.environ['MEM']} RAM; this invocation: "
           f"load average (1, 5, 15 min) {os.environ['LOAD_START']} at start, {os.environ['LOAD_END']} at end")
tree = f"tree: {os.environ['SRC']} ({os.environ['PKGS']} packages in `go list ./...`)"
if lh:
    tree += f"; leakhound scanned {s['files']} files in {s['packages']} packages, {s['bytes']:,} bytes ({mb:.1f} MB) of .go"
tools = f"tools: {os.environ['GOVERSION']}; staticcheck {os.environ['STATICCHECK_VERSION']}; leakhound {os.environ['BIN']} at commit {os.environ['COMMIT']}"
notes = []
if by_rule:
    notes.append("leakhound findings by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())))
vet = base.get("go vet (cold GOCACHE)")
if vet and lw:
    r = float(vet[1]) / lw
    done = "timed out" not in vet[5]
    verdict = "PASS" if r >= 5 else "FAIL"
    notes.insert(0, f"{verdict} leakhound scan >= 5x faster than cold `go vet ./...` (wall): {'>' if not done else ''}{r:.1f}x"
                 f"; CPU: go vet used {float(vet[2]) / max(float(base['leakhound scan'][2]), 0.01):.1f}x leakhound's user+sys")
w = [max(len(str(r[i])) for r in [head] + table) for i in range(len(head))]
print()
print(machine); print(tree); print(tools); print()
for r in [head] + table:
    print("  ".join(str(x).ljust(w[i]) for i, x in enumerate(r)))
print()
for n in notes: print(n)
with open(f"{out}/results.md", "w") as f:
    f.write(f"- {machine}\n- {tree}\n- {tools}\n\n")
    f.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    for r in table: f.write("| " + " | ".join(r) + " |\n")
    f.write("\n" + "".join(f"- {n}\n" for n in notes))
PY
log "wrote $out/results.md"
