#!/usr/bin/env python3
"""Checks every catalogue in po/LINGUAS (TAP output):

  1. it compiles with `msgfmt --check` (header, c-format directives and
     plural forms agree with the msgids);
  2. `msgfmt --statistics` reports no untranslated and no fuzzy message;
  3. it covers the current sources: every msgid xgettext extracts from the
     files in po/POTFILES.in (with the keywords of meson's glib preset) has
     a translation (`msgcmp`).  When this fails, run
     `ninja -C BUILD glassbox-update-po` and translate what it added.

Usage: check-po.py SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

# The keywords meson's i18n.gettext(preset: 'glib') passes to xgettext.
GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]

n = 0
failed = 0


def report(ok, name, detail=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
        lines = detail.strip().splitlines()
        for line in lines[:40]:
            print(f"# {line}")
        if len(lines) > 40:
            print(f"# ... and {len(lines) - 40} more lines")
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def main():
    root = os.path.abspath(sys.argv[1])
    po_dir = os.path.join(root, "po")
    with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
        langs = [w for line in f if not line.lstrip().startswith("#") for w in line.split()]
    if not langs:
        print("1..1\nnot ok 1 - po/LINGUAS lists no language")
        return 1
    print(f"1..{3 * len(langs)}")

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "glassbox.pot")
        x = run(["xgettext", *GLIB_PRESET, "--package-name=glassbox",
                 "--files-from=po/POTFILES.in", f"--output={pot}"], cwd=root)
        for lang in langs:
            po = os.path.join(po_dir, lang + ".po")
            c = run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po])
            report(c.returncode == 0, f"{lang}.po compiles with msgfmt --check", c.stderr)

            # The statistics are msgfmt's last line of stderr, after any warning.
            lines = c.stderr.strip().splitlines()
            stats = lines[-1] if lines else ""
            m = re.match(r"(\d+) translated messages?[.,]", stats)
            complete = (c.returncode == 0 and m is not None and int(m.group(1)) > 0
                        and "untranslated" not in stats and "fuzzy" not in stats)
            report(complete, f"{lang}.po has no untranslated or fuzzy message ({stats})",
                   c.stderr)

            if x.returncode != 0:
                report(False, f"{lang}.po covers the current sources", "xgettext: " + x.stderr)
                continue
            m = run(["msgcmp", po, pot])
            with open(pot, encoding="utf-8") as f:
                pot_lines = f.read().splitlines()
            missing = []
            for line_no in re.findall(r"\.pot:(\d+): this message is used but not defined",
                                      m.stderr):
                # msgcmp points at the entry; collect its msgid lines.
                i = min(int(line_no) - 1, len(pot_lines) - 1)
                while i > 0 and not pot_lines[i].startswith("msgid "):
                    i -= 1
                text = pot_lines[i][len("msgid "):]
                j = i + 1
                while j < len(pot_lines) and pot_lines[j].startswith('"'):
                    text += pot_lines[j]
                    j += 1
                missing.append("missing or untranslated: " + text.replace('""', ''))
            report(m.returncode == 0, f"{lang}.po translates every string in the sources",
                   "\n".join(missing) or m.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
