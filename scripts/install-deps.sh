#!/usr/bin/env bash
# Installs what leakhound needs to build and test on Debian 12, pinned in deps/apt.txt. Idempotent and quick when
# everything is present: it only calls apt-get for packages that are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r spec; do
  spec=${spec%%#*}
  spec=$(echo "$spec" | tr -d '[:space:]')
  [ -n "$spec" ] || continue
  name=${spec%%=*}
  if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$spec")
  fi
done < deps/apt.txt

# Node.js and npm come with this kind of machine; Debian's are the fallback.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/leakhound-apt.log 2>&1; then
    echo "install-deps: a pinned version is not served any more; installing the current bookworm versions" >&2
    names=()
    for spec in "${missing[@]}"; do names+=("${spec%%=*}"); done
    $SUDO apt-get install -y -qq --no-install-recommends "${names[@]}"
  fi
fi

# npm packages pinned in package-lock.json: tree-sitter's C runtime and the Go grammar (compiled by CMake), the SARIF
# schema and validator, playwright-core. Installed without running any package scripts; redone when the lock changes.
if ! cmp -s package-lock.json node_modules/.package-lock.stamp 2>/dev/null; then
  echo "install-deps: npm ci (package-lock.json)" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.stamp
fi
