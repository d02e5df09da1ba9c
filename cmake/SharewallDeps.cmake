# Included before include(CTest), so BUILD_TESTING is still undefined on a
# first configure: undefined counts as on (CTest's default).
if(SW_BUILD_TESTS AND (BUILD_TESTING OR NOT DEFINED BUILD_TESTING))
  set(_sw_want_cmocka TRUE)
endif()

# libyaml, libpcre2-8 and cmocka, as the imported targets PkgConfig::YAML,
# PkgConfig::PCRE2 and PkgConfig::CMOCKA whichever way they are found:
#  - pkg-config (Linux, macOS, and the mingw-w64 cross-builds, whose
#    toolchain files point PKG_CONFIG_LIBDIR at the static libraries built
#    by installer/build-deps.sh; those .pc files name the static archives);
#  - MSVC with vcpkg (CMakePresets.json "msvc-vcpkg", vcpkg.json), which
#    ships CMake packages and import-free static .lib files instead.

if(MSVC)
  # The targets keep their pkg-config names so every consumer links the
  # same names on every platform.
  find_package(yaml CONFIG REQUIRED)
  add_library(PkgConfig::YAML INTERFACE IMPORTED)
  target_link_libraries(PkgConfig::YAML INTERFACE yaml)

  find_package(PCRE2 CONFIG QUIET COMPONENTS 8BIT)
  add_library(PkgConfig::PCRE2 INTERFACE IMPORTED)
  if(TARGET PCRE2::8BIT)
    target_link_libraries(PkgConfig::PCRE2 INTERFACE PCRE2::8BIT)
  else()
    find_path(SW_PCRE2_INCLUDE_DIR pcre2.h REQUIRED)
    find_library(SW_PCRE2_LIBRARY NAMES pcre2-8 pcre2-8-static REQUIRED)
    find_library(SW_PCRE2_LIBRARY_DEBUG NAMES pcre2-8d pcre2-8-staticd)
    target_include_directories(PkgConfig::PCRE2 INTERFACE ${SW_PCRE2_INCLUDE_DIR})
    if(SW_PCRE2_LIBRARY_DEBUG)
      target_link_libraries(PkgConfig::PCRE2 INTERFACE
        $<IF:$<CONFIG:Debug>,${SW_PCRE2_LIBRARY_DEBUG},${SW_PCRE2_LIBRARY}>)
    else()
      target_link_libraries(PkgConfig::PCRE2 INTERFACE ${SW_PCRE2_LIBRARY})
    endif()
  endif()

  if(_sw_want_cmocka)
    # cmocka's CMake package changed its target names between releases;
    # the header and the library are stable.
    find_path(SW_CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
    find_library(SW_CMOCKA_LIBRARY NAMES cmocka cmocka-static REQUIRED)
    add_library(PkgConfig::CMOCKA INTERFACE IMPORTED)
    target_include_directories(PkgConfig::CMOCKA INTERFACE ${SW_CMOCKA_INCLUDE_DIR})
    target_link_libraries(PkgConfig::CMOCKA INTERFACE ${SW_CMOCKA_LIBRARY})
  endif()
  return()
endif()

if(SW_DEPS_PREFIX AND NOT EXISTS "${SW_DEPS_PREFIX}/lib/pkgconfig/yaml-0.1.pc")
  message(FATAL_ERROR "No static libraries for this target in ${SW_DEPS_PREFIX}: "
    "run installer/build-deps.sh ${SW_MINGW_TRIPLE} first")
endif()
find_package(PkgConfig REQUIRED)

pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
if(_sw_want_cmocka)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
