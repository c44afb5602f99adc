#!/usr/bin/env bash
# Checks the man page against the binary it documents:
#   1. `groff -man -ww -z` prints no warning;
#   2. the page renders (`man -l`, or groff -Tutf8 where man is missing) without error;
#   3. every subcommand of `LEAKHOUND_BIN --help` has a .SS subsection, and every long option of
#      `LEAKHOUND_BIN SUB --help` is mentioned in that subsection (as \-\-name in the source, or --name in the
#      rendered text); the global options of `LEAKHOUND_BIN --help` anywhere in the page.
# Every problem is printed on stderr. Exit status: 0 all checks pass, 1 a check failed, 2 usage or environment.
#
#   tests/man/check_man.sh build/leakhound docs/leakhound.1
set -euo pipefail

prog=check_man
die() {
  echo "$prog: $*" >&2
  exit 2
}

[[ $# -eq 2 ]] || die "usage: $0 LEAKHOUND_BIN MANPAGE"
bin=$1
page=$2
[[ -f $bin && -x $bin ]] || die "$bin: not an executable file"
[[ -f $page && -r $page ]] || die "$page: cannot read the man page"
command -v groff >/dev/null 2>&1 || die "groff not found (apt-get install groff)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
  echo "$prog: $*" >&2
  failures=$((failures + 1))
}

# 1. No groff warning at all (-ww enables every category).
if ! groff -man -ww -z "$page" >"$tmp/groff.out" 2>&1; then
  fail "groff -man -ww -z $page exited with an error"
fi
if [[ -s $tmp/groff.out ]]; then
  fail "groff -man -ww -z $page printed warnings:"
  sed 's/^/    /' "$tmp/groff.out" >&2
fi

# 2. The page renders.
if command -v man >/dev/null 2>&1; then
  render_cmd="MANWIDTH=100 man -l $page"
  render_status=0
  MANWIDTH=100 MANPAGER=cat PAGER=cat man -l "$page" >"$tmp/rendered.txt" 2>"$tmp/render.err" || render_status=$?
else
  render_cmd="groff -man -Tutf8 $page"
  render_status=0
  groff -man -Tutf8 -rLL=100n "$page" >"$tmp/rendered.txt" 2>"$tmp/render.err" || render_status=$?
fi
# A missing locale is the machine's problem, not the page's.
grep -v "can't set the locale" "$tmp/render.err" >"$tmp/render.problems" || true
if [[ $render_status -ne 0 ]]; then
  fail "$render_cmd exited with status $render_status"
fi
if [[ -s $tmp/render.problems ]]; then
  fail "$render_cmd printed on stderr:"
  sed 's/^/    /' "$tmp/render.problems" >&2
fi
if [[ ! -s $tmp/rendered.txt ]]; then
  fail "$render_cmd rendered nothing"
fi

# The sections the page must have.
for section in NAME SYNOPSIS DESCRIPTION COMMANDS "OUTPUT FORMATS" "EXIT STATUS" FILES ENVIRONMENT EXAMPLES \
  "SEE ALSO"; do
  if ! grep -Eq "^\.SH[[:space:]]+\"?${section}\"?[[:space:]]*$" "$page"; then
    fail "$page: no .SH $section section"
  fi
done

# Plain text (no bold or underline) for the rendered-text fallback of option checks.
groff -man -Tascii -P-cbou -rLL=100n "$page" >"$tmp/plain.txt" 2>/dev/null || true

# The long options named in the option column of a --help text: the lines that start (after indentation) with
# a dash, up to the first run of two spaces; continuation lines of a description start with a letter.
long_options() {
  awk '/^[[:space:]]+-/ { spec = $0; sub(/^[[:space:]]+/, "", spec); sub(/  .*/, "", spec); print spec }' "$1" |
    grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u || true
}

# The roff source of subsection SUB: from `.SS SUB` (or `.SS "leakhound SUB"`) to the next .SS or .SH.
source_section() {
  awk -v name="$1" '
    $1 == ".SS" || $1 == ".SH" {
      if (insec) exit
      if ($1 == ".SS") {
        t = $0
        sub(/^\.SS[[:space:]]+/, "", t)
        gsub(/"/, "", t)
        gsub(/\\f[BIRP]/, "", t)
        n = split(t, w, /[[:space:]]+/)
        if (w[1] == name || (w[1] == "leakhound" && n >= 2 && w[2] == name)) insec = 1
      }
      next
    }
    insec { print }
  ' "$page"
}

# The rendered text of subsection SUB: a heading indented by at most three spaces, to the next such heading.
rendered_section() {
  awk -v name="$1" '
    /^[^ ]/ || /^ [^ ]/ || /^  [^ ]/ || /^   [^ ]/ {
      if (insec) exit
      t = $0
      sub(/^ +/, "", t)
      sub(/ +$/, "", t)
      if (t == name || t == "leakhound " name) insec = 1
      next
    }
    insec { print }
  ' "$tmp/plain.txt"
}

# Whether option --NAME (NAME given without dashes) is in the roff text $2 or the rendered text $3.
mentions_option() {
  local name=$1 src=$2 txt=$3 roff
  roff='\\-\\-'$(printf '%s' "$name" | sed 's/-/\\\\-/g')
  if grep -Eq -- "${roff}([^A-Za-z0-9\\\\]|\\\\[^-]|$)" "$src"; then
    return 0
  fi
  grep -Eq -- "(^|[^A-Za-z0-9-])--${name}([^A-Za-z0-9-]|$)" "$txt"
}

# 3. Subcommands and their options.
if ! "$bin" --help >"$tmp/help.txt" 2>&1; then
  fail "$bin --help exited with an error"
fi
awk '/^Subcommands:/ { on = 1; next } on && /^[^[:space:]]/ { on = 0 } on && NF { print $1 }' "$tmp/help.txt" \
  >"$tmp/subcommands.txt"
if [[ ! -s $tmp/subcommands.txt ]]; then
  fail "$bin --help lists no subcommands (no 'Subcommands:' section)"
fi

missing=0
checked=0

# Global options: anywhere in the page.
awk '/^Subcommands:/ { exit } { print }' "$tmp/help.txt" >"$tmp/global-help.txt"
while IFS= read -r opt; do
  [[ -n $opt ]] || continue
  checked=$((checked + 1))
  if ! mentions_option "${opt#--}" "$page" "$tmp/plain.txt"; then
    echo "$prog: missing: $opt (an option of leakhound itself) is not in the page" >&2
    missing=$((missing + 1))
  fi
done < <(long_options "$tmp/global-help.txt")

while IFS= read -r sub; do
  source_section "$sub" >"$tmp/section.roff"
  rendered_section "$sub" >"$tmp/section.txt"
  if [[ ! -s $tmp/section.roff ]]; then
    echo "$prog: missing: subcommand '$sub' has no .SS $sub subsection" >&2
    missing=$((missing + 1))
    continue
  fi
  if ! "$bin" "$sub" --help >"$tmp/sub-help.txt" 2>&1; then
    fail "$bin $sub --help exited with an error"
    continue
  fi
  while IFS= read -r opt; do
    [[ -n $opt ]] || continue
    checked=$((checked + 1))
    if ! mentions_option "${opt#--}" "$tmp/section.roff" "$tmp/section.txt"; then
      if mentions_option "${opt#--}" "$page" "$tmp/plain.txt"; then
        echo "$prog: missing: $sub $opt is in the page, but not in its $sub subsection" >&2
      else
        echo "$prog: missing: $sub $opt is not in the page" >&2
      fi
      missing=$((missing + 1))
    fi
  done < <(long_options "$tmp/sub-help.txt")
done <"$tmp/subcommands.txt"

subs=$(wc -l <"$tmp/subcommands.txt" | tr -d ' ')
if [[ $missing -gt 0 ]]; then
  fail "$missing of $checked options or subcommands of $bin are missing from $page"
fi
if [[ $failures -gt 0 ]]; then
  echo "$prog: FAILED: $failures problem(s) in $page" >&2
  exit 1
fi
echo "$prog: OK: $page renders without warnings and documents all $subs subcommands and $checked long options"
