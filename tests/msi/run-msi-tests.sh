#!/usr/bin/env bash
# The MSI, installed, upgraded, repaired and uninstalled for real with Wine's
# msiexec in a fresh prefix, against the real cross-built binaries:
#
#   tests/msi/run-msi-tests.sh
#
# Needs the cross-builds (build/mingw-x64: sharewall.dll, sharewall.exe and
# tests/wine/mprsim.exe; build/mingw-x86: sharewall.dll), wine, wixl and
# msitools. SW_BUILD_ROOT overrides build/. Exits non-zero on the first
# failed check, printing what was expected and what was found.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${SW_BUILD_ROOT:-$ROOT/build}
X64=$BUILD/mingw-x64
X86=$BUILD/mingw-x86
WORK=$BUILD/msi-test
MPRSIM=$X64/tests/wine/mprsim.exe

checks=0
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

for f in "$X64/src/win/sharewall.dll" "$X86/src/win/sharewall.dll" \
         "$X64/src/cli/sharewall.exe" "$MPRSIM"; do
    [ -f "$f" ] || fail "missing $f: build the cross-build trees first (tests/run-all.sh wine msi does)"
done

# --- build two versions from the same binaries ----------------------------
# v1 is the project's version (the MSI a user gets); v2 bumps the build
# field, standing in for the next release in the upgrade checks.
v1=$(sed -n 's/^project(sharewall VERSION \([0-9][0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")
v2=${v1%.*}.$((${v1##*.} + 1))
rm -rf "$WORK"
mkdir -p "$WORK"
msi1=$("$ROOT/installer/build-msi.sh" --x64-build "$X64" --x86-build "$X86" --version "$v1" --out "$WORK/v1" | tail -n 1)
msi2=$("$ROOT/installer/build-msi.sh" --x64-build "$X64" --x86-build "$X86" --version "$v2" --out "$WORK/v2" | tail -n 1)
[ "$(basename "$msi1")" = "sharewall-$v1-x64.msi" ] || fail "unexpected MSI name $msi1"
ok "built $(basename "$msi1") ($(stat -c %s "$msi1") bytes) and $(basename "$msi2")"

# What the installed binaries must be: the builds' outputs, stripped of
# debug sections as build-msi.sh does, and nothing else.
expect_x64=$WORK/expect-x64.dll expect_x86=$WORK/expect-x86.dll expect_exe=$WORK/expect.exe
x86_64-w64-mingw32-strip --strip-debug --preserve-dates -o "$expect_x64" "$X64/src/win/sharewall.dll"
i686-w64-mingw32-strip --strip-debug --preserve-dates -o "$expect_x86" "$X86/src/win/sharewall.dll"
x86_64-w64-mingw32-strip --strip-debug --preserve-dates -o "$expect_exe" "$X64/src/cli/sharewall.exe"
x86_64-w64-mingw32-objdump -h "$expect_x64" | grep -q '\.debug_' && fail "strip left .debug_ sections"

# --- the database itself (msitools) ----------------------------------------
table() { msiinfo export "$msi1" "$1" | tr -d '\r'; }
# Keys go to awk through the environment: awk -v would eat the backslashes.
row() {  # TABLE FIRST-COLUMN: that row, tab-separated
    table "$1" | K=$2 awk -F'\t' 'NR > 3 && $1 == ENVIRON["K"]'
}
reg_rows() {  # KEY NAME: the Value column of each matching Registry row
    table Registry | K=$1 N=$2 awk -F'\t' \
        'NR > 3 && $3 == ENVIRON["K"] && $4 == ENVIRON["N"] { print "[" $5 "]" }'
}
reg_row() { reg_rows "$@" | sed 's/^\[\(.*\)\]$/\1/'; }
NOTIFYEES='SYSTEM\CurrentControlSet\Control\NetworkProvider\Notifyees'
EVENTSRC='SYSTEM\CurrentControlSet\Services\EventLog\Application\sharewall'
DLLPATH='%SystemRoot%\System32\sharewall.dll'

[ "$(reg_row "$NOTIFYEES" sharewall)" = "#%$DLLPATH" ] ||
    fail "Registry table: Notifyees row is '$(reg_row "$NOTIFYEES" sharewall)', expected '#%$DLLPATH' (#% = REG_EXPAND_SZ)"
[ "$(reg_row "$EVENTSRC" EventMessageFile)" = "#%$DLLPATH" ] || fail "Registry table: EventMessageFile row"
[ "$(reg_rows "$EVENTSRC" -)" = "[]" ] ||
    fail "Registry table: no row deleting the event source key on uninstall (Name '-', no value)"
ok "Registry table: REG_EXPAND_SZ (#%) registration and event source, key removal row"

dirs=$(table File | awk -F'\t' 'NR > 3 && $3 == "sharewall.dll" { print $2 }' | sort | tr '\n' ' ')
[ "$dirs" = "DllX64 DllX86 " ] || fail "File table: sharewall.dll components are '$dirs'"
[ "$(row Component DllX64 | cut -f3)" = System64Folder ] || fail "x64 DLL not in System64Folder"
[ "$(row Component DllX86 | cut -f3)" = SystemFolder ] || fail "x86 DLL not in SystemFolder"
attrs=$(row Component DllX64 | cut -f4)
[ $((attrs & 256)) -ne 0 ] || fail "x64 DLL component is not 64-bit (attributes $attrs)"
attrs=$(row Component PolicyFile | cut -f4)
[ $((attrs & 128)) -ne 0 ] && [ $((attrs & 16)) -ne 0 ] ||
    fail "policy component attributes $attrs lack NeverOverwrite (128) and Permanent (16)"
for f in SharewallDllX64 SharewallDllX86; do
    [ "$(row File $f | cut -f5)" = "$v1.0" ] ||
        fail "File table: $f has version '$(row File $f | cut -f5)', expected $v1.0 from its VERSIONINFO"
done
ok "File/Component tables: x64 DLL in System64Folder, x86 in SystemFolder, both versioned; policy NeverOverwrite+Permanent"

row MsiLockPermissionsEx PolicyFolderAcl | grep -qF 'CreateFolder	O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FRFX;;;BU)' ||
    fail "MsiLockPermissionsEx: no lock on the policy folder: $(row MsiLockPermissionsEx PolicyFolderAcl)"
[ "$(row Property ALLUSERS | cut -f2)" = 1 ] || fail "ALLUSERS is not 1 (per-machine)"
msiinfo suminfo "$msi1" | grep -q '^Template: x64;1033' || fail "summary Template is not x64"
ok "policy folder ACL row, per-machine, x64 template"

# --- a fresh Wine prefix ----------------------------------------------------
export WINEPREFIX="$WORK/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEARCH=win64
C="$WINEPREFIX/drive_c"
cleanup() { wineserver -k 2>/dev/null || true; }
trap cleanup EXIT
timeout 300 wineboot -i >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; fail "wineboot"; }

msiexec_run() {  # LOGNAME ARGS...: msiexec with a verbose log; returns its status
    local log="$WORK/$1.log"; shift
    timeout 300 wine msiexec "$@" /qn /l*v "$(winepath -w "$log")" >/dev/null 2>&1
}
# reg_get KEY NAME: "TYPE<TAB>DATA" as Wine's reg.exe shows it, or nothing.
reg_get() {
    wine reg query "HKLM\\$1" /v "$2" 2>/dev/null | tr -d '\r' |
        N=$2 awk 'index($0, "    " ENVIRON["N"] "    ") == 1 {
            $0 = substr($0, length(ENVIRON["N"]) + 9); t = $1
            sub("^[A-Z_]+    ", ""); print t "\t" $0 }'
}
pe_machine() {  # the PE COFF machine field: 8664 x64, 014c x86
    local off
    off=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    od -An -tx2 -j$((off + 4)) -N2 "$1" | tr -d ' '
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
# mprsim_run SCENARIO WHEN: run tests/msi/SCENARIO.scn through mprsim.exe,
# which finds the DLL only through the Notifyees value, as MPR does.
mprsim_run() {
    local out="$WORK/mprsim-${2// /-}.out" rc=0
    timeout 120 wine "$MPRSIM" "$(winepath -w "$ROOT/tests/msi/$1.scn")" \
        >"$out" 2>&1 || rc=$?
    tr -d '\r' <"$out" | sed 's/^/    mprsim: /'
    [ $rc -eq 0 ] || fail "mprsim $2: exit status $rc (output above)"
    tr -d '\r' <"$out" | grep -qiF 'notifyee sharewall: C:\windows\system32\sharewall.dll (AddConnectNotify found' ||
        fail "mprsim $2: did not load sharewall.dll from system32 through the Notifyees value"
}

msiexec_run install-v1 /i "$(winepath -w "$msi1")" || fail "msiexec /i $msi1 failed (log: $WORK/install-v1.log)"
ok "msiexec /i sharewall-$v1-x64.msi /qn"

# --- registry ---------------------------------------------------------------
got=$(reg_get "$NOTIFYEES" sharewall)
[ "$got" = "REG_EXPAND_SZ	$DLLPATH" ] || fail "Notifyees\\sharewall is '$got', expected REG_EXPAND_SZ $DLLPATH"
ok "Notifyees\\sharewall = REG_EXPAND_SZ $DLLPATH"
[ "$(reg_get "$EVENTSRC" EventMessageFile)" = "REG_EXPAND_SZ	$DLLPATH" ] || fail "EventMessageFile: '$(reg_get "$EVENTSRC" EventMessageFile)'"
[ "$(reg_get "$EVENTSRC" TypesSupported)" = "REG_DWORD	0x7" ] || fail "TypesSupported: '$(reg_get "$EVENTSRC" TypesSupported)'"
ok "event source: EventMessageFile REG_EXPAND_SZ, TypesSupported 7"
[ "$(reg_get 'SOFTWARE\sharewall' PolicyPath)" = 'REG_EXPAND_SZ	%ProgramData%\sharewall\policy.yaml' ] ||
    fail "installer PolicyPath: '$(reg_get 'SOFTWARE\sharewall' PolicyPath)'"
[ "$(reg_get 'SOFTWARE\sharewall' Enabled)" = "REG_DWORD	0x1" ] || fail "installer Enabled: '$(reg_get 'SOFTWARE\sharewall' Enabled)'"
ok "installer defaults: PolicyPath REG_EXPAND_SZ, Enabled 1"

# --- files --------------------------------------------------------------------
sys64="$C/windows/system32/sharewall.dll" wow="$C/windows/syswow64/sharewall.dll"
pf="$C/Program Files/sharewall" pd="$C/ProgramData/sharewall"
[ "$(pe_machine "$sys64")" = 8664 ] || fail "system32\\sharewall.dll is not x64"
[ "$(pe_machine "$wow")" = 014c ] || fail "syswow64\\sharewall.dll is not x86"
[ "$(sha "$sys64")" = "$(sha "$expect_x64")" ] || fail "system32 DLL differs from the x64 build (debug info stripped)"
[ "$(sha "$wow")" = "$(sha "$expect_x86")" ] || fail "syswow64 DLL differs from the x86 build (debug info stripped)"
ok "system32\\sharewall.dll is the x64 build, syswow64\\sharewall.dll the x86 build"
[ "$(sha "$pf/sharewall.exe")" = "$(sha "$expect_exe")" ] || fail "Program Files\\sharewall\\sharewall.exe differs from the build"
cmp -s "$pf/README.md" "$ROOT/README.md" || fail "Program Files\\sharewall\\README.md"
# Against the staged copies (what build-msi.sh packaged): docs/ may be
# edited while the test runs.
ndocs=0
for d in "$WORK"/v1/stage/docs/*.md; do
    cmp -s "$pf/docs/$(basename "$d")" "$d" || fail "Program Files\\sharewall\\docs\\$(basename "$d") missing or different"
    ndocs=$((ndocs + 1))
done
[ "$ndocs" -gt 0 ] || fail "no documents were packaged"
cmp -s "$pd/policy.yaml" "$ROOT/policy/default.yaml" || fail "ProgramData\\sharewall\\policy.yaml is not policy/default.yaml"
ok "sharewall.exe, README.md, $ndocs docs\\*.md in Program Files\\sharewall; default policy in ProgramData\\sharewall"

# --- the installed DLL, found through the registry only ----------------------
# Day one: the shipped audit policy loads (checked with the installed CLI)
# and vetoes nothing.
out=$(cd "$pf" && timeout 120 wine ./sharewall.exe check 'C:\ProgramData\sharewall\policy.yaml' 2>&1 | tr -d '\r') ||
    fail "installed sharewall.exe check on the installed policy: $out"
echo "    $out"
mprsim_run installed-default "with the default policy"
ok "installed sharewall.exe checks the installed policy; with it (audit) nothing is vetoed"
# sharewall status reads the configuration with the DLL's own code: the
# installer's values must be found (64-bit view) and the DLL registered.
out=$(cd "$pf" && timeout 120 wine ./sharewall.exe status 2>&1 | tr -d '\r') ||
    fail "sharewall status after install exits non-zero:"$'\n'"$out"
sed 's/^/    /' <<<"$out"
grep -qE '^  PolicyPath +C:\\ProgramData\\sharewall\\policy\.yaml +\(installer key\)$' <<<"$out" ||
    fail "sharewall status does not take PolicyPath from the installer key"
grep -qE '^  Enabled +1 .*\(installer key\)$' <<<"$out" || fail "sharewall status does not take Enabled from the installer key"
ok "sharewall status: registered, policy loads, PolicyPath and Enabled from the installer key"

# The admin's policy: enforce, deny one share. It replaces the MSI's default
# (audit) policy and is what the upgrade below must keep.
cat >"$pd/policy.yaml" <<'EOF'
# admin-edited policy (tests/msi/run-msi-tests.sh)
version: 1
mode: enforce
default: allow
on_error: deny
rules:
  - id: no-finance
    action: deny
    match: { server: 'fs01', share: 'finance' }
EOF
admin_policy=$(sha "$pd/policy.yaml")
mprsim_run installed-veto "after install"
ok "mprsim.exe, reading Notifyees, loads the installed DLL: \\\\fs01\\finance vetoed (1223), \\\\fs02\\public allowed"

# What the ADMX "Enforcement mode" and "JSON-lines log file" policies write
# overrides the file: the rollout's audit step, as docs/deployment.md has it.
POLICIES='HKLM\SOFTWARE\Policies\sharewall'
logdir="$C/ProgramData/sharewall-log"
mkdir -p "$logdir"
wine reg add "$POLICIES" /v Mode /t REG_SZ /d audit /f >/dev/null 2>&1
wine reg add "$POLICIES" /v LogPath /t REG_EXPAND_SZ /d '%ProgramData%\sharewall-log\connections.jsonl' /f >/dev/null 2>&1
mprsim_run installed-gpo-audit "with Mode=audit from Group Policy"
wine reg delete "$POLICIES" /f >/dev/null 2>&1
grep -q '"event":"would-veto".*"rule":"no-finance"' "$logdir/connections.jsonl" ||
    fail "no would-veto record for rule no-finance in the JSON-lines log $logdir/connections.jsonl"
log_sha=$(sha "$logdir/connections.jsonl")
ok "Group Policy Mode=audit and LogPath override the installed configuration: nothing vetoed, would-veto logged"

# --- upgrade, downgrade, repair ---------------------------------------------
msiexec_run upgrade-v2 /i "$(winepath -w "$msi2")" || fail "upgrade to $v2 failed (log: $WORK/upgrade-v2.log)"
[ "$(sha "$pd/policy.yaml")" = "$admin_policy" ] || fail "the upgrade replaced the admin's policy.yaml"
products=$(wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null |
    tr -d '\r' | grep -c 'DisplayName    REG_SZ    sharewall$' || true)
[ "$products" = 1 ] || fail "$products sharewall entries in Programs and Features after the upgrade, expected 1"
wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' |
    grep -q "DisplayVersion    REG_SZ    $v2\$" || fail "installed version is not $v2 after the upgrade"
[ "$(reg_get "$NOTIFYEES" sharewall)" = "REG_EXPAND_SZ	$DLLPATH" ] || fail "registration lost in the upgrade"
mprsim_run installed-veto "after the upgrade"
ok "major upgrade $v1 -> $v2: one product, admin's policy kept, still vetoing"

if msiexec_run downgrade-v1 /i "$(winepath -w "$msi1")"; then
    fail "installing $v1 over $v2 succeeded; a downgrade must be refused"
fi
wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' |
    grep -q "DisplayVersion    REG_SZ    $v2\$" || fail "the refused downgrade changed the installed version"
ok "downgrade to $v1 refused, $v2 stays"

# Repair with every file forced ("a"): a deleted DLL comes back, the policy
# stays. Written as properties because Wine's msiexec /f takes no package
# path and does not implement product codes; on Windows "msiexec /fa" is
# the same operation.
rm -f "$sys64"
msiexec_run repair /i "$(winepath -w "$msi2")" REINSTALL=ALL REINSTALLMODE=amus ||
    fail "repair (REINSTALL=ALL REINSTALLMODE=amus) failed (log: $WORK/repair.log)"
[ "$(sha "$sys64")" = "$(sha "$expect_x64")" ] || fail "repair did not restore system32\\sharewall.dll"
[ "$(sha "$pd/policy.yaml")" = "$admin_policy" ] || fail "repair replaced the admin's policy.yaml"
ok "repair of all files restores a deleted DLL and keeps the admin's policy"

# --- uninstall -----------------------------------------------------------------
# Another product's notifyee must survive our uninstall.
wine reg add "HKLM\\$NOTIFYEES" /v othervendor /t REG_EXPAND_SZ /d '%SystemRoot%\System32\other.dll' /f >/dev/null 2>&1
msiexec_run uninstall /x "$(winepath -w "$msi2")" || fail "msiexec /x failed (log: $WORK/uninstall.log)"
[ -z "$(reg_get "$NOTIFYEES" sharewall)" ] || fail "Notifyees\\sharewall still present after uninstall"
[ "$(reg_get "$NOTIFYEES" othervendor)" = 'REG_EXPAND_SZ	%SystemRoot%\System32\other.dll' ] ||
    fail "uninstall removed another product's notifyee"
ok "uninstall removed Notifyees\\sharewall and left other notifyees alone"
! wine reg query "HKLM\\$EVENTSRC" >/dev/null 2>&1 || fail "event source key still present after uninstall"
[ -z "$(reg_get 'SOFTWARE\sharewall' PolicyPath)" ] || fail "installer defaults still present after uninstall"
ok "uninstall removed the event source key and the installer defaults"
for f in "$sys64" "$wow" "$pf/sharewall.exe" "$pf/README.md"; do
    [ ! -e "$f" ] || fail "$f still present after uninstall"
done
ok "uninstall removed both DLLs, sharewall.exe and the docs"
[ "$(sha "$pd/policy.yaml")" = "$admin_policy" ] || fail "uninstall removed or changed the admin's policy.yaml"
[ "$(sha "$logdir/connections.jsonl")" = "$log_sha" ] || fail "uninstall removed or changed the JSON-lines log"
ok "uninstall kept the admin's policy.yaml and the JSON-lines log"

echo "msi tests: $checks checks passed"
