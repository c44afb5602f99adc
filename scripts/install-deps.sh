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

# Libraries compiled into the binary, so that it links no shared library but glibc's: Debian's own source of the
# installed -dev packages (the upstream tarball and Debian's patches, pinned by SHA-256, from Debian's archive).
# deps/vendor/ is not in git. Without them the build links Debian's shared libraries (LEAKHOUND_STATIC=OFF).
pool=http://deb.debian.org/debian/pool/main
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakhound-vendor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# vendor DIR PATH ORIG SHA256 DEBIAN SHA256: unpacks ORIG into deps/vendor/DIR with DEBIAN's patches applied.
vendor() {
  local dir=deps/vendor/$1 path=$2 orig=$3 orig_sha=$4 deb=$5 deb_sha=$6
  [ -f "$dir/.done" ] && return 0
  echo "install-deps: $1 source from deb.debian.org" >&2
  rm -rf "$tmp/x" "$dir" && mkdir -p "$tmp/x"
  curl -fsS --retry 3 -o "$tmp/$orig" "$pool/$path/$orig" && echo "$orig_sha  $tmp/$orig" | sha256sum -c --quiet - &&
    curl -fsS --retry 3 -o "$tmp/$deb" "$pool/$path/$deb" && echo "$deb_sha  $tmp/$deb" | sha256sum -c --quiet - || {
    echo "install-deps: could not fetch $orig; the build will link Debian's shared library instead" >&2
    return 1
  }
  tar -xf "$tmp/$orig" -C "$tmp/x" && tar -xf "$tmp/$deb" -C "$tmp/x" || return 1
  local src
  src=$(find "$tmp/x" -mindepth 1 -maxdepth 1 -type d ! -name debian)
  if [ -f "$tmp/x/debian/patches/series" ]; then
    while read -r p; do
      p=${p%%#*}
      [ -n "${p// /}" ] && { patch -s -d "$src" -p1 < "$tmp/x/debian/patches/$p" || return 1; }
    done < "$tmp/x/debian/patches/series"
  fi
  mkdir -p "$(dirname "$dir")" && mv "$src" "$dir" && touch "$dir/.done"
}

# fmt 9.1.0+ds1-2 (libfmt-dev): src/format.cc and src/os.cc, compiled by CMake (Debian ships no libfmt.a).
vendor fmt-9.1.0 f/fmtlib fmtlib_9.1.0+ds1.orig.tar.gz \
  84ce1c2d0be3a9863935137969dcec6970125caac032f82474640bfc81463583 fmtlib_9.1.0+ds1-2.debian.tar.xz \
  aead535c0b3d7a02a89f6e004ac62d1e15bdbf8d34c36cd37038dcc7d37bc9e3 || true

# cpp-httplib 0.11.4+ds-1+deb12u1 (libcpp-httplib-dev), split into out/httplib.h and out/httplib.cc as Debian's build
# does: the parts between two border lines are the implementation, moved to httplib.cc without `inline`.
if vendor cpp-httplib-0.11.4 c/cpp-httplib 'cpp-httplib_0.11.4+ds.orig.tar.xz' \
  8b1a5df569003b6a4f24c68489bbda5c64aec94697bdc9ebba5d79408b2ae7eb 'cpp-httplib_0.11.4+ds-1+deb12u1.debian.tar.xz' \
  a0adf8a38610806f6d94ba69839438635e5e6580775e28ff31d6a081e34f1484 &&
  [ ! -f deps/vendor/cpp-httplib-0.11.4/out/httplib.cc ]; then
  d=deps/vendor/cpp-httplib-0.11.4
  mkdir -p "$d/out"
  awk -v h="$d/out/httplib.h" -v c="$d/out/httplib.cc" '
    BEGIN { print "#include \"httplib.h\"\nnamespace httplib {" > c }
    index($0, "// ----------------------------------------------------------------------------") { impl = !impl; next }
    impl { gsub(/inline /, ""); print > c; next }
    { print > h }
    END { print "} // namespace httplib" > c }' "$d/httplib.h"
fi
