#!/usr/bin/env python3
"""After a failed `meson test`: show what each failed test printed last and,
when it crashed and left a core file, the backtrace of every thread (gdb).

meson's --print-errorlogs shows a TAP test's stderr only; the last test case a
crashed test had started, and its messages, are on stdout.  Usage:
report-failures.py BUILD_DIR"""
import json, os, shutil, subprocess, sys

build = sys.argv[1]
log = os.path.join(build, "meson-logs", "testlog.json")
if not os.path.exists(log):
    sys.exit(0)
gdb = shutil.which("gdb")
with open(log, encoding="utf-8") as f:
    tests = [json.loads(l) for l in f if l.strip()]
for t in tests:
    if t.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
        continue
    name = t.get("name", "?")
    print(f"==== {name}: {t.get('result')} (return code {t.get('returncode')}) ====")
    out = (t.get("stdout") or "").splitlines()
    print("\n".join(out[-40:]))
    cmd = t.get("command") or []
    exe = cmd[0] if cmd else None
    if not exe or not os.path.exists(exe):
        continue
    # cores land in the test's working directory (meson: the build folder)
    cores = []
    for d in {build, os.path.dirname(exe), os.getcwd()}:
        for c in os.listdir(d):
            p = os.path.join(d, c)
            is_core = c == "core" or (c.startswith("core.") and c[5:].isdigit())
            if is_core and os.path.isfile(p) and os.path.getmtime(p) >= os.path.getmtime(exe):
                cores.append(p)
    for core in cores:
        if gdb is None:
            print(f"core file {core} (gdb not installed: no backtrace)")
            continue
        print(f"---- backtrace from {core} ----")
        r = subprocess.run([gdb, "-batch", "-nx", "-ex", "thread apply all bt 25", exe, core],
                           capture_output=True, text=True)
        print(r.stdout[-20000:])
