#!/usr/bin/env bash
# Layer: the Windows cross-build. Static libyaml/pcre2/cmocka from Debian's
# source packages (installer/build-deps.sh), the whole tree built for x64
# and x86 with mingw-w64 (-Werror, tests on), the CTest suite of the x64
# build run under 64-bit Wine (and of the x86 build under 32-bit Wine when
# wine32 can be installed), and the PE checks: sharewall.dll exports exactly
# AddConnectNotify/CancelConnectNotify undecorated, carries a version
# resource, and it and sharewall.exe import system DLLs only.
# Leaves build/mingw-x64 and build/mingw-x86 configured for the wine and
# msi layers.
set -euo pipefail
source "$(dirname "$0")/common.sh"
apt_ensure mingw-w64 binutils-mingw-w64 wine wine64 dpkg-dev cmake make pkg-config
mkdir -p "$BUILD"

# Every Wine program here is a console program: no X server is needed, and
# none is used even when the caller has one (the run must not depend on it).
unset DISPLAY WAYLAND_DISPLAY
export WINEDEBUG=-all
# No Gecko/Mono install prompts: nothing here needs mshtml or .NET.
export WINEDLLOVERRIDES="mscoree,mshtml="

banner "winbuild: dependencies"
start=$SECONDS
bash "$ROOT/installer/build-deps.sh" x86_64-w64-mingw32 i686-w64-mingw32
echo "winbuild: dependencies ready in $((SECONDS - start)) s"

# Install 32-bit Wine if possible. Prints the reason and returns 1 when it
# cannot; adding the i386 architecture is undone on failure so a later
# apt-get update elsewhere is not broken by an archive without i386.
wine32_ready() {
    [ -x /usr/lib/wine/wine ] && return 0
    local added=0 log=$BUILD/wine32-install.log
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        as_root dpkg --add-architecture i386
        added=1
    fi
    # An index that fails to download is only a warning if the packages
    # can still be resolved from the others: let the install decide.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 || true
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
           --no-install-recommends wine32:i386 >>"$log" 2>&1 &&
       [ -x /usr/lib/wine/wine ]; then
        echo "winbuild: wine32:i386 installed"
        return 0
    fi
    echo "winbuild: wine32:i386 could not be installed; apt said:"
    grep -E '^(E|W):|unmet|Depends:|Unable|404' "$log" | head -n 15 | sed 's/^/    /'
    if [ $added -eq 1 ]; then
        as_root dpkg --remove-architecture i386 2>/dev/null &&
            as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
    fi
    return 1
}

banner "winbuild: check-pe.sh self-test"
bash "$ROOT/tests/win/check-pe-selftest.sh" "$BUILD/check-pe-selftest"

banner "winbuild: 32-bit Wine"
if wine32_ready; then run_x86=1; else run_x86=0; fi

# ctest_under_wine TREE PREFIX: the tree's whole CTest suite through the
# toolchain's emulator, in a fresh Wine prefix.
ctest_under_wine() {
    local tree=$1
    export WINEPREFIX=$2
    rm -rf "$WINEPREFIX"
    wineboot -i >"$tree/wineboot.log" 2>&1 || { cat "$tree/wineboot.log"; return 1; }
    ctest --test-dir "$tree" --output-on-failure -j "$JOBS" --timeout 600
    wineserver -k 2>/dev/null || true
    unset WINEPREFIX
}

status=0
for arch in x64 x86; do
    triple=$(mingw_triple "$arch")
    tree=$BUILD/mingw-$arch
    banner "winbuild: $arch build"
    cmake_build "$tree" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-$triple.cmake" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_WERROR=ON -DSW_BUILD_TESTS=ON -DBUILD_TESTING=ON

    banner "winbuild: $arch PE checks"
    if [ -f "$ROOT/src/win/CMakeLists.txt" ]; then
        bash "$ROOT/tests/win/check-pe.sh" --exports AddConnectNotify,CancelConnectNotify \
            --version-resource "$tree/src/win/sharewall.dll" || status=1
    else
        echo "winbuild: NOTE: src/win/CMakeLists.txt does not exist yet: no sharewall.dll to check"
    fi
    if [ -f "$ROOT/src/cli/CMakeLists.txt" ]; then
        # The CLI may also use SHELL32 (CommandLineToArgvW for UTF-8 argv).
        bash "$ROOT/tests/win/check-pe.sh" --allow SHELL32.dll --version-resource "$tree/src/cli/sharewall.exe" || status=1
    else
        echo "winbuild: NOTE: src/cli/CMakeLists.txt does not exist yet: no sharewall.exe to check"
    fi
    for f in "$tree/src/win/sharewall.dll" "$tree/src/cli/sharewall.exe"; do
        [ -f "$f" ] || continue
        stripped=$("$triple-strip" -o "$f.stripped" "$f" && stat -c %s "$f.stripped")
        rm -f "$f.stripped"
        echo "winbuild: $arch ${f##*/}: $(stat -c %s "$f") bytes ($stripped stripped)"
    done

    if [ $arch = x86 ] && [ $run_x86 -eq 0 ]; then
        echo "SKIPPED x86 tests under Wine: no 32-bit Wine (reason above)"
        continue
    fi
    banner "winbuild: $arch tests under Wine"
    ctest_under_wine "$tree" "$BUILD/wineprefix-$arch" || status=1
done
exit $status
