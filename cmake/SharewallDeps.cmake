# libyaml, libpcre2-8 and cmocka through pkg-config. For the Windows
# cross-builds the toolchain files point PKG_CONFIG_LIBDIR at the static
# libraries built by installer/build-deps.sh; with MSVC, vcpkg provides them.
find_package(PkgConfig REQUIRED)

if(WIN32 AND NOT MSVC)
  # Static third-party libraries: the DLL must depend on system DLLs only.
  set(_sw_static STATIC)
endif()

pkg_check_modules(YAML REQUIRED IMPORTED_TARGET ${_sw_static} yaml-0.1)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET ${_sw_static} libpcre2-8)
if(SW_BUILD_TESTS AND BUILD_TESTING)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET ${_sw_static} cmocka)
endif()
