# Shared helpers for tests/run-all.sh layers.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${SW_BUILD_ROOT:-$ROOT/build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

banner() { printf '\n==== %s ====\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_ensure PKG...: install the packages that are not installed yet
# (apt-get update first, as Debian wants before any install). Waits for
# apt's locks rather than failing when another apt run holds them.
apt_ensure() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    local wait=(-o DPkg::Lock::Timeout=900)
    as_root env DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -q \
            --no-install-recommends "${missing[@]}"
}

# mingw_triple ARCH: the mingw-w64 target triple of x64 or x86, the two
# Windows builds (build/mingw-ARCH) the winbuild, wine and msi layers share.
mingw_triple() {
    case $1 in
        x64) echo x86_64-w64-mingw32 ;;
        x86) echo i686-w64-mingw32 ;;
        *) echo "mingw_triple: unknown arch $1" >&2; return 1 ;;
    esac
}

# cmake_build DIR [cmake args...]: configure and build one tree.
cmake_build() {
    local dir=$1; shift
    cmake -S "$ROOT" -B "$dir" -G "Unix Makefiles" "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; return 1; }
    cmake --build "$dir" -j "$JOBS"
}
