# 64-bit Windows with Debian's mingw-w64 (see toolchain-mingw-common.cmake).
# CTest runs the cross-built tests through Wine.
#   installer/build-deps.sh x86_64-w64-mingw32
#   cmake --preset mingw-x64 && cmake --build build/mingw-x64 && ctest --test-dir build/mingw-x64
set(SW_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake)

# Debian's /usr/bin/wine wrapper runs 64-bit programs with or without
# wine32; wine64 itself is not on PATH there.
find_program(SW_WINE NAMES wine wine64 PATHS /usr/lib/wine)
if(SW_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SW_WINE})
endif()
