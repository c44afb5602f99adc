#!/usr/bin/env bash
# Detection benchmark: how many GoKer blocking-bug kernels `leakhound test` catches, on the Go runtime's own ports.
#
#   bench/goker/run.sh [LEAKHOUND_BIN]          (default: build/leakhound)
#
# 1. Generates a Go module in bench/out/goker (module goker, go 1.26) from
#    $(go env GOROOT)/src/runtime/testdata/testgoroutineleakprofile/goker/*.go with bench/goker/make_module.py:
#    one package per kernel (directory = registered kernel name lowercased), the kernel's file made a library
#    (package renamed, register() init removed, leak-profile printing neutralised), helpers.go (yieldCount) and
#    kernel_test.go (`func Test<Name>(t *testing.T) { <Name>() }`); checks that every package passes `go vet ./...`.
# 2. Runs `leakhound test --repeat $REPEAT --format json -timeout $GO_TIMEOUT ./...` in that module, timed; the JSON
#    goes to bench/out/goker/report.json, stderr (progress) to bench/out/goker/stderr.txt.
# 3. Scores with bench/goker/score.py against the runtime's expectations (gokerTestCases in
#    $(go env GOROOT)/src/runtime/goroutineleakprofile_test.go): prints a table and totals, writes
#    bench/goker/RESULTS.md.
#
# Environment knobs: REPEAT (20: runs per package until its first leak), GO_TIMEOUT (60s: go test -timeout),
# LEAKHOUND_FLAGS (extra leakhound test options, e.g. --no-proof; empty).
set -euo pipefail

GOKER_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$GOKER_BENCH/../.." && pwd)
OUT="$REPO_DIR/bench/out/goker"
LEAKHOUND_BIN=$(realpath "${1:-$REPO_DIR/build/leakhound}")
REPEAT=${REPEAT:-20}
GO_TIMEOUT=${GO_TIMEOUT:-60s}
LEAKHOUND_FLAGS=${LEAKHOUND_FLAGS:-}

log() { echo "goker: $*" >&2; }
die() { log "$*"; exit 2; }

command -v go >/dev/null || die "go is required"
command -v python3 >/dev/null || die "python3 is required"
[ -x "$LEAKHOUND_BIN" ] || die "no leakhound binary at $LEAKHOUND_BIN (build it first)"
GOROOT=$(go env GOROOT)
GOKER_SRC="$GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker"
EXPECT_SRC="$GOROOT/src/runtime/goroutineleakprofile_test.go"
[ -d "$GOKER_SRC" ] || die "no GoKer kernels in $GOKER_SRC (needs Go >= 1.26)"
[ -f "$EXPECT_SRC" ] || die "no $EXPECT_SRC"

# 1. The module.
python3 "$GOKER_BENCH/make_module.py" "$GOKER_SRC" "$OUT"
log "go vet ./... in $OUT"
(cd "$OUT" && go vet ./...) || die "go vet failed: fix make_module.py"

# 2. leakhound test.
CMD="leakhound test --repeat $REPEAT --format json${LEAKHOUND_FLAGS:+ $LEAKHOUND_FLAGS} -timeout $GO_TIMEOUT ./..."
log "$CMD  (in $OUT)"
t0=$(date +%s%N)
rc=0
# shellcheck disable=SC2086  # LEAKHOUND_FLAGS is a list of options
(cd "$OUT" && "$LEAKHOUND_BIN" test --repeat "$REPEAT" --format json $LEAKHOUND_FLAGS -timeout "$GO_TIMEOUT" ./... \
  >"$OUT/report.json" 2>"$OUT/stderr.txt") || rc=$?
t1=$(date +%s%N)
WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
log "leakhound test exited $rc after ${WALL}s"
# 0: no leak, 1: leaks or failing packages (expected here); anything else: leakhound could not run.
[ "$rc" -le 1 ] || { tail -20 "$OUT/stderr.txt" >&2; die "leakhound test failed (exit $rc)"; }

# 3. Score.
python3 "$GOKER_BENCH/score.py" \
  --module "$OUT" --expect "$EXPECT_SRC" --report "$OUT/report.json" --stderr "$OUT/stderr.txt" \
  --command "$CMD" --repeat "$REPEAT" --wall "$WALL" --exit-code "$rc" --go-version "$(go version)" \
  --markdown "$GOKER_BENCH/RESULTS.md"
