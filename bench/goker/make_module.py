#!/usr/bin/env python3
"""Turn the Go runtime's GoKer kernels into a Go module of test packages for `leakhound test`.

    make_module.py GOKER_DIR OUT_DIR

GOKER_DIR is $(go env GOROOT)/src/runtime/testdata/testgoroutineleakprofile/goker; OUT_DIR is (re)created with
go.mod (`module goker`), and per kernel a package `<name lowercased>/` holding the kernel's file (package renamed,
its `func init() { register(...) }` removed, the leak-profile printing neutralised, two lines
that `go vet` flags made explicit without a change in behaviour), helpers.go (what main.go gave:
yieldCount, and register/registerInit if still referenced) and kernel_test.go (`func Test<Name>(t *testing.T)`).
Writes OUT_DIR/kernels.tsv: name, package, source file.
"""
import os
import re
import shutil
import sys

INIT_RE = re.compile(r'^func init\(\) \{\n\tregister\("(\w+)", (\w+)\)\n\}\n', re.M)
WRITE_RE = re.compile(r'^(\s*)prof\.WriteTo\(os\.Stdout, 2\)\s*$', re.M)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    with open(os.path.join(out, 'go.mod'), 'w') as f:
        f.write('module goker\n\ngo 1.26\n')
    rows = []
    for fn in sorted(os.listdir(src)):
        if not fn.endswith('.go') or fn == 'main.go':
            continue
        text = open(os.path.join(src, fn)).read()
        m = INIT_RE.search(text)
        if not m:
            sys.exit(f'{fn}: no `func init() {{ register(...) }}` found')
        name, func = m.group(1), m.group(2)
        pkg = name.lower()
        text = text[:m.start()] + text[m.end():]
        text, n = re.subn(r'^package main$', f'package {pkg}', text, count=1, flags=re.M)
        if n != 1:
            sys.exit(f'{fn}: no `package main`')
        text, n = WRITE_RE.subn(r'\1_ = prof\n\1_ = os.Stdout', text)
        if n == 0:
            sys.exit(f'{fn}: no prof.WriteTo(os.Stdout, 2)')
        # Keep `go vet` quiet without changing behaviour: discarded results stay discarded, never-called
        # cancel functions stay never called (the kernels' own bugs, which vet flags: unusedresult, lostcancel).
        text = re.sub(r'^(\s*)(fmt\.Errorf\()', r'\1_ = \2', text, flags=re.M)
        text = re.sub(r'^(\s*)(\w+), _ := (context\.With(?:Cancel|Timeout|Deadline)\(.*\))\s*$',
                      r'\1\2, cancel := \3\n\1_ = cancel', text, flags=re.M)
        d = os.path.join(out, pkg)
        os.makedirs(d)
        with open(os.path.join(d, fn), 'w') as f:
            f.write(text)
        helpers = [f'package {pkg}\n', '// From goker/main.go.',
                   '// The number of times the main (profiling) goroutine should yield',
                   '// in order to allow the leaking goroutines to get stuck.',
                   'const yieldCount = 10\n']
        if re.search(r'\bregister(Init)?\(', text):
            helpers += ['func register(name string, f func())     {}',
                        'func registerInit(name string, f func()) {}\n']
        with open(os.path.join(d, 'helpers.go'), 'w') as f:
            f.write('\n'.join(helpers))
        with open(os.path.join(d, 'kernel_test.go'), 'w') as f:
            f.write(f'package {pkg}\n\nimport "testing"\n\nfunc Test{name}(t *testing.T) {{ {func}() }}\n')
        rows.append((name, pkg, fn))
    with open(os.path.join(out, 'kernels.tsv'), 'w') as f:
        for r in rows:
            f.write('\t'.join(r) + '\n')
    print(f'make_module: {len(rows)} kernels into {out}', file=sys.stderr)


if __name__ == '__main__':
    main()
