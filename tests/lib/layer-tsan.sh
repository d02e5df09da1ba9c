#!/usr/bin/env bash
# Layer: ThreadSanitizer build of the concurrency tests — 8 threads
# deciding while a ninth loads and swaps in a fresh policy every
# millisecond (tests/unit/test_stress.c), and several threads on one
# policy (tests/unit/test_threads.c). Any data race halts with an error.
set -euo pipefail
source "$(dirname "$0")/common.sh"
mkdir -p "$BUILD"
cmake_build "$BUILD/tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DSW_SANITIZE=thread
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
export SW_STRESS_MS=${SW_STRESS_MS:-4000}
# Some kernels randomise mmap beyond what ThreadSanitizer's fixed memory
# layout allows ("unexpected memory mapping"): run without ASLR if we may.
run=()
if command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null; then
    run=(setarch "$(uname -m)" -R)
fi
log="$BUILD/tsan.log"
status=0
"${run[@]}" ctest --test-dir "$BUILD/tsan" --output-on-failure -V \
    -R '^unit\.test_(stress|threads)$' >"$log" 2>&1 || status=$?
grep -E 'stress: |tests passed|ThreadSanitizer' "$log" || true
[ $status -eq 0 ] || { tail -n 80 "$log"; exit 1; }
