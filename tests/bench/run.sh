#!/usr/bin/env bash
# sharewall benchmarks: prints one table of figures (never asserts on time).
#
#   tests/bench/run.sh [REQUESTS]        default 1,000,000 requests per stream
#
# Builds a Release tree in build/bench, generates policies of 10, 100,
# 1,000 and 10,000 rules and a request stream for each (gen.py; a fifth
# bypass spellings), and measures:
#   - decide() latency p50/p99 in-process, warm, incl. canonicalisation,
#     and the differential test of the host index against the plain
#     ordered scan on the whole stream (bench_decide --verify);
#   - policy load + compile time (median of 5) and peak RSS;
#   - `sharewall test --batch` throughput on one core (taskset), 100 rules;
#   - the Python reference (reference.py) on the same stream: identical
#     decisions required, and the speed ratio;
#   - `sharewall replay` throughput on a log of REQUESTS records;
#   - the DLL's PRE call under Wine through the MPR simulator, when the
#     Windows cross-build (tests/run-all.sh winbuild) is present.
# The differential checks make the script exit 1 on any difference.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-1000000}
B=$ROOT/build/bench
W=$B/work
mkdir -p "$W"

cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release >"$B.configure.log" 2>&1 ||
    { cat "$B.configure.log"; exit 1; }
cmake --build "$B" -j "$(nproc)" --target bench_decide sharewall >"$B.build.log" 2>&1 ||
    { tail -30 "$B.build.log"; exit 1; }
SW=$B/src/cli/sharewall
ONE_CORE=()
command -v taskset >/dev/null && ONE_CORE=(taskset -c 0)

# Seconds (float) a command takes, its output discarded.
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

# The differential test of the index on the whole stream: the ordered scan
# of 10,000 rules is slow by nature, so the stream is split over all cores.
verify() {
    local rules=$1 parts=() pids=() rc=0 diffs=0 n=0 f
    split -n "l/$(nproc)" "$W/requests-$rules.txt" "$W/part-$rules-"
    for f in "$W/part-$rules-"*; do
        "$B/tests/bench/bench_decide" --verify "$W/policy-$rules.yaml" "$f" >"$f.out" 2>"$f.err" &
        pids+=($!)
        parts+=("$f")
    done
    for f in "${pids[@]}"; do wait "$f" || rc=1; done
    for f in "${parts[@]}"; do
        n=$((n + $(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$f.out")))
        diffs=$((diffs + $(sed -n 's/.*differences=\([0-9]*\).*/\1/p' "$f.out")))
        cat "$f.err" >&2
        rm -f "$f" "$f.out" "$f.err"
    done
    echo "verify: rules=$rules requests=$n differences=$diffs" >"$W/verify-$rules.txt"
    return $rc
}

declare -A P50 P99 LOAD RSS
status=0
for rules in 10 100 1000 10000; do
    python3 "$ROOT/tests/bench/gen.py" policy "$rules" >"$W/policy-$rules.yaml"
    python3 "$ROOT/tests/bench/gen.py" requests "$rules" "$N" >"$W/requests-$rules.txt"
    line=$("${ONE_CORE[@]}" "$B/tests/bench/bench_decide" "$W/policy-$rules.yaml" "$W/requests-$rules.txt")
    P50[$rules]=$(field p50_ns "$line")
    P99[$rules]=$(field p99_ns "$line")
    LOAD[$rules]=$(field load_ms "$line")
    RSS[$rules]=$(field peak_rss_kib "$line")
    verify "$rules" || status=1
done

# Batch dry-run and the Python reference, 100 rules.
P=$W/policy-100.yaml R=$W/requests-100.txt
batch_s=$(seconds "${ONE_CORE[@]}" "$SW" test "$P" --batch "$R")
"$SW" test "$P" --batch "$R" 2>/dev/null | grep -v '^#' | cut -f2,3 >"$W/c.out"
py_s=$(seconds python3 "$ROOT/tests/bench/reference.py" "$P" <"$R")
python3 "$ROOT/tests/bench/reference.py" "$P" <"$R" >"$W/py.out"
if cmp -s "$W/c.out" "$W/py.out"; then ref_diff=0; else
    ref_diff=$(paste "$W/c.out" "$W/py.out" | awk -F'\t' '$1!=$3||$2!=$4' | wc -l)
    status=1
fi

# Replay: a log of N records in the DLL's format, re-decided with the
# 10,000-rule policy.
python3 - "$R" "$W/replay.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for i, line in enumerate(src):
        name = line.rstrip("\n")
        event, action = ("vetoed", "deny") if i % 3 == 0 else ("connected", "allow")
        out.write(json.dumps({"time": "2026-11-01T08:00:00.000Z", "event": event,
                              "user": "CORP\\alice", "raw": name, "action": action,
                              "enforced": True, "rule": "default", "status": 0},
                             separators=(",", ":")) + "\n")
PY
replay_s=$(seconds "${ONE_CORE[@]}" "$SW" replay "$W/policy-10000.yaml" "$W/replay.jsonl")

# The DLL under Wine, if cross-built.
dll_line="not measured (run tests/run-all.sh winbuild first)"
MPRSIM=$ROOT/build/mingw-x64/tests/wine/mprsim.exe
if [ -x "$ROOT/tests/wine/bench-pre.sh" ] && [ -f "$MPRSIM" ]; then
    dll_line=$("$ROOT/tests/wine/bench-pre.sh" 2>/dev/null || echo "failed")
fi

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
batch_rate=$(rate "$N" "$batch_s")
py_rate=$(rate "$N" "$py_s")

printf '\nsharewall benchmarks — %s requests per stream, %s, %s\n\n' "$N" "$(uname -m)" \
    "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
printf '| rules | decide p50 | decide p99 | load+compile | peak RSS | index = scan |\n'
printf '|------:|-----------:|-----------:|-------------:|---------:|:-------------|\n'
for rules in 10 100 1000 10000; do
    printf '| %s | %s ns | %s ns | %s ms | %s KiB | %s |\n' "$rules" "${P50[$rules]}" \
        "${P99[$rules]}" "${LOAD[$rules]}" "${RSS[$rules]}" \
        "$(sed -n 's/.*differences=\([0-9]*\).*/\1 differences/p' "$W/verify-$rules.txt")"
done
printf '\n| throughput (one core) | figure |\n|---|---:|\n'
printf '| `sharewall test --batch`, 100 rules | %s decisions/s |\n' "$batch_rate"
printf '| Python reference, 100 rules | %s decisions/s (%s differences) |\n' "$py_rate" "$ref_diff"
printf '| speed ratio, batch vs reference | %sx |\n' \
    "$(awk -v a="$batch_rate" -v b="$py_rate" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "-" }')"
printf '| `sharewall replay`, 10,000 rules | %s records/s |\n' "$(rate "$N" "$replay_s")"
printf '| p99 ratio 10,000 vs 10 rules | %sx |\n' \
    "$(awk -v a="${P99[10000]}" -v b="${P99[10]}" 'BEGIN { printf "%.2f", a / b }')"
printf '| DLL PRE call under Wine | %s |\n' "$dll_line"
exit $status
