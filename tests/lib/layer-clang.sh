#!/usr/bin/env bash
# Layer: the same tree built with clang (-Werror), tests run again: the
# code must be warning-free under both compilers.
set -euo pipefail
source "$(dirname "$0")/common.sh"
mkdir -p "$BUILD"
cmake_build "$BUILD/clang" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang
ctest --test-dir "$BUILD/clang" --output-on-failure -j "$JOBS"
