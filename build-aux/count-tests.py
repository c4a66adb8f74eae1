#!/usr/bin/env python3
"""Print 'N passed, N failed[, N skipped]' from meson's testlog.json.

Each meson test is a GLib test executable run with --tap; its TAP lines
("ok 3 /engine/...", "not ok ...", "ok 4 ... # SKIP ...") are counted one by one.
An executable that crashed or timed out before printing its plan counts as one
failure more.  Exit status 1 when anything failed or nothing ran."""
import json, re, sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        out = t.get("stdout") or ""
        n_ok = n_bad = n_skip = 0
        planned = None
        for l in out.splitlines():
            m = re.match(r"^(not ok|ok)\b", l)
            if m:
                if re.search(r"#\s*SKIP", l, re.I):
                    n_skip += 1
                elif m.group(1) == "ok":
                    n_ok += 1
                else:
                    n_bad += 1
            p = re.match(r"^1\.\.(\d+)", l)
            if p:
                planned = int(p.group(1))
        result = t.get("result", "")
        if result not in ("OK", "EXPECTEDFAIL", "SKIP") and n_bad == 0:
            n_bad += 1  # crashed, timed out or failed outside a test case
        if planned is not None and n_ok + n_bad + n_skip < planned and result == "OK":
            n_bad += planned - (n_ok + n_bad + n_skip)
        if n_ok + n_bad + n_skip == 0:
            # a plain (non-TAP) test: its exit status is one result
            if result == "SKIP":
                n_skip += 1
            elif result in ("OK", "EXPECTEDFAIL"):
                n_ok += 1
        passed += n_ok
        failed += n_bad
        skipped += n_skip

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
