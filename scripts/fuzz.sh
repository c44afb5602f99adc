#!/usr/bin/env bash
# Runs every libFuzzer binary (*_fuzz) in BUILD_DIR for SECONDS each, on a seed corpus made from tests/fixtures.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [FUZZER...]
#
# FUZZER names (e.g. scan_fuzz) pick some of the binaries; default all.
# LEAKHOUND_FUZZ_CORPUS=DIR keeps each fuzzer's corpus in DIR/<fuzzer> across runs (seeded on first use) and appends
# one line per run to DIR/runs.tsv (date, fuzzer, seconds, execs, result), so long campaigns add up over sessions.
#
# Seeds: the fuzzer's own fixtures by name (traceback_* gets traceback text, aggregated_* the debug=1 text, pprof_*
# the gzipped profiles and their decompressed bytes), scan_* the Go files of tests/scan, every fixture for any other
# fuzzer. The corpus lives in a
# temporary directory and is thrown away; crash reproducers are kept in BUILD_DIR/fuzz-artifacts/<fuzzer>/.
# Exits non-zero if any fuzzer fails (crash, sanitizer report, leak, timeout, out of memory).
set -uo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [FUZZER...]" >&2
  exit 2
fi
build_dir=$1
seconds=$2
shift 2
only=("$@")
keep="${LEAKHOUND_FUZZ_CORPUS:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$root/tests/fixtures"

mapfile -t fuzzers < <(find "$build_dir" -maxdepth 1 -type f -name '*_fuzz' -perm -u+x | sort)
if [[ ${#only[@]} -gt 0 ]]; then
  picked=()
  for f in "${fuzzers[@]}"; do
    for o in "${only[@]}"; do [[ "$(basename "$f")" == "$o" ]] && picked+=("$f"); done
  done
  fuzzers=("${picked[@]}")
fi
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  echo "fuzz.sh: no *_fuzz binaries in $build_dir (configure with -DLEAKHOUND_BUILD_FUZZERS=ON)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/leakhound-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Copies fixture files matching find(1) predicates into corpus directory $1, named by their path.
seed() {
  local corpus=$1
  shift
  [[ -d "$fixtures" ]] || return 0
  while IFS= read -r -d '' f; do
    local name="${f#"$fixtures"/}"
    cp "$f" "$corpus/${name//\//_}"
  done < <(find "$fixtures" -type f -not -path '*/gen/*' \( "$@" \) -print0)
}

failed=()
for bin in "${fuzzers[@]}"; do
  name="$(basename "$bin")"
  corpus="$work/$name/corpus"
  [[ -n "$keep" ]] && corpus="$keep/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  fresh=1
  [[ -d "$corpus" ]] && [[ -n "$(ls -A "$corpus")" ]] && fresh=0
  mkdir -p "$corpus" "$artifacts"
  [[ $fresh -eq 1 ]] && case "$name" in
    traceback_* | report_*) seed "$corpus" -name '*.txt' -not -name '*debug1*' ;;
    test_output_*) seed "$corpus" \( -path '*gotest*' -o -path '*goleak*' \) ;;
    aggregated_*) seed "$corpus" -name '*debug1*' ;;
    pprof_*)
      seed "$corpus" -name '*.pb.gz' -o -name '*.pb'
      for gz in "$corpus"/*.gz; do
        [[ -e "$gz" ]] && gzip -dc "$gz" > "${gz%.gz}.raw" 2>/dev/null
      done
      ;;
    testmain_*)
      while IFS= read -r -d '' f; do
        name="${f#"$root"/tests/go/}"
        cp "$f" "$corpus/${name//\//_}"
      done < <(find "$root/tests/go/testgate" "$root/tests/go/gotest" -type f -name '*_test.go' -print0)
      seed "$corpus" -name 'testmain-*'  # found by fuzzing
      name="$(basename "$bin")"
      ;;
    scan_*)
      # Go source: the rule fixtures.
      while IFS= read -r -d '' f; do
        name="${f#"$root"/tests/scan/}"
        cp "$f" "$corpus/${name//\//_}"
      done < <(find "$root/tests/scan" -type f -name '*.go' -print0)
      # And inputs that once crashed or misled it (non-UTF-8 bytes, nesting thousands deep, new(expr)).
      for f in "$root"/tests/fuzz-seeds/scan/*.go; do
        [[ -e "$f" ]] && cp "$f" "$corpus/seed_$(basename "$f")"
      done
      name="$(basename "$bin")"
      ;;
    metrics_*) printf 'target\x00bucket\x00site\x00rule\x00' > "$corpus/plain" ;;
    watch_*) seed "$corpus" -name '*debug1*' -o -name '*.pb.gz' ;;
    *) seed "$corpus" -name '*' ;;
  esac
  echo "== $name: ${seconds}s, $(find "$corpus" -type f | wc -l) seeds"
  "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" > "$work/$name.log" 2>&1
  rc=$?
  if [[ -n "$keep" ]]; then
    execs="$(grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$work/$name.log" | grep -Eo '[0-9]+$')"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$seconds" "${execs:-0}" \
      "$([[ $rc -eq 0 ]] && echo ok || echo "failed:$rc")" >> "$keep/runs.tsv"
  fi
  if [[ $rc -ne 0 ]]; then
    echo "== $name FAILED (exit $rc); reproducers in $artifacts:" >&2
    ls "$artifacts" >&2
    tail -n 60 "$work/$name.log" >&2
    failed+=("$name")
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name.log" | sed "s/^/   /"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all ${#fuzzers[@]} fuzzers ran ${seconds}s without failures"
