#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: install the Debian 12 packages that are
# missing, then configure and build with meson into ./build.
# Sourced, not executed: sets GB_ROOT and GB_BUILD.
set -euo pipefail

GB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GB_BUILD=${GB_BUILD:-$GB_ROOT/build}

gb_packages=(
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libopenblas-dev liblapacke-dev libgsl-dev libcsv-dev
  libjson-glib-dev libsoup-3.0-dev libcairo2-dev libpango1.0-dev
  fonts-dejavu-core fonts-noto-cjk
  xvfb xauth dbus poppler-utils desktop-file-utils appstream
  python3-yaml
)

gb_install_packages() {
  local missing=()
  for p in "${gb_packages[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

gb_build() {
  if [ ! -f "$GB_BUILD/build.ninja" ]; then
    meson setup "$GB_BUILD" "$GB_ROOT" "$@"
  fi
  ninja -C "$GB_BUILD"
}
