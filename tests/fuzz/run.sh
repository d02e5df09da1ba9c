#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) into build/fuzz and
# run each for SECONDS (default 60), all at once, one core each.
#
#   tests/fuzz/run.sh 30          the quick run of tests/run-all.sh
#   tests/fuzz/run.sh 3600        a longer campaign (see docs/security.md)
#
# Inputs that grow coverage accumulate in build/fuzz/corpus/<target>/ (the
# checked-in seeds in tests/fuzz/corpus/<target>/ are only read). A crash
# is saved as build/fuzz/artifacts/<target>/crash-*: minimise it with
# `<target> -minimize_crash=1 FILE`, fix the bug, then check the input in
# under tests/fuzz/regressions/<target>/ so CTest replays it forever.
# Exit status: 0 when no target found a crash.
set -uo pipefail

SECONDS_PER_TARGET=${1:-60}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${SW_FUZZ_BUILD:-$ROOT/build/fuzz}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
TARGETS=(fuzz_policy_load fuzz_canon fuzz_decide)

mkdir -p "$BUILD"
cmake -S "$ROOT" -B "$BUILD" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DSW_SANITIZE="address;undefined" -DSW_FUZZ=ON \
    >"$BUILD.configure.log" 2>&1 || { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" -j "$JOBS" --target "${TARGETS[@]}" || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

stamp="$BUILD/run.stamp"
touch "$stamp"
pids=()
for t in "${TARGETS[@]}"; do
    mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
    # -timeout: one input running longer than this is a hang, i.e. a bug.
    "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/" \
        "$BUILD/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" >"$BUILD/$t.log" 2>&1 &
    pids+=($!)
done

status=0
for i in "${!TARGETS[@]}"; do
    t=${TARGETS[$i]}
    wait "${pids[$i]}"
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/$t.log" | tail -n 1)
    crashes=$(find "$BUILD/artifacts/$t" -type f -newer "$stamp" | wc -l)
    printf '%-18s %12s executions in %ss, %s new crash file(s)\n' "$t" "${execs:-?}" \
        "$SECONDS_PER_TARGET" "$crashes"
    if [ $rc -ne 0 ]; then
        status=1
        echo "---- $t failed (exit $rc); last lines of $BUILD/$t.log:"
        grep -v '^#' "$BUILD/$t.log" | tail -n 40
    fi
done
exit $status
