#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets with clang and run each for a bounded time (docs/fuzzing.md).
#
#   scripts/fuzz.sh [options] [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs default to all of them (layout manifest
# archive tmpl cron calendar logs).
# Each target first replays its crash reproducers (tests/fixtures/fuzz-regressions/
# <target>/), then fuzzes a temporary copy of its seed corpus (tests/fuzz/corpus/
# <target>/); the committed corpus is only written with --minimize-into-repo. Exits 1
# when any target crashed, leaked, timed out or ran out of memory, printing the path of
# each reproducer; replay one with `build-fuzz/tests/fuzz/fuzz_<target> FILE`.
#
# Options:
#   --minimize-into-repo  after fuzzing, replace tests/fuzz/corpus/<target>/ with a
#                         minimized merge of the seeds and what the run found
#   --no-build            use the binaries already in the build directory
#
# Environment: RA_FUZZ_BUILD (build directory, default build-fuzz), RA_FUZZ_WORK (where
# the working corpora, logs and reproducers go; default a new directory in $TMPDIR, kept
# and printed at the end), CC (default clang).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD

minimize=0
build=1
secs=60
targets=()
for arg in "$@"; do
    case $arg in
    --minimize-into-repo) minimize=1 ;;
    --no-build) build=0 ;;
    -h | --help)
        sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "fuzz.sh: unknown option '$arg'" >&2
        exit 2
        ;;
    *)
        if [[ $arg =~ ^[0-9]+$ ]]; then secs=$arg; else targets+=("$arg"); fi
        ;;
    esac
done

all=(layout manifest archive tmpl cron calendar logs quote)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

# -max_len per target: room for the seeds and some growth, no more (larger inputs
# only slow the search down).
declare -A max_len=([layout]=1024 [manifest]=16384 [archive]=32768 [tmpl]=32768
                    [cron]=256 [calendar]=256 [logs]=16384 [quote]=512)

bdir=${RA_FUZZ_BUILD:-build-fuzz}
if [ $build -eq 1 ]; then
    cmake -S . -B "$bdir" -DCMAKE_C_COMPILER="${CC:-clang}" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRA_FUZZ=ON -DRA_TESTS=OFF >/dev/null
    cmake --build "$bdir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
fi

work=${RA_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/ra-fuzz.XXXXXX")}
mkdir -p "$work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
printf '%-9s %8s %10s %8s %10s %6s  %s\n' target seconds execs exec/s cov/edges ft result
for t in "${targets[@]}"; do
    bin=$bdir/tests/fuzz/fuzz_$t
    if [ -z "${max_len[$t]:-}" ] || [ ! -x "$bin" ]; then
        echo "fuzz.sh: no target '$t' (built: $bin)" >&2
        exit 2
    fi
    out=$work/$t
    rm -rf "$out"
    mkdir -p "$out/corpus" "$out/artifacts"
    cp -r "tests/fuzz/corpus/$t/." "$out/corpus/"
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")

    # Reproducers first; open-* ones are reported crashes not fixed yet (see
    # tests/fuzz/regressions.sh): listed, and fuzzing will find them again.
    for f in tests/fixtures/fuzz-regressions/"$t"/*; do
        [ -f "$f" ] || continue
        if "$bin" -timeout=10 -rss_limit_mb=2048 "$f" >>"$out/replay.log" 2>&1; then
            case $(basename "$f") in
            open-*) echo "$t: fixed now: $f passes; rename it without 'open-'" >&2 ;;
            esac
        else
            case $(basename "$f") in
            open-*) echo "$t: known open: $f" >&2 ;;
            *)
                echo "$t: fixed crash is back: $f; see $out/replay.log" >&2
                failed=1
                ;;
            esac
        fi
    done

    rc=0
    t0=$SECONDS
    "$bin" "$out/corpus" "${dict[@]}" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len="${max_len[$t]}" -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/" >"$out/fuzz.log" 2>&1 || rc=$?
    took=$((SECONDS - t0))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
    edges=$(sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters.*/\1/p' \
        "$out/fuzz.log" | head -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz.log")
    last=$(grep -E '^#[0-9]+' "$out/fuzz.log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    found=$(find "$out/artifacts" -type f | sort)
    if [ $rc -ne 0 ] || [ -n "$found" ]; then
        result=FAILED
        failed=1
    else
        result=ok
    fi
    printf '%-9s %8s %10s %8s %10s %6s  %s\n' "$t" "$took" "${execs:-?}" "${speed:-?}" \
        "${cov:-?}/${edges:-?}" "${ft:-?}" "$result"
    if [ $result = FAILED ]; then
        grep -E 'ERROR: |SUMMARY: |check failed' "$out/fuzz.log" | head -n 5 | sed 's/^/    /'
        for f in $found; do echo "    reproducer: $f"; done
        echo "    log: $out/fuzz.log"
    fi

    if [ $minimize -eq 1 ] && [ $result = ok ]; then
        rm -rf "$out/min"
        mkdir "$out/min"
        "$bin" -merge=1 -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 \
            "$out/min" "tests/fuzz/corpus/$t" "$out/corpus" >"$out/merge.log" 2>&1
        rm -rf "tests/fuzz/corpus/$t"
        cp -r "$out/min" "tests/fuzz/corpus/$t"
        echo "    corpus: $(ls "tests/fuzz/corpus/$t" | wc -l) files," \
            "$(du -sb "tests/fuzz/corpus/$t" | cut -f1) bytes (keep it under 50 files," \
            "200 KB)"
    fi
done
echo "work directory: $work"
exit $failed
