#!/usr/bin/env bash
# sharewall.exe under Wine must say exactly what the native CLI says: the
# same engine decides on both, and an admin who checks a policy on Linux
# must see what Windows will do.
#
#   tests/wine/cli-parity.sh WIN_TREE NATIVE_SHAREWALL
#
# Compares stdout, stderr and exit code of `check`, `test` (single names
# with context, and a batch), `canon` and `explain` on the shipped policies
# and examples. Windows text-mode output ends lines in CRLF; that is the
# only difference allowed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TREE=$(cd "$1" && pwd)
EXE=$TREE/src/cli/sharewall.exe
NATIVE=$2
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX=${WINEPREFIX:-$TREE/wineprefix-cli}
cd "$ROOT"
[ -f "$EXE" ] || { echo "cli-parity: $EXE was not built"; exit 1; }
[ -x "$NATIVE" ] || { echo "cli-parity: no native sharewall at $NATIVE"; exit 1; }
# A prefix made on first use prints set-up noise: make it first.
[ -d "$WINEPREFIX" ] || wineboot -i >/dev/null 2>&1

passed=0 failed=0
compare() {
    local n_out n_err w_out w_err n_rc w_rc
    n_out=$("$NATIVE" "$@" 2>/tmp/cli-parity.err.$$); n_rc=$?
    n_err=$(cat /tmp/cli-parity.err.$$)
    w_out=$(wine "$EXE" "$@" 2>/tmp/cli-parity.err.$$ | tr -d '\r'); w_rc=${PIPESTATUS[0]}
    w_err=$(tr -d '\r' </tmp/cli-parity.err.$$)
    rm -f /tmp/cli-parity.err.$$
    if [ "$n_out" == "$w_out" ] && [ "$n_err" == "$w_err" ] && [ "$n_rc" -eq "$w_rc" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL sharewall $*: exit native $n_rc, Windows $w_rc"
        diff <(printf '%s\n%s\n' "$n_out" "$n_err") <(printf '%s\n%s\n' "$w_out" "$w_err") | head -20
    fi
}

for p in policy/default.yaml examples/policies/*.yaml tests/cli/invalid/*.yaml; do
    compare check "$p"
done
ALLOW=examples/policies/allowlist-fileservers.yaml
ADMIN=examples/policies/block-admin-shares.yaml
for name in '\\fs01.corp.example.com\finance' '\\?\UNC\FS01.corp.example.com\finance\..\x' \
            '//evil.example.net/share' '\\fs01\c$' 'https://fs01.corp.example.com/docs' \
            '\\127.0.0.1\c$' '\\0x7f.0.0.1\c$' '\\srv\Données'; do
    compare test "$ALLOW" "$name"
    compare test "$ADMIN" "$name" --user 'CORP\alice' --group 'CORP\Domain Admins' --local Z:
    compare test "$ADMIN" "$name" --json
    compare canon "$name"
done
compare test "$ALLOW" --batch examples/requests.txt
compare test "$ALLOW" --batch examples/requests.txt --json
compare explain "$ADMIN" '\\fs01\ADMIN$' --group 'CORP\Domain Admins'
compare replay "$ALLOW" examples/logs/sample.jsonl
echo "cli parity: $passed passed, $failed failed"
[ $failed -eq 0 ]
