#!/usr/bin/env bash
# Sanitizer runs of the test suite (docs/reliability.md):
#   address  build-asan, -fsanitize=address,undefined: every test (GUI tests offscreen)
#   thread   build-tsan, -fsanitize=thread: the tests that run thread pools and worker threads
#
#   scripts/sanitize.sh            both
#   scripts/sanitize.sh address    one of them
#
# Environment: ASAN_BUILD_DIR (build-asan), TSAN_BUILD_DIR (build-tsan), JOBS (nproc),
# TSAN_TESTS (ctest -R regex of the threaded tests). Fails on any test failure or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
jobs=${JOBS:-$(nproc)}
export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8
# Any report fails the test that produced it: UBSan aborts (-fno-sanitize-recover), ASan and TSan
# exit with a non-zero status.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Leaks inside OpenSSL's own state only (scripts/lsan.supp explains it).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
tsan_supp=$PWD/scripts/tsan.supp # only for races inside Qt itself, each one explained there
# die_after_fork=0: QProcess forks the multi-threaded test process to start ImageMagick
# (test_images), and with the default TSan ends the test there ("starting new threads after
# multi-threaded fork is not supported"); what runs between that fork and exec() is Qt's, not ours.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:die_after_fork=0}
[[ -f $tsan_supp ]] && TSAN_OPTIONS+=":suppressions=$tsan_supp"

# Warnings are errors in the plain build that `make test` runs. GCC's sanitizer instrumentation
# produces warnings of its own (-Wmaybe-uninitialized, -Wstringop-overflow on instrumented code),
# so they are not errors here: this build is about what the sanitizers report at run time.
timed() { # label command...: runs the command and prints its wall and CPU time (docs/reliability.md
    # quotes them; CPU time / cores is what the step costs on a machine nobody else is using)
    local label=$1 t0=$SECONDS
    shift
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f "sanitize.sh: $label took %e s wall, %U s user + %S s system CPU" "$@"
    else
        "$@"
        echo "sanitize.sh: $label took $((SECONDS - t0)) s wall"
    fi
}

configure() { # dir sanitizer
    mkdir -p "$1"
    cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACET_SANITIZE="$2" -DWITH_BENCHMARKS=OFF -DFACET_WERROR=OFF \
        >"$1/configure.log" 2>&1 || { cat "$1/configure.log" >&2; exit 2; }
}

if [[ $what == all || $what == address ]]; then
    dir=${ASAN_BUILD_DIR:-build-asan}
    echo "=== AddressSanitizer + UndefinedBehaviorSanitizer: every test ($dir)"
    configure "$dir" address
    timed "ASan build" cmake --build "$dir" -j"$jobs"
    timed "ASan tests" ctest --test-dir "$dir" --output-on-failure -j"$jobs"
fi

if [[ $what == all || $what == thread ]]; then
    dir=${TSAN_BUILD_DIR:-build-tsan}
    # Verifier (QtConcurrent pool) and thumbnail cache (concurrent writers) in test_images; the
    # store under QtTest; test_facets: FacetIndexer's pool; test_crash: the facet CLI's import (FacetIndexer's pool, the pipelined
    # batches) and the GUI-like process (a worker thread's connection beside the reading main
    # thread). Not the GUI tests or test_recaption: Debian's Qt is not built for TSan,
    # so every queued call, QFuture and QThreadPool hand-off inside libQt6Core is reported as a race
    # (docs/reliability.md lists them); they run under ASan + UBSan above.
    regex=${TSAN_TESTS:-'^(test_images|test_store|test_facets|test_crash)$'}
    echo "=== ThreadSanitizer: tests matching $regex ($dir)"
    configure "$dir" thread
    # Only the selected tests (and what they depend on, such as the facet CLI) are built.
    mapfile -t tests < <(ctest --test-dir "$dir" -N -R "$regex" | sed -n 's/^ *Test *#[0-9]*: *//p')
    ((${#tests[@]})) || { echo "sanitize.sh: no test matches $regex" >&2; exit 2; }
    timed "TSan build" cmake --build "$dir" -j"$jobs" --target "${tests[@]}"
    timed "TSan tests" ctest --test-dir "$dir" --output-on-failure -j"$jobs" -R "$regex"
fi
