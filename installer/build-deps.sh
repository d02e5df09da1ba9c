#!/usr/bin/env bash
# Build libyaml, pcre2 (8-bit, JIT) and cmocka as static libraries for
# Windows with mingw-w64, from Debian's own source packages, into
#   .deps/<triple>/{include,lib,lib/pkgconfig}
# which cmake/toolchain-<triple>.cmake points CMake and pkg-config at.
#
#   installer/build-deps.sh x86_64-w64-mingw32 [i686-w64-mingw32]
#
# Why Debian source packages: the Windows build then uses exactly the
# upstream versions (with Debian's security patches) that the Linux build
# links, and no other download site is involved. The deb-src entries are
# derived from the machine's own apt sources, so no mirror is named here.
#
# Cached: sources are unpacked once into .deps/src; a target whose prefix
# carries a stamp naming the same source versions is not rebuilt.
# Needs root (or sudo) only the first time, to add deb-src and install
# dpkg-dev, cmake and the mingw-w64 compilers.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS=${SW_DEPS_DIR:-$ROOT/.deps}
SRC=$DEPS/src
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
PACKAGES=(libyaml pcre2 cmocka)
SRC_LIST=/etc/apt/sources.list.d/sharewall-src.sources

if [ $# -eq 0 ]; then
    echo "usage: $0 TRIPLE..." >&2
    echo "  TRIPLE: x86_64-w64-mingw32 or i686-w64-mingw32" >&2
    exit 2
fi
for triple in "$@"; do
    case $triple in
        x86_64-w64-mingw32 | i686-w64-mingw32) ;;
        *) echo "build-deps: unsupported target '$triple'" >&2; exit 2 ;;
    esac
done

log() { printf 'build-deps: %s\n' "$*"; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Print deb-src stanzas/lines mirroring every enabled deb source: deb822
# stanzas from sources.list.d/*.sources (only "Types: deb" ones) and
# one-line "deb URL ..." entries from sources.list and *.list.
derive_deb_src() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        [ "$f" = "$SRC_LIST" ] && continue
        # Stanzas are separated by blank lines; keep those whose Types
        # include "deb" and say "deb-src" instead. Disabled stanzas
        # ("Enabled: no") stay disabled because the field is copied.
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             {
                 n = split($0, line, "\n"); out = ""; isdeb = 0
                 for (i = 1; i <= n; i++) {
                     if (line[i] ~ /^[ \t]*#/) continue
                     if (line[i] ~ /^Types:/) {
                         if (line[i] ~ /[ \t]deb([ \t]|$)/) isdeb = 1
                         line[i] = "Types: deb-src"
                     }
                     out = out line[i] "\n"
                 }
                 if (isdeb) printf "%s\n", out
             }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # One-line form: "deb [options] URI suite [component...]".
        sed -n 's/^[ \t]*deb\([ \t]\)/deb-src\1/p' "$f"
    done
}

# apt's answer to "where would 'apt-get source PKG' fetch PKG from?":
# prints the .dsc file name, or nothing when no deb-src index knows PKG.
dsc_name() {
    # Lines look like: 'URI' libyaml_0.2.5-1.dsc SIZE SHA256:...
    apt-get source --print-uris "$1" 2>/dev/null |
        awk '$1 ~ /^'"'"'.*\.dsc'"'"'$/ { print $2; exit }'
}

ensure_tools() {
    local need=() p
    for p in dpkg-dev cmake make gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
    done
    command -v pkg-config >/dev/null || need+=(pkgconf)
    [ ${#need[@]} -eq 0 ] && return 0
    log "installing ${need[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
}

ensure_deb_src() {
    [ -n "$(dsc_name libyaml)" ] && return 0
    local tmp
    tmp=$(mktemp)
    derive_deb_src >"$tmp"
    if [ ! -s "$tmp" ]; then
        rm -f "$tmp"
        echo "build-deps: no 'deb' entries in /etc/apt/sources.list{,.d} to derive deb-src from" >&2
        return 1
    fi
    log "adding deb-src entries derived from the apt sources: $SRC_LIST"
    as_root install -m 0644 "$tmp" "$SRC_LIST"
    rm -f "$tmp"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    if [ -z "$(dsc_name libyaml)" ]; then
        echo "build-deps: apt still knows no source package 'libyaml' after adding $SRC_LIST" >&2
        return 1
    fi
}

# Download PKG's source package into $SRC/download, preferring the version
# apt would pick (the candidate) and falling back to older versions apt
# knows when a mirror lacks the newest files (seen with security updates
# whose .dsc was missing). Prints the .dsc file name that was fetched.
download_source() {
    local pkg=$1 candidate v dsc
    candidate=$(dsc_name "$pkg")
    [ -n "$candidate" ] || { echo "build-deps: apt knows no source package '$pkg'" >&2; return 1; }
    for v in "" $(apt-cache showsrc --only-source "$pkg" | awk '/^Version:/ { print $2 }' | sort -Vru); do
        if [ -z "$v" ]; then dsc=$candidate; else dsc=${pkg}_${v#*:}.dsc; fi
        [ -z "$v" ] || [ "$dsc" != "$candidate" ] || continue
        if [ -f "$SRC/download/$dsc" ] ||
           (cd "$SRC/download" && apt-get source --download-only -q "$pkg${v:+=$v}" >&2) &&
           [ -f "$SRC/download/$dsc" ]; then
            [ "$dsc" = "$candidate" ] ||
                echo "build-deps: WARNING: $candidate could not be fetched; using $dsc" >&2
            echo "$dsc"
            return 0
        fi
    done
    echo "build-deps: no version of source package '$pkg' could be fetched" >&2
    return 1
}

# Unpack PKG (Debian patches applied) into $SRC/<dsc basename>/ unless
# already there; print that directory.
fetch_source() {
    local pkg=$1 dsc dir
    mkdir -p "$SRC/download"
    dsc=$(download_source "$pkg")
    dir=$SRC/${dsc%.dsc}
    if [ ! -f "$dir/.unpacked" ]; then
        rm -rf "$dir"
        dpkg-source --no-check -x "$SRC/download/$dsc" "$dir" >&2
        touch "$dir/.unpacked"
    fi
    echo "$dir"
}

# cmake_dep TRIPLE NAME SOURCE_DIR [cmake args...]: configure, build and
# install one library into the target's prefix with its own CMake build.
cmake_dep() {
    local triple=$1 name=$2 src=$3; shift 3
    local prefix=$DEPS/$triple bdir=$DEPS/build/$triple/$name
    rm -rf "$bdir"
    mkdir -p "$bdir"
    log "$triple: building $name"
    if ! { cmake -S "$src" -B "$bdir" \
               -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-$triple.cmake" \
               -DSW_DEPS_PREFIX="$prefix" \
               -DCMAKE_BUILD_TYPE=Release \
               -DCMAKE_INSTALL_PREFIX="$prefix" \
               -DCMAKE_INSTALL_LIBDIR=lib \
               -DBUILD_SHARED_LIBS=OFF \
               -DBUILD_TESTING=OFF \
               "$@" &&
           cmake --build "$bdir" -j "$JOBS" &&
           cmake --install "$bdir"; } >"$bdir.log" 2>&1; then
        tail -n 40 "$bdir.log" >&2
        echo "build-deps: $triple: $name failed (full log: $bdir.log)" >&2
        return 1
    fi
}

# write_pc TRIPLE FILE NAME VERSION DESCRIPTION CFLAGS LIBS: a pkg-config
# file for a library whose own install does not provide a usable one.
write_pc() {
    local prefix=$DEPS/$1 file=$2
    mkdir -p "$prefix/lib/pkgconfig"
    cat >"$prefix/lib/pkgconfig/$file" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $3
Description: $5
Version: $4
Cflags: -I\${includedir} $6
Libs: -L\${libdir} $7
EOF
}

build_target() {
    local triple=$1 yaml_src=$2 pcre2_src=$3 cmocka_src=$4 stamp_text=$5
    local prefix=$DEPS/$triple
    if [ -f "$prefix/.stamp" ] && [ "$(cat "$prefix/.stamp")" = "$stamp_text" ]; then
        log "$triple: up to date ($(echo "$stamp_text" | tr '\n' ' '))"
        return 0
    fi
    command -v "$triple-gcc-win32" >/dev/null ||
        { echo "build-deps: $triple-gcc-win32 not found (package gcc-mingw-w64-*-win32)" >&2; return 1; }
    rm -rf "$prefix" "$DEPS/build/$triple"
    mkdir -p "$prefix"

    # libyaml's CMakeLists installs no .pc file; yaml-0.1.pc is written
    # below with the same name and contents autotools would install.
    cmake_dep "$triple" libyaml "$yaml_src" -DINSTALL_CMAKE_DIR=lib/cmake/yaml
    write_pc "$triple" yaml-0.1.pc yaml "$(version_of "$yaml_src")" \
        "Library to parse and emit YAML" "-DYAML_DECLARE_STATIC" "-lyaml"

    cmake_dep "$triple" pcre2 "$pcre2_src" \
        -DPCRE2_BUILD_PCRE2_8=ON -DPCRE2_BUILD_PCRE2_16=OFF -DPCRE2_BUILD_PCRE2_32=OFF \
        -DPCRE2_SUPPORT_JIT=ON -DPCRE2_BUILD_PCRE2GREP=OFF -DPCRE2_BUILD_TESTS=OFF \
        -DPCRE2_SUPPORT_LIBBZ2=OFF -DPCRE2_SUPPORT_LIBZ=OFF \
        -DPCRE2_SUPPORT_LIBEDIT=OFF -DPCRE2_SUPPORT_LIBREADLINE=OFF

    cmake_dep "$triple" cmocka "$cmocka_src" \
        -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF -DPICKY_DEVELOPER=OFF

    finish_prefix "$triple"
    echo "$stamp_text" >"$prefix/.stamp"
    log "$triple: installed into $prefix"
}

# Upstream version from a source tree named <pkg>_<version>[-<debrev>].
version_of() {
    local base=${1##*/}
    base=${base#*_}
    echo "${base%-*}"
}

# Make the prefix usable for a static link: the .pc names must match
# what cmake/SharewallDeps.cmake asks for, PCRE2_STATIC must reach the
# compiler, and cmocka's library must be the static one.
finish_prefix() {
    local triple=$1 prefix=$DEPS/$1 pc=$DEPS/$1/lib/pkgconfig
    [ -f "$pc/libpcre2-8.pc" ] ||
        { echo "build-deps: pcre2 installed no libpcre2-8.pc" >&2; return 1; }
    grep -q 'PCRE2_STATIC' "$pc/libpcre2-8.pc" ||
        sed -i 's/^Cflags:\(.*\)$/Cflags:\1 -DPCRE2_STATIC/' "$pc/libpcre2-8.pc"
    # cmocka's static archive is libcmocka-static.a (1.1.5) or libcmocka.a.
    local lib
    if [ -f "$prefix/lib/libcmocka-static.a" ]; then lib=cmocka-static; else lib=cmocka; fi
    [ -f "$prefix/lib/lib$lib.a" ] ||
        { echo "build-deps: cmocka installed no static library" >&2; return 1; }
    # The libraries are compiled with mingw's C99 printf
    # (__USE_MINGW_ANSI_STDIO, see the toolchain file), so cmocka's
    # print_message takes %zu: its header must not declare the msvcrt
    # dialect, or every test using %zu fails -Werror=format.
    sed -i 's/__format__ (__printf__, a, b)/__format__ (__MINGW_PRINTF_FORMAT, a, b)/' \
        "$prefix/include/cmocka.h"
    grep -q '__MINGW_PRINTF_FORMAT, a, b' "$prefix/include/cmocka.h" ||
        { echo "build-deps: could not adapt cmocka.h's printf attribute" >&2; return 1; }
    # cmocka 1.1.5 always builds its DLL too; drop it so nothing can link
    # against it (the test programs must run without DLLs beside them).
    rm -f "$prefix/lib/libcmocka.dll.a" "$prefix/bin/cmocka.dll" "$prefix/bin/libcmocka.dll"
    rm -rf "$prefix/lib/cmake/cmocka"
    write_pc "$triple" cmocka.pc cmocka "$(version_of "$CMOCKA_SRC")" \
        "Unit testing framework for C" "" "-l$lib"
    local f
    for f in yaml-0.1 libpcre2-8 cmocka; do
        PKG_CONFIG_LIBDIR=$pc pkg-config --exists "$f" ||
            { echo "build-deps: pkg-config cannot use $pc/$f.pc" >&2; return 1; }
    done
}

start=$SECONDS
ensure_tools
ensure_deb_src
mkdir -p "$SRC"
YAML_SRC=$(fetch_source libyaml)
PCRE2_SRC=$(fetch_source pcre2)
CMOCKA_SRC=$(fetch_source cmocka)
# The stamp names the exact source package versions and this script's
# own contents, so a changed recipe rebuilds too.
STAMP=$(printf '%s\n' "${YAML_SRC##*/}" "${PCRE2_SRC##*/}" "${CMOCKA_SRC##*/}"
        sha256sum "${BASH_SOURCE[0]}" "$ROOT/cmake/toolchain-mingw-common.cmake" | cut -d' ' -f1)
for triple in "$@"; do
    build_target "$triple" "$YAML_SRC" "$PCRE2_SRC" "$CMOCKA_SRC" "$STAMP"
done
log "done in $((SECONDS - start)) s"
