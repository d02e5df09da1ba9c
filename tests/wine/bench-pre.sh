#!/usr/bin/env bash
# The DLL's figures under Wine, for tests/bench/run.sh: PRE calls per second
# through the MPR simulator (stress.scn: 8 threads x 10,000 add operations
# with JSON logging while the policy is rewritten every 2 ms) and the
# private memory that loading the DLL adds before the first connection
# (deny.scn's #measure). Needs the x64 cross-build (tests/run-all.sh
# winbuild). Prints one line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TREE=${1:-$ROOT/build/mingw-x64}
out=$(bash "$ROOT/tests/wine/run-wine-tests.sh" "$TREE" "$ROOT/tests/wine/scenarios/stress.scn" \
      "$ROOT/tests/wine/scenarios/deny.scn" 2>&1)
rate=$(sed -n 's/.*ops_per_s=\([0-9]*\).*/\1/p' <<<"$out" | head -1)
load=$(sed -n 's/^measure: private bytes before loading: .*(+\([0-9]*\)).*/\1/p' <<<"$out" | head -1)
first=$(sed -n 's/^measure: private bytes after the first call: .*(+\([0-9]*\)).*/\1/p' <<<"$out" | head -1)
[ -n "$rate" ] && [ -n "$load" ] || { echo "bench-pre: no figures in the Wine run" >&2; exit 1; }
printf '%s PRE calls/s (8 threads, logging, rewrites); loading adds %s KiB private, the first call %s KiB\n' \
    "$rate" "$((load / 1024))" "$((${first:-0} / 1024))"
