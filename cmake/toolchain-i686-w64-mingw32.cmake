# 32-bit Windows with Debian's mingw-w64 (see toolchain-mingw-common.cmake).
#   installer/build-deps.sh i686-w64-mingw32
#   cmake --preset mingw-x86 && cmake --build build/mingw-x86
set(SW_MINGW_TRIPLE i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR X86)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake)

# Tests run under Wine only when 32-bit Wine is installed (Debian: the
# wine32:i386 package, which provides the 32-bit loader below); otherwise
# CTest would report every test as failed for a reason that is not ours.
find_program(SW_WINE32_LOADER NAMES wine PATHS /usr/lib/wine NO_DEFAULT_PATH)
find_program(SW_WINE NAMES wine)
if(SW_WINE32_LOADER AND SW_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SW_WINE})
endif()
