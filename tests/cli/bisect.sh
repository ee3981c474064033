#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `regautopsy bisect` at the command line, on the bundled sample's two archives: exit
# codes (0 pair found, 1 never or still pullable, 2 usage), --json - alone on stdout,
# and snapshots that say nothing about the target skipped as unreadable, with one
# stderr line each: a folder without a registry root, an archive cut short before the
# target was seen.
#
#   bash tests/cli/bisect.sh REGAUTOPSY SOURCE_DIR
set -uo pipefail
export LC_ALL=C
bin=$1
d=$2/samples/incident-2026-04
s1=$d/registry-2026-04-12T0100Z.tar.gz
s2=$d/registry-2026-04-13T0100Z.tar.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: bisect: $*" >&2; exit 1; }
rc() { # WANT ARGS...: exit code of bisect ARGS
    local want=$1 got=0
    shift
    "$bin" bisect "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
    [ "$got" = "$want" ] || fail "bisect $*: exit $got, want $want: $(cat "$tmp/err" "$tmp/out")"
}

rc 2
rc 2 infra-ci:latest
rc 2 infra-ci "$s1"
grep -q "expected REPO:TAG" "$tmp/err" || fail "no message for a bad target: $(cat "$tmp/err")"
rc 2 infra-ci:latest "$tmp/nonexistent"
rc 0 infra-ci:latest "$s2" "$s1"
rc 0 infra-ci:latest@linux/arm64/v8 "$s1" "$s2"
grep -qx 'reason:             index_child_missing' "$tmp/out" || fail "$(cat "$tmp/out")"
rc 1 base/debian:12 "$s1" "$s2"
grep -q '^still pullable in the newest snapshot: snapshot 2 of 2' "$tmp/out" || fail "$(cat "$tmp/out")"
rc 1 nothere:1 "$s1" "$s2"
rc 0 --json - infra-ci:latest "$s1" "$s2"
jq -e '.schema == "regautopsy.bisect/1" and .outcome == "found" and .last_pullable == 1
       and .first_not_pullable == 2 and .reason == "index_child_missing"' "$tmp/out" >/dev/null ||
    fail "--json -: $(cat "$tmp/out")"

mkdir "$tmp/empty"
head -c 3000 "$s2" >"$tmp/registry-2026-04-14T0100Z.tar.gz"
rc 0 infra-ci:latest "$s1" "$s2" "$tmp/registry-2026-04-14T0100Z.tar.gz" --json "$tmp/j.json"
jq -e '.snapshots[2].state == "unreadable" and .first_not_pullable == 2' "$tmp/j.json" \
    >/dev/null || fail "cut archive: $(cat "$tmp/j.json")"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "the target is not judged on a part (skipped)$" "$tmp/err" ||
    fail "cut archive stderr: $(cat "$tmp/err")"
rc 2 infra-ci:latest "$tmp/empty"
grep -q "no registry root" "$tmp/err" || fail "empty: $(cat "$tmp/err")"
echo "PASS: bisect"
