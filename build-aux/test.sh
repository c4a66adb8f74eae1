#!/usr/bin/env bash
# Install what is missing (Debian 12), build, and run the whole test suite
# (GUI tests under Xvfb).  Ends with "N passed, N failed[, N skipped]" and
# exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

gb_install_packages
gb_build

export GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$GB_BUILD" --print-errorlogs --num-processes 1 "$@" || status=$?

# Count the individual GLib test cases from the TAP output meson recorded.
python3 "$GB_ROOT/build-aux/count-tests.py" "$GB_BUILD/meson-logs/testlog.json" || status=$?
exit $status
