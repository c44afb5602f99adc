#!/usr/bin/env python3
"""Score `leakhound scan` findings on the GoKer kernels against the Go runtime's leak labels.

Reads, for every kernel directory that bench/goker-scan/run.sh prepared (KERNELS/<Name>/):
  kernel_file  the kernel's file name
  scan.json    `leakhound scan -f json` of the directory (kernel + stub main.go)
  scan.rc      its exit code
  funcs.json   bench/goker-scan/funcs output: every function under its runtime name, with its range,
               the go statements (who starts which entry function) and the direct calls
and the labels: gokerTestCases in $GOROOT/src/runtime/goroutineleakprofile_test.go, one
makeTest/makeFlakyTest("Name", `FUNC\\(.* \\[BLOCK KIND\\]`, ...) per kernel. FUNC is the bottom frame of the
leaked goroutine as the runtime prints it without "main." (the goroutine's entry function: the runtime test takes
the frame above "created by"); BLOCK KIND is the wait reason in the goroutine header.

A finding belongs to the innermost function (closure, method, ...) whose source range holds its line:column;
go/defer wrappers (F.gowrapN) are skipped: their range is the call the go statement of F evaluates, so a finding
there belongs to F. A kernel is flagged
  strict  when a finding lies in a labelled function itself,
  loose   when it lies in a labelled function or in the function that contains it (a closure's parent) or starts it
          (holds a `go` statement whose entry function it is),
  callee  (information) when it lies in a labelled function or in a function it calls directly or transitively on
          the same goroutine (plain and deferred calls: static ones, calls of a func-valued parameter or local to the
          functions the package passes for it or assigns to it, interface method calls to the package's implementations; not go statements):
          the labels name the goroutine's entry, and the blocking operation is often in a method it calls.
          callee_static counts static calls only.
Kernels without labels (none listed, or the runtime's entry commented out) are reported apart and are not in the
denominator. A kernel's *family* is the set of classes (lock, channel, WaitGroup, Cond) of its labels' blocking
kinds; --bugs (bugs.tsv, hand-written) gives each kernel a one-line description of its bug for the missed list.

Writes --json (machine-readable) and --markdown (RESULTS.md); prints the totals.
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------------------------------------------------------
# Labels


def goker_block(text):
    """The text of the `gokerTestCases := []testCase{ ... }` literal (braces in strings/comments skipped)."""
    start = text.index("gokerTestCases := []testCase{")
    i = text.index("{", start + len("gokerTestCases := []testCase"))
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c == "`":
            j = text.index("`", j + 1)
        elif c == "/" and text.startswith("//", j):
            j = text.index("\n", j)
            continue
        elif c == '"':
            k = j + 1
            while text[k] != '"':
                k += 2 if text[k] == "\\" else 1
            j = k
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], text.count("\n", 0, i) + 1
        j += 1
    raise ValueError("unterminated gokerTestCases")


ENTRY_RE = re.compile(r'make(Flaky)?Test\(\s*(?:testCase\{\s*name:\s*)?"(\w+)"')


def parse_expectations(path):
    """{name: {"flaky", "commented", "line", "regexps": [...]}} from the runtime's test file.

    Entries kept only as comments (`// makeTest(...)`) are returned with commented=True."""
    text = open(path, encoding="utf-8").read()
    block, first_line = goker_block(text)
    entries = {}
    cur = None
    for n, line in enumerate(block.split("\n")):
        stripped = line.strip()
        commented = stripped.startswith("//")
        content = stripped[2:] if commented else stripped
        m = ENTRY_RE.search(content)
        if m:
            cur = {"name": m.group(2), "flaky": bool(m.group(1)), "commented": commented,
                   "line": first_line + n, "regexps": []}
            entries[cur["name"]] = cur
            content = content[m.end():]
        if cur is not None and commented == cur["commented"]:
            cur["regexps"].extend(re.findall(r"`([^`]*)`", content))
    return entries


def unescape(rx):
    return re.sub(r"\\(.)", r"\1", rx)


def split_label(rx):
    """`FUNC\\(.* \\[KIND\\]` -> (regexp for "NAME(", readable FUNC, readable KIND)."""
    i = rx.rfind(r" \[")
    if i < 0 or not rx.endswith(r"\]"):
        return rx, unescape(rx), "?"
    func_rx = rx[:i]
    kind = unescape(rx[i + 3:-2])
    shown = re.sub(r"(\\\(\.\*|\.\*)$", "", func_rx)
    return func_rx, unescape(shown), kind


# Blocking kinds (the wait reasons of the labels) in a fixed order, and their coarse classes: a kernel's
# *family* is the set of classes of its labels, e.g. "lock + channel" for a lock held across a channel operation.
KIND_ORDER = ["chan send", "chan receive", "select", "chan send (nil chan)", "chan receive (nil chan)",
              "select (no cases)", "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.(RW)?Mutex.Lock",
              "sync.RWMutex.RLock", "sync.WaitGroup.Wait", "sync.Cond.Wait"]
CLASS_ORDER = ["lock", "channel", "WaitGroup", "Cond", "other"]


def kind_order(kind):
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def kind_class(kind):
    if kind.startswith(("chan ", "select")):
        return "channel"
    if "Mutex" in kind:
        return "lock"
    if "WaitGroup" in kind:
        return "WaitGroup"
    if "Cond" in kind:
        return "Cond"
    return "other"


def family(kinds):
    return " + ".join(c for c in CLASS_ORDER if c in {kind_class(k) for k in kinds})


# ---------------------------------------------------------------------------------------------------------------
# Per kernel


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def key(pos):
    return (pos["line"], pos["col"])


class Kernel:
    def __init__(self, name, d):
        self.name = name
        self.dir = d
        self.file = open(os.path.join(d, "kernel_file")).read().strip()
        self.scan_rc = int(open(os.path.join(d, "scan.rc")).read().strip() or 0)
        self.scan = load_json(os.path.join(d, "scan.json")) or {}
        fj = load_json(os.path.join(d, "funcs.json")) or {}
        mine = lambda x: os.path.basename(x["file"]) == self.file
        self.funcs = [f for f in fj.get("funcs", []) if mine(f)]
        self.by_name = {f["name"]: f for f in self.funcs}
        self.go_stmts = [g for g in fj.get("go_stmts", []) if mine(g)]
        self.calls = fj.get("calls", [])
        self.type_errors = fj.get("type_errors", [])

    def function_at(self, line, col):
        """Innermost non-wrapper function whose range holds line:col ("" at package level)."""
        best = None
        for f in self.funcs:
            if f.get("wrapper"):
                continue
            if key(f["start"]) <= (line, col) < key(f["end"]):
                if best is None or key(f["start"]) >= key(best["start"]):
                    best = f
        return best["name"] if best else ""

    def resolve(self, func_rx):
        """Functions of the kernel a label's FUNC regexp names (the runtime searches "FUNC(args) [kind]").

        A label naming a go wrapper (F.gowrapN, hidden in today's tracebacks) stands for the wrapped callee."""
        out, notes = [], []
        for f in self.funcs:
            if re.search(func_rx, f["name"] + "("):
                if f.get("wrapper"):
                    target = f.get("wraps", "")
                    if target in self.by_name:
                        notes.append(f"{f['name']} is the wrapper of {target}")
                        out.append(target)
                    else:
                        notes.append(f"{f['name']} wraps a call with no static callee")
                else:
                    out.append(f["name"])
        return sorted(set(out)), notes

    def starters(self, fn):
        """The function containing fn (closures, range bodies) and those whose go statements start it."""
        s = set()
        f = self.by_name.get(fn)
        if f and f.get("parent"):
            s.add(f["parent"])
        for g in self.go_stmts:
            if g.get("entry") == fn:
                s.add(g["in"])
        s.discard(fn)
        return s

    def callees(self, fn, dynamic=True):
        """Functions reached from fn by calls on the same goroutine, transitively; fn excluded. dynamic: calls of
        func-valued parameters and locals and of interface methods too (funcs' "via")."""
        edges = collections.defaultdict(set)
        for c in self.calls:
            if dynamic or not c.get("via"):
                edges[c["from"]].add(c["to"])
        seen, todo = set(), [fn]
        while todo:
            for t in edges[todo.pop()]:
                if t not in seen and t in self.by_name:
                    seen.add(t)
                    todo.append(t)
        seen.discard(fn)
        return seen


def score_kernel(k, entry):
    findings = []
    other_files = 0
    for f in k.scan.get("findings", []):
        if os.path.basename(f.get("file", "")) != k.file:
            other_files += 1  # in the stub: not part of the kernel
            continue
        findings.append({
            "rule": f.get("rule"), "name": f.get("name"), "severity": f.get("severity"),
            "line": f.get("line"), "col": f.get("column"), "end_line": f.get("end_line"),
            "function": k.function_at(f.get("line", 0), f.get("column", 0)),
            "suppressed": bool(f.get("suppressed")), "message": f.get("message", ""),
        })

    labels = []
    for rx in (entry or {}).get("regexps", []):
        func_rx, shown, kind = split_label(rx)
        fns, notes = k.resolve(func_rx)
        strict = set(fns)
        loose = strict | set().union(*[k.starters(f) for f in fns]) if fns else set()
        callee = strict | set().union(*[k.callees(f) for f in fns]) if fns else set()
        static = strict | set().union(*[k.callees(f, dynamic=False) for f in fns]) if fns else set()
        labels.append({"regexp": rx, "function": shown, "kind": kind, "functions": fns,
                       "starters": sorted(loose - strict), "callees": sorted(callee - strict),
                       "callees_static": sorted(static - strict),
                       "notes": notes, "strict": False, "loose": False, "callee": False,
                       "callee_static": False})

    # Each finding's best relation to any label: strict > loose > callee > None.
    rank = {"strict": 3, "loose": 2, "callee": 1}
    for fd in findings:
        fd["match"] = None
        if fd["suppressed"]:
            continue
        for lab in labels:
            rel = []
            if fd["function"] in lab["functions"] or fd["function"] in lab["callees_static"]:
                lab["callee_static"] = True
            if fd["function"] in lab["functions"]:
                rel = ["strict", "loose", "callee"]
            else:
                if fd["function"] in lab["starters"]:
                    rel.append("loose")
                if fd["function"] in lab["callees"]:
                    rel.append("callee")
            for r in rel:
                lab[r] = True
                if fd["match"] is None or rank[r] > rank[fd["match"]]:
                    fd["match"] = r

    kinds = sorted(set(lab["kind"] for lab in labels), key=kind_order)
    if entry is None:
        status = "unlabelled: no entry in gokerTestCases"
    elif entry["commented"]:
        status = "unlabelled: entry commented out in the runtime test"
    elif not labels:
        status = "unlabelled: no expected leaks listed"
    else:
        status = "labelled"
    return {
        "kernel": k.name, "file": k.file, "status": status,
        "flaky": bool(entry and entry["flaky"]), "expect_line": entry["line"] if entry else None,
        "family": family(kinds), "kinds": kinds, "labels": labels,
        "strict": any(lab["strict"] for lab in labels),
        "loose": any(lab["loose"] for lab in labels),
        "callee": any(lab["callee"] for lab in labels),
        "callee_static": any(lab["callee_static"] for lab in labels),
        "findings": findings, "findings_outside_kernel_file": other_files,
        "scan_rc": k.scan_rc, "scan_diagnostics": k.scan.get("diagnostics", []),
        "functions": len(k.funcs), "type_errors": k.type_errors,
    }


# ---------------------------------------------------------------------------------------------------------------
# Report


def md_escape(s):
    return str(s).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def code(s):
    return "`" + str(s).replace("`", "'") + "`" if s else ""


def pct(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "-"


def yes(b):
    return "yes" if b else "no"


def write_markdown(res, path):
    t = res["totals"]
    L = []
    w = L.append
    w("# GoKer kernels: what `leakhound scan` flags at the labelled bug")
    w("")
    w("The Go runtime's ports of the GoKer blocking-bug kernels "
      "(`$GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker`), each scanned as a package of its own "
      "(kernel file + a stub `main.go` declaring `register`, `registerInit`, `yieldCount`, `main`), scored against "
      "the runtime's labels (`gokerTestCases` in `$GOROOT/src/runtime/goroutineleakprofile_test.go`). "
      "Made by `bash bench/goker-scan/run.sh LEAKHOUND_BIN`; machine-readable: `results.json`.")
    w("")
    m = res["meta"]
    w(f"- command: `leakhound scan {m['scan_flags']} <kernel dir>`")
    w(f"- leakhound: `{m['leakhound_version']}`; repository at {m['repo_commit']}")
    w(f"- go: `{m['go_version']}`; date: {m['date']}")
    w(f"- runtime names (`funcs -check-binary` on the kernels built with this go): {m['name_check']}")
    w("")
    w(f"**Flagged at the labelled bug: strict {t['strict']}/{t['labelled']} ({pct(t['strict'], t['labelled'])}), "
      f"loose {t['loose']}/{t['labelled']} ({pct(t['loose'], t['labelled'])})** "
      f"(information: callee {t['callee']}/{t['labelled']}, of which through static calls only "
      f"{t['callee_static']}/{t['labelled']}). "
      f"{t['labelled']} labelled kernels of {t['kernels']}; {t['unlabelled']} unlabelled, not counted: "
      + (", ".join(f"{k['kernel']} ({k['status'].split(': ', 1)[1]})" for k in res["kernels"]
                   if k["status"] != "labelled") or "none")
      + f". Findings: {t['findings']} in all, {t['findings_strict']} inside a labelled function, "
      f"{t['findings_loose_only']} more in its parent/starter, {t['findings_callee_only']} more in a function it "
      f"calls, {t['findings_elsewhere']} elsewhere.")
    w("")
    w("- *labelled function*: the function a label's regexp names, i.e. the entry (bottom frame) of the leaked "
      "goroutine as the runtime prints it (`F`, `(*T).M`, `F.func1`, `F.func1.2`; go wrappers are hidden in "
      "tracebacks). The blocking operation itself may be in a function it calls.")
    w("- *strict*: a finding whose innermost enclosing function is a labelled function.")
    w("- *loose*: strict, or the finding is in the function that contains the labelled closure or starts the "
      "labelled function with a `go` statement.")
    w("- *callee* (information only): strict, or the finding is in a function the labelled function calls "
      "(directly or transitively, on its own goroutine): static calls, calls of a func-valued parameter or local "
      "(to each function the package passes for it or assigns to it) and interface method calls (to the method of each type of the package "
      "that implements the interface). *callee through static calls only* leaves the last two out.")
    w("- a finding belongs to the innermost function (closure included) whose source range holds its line:column; "
      "findings on a `go`/`defer` statement's call belong to the function holding the statement.")
    w("")

    # Missed by kind.
    w("## Missed kernels by blocking kind")
    w("")
    w("A kernel with several labels counts once under each of its kinds. *labels hit*: labels (one per regexp) "
      "with a finding in their function (strict).")
    w("")
    w("| blocking kind | labels | labels hit (strict) | kernels | flagged strict | flagged loose | missed (strict) |")
    w("|---|---:|---:|---:|---:|---:|---|")
    for row in res["by_kind"]:
        w(f"| {md_escape(row['kind'])} | {row['labels']} | {row['labels_strict']} | {row['kernels']} | "
          f"{row['kernels_strict']} | {row['kernels_loose']} | "
          f"{', '.join(row['missed_strict']) or '-'} |")
    w("")

    # Missed kernels, grouped by the kinds of their labels, with what the bug is (bugs.tsv).
    w("## Missed kernels (strict), with what the bug is")
    w("")
    w("Grouped by *family*: the classes of the kernel's labelled blocking kinds (lock = sync.Mutex/RWMutex, "
      "channel = chan send/receive/select, WaitGroup, Cond); each kernel's exact kinds in brackets. "
      "*loose*/*callee*: caught by those wider criteria. "
      "Bug descriptions: `bench/goker-scan/bugs.tsv` (hand-written from the kernel sources).")
    w("")
    groups = collections.OrderedDict()
    for k in res["kernels"]:
        if k["status"] == "labelled" and not k["strict"]:
            groups.setdefault(k["family"], []).append(k)
    for fam in sorted(groups, key=lambda f: (-len(groups[f]), f)):
        w(f"- **{md_escape(fam)}** ({len(groups[fam])})")
        for k in groups[fam]:
            also = [c for c in ("loose", "callee") if k[c]]
            w(f"  - {k['kernel']} [{md_escape(', '.join(k['kinds']))}]" + (f" ({', '.join(also)})" if also else "")
              + f": {md_escape(k.get('bug') or '(no description in bugs.tsv)')}")
    w("")

    # Per family.
    w("## By family")
    w("")
    w("| family | kernels | flagged strict | flagged loose | callee (information) |")
    w("|---|---:|---:|---:|---:|")
    for row in res["by_family"]:
        w(f"| {row['family']} | {row['kernels']} | {row['strict']} | {row['loose']} | {row['callee']} |")
    w("")

    # Per rule.
    w("## Findings by rule")
    w("")
    w("| rule | findings | strict | loose only | callee only | elsewhere | kernels flagged (strict) |")
    w("|---|---:|---:|---:|---:|---:|---|")
    for row in res["by_rule"]:
        w(f"| {row['rule']} {row['name']} | {row['findings']} | {row['strict']} | {row['loose_only']} | "
          f"{row['callee_only']} | {row['elsewhere']} | {', '.join(row['kernels_strict']) or '-'} |")
    if not res["by_rule"]:
        w("| (no findings) | | | | | | |")
    w("")

    # Per kernel.
    w("## Per kernel")
    w("")
    w("`(flaky)`: `makeFlakyTest` in the runtime. Findings: `RULE@LINE in FUNCTION`; *other findings*: those "
      "neither in a labelled function nor in its parent/starter/callees.")
    w("")
    w("| kernel | labelled leaks: entry function [blocking kind] | findings in labelled functions | strict | "
      "loose | callee | other findings |")
    w("|---|---|---|---|---|---|---|")
    for k in res["kernels"]:
        if k["status"] != "labelled":
            continue
        labs = "<br>".join(f"{code(lab['function'])} [{md_escape(lab['kind'])}]"
                           + ("" if lab["functions"] else " **(names no function)**") for lab in k["labels"])
        hits = [f for f in k["findings"] if f["match"]]
        hit_s = "<br>".join(f"{f['rule']}@{f['line']} in {code(f['function'])} ({f['match']})" for f in hits)
        other = [f for f in k["findings"] if not f["match"]]
        other_s = "<br>".join(f"{f['rule']}@{f['line']} in {code(f['function'] or '(package level)')}"
                              for f in other)
        name = k["kernel"] + (" (flaky)" if k["flaky"] else "")
        w(f"| {name} | {labs} | {hit_s or '-'} | {yes(k['strict'])} | {yes(k['loose'])} | "
          f"{yes(k['callee'])} | {other_s or '-'} |")
    w("")

    un = [k for k in res["kernels"] if k["status"] != "labelled"]
    if un:
        w("## Unlabelled kernels (not counted)")
        w("")
        for k in un:
            labs = "; ".join(f"{code(lab['function'])} [{lab['kind']}]" for lab in k["labels"])
            fs = "; ".join(f"{f['rule']}@{f['line']} in {code(f['function'])}" for f in k["findings"])
            w(f"- {k['kernel']}: {k['status']}"
              + (f"; its commented-out labels: {labs} (strict {yes(k['strict'])}, loose {yes(k['loose'])})"
                 if labs else "")
              + f"; findings: {fs or 'none'}")
        w("")

    notes = []
    for k in res["kernels"]:
        for lab in k["labels"]:
            if not lab["functions"]:
                notes.append(f"- {k['kernel']}: {code(lab['regexp'])} names no function of {k['file']}")
            for n in lab["notes"]:
                notes.append(f"- {k['kernel']}: {code(lab['regexp'])}: {n}")
        if k["scan_rc"] != 0:
            notes.append(f"- {k['kernel']}: leakhound scan exited {k['scan_rc']}")
        if k["type_errors"]:
            notes.append(f"- {k['kernel']}: funcs type errors: {md_escape(k['type_errors'][0])}")
    if notes:
        w("## Notes")
        w("")
        L.extend(notes)
        w("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


def load_bugs(path):
    """{kernel: description} from bugs.tsv (missing file: empty)."""
    bugs = {}
    if path and os.path.isfile(path):
        for line in open(path, encoding="utf-8"):
            line = line.rstrip("\n")
            if line and not line.startswith("#") and "\t" in line:
                k, v = line.split("\t", 1)
                bugs[k.strip()] = v.strip()
    return bugs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernels", required=True, help="directory of per-kernel directories (run.sh's OUT/kernels)")
    ap.add_argument("--expect", required=True, help="$GOROOT/src/runtime/goroutineleakprofile_test.go")
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--leakhound", default="")
    ap.add_argument("--leakhound-version", default="")
    ap.add_argument("--scan-flags", default="")
    ap.add_argument("--go-version", default="")
    ap.add_argument("--bugs", default="", help="bugs.tsv: KernelName<TAB>one-line description of its bug")
    ap.add_argument("--name-check", default="", help="output of funcs -check-binary (its last line is reported)")
    a = ap.parse_args()
    bugs = load_bugs(a.bugs)

    expect = parse_expectations(a.expect)
    kernels = []
    for name in sorted(os.listdir(a.kernels), key=str.lower):
        d = os.path.join(a.kernels, name)
        if os.path.isfile(os.path.join(d, "kernel_file")):
            kernels.append(score_kernel(Kernel(name, d), expect.get(name)))
            kernels[-1]["bug"] = bugs.get(name, "")
    names = {k["kernel"] for k in kernels}
    orphans = sorted(n for n in expect if n not in names)

    lab = [k for k in kernels if k["status"] == "labelled"]
    allf = [f for k in lab for f in k["findings"] if not f["suppressed"]]
    totals = {
        "kernels": len(kernels), "labelled": len(lab), "unlabelled": len(kernels) - len(lab),
        "strict": sum(k["strict"] for k in lab), "loose": sum(k["loose"] for k in lab),
        "callee": sum(k["callee"] for k in lab),
        "callee_static": sum(k["callee_static"] for k in lab),
        "findings": len(allf),
        "findings_strict": sum(f["match"] == "strict" for f in allf),
        "findings_loose_only": sum(f["match"] == "loose" for f in allf),
        "findings_callee_only": sum(f["match"] == "callee" for f in allf),
        "findings_elsewhere": sum(f["match"] is None for f in allf),
        "labels": sum(len(k["labels"]) for k in lab),
        "labels_strict": sum(l["strict"] for k in lab for l in k["labels"]),
        "expectations_without_kernel": orphans,
    }

    kinds = collections.OrderedDict()
    for k in lab:
        for lb in k["labels"]:
            row = kinds.setdefault(lb["kind"], {"kind": lb["kind"], "labels": 0, "labels_strict": 0,
                                                 "kernels": set(), "strict": set(), "loose": set()})
            row["labels"] += 1
            row["labels_strict"] += lb["strict"]
            row["kernels"].add(k["kernel"])
            if k["strict"]:
                row["strict"].add(k["kernel"])
            if k["loose"]:
                row["loose"].add(k["kernel"])
    by_kind = []
    for row in sorted(kinds.values(), key=lambda r: (-len(r["kernels"]), r["kind"])):
        by_kind.append({"kind": row["kind"], "labels": row["labels"], "labels_strict": row["labels_strict"],
                        "kernels": len(row["kernels"]), "kernels_strict": len(row["strict"]),
                        "kernels_loose": len(row["loose"]),
                        "missed_strict": sorted(row["kernels"] - row["strict"], key=str.lower),
                        "missed_loose": sorted(row["kernels"] - row["loose"], key=str.lower)})

    fams = collections.OrderedDict()
    for k in lab:
        row = fams.setdefault(k["family"], {"family": k["family"], "kernels": 0, "strict": 0, "loose": 0,
                                            "callee": 0})
        row["kernels"] += 1
        for c in ("strict", "loose", "callee"):
            row[c] += k[c]
    by_family = sorted(fams.values(), key=lambda r: (-r["kernels"], r["family"]))

    rules = collections.OrderedDict()
    for k in lab:
        for f in k["findings"]:
            if f["suppressed"]:
                continue
            row = rules.setdefault(f["rule"], {"rule": f["rule"], "name": f["name"], "findings": 0, "strict": 0,
                                               "loose_only": 0, "callee_only": 0, "elsewhere": 0,
                                               "kernels_strict": set()})
            row["findings"] += 1
            if f["match"] == "strict":
                row["strict"] += 1
                row["kernels_strict"].add(k["kernel"])
            elif f["match"] == "loose":
                row["loose_only"] += 1
            elif f["match"] == "callee":
                row["callee_only"] += 1
            else:
                row["elsewhere"] += 1
    by_rule = []
    for row in sorted(rules.values(), key=lambda r: r["rule"] or ""):
        row["kernels_strict"] = sorted(row["kernels_strict"], key=str.lower)
        by_rule.append(row)

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip() or "unknown"
    except OSError:
        commit = "unknown"
    name_check = "not run"
    if a.name_check and os.path.isfile(a.name_check):
        lines = open(a.name_check, encoding="utf-8").read().splitlines()
        name_check = lines[-1] if lines else "no output"
    res = {
        "schema": "leakhound.bench.goker-scan/v1",
        "meta": {"leakhound": a.leakhound, "leakhound_version": a.leakhound_version, "scan_flags": a.scan_flags,
                 "go_version": a.go_version, "repo_commit": commit, "name_check": name_check,
                 "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")},
        "totals": totals, "by_kind": by_kind, "by_family": by_family, "by_rule": by_rule, "kernels": kernels,
    }
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    write_markdown(res, a.markdown)

    print(f"goker-scan: flagged strict {totals['strict']}/{totals['labelled']}, "
          f"loose {totals['loose']}/{totals['labelled']} (callee {totals['callee']}/{totals['labelled']}, static calls only {totals['callee_static']}/{totals['labelled']}); "
          f"{totals['unlabelled']} unlabelled kernels not counted; {totals['findings']} findings, "
          f"{totals['findings_strict']} in a labelled function")
    for row in by_kind:
        if row["missed_strict"]:
            print(f"  missed [{row['kind']}]: {', '.join(row['missed_strict'])}")
    if orphans:
        print(f"  expectations with no kernel file: {', '.join(orphans)}", file=sys.stderr)


if __name__ == "__main__":
    main()
