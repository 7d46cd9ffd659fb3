#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ with clang (ASan + UBSan) and runs each for a bounded
# time, starting from the seed corpus in fuzz/corpus/<harness>/. Fails on any crash, leak, timeout,
# out-of-memory or sanitizer report; the input that caused it is left in $BUILD_DIR/artifacts/.
#
#   scripts/fuzz.sh                 every harness for 30 s
#   scripts/fuzz.sh 120 fuzz_tar    one harness for 120 s
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 0      every harness for 1M executions, no time limit
#
# Environment: BUILD_DIR (default build-fuzz), JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
build=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}
all=(fuzz_sharegpt4v fuzz_jsonl fuzz_sharecaptioner fuzz_tar fuzz_query fuzz_imageheader fuzz_sse fuzz_ndjson fuzz_provider fuzz_facetmodel fuzz_gif)
harnesses=("$@")
((${#harnesses[@]})) || harnesses=("${all[@]}")

if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ is missing (scripts/install-deps.sh installs it)" >&2
    exit 2
fi

# Warnings are errors in the gcc build that `make test` runs; clang's warning set differs, and a
# clang-only warning must not stop the fuzzers from running.
mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DFACET_FUZZ=ON \
    -DFACET_WERROR=OFF -DWITH_TESTS=OFF -DWITH_GUI_TESTS=OFF -DWITH_BENCHMARKS=OFF >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; exit 2; }
cmake --build "$build" -j"$jobs" --target "${harnesses[@]}"

mkdir -p "$build/artifacts" "$build/logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8

failed=()
for h in "${harnesses[@]}"; do
    # New inputs go to a work corpus in the build folder; the repository's seeds stay as they are.
    work="$build/corpus/$h"
    mkdir -p "$work"
    max_len=16384
    [[ $h == fuzz_query ]] && max_len=512 # one search box line; longer text only slows the SQL
    limits=(-timeout=10 -rss_limit_mb=2048 -max_len=$max_len -print_final_stats=1
            -artifact_prefix="$build/artifacts/$h-")
    if [[ -n "${FUZZ_RUNS:-}" ]]; then
        limits+=(-runs="$FUZZ_RUNS")
    else
        limits+=(-max_total_time="$seconds")
    fi
    echo "=== $h (${FUZZ_RUNS:+$FUZZ_RUNS runs}${FUZZ_RUNS:-$seconds s})"
    start=$(date +%s)
    if "$build/fuzz/$h" "${limits[@]}" "$work" "fuzz/corpus/$h" >"$build/logs/$h.log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$h")
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/logs/$h.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$build/logs/$h.log" | tail -1 || true)
    echo "$h: $status, ${execs:-?} executions, ${cov:-cov: ?}, $(( $(date +%s) - start )) s"
    if [[ $status != ok ]]; then
        grep -E 'ERROR|SUMMARY|invariant|runtime error|==[0-9]+==' "$build/logs/$h.log" | head -20 >&2 || true
        echo "full log: $build/logs/$h.log; input: $(ls "$build/artifacts/$h-"* 2>/dev/null | head -1)" >&2
    fi
done

if ((${#failed[@]})); then
    echo "fuzz.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: ${#harnesses[@]} harnesses ran clean"
