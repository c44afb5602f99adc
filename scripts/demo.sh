#!/usr/bin/env bash
# The `make demo` experience: builds examples/leaky-service (a small Go order/notification API that leaks goroutines
# on purpose), starts it on 127.0.0.1, sends it traffic that leaks, runs `leakhound analyze` against it live and lets
# the report print, then stops the service. What it is doing goes to stderr; leakhound's report goes to stdout.
#
# Usage: scripts/demo.sh LEAKHOUND_BIN
#   The service is built into the examples/ folder beside LEAKHOUND_BIN (build/examples/ for `make demo`).
#
# Exit status: 0 when leakhound ran and reported (its exit 1, "leaks found", is the point of the demo and counts as
# success), leakhound's own status when it failed (2: usage or input error), 2 when the demo itself could not run.
# The service is stopped on every path out, Ctrl-C included.
set -euo pipefail

say() { printf 'demo: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 2
}

if [ $# -ne 1 ]; then
  echo "usage: $0 LEAKHOUND_BIN" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
lh_bin=$1
case $lh_bin in /*) ;; *) lh_bin=$PWD/$lh_bin ;; esac
[ -x "$lh_bin" ] || die "$1 does not exist or is not executable (build it first: make build)"
build_dir=$(cd "$(dirname "$lh_bin")" && pwd)
out_dir=$build_dir/examples
svc_src=$root/examples/leaky-service
svc_bin=$out_dir/leaky-service
svc_log=$out_dir/leaky-service.log
tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/leakhound-demo.XXXXXX")
svc_pid=""

# --- Stopping the service, on every way out. ---

# stop_service: SIGTERM (the service shuts down gracefully), SIGKILL after 5 s, then reap it.
stop_service() {
  [ -n "$svc_pid" ] || return 0
  local pid=$svc_pid
  svc_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "leaky-service (pid $pid) ignored SIGTERM for 5 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  ! kill -0 "$pid" 2>/dev/null
}

on_exit() {
  local rc=$?
  trap - EXIT
  if [ -n "$svc_pid" ]; then
    say "stopping leaky-service (pid $svc_pid)"
    stop_service || say "warning: could not stop leaky-service (pid $svc_pid)"
  fi
  rm -rf "$tmp_dir"
  exit "$rc"
}
trap on_exit EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# --- Tools: curl and Go >= 1.22. ---

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  command -v apt-get >/dev/null || die "cannot install $* here (no apt-get); please install it and re-run"
  say "installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed"
}

command -v curl >/dev/null || apt_install curl ca-certificates

if ! command -v go >/dev/null; then
  for dir in /usr/local/go/bin /usr/lib/go/bin; do
    if [ -x "$dir/go" ]; then
      PATH=$dir:$PATH
      break
    fi
  done
fi
command -v go >/dev/null || apt_install golang-go
# The service is stdlib-only and needs no network to build; never let `go` try to download a newer toolchain.
export GOTOOLCHAIN=local
go_version=$(go env GOVERSION)
go_minor=$(sed -n 's/^go1\.\([0-9]*\).*/\1/p' <<<"$go_version")
if [ -z "$go_minor" ] || [ "$go_minor" -lt 22 ]; then
  die "examples/leaky-service needs Go 1.22 or newer; $(command -v go) is $go_version"
fi

# --- Build and start the service. ---

mkdir -p "$out_dir"
say "building examples/leaky-service with $go_version -> ${svc_bin#"$root"/}"
(cd "$svc_src" && go build -buildvcs=false -o "$svc_bin" .) || die "go build of examples/leaky-service failed"

say "starting leaky-service on 127.0.0.1 (a free port; its log: ${svc_log#"$root"/})"
"$svc_bin" -addr 127.0.0.1:0 >"$svc_log" 2>&1 &
svc_pid=$!

base=""
deadline=$((SECONDS + 20))
while [ -z "$base" ]; do
  base=$(sed -n 's|^LISTENING \(http://[^ ]*\)$|\1|p' "$svc_log" | head -n 1)
  [ -n "$base" ] && break
  if ! kill -0 "$svc_pid" 2>/dev/null; then
    svc_pid=""
    cat "$svc_log" >&2
    die "leaky-service exited before it was listening"
  fi
  [ "$SECONDS" -lt "$deadline" ] || die "leaky-service did not print LISTENING within 20 s"
  sleep 0.1
done

# goroutine_count: the "goroutine profile: total N" line of the debug=1 profile.
goroutine_count() {
  curl -sS --max-time 10 "$base/debug/pprof/goroutine?debug=1" | sed -n 's/^goroutine profile: total //p' | head -n 1
}
say "leaky-service (pid $svc_pid) is listening on $base with $(goroutine_count) goroutines"

# --- Traffic. ---

parallel=()
if curl --help all 2>/dev/null | grep -q -- '--parallel-max'; then
  parallel=(--parallel --parallel-max 8)
fi

# drive COUNT METHOD PATH WHAT: sends COUNT requests (8 at a time) to PATH, where "{i}" becomes 1..COUNT, and says
# how they were answered. Bodies are discarded.
drive() {
  local count=$1 method=$2 path=$3 what=$4 cfg="$tmp_dir/curl.cfg" i
  local shown=${path%%\?*}
  say "$(printf 'sending %3d requests to %-18s %s' "$count" "$method ${shown//\{i\}/\{id\}}" "$what")"
  for ((i = 1; i <= count; i++)); do
    printf 'url = "%s%s"\noutput = "/dev/null"\n' "$base" "${path//\{i\}/$i}"
  done >"$cfg"
  local method_args=()
  [ "$method" = GET ] || method_args=(-X "$method")
  [ "$method" != POST ] || method_args=(-d '')
  local codes
  codes=$(curl -sS --connect-timeout 5 --max-time 15 "${parallel[@]}" "${method_args[@]}" \
    -w '%{http_code}\n' -K "$cfg" 2>"$tmp_dir/curl.err") || true
  local ok other
  ok=$(grep -c '^2' <<<"$codes" || true)
  other=$((count - ok))
  if [ "$other" -ne 0 ]; then
    say "  $other of $count were not answered 2xx: $(grep -v '^2' <<<"$codes" | sort | uniq -c | xargs)"
    [ "$ok" -gt 0 ] || { cat "$tmp_dir/curl.err" >&2; die "leaky-service answered none of the requests to $path"; }
  fi
}

drive 120 GET '/subscribe?topic=orders' 'each starts a watcher that ranges over a channel nobody closes'
drive 40 GET '/report?every=5s' 'each starts a ticker loop with no way to stop it'
drive 300 GET '/search?q=item-{i}' 'fan-out to 3 backends; the 2 slower replies are never received'
drive 60 GET '/fetch?sku=sku-{i}' 'each builds a new http.Transport; its idle connection stays open'
drive 100 POST '/orders?customer=c{i}&sku=sku-{i}&qty=1' 'healthy: a bounded worker pool processes them'
sleep 0.2 # let the pool finish, so the order look-ups below find them confirmed
drive 100 GET '/orders/{i}' 'healthy'
drive 50 GET '/healthz' 'healthy'
sleep 0.5 # the slowest search backend answers after 30 ms; let every loser reach its blocking send

say "leaky-service now has $(goroutine_count) goroutines"

# --fail-on suspect: leakhound exits 1 when it ranks any bucket as a leak suspect (its default, definite, is for
# CI gates; none of these leaks can be proven from one snapshot).
lh_args=(analyze --fail-on suspect "$base")
say "running: ${lh_bin#"$root"/} ${lh_args[*]}"
echo >&2

lh_rc=0
"$lh_bin" "${lh_args[@]}" || lh_rc=$?

echo >&2
say "stopping leaky-service (pid $svc_pid)"
stopped_pid=$svc_pid
stop_service || die "leaky-service (pid $stopped_pid) is still running"
if curl -s --max-time 2 -o /dev/null "$base/healthz"; then
  die "something still answers on $base after leaky-service was stopped"
fi
say "leaky-service stopped; nothing is left running"

case $lh_rc in
  0)
    say "leakhound exited 0: it reported no leaks (this service has four kinds; see examples/leaky-service)"
    exit 0
    ;;
  1)
    say "leakhound exited 1: leaks found, as expected (each leak is explained in examples/leaky-service/*.go)"
    exit 0
    ;;
  *)
    say "leakhound failed with exit status $lh_rc"
    exit "$lh_rc"
    ;;
esac
