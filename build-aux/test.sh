#!/usr/bin/env bash
# Install what is missing (Debian 12), build, and run the whole test suite
# (GUI tests under Xvfb).  Ends with "N passed, N failed[, N skipped]" and
# exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

gb_install_packages locales
gb_build

# A decimal-comma locale, so the tests that check numbers are read and written
# locale-independently (GTK sets the user's locale) run instead of skipping.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && [ "$(id -u)" -eq 0 ] \
   && [ -f /etc/locale.gen ]; then
  sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  locale-gen >/dev/null 2>&1 || echo "warning: locale-gen failed; the decimal-comma tests will skip" >&2
fi

export GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1
# A test that crashes leaves a core file for the backtrace printed below.
ulimit -c unlimited 2>/dev/null || true
find "$GB_BUILD" -maxdepth 2 -type f \( -name core -o -name 'core.[0-9]*' \) -delete 2>/dev/null || true
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$GB_BUILD" --print-errorlogs --num-processes 1 "$@" || status=$?
if [ $status -ne 0 ]; then
  python3 "$GB_ROOT/build-aux/report-failures.py" "$GB_BUILD" || true
fi

# Count the individual GLib test cases from the TAP output meson recorded.
python3 "$GB_ROOT/build-aux/count-tests.py" "$GB_BUILD/meson-logs/testlog.json" || status=$?
exit $status
