#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: `regautopsy bisect` over ten dated directory snapshots (cp -a) of REAL
# registry storage (docker-registry 2.8, skopeo, umoci):
#
#   day 1        push app:1 and keep:1
#   days 1..5    snapshots registry-2026-04-0<d>T0100Z (day 3: push keep:2)
#   before 6     tag app:1 removed (rm -rf of its tag directory)
#   before 8     `docker-registry garbage-collect -m`: app:1's own layer and config go
#   days 6..10   snapshots
#
# The snapshots are given in shuffled order. Asserts: bisect app:1 names exactly
# snapshots 5 (last pullable) and 6 (first not, tag_absent); bisect of app:1's own
# layer blob names 7 and 8 (blob_absent); each reads at most ceil(log2 10) + 1 = 5
# snapshots and says which it skipped; skopeo against the real registry serving each
# bracketing snapshot read-only agrees (app:1 pullable in 5, not in 6; the blob
# served in 7, 404 in 8); keep:1 is still pullable (exit 1), ghost:1 never was
# (exit 1); each directory snapshot read is read in targeted rounds (fewer entries a round than
# it holds); the snapshots are left byte for byte as they were.
#
#   bash tests/e2e/bisect.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: bisect.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: bisect.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin bisect "docker-registry skopeo umoci jq curl python3" docker-registry skopeo umoci jq curl
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live
store=$live/var/lib/registry
S=$tmp/snaps
mkdir -p "$store" "$S"
name() { printf 'registry-2026-04-%02dT0100Z' "$1"; }
snap() { cp -a "$live" "$S/$(name "$1")" || die "snapshot $1"; }

step "build and push app:1, keep:1"
img_build "$L" app-1 amd64 "" "e2e bisect base" "e2e bisect app 1 only" || die "img_build app-1"
img_build "$L" keep-1 amd64 "" "e2e bisect base" "e2e bisect keep 1" || die "img_build keep-1"
img_build "$L" keep-2 amd64 "" "e2e bisect base" "e2e bisect keep 2" || die "img_build keep-2"
reg_start "$store" || die "reg_start"
push_oci "$L" app-1 app:1 || die "push app:1"
push_oci "$L" keep-1 keep:1 || die "push keep:1"
reg_stop
V2=$store/docker/registry/v2
APP1=$(cat "$V2/repositories/app/_manifests/tags/1/current/link") || die "app:1 link"
LAYER=$(jq -r '.layers[1].digest' "$V2/blobs/sha256/${APP1:7:2}/${APP1#sha256:}/data") ||
    die "app:1's own layer"
[[ $LAYER == sha256:* ]] || die "no second layer in app:1: $LAYER"

step "ten daily snapshots; app:1 untagged before 6, garbage-collect -m before 8"
for d in 1 2 3 4 5 6 7 8 9 10; do
    if ((d == 3)); then
        reg_start "$store" || die "reg_start"
        push_oci "$L" keep-2 keep:2 || die "push keep:2"
        reg_stop
    fi
    if ((d == 6)); then
        rm -rf "$V2/repositories/app/_manifests/tags/1" || die "rm tag"
    fi
    if ((d == 8)); then
        reg_start "$store" || die "reg_start"
        REG_GC_LOG=$tmp/gc.log reg_gc -m || die "garbage-collect: $(tail -3 "$tmp/gc.log")"
        reg_stop
        [[ ! -e $V2/blobs/sha256/${LAYER:7:2}/${LAYER#sha256:}/data ]] ||
            die "the real GC kept app:1's layer"
    fi
    snap "$d"
done
(cd "$S" && find . -printf '%p %s %T@\n' | sort && cat ./*/var/lib/registry/docker/registry/v2/repositories/*/_manifests/tags/*/current/link) >"$tmp/before"

ARGS=()
for d in 7 2 10 5 1 9 3 8 6 4; do ARGS+=("$S/$(name "$d")"); done

# bisect TARGET EXPECTED_EXIT OUT.json (directories read in targeted rounds, each
# round walking only the folders the target is known to need)
bisect() {
    local rc=0
    "$BIN" bisect -q "$1" "${ARGS[@]}" --json "$3" >"$3.txt" 2>"$3.err" || rc=$?
    [[ $rc == "$2" ]] || die "bisect $1: exit $rc, expected $2: $(cat "$3.err" "$3.txt")"
    [[ ! -s $3.err ]] || die "bisect $1 wrote on stderr: $(cat "$3.err")"
}

check_bracket() { # OUT.json GOOD BAD REASON
    jq -e --argjson g "$2" --argjson b "$3" --arg r "$4" '
        .outcome == "found" and .last_pullable == $g and .first_not_pullable == $b
        and .reason == $r and .snapshots_total == 10 and .snapshots_read <= 5
        and .snapshots_read == (.read_order | length)
        and ([.snapshots[] | select(.read)] | length) == .snapshots_read
        and ([.snapshots[] | select(.read | not) | .state] | unique) == ["skipped"]
        and (.snapshots | map(.name) | . == sort)
        and .snapshots[$g - 1].state == "pullable"
        and .snapshots[$b - 1].state == "not_pullable"' "$1" >/dev/null ||
        die "bisect result wrong (want $2 -> $3, $4): $(jq -c '{outcome, last_pullable, first_not_pullable, reason, snapshots_read, read_order}' "$1")"
}

step "bisect app:1"
bisect app:1 0 "$tmp/tag.json"
check_bracket "$tmp/tag.json" 5 6 tag_absent
grep -qx "last pullable:      snapshot 5 of 10: $(name 5) (2026-04-05T01:00:00Z)" "$tmp/tag.json.txt" ||
    die "text: $(cat "$tmp/tag.json.txt")"
grep -qx "first not pullable: snapshot 6 of 10: $(name 6) (2026-04-06T01:00:00Z)" "$tmp/tag.json.txt" ||
    die "text: $(cat "$tmp/tag.json.txt")"
echo "    read $(jq -c .read_order "$tmp/tag.json") of 10"
# directories are read in targeted rounds: only the folders app:1 needs
for i in $(jq -r '.snapshots[] | select(.read) | .index' "$tmp/tag.json"); do
    all=$(find "$S/$(name "$i")" -mindepth 1 | wc -l)
    jq -e --argjson i "$i" --argjson all "$all" '.snapshots[$i - 1] | .rounds >= 1
        and .entries / .rounds < $all' "$tmp/tag.json" >/dev/null ||
        die "snapshot $i read whole: $(jq -c ".snapshots[$i - 1]" "$tmp/tag.json"), $all entries"
done

step "bisect app:1's own layer $LAYER"
bisect "$LAYER" 0 "$tmp/blob.json"
check_bracket "$tmp/blob.json" 7 8 blob_absent
echo "    read $(jq -c .read_order "$tmp/blob.json") of 10"

step "keep:1 still pullable, ghost:1 never"
bisect keep:1 1 "$tmp/keep.json"
jq -e '.outcome == "still_pullable" and .last_pullable == 10 and .snapshots_read <= 2' \
    "$tmp/keep.json" >/dev/null || die "keep:1: $(jq -c . "$tmp/keep.json")"
bisect ghost:1 1 "$tmp/ghost.json"
jq -e '.outcome == "never_pullable" and .first_not_pullable == 1 and .reason == "tag_absent"
       and .snapshots_read <= 5' "$tmp/ghost.json" >/dev/null ||
    die "ghost:1: $(jq -c . "$tmp/ghost.json")"

step "ground truth: skopeo and the registry serving each bracketing snapshot read-only"
truth() { # DAY -> "pullable" or not, for app:1; HTTP status of the layer blob
    rm -rf "$tmp/serve" && cp -a "$S/$(name "$1")" "$tmp/serve" || die "copy"
    reg_start -r "$tmp/serve/var/lib/registry" || die "reg_start -r"
    truth_json "$tmp/truth-$1.json" app:1 || die "truth_json"
    curl -s -o /dev/null -w '%{http_code}' -I \
        "http://127.0.0.1:$REG_PORT/v2/app/blobs/$LAYER" >"$tmp/blob-$1" || die "curl"
    reg_stop
}
for d in 5 6 7 8; do truth "$d"; done
[[ $(jq -r '.tags[0].pullable' "$tmp/truth-5.json") == true ]] || die "skopeo: app:1 not pullable in 5"
[[ $(jq -r '.tags[0].pullable' "$tmp/truth-6.json") == false ]] || die "skopeo: app:1 pullable in 6"
[[ $(jq -r '.tags[0].resolves' "$tmp/truth-6.json") == false ]] || die "skopeo: app:1 resolves in 6"
[[ $(cat "$tmp/blob-7") == 200 ]] || die "registry: layer not served in 7 ($(cat "$tmp/blob-7"))"
[[ $(cat "$tmp/blob-8") == 404 ]] || die "registry: layer served in 8 ($(cat "$tmp/blob-8"))"

step "the snapshots are untouched"
(cd "$S" && find . -printf '%p %s %T@\n' | sort && cat ./*/var/lib/registry/docker/registry/v2/repositories/*/_manifests/tags/*/current/link) >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || die "a snapshot changed: $(diff "$tmp/before" "$tmp/after" | head -5)"
echo "PASS: bisect"
