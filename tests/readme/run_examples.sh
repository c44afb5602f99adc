#!/usr/bin/env bash
# Runs every example of README.md that is written as a ```console block and checks that it prints exactly the output
# the README shows.
#
#   tests/readme/run_examples.sh LEAKHOUND_BIN REPO_ROOT
#
# How a ```console block is read (the rules for anyone writing one):
#
# - A line that starts with "$ " is a command. The lines after it, up to the next "$ " line or the end of the block,
#   are its output. The output shown is all of it: no "..." for elided lines.
# - Each command runs on its own, as `bash -c 'COMMAND'`, in REPO_ROOT (a `cd` holds for that line only: write
#   `cd DIR && leakhound ...`), with stdin from /dev/null, stdout a pipe (so text output, the default there), NO_COLOR=1,
#   and a PATH whose first entry is a temporary directory holding `leakhound`, a symlink to LEAKHOUND_BIN.
# - Only stdout is compared. To show stderr too, the command itself says so with `2>&1`, so that a reader who copies
#   the line sees the same. (stderr is printed when an example fails, to help.)
# - The comparison is exact except for whitespace at the end of a line and a missing final newline. The exit status
#   is not compared: `analyze`, `diff`, `check`, `scan` and `test` exit 1 when they find a leak, as documented.
# - Every word of a command that names a file in the repository (it has a "/" and is neither an option, a URL, a Go
#   package pattern with "..." nor the file an option like -o writes) must exist, relative to REPO_ROOT or to the
#   directory of a `cd DIR &&` before it; a glob must match something. A missing file fails the example with its name.
# - An example that needs the network or a running service (`watch`, `analyze URL`) goes in a ```sh or plain ```
#   block instead, which is not run. `leakhound test` examples need the Go toolchain on PATH (and fail saying so
#   without it).
#
# Prints a unified diff per mismatch and a summary "N examples, M failed"; exits 0 when all pass, 1 when any failed,
# 2 on a usage error.

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
if [ ! -f "$root/README.md" ]; then
  echo "$0: $root/README.md: no such file" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
root=$(cd "$root" && pwd)
readme=$root/README.md

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readme-examples.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/leakhound"
run_path="$tmp/bin:$PATH"

timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then
  timeout_cmd=(timeout 900)  # a first `leakhound test` rebuilds the standard library for the leak profile
fi

total=0
failed=0

# Trailing whitespace (and a CR) off every line; every line ends with a newline.
normalize() { awk '{ sub(/[ \t\r]+$/, ""); print }' "$1"; }

fail() {
  failed=$((failed + 1))
  if [ -n "$2" ]; then echo "FAIL README.md:$1: \$ $2"; else echo "FAIL README.md:$1"; fi
  shift 2
  local line
  for line in "$@"; do echo "  $line"; done
}

# Prints the repository files a command names that do not exist, one per line.
missing_files() {
  local cmd=$1 base=$root word prev=""
  local -a words
  # Words split as the shell would, without expanding anything; quotes are dropped.
  read -r -a words <<<"$(printf '%s' "$cmd" | tr -d "\"'")"
  for word in "${words[@]}"; do
    if [ "$prev" = cd ]; then
      if [ -d "$base/$word" ]; then base=$base/$word; else echo "$word (directory)"; fi
      prev=$word
      continue
    fi
    case $prev in
      -o|--output|--write-baseline|--html|--dump-dir|--keep) prev=$word; continue ;;  # files it writes
    esac
    prev=$word
    case $word in
      -*|*://*|*...*|*'>'*|*'<'*|*'|'*|*'&'*|*'$'*) continue ;;
      */*) ;;
      *) continue ;;
    esac
    if [[ $word == *[*?[]* ]]; then
      compgen -G "$base/$word" >/dev/null || echo "$word (no file matches)"
    elif [ ! -e "$base/$word" ]; then
      echo "$word"
    fi
  done
}

# Runs one example: $1 README line of the command, $2 the command, $3 the file with the expected output.
run_example() {
  local line=$1 cmd=$2 expected=$3
  total=$((total + 1))
  local missing
  missing=$(missing_files "$cmd")
  if [ -n "$missing" ]; then
    local -a names
    mapfile -t names <<<"$missing"
    fail "$line" "$cmd" "a file the example names is missing (relative to the repository root or its cd):" \
      "${names[@]}"
    return
  fi
  if [[ $cmd == *"leakhound test"* ]] && ! PATH=$run_path command -v go >/dev/null 2>&1; then
    fail "$line" "$cmd" "needs the Go toolchain: go is not on PATH"
    return
  fi
  local status=0
  (cd "$root" && env -u CLICOLOR_FORCE -u FORCE_COLOR PATH="$run_path" NO_COLOR=1 \
    "${timeout_cmd[@]}" bash -c "$cmd" </dev/null >"$tmp/stdout" 2>"$tmp/stderr") || status=$?
  normalize "$expected" >"$tmp/expected.norm"
  normalize "$tmp/stdout" >"$tmp/actual.norm"
  if cmp -s "$tmp/expected.norm" "$tmp/actual.norm"; then
    echo "ok   README.md:$line: \$ $cmd"
    return
  fi
  fail "$line" "$cmd" "output differs from README.md (exit status $status):"
  diff -u --label "README.md:$line (shown)" --label "actual stdout" "$tmp/expected.norm" "$tmp/actual.norm"
  if [ -s "$tmp/stderr" ]; then
    echo "  stderr (not compared; add 2>&1 to the command to show it):"
    sed 's/^/  | /' "$tmp/stderr" | head -n 40
  fi
}

in_block=0      # inside a ```console block
in_other=0      # inside another fenced block
cmd=""          # the pending command
cmd_line=0
lineno=0
: >"$tmp/expected"
while IFS= read -r text || [ -n "$text" ]; do
  lineno=$((lineno + 1))
  text=${text%$'\r'}
  if [ $in_other -eq 1 ]; then
    [[ $text =~ ^[[:space:]]*\`\`\`[[:space:]]*$ ]] && in_other=0
    continue
  fi
  if [ $in_block -eq 0 ]; then
    if [[ $text =~ ^[[:space:]]*\`\`\`console[[:space:]]*$ ]]; then
      in_block=1
    elif [[ $text =~ ^[[:space:]]*\`\`\` ]]; then
      in_other=1
    fi
    continue
  fi
  if [[ $text =~ ^[[:space:]]*\`\`\`[[:space:]]*$ ]] || [[ $text == '$ '* ]]; then
    if [ -n "$cmd" ]; then
      run_example "$cmd_line" "$cmd" "$tmp/expected"
      cmd=""
    fi
    : >"$tmp/expected"
    if [[ $text == '$ '* ]]; then
      cmd=${text#'$ '}
      cmd_line=$lineno
    else
      in_block=0
    fi
    continue
  fi
  if [ -z "$cmd" ]; then
    total=$((total + 1))
    fail "$lineno" "" "output in a console block before any \"\$ \" command line"
    continue
  fi
  printf '%s\n' "$text" >>"$tmp/expected"
done <"$readme"
if [ $in_block -eq 1 ]; then
  [ -n "$cmd" ] && run_example "$cmd_line" "$cmd" "$tmp/expected"
  total=$((total + 1))
  fail "$lineno" "" "a \`\`\`console block is not closed"
fi

echo "$total examples, $failed failed"
if [ $total -eq 0 ]; then
  echo "no \`\`\`console example found in $readme" >&2
  exit 1
fi
[ $failed -eq 0 ]
