#!/usr/bin/env bash
# Produces real JSON outputs with the leakhound binary and validates each against its schema in schemas/:
#
#   tests/schemas/check_schemas.sh LEAKHOUND_BIN REPO_ROOT
#
#   analyze -f json  examples/dumps, every input format of tests/fixtures (traceback, debug=1, pprof .pb.gz,
#                    goroutineleak profiles, go test output plain and -json, hostile and fuzz-found inputs), several
#                    inputs at once, stdin, the similarity levels, filters, and a URL served with its goroutineleak
#                    profile (leak_proof)
#   diff -f json     the shop snapshots (timed), mixed formats (untimed, 3 snapshots), two untimed snapshots
#   check -f json    examples/dumps/go-test-leaky.txt and the goleak outputs of tests/fixtures, with and without a
#                    baseline, a timeout dump; `leakhound test --format json` on examples/testgate when go is installed
#   scan -f json     examples/scan, every rule fixture of tests/scan, and a package with a syntax error and a
#                    suppression
#   watch            JSON lines of `leakhound watch --format json` and the webhook bodies it POSTs: four short runs
#                    against a local fixture server (python3, 127.0.0.1) that serves tests/fixtures/go1.26 as pprof
#                    endpoints (alerts max_goroutines, proven, definite, growth; scrape errors connect, html, garbage,
#                    http_status; restarts; a webhook that accepts and one that rejects; HTTP service discovery with
#                    a target that comes and goes and a broken source; an Alertmanager that rejects), and, when go is
#                    installed, a real run on tests/go/watch-leaky under load
#
# Then checks that the schemas reject drift (an unknown field, a wrong type) and that every watch event kind and alert
# rule the runs can produce was seen. Prints "check_schemas: OK: N documents valid against 5 schemas" and exits 0;
# on any failure prints the file and its errors and exits 1; 2 on a usage error.
#
# Needs node (with ajv and ajv-formats in REPO_ROOT/node_modules) and python3; go is optional. Every process it starts
# (the fixture server, the Go service, its load) is stopped by pid on exit. CHECK_SCHEMAS_KEEP=DIR keeps the outputs.

set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 LEAKHOUND_BIN REPO_ROOT" >&2
  exit 2
fi
bin=$1
root=$2
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
  echo "$0: $bin: not an executable file" >&2
  exit 2
fi
if [ ! -d "$root/schemas" ] || [ ! -f "$root/tests/schemas/validate.js" ]; then
  echo "$0: $root: not the leakhound repository (no schemas/ or tests/schemas/validate.js)" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
root=$(cd "$root" && pwd)
cd "$root" || exit 2  # paths below, globs included, are relative to the repository
for tool in node python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is needed" >&2
    exit 2
  fi
done
if [ ! -d "$root/node_modules/ajv" ] || [ ! -d "$root/node_modules/ajv-formats" ]; then
  echo "$0: $root/node_modules has no ajv or ajv-formats: run npm ci" >&2
  exit 2
fi
go=$(command -v go || true)
for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do
  if [ -z "$go" ] && [ -x "$g" ]; then go=$g; fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-schemas.XXXXXX") || exit 2
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -n "${CHECK_SCHEMAS_KEEP:-}" ]; then
    mkdir -p "$CHECK_SCHEMAS_KEEP" && cp -r "$tmp/out/." "$CHECK_SCHEMAS_KEEP/"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then timeout_cmd=(timeout 300); fi

export NO_COLOR=1
failed=0
fail() {
  failed=$((failed + 1))
  echo "FAIL $*"
}

for kind in analyze diff check scan watch; do mkdir -p "$tmp/out/$kind"; done

# produce KIND NAME CMD...: runs CMD in REPO_ROOT with stdout to out/KIND/NAME.json (.jsonl for watch). Exit 0 or 1
# (1: a leak, finding or alert, as documented) with output is a document to validate; anything else fails.
produce() {
  local kind=$1 name=$2
  shift 2
  local ext=json
  [ "$kind" = watch ] && ext=jsonl
  local out=$tmp/out/$kind/$name.$ext err=$tmp/out/$kind/$name.err rc
  (cd "$root" && "${timeout_cmd[@]}" "$@" >"$out" 2>"$err" </dev/null)
  rc=$?
  if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; } || [ ! -s "$out" ]; then
    fail "$kind/$name: exit $rc, $(wc -c <"$out") bytes of output: $*"
    sed 's/^/  /' "$err" | head -20
    rm -f "$out"
  fi
}

# --- A fixture server: tests/fixtures/go1.26 as pprof endpoints, scenarios by the first path element. ---
mkdir -p "$tmp/hooks"
cat >"$tmp/fixture_server.py" <<'EOF'
# /fx/debug/pprof/{goroutine,goroutineleak}?debug=0|1|2: the go1.26 fixtures (one process, with leaks the runtime
# proves); mutex?debug=1: a fixed cycles/second fingerprint. /restart/...: the same, with a new fingerprint on every
# request (a process that restarts between scrapes). /grow/...: debug=1 and debug=2 text of a stack that gains 10
# goroutines per debug=1 request. /html/, /garbage/, /missing/: an HTML error page, a body that is no profile, 404.
# /debug/pprof/... (a discovered target's): as /fx/. GET /sd: an HTTP SD list with this server's address for the first
# 3 requests, then empty (a target that comes and goes); /sd-broken: not an SD list.
# POST /hook: 200, the body saved to HOOKS/hook-N.json; any other POST (/api/v2/alerts of an Alertmanager): 400.
import http.server, json, os, sys, threading, urllib.parse

fixtures, port_file, hooks = sys.argv[1], sys.argv[2], sys.argv[3]
counters = {}
lock = threading.Lock()


def bump(key):
    with lock:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]


FILES = {('goroutine', '0'): 'goroutine.debug0.pb.gz', ('goroutine', '1'): 'goroutine.debug1.txt',
         ('goroutine', '2'): 'goroutine.debug2.txt', ('goroutineleak', '0'): 'goroutineleak.debug0.pb.gz',
         ('goroutineleak', '1'): 'goroutineleak.debug1.txt', ('goroutineleak', '2'): 'goroutineleak.debug2.txt'}


def growing(n, debug):
    if debug == '1':
        return (f'goroutine profile: total {n + 1}\n'
                f'{n} @ 0x43e0ae 0x4a1b2d 0x4a1b81 0x470e21\n'
                '#\t0x4a1b2c\tmain.leak+0x2c\t/src/app/main.go:20\n'
                '#\t0x4a1b80\tmain.start.func1+0x20\t/src/app/main.go:30\n\n'
                '1 @ 0x43e0ae 0x4a1c00 0x470e21\n'
                '#\t0x4a1bff\tmain.main+0x5f\t/src/app/main.go:40\n\n').encode()
    out = ['goroutine 1 [select, 5 minutes]:\nmain.main()\n\t/src/app/main.go:40 +0x5f\n']
    for i in range(n):
        out.append(f'goroutine {100 + i} [chan send, 2 minutes]:\nmain.leak(0xc000010000)\n'
                   '\t/src/app/main.go:20 +0x2c\nmain.start.func1()\n\t/src/app/main.go:30 +0x20\n'
                   f'created by main.start in goroutine {7 + i}\n\t/src/app/main.go:29 +0x40\n')
    return '\n'.join(out).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype='text/plain; charset=utf-8'):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        debug = urllib.parse.parse_qs(url.query).get('debug', ['0'])[0]
        parts = url.path.strip('/').split('/')
        if parts[:2] == ['debug', 'pprof']:
            parts = ['fx'] + parts
        scenario, profile = parts[0], parts[-1]
        if scenario == 'sd':
            listed = bump('sd') <= 3
            host = self.server.server_address
            body = [{'targets': [f'{host[0]}:{host[1]}'], 'labels': {'team': 'schemas'}}] if listed else []
            return self.reply(200, json.dumps(body).encode(), 'application/json')
        if scenario == 'sd-broken':
            return self.reply(200, b'{"not": "a list"}', 'application/json')
        if scenario == 'html':
            return self.reply(200, b'<!DOCTYPE html><html><body>502 Bad Gateway</body></html>\n', 'text/html')
        if scenario == 'garbage':
            return self.reply(200, b'hello, this is not a profile\n')
        if scenario == 'missing' or parts[1:3] != ['debug', 'pprof']:
            return self.reply(404, b'404 page not found\n')
        if scenario == 'grow':
            if profile != 'goroutine':
                return self.reply(404, b'404 page not found\n')
            n = 10 * (bump('grow') if debug == '1' else max(counters.get('grow', 0), 1))
            return self.reply(200, growing(n, debug))
        if profile == 'mutex':
            cycles = 2900000000 + (bump('restart') if scenario == 'restart' else 0)
            return self.reply(200, f'--- mutex:\ncycles/second={cycles}\nsampling period=0\n'.encode())
        name = FILES.get((profile, debug))
        if name is None:
            return self.reply(404, b'404 page not found\n')
        with open(os.path.join(fixtures, name), 'rb') as f:
            return self.reply(200, f.read(), 'application/octet-stream' if debug == '0' else 'text/plain')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        if self.path.startswith('/hook'):
            with open(os.path.join(hooks, f'hook-{bump("hook")}.json'), 'wb') as f:
                f.write(body)
            return self.reply(200, b'ok\n')
        return self.reply(400, b'rejected\n')


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
with open(port_file + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + '.tmp', port_file)
server.serve_forever()
EOF
python3 "$tmp/fixture_server.py" "$root/tests/fixtures/go1.26" "$tmp/port" "$tmp/hooks" 2>"$tmp/fixture_server.err" &
pids+=($!)
for _ in $(seq 100); do
  [ -s "$tmp/port" ] && break
  sleep 0.1
done
if [ ! -s "$tmp/port" ]; then
  echo "$0: the fixture server did not start:" >&2
  cat "$tmp/fixture_server.err" >&2
  exit 1
fi
fx=http://127.0.0.1:$(cat "$tmp/port")

# --- analyze ---
for f in examples/dumps/*.txt tests/fixtures/go1.26/* tests/fixtures/goleak/* tests/fixtures/html/hostile.txt \
         tests/fixtures/fuzz/traceback-nul-state.txt tests/fixtures/fuzz/watch-hostile-debug1.txt \
         tests/fixtures/fuzz/watch-amplification.pb.gz tests/golden/analyze-input.txt tests/golden/goroutines-*.txt
do
  produce analyze "$(basename "$f")" "$bin" analyze -f json -q "$f"
done
produce analyze two-sources "$bin" analyze -f json tests/fixtures/go1.26/goroutine.debug2.txt \
  tests/fixtures/go1.26/goroutineleak.debug2.txt
produce analyze mixed-formats "$bin" analyze -f json tests/fixtures/go1.26/goroutine.debug2.txt \
  tests/fixtures/go1.26/goroutine.debug0.pb.gz tests/fixtures/go1.26/goroutine.debug1.txt
produce analyze similarity-exact "$bin" analyze -f json --similarity exact tests/golden/analyze-input.txt
produce analyze similarity-func "$bin" analyze -f json --similarity func tests/golden/analyze-input.txt
produce analyze top-and-min-count "$bin" analyze -f json --top 2 --min-count 2 tests/golden/analyze-input.txt
produce analyze filtered-empty "$bin" analyze -f json --focus '^nothing matches this$' tests/golden/analyze-input.txt
produce analyze stdin bash -c "\"$bin\" analyze -f json - <tests/fixtures/go1.26/goroutine.debug2.txt"
produce analyze url-with-leak-proof "$bin" analyze -f json "$fx/fx/debug/pprof/"
if [ -f "$tmp/out/analyze/url-with-leak-proof.json" ] &&
   ! grep -q '"leak_proof": "http' "$tmp/out/analyze/url-with-leak-proof.json"; then
  fail "analyze/url-with-leak-proof: no leak_proof URL: the goroutineleak profile was not applied"
fi

# --- diff ---
produce diff shop-timed "$bin" diff -f json examples/dumps/shop-2026-11-25T10-00-00.txt \
  examples/dumps/shop-2026-11-25T10-15-00.txt
produce diff shop-interval-top "$bin" diff -f json --interval 5 --top 2 examples/dumps/shop-2026-11-25T10-00-00.txt \
  examples/dumps/shop-2026-11-25T10-15-00.txt
produce diff golden-func "$bin" diff -f json --similarity func tests/golden/goroutines-2026-11-25T10-00-00.txt \
  tests/golden/goroutines-2026-11-25T10-15-00.txt
produce diff mixed-untimed-3 "$bin" diff -f json tests/fixtures/go1.26/goroutine.debug2.txt \
  tests/fixtures/go1.26/goroutine.debug0.pb.gz tests/fixtures/go1.26/goroutine.debug1.txt
produce diff untimed-2 "$bin" diff -f json tests/fixtures/go1.26/goroutineleak.debug2.txt \
  tests/golden/analyze-input.txt

# --- check (and leakhound test, the same writer) ---
produce check go-test-leaky "$bin" check -f json examples/dumps/go-test-leaky.txt
for f in tests/fixtures/goleak/*; do
  produce check "$(basename "$f")" "$bin" check -f json "$f"
done
produce check all-at-once "$bin" check -f json examples/dumps/go-test-leaky.txt tests/fixtures/goleak/*
produce check timeout-dump "$bin" check -f json tests/fixtures/go1.26/goroutine.debug2.txt
produce check stdin bash -c "\"$bin\" check -f json <examples/dumps/go-test-leaky.txt"
if (cd "$root" && "$bin" check -q examples/dumps/go-test-leaky.txt --write-baseline "$tmp/baseline.json" \
      >/dev/null 2>&1 </dev/null; [ -s "$tmp/baseline.json" ]); then
  produce check with-baseline "$bin" check -f json --baseline "$tmp/baseline.json" examples/dumps/go-test-leaky.txt \
    tests/fixtures/goleak/go1.26-goleak1.3.0-test-output.txt
  if [ -f "$tmp/out/check/with-baseline.json" ] && ! grep -q '"new": false' "$tmp/out/check/with-baseline.json"; then
    fail "check/with-baseline: no bucket with \"new\": false"
  fi
else
  fail "check --write-baseline wrote no baseline"
fi
if [ -n "$go" ]; then
  # --no-proof: no rebuild of the standard library with GOEXPERIMENT=goroutineleakprofile; the JSON writer is the
  # same with the proof (a definite verdict instead of suspect).
  produce check leakhound-test-testgate env PATH="$(dirname "$go"):$PATH" GOTOOLCHAIN=local GOWORK=off GOPROXY=off \
    GOFLAGS=-mod=readonly bash -c "cd examples/testgate && \"$bin\" test --no-proof --format json ./..."
else
  echo "check_schemas: note: no go: leakhound test --format json not run"
fi

# --- scan ---
produce scan examples-scan "$bin" scan -f json -q examples/scan
for d in tests/scan/LH*/; do
  d=${d%/}
  produce scan "$(basename "$d")" "$bin" scan -f json -q --all-rules "$d/..."
done
produce scan all-fixtures "$bin" scan -f json -q --all-rules tests/scan/...
mkdir -p "$tmp/scanpkg"
cat >"$tmp/scanpkg/broken.go" <<'EOF'
package broken

func Broken() {
	x := := 1
}
EOF
cat >"$tmp/scanpkg/leak.go" <<'EOF'
package broken

func Leak() int {
	var done chan struct{}
	<-done //nolint:LH013 // schema check: a suppressed finding
	ch := make(chan int)
	go func() { ch <- 1 }()
	return 0
}
EOF
cat >"$tmp/scanpkg/leakhound.yaml" <<'EOF'
scan:
  severity: {LH001: note}
EOF
produce scan syntax-error-suppressed "$bin" scan -f json -q --all-rules --config "$tmp/scanpkg/leakhound.yaml" \
  "$tmp/scanpkg"
if [ -f "$tmp/out/scan/syntax-error-suppressed.json" ] &&
   ! grep -q '"suppressed": true' "$tmp/out/scan/syntax-error-suppressed.json"; then
  fail "scan/syntax-error-suppressed: no suppressed finding"
fi

# --- watch: JSON lines and webhook bodies ---
cat >"$tmp/targets.yaml" <<EOF
targets:
  - {url: $fx/fx/, name: fixture, labels: {team: schemas}}
  - {url: $fx/restart/debug/pprof/, name: restarting}
  - {url: $fx/html/, name: html-page}
  - {url: $fx/garbage/, name: garbage}
  - {url: $fx/missing/, name: missing}
  - {url: 'http://127.0.0.1:1', name: refused}
EOF
# Alerts max_goroutines and proven (--leak-every), dumps with their pages, a webhook that takes every alert, the
# metrics endpoint; scrape errors connect, html, garbage, http_status; restarts by fingerprint; the summary's page.
produce watch fixture-proven "$bin" watch --config "$tmp/targets.yaml" --interval 300ms --duration 1s --leak-every 1 \
  --max-goroutines 5 --dump-dir "$tmp/dumps" --html "$tmp/watch.html" --webhook "$fx/hook" \
  --metrics-listen 127.0.0.1:0 --timeout 2s --format json -q
# definite alerts (nil channels, select {}), a webhook that rejects them: webhook_error.
produce watch fixture-definite "$bin" watch "$fx/fx/debug/pprof/" --once --webhook "$fx/reject" \
  --webhook-retries 0 --format json -q
# growth alert on debug=1 text, with a dump.
produce watch fixture-growth "$bin" watch "$fx/grow/" --profile debug1 --interval 100ms --duration 1s --min-samples 3 \
  --dump-dir "$tmp/dumps-growth" --format json -q
# Targets from HTTP SD only, one that comes and goes (targets events), a source that is broken (discovery_error), an
# Alertmanager that rejects the alerts (alertmanager_error).
produce watch fixture-discovery "$bin" watch --http-sd "$fx/sd" --http-sd "$fx/sd-broken" --sd-refresh 200ms \
  --sd-grace 200ms --interval 200ms --duration 1.5s --alertmanager "$fx" --alertmanager-resend 200ms --format json -q

if [ -n "$go" ]; then
  # A real service that leaks a goroutine per request, under load.
  if (cd "$root/tests/go" && GOTOOLCHAIN=local GOWORK=off GOPROXY=off GOFLAGS=-mod=readonly \
        "$go" build -o "$tmp/watch-leaky" ./watch-leaky) >"$tmp/go-build.err" 2>&1; then
    "$tmp/watch-leaky" >"$tmp/leaky.out" 2>"$tmp/leaky.err" &
    leaky=$!
    pids+=($leaky)
    for _ in $(seq 300); do
      grep -q '^READY ' "$tmp/leaky.out" 2>/dev/null && break
      sleep 0.1
    done
    url=$(sed -n 's/^READY //p' "$tmp/leaky.out" | head -1)
    if [ -z "$url" ]; then
      fail "tests/go/watch-leaky did not print READY"
      sed 's/^/  /' "$tmp/leaky.err" | head -20
    else
      python3 - "$url" "$leaky" <<'EOF' &
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
i = 0
while True:
    try:
        os.kill(pid, 0)
        urllib.request.urlopen(f'{url}/order?id={i}', timeout=2).read()
    except ProcessLookupError:
        break
    except OSError:
        pass
    i += 1
    time.sleep(0.02)
EOF
      pids+=($!)
      produce watch live-watch-leaky "$bin" watch "$url" --interval 200ms --duration 3s --min-samples 4 \
        --dump-dir "$tmp/dumps-live" --webhook "$fx/hook" --format json -q
    fi
  else
    fail "go build tests/go/watch-leaky"
    sed 's/^/  /' "$tmp/go-build.err" | head -20
  fi
else
  echo "check_schemas: note: no go: the live watch run on tests/go/watch-leaky is skipped"
fi
cp "$tmp"/hooks/*.json "$tmp/out/watch/" 2>/dev/null
if ! ls "$tmp"/out/watch/hook-*.json >/dev/null 2>&1; then
  fail "watch: the webhook received no alert"
fi

# Every event kind and alert rule the runs above can produce must have appeared (a run that silently did less would
# otherwise validate nothing). Not produced: restart how=down (a process that refuses connections, then answers
# without a fingerprint), scrape errors timeout, too_large, truncated and other.
cat "$tmp"/out/watch/*.jsonl >"$tmp/all-events" 2>/dev/null
for kind in start sample scrape_error restart alert webhook_error targets discovery_error alertmanager_error summary; do
  grep -q "\"event\":\"$kind\"" "$tmp/all-events" || fail "watch: no \"$kind\" event in the runs"
done
for rule in max_goroutines growth definite proven; do
  grep -q "\"event\":\"alert\".*\"rule\":\"$rule\"\|\"rule\":\"$rule\".*\"event\":\"alert\"" "$tmp/all-events" ||
    fail "watch: no \"$rule\" alert in the runs"
done
for reason in connect html garbage http_status; do
  grep -q "\"reason\":\"$reason\"" "$tmp/all-events" || fail "watch: no \"$reason\" scrape_error in the runs"
done

# --- validate ---
total=0
for kind in analyze diff check scan watch; do
  schema=$root/schemas/leakhound.$kind.v1.json
  files=("$tmp"/out/$kind/*.json "$tmp"/out/$kind/*.jsonl)
  docs=()
  for f in "${files[@]}"; do [ -f "$f" ] && docs+=("$f"); done
  if [ ${#docs[@]} -eq 0 ]; then
    fail "$kind: no output to validate"
    continue
  fi
  if node "$root/tests/schemas/validate.js" "$schema" "${docs[@]}" >"$tmp/validate.out" 2>"$tmp/validate.err"; then
    n=$(sed -n 's/^validate: OK: \([0-9]*\) documents.*/\1/p' "$tmp/validate.out")
    total=$((total + n))
  else
    fail "$kind: outputs invalid against schemas/leakhound.$kind.v1.json"
    sed "s|$tmp/out/||; s/^/  /" "$tmp/validate.err" | head -60
    lines=$(wc -l <"$tmp/validate.err")
    if [ "$lines" -gt 60 ]; then echo "  ... $((lines - 60)) more lines"; fi
  fi
done

# --- the schemas reject drift: an unknown field at the top and in a nested object, a wrong type ---
mutate() {  # mutate IN OUT JS: OUT is IN's first document after JS ran on it as `d`
  node -e '
    const fs = require("fs");
    const text = fs.readFileSync(process.argv[1], "utf8");
    const d = JSON.parse(process.argv[1].endsWith(".jsonl") ? text.split("\n")[0] : text);
    (new Function("d", process.argv[3]))(d);
    fs.writeFileSync(process.argv[2], JSON.stringify(d));' "$1" "$2" "$3"
}
expect_invalid() {  # expect_invalid KIND SAMPLE WHAT JS
  local kind=$1 sample=$2 what=$3 js=$4
  [ -f "$sample" ] || return
  mutate "$sample" "$tmp/mutated.json" "$js" || { fail "$kind: cannot mutate $(basename "$sample")"; return; }
  if node "$root/tests/schemas/validate.js" "$root/schemas/leakhound.$kind.v1.json" "$tmp/mutated.json" \
       >/dev/null 2>&1; then
    fail "$kind: the schema accepts $what"
  fi
}
o=$tmp/out
shop=$o/analyze/shop-2026-11-25T10-15-00.txt.json
expect_invalid analyze "$shop" "an unknown top-level field" 'd.extra = 1'
expect_invalid analyze "$shop" "an unknown bucket field" 'd.buckets[0].extra = 1'
expect_invalid analyze "$shop" "a missing bucket field" 'delete d.buckets[0].rule'
expect_invalid analyze "$shop" "a fractional count" 'd.buckets[0].count = 1.5'
expect_invalid analyze "$shop" "an unknown verdict" 'd.buckets[0].verdict = "leak"'
expect_invalid analyze "$shop" "an unknown rule" 'd.buckets[0].rule = "hunch"'
expect_invalid diff "$o/diff/shop-timed.json" "an unknown bucket field" 'd.buckets[0].extra = 1'
expect_invalid diff "$o/diff/shop-timed.json" "slope_unit per_snapshot in a timed diff" \
  'd.buckets[0].slope_unit = "per_snapshot"'
expect_invalid check "$o/check/go-test-leaky.json" "an unknown bucket field" 'd.buckets[0].extra = 1'
expect_invalid check "$o/check/go-test-leaky.json" "a benign leak" 'd.buckets[0].verdict = "benign"'
expect_invalid scan "$o/scan/examples-scan.json" "an unknown finding field" 'd.findings[0].extra = 1'
expect_invalid scan "$o/scan/examples-scan.json" "a suppressed finding without its comment" \
  'd.findings[0].suppressed = true'
expect_invalid watch "$o/watch/fixture-definite.jsonl" "an unknown start field" 'd.extra = 1'
expect_invalid watch "$o/watch/fixture-definite.jsonl" "an unknown event kind" 'd.event = "begin"'
expect_invalid watch "$o/watch/fixture-definite.jsonl" "a time without milliseconds" \
  'd.time = d.time.replace(/\.\d+Z$/, "Z")'

if [ "$failed" -ne 0 ]; then
  echo "check_schemas: FAILED: $failed problem(s)"
  exit 1
fi
echo "check_schemas: OK: $total documents valid against 5 schemas"
