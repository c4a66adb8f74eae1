#!/usr/bin/env python3
"""Checks flatpak/org.glassbox.Glassbox.yml without flatpak-builder (TAP):
it parses as YAML; it targets the GNOME runtime; its id matches the
.desktop and .metainfo files; it builds OpenBLAS, GSL and libcsv before
Glassbox (meson, -Dgui=true); every remote source is pinned (archive with a
sha256, git with a commit); and the sandbox has exactly the permissions
Glassbox needs: IPC, Wayland with X11 fallback, DRI, and network (for the
Hugging Face Hub download), and no --filesystem (files go through portals).

Usage: check-flatpak-manifest.py SOURCE_ROOT
"""
import os
import re
import sys

n = 0
failed = 0


def check(ok, name, detail=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
        if detail:
            print(f"# {detail}")
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")


def main():
    root = os.path.abspath(sys.argv[1])
    path = os.path.join(root, "flatpak", "org.glassbox.Glassbox.yml")
    print("1..9")
    try:
        import yaml
    except ImportError:
        check(False, "PyYAML is available", "install python3-yaml (build-aux/setup.sh lists it)")
        return 1
    try:
        with open(path, encoding="utf-8") as f:
            m = yaml.safe_load(f)
        parsed = isinstance(m, dict)
    except (OSError, yaml.YAMLError) as e:
        check(False, "the manifest parses as YAML", str(e))
        return 1
    check(parsed, "the manifest parses as YAML")
    if not parsed:
        return 1

    app_id = m.get("id") or m.get("app-id")
    desktop = os.path.join(root, "data", f"{app_id}.desktop.in")
    metainfo = os.path.join(root, "data", f"{app_id}.metainfo.xml.in")
    with open(metainfo, encoding="utf-8") as f:
        meta_id = re.search(r"<id>([^<]+)</id>", f.read())
    check(app_id == "org.glassbox.Glassbox" and os.path.exists(desktop)
          and meta_id is not None and meta_id.group(1) == app_id,
          "the app id matches data/*.desktop.in and the metainfo <id>", f"id: {app_id}")

    version = str(m.get("runtime-version", ""))
    check(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk"
          and re.fullmatch(r"\d+", version) is not None and int(version) >= 47,
          f"GNOME runtime {version} (47 or newer)",
          f"runtime {m.get('runtime')} {version}, sdk {m.get('sdk')}")
    check(m.get("command") == "glassbox", "the command is glassbox")

    args = m.get("finish-args") or []
    required = {"--share=ipc", "--socket=fallback-x11", "--socket=wayland", "--device=dri",
                "--share=network"}
    extra = [a for a in args if a not in required]
    check(required <= set(args) and not extra,
          "finish-args: ipc, wayland, fallback-x11, dri and network, nothing else",
          f"missing {sorted(required - set(args))}, unexpected {extra}")
    check(not any(a.startswith(("--filesystem", "--socket=x11", "--device=all")) for a in args),
          "no --filesystem (files only through portals)")

    modules = m.get("modules") or []
    names = [mod.get("name") if isinstance(mod, dict) else mod for mod in modules]
    want = ["openblas", "gsl", "libcsv"]
    order_ok = (names[-1:] == ["glassbox"]
                and all(w in names and names.index(w) < len(names) - 1 for w in want))
    check(order_ok, "OpenBLAS, GSL and libcsv are built before Glassbox", f"modules: {names}")

    gb = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    check(gb.get("buildsystem") == "meson" and "-Dgui=true" in (gb.get("config-opts") or []),
          "Glassbox is built with meson and -Dgui=true")

    problems = []
    for mod in modules:
        if not isinstance(mod, dict):
            problems.append(f"{mod}: external module files are not checked")
            continue
        for src in mod.get("sources") or []:
            kind = src.get("type")
            if kind in ("archive", "file") and "url" in src:
                if not re.fullmatch(r"[0-9a-f]{64}", str(src.get("sha256", ""))):
                    problems.append(f"{mod['name']}: {src['url']} has no valid sha256")
                if not src["url"].startswith("https://"):
                    problems.append(f"{mod['name']}: {src['url']} is not https")
            elif kind == "git" and "url" in src:
                if not re.fullmatch(r"[0-9a-f]{40}", str(src.get("commit", ""))):
                    problems.append(f"{mod['name']}: {src['url']} is not pinned to a commit")
            elif kind == "dir":
                if mod is not gb:
                    problems.append(f"{mod['name']}: a local dir source outside Glassbox")
            else:
                problems.append(f"{mod.get('name')}: source type {kind} not checked")
    check(not problems, "every remote source is pinned (sha256 or commit)", "; ".join(problems))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
