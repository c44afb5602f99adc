#!/usr/bin/env bash
# Writes THIRD-PARTY-NOTICES for the release binary to stdout: the license of every library linked into it (it links
# all but glibc statically), from the sources the build used: Debian's copyright files of the -dev packages in
# deps/apt.txt, the npm packages' LICENSE files (tree-sitter), and deps/vendor/.
#
#   scripts/notices.sh > THIRD-PARTY-NOTICES
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

section() { # section TITLE FILE
  [ -f "$2" ] || { echo "notices.sh: missing $2" >&2; exit 1; }
  printf '%s\n%s\n\n' "================================================================================" "$1"
  cat "$2"
  printf '\n'
}

echo "leakhound is licensed under the Apache License 2.0 (LICENSE). Its binary contains the following libraries,"
echo "each under its own license, reproduced below."
echo
for pkg in libfmt-dev libcpp-httplib-dev libprotobuf-dev libyaml-cpp-dev zlib1g-dev libssl-dev libbrotli-dev \
  libcli11-dev nlohmann-json3-dev libstdc++-12-dev; do
  section "$pkg ($(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo '?')): Debian's copyright file" \
    "/usr/share/doc/$pkg/copyright"
done
for npm in tree-sitter tree-sitter-go; do
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$root/node_modules/$npm/package.json" | head -n 1)
  section "$npm $version (npm)" "$root/node_modules/$npm/LICENSE"
done
