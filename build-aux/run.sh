#!/usr/bin/env bash
# Install what is missing (Debian 12), build, and run the main job on the
# bundled example (UCI Adult):
#   - with a display: the Glassbox window opens on the example, ready to run;
#   - without a display, or with --headless: glassbox-audit --example writes
#     glassbox-example-audit.pdf and .json in the current folder.
set -euo pipefail
here=$(pwd)
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

headless=0
for a in "$@"; do
  case $a in
    --headless) headless=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

gb_install_packages
gb_build

if [ $headless -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec "$GB_BUILD/app/glassbox" --example
fi
cd "$here"
"$GB_BUILD/app/glassbox-audit" --example
