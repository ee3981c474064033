#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Progress lines: with -v (--progress) and stderr not a terminal, `scan`, `timeline` and
# `bisect` print one "snapshot i of N: NAME: E entries in S s (R entries/s)" line per
# snapshot read on stderr, in the order read; stdout is byte for byte the same as
# without -v; -q wins over -v; without -v nothing is printed on stderr. Uses the bundled
# sample incident's two archives.
#
#   bash tests/cli/progress.sh REGAUTOPSY SOURCE_DIR
set -uo pipefail
export LC_ALL=C
bin=$1
src=$2
d=$src/samples/incident-2026-04
s1=$d/registry-2026-04-12T0100Z.tar.gz
s2=$d/registry-2026-04-13T0100Z.tar.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: progress: $*" >&2; exit 1; }
line='snapshot %d of 2: %s: %d entries in [0-9]+\.[0-9]{2} s \([0-9]+ entries/s\)'

run() { # NAME ARGS...: run with and without -v, compare stdout
    local name=$1
    shift
    "$bin" "$@" >"$tmp/$name.plain" 2>"$tmp/$name.plain.err"
    "$bin" "${@:1:1}" -v "${@:2}" >"$tmp/$name.out" 2>"$tmp/$name.err"
    cmp -s "$tmp/$name.plain" "$tmp/$name.out" || fail "$name: stdout differs with -v"
    [ ! -s "$tmp/$name.plain.err" ] || fail "$name: stderr without -v: $(cat "$tmp/$name.plain.err")"
    "$bin" "${@:1:1}" -v -q "${@:2}" >/dev/null 2>"$tmp/$name.q.err"
    [ ! -s "$tmp/$name.q.err" ] || fail "$name: stderr with -v -q: $(cat "$tmp/$name.q.err")"
}
expect() { # NAME I NAME ENTRIES (line number = order)
    local want
    want=$(printf "$line" "$2" "$3" "$4")
    sed -n "${5}p" "$tmp/$1.err" | grep -Eqx -- "$want" ||
        fail "$1: stderr line $5 is not '$want': $(cat "$tmp/$1.err")"
}

run scan scan --json /dev/null "$s1" "$s2"
[ "$(wc -l <"$tmp/scan.err")" = 2 ] || fail "scan: $(cat "$tmp/scan.err")"
expect scan 1 registry-2026-04-12T0100Z.tar.gz 190 1
expect scan 2 registry-2026-04-13T0100Z.tar.gz 156 2

run timeline timeline "$s2" "$s1"
[ "$(wc -l <"$tmp/timeline.err")" = 2 ] || fail "timeline: $(cat "$tmp/timeline.err")"
expect timeline 1 registry-2026-04-13T0100Z.tar.gz 156 1
expect timeline 2 registry-2026-04-12T0100Z.tar.gz 190 2

run bisect bisect infra-ci:latest "$s2" "$s1"
[ "$(wc -l <"$tmp/bisect.err")" = 2 ] || fail "bisect: $(cat "$tmp/bisect.err")"
# bisect orders by time and reads the newest first
expect bisect 2 registry-2026-04-13T0100Z.tar.gz 156 1
expect bisect 1 registry-2026-04-12T0100Z.tar.gz 190 2
grep -qx 'first not pullable: snapshot 2 of 2: registry-2026-04-13T0100Z.tar.gz (2026-04-13T01:00:00Z)' \
    "$tmp/bisect.out" || fail "bisect: $(cat "$tmp/bisect.out")"
echo "PASS: progress"
