#!/usr/bin/env bash
# Layer: sharewall.dll under Wine through the MPR simulator (tests/wine/).
# Reuses the cross-build trees of the winbuild layer (build/mingw-x64,
# build/mingw-x86), building in them only the targets this layer needs;
# configures them itself when run alone. x86 runs when Wine can run 32-bit
# programs (wine32), and is skipped with the reason printed otherwise.
set -euo pipefail
source "$(dirname "$0")/common.sh"
apt_ensure wine wine64 python3

status=0
for arch in x64 x86; do
    triple=$(mingw_triple "$arch")
    tree=$BUILD/mingw-$arch
    banner "wine $arch"
    if [ ! -f "$tree/CMakeCache.txt" ]; then
        [ -d "$ROOT/.deps/$triple/lib" ] || bash "$ROOT/installer/build-deps.sh" "$triple"
        mkdir -p "$BUILD"
        cmake -S "$ROOT" -B "$tree" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-$triple.cmake" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$tree.configure.log" 2>&1 ||
            { cat "$tree.configure.log"; exit 1; }
    fi
    cmake --build "$tree" -j "$JOBS" --target sharewall_dll mprsim msgtable sharewall sharewall
    if [ $arch = x86 ]; then
        # A 32-bit program that prints its usage and exits 2 when it runs.
        rc=0
        WINEDEBUG=-all WINEPREFIX="$tree/wineprefix-probe" wine "$tree/tests/wine/msgtable.exe" \
            >/dev/null 2>&1 || rc=$?
        rm -rf "$tree/wineprefix-probe"
        if [ $rc -ne 2 ]; then
            echo "SKIPPED wine x86: this Wine cannot run 32-bit programs (install wine32:i386" \
                 "after 'dpkg --add-architecture i386' to run them)"
            continue
        fi
    fi
    bash "$ROOT/tests/wine/run-wine-tests.sh" "$tree" || status=1
    if [ $arch = x64 ]; then
        # sharewall.exe must print what the native CLI prints.
        banner "wine x64: sharewall.exe vs the native CLI"
        native=$BUILD/native/src/cli/sharewall
        if [ ! -x "$native" ]; then
            mkdir -p "$BUILD"
            cmake_build "$BUILD/native" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc >/dev/null
        fi
        bash "$ROOT/tests/wine/cli-parity.sh" "$tree" "$native" || status=1
    fi
done
exit $status
