#!/usr/bin/env bash
# Ground truth for leakhound's verdicts: the Go runtime's goroutine leak profile (GOEXPERIMENT=goroutineleakprofile).
#
# For every case of $(go env GOROOT)/src/runtime/testdata/testgoroutineleakprofile (and goker/), read in place from the
# installed toolchain and compiled in a temporary directory, and for every program of tests/go, this takes two
# goroutine dumps (debug=2) of one process and then that process's goroutineleak profile (debug=2, which marks the
# leaked goroutines "(leaked)"), runs `leakhound analyze SNAP2` and `leakhound diff SNAP1 SNAP2`, and scores every
# goroutine of SNAP2: leaked or not per the profile, definite/suspect/other per leakhound. See RESULTS.md (written
# by this script) for the method and the numbers.
#
# Usage: bench/groundtruth/run.sh            # snapshots 50 ms and 300 ms after the leaks: RESULTS.md (~1.5 min)
#        LONG=1 bench/groundtruth/run.sh     # snapshots 2 s and 65 s after the leaks, with two ordinary GCs right
#                                            # after them so that the dumps print wait times ("1 minutes") as a
#                                            # long-running service's do; all cases at once: RESULTS-long.md (~2.5 min)
# Environment:
#   LEAKHOUND=path   use this binary instead of building build-gt/leakhound
#   T1, T2           snapshot times after a case's leaks happened (testdata: after the case wrote its profile;
#                    tests/go: after READY), e.g. 50ms, 65s
#   PAR              measurements run at once (default 1; LONG=1: all)
#   N=100            -n for the tests/go programs
#   CASES=regex      only the testdata cases whose name matches (default: all registered cases)
#   REPS=1           runs of each testdata case
#   KEEP=1           keep the work directory (dumps, JSON reports) and print its path
#   MD=path JSONL=path  where to write the report and the per-case results (default: next to this script)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LONG=${LONG:-0}
if [[ $LONG == 1 ]]; then
  T1=${T1:-2s} T2=${T2:-65s} PAR=${PAR:-100} GCFLAG=(-gc)
  MD=${MD:-$HERE/RESULTS-long.md} JSONL=${JSONL:-$HERE/results-long.jsonl}
else
  T1=${T1:-50ms} T2=${T2:-300ms} PAR=${PAR:-1} GCFLAG=()
  MD=${MD:-$HERE/RESULTS.md} JSONL=${JSONL:-$HERE/results.jsonl}
fi
N=${N:-100}
CASES=${CASES:-.}
REPS=${REPS:-1}
to_ms() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) { sub(/ms$/, "", d); print d + 0 } else if (d ~ /s$/) { sub(/s$/, "", d); print d * 1000 } else { print "bad duration " d > "/dev/stderr"; exit 1 } }'; }
T1_MS=$(to_ms "$T1")
T2_MS=$(to_ms "$T2")
START=$(date +%s)

WORK=$(mktemp -d /tmp/leakhound-groundtruth.XXXXXX)
cleanup() {
  local f pid
  # Programs still running (only after an interruption): each measurement records its program's pid.
  for f in "$WORK"/out/*/*/pid; do
    [[ -f "$f" ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# ---- leakhound ----
if [[ -z "${LEAKHOUND:-}" ]]; then
  log "building leakhound (build-gt)"
  cmake -S "$REPO" -B "$REPO/build-gt" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$WORK/cmake.log" 2>&1 &&
    cmake --build "$REPO/build-gt" --target leakhound -j2 >>"$WORK/cmake.log" 2>&1 ||
    { cat "$WORK/cmake.log" >&2; log "leakhound does not build"; exit 1; }
  LEAKHOUND=$REPO/build-gt/leakhound
fi

# ---- Go toolchain and the testdata, read in place ----
GOROOT=$(go env GOROOT)
GOVERSION=$(go env GOVERSION)
TD=$GOROOT/src/runtime/testdata/testgoroutineleakprofile
TESTFILE=$GOROOT/src/runtime/goroutineleakprofile_test.go
[[ -d "$TD" && -f "$TESTFILE" ]] || { log "no $TD (Go >= 1.26 needed)"; exit 1; }
export GOFLAGS=${GOFLAGS:--buildvcs=false}

log "building the score tool"
(cd "$HERE" && go build -o "$WORK/score" ./score)
SCORE=$WORK/score

# The case programs: the testdata's case files (their main.go replaced by driver/driver.go), with every
# `pprof.Lookup("goroutineleak")` turned into `deferredLeakProfile(pprof.Lookup)`, so that no leak detection runs
# before the snapshots are taken (see driver/driver.go).
build_cases() { # build_cases SRC-DIR NAME
  local src=$1 name=$2 dir=$WORK/src/$2 f
  mkdir -p "$dir"
  for f in "$src"/*.go; do
    [[ $(basename "$f") == main.go ]] && continue
    sed 's/pprof\.Lookup("goroutineleak")/deferredLeakProfile(pprof.Lookup)/g' "$f" >"$dir/$(basename "$f")"
  done
  cp "$HERE/driver/driver.go" "$dir/zz_groundtruth_driver.go"
  printf 'module groundtruthcases\n\ngo %s\n' "$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')" >"$dir/go.mod"
  (cd "$dir" && GOEXPERIMENT=goroutineleakprofile go build -o "$WORK/bin/$name" .)
}
log "building the testdata cases from $TD"
mkdir -p "$WORK/bin"
build_cases "$TD" testdata
build_cases "$TD/goker" goker

# The runtime test's own list: makeTest = GOMAXPROCS=1, makeFlakyTest = flaky; the rest of the registered cases are
# "extra" (Kubernetes1321 is commented out there).
grep -oE 'make(Flaky)?Test\("[A-Za-z0-9_]+"' "$TESTFILE" | sed -E 's/^make(Flaky)?Test\("(.*)"$/\2 \1/' >"$WORK/testlist"
attrs_of() {
  local kind
  kind=$(awk -v n="$1" '$1 == n { print ($2 == "Flaky" ? "flaky" : "simple"); exit }' "$WORK/testlist")
  case $kind in
    simple) echo "curated,P1" ;;
    flaky) echo "curated,flaky" ;;
    *) echo "extra" ;;
  esac
}

run_leakhound() { # run_leakhound OUT-JSON ARGS... ; exit status 0/1 are verdicts, anything else an error
  local out=$1 rc=0
  shift
  "$LEAKHOUND" "$@" --format json -q -o "$out" 2>"$out.err" || rc=$?
  if ((rc > 1)); then
    echo "leakhound $1 exited $rc: $(head -c 300 "$out.err" | tr '\n' ' ')"
    return 1
  fi
  return 0
}

score_dir() { # score_dir GROUP CASE ATTRS DIR
  local group=$1 name=$2 attrs=$3 dir=$4 msg
  if ! msg=$(run_leakhound "$dir/analyze.json" analyze "$dir/snap2.txt"); then
    "$SCORE" error -group "$group" -case "$name" -attrs "$attrs" -msg "$msg" >>"$RESULTS"
    return
  fi
  if ! msg=$(run_leakhound "$dir/diff.json" diff "$dir/snap1.txt" "$dir/snap2.txt"); then
    "$SCORE" error -group "$group" -case "$name" -attrs "$attrs" -msg "$msg" >>"$RESULTS"
    return
  fi
  local meta=()
  [[ -f "$dir/meta.json" ]] && meta=(-meta "$dir/meta.json")
  "$SCORE" case -group "$group" -case "$name" -attrs "$attrs" -snap2 "$dir/snap2.txt" -truth "$dir/truth.txt" \
    -analyze "$dir/analyze.json" -diff "$dir/diff.json" "${meta[@]}" >>"$RESULTS"
}

# ---- measure: every case writes OUT/GROUP/CASE/{snap1,snap2,truth}.txt (or "error") ----
OUT=$WORK/out
wait_slot() { while (($(jobs -rp | wc -l) >= PAR)); do wait -n || true; done; }

measure_case() { # measure_case PROG NAME LABEL ATTRS (runs in a background subshell)
  set +e
  local prog=$1 name=$2 label=$3 attrs=$4 dir=$OUT/$1/$3 rc=0
  local env=(GODEBUG=asyncpreemptoff=1)
  [[ $attrs == *P1* ]] && env+=(GOMAXPROCS=1)
  mkdir -p "$dir"
  echo "$attrs" >"$dir/attrs"
  env "${env[@]}" timeout "$((T2_MS / 1000 + 60))" "$WORK/bin/$prog" -out "$dir" -t1 "$T1" -t2 "$T2" "${GCFLAG[@]}" "$name" \
    >"$dir/stdout" 2>"$dir/stderr" &
  echo $! >"$dir/pid"
  wait $! || rc=$?
  rm -f "$dir/pid"
  if ((rc != 0)) || [[ ! -s "$dir/truth.txt" ]]; then
    echo "case program exited $rc: $(grep -m1 -E 'panic|fatal|error|driver' "$dir/stderr" | head -c 200)" >"$dir/error"
  fi
  echo done >"$dir/measured"
}

measure_go_prog() { # measure_go_prog NAME (runs in a background subshell: no errexit, every failure is recorded)
  set +e
  local p=$1 dir=$OUT/tests-go/$1 url="" line pid i
  mkdir -p "$dir"
  echo "n=$N" >"$dir/attrs"
  "$WORK/bin/tests-go-$p" -n "$N" >"$dir/stdout" 2>"$dir/stderr" &
  pid=$!
  echo "$pid" >"$dir/pid"
  for ((i = 0; i < 1200; i++)); do
    # `read` succeeds only on a whole line: never a READY line still being written.
    if IFS= read -r line <"$dir/stdout" && [[ $line =~ ^READY\ (http://[^ ]+) ]]; then
      url=${BASH_REMATCH[1]}
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [[ -z "$url" ]]; then
    echo "no READY line: $(head -c 200 "$dir/stderr")" >"$dir/error"
  else
    # LONG: two ordinary GC cycles now stamp the wait start of every parked goroutine (as the driver's -gc does).
    if ((${#GCFLAG[@]} > 0)); then
      for i in 1 2; do curl -fsS --max-time 30 "$url/debug/pprof/heap?gc=1" -o /dev/null 2>>"$dir/curl.err"; done
    fi
    sleep "$(awk -v t="$T1_MS" 'BEGIN { print t / 1000 }')"
    curl -fsS --max-time 30 "$url/debug/pprof/goroutine?debug=2" -o "$dir/snap1.txt" 2>>"$dir/curl.err" ||
      echo "snapshot 1 failed: $(tail -1 "$dir/curl.err")" >"$dir/error"
    sleep "$(awk -v a="$T1_MS" -v b="$T2_MS" 'BEGIN { print (b - a) / 1000 }')"
    curl -fsS --max-time 30 "$url/debug/pprof/goroutine?debug=2" -o "$dir/snap2.txt" 2>>"$dir/curl.err" ||
      echo "snapshot 2 failed: $(tail -1 "$dir/curl.err")" >"$dir/error"
    curl -fsS --max-time 60 "$url/debug/pprof/goroutineleak?debug=2" -o "$dir/truth.txt" 2>>"$dir/curl.err" ||
      echo "no goroutineleak profile at $url: $(tail -1 "$dir/curl.err")" >"$dir/error"
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$dir/pid"
  echo done >"$dir/measured"
}

# The repo's own tests/go programs, built with the experiment too.
GOPROGS=(nilchan abandoned_sender range_unclosed select_noexit waitgroup_forever mutex_never_unlocked http_client_idle healthy)
log "building tests/go with GOEXPERIMENT=goroutineleakprofile"
for p in "${GOPROGS[@]}"; do
  (cd "$REPO/tests/go" && GOEXPERIMENT=goroutineleakprofile go build -o "$WORK/bin/tests-go-$p" "./$p")
done

log "measuring (snapshots at +$T1 and +$T2, $PAR at a time)"
ORDER=()
for prog in testdata goker; do
  for name in $("$WORK/bin/$prog" -list | grep -E -- "$CASES" || true); do
    attrs=$(attrs_of "$name")
    for ((rep = 1; rep <= REPS; rep++)); do
      label=$name
      ((REPS > 1)) && label="$name#$rep"
      ORDER+=("$prog/$label")
      wait_slot
      measure_case "$prog" "$name" "$label" "$attrs" &
    done
  done
done

for p in "${GOPROGS[@]}"; do
  ORDER+=("tests-go/$p")
  wait_slot
  measure_go_prog "$p" &
done
wait
log "measured ($(($(date +%s) - START)) s)"

# ---- score ----
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
for key in "${ORDER[@]}"; do
  group=${key%%/*}
  name=${key#*/}
  dir=$OUT/$key
  attrs=$(cat "$dir/attrs")
  [[ -f "$dir/measured" || -f "$dir/error" ]] || echo "the measurement did not finish" >"$dir/error"
  [[ $group == testdata ]] && group=rt-testdata
  [[ $group == goker ]] && group=rt-goker
  if [[ -f "$dir/error" ]]; then
    "$SCORE" error -group "$group" -case "$name" -attrs "$attrs" -msg "$(cat "$dir/error")" >>"$RESULTS"
    log "  $key: $(cat "$dir/error")"
    continue
  fi
  score_dir "$group" "$name" "$attrs" "$dir"
done

# ---- report ----
LH_COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
LH_DIRTY=$(git -C "$REPO" status --porcelain -- src CMakeLists.txt 2>/dev/null | wc -l)
cat >"$WORK/header.md" <<EOF
# leakhound against the Go runtime's goroutine leak profile

Generated by \`bench/groundtruth/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(($(date +%s) - START)) s): $GOVERSION,
leakhound at commit $LH_COMMIT$( ((LH_DIRTY > 0)) && echo " plus uncommitted changes to $LH_DIRTY files under src/ and CMakeLists.txt" ),
snapshots at +$T1 and +$T2$( ((${#GCFLAG[@]} > 0)) && echo " with two ordinary GC cycles right after the leaks (a GC stamps the wait start of parked goroutines, so that the dumps print wait times, as a long-running service's do)" ),
tests/go programs run with -n $N, $REPS run(s) per testdata case, $PAR measurement(s) at a time.

## Method

- **Ground truth** is the Go runtime's own leak detector: a goroutineleak profile (\`GOEXPERIMENT=goroutineleakprofile\`)
  at debug=2, which lists every goroutine with its id and marks the ones it proved leaked with "(leaked)" (blocked
  on a channel or sync object that no runnable goroutine can reach). It is taken from the same process as the
  snapshots, after them.
- **Cases**: every case registered by \`\$GOROOT/src/runtime/testdata/testgoroutineleakprofile\` and its \`goker/\`
  directory (the micro tests, stress tests, common patterns and the GoKer bugs of the runtime's
  TestGoroutineLeakProfile, plus Kubernetes1321, which that test leaves out). The sources are read from the installed
  toolchain and compiled in a temporary directory, with their \`main.go\` replaced by \`driver/driver.go\` (ours) and
  \`pprof.Lookup("goroutineleak")\` rewritten to \`deferredLeakProfile(pprof.Lookup)\`: a case's own
  \`prof.WriteTo(os.Stdout, 2)\` then only marks the moment its leaks have happened (T0), and the driver takes
  \`pprof.Lookup("goroutine").WriteTo(f, 2)\` at T0+$T1 (SNAP1) and T0+$T2 (SNAP2), then the real goroutineleak profile.
  Leak detection must not run before the snapshots: it moves the goroutines it finds to the status _Gleaked and every
  later dump prints "(leaked)" in their headers, which leakhound (rightly) reads as the runtime's proof. Each case
  runs as the runtime test runs it: \`GODEBUG=asyncpreemptoff=1\`, and \`GOMAXPROCS=1\` for the cases that test does
  not call flaky.
- **tests/go**: each program is built with the experiment and started with \`-n $N\`; after its READY line we
  fetch \`/debug/pprof/goroutine?debug=2\` at +$T1 and +$T2 and then \`/debug/pprof/goroutineleak?debug=2\`; the
  process is stopped by pid.
- **leakhound**: \`leakhound analyze SNAP2 --format json\` and \`leakhound diff SNAP1 SNAP2 --format json\` (defaults:
  similarity \`line\`, no \`--interval\`). A SNAP2 with "(leaked)" marks would be rejected (it never has one).
- **Scoring per goroutine**: a goroutine of SNAP2 is *leaked* if the leak profile marks its id "(leaked)" and it was
  already parked in SNAP2 in the state and stack the profile shows; leaked goroutines still running or elsewhere in
  SNAP2 (no dump could have called them yet) are left out of every count and listed in the notes. A goroutine of
  SNAP2 missing from the profile had exited: not leaked. Its leakhound verdict is the verdict of the bucket that
  holds it. JSON lists at most 20 ids per bucket, so buckets are matched to the goroutines of SNAP2 on leakhound's own
  bucket key for similarity \`line\` (state, every frame's function and file:line, creator function and line),
  requiring the same count in SNAP2 and every listed id to be in the group (diff buckets have no ids; their count in
  SNAP2 must match); the report says whether any goroutine could not be matched.
- **Measures**: recall = leaked goroutines called \`definite\` (D) or \`definite\`/\`suspect\` (D+S) over all leaked
  goroutines; the same over *leak sites* (distinct buckets of leaked goroutines; a site counts when all its leaked
  goroutines do), because a few GoKer cases leak thousands of goroutines on one stack and dominate the goroutine
  count; *false definite* / *false suspect* = goroutines the profile does not mark leaked that leakhound called
  \`definite\` / \`suspect\`.
- **Groups**: \`rt-testdata\` (the top directory: micro tests, stress tests, common patterns), \`rt-goker\`, \`tests-go\`.
  Requirement 2 is checked in each group separately and must hold in all of them.
- **What the ground truth cannot see**: the profile lists only goroutines blocked on channels and sync objects that
  no live goroutine can reach. Goroutines blocked on something reachable from a global, from a sleeping goroutine
  (DaisyChain) or from the network poller (an idle HTTP client connection in [IO wait] and its writeLoop) are not
  listed, however useless they are; a leakhound \`suspect\` on them counts as a false suspect here, and would count
  as a false definite if leakhound called them definite.

EOF
"$SCORE" report -in "$RESULTS" -md "$MD" -header "$WORK/header.md"
cp "$RESULTS" "$JSONL"
log "wrote $MD and $JSONL ($(($(date +%s) - START)) s)"
