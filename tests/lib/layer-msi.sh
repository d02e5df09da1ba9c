#!/usr/bin/env bash
# Layer: the installer. The ADMX/ADML templates and the MSI's registry rows
# checked against the DLL's registry names (src/win/config_names.h); then
# the MSI built with wixl from the cross-build trees and installed,
# upgraded, repaired and uninstalled with Wine's msiexec.
#
# Uses the trees build/mingw-x64 and build/mingw-x86 that the wine layer
# configures (run-all.sh runs it first; alone: tests/run-all.sh wine msi),
# and builds in them only what the MSI and its tests need.
set -euo pipefail
source "$(dirname "$0")/common.sh"
apt_ensure wixl msitools wine wine64 python3 binutils-mingw-w64-x86-64 binutils-mingw-w64-i686

python3 "$ROOT/tests/msi/test_admx.py" "$ROOT"
python3 "$ROOT/tests/msi/test_wxs_registry.py" "$ROOT"

for arch in x64 x86; do
    [ -f "$BUILD/mingw-$arch/CMakeCache.txt" ] || {
        echo "layer msi: $BUILD/mingw-$arch is not configured; run the wine layer first" \
             "(tests/run-all.sh wine msi)" >&2
        exit 1
    }
done
cmake --build "$BUILD/mingw-x64" -j "$JOBS" --target sharewall_dll sharewall mprsim
cmake --build "$BUILD/mingw-x86" -j "$JOBS" --target sharewall_dll
"$ROOT/tests/msi/run-msi-tests.sh"
