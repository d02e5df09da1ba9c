#!/usr/bin/env bash
# Layer: install the native build and test dependencies.
set -euo pipefail
source "$(dirname "$0")/common.sh"
apt_ensure build-essential cmake pkg-config clang \
    libyaml-dev libpcre2-dev libcmocka-dev \
    python3 python3-yaml python3-jsonschema \
    time  # /usr/bin/time: peak RSS of the CLI's million-line batch test
