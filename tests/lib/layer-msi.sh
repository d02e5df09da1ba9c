#!/usr/bin/env bash
# Layer: the installer. The ADMX/ADML templates and the MSI's registry rows
# checked against the DLL's registry names (src/win/config_names.h); then
# the MSI built with wixl from the cross-builds of the winbuild layer and
# installed, upgraded, repaired and uninstalled with Wine's msiexec.
set -euo pipefail
source "$(dirname "$0")/common.sh"
apt_ensure wixl msitools wine wine64 python3
python3 "$ROOT/tests/msi/test_admx.py" "$ROOT"
python3 "$ROOT/tests/msi/test_wxs_registry.py" "$ROOT"
"$ROOT/tests/msi/run-msi-tests.sh"
