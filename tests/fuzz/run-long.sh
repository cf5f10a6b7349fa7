#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target long: RUNS executions each (10 million by default), one after
# another, at low priority, from its seed corpus plus what earlier runs found. Prints each
# target's execution count and whether it crashed; a crash leaves its input in
# BUILD/fuzz-artifacts/ (reproduce with `BUILD/bin/TARGET FILE`).
# Usage: tests/fuzz/run-long.sh [BUILD_DIR=build/fuzz] [RUNS=10000000] [TARGET...]
# MAX_SECONDS=N also stops each target after N seconds (a time budget on a shared machine);
# the count printed is then what it reached.
# TIMEOUT=N (120 by default) is libFuzzer's per-input limit in wall-clock seconds. It is long
# because the run is niced: on a busy machine a nice-19 process can wait seconds for a core
# while ASan recycles its quarantine, and a 10 s limit then reports "timeouts" whose inputs
# run in 0.2 s alone. A real hang still ends the run; rerun its input alone to confirm it.
# With the default quarantine, peak RSS reaches about 1 GB over millions of runs: ASan keeps
# freed memory (256 MB) to catch use after free, and its allocator keeps its caches. Not a leak:
# with quarantine_size_mb=0, fuzz_pushback stays at 61 MB over 121,785 runs, where the default
# reaches 560 MB in 60,888 (90 s each, same seed and corpus).
# Build first: cmake --preset fuzz && cmake --build build/fuzz
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/fuzz}
runs=${2:-10000000}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for t in "$build"/bin/fuzz_*; do targets+=("$(basename "$t")"); done
fi
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
# ASan's quarantine is kept at 16 MB (QUARANTINE_MB): at its default 256 MB a long run grows to
# ~1 GB and slows five- to tenfold on this VM, half its time in the kernel as the quarantine is
# recycled (fuzz_pushback beside other work: 960 runs/s on average over 4.7 M runs at 1 GB;
# with 16 MB, 6,515 runs/s at 141 MB). A use after free is still caught while the freed block
# is among the last 16 MB freed.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=${QUARANTINE_MB:-16}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
    mkdir -p "$build/fuzz-corpus/$t"
    log="$build/fuzz-logs/$t.log"
    start=$(date +%s)
    nice -n 19 "$build/bin/$t" -runs="$runs" -max_total_time="${MAX_SECONDS:-0}" -timeout="${TIMEOUT:-120}" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-artifacts/$t-" "$build/fuzz-corpus/$t" \
        "tests/fuzz/corpus/$t" > "$log" 2>&1
    code=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    echo "$t: ${execs:-?} executions in $(( $(date +%s) - start )) s, ${cov:-cov: ?}, peak RSS ${rss:-?} MB, exit $code$( [ $code -ne 0 ] && echo ' (CRASH: see '"$log"')')"
    [ $code -eq 0 ] || failed=1
done
exit $failed
