#!/usr/bin/env bash
# Builds sharewall-<version>-x64.msi from the mingw-w64 cross-builds with wixl.
#
#   installer/build-msi.sh [--version X.Y.Z] [--out DIR]
#                          [--x64-build DIR] [--x86-build DIR]
#                          [--dll-x64 FILE] [--dll-x86 FILE] [--exe FILE]
#                          [--no-strip]
#
# Defaults: the version from the top CMakeLists.txt's project(); the x64 tree
# build/mingw-x64 (sharewall.dll and sharewall.exe), the x86 tree
# build/mingw-x86 (sharewall.dll); output in build/msi. Prints the MSI's path
# as the last line. Needs wixl, wixl-heat and msibuild (Debian: wixl, msitools)
# and the mingw-w64 strip tools. The packaged binaries lose their DWARF debug
# sections (--strip-debug: about 40% of a RelWithDebInfo DLL, and no Windows
# debugger reads them); --no-strip keeps them.
#
# wixl implements only part of WiX, so four things are finished on the built
# database with msibuild (see the header of installer/sharewall.wxs): the
# binaries' file versions, component attributes NeverOverwrite and Permanent
# for the policy file, the Registry row that deletes the Event Log source key
# on uninstall, and the MsiLockPermissionsEx table that locks down the policy
# folder.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "build-msi: $*" >&2; exit 1; }

version="" out="$ROOT/build/msi"
x64_build="$ROOT/build/mingw-x64" x86_build="$ROOT/build/mingw-x86"
dll_x64="" dll_x86="" exe="" strip=1
while [ $# -gt 0 ]; do
    if [ "$1" = --no-strip ]; then
        strip=0
        shift
        continue
    fi
    [ $# -ge 2 ] || die "$1 needs a value"
    case $1 in
        --version) version=$2 ;;
        --out) out=$2 ;;
        --x64-build) x64_build=$2 ;;
        --x86-build) x86_build=$2 ;;
        --dll-x64) dll_x64=$2 ;;
        --dll-x86) dll_x86=$2 ;;
        --exe) exe=$2 ;;
        *) die "unknown option $1 (see the comment at the top of $0)" ;;
    esac
    shift 2
done
dll_x64=${dll_x64:-$x64_build/src/win/sharewall.dll}
dll_x86=${dll_x86:-$x86_build/src/win/sharewall.dll}
exe=${exe:-$x64_build/src/cli/sharewall.exe}

if [ -z "$version" ]; then
    version=$(sed -n 's/^project(sharewall VERSION \([0-9][0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")
    [ -n "$version" ] || die "no project(sharewall VERSION ...) in $ROOT/CMakeLists.txt; pass --version"
fi
# Windows Installer compares only major.minor.build (each field bounded);
# a fourth field would be ignored by upgrades, so it is refused here.
[[ $version =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}$ ]] ||
    die "version '$version' is not X.Y.Z (major, minor < 256, build < 65536)"

for tool in wixl wixl-heat msibuild msiinfo x86_64-w64-mingw32-strip i686-w64-mingw32-strip; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install wixl msitools mingw-w64)"
done

# pe_machine FILE: the COFF machine field of a PE image (8664 = x64,
# 014c = x86), so that swapped or non-Windows files are caught here rather
# than by a DLL that fails to load in half the processes.
pe_machine() {
    local off sig
    off=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    [ -n "$off" ] || return 1
    sig=$(od -An -tx1 -j"$off" -N4 "$1" | tr -d ' ')
    [ "$sig" = 50450000 ] || return 1
    od -An -tx2 -j$((off + 4)) -N2 "$1" | tr -d ' '
}
expect_pe() {  # FILE MACHINE WHAT
    [ -f "$1" ] || die "missing $3: $1 (build it first: see README.md, Building)"
    local m
    m=$(pe_machine "$1") || die "$3 is not a PE image: $1"
    [ "$m" = "$2" ] || die "$3 has PE machine $m, expected $2: $1"
}
expect_pe "$dll_x64" 8664 "x64 sharewall.dll"
expect_pe "$dll_x86" 014c "x86 sharewall.dll"
expect_pe "$exe" 8664 "x64 sharewall.exe"
[ -f "$ROOT/policy/default.yaml" ] || die "missing $ROOT/policy/default.yaml"

# Staging directory: wixl finds sources only relative to its working
# directory, under the names installer/sharewall.wxs uses.
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/x64" "$stage/x86" "$stage/docs"
cp "$dll_x64" "$stage/x64/sharewall.dll"
cp "$dll_x86" "$stage/x86/sharewall.dll"
cp "$exe" "$stage/sharewall.exe"
# --preserve-dates also keeps the PE header's link time stamp (strip would
# write the current time): the same build gives the same packaged bytes.
if [ $strip = 1 ]; then
    x86_64-w64-mingw32-strip --strip-debug --preserve-dates "$stage/x64/sharewall.dll" "$stage/sharewall.exe"
    i686-w64-mingw32-strip --strip-debug --preserve-dates "$stage/x86/sharewall.dll"
fi
cp "$ROOT/policy/default.yaml" "$stage/policy.yaml"
cp "$ROOT/README.md" "$stage/README.md"
shopt -s nullglob
docs=("$ROOT"/docs/*.md)
shopt -u nullglob
[ ${#docs[@]} -gt 0 ] || die "no $ROOT/docs/*.md to ship"
cp "${docs[@]}" "$stage/docs/"

# docs.wxs: one component per document under DOCDIR (Program Files\sharewall\docs).
(cd "$stage" && find docs -maxdepth 1 -name '*.md' | LC_ALL=C sort |
    wixl-heat --prefix docs/ --directory-ref DOCDIR --component-group DocFiles \
              --var var.DocSource --win64 >docs.wxs)

msi="$out/sharewall-$version-x64.msi"
rm -f "$msi"
(cd "$stage" && wixl -a x64 -D Version="$version" -D Win64=yes -D DocSource=docs \
    -o "$msi" "$ROOT/installer/sharewall.wxs" docs.wxs)

# --- finishing what wixl cannot express -----------------------------------

# Component attributes (msidbComponentAttributes*): NeverOverwrite = 128,
# Permanent = 16, or-ed into what wixl wrote (64-bit = 256).
attrs=$(msiinfo export "$msi" Component | awk -F'\t' '$1 == "PolicyFile" { print $4 }')
[ -n "$attrs" ] || die "no PolicyFile component in $msi"
msibuild "$msi" -q "UPDATE \`Component\` SET \`Attributes\` = $((attrs | 128 | 16)) WHERE \`Component\` = 'PolicyFile'"

# File versions from the binaries' VERSIONINFO (wixl leaves the column
# empty): without one Windows Installer treats a DLL as an unversioned file,
# and a repair would judge it by dates instead of by version.
# VS_FIXEDFILEINFO starts with the signature FEEF04BD; dwFileVersionMS and
# dwFileVersionLS follow dwStrucVersion.
file_version() {
    local off w
    off=$(LC_ALL=C grep -obUaP '\xbd\x04\xef\xfe' "$1" | head -n 1 | cut -d: -f1)
    [ -n "$off" ] || return 0
    read -r -a w <<<"$(od -An -tu2 -j$((off + 8)) -N8 "$1")"
    echo "${w[1]}.${w[0]}.${w[3]}.${w[2]}"
}
for pair in SharewallDllX64:x64/sharewall.dll SharewallDllX86:x86/sharewall.dll SharewallExe:sharewall.exe; do
    fv=$(file_version "$stage/${pair#*:}")
    if [ -z "$fv" ]; then
        echo "build-msi: note: ${pair#*:} has no version resource; its File.Version stays empty" >&2
        continue
    fi
    msibuild "$msi" -q "UPDATE \`File\` SET \`Version\` = '$fv' WHERE \`File\` = '${pair%%:*}'"
done

# Uninstall deletes the whole Event Log source key (Registry row named "-"
# with no value), not just the two values written: a stale source would
# keep pointing Event Viewer at a DLL that is gone. wixl cannot write a row
# without a value, hence here. Only this key: Notifyees is shared.
msibuild "$msi" -q "INSERT INTO \`Registry\` (\`Registry\`, \`Root\`, \`Key\`, \`Name\`, \`Component_\`) VALUES ('EventLogSourceKey', 2, 'SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\sharewall', '-', 'EventLogSource')"

# The policy folder's security descriptor, applied by CreateFolders:
#   O:BA          owner Administrators, so a user who created the folder
#                 before the install does not keep owner's WRITE_DAC;
#   D:PAI         protected (ProgramData's inherited "Users may create
#                 files" no longer applies), inheritable entries:
#   SY, BA  FA    SYSTEM and Administrators: full control;
#   BU      FRFX  Users: read and execute, nothing else.
# SIDs by SDDL alias, not account names: LockPermissions' names are
# localised ("Administratoren"), SDDL aliases are not.
sddl='O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FRFX;;;BU)'
idt="$out/MsiLockPermissionsEx.idt"
printf '%s\t%s\t%s\t%s\t%s\n' \
    MsiLockPermissionsEx LockObject Table SDDLText Condition \
    s72 s72 s32 s0 S255 \
    >"$idt"
printf '%s\t%s\n' MsiLockPermissionsEx MsiLockPermissionsEx >>"$idt"
printf '%s\t%s\t%s\t%s\t\n' PolicyFolderAcl POLICYDIR CreateFolder "$sddl" >>"$idt"
msibuild "$msi" -i "$idt"

# Read back: a silently ignored update would ship an MSI that overwrites
# admins' policies or leaves the folder writable.
got=$(msiinfo export "$msi" Component | awk -F'\t' '$1 == "PolicyFile" { print $4 }')
[ $((got & 128)) -ne 0 ] && [ $((got & 16)) -ne 0 ] || die "PolicyFile attributes not set (got '$got')"
msiinfo export "$msi" MsiLockPermissionsEx | grep -qF "$sddl" || die "MsiLockPermissionsEx row missing"

echo "built $(stat -c %s "$msi") bytes" >&2
echo "$msi"
