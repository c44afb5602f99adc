#!/usr/bin/env bash
# Static-detection benchmark: how many GoKer blocking-bug kernels `leakhound scan` flags AT THE LABELLED BUG.
#
#   bash bench/goker-scan/run.sh [LEAKHOUND_BIN]          (default: build/leakhound)
#
# Inputs (from the Go toolchain in PATH, Go >= 1.26):
#   kernels  $(go env GOROOT)/src/runtime/testdata/testgoroutineleakprofile/goker/*.go (main.go, the driver, skipped)
#   labels   $(go env GOROOT)/src/runtime/goroutineleakprofile_test.go: gokerTestCases, one makeTest/makeFlakyTest
#            per kernel with regexps `FUNC\(.* \[BLOCK KIND\]` naming the leaked goroutines' entry functions.
#
# Steps:
# 1. Builds bench/goker-scan/funcs (stdlib-only Go program: every function of a package under its runtime name,
#    with its source range, go statements and direct calls), and checks its names against the symbol table of
#    the kernels built with the local toolchain (funcs -check-binary).
# 2. Per kernel, a directory $OUT/kernels/<Name>/ holding the kernel file and a stub main.go (register,
#    registerInit, yieldCount, main) so that it is a complete package on its own; in it:
#      scan.json   LEAKHOUND_BIN scan --all-rules -f json --fail-on never --config $OUT/leakhound.yaml .
#      funcs.json  funcs <kernel file> main.go
# 3. bench/goker-scan/score.py maps every finding to its function and scores against the labels: writes
#    bench/goker-scan/results.json and bench/goker-scan/RESULTS.md, prints the totals. bench/goker-scan/bugs.tsv
#    (hand-written, one line per kernel on what its bug is) annotates the missed kernels.
#
# Scratch output goes to $OUT (default bench/goker-scan/out, git-ignored). Environment: OUT, GOKER_SRC,
# EXPECT_SRC (override the inputs), SCAN_FLAGS (extra `leakhound scan` options, e.g. "--disable LH012").
# Uses GOTOOLCHAIN=local and no network.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-$HERE/out}
LEAKHOUND_BIN=${1:-$REPO_DIR/build/leakhound}
SCAN_FLAGS=${SCAN_FLAGS:-}
export GOTOOLCHAIN=local GOFLAGS=${GOFLAGS:-}

log() { echo "goker-scan: $*" >&2; }
die() { log "$*"; exit 2; }

command -v go >/dev/null || die "go is required"
command -v python3 >/dev/null || die "python3 is required"
[ -x "$LEAKHOUND_BIN" ] || die "no leakhound binary at $LEAKHOUND_BIN (build it first)"
LEAKHOUND_BIN=$(realpath "$LEAKHOUND_BIN")
GOROOT=$(go env GOROOT)
GOKER_SRC=${GOKER_SRC:-$GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker}
EXPECT_SRC=${EXPECT_SRC:-$GOROOT/src/runtime/goroutineleakprofile_test.go}
[ -d "$GOKER_SRC" ] || die "no GoKer kernels in $GOKER_SRC (needs Go >= 1.26)"
[ -f "$EXPECT_SRC" ] || die "no $EXPECT_SRC"

rm -rf "$OUT/kernels"
mkdir -p "$OUT/kernels"

# Scan with a private copy of the binary, so that a rebuild during the run cannot mix two versions (or catch a
# half-written file): retried a few times until the copy answers --version.
BIN="$OUT/leakhound"
for try in 1 2 3 4 5; do
  cp "$LEAKHOUND_BIN" "$BIN.tmp" && chmod +x "$BIN.tmp" && VERSION=$("$BIN.tmp" --version 2>&1 | head -1) \
    && mv -f "$BIN.tmp" "$BIN" && break
  log "copying $LEAKHOUND_BIN failed (being rebuilt?), retrying"; sleep 5
done
[ -x "$BIN" ] && [ ! -e "$BIN.tmp" ] || die "could not copy a working $LEAKHOUND_BIN"
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)
log "$VERSION, binary sha256 $BIN_SHA"
# An explicit, empty project file: a .leakhound.yaml in a parent directory of $OUT must not change the rules.
CONFIG="$OUT/leakhound.yaml"
printf '# goker-scan: no project settings, every rule at its built-in severity\n' >"$CONFIG"

# 1. funcs.
log "building funcs"
(cd "$HERE/funcs" && go build -o "$OUT/funcs" .) || die "go build of bench/goker-scan/funcs failed"

# Check funcs' names against the compiler: build the kernels as the runtime's test does (one package, main.go
# included) and compare every function symbol with funcs' list (name, and a range holding its entry line).
# Closures copied by inlining (Caller.Callee.func1) cannot be predicted from source and are counted apart.
log "checking funcs' runtime names against a build of the kernels"
rm -rf "$OUT/namecheck"
mkdir -p "$OUT/namecheck"
cp "$GOKER_SRC"/*.go "$OUT/namecheck/"
printf 'module goker\n\ngo %s\n' "$(go env GOVERSION | sed 's/^go//')" >"$OUT/namecheck/go.mod"
NAMECHECK="$OUT/namecheck/result.txt"
if (cd "$OUT/namecheck" && go build -o goker.bin . && "$OUT/funcs" -check-binary goker.bin ./*.go >result.txt); then
  log "$(tail -1 "$NAMECHECK")"
else
  grep -E '^(MISSING|RANGE)' "$NAMECHECK" >&2 || true
  log "WARNING: funcs' names differ from the compiler's (see $NAMECHECK): labels may not resolve"
fi

# The stub that completes a kernel into a package: the driver's declarations, without its behaviour.
STUB='// Stub for the goker-scan benchmark: what the GoKer driver (main.go) declares, doing nothing.
package main

const yieldCount = 10

func register(name string, f func())     {}
func registerInit(name string, f func()) {}

func main() {}'

# 2. Scan each kernel in its own package.
n=0
for src in "$GOKER_SRC"/*.go; do
  base=$(basename "$src")
  [ "$base" = main.go ] && continue
  # The kernel's test name, as registered: register("Moby28462", Moby28462). (The file name can differ:
  # moby25384.go registers Moby25348.)
  name=$(sed -n 's/^[[:space:]]*register(\"\([A-Za-z0-9_]*\)\".*/\1/p' "$src" | head -1)
  [ -n "$name" ] || { log "skip $base: no register(\"Name\", ...) call"; continue; }
  dir="$OUT/kernels/$name"
  mkdir -p "$dir"
  cp "$src" "$dir/$base"
  printf '%s\n' "$STUB" >"$dir/main.go"
  printf '%s\n' "$base" >"$dir/kernel_file"

  # Exit codes: 0 = ran (--fail-on never), anything else = scan could not run: recorded, scored as no findings.
  rc=0
  # shellcheck disable=SC2086  # SCAN_FLAGS is a list of options
  (cd "$dir" && "$BIN" scan --all-rules -f json --fail-on never --config "$CONFIG" $SCAN_FLAGS -o scan.json . \
    2>scan.stderr) || rc=$?
  echo "$rc" >"$dir/scan.rc"
  [ "$rc" -eq 0 ] || log "$name: leakhound scan exited $rc (see $dir/scan.stderr)"

  (cd "$dir" && "$OUT/funcs" "$base" main.go >funcs.json) || die "$name: funcs failed"
  n=$((n + 1))
done
log "scanned $n kernels"

# 3. Score.
python3 "$HERE/score.py" \
  --kernels "$OUT/kernels" --expect "$EXPECT_SRC" \
  --leakhound "$LEAKHOUND_BIN" --leakhound-version "$VERSION; binary sha256 $BIN_SHA" \
  --scan-flags "--all-rules -f json --fail-on never${SCAN_FLAGS:+ $SCAN_FLAGS}" \
  --go-version "$(go version)" --bugs "$HERE/bugs.tsv" --name-check "$NAMECHECK" \
  --json "$HERE/results.json" --markdown "$HERE/RESULTS.md"
