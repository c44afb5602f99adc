#!/usr/bin/env bash
# Do the fixes `scan --fix` offers compile on code nobody here wrote? For each module@version (from the module
# proxy), a copy is scanned with --fix (default rules, then again with --all-rules on a fresh copy), and the fixed
# copy must pass `go vet ./...` (tests included) wherever the untouched copy does, and `gofmt -l`.
#
#   bench/fix/run.sh LEAKHOUND [MODULE@VERSION...]
#
# Prints one row per module and rule set: fixes offered, fixes applied, files, findings without a fix, and whether
# vet and gofmt are clean after the fix ("new vet errors" lists packages that vet accepted before and not after).
set -uo pipefail
bin=$(realpath "$1")
shift
modules=("$@")
[[ ${#modules[@]} -eq 0 ]] && modules=(github.com/nats-io/nats-server/v2@v2.11.4 github.com/prometheus/alertmanager@v0.28.1
  github.com/prometheus/client_golang@v1.23.2 github.com/nats-io/nats.go@v1.42.0)
work=$(mktemp -d /tmp/leakhound-fixbench.XXXXXX)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

# Packages go vet fails on, one per line (sorted).
vet_failures() {
  (cd "$1" && go vet ./... 2>&1 | grep -E '^# ' | sed 's/^# //; s/ \[.*//' | sort -u)
}

printf '| module | rules | offered | applied | files | without a fix | gofmt -l | new vet errors |\n'
printf '|---|---|---:|---:|---:|---:|---|---|\n'
for m in "${modules[@]}"; do
  dir=$(cd "$work" && go mod download -json "$m" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -z "$dir" ]] && { echo "| $m | download failed |" ; continue; }
  base="$work/base"
  rm -rf "$base"; cp -r "$dir" "$base"; chmod -R u+w "$base"
  before=$(vet_failures "$base")
  for rules in default all; do
    copy="$work/copy"
    rm -rf "$copy"; cp -r "$dir" "$copy"; chmod -R u+w "$copy"
    extra=()
    [[ $rules == all ]] && extra=(--all-rules)
    offered=$(cd "$copy" && "$bin" scan "${extra[@]}" --diff ./... 2>&1 >/dev/null | sed -n 's/.*offers \([0-9]*\) fix.*/\1/p')
    out=$(cd "$copy" && "$bin" scan "${extra[@]}" --fix ./... 2>&1 >/dev/null | tail -1)
    applied=$(sed -n 's/.*applied \([0-9]*\) fix.*/\1/p' <<<"$out")
    files=$(sed -n 's/.* in \([0-9]*\) file.*/\1/p' <<<"$out")
    without=$(sed -n 's/.*; \([0-9]*\) finding.*/\1/p' <<<"$out")
    fmt=$(cd "$copy" && gofmt -l . 2>&1 | wc -l)
    after=$(vet_failures "$copy")
    new=$(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$rules" "${offered:-0}" "${applied:-0}" "${files:-0}" \
      "${without:-?}" "$([[ $fmt -eq 0 ]] && echo clean || echo "$fmt files")" "${new:-none}"
  done
done
