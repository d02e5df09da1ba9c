#!/usr/bin/env bash
# Check a Windows PE file (DLL or EXE) built by mingw-w64 with objdump -p:
#  - it imports from system DLLs only: a DLL that needs libgcc_s_*.dll,
#    libwinpthread-1.dll or a third-party DLL beside it fails to load in
#    explorer.exe or net.exe, and a notifyee that fails to load is a bypass;
#  - with --exports, its export table names exactly those symbols,
#    undecorated (no _Name@8 from the 32-bit stdcall convention);
#  - with --version-resource, it carries a VERSIONINFO resource.
#
# usage: check-pe.sh [--exports A,B] [--allow DLL]... [--version-resource] FILE...
#   --allow DLL  also accept imports from DLL (case-insensitive), e.g. SHELL32.dll
# Exits 0 when every FILE passes, 1 otherwise, printing each problem.
set -euo pipefail

# System DLLs every Windows since Vista has. The C runtime is msvcrt.dll
# for Debian's mingw-w64, ucrtbase.dll/api-ms-win-crt-* for a UCRT one.
allowed=(kernel32.dll advapi32.dll msvcrt.dll ucrtbase.dll 'api-ms-win-crt-*.dll')
exports=""
want_version=0
files=()
while [ $# -gt 0 ]; do
    case $1 in
        --exports) exports=$2; shift 2 ;;
        --allow) allowed+=("${2,,}"); shift 2 ;;
        --version-resource) want_version=1; shift ;;
        -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
        -*) echo "check-pe: unknown option $1" >&2; exit 2 ;;
        *) files+=("$1"); shift ;;
    esac
done
[ ${#files[@]} -gt 0 ] || { echo "usage: check-pe.sh [--exports A,B] [--allow DLL]... [--version-resource] FILE..." >&2; exit 2; }

# The objdump matching the file's machine (the x64 one may not read x86
# import tables the same way, so use each target's own).
objdump_for() {
    local fmt
    fmt=$(x86_64-w64-mingw32-objdump -f "$1" 2>/dev/null | sed -n 's/.*file format //p')
    case $fmt in
        pei-x86-64) echo x86_64-w64-mingw32-objdump ;;
        pei-i386) echo i686-w64-mingw32-objdump ;;
        *) return 1 ;;
    esac
}

is_allowed() {
    local dll=${1,,} pat
    for pat in "${allowed[@]}"; do
        # shellcheck disable=SC2053  # $pat is a glob on purpose
        [[ $dll == $pat ]] && return 0
    done
    return 1
}

check_file() {
    local file=$1 od dump bad=0
    [ -f "$file" ] || { echo "check-pe: $file: no such file"; return 1; }
    od=$(objdump_for "$file") || { echo "check-pe: $file: not a PE32/PE32+ image"; return 1; }
    dump=$($od -p "$file")

    local dll imports=()
    while read -r dll; do
        imports+=("$dll")
        if ! is_allowed "$dll"; then
            case ${dll,,} in
                libgcc* | libwinpthread* | libstdc++* | libssp*)
                    echo "check-pe: $file imports $dll: the mingw runtime must be linked statically" ;;
                libyaml* | libpcre2* | *cmocka*)
                    echo "check-pe: $file imports $dll: third-party libraries must be linked statically" ;;
                *)
                    echo "check-pe: $file imports $dll, which is not an allowed system DLL" ;;
            esac
            bad=1
        fi
    done < <(awk '/^\tDLL Name: / { print $3 }' <<<"$dump")
    echo "check-pe: $file imports: ${imports[*]:-(none)}"

    if [ -n "$exports" ]; then
        # The name table lists one "[ n] Name" line per exported name.
        local have want
        have=$(sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/ s/^\t\[ *[0-9]*\] //p' <<<"$dump" | sort)
        want=$(tr ',' '\n' <<<"$exports" | sort)
        if [ "$have" != "$want" ]; then
            echo "check-pe: $file exports [$(echo $have)], expected exactly [$(echo $want)]"
            bad=1
        else
            echo "check-pe: $file exports: $(echo $have)"
        fi
    fi

    if [ $want_version -eq 1 ]; then
        # Top-level entries of the resource type table (three spaces in);
        # type 16 is RT_VERSION.
        if grep -Eq '^[0-9a-f]+   Entry: ID: 0x0*10,' <<<"$dump"; then
            echo "check-pe: $file has a version resource"
        else
            echo "check-pe: $file has no version resource (RT_VERSION)"
            bad=1
        fi
    fi
    return $bad
}

rc=0
for f in "${files[@]}"; do
    check_file "$f" || rc=1
done
exit $rc
