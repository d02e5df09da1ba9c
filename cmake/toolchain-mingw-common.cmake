# Shared part of the mingw-w64 toolchain files. The including file sets
# SW_MINGW_TRIPLE (x86_64-w64-mingw32 or i686-w64-mingw32) and
# CMAKE_SYSTEM_PROCESSOR first.
#
# Compiler variant: Debian ships each mingw-w64 gcc twice, "-posix" (C++11
# threads on top of libwinpthread) and "-win32" (no winpthread at all). The
# DLL and the CLI use Windows threads only (InitOnce, SRW locks), so the
# win32 variant is used: one runtime DLL fewer to keep out of the import
# table, and nothing can pull libwinpthread-1.dll in by accident.
set(CMAKE_SYSTEM_NAME Windows)

set(CMAKE_C_COMPILER ${SW_MINGW_TRIPLE}-gcc-win32)
set(CMAKE_CXX_COMPILER ${SW_MINGW_TRIPLE}-g++-win32)
set(CMAKE_RC_COMPILER ${SW_MINGW_TRIPLE}-windres)
# CMake has no notion of a GNU message compiler; src/win uses this name for
# windmc (messages.mc -> .rc + .bin).
set(CMAKE_MC_COMPILER ${SW_MINGW_TRIPLE}-windmc)

# mingw's own C99 printf family (linked statically from libmingwex) instead
# of msvcrt.dll's, which lacks %zu and %lld on older Windows: the core's
# diagnostics and log lines format size_t with %zu.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1")

# The DLL is loaded into every process that maps a drive: it must not need
# libgcc_s_*.dll or libwinpthread-1.dll next to it. -static makes the linker
# take libgcc, libssp and any winpthread from their .a archives; the system
# libraries (kernel32, advapi32, msvcrt) are import libraries either way.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

# Third-party static libraries from installer/build-deps.sh live here.
get_filename_component(_sw_source_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(SW_DEPS_PREFIX "${_sw_source_root}/.deps/${SW_MINGW_TRIPLE}" CACHE PATH
  "Prefix holding libyaml, pcre2 and cmocka built for ${SW_MINGW_TRIPLE} (installer/build-deps.sh)")

set(CMAKE_FIND_ROOT_PATH /usr/${SW_MINGW_TRIPLE} ${SW_DEPS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see only the cross-built .pc files, never the host's
# /usr/lib/x86_64-linux-gnu/pkgconfig (that would link Linux libraries).
# The toolchain file is read on every configure run, so ENV is enough.
set(ENV{PKG_CONFIG_LIBDIR} "${SW_DEPS_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
