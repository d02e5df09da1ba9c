#!/usr/bin/env bash
# Layer: each libFuzzer target (policy loader, canonicaliser, decide) for
# 30 s under ASan + UBSan, all at once. Longer campaigns:
# tests/fuzz/run.sh SECONDS (docs/security.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"
# libFuzzer's runtime for Debian's clang 14.
apt_ensure clang libclang-rt-14-dev
"$ROOT/tests/fuzz/run.sh" "${SW_FUZZ_SECONDS:-30}"
