#!/usr/bin/env bash
# sharewall in five minutes: the README's "try it" command.
#
# On a fresh Debian 12 machine (as root, or a user with sudo) this installs
# what it needs, builds the engine and the `sharewall` command into
# build/demo, and walks through the policy author's main job. Re-running it
# is cheap: nothing is installed twice and the build is incremental.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# apt_ensure (install only what is missing, apt-get update first) and
# as_root come from the test suite's helpers.
source "$ROOT/tests/lib/common.sh"
BUILD=${SW_DEMO_BUILD:-$ROOT/build/demo}
cd "$ROOT"

heading() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }
# Show a command, then run it; a non-zero exit is part of the story here
# (deny with --exit-code, a failing check), so report it instead of dying.
show() {
    local shown="" a
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./:=,-]+$ ]]; then shown+="$a "; else shown+="'$a' "; fi
    done
    printf '\n\033[36m$ %s\033[0m\n' "$shown"
    local rc=0
    "$@" || rc=$?
    [ $rc -eq 0 ] || printf '\033[2m(exit %d)\033[0m\n' "$rc"
}

heading "1. Install and build"
apt_ensure build-essential cmake pkg-config libyaml-dev libpcre2-dev
mkdir -p "$(dirname "$BUILD")"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSW_BUILD_TESTS=OFF >"$BUILD.configure.log" 2>&1 ||
    { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" --target sharewall -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
SW="$BUILD/src/cli/sharewall"
"$SW" --version
sharewall() { "$SW" "$@"; }

ALLOW=examples/policies/allowlist-fileservers.yaml
ADMIN=examples/policies/block-admin-shares.yaml

heading "2. Check a policy: load it, lint it, run its tests"
show sharewall check "$ALLOW" policy/default.yaml
echo
echo "A policy with mistakes gets file:line:col errors and warnings:"
show sharewall check tests/cli/data/lint.yaml

heading "3. Test names against the allow-list of corporate file servers"
show sharewall test "$ALLOW" '\\fs01.corp.example.com\finance'
show sharewall test "$ALLOW" '\\files.attacker.example.net\share'
echo
echo "For scripts, --exit-code maps allow to 0 and deny to 3:"
show sharewall test "$ALLOW" '\\10.1.2.3\finance' --exit-code

heading "4. Bypass spellings of a denied share are still denied"
echo "block-admin-shares.yaml denies C\$ and ADMIN\$ except to administrators."
# A batch from stdin (TSV out): name, action, rule are the first columns.
printf '%s\n' '\\srv01\C$' '//SRV01/c$/' '\\?\UNC\srv01\c$\windows\..' \
    '\\.\UNC\srv01.corp.example.com.\c$' '\\192.0.2.10\ADMIN$\.' '\\0x7f.1\c$' '\\srv01\public' |
    "$SW" test "$ADMIN" --batch - 2>/dev/null |
    awk -F'\t' '!/^#/ { printf "  %-38s -> %s by %s\n", $1, $2, $3 }'
echo
echo "... and an administrator (by group SID) is let through:"
show sharewall test "$ADMIN" '\\srv01\c$' --group S-1-5-32-544

heading "5. Explain one decision, rule by rule"
show sharewall explain examples/policies/audit-rollout.yaml '\\NAS2.\photos\..\2026' --user 'CORP\bob'

heading "6. Canonical forms"
show sharewall canon '\\?\UNC\FS01.Corp.Example.COM.\Share\a\.\b\..\c' \
    'https://dav.example.org:8443/x/y' '\\127.0.0.2\c$' '\\0x7f.0.0.1\x'

heading "7. A batch: one request per line (names or JSON), one decision per line"
show sharewall test "$ALLOW" --batch examples/requests.txt

heading "8. Replay a log: what would change under a new policy?"
echo "examples/logs/sample.jsonl was logged under block-webdav-external.yaml;"
echo "replay it against the allow-list before enforcing that:"
show sharewall replay "$ALLOW" examples/logs/sample.jsonl

# ---- Windows: the real DLL under Wine --------------------------------------
heading "9. The real DLL under Wine: a veto and a logged connection"
if [ "${SW_DEMO_WINE:-1}" = 0 ]; then
    echo "skipped (SW_DEMO_WINE=0)"
else
    echo "Cross-build sharewall.dll with mingw-w64 (the first run also builds"
    echo "libyaml and pcre2 from Debian's sources) and load it the way Windows'"
    echo "MPR does, through tests/wine/mprsim.exe (Wine's own mpr.dll never"
    echo "calls notification DLLs)."
    apt_ensure mingw-w64 wine wine64 python3
    WIN=$ROOT/build/demo-mingw-x64
    [ -d "$ROOT/.deps/x86_64-w64-mingw32/lib" ] || bash "$ROOT/installer/build-deps.sh" x86_64-w64-mingw32
    cmake -S "$ROOT" -B "$WIN" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-x86_64-w64-mingw32.cmake" \
        -DCMAKE_BUILD_TYPE=Release >"$WIN.configure.log" 2>&1 || { cat "$WIN.configure.log"; exit 1; }
    cmake --build "$WIN" --target sharewall_dll mprsim -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
    export WINEPREFIX=$ROOT/build/demo-wineprefix WINEDEBUG=-all
    [ -d "$WINEPREFIX" ] || wineboot -i >/dev/null 2>&1
    winpath() { printf 'Z:%s' "${1//\//\\}"; }
    work=$ROOT/build/demo-wine-work
    rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
    install -m 644 "$ALLOW" "$work/policy.yaml"
    # Registered as the installer does: a REG_EXPAND_SZ value under Notifyees.
    show wine reg add 'HKLM\SYSTEM\CurrentControlSet\Control\NetworkProvider\Notifyees' \
        /v sharewall /t REG_EXPAND_SZ /d "$(winpath "$WIN/src/win/sharewall.dll")" /f
    cat >"$work/demo.scn" <<SCN
reg-set installer PolicyPath expand $(winpath "$work/policy.yaml")
reg-set installer LogPath expand $(winpath "$work/log.jsonl")
add \\\\fs01.corp.example.com\\finance Z:
add \\\\fs01.corp.example.com\\C\$
add \\\\10.1.2.3\\finance
SCN
    echo
    echo "The scenario: configure, then map three names (1223 = vetoed):"
    cat "$work/demo.scn"
    show wine "$WIN/tests/wine/mprsim.exe" "$(winpath "$work/demo.scn")"
    echo
    echo "What the DLL logged (LogPath, JSON lines; the Event Log gets the same):"
    python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["event"].ljust(14), r.get("raw", r.get("message", "")), r.get("rule", ""), r.get("status", ""))' "$work/log.jsonl"
fi
# ---- end of the Windows part -----------------------------------------------

heading "Done"
echo "The sharewall command is $SW; docs/cli.md describes every command."
