#!/usr/bin/env bash
# sharewall's whole test suite: the README's test command, run by CI.
#
# Installs what is missing (Debian 12, as root or with sudo), builds every
# configuration and runs every test layer. Exits non-zero if anything fails.
# Each layer is a script in tests/lib/; run one alone with
#   tests/run-all.sh LAYER...        e.g. tests/run-all.sh native
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
cd "$ROOT"
source "$ROOT/tests/lib/common.sh"

LAYERS=(deps native clang winbuild asan tsan fuzz wine msi)
[ $# -gt 0 ] && LAYERS=("$@")

passed=0 failed=0 failed_names=()
for layer in "${LAYERS[@]}"; do
    script="$ROOT/tests/lib/layer-$layer.sh"
    if [ ! -f "$script" ]; then
        echo "run-all: no such layer: $layer" >&2
        exit 2
    fi
    banner "layer: $layer"
    start=$SECONDS
    if bash "$script"; then
        passed=$((passed + 1))
        echo "== layer $layer: ok ($((SECONDS - start)) s)"
    else
        failed=$((failed + 1))
        failed_names+=("$layer")
        echo "== layer $layer: FAILED ($((SECONDS - start)) s)"
        # Without dependencies nothing else can run.
        [ "$layer" = deps ] && break
    fi
done

banner "summary"
[ $failed -gt 0 ] && echo "failed layers: ${failed_names[*]}"
echo "layers: $passed passed, $failed failed"
[ $failed -eq 0 ]
