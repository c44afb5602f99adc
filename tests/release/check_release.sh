#!/usr/bin/env bash
# The release as a user gets it: `make dist`'s tarball and .deb (CPack) and `make install` (cmake --install).
#
#   tests/release/check_release.sh BUILD_DIR SOURCE_DIR
#
# Checks that the binary needs no shared library but glibc's (readelf -d), that the tarball holds the binary, man
# page, completions, LICENSE, notices and README, that the binary from it runs with an empty environment (env -i) in a
# directory that holds nothing else and analyzes a dump, that the .deb's control data and files are right, and that an
# install into a temporary prefix puts the man page where `man` finds it. Exit 0 when all hold, 1 otherwise.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakhound-release.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "check_release: FAIL: $*" >&2
  failures=$((failures + 1))
}

# 1. Shared libraries: glibc's only.
needed=$(readelf -d "$build/leakhound" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
for lib in $needed; do
  case $lib in
    libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux-x86-64.so.2) ;;
    *) fail "leakhound needs $lib (only glibc's libraries may be shared; configure with LEAKHOUND_STATIC=ON)" ;;
  esac
done
newest=$(objdump -T "$build/leakhound" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -n 1)
echo "check_release: NEEDED: $needed; newest glibc symbol version: $newest" >&2

# 2. The packages.
(cd "$build" && cpack -B "$tmp/dist" > "$tmp/cpack.log" 2>&1) || {
  cat "$tmp/cpack.log" >&2
  fail "cpack failed"
}
version=$("$build/leakhound" --version | awk '{print $2}')
tarball=$tmp/dist/leakhound-$version-linux-amd64.tar.gz
deb=$tmp/dist/leakhound_${version}_amd64.deb
[ -f "$tarball" ] || fail "no $tarball"
[ -f "$deb" ] || fail "no $deb"

# 3. The tarball's contents, and its binary alone with an empty environment.
if [ -f "$tarball" ]; then
  mkdir "$tmp/x"
  tar -xzf "$tarball" -C "$tmp/x"
  top=$tmp/x/leakhound-$version-linux-amd64
  for f in bin/leakhound share/man/man1/leakhound.1.gz share/bash-completion/completions/leakhound \
    share/zsh/site-functions/_leakhound share/fish/vendor_completions.d/leakhound.fish share/doc/leakhound/LICENSE \
    share/doc/leakhound/THIRD-PARTY-NOTICES share/doc/leakhound/README.md; do
    [ -f "$top/$f" ] || fail "the tarball has no $f"
  done
  grep -q 'Apache License' "$top/share/doc/leakhound/LICENSE" || fail "LICENSE is not the Apache License"
  mkdir "$tmp/alone"
  cp "$top/bin/leakhound" "$tmp/alone/"
  gzip -c "$src/examples/dumps/shop-2026-11-25T10-15-00.txt" > "$tmp/alone/dump.txt.gz"
  out=$(cd "$tmp/alone" && env -i ./leakhound analyze dump.txt.gz 2>&1) && rc=0 || rc=$?
  [ "$rc" = 1 ] || fail "env -i leakhound analyze: exit $rc, want 1 (a definite leak): $out"
  grep -q '70 goroutines in 6 buckets (1 definite leak, 1 suspect)' <<< "$out" ||
    fail "env -i leakhound analyze printed: $out"
  (cd "$tmp/alone" && env -i ./leakhound --version) | grep -q "leakhound $version" || fail "env -i --version"
  (cd "$tmp/alone" && env -i ./leakhound scan "$src/tests/scan/LH013" > /dev/null 2>&1) ||
    [ $? = 1 ] || fail "env -i leakhound scan did not run"
fi

# 4. The .deb.
if [ -f "$deb" ]; then
  dpkg-deb -f "$deb" Package Version Architecture Depends > "$tmp/control"
  grep -qx "Package: leakhound" "$tmp/control" || fail "deb Package: $(cat "$tmp/control")"
  grep -qx "Version: $version" "$tmp/control" || fail "deb Version"
  grep -qx "Architecture: amd64" "$tmp/control" || fail "deb Architecture"
  grep -q "^Depends: libc6" "$tmp/control" || fail "deb Depends"
  dpkg-deb -c "$deb" > "$tmp/files"
  for f in ./usr/bin/leakhound ./usr/share/man/man1/leakhound.1.gz ./usr/share/zsh/vendor-completions/_leakhound \
    ./usr/share/bash-completion/completions/leakhound ./usr/share/doc/leakhound/LICENSE; do
    grep -q " $f\$" "$tmp/files" || fail "the .deb has no $f"
  done
fi

# 5. make install's step into a prefix; man finds the page.
cmake --install "$build" --prefix "$tmp/prefix" --strip > "$tmp/install.log" || fail "cmake --install"
[ -x "$tmp/prefix/bin/leakhound" ] || fail "no bin/leakhound under the prefix"
page=$(MANPATH="$tmp/prefix/share/man" man -w leakhound 2>&1) || true
[ "$page" = "$tmp/prefix/share/man/man1/leakhound.1.gz" ] || fail "man -w leakhound: $page"
MANPATH="$tmp/prefix/share/man" MANWIDTH=100 man leakhound 2>/dev/null | grep -q 'leakhound analyze' ||
  fail "man leakhound does not render"

if [ "$failures" -gt 0 ]; then
  echo "check_release: $failures failures" >&2
  exit 1
fi
echo "check_release: OK: static but for glibc ($needed), tarball, .deb and install ($tarball)" >&2
