#!/usr/bin/env bash
# Layer: the whole native CTest suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer (clang), with leak detection: any overflow,
# use-after-free, leak or undefined behaviour anywhere fails the layer.
# This includes the fuzz regression replays and the allocation-failure
# sweep (whose own leak count LeakSanitizer double-checks).
set -euo pipefail
source "$(dirname "$0")/common.sh"
mkdir -p "$BUILD"
cmake_build "$BUILD/asan" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
    -DSW_SANITIZE="address;undefined"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$BUILD/asan" --output-on-failure -j "$JOBS"
