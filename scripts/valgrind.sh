#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a subset of the tests under valgrind memcheck, on a build WITHOUT sanitizers
# (valgrind and ASan do not mix): the unit tests of util, model, ingest and report, and
# `regautopsy scan` (plain, --json, --verify) and `regautopsy report` on the bundled
# sample incident. Any memcheck error, or a definitely or indirectly lost block, fails.
# The reading thread's unit test (ingest/inflow) also runs under helgrind.
#
#   scripts/valgrind.sh [BUILD_DIR]
#
# BUILD_DIR (default build) must hold a configured and built non-sanitizer tree with
# RA_TESTS=ON, as the first stage of scripts/test.sh leaves it. Logs go to
# BUILD_DIR/valgrind/<name>.log. Exits 1 on any failure, 2 when valgrind is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD
bdir=${1:-build}

if ! command -v valgrind >/dev/null; then
    echo "valgrind.sh: valgrind not found (Debian package valgrind)" >&2
    exit 2
fi
if [ ! -x "$bdir/regautopsy" ]; then
    echo "valgrind.sh: no regautopsy in '$bdir': build it first" >&2
    exit 2
fi
if grep -q '^RA_SANITIZE:BOOL=ON' "$bdir/CMakeCache.txt" 2>/dev/null; then
    echo "valgrind.sh: '$bdir' is a sanitizer build; use a build without RA_SANITIZE" >&2
    exit 2
fi

logs=$bdir/valgrind
rm -rf "$logs"
mkdir -p "$logs"
memcheck=(valgrind --tool=memcheck --leak-check=full
          --errors-for-leak-kinds=definite,indirect --num-callers=30)
export RA_FIXTURES=$src/tests/fixtures
failed=0
start=$SECONDS

# run NAME EXPECTED_RC CMD...: memcheck reports as exit code 99, which the tools
# themselves never use (0-2), so a command's own failure and memcheck's are told apart.
run() {
    local name=$1 want=$2 rc t0=$SECONDS
    shift 2
    "${memcheck[@]}" --error-exitcode=99 --log-file="$logs/$name.log" "$@" \
        >"$logs/$name.out" 2>&1
    rc=$?
    if [ $rc -eq 99 ]; then
        echo "FAIL $name: memcheck errors, see $logs/$name.log" >&2
        grep -E 'ERROR SUMMARY|definitely|indirectly' "$logs/$name.log" | sed 's/^/    /' >&2
        failed=1
    elif [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want; see $logs/$name.out" >&2
        failed=1
    else
        printf 'ok   %-28s %3ds\n' "$name" $((SECONDS - t0))
    fi
}

shopt -s nullglob
for layer in util model ingest report; do
    for bin in "$bdir"/tests/unit_"$layer"_*; do
        [ -x "$bin" ] && run "$(basename "$bin")" 0 "$bin"
    done
done

s=$src/samples/incident-2026-04
a=$s/registry-2026-04-12T0100Z.tar.gz
b=$s/registry-2026-04-13T0100Z.tar.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# exit 1: infra-ci:latest is unpullable in the second snapshot (the sample's story)
run scan 0 "$bdir/regautopsy" scan -q "$a"
run scan-json 1 "$bdir/regautopsy" scan -q --json "$tmp/scan.json" "$a" "$b"
run scan-verify 1 "$bdir/regautopsy" scan -q --verify "$b"
run report 1 "$bdir/regautopsy" report -q --json "$tmp/model.json" -o "$tmp/pm.md" \
    --log "$s/gc-2026-04-12.log" "$a" "$b"

# The one module with a thread of its own, under helgrind: a data race, a lock-order
# problem or a misuse of the pthread API fails it.
name=helgrind-inflow
t0=$SECONDS
if valgrind --tool=helgrind --error-exitcode=99 --log-file="$logs/$name.log" \
    "$bdir/tests/unit_ingest_inflow" >"$logs/$name.out" 2>&1; then
    printf 'ok   %-28s %3ds\n' "$name" $((SECONDS - t0))
else
    echo "FAIL $name: see $logs/$name.log and $logs/$name.out" >&2
    failed=1
fi

echo "valgrind: $((SECONDS - start))s"
exit $failed
