#!/usr/bin/env bash
# Precision study of `leakhound scan` (issue 5): the finding count of every rule on four real trees, the input for the
# hand classification in bench/scan/precision.md.
#
# Trees:
#   std             $(go env GOROOT)/src                   (the installed Go toolchain's standard library)
#   grpc            google.golang.org/grpc@v1.85.0
#   client_golang   github.com/prometheus/client_golang@v1.23.2
#   client-go       k8s.io/client-go@v0.37.2
# The three modules are fetched, pinned, with `go mod download -json` from the Go module proxy (GOPROXY as configured,
# GOFLAGS=-mod=mod, no go.mod needed: run from an empty temporary directory); the module cache verifies them against
# sum.golang.org as usual. Each tree is scanned with
#   leakhound scan --all-rules --format json -o OUT/TREE.json --fail-on never ./...
# run from the tree's root (finding paths are relative to it; test files are included, as by default).
#
# Usage: bench/scan/precision.sh [LEAKHOUND_BIN]          (default: build/leakhound)
#   env: OUT (default bench/out/scan-precision): where the JSON outputs, table.txt and table.md go
# Output: a table on stdout, rule × tree → unsuppressed findings (suppressed ones in parentheses when there are any);
#         the same as markdown in OUT/table.md; one TSV line per finding in OUT/findings.tsv
#         (tree, rule, file, line, column, message) for sampling.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/leakhound}
OUT=${OUT:-$root/bench/out/scan-precision}

log() { printf '%s\n' "$*" >&2; }
die() { log "bench/scan/precision.sh: $*"; exit 2; }
[ -x "$bin" ] || die "no leakhound binary at $bin (build it first)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v go >/dev/null || die "needs go"
command -v python3 >/dev/null || die "needs python3"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

MODULES=(
  "grpc google.golang.org/grpc@v1.85.0"
  "client_golang github.com/prometheus/client_golang@v1.23.2"
  "client-go k8s.io/client-go@v0.37.2"
)

# ---- the trees ----
trees=() dirs=()
std=$(go env GOROOT)/src
[ -d "$std" ] || die "no standard library source at $std"
trees+=(std) dirs+=("$std")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for m in "${MODULES[@]}"; do
  name=${m%% *} mod=${m#* }
  log "downloading $mod"
  json=$(cd "$tmp" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "$mod") || die "go mod download $mod failed"
  dir=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir","")) if not d.get("Error") else sys.exit("error: "+d["Error"])') ||
    die "go mod download $mod: no directory"
  [ -d "$dir" ] || die "go mod download $mod: $dir is not a directory"
  trees+=("$name") dirs+=("$dir")
done

# ---- scan ----
for i in "${!trees[@]}"; do
  log "scanning ${trees[$i]} (${dirs[$i]})"
  rc=0
  (cd "${dirs[$i]}" && "$bin" scan --all-rules --format json --fail-on never -o "$OUT/${trees[$i]}.json" ./...) || rc=$?
  [ "$rc" -eq 0 ] || die "leakhound scan exited $rc on ${dirs[$i]}"
  printf '%s\t%s\n' "${trees[$i]}" "${dirs[$i]}" >>"$tmp/trees.tsv"
done

# ---- count ----
python3 - "$OUT" "$tmp/trees.tsv" <<'PY'
import json, sys, collections
out, trees_tsv = sys.argv[1], sys.argv[2]
trees = [line.rstrip("\n").split("\t") for line in open(trees_tsv)]
rules = {}            # id -> name, from the reports' rule lists
count = collections.Counter()
supp = collections.Counter()
summary = {}
with open(f"{out}/findings.tsv", "w") as ft, open(f"{out}/trees.tsv", "w") as tt:
    for tree, d in trees:
        tt.write(f"{tree}\t{d}\n")
        rep = json.load(open(f"{out}/{tree}.json"))
        for r in rep.get("rules", []):
            rules[r["id"]] = r["name"]
        summary[tree] = rep.get("summary", {})
        if not summary[tree].get("files"):
            sys.exit(f"bench/scan/precision.sh: leakhound scanned no Go files in {d}")
        for f in rep.get("findings", []):
            if f.get("suppressed"):
                supp[(f["rule"], tree)] += 1
                continue
            count[(f["rule"], tree)] += 1
            msg = f.get("message", "").replace("\t", " ").replace("\n", " ")
            ft.write(f"{tree}\t{f['rule']}\t{f['file']}\t{f['line']}\t{f['column']}\t{msg}\n")
names = [t for t, _ in trees]
def cell(r, t):
    c = str(count[(r, t)])
    return c + (f" ({supp[(r, t)]})" if supp[(r, t)] else "")
rows = [[r, rules[r]] + [cell(r, t) for t in names] + [str(sum(count[(r, t)] for t in names))] for r in sorted(rules)]
hdr = ["rule", "name"] + names + ["total"]
foot = [["files", ""] + [str(summary[t].get("files", "?")) for t in names] + [""],
        ["MB", ""] + [f"{summary[t].get('bytes', 0) / 1e6:.1f}" for t in names] + [""]]
w = [max(len(x[i]) for x in [hdr] + rows + foot) for i in range(len(hdr))]
lines = ["  ".join(x[i].ljust(w[i]) if i < 2 else x[i].rjust(w[i]) for i in range(len(hdr))) for x in [hdr] + rows + foot]
txt = "\n".join(lines) + "\n"
if any(supp.values()):
    txt += "(n) = further findings suppressed by //nolint or //lint:ignore comments in the tree, not counted\n"
open(f"{out}/table.txt", "w").write(txt)
md = ["| " + " | ".join(hdr) + " |", "|" + "|".join("---" if i < 2 else "---:" for i in range(len(hdr))) + "|"]
md += ["| " + " | ".join(x) + " |" for x in rows + foot]
open(f"{out}/table.md", "w").write("\n".join(md) + "\n")
sys.stdout.write(txt)
PY
log "outputs in $OUT (table.txt, table.md, findings.tsv, TREE.json)"
