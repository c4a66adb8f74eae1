#!/bin/sh
# Builds tests/fuzz/fuzz-csv with clang (ASan, UBSan, libFuzzer) in
# build-fuzz/ and runs it for SECONDS (default 600) over a copy of the seed
# corpus.  Crashes are written to build-fuzz/fuzz-artifacts/.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
build=${GB_FUZZ_BUILD:-$src/build-fuzz}
if [ ! -d "$build" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dgui=false -Db_lundef=false
fi
ninja -C "$build" tests/fuzz/fuzz-csv
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts"
cp -n "$src"/tests/fuzz/corpus/* "$build/fuzz-corpus/" 2>/dev/null || true
exec "$build/tests/fuzz/fuzz-csv" -max_total_time="$secs" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 \
  "$build/fuzz-corpus"
