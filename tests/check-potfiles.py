#!/usr/bin/env python3
"""Fails when a file with translatable strings is missing from po/POTFILES.in.

Scans app/, widgets/, resources/, engine/ and data/ (not data/examples/):
  * C sources and headers that call _(), N_(), C_(), NC_(), Q_(), gettext(),
    ngettext(), g_dgettext(), g_dngettext() or g_dpgettext2();
  * GtkBuilder .ui files with translatable="yes";
  * .desktop.in and .metainfo.xml.in files (translatable by definition);
  * GSettings schemas with a <summary> or <description>.
Also fails when POTFILES.in lists a file that does not exist or that has no
translatable string (a stale entry).

Usage: check-potfiles.py [SOURCE_ROOT]
"""
import os
import re
import sys

SCANNED = ("app", "widgets", "resources", "engine", "data")
SKIPPED = (os.path.join("data", "examples"),)

C_CALL = re.compile(
    r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|gettext|ngettext|g_dgettext|g_dngettext|g_dpgettext2)\s*\(")
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"', re.IGNORECASE)
SCHEMA_TEXT = re.compile(r"<(?:summary|description)\b")


def strip_c_comments(text):
    """Removes /* */ and // comments, keeping string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def has_translatable(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    if name.endswith((".c", ".h")):
        return C_CALL.search(strip_c_comments(text)) is not None
    if name.endswith(".ui"):
        return UI_TRANSLATABLE.search(text) is not None
    if name.endswith((".desktop.in", ".metainfo.xml.in", ".appdata.xml.in")):
        return True
    if name.endswith(".gschema.xml"):
        return SCHEMA_TEXT.search(text) is not None
    return False


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    potfiles_path = os.path.join(root, "po", "POTFILES.in")
    with open(potfiles_path, encoding="utf-8") as f:
        listed = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith("#")]

    needed = set()
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(dirpath, root)
            if any(rel_dir == s or rel_dir.startswith(s + os.sep) for s in SKIPPED):
                dirnames[:] = []
                continue
            dirnames.sort()
            for fn in sorted(filenames):
                rel = os.path.join(rel_dir, fn)
                if has_translatable(os.path.join(root, rel)):
                    needed.add(rel.replace(os.sep, "/"))

    failures = []
    for rel in sorted(needed - set(listed)):
        failures.append(f"{rel}: has translatable strings but is missing from po/POTFILES.in")
    for rel in listed:
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            failures.append(f"po/POTFILES.in lists {rel}, which does not exist")
        elif not has_translatable(path):
            failures.append(f"po/POTFILES.in lists {rel}, which has no translatable string")
    dupes = sorted({r for r in listed if listed.count(r) > 1})
    for rel in dupes:
        failures.append(f"po/POTFILES.in lists {rel} twice")

    print(f"1..1")
    if failures:
        for msg in failures:
            print(f"# {msg}")
        print(f"not ok 1 - POTFILES.in is complete ({len(failures)} problems)")
        return 1
    print(f"ok 1 - POTFILES.in lists all {len(needed)} files with translatable strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
