#!/usr/bin/env bash
# Run sharewall.dll under Wine through the MPR simulator.
#
#   tests/wine/run-wine-tests.sh BUILD-DIR [SCENARIO.scn...]
#
# BUILD-DIR is a mingw cross-build tree (build/mingw-x64 or build/mingw-x86)
# holding src/win/sharewall.dll and tests/wine/{mprsim,msgtable}.exe. A
# fresh WINEPREFIX is made under BUILD-DIR, the DLL is registered under the
# Notifyees key exactly as the installer does, and every scenario runs in
# its own mprsim process against a fresh work folder:
#   - `#policy FILE`  copies tests/wine/policies/FILE to the work folder as
#                     policy.yaml before the run;
#   - `#chmod MODE PATH` applies chmod to a path in the work folder (Wine
#                     turns the "other" bits into an Everyone ACE);
#   - the scenario's own expect-* lines check return codes and POSTs;
#   - `#log` / `#stress-log` lines check the JSON-lines log afterwards
#     (tests/wine/logcheck.py).
# Exit status: 0 when everything passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=$(cd "${1:?usage: run-wine-tests.sh BUILD-DIR [SCENARIO...]}" && pwd)
shift
SCENARIOS=("$@")
ALL=$([ $# -eq 0 ] && echo 1 || echo 0)
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=("$HERE"/scenarios/*.scn)

DLL=$BUILD_DIR/src/win/sharewall.dll
MPRSIM=$BUILD_DIR/tests/wine/mprsim.exe
MSGTABLE=$BUILD_DIR/tests/wine/msgtable.exe
for f in "$DLL" "$MPRSIM" "$MSGTABLE"; do
    [ -f "$f" ] || { echo "run-wine-tests: missing $f (build the Windows tree first)" >&2; exit 2; }
done

# Wine paths: Z: is the Unix root.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

export WINEPREFIX=$BUILD_DIR/wineprefix
export WINEDEBUG=-all
WORK=$BUILD_DIR/wine-work
OUT=$BUILD_DIR/wine-out
rm -rf "$WINEPREFIX" "$OUT"
mkdir -p "$OUT"

echo "wine: preparing a fresh prefix in $WINEPREFIX"
wineboot -i >"$OUT/wineboot.log" 2>&1 || { cat "$OUT/wineboot.log"; exit 2; }
# Registration as the MSI does it: a REG_EXPAND_SZ value under Notifyees.
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Control\NetworkProvider\Notifyees' \
    /v sharewall /t REG_EXPAND_SZ /d "$(winpath "$DLL")" /f >/dev/null 2>&1 ||
    { echo "run-wine-tests: cannot register the DLL" >&2; exit 2; }

passed=0 failed=0 failed_names=()
result() { # NAME STATUS
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1)); echo "== $1: ok"
    else
        failed=$((failed + 1)); failed_names+=("$1"); echo "== $1: FAILED"
    fi
}

echo; echo "==== message table"
wine "$MSGTABLE" "$(winpath "$DLL")"
result msgtable $?

for scn in "${SCENARIOS[@]}"; do
    scn=$(realpath "$scn")
    name=$(basename "$scn" .scn)
    echo; echo "==== scenario $name"
    rm -rf "$WORK"
    mkdir -p "$WORK"
    chmod 755 "$WORK"
    status=0
    while read -r _ file; do
        install -m 644 "$HERE/policies/$file" "$WORK/policy.yaml"
    done < <(grep '^#policy ' "$scn")
    while read -r _ mode path; do
        chmod "$mode" "$WORK/$path"
    done < <(grep '^#chmod ' "$scn")
    SW_WORK=$(winpath "$WORK") wine "$MPRSIM" $(grep -q '^#measure' "$scn" && echo --measure-load) \
        "$(winpath "$scn")" 2>&1 | tee "$OUT/$name.out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    python3 "$HERE/logcheck.py" "$scn" "$WORK/log.jsonl" "$OUT/$name.out" || status=1
    # `#rotated CAP`: both files exist, neither passes CAP, no torn line.
    while read -r _ cap; do
        for f in "$WORK/log.jsonl" "$WORK/log.jsonl.1"; do
            size=$(stat -c %s "$f" 2>/dev/null || echo missing)
            if [ "$size" = missing ] || [ "$size" -gt "$cap" ] ||
               ! python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$f"; then
                echo "FAIL $name: $f is $size bytes (cap $cap) or not clean JSON lines"; status=1
            else
                echo "ok   $name: $(basename "$f") $size bytes, $(wc -l <"$f") whole lines"
            fi
        done
    done < <(grep '^#rotated ' "$scn")
    cp "$WORK/log.jsonl" "$OUT/$name.jsonl" 2>/dev/null
    result "$name" $status
done

# `sharewall status` reports the configuration and where each value comes
# from, whether the policy loads, and the registration.
CLI=$BUILD_DIR/src/cli/sharewall.exe
if [ -f "$CLI" ] && [ "$ALL" = 1 ]; then
    echo; echo "==== sharewall status"
    rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
    install -m 644 "$HERE/policies/basic.yaml" "$WORK/policy.yaml"
    SW_WORK=$(winpath "$WORK") wine "$MPRSIM" "$(winpath "$HERE/scenarios/status.setup")" >/dev/null
    wine "$CLI" status >"$OUT/status.out" 2>&1
    rc=$?
    cat "$OUT/status.out"
    status=0
    [ $rc -eq 0 ] || { echo "FAIL status: exit $rc, expected 0"; status=1; }
    for want in 'PolicyPath .*policy\.yaml +\(installer key\)' \
                'Mode +audit +\(Policies key \(Group Policy\)\)' \
                'Enabled +0 .*\(installer key\)' \
                'LogMaxBytes +10485760 bytes +\(default\)' \
                'loads: 2 rules from 1 files; mode in force audit \(registry\)' \
                'sharewall = .*sharewall\.dll -> .*\(present\)'; do
        grep -Eq "$want" "$OUT/status.out" || { echo "FAIL status: no line matching /$want/"; status=1; }
    done
    chmod o+w "$WORK/policy.yaml"
    wine "$CLI" status >"$OUT/status-refused.out" 2>&1
    rc=$?
    grep -q 'REFUSED by the DLL: the policy file grants Everyone' "$OUT/status-refused.out" && [ $rc -eq 1 ] ||
        { cat "$OUT/status-refused.out"; echo "FAIL status: a world-writable policy must be reported, exit 1 (got $rc)"; status=1; }
    result status $status
elif [ "$ALL" = 1 ]; then
    echo; echo "SKIPPED sharewall status: $CLI was not built"
fi

echo
[ $failed -gt 0 ] && echo "wine tests failed: ${failed_names[*]}"
echo "wine tests: $passed passed, $failed failed ($(basename "$BUILD_DIR"))"
[ $failed -eq 0 ]
