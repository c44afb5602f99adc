#!/usr/bin/env python3
"""Score a `leakhound test --format json` report of the GoKer module against the Go runtime's expectations.

    score.py --module DIR --expect goroutineleakprofile_test.go --report report.json --stderr stderr.txt
             [--command CMD] [--repeat N] [--wall SECONDS] [--exit-code RC] [--go-version V] [--markdown OUT.md]

Per kernel (DIR/kernels.tsv, written by make_module.py):
  caught       a bucket whose tests[] names the kernel's package (goker/<pkg>.TestX or goker/<pkg> alone);
  named right  one of those buckets' blocking_site.function matches the function part of one of the runtime's
               expected regexes for the kernel (gokerTestCases: makeTest/makeFlakyTest): the trailing
               `\\(.* \\[state\\]` (or `.* \\[state\\]`) is stripped and the rest searched in the function name; when
               the stripped part began with `\\(` (the end of the function name) the search is anchored at the end;
  entry right  (for information) the same match on the bucket's bottom frame, the goroutine's entry function,
               which is the frame the runtime's own test checks (the one two lines above `created by`);
  creator, verdict of the bucket shown (a named-right one if any, definite first, else the largest).
Prints the table and totals; with --markdown writes them, the run's parameters and the missed kernels with the
reasons read from stderr, to that file.
"""
import argparse
import collections
import datetime
import json
import os
import re
import sys

CASE_RE = re.compile(r'make(Flaky)?Test\(\s*(?:testCase\{name:\s*)?"(\w+)"\}?\s*,?((?:\s*`[^`]*`\s*,?)*)\s*\)', re.S)
SUFFIX_RE = re.compile(r'(\\\()?\.\*\s*\\\[.*\\\]\s*$')
PROGRESS_RE = re.compile(r'^leakhound test: (?:run (\d+): )?\[\d+/\d+\] (\S+)\s+(\S+)\s*(.*)$')


def parse_expectations(path):
    text = open(path).read()
    start = text.index('gokerTestCases := []testCase{')
    end = text.index('runTests(', start)
    region = text[start:end]
    live = re.sub(r'^\s*//.*\n', '', region, flags=re.M)
    dead = re.sub(r'^(\s*)//\s?', r'\1', region, flags=re.M)
    cases = {}
    for m in list(CASE_RE.finditer(live)) + [(m, 1) for m in CASE_RE.finditer(dead)]:
        m, commented = (m if isinstance(m, tuple) else (m, 0))
        name = m.group(2)
        if name in cases:
            continue
        flaky, pats = bool(m.group(1)), re.findall(r'`([^`]*)`', m.group(3))
        funcs = []
        for p in pats:
            sm = SUFFIX_RE.search(p)
            fp = p[:sm.start()] if sm else p
            if sm and sm.group(1):
                fp += '$'
            funcs.append((p, re.compile(fp)))
        cases[name] = {'flaky': flaky, 'patterns': funcs, 'commented': bool(commented)}
    return cases


def matches(func, patterns):
    return bool(func) and any(rx.search(func) for _, rx in patterns)


def short(func, pkg):
    return func[len('goker/' + pkg) + 1:] if func.startswith('goker/' + pkg + '.') else func


def bucket_pkgs(b):
    """Packages named by a bucket's tests[] ("goker/pkg.TestX" or "goker/pkg")."""
    out = set()
    for t in b.get('tests', []):
        m = re.match(r'^goker/([a-z0-9]+)(?:\.|$)', t)
        if m:
            out.add(m.group(1))
    return out


def parse_stderr(path):
    """Per package: list of (run, status, rest) progress lines; other lines (not progress) in order."""
    runs, other = collections.defaultdict(list), []
    if not os.path.exists(path):
        return runs, other
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        m = PROGRESS_RE.match(line)
        if m:
            runs[m.group(3).removeprefix('goker/')].append((int(m.group(1) or 1), m.group(2), m.group(4)))
        elif line.strip():
            other.append(line)
    return runs, other


def why_missed(pkg, runs, other, report, case):
    lines = runs.get(pkg, [])
    mentions = [l for l in other if re.search(r'goker/%s\b' % pkg, l)]
    diags = [d if isinstance(d, str) else json.dumps(d) for d in report.get('diagnostics', [])
             if re.search(r'goker/%s\b' % pkg, d if isinstance(d, str) else json.dumps(d))]
    parts = []
    if not lines:
        parts.append('never run (no progress line)')
    else:
        statuses = collections.Counter(s for _, s, _ in lines)
        stuck = [r for _, _, r in lines if 'still running' in r]
        timeouts = [r for _, _, r in lines if 'timed out' in r or 'timeout' in r]
        if any(s != 'ok' for s in statuses):
            parts.append('status ' + ', '.join(f'{s} x{n}' for s, n in statuses.items()))
        if timeouts:
            parts.append('test deadlocked and timed out: ' + timeouts[0])
        if stuck:
            parts.append(f'goroutines left in {len(stuck)} run(s) but no bucket ("{stuck[0]}")')
        if statuses.get('ok') == len(lines) and not stuck:
            parts.append(f'no goroutine left after its tests in {len(lines)} run(s): the leak did not happen')
    parts += mentions[:2] + diags[:2]
    if case and case['flaky']:
        parts.append('the runtime marks it flaky (makeFlakyTest): a larger REPEAT may catch it')
    return '; '.join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--module', required=True)
    ap.add_argument('--expect', required=True)
    ap.add_argument('--report', required=True)
    ap.add_argument('--stderr', required=True)
    ap.add_argument('--command', default='')
    ap.add_argument('--repeat', default='')
    ap.add_argument('--wall', default='')
    ap.add_argument('--exit-code', default='')
    ap.add_argument('--go-version', default='')
    ap.add_argument('--markdown')
    a = ap.parse_args()

    kernels = [l.rstrip('\n').split('\t') for l in open(os.path.join(a.module, 'kernels.tsv')) if l.strip()]
    cases = parse_expectations(a.expect)
    report = json.load(open(a.report))
    buckets = report.get('buckets', [])
    runs, other = parse_stderr(a.stderr)

    by_pkg = collections.defaultdict(list)
    for b in buckets:
        for p in bucket_pkgs(b):
            by_pkg[p].append(b)

    rows, missed = [], []
    tot = collections.Counter()
    for name, pkg, src in kernels:
        case = cases.get(name)
        pats = case['patterns'] if case else []
        bs = by_pkg.get(pkg, [])
        caught = bool(bs)

        def blk(b):
            return b.get('blocking_site', {}).get('function', '')

        def entry(b):
            fr = b.get('frames') or []
            return fr[-1].get('function', '') if fr else blk(b)

        named = [b for b in bs if matches(blk(b), pats)]
        entry_ok = any(matches(entry(b), pats) for b in bs)
        pick = sorted(named or bs, key=lambda b: (b.get('verdict') != 'definite', -b.get('count', 0)))
        b = pick[0] if pick else None
        verdicts = sorted({x.get('verdict', '?') for x in bs})
        row = {
            'kernel': name, 'pkg': pkg, 'src': src, 'flaky': bool(case and case['flaky']), 'expected': bool(case),
            'commented': bool(case and case['commented']),
            'caught': caught, 'named': bool(named), 'entry': entry_ok, 'buckets': len(bs),
            'blocking': short(blk(b), pkg) if b else '', 'state': b.get('state', '') if b else '',
            'creator': short(b.get('created_by', {}).get('function', ''), pkg) if b else '',
            'verdict': b.get('verdict', '') if b else '', 'verdicts': verdicts,
        }
        rows.append(row)
        tot['kernels'] += 1
        tot['caught'] += caught
        tot['named'] += row['named']
        tot['entry'] += entry_ok
        tot['definite'] += 'definite' in verdicts
        if not caught:
            missed.append((name, why_missed(pkg, runs, other, report, case)))

    # Things in the report that are not a kernel's own leak, or not attributed to a test.
    notes = []
    known = {pkg for _, pkg, _ in kernels}
    for b in buckets:
        tests, ps = b.get('tests', []), bucket_pkgs(b)
        f = b.get('blocking_site', {}).get('function', '')
        where = f'{f} [{b.get("state", "")}] {b.get("verdict", "")} x{b.get("count", 0)}'
        if not tests:
            notes.append(f'bucket with no tests[]: {where}')
        elif not ps or not ps <= known:
            notes.append(f'bucket attributed outside the kernels ({", ".join(tests)}): {where}')
        elif len(ps) > 1:
            notes.append(f'bucket attributed to {len(ps)} kernels ({", ".join(tests)}): {where}')
        elif any('.' not in t.split('/')[-1] for t in tests):
            notes.append(f'bucket attributed to the package only, not a test ({", ".join(tests)}): {where} '
                         f'created by {b.get("created_by", {}).get("function", "")}')
        if re.match(r'^(runtime|testing|internal/|sync)\b', f) and not f.startswith('goker/'):
            notes.append(f'bucket whose blocking site is in the runtime/testing/sync: {where}')
    by_key = collections.defaultdict(list)
    for b in buckets:
        by_key[b.get('key', '')].append(b)
    for key, bs in sorted(by_key.items()):
        if len(bs) < 2:
            continue
        differ = [what for what, get in (
            ('verdict', lambda b: b.get('verdict')), ('state', lambda b: b.get('state')),
            ('created_by line', lambda b: (b.get('created_by', {}).get('function'), b.get('created_by', {}).get('line'))),
            ('frames', lambda b: json.dumps(b.get('frames'))), ('tests', lambda b: tuple(b.get('tests', []))))
            if len({json.dumps(get(b), default=str) for b in bs}) > 1]
        b0 = bs[0]
        notes.append(f'{len(bs)} buckets share the key {key} ({", ".join(b0.get("tests", []))}: '
                     f'{b0.get("blocking_site", {}).get("function", "")} [{b0.get("state", "")}], counts '
                     f'{"/".join(str(b.get("count", 0)) for b in bs)}); they differ in: {", ".join(differ) or "nothing"}')

    n = tot['kernels']
    head = ['kernel', 'caught', 'named right', 'entry right', 'buckets', 'blocking function [state]', 'creator',
            'verdict']
    table = []
    for r in rows:
        k = r['kernel'] + (' (flaky)' if r['flaky'] else '') + (' (commented out)' if r['commented'] else '') + \
            ('' if r['expected'] else ' (no expectation)')
        v = r['verdict'] + ('' if len(r['verdicts']) <= 1 else ' (' + '/'.join(r['verdicts']) + ')')
        table.append([k, 'yes' if r['caught'] else 'NO', 'yes' if r['named'] else ('no' if r['caught'] else '-'),
                      'yes' if r['entry'] else ('no' if r['caught'] else '-'), str(r['buckets']),
                      f'{r["blocking"]} [{r["state"]}]' if r['blocking'] else '', r['creator'], v])
    totals = (f'caught {tot["caught"]}/{n}, named right {tot["named"]}/{n} (entry function right '
              f'{tot["entry"]}/{n}), definite {tot["definite"]}/{n} (kernels with at least one definite bucket); '
              f'{len(buckets)} buckets, {report.get("leaked_goroutines", "?")} leaked goroutines')

    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
    widths = [min(w, 70) for w in widths]
    fmt = lambda cols: '  '.join(c[:w].ljust(w) for c, w in zip(cols, widths)).rstrip()
    print(fmt(head))
    for t in table:
        print(fmt(t))
    print('\n' + totals)
    if missed:
        print('\nnot caught:')
        for k, why in missed:
            print(f'  {k}: {why}')
    if notes:
        print('\nnotes on the report:')
        for x in notes:
            print('  ' + x)

    if a.markdown:
        esc = lambda s: s.replace('|', '\\|')
        md = ['# GoKer blocking bugs: what `leakhound test` catches', '',
              'The Go runtime\'s ports of the GoKer blocking-bug kernels '
              '(`$GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker`), one test package each, run under '
              '`leakhound test` and scored against the runtime\'s own expectations (`gokerTestCases` in '
              '`$GOROOT/src/runtime/goroutineleakprofile_test.go`). Made by `bench/goker/run.sh`.', '',
              f'- command: `{a.command}` (in `bench/out/goker`, the module `bench/goker/make_module.py` generates)',
              f'- date: {datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}',
              f'- go: `{a.go_version}`',
              f'- REPEAT: {a.repeat} (each package runs until its first leak, at most REPEAT times)',
              f'- wall time of `leakhound test`: {a.wall} s (exit code {a.exit_code}); machine: {os.cpu_count()} '
              f'cores, shared', '',
              f'**Totals: {totals}.**', '',
              '- *caught*: a bucket whose `tests[]` names the kernel\'s package.',
              '- *named right*: the bucket\'s `blocking_site.function` matches the function part of one of the '
              'runtime\'s expected regexes (the `\\(.* \\[state\\]` tail stripped; anchored at the end of the name '
              'when it ended with `\\(`).',
              '- *entry right* (information): the same match on the bucket\'s bottom frame, the goroutine\'s entry '
              'function, which is what the runtime\'s test checks; the blocking site is often a method called from '
              'it, so *named right* is the stricter column.',
              '- blocking function, creator, verdict: of the bucket shown (a named-right one, definite first, else '
              'the largest); `(definite/suspect)`: the kernel\'s buckets have both verdicts. `(flaky)`: '
              '`makeFlakyTest` in the runtime (the leak does not happen every run); `(commented out)`: the runtime '
              'keeps the case only as a comment (its expectations are still used here).', '',
              '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
        md += ['| ' + ' | '.join(esc(c) for c in t) + ' |' for t in table]
        md += ['', '## Not caught', '']
        md += [f'- **{k}**: {esc(why)}' for k, why in missed] or ['(none)']
        md += ['', '## Notes on the report', '']
        md += [f'- {esc(x)}' for x in notes] or ['(none)']
        with open(a.markdown, 'w') as f:
            f.write('\n'.join(md) + '\n')
        print(f'\nwrote {a.markdown}', file=sys.stderr)


if __name__ == '__main__':
    main()
