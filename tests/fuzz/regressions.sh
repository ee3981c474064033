#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ctest fuzz-regressions: replay every crash reproducer
# (tests/fixtures/fuzz-regressions/<target>/) and every seed (tests/fuzz/corpus/<target>/)
# through its fuzz target's entry point, built without libFuzzer (fuzz_<target>_replay;
# under ASan+UBSan in a RA_SANITIZE build).
#
#   bash tests/fuzz/regressions.sh BINARY_DIR SOURCE_DIR TARGET...
#
# A reproducer named open-* is a crash reported but not fixed yet: it runs on its own,
# and while it still fails it is listed as known and does not fail the test, unless
# RA_FUZZ_STRICT=1. Some crashes only show with clang's sanitizers (gcc folds
# `a + 1 > b` into `a >= b` before UBSan sees an overflow), so whether one is fixed is
# for scripts/fuzz.sh to say: it replays the reproducers with the clang build first.
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 BINARY_DIR SOURCE_DIR TARGET..." >&2
    exit 2
fi
bin=$1
src=$2
shift 2
strict=${RA_FUZZ_STRICT:-0}
failed=0
for t in "$@"; do
    reg=$src/tests/fixtures/fuzz-regressions/$t
    args=()
    for f in "$reg"/* "$src/tests/fuzz/corpus/$t"/*; do
        [ -f "$f" ] || continue
        case $(basename "$f") in
        open-*)
            if "$bin/fuzz_${t}_replay" "$f" >"$bin/replay-$t-open.log" 2>&1; then
                echo "open  $t: $f passes in this build (scripts/fuzz.sh says if fixed)"
            elif [ "$strict" = 1 ]; then
                echo "FAIL $t: $f (known open, RA_FUZZ_STRICT=1)" >&2
                tail -n 20 "$bin/replay-$t-open.log" >&2
                failed=1
            else
                echo "known $t: $f still fails (reported; RA_FUZZ_STRICT=1 fails on it)"
            fi
            ;;
        *) args+=("$f") ;;
        esac
    done
    [ ${#args[@]} -eq 0 ] && continue
    if ! "$bin/fuzz_${t}_replay" "${args[@]}" 2>"$bin/replay-$t.log"; then
        echo "FAIL $t: see $bin/replay-$t.log" >&2
        tail -n 30 "$bin/replay-$t.log" >&2
        failed=1
    else
        echo "ok   $t: $(tail -n 1 "$bin/replay-$t.log")"
    fi
done
exit $failed
