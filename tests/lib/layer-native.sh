#!/usr/bin/env bash
# Layer: native GCC build (-Werror) and the whole CTest suite.
set -euo pipefail
source "$(dirname "$0")/common.sh"
mkdir -p "$BUILD"
cmake_build "$BUILD/native" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc
ctest --test-dir "$BUILD/native" --output-on-failure -j "$JOBS"
