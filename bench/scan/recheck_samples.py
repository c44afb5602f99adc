#!/usr/bin/env python3
# usage: bench/scan/recheck_samples.py LEAKHOUND  (the module copies of both studies in /tmp/prec-study and /tmp/prec-study2)
# Re-checks the hand-classified samples of the two precision studies against a new binary: which sampled findings
# it still reports (same file, line and rule), and the sample precision of what is left.
import json, re, subprocess, sys, collections
binary = sys.argv[1]
studies = [("/work/main/bench/scan/precision-default-rules.md", "/tmp/prec-study", {"consul": "consul", "containerd": "containerd", "minio": "minio"}),
           ("/work/main/bench/scan/precision-default-rules-2.md", "/tmp/prec-study2", {"traefik": "traefik", "geth": "geth", "pebble": "pebble"})]
for md, root, mods in studies:
    found = {}
    for m in mods:
        out = subprocess.run([binary, "scan", "--fail-on", "never", "-f", "json", "./..."], cwd=f"{root}/{m}", capture_output=True, text=True).stdout
        d = json.loads(out)
        found[m] = {(f["file"], f["line"], f["rule"]) for f in d["findings"] if not f["suppressed"]}
        found[m + "#n"] = collections.Counter(f["rule"] for f in d["findings"] if not f["suppressed"])
    rule = None
    stats = collections.defaultdict(lambda: collections.Counter())
    for line in open(md):
        h = re.match(r"## (LH\d+)", line)
        if h: rule = h.group(1)
        x = re.match(r"- (\S+) (\S+?):(\d+) — (TRUE|FALSE|UNCLEAR) —", line)
        if not x or rule is None: continue
        mod, path, ln, verdict = x.group(1), x.group(2), int(x.group(3)), x.group(4)
        if mod not in mods: continue
        still = (path, ln, rule) in found[mod]
        stats[rule][(verdict, still)] += 1
    print(md)
    for r in sorted(stats):
        s = stats[r]
        t_keep, t_gone = s[("TRUE", True)], s[("TRUE", False)]
        f_keep, f_gone = s[("FALSE", True)], s[("FALSE", False)]
        prec = f"{100*t_keep/(t_keep+f_keep):.0f} %" if t_keep + f_keep else "-"
        now = sum(found[m + "#n"][r] for m in mods)
        print(f"  {r}: TRUE kept {t_keep} lost {t_gone}; FALSE kept {f_keep} gone {f_gone}; precision of what is left {prec}; findings now {now}")
