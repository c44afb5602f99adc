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

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/leakhound-apt.log 2>&1; then
  echo "install-deps: a pinned version is not served any more; installing the current bookworm versions" >&2
  names=()
  for spec in "${missing[@]}"; do names+=("${spec%%=*}"); done
  $SUDO apt-get install -y -qq --no-install-recommends "${names[@]}"
fi
