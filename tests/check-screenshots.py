#!/usr/bin/env python3
"""Checks the metainfo's <screenshots> against data/screenshots/ (TAP):
exactly one default screenshot; each has a caption and a source image whose
URL ends in a file of data/screenshots/; that file is a PNG of the width and
height the metainfo states; and every PNG there is referenced.

Usage: check-screenshots.py SOURCE_ROOT
"""
import os
import struct
import sys
import xml.etree.ElementTree as ET


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    root = os.path.abspath(sys.argv[1])
    shots_dir = os.path.join(root, "data", "screenshots")
    tree = ET.parse(os.path.join(root, "data", "org.glassbox.Glassbox.metainfo.xml.in"))
    shots = tree.getroot().findall("./screenshots/screenshot")
    problems = []
    used = set()
    defaults = [s for s in shots if s.get("type") == "default"]
    if len(defaults) != 1:
        problems.append(f"{len(defaults)} default screenshots (want exactly 1)")
    for s in shots:
        caption = s.find("caption")
        image = s.find("image")
        if caption is None or not (caption.text or "").strip():
            problems.append("a screenshot without a caption")
        if image is None or not (image.text or "").strip():
            problems.append("a screenshot without an image")
            continue
        url = image.text.strip()
        name = url.rsplit("/", 1)[-1]
        path = os.path.join(shots_dir, name)
        used.add(name)
        if not url.startswith("https://"):
            problems.append(f"{url} is not https")
        if not os.path.isfile(path):
            problems.append(f"{url}: no data/screenshots/{name}")
            continue
        size = png_size(path)
        want = (int(image.get("width", 0)), int(image.get("height", 0)))
        if size is None:
            problems.append(f"data/screenshots/{name} is not a PNG")
        elif want != (0, 0) and size != want:
            problems.append(f"data/screenshots/{name} is {size[0]}x{size[1]}, "
                            f"the metainfo says {want[0]}x{want[1]}")
    for name in sorted(os.listdir(shots_dir)) if os.path.isdir(shots_dir) else []:
        if name.endswith(".png") and name not in used:
            problems.append(f"data/screenshots/{name} is not in the metainfo")
    print("1..1")
    for p in problems:
        print(f"# {p}")
    ok = not problems and len(shots) >= 3
    print(f"{'ok' if ok else 'not ok'} 1 - {len(shots)} metainfo screenshots match data/screenshots/")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
