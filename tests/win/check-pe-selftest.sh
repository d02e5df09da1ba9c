#!/usr/bin/env bash
# Show that tests/win/check-pe.sh fails when it must: build pe-fixture.c
# as a correct notifyee DLL (static runtime, .def exports, version
# resource) and as each kind of wrong one, for x64 and x86, and require
# check-pe.sh to pass the first and reject each of the others with the
# matching reason.
#   tests/win/check-pe-selftest.sh [WORKDIR]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
EXPORTS=AddConnectNotify,CancelConnectNotify
failures=0

# expect OUTCOME PATTERN DLL: run check-pe.sh on DLL; OUTCOME pass|fail;
# on fail the output must match PATTERN (the reason).
expect() {
    local outcome=$1 pattern=$2 dll=$3 out rc=0
    out=$(bash "$HERE/check-pe.sh" --exports "$EXPORTS" --version-resource "$dll" 2>&1) || rc=$?
    if [ "$outcome" = pass ] && [ $rc -eq 0 ]; then
        echo "ok: ${dll##*/} passes"
    elif [ "$outcome" = fail ] && [ $rc -ne 0 ] && grep -q -- "$pattern" <<<"$out"; then
        echo "ok: ${dll##*/} rejected ($pattern)"
    else
        echo "FAIL: ${dll##*/}: expected $outcome${pattern:+ ($pattern)}, check-pe said (rc $rc):"
        sed 's/^/    /' <<<"$out"
        failures=$((failures + 1))
    fi
}

for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
    cc=$triple-gcc-win32
    posix_cc=$triple-gcc-posix
    src=$HERE/pe-fixture.c
    res=$WORK/$triple-version.o
    "$triple-windres" "$HERE/pe-fixture.rc" -O coff -o "$res"
    flags=(-shared -O2 -Wall -Wextra -Werror)
    [ $triple = i686-w64-mingw32 ] && flags+=(-Wl,--enable-stdcall-fixup)

    good=$WORK/$triple-good.dll
    "$cc" "${flags[@]}" -static -o "$good" "$src" "$HERE/pe-fixture.def" "$res"
    expect pass "" "$good"

    # Not static: the posix-threads compiler links libwinpthread-1.dll.
    dyn=$WORK/$triple-winpthread.dll
    "$posix_cc" "${flags[@]}" -DFIXTURE_WINPTHREAD -pthread -o "$dyn" "$src" "$HERE/pe-fixture.def" "$res"
    expect fail "mingw runtime must be linked statically" "$dyn"

    # A third exported function besides the two entry points.
    extra=$WORK/$triple-extra-exports.dll
    "$cc" "${flags[@]}" -static -DFIXTURE_DLLEXPORT -DFIXTURE_EXTRA_EXPORT -o "$extra" "$src" "$res"
    expect fail "expected exactly" "$extra"

    # No version resource.
    nover=$WORK/$triple-no-version.dll
    "$cc" "${flags[@]}" -static -o "$nover" "$src" "$HERE/pe-fixture.def"
    expect fail "no version resource" "$nover"
done

# x86 only: dllexport of a stdcall function without a .def exports the
# decorated name AddConnectNotify@8, which MPR would not find.
decorated=$WORK/i686-decorated.dll
i686-w64-mingw32-gcc-win32 -shared -O2 -static -DFIXTURE_DLLEXPORT -o "$decorated" \
    "$HERE/pe-fixture.c" "$WORK/i686-w64-mingw32-version.o"
expect fail "AddConnectNotify@8" "$decorated"

[ $failures -eq 0 ] && echo "check-pe self-test: all cases behaved" || echo "check-pe self-test: $failures case(s) wrong"
[ $failures -eq 0 ]
