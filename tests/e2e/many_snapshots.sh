#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: `timeline` and `report` over twelve dated directory snapshots (cp -a) of
# REAL registry storage (docker-registry 2.8, skopeo, umoci), read oldest first into
# one history, the snapshots that bracket no loss giving up their graphs:
#
#   day 1        push app:1 and keep:1 (day 3: push keep:2)
#   before 6     tag app:1 removed (rm -rf of its tag directory)
#   before 8     `docker-registry garbage-collect -m`: app:1's manifest, own layer and
#                config go
#   before 10    keep:1's own layer deleted by hand (its blob folder removed)
#   before 11    keep:2's current/link rewritten to app:1's manifest, gone since day 8:
#                that loss's last snapshot with the blob is 7, not 10
#   days 1..12   snapshots registry-2026-04-<dd>T0100Z
#
# Asserts: the output of timeline (JSON) and report --all-snapshots (JSON and Markdown)
# given the snapshots oldest first (read one at a time into the history) is byte for
# byte the output given them shuffled (every snapshot kept until all are read, the
# order found after); -v says the graphs of exactly 7 of 12 snapshots were kept (5, 6,
# 7, 9, 10, 11 bracket a loss; 12 is the newest) and that one (7) was read a second
# time; the losses are bracketed as skopeo and the real registry serving snapshots
# read-only see them (keep:1 pulls in 9, not in 10; app:1's manifest is served in 7,
# 404 in 8).
# Then `report` without --all-snapshots (bisect picks what it reads): it reads whole
# exactly 1 (oldest), 12 (newest) and the pairs that bracket each loss (5/6 app:1's
# tag, 7/8 app:1's manifest's revision link for tag_prune_then_gc, 9/10 keep:1's layer,
# 7/11 keep:2's manifest blob, 11 keep's revision link, never there before), reads 3
# and 4 in part (bisect of app:1's tag between 1 and 6) and skips 2, says so in the
# Evidence table and the JSON, and its losses, loss table and root cause (windows,
# fingerprints, suspects) are those of --all-snapshots; the same over 24 snapshots
# (days 13..24 unchanged copies): the same 8 snapshots and 24 read whole, 3, 4 and 12
# in part, the other 12 skipped, the same losses and root cause.
#
#   bash tests/e2e/many_snapshots.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: many_snapshots.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: many_snapshots.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin many_snapshots "docker-registry skopeo umoci jq curl python3" docker-registry skopeo umoci jq curl
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live
store=$live/var/lib/registry
S=$tmp/snaps
mkdir -p "$store" "$S"
name() { printf 'registry-2026-04-%02dT0100Z' "$1"; }
snap() { cp -a "$live" "$S/$(name "$1")" || die "snapshot $1"; }
blob_dir() { echo "$V2/blobs/sha256/${1:7:2}/${1#sha256:}"; }

step "build and push app:1, keep:1"
img_build "$L" app-1 amd64 "" "e2e many base" "e2e many app 1 only" || die "img_build app-1"
img_build "$L" keep-1 amd64 "" "e2e many base" "e2e many keep 1" || die "img_build keep-1"
img_build "$L" keep-2 amd64 "" "e2e many base" "e2e many keep 2" || die "img_build keep-2"
reg_start "$store" || die "reg_start"
push_oci "$L" app-1 app:1 || die "push app:1"
push_oci "$L" keep-1 keep:1 || die "push keep:1"
reg_stop
V2=$store/docker/registry/v2
APP1=$(cat "$V2/repositories/app/_manifests/tags/1/current/link") || die "app:1 link"
KEEP1=$(cat "$V2/repositories/keep/_manifests/tags/1/current/link") || die "keep:1 link"
KLAYER=$(jq -r '.layers[1].digest' "$(blob_dir "$KEEP1")/data") || die "keep:1's own layer"
[[ $KLAYER == sha256:* ]] || die "no second layer in keep:1: $KLAYER"

step "twelve daily snapshots"
for d in $(seq 1 12); do
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
        [[ ! -e $(blob_dir "$APP1")/data ]] || die "the real GC kept app:1's manifest"
    fi
    if ((d == 10)); then
        rm -rf "$(blob_dir "$KLAYER")" || die "rm keep:1's layer"
    fi
    if ((d == 11)); then
        printf '%s' "$APP1" >"$V2/repositories/keep/_manifests/tags/2/current/link" ||
            die "re-point keep:2"
    fi
    snap "$d"
done

ORDERED=() SHUFFLED=()
for d in $(seq 1 12); do ORDERED+=("$S/$(name "$d")"); done
for d in 7 2 12 10 5 1 9 3 11 8 6 4; do SHUFFLED+=("$S/$(name "$d")"); done

run() { # OUT-PREFIX ARGS... (exit 1 expected: tags unpullable, objects lost)
    local out=$1 rc=0
    shift
    "$BIN" "$@" >"$out.out" 2>"$out.err" || rc=$?
    [[ $rc == 1 ]] || die "$*: exit $rc: $(head -5 "$out.err")"
}

step "timeline and report: oldest first (one history) == shuffled (all kept)"
run "$tmp/tl-o" timeline -v --format json "${ORDERED[@]}"
run "$tmp/tl-s" timeline -q --format json "${SHUFFLED[@]}"
cmp -s "$tmp/tl-o.out" "$tmp/tl-s.out" ||
    die "timeline differs: $(diff "$tmp/tl-o.out" "$tmp/tl-s.out" | head -10)"
run "$tmp/rp-o" report -q --all-snapshots --json "$tmp/rp-o.json" "${ORDERED[@]}"
run "$tmp/rp-s" report -q --all-snapshots --json "$tmp/rp-s.json" "${SHUFFLED[@]}"
cmp -s "$tmp/rp-o.out" "$tmp/rp-s.out" ||
    die "report differs: $(diff "$tmp/rp-o.out" "$tmp/rp-s.out" | head -10)"
cmp -s "$tmp/rp-o.json" "$tmp/rp-s.json" ||
    die "report JSON differs: $(diff "$tmp/rp-o.json" "$tmp/rp-s.json" | head -10)"
grep -qx "regautopsy: graphs kept of 7 of 12 snapshots (those that bracket a loss, and the newest); 1 read a second time" \
    "$tmp/tl-o.err" || die "-v: $(grep 'graphs kept' "$tmp/tl-o.err")"

step "the losses' windows"
jq -e --arg d "$KLAYER" --arg f "$(name 9)" '[.losses[] | select(.digest == $d)
    | .window.from.evidence == $f] | length > 0 and all' "$tmp/tl-o.out" >/dev/null ||
    die "keep:1's layer: $(jq -c --arg d "$KLAYER" '[.losses[] | select(.digest == $d)]' "$tmp/tl-o.out")"
jq -e --arg d "$APP1" --arg f "$(name 7)" '[.losses[] | select(.digest == $d and
    .object == "blob") | .window.from.evidence == $f] | length == 1 and all' "$tmp/tl-o.out" \
    >/dev/null ||
    die "app:1's manifest: $(jq -c --arg d "$APP1" '[.losses[] | select(.digest == $d)]' "$tmp/tl-o.out")"

step "ground truth: skopeo and the registry serving snapshots read-only"
truth() { # DAY
    rm -rf "$tmp/serve" && cp -a "$S/$(name "$1")" "$tmp/serve" || die "copy"
    reg_start -r "$tmp/serve/var/lib/registry" || die "reg_start -r"
    truth_json "$tmp/truth-$1.json" keep:1 || die "truth_json"
    curl -s -o /dev/null -w '%{http_code}' -I \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://127.0.0.1:$REG_PORT/v2/app/manifests/$APP1" >"$tmp/app1-$1" || die "curl"
    reg_stop
}
for d in 7 8 9 10; do truth "$d"; done
[[ $(jq -r '.tags[0].pullable' "$tmp/truth-9.json") == true ]] || die "skopeo: keep:1 not pullable in 9"
[[ $(jq -r '.tags[0].pullable' "$tmp/truth-10.json") == false ]] || die "skopeo: keep:1 pullable in 10"
[[ $(cat "$tmp/app1-7") == 200 ]] || die "registry: app:1's manifest not served in 7 ($(cat "$tmp/app1-7"))"
[[ $(cat "$tmp/app1-8") == 404 ]] || die "registry: app:1's manifest served in 8 ($(cat "$tmp/app1-8"))"
grep "graphs kept" "$tmp/tl-o.err"; jq -c ".losses[] | [.object, .repository, .tag, .window.from.evidence, .window.to.kind]" "$tmp/tl-o.out"

# reads REPORT-JSON: "day:read" for every snapshot, oldest first
reads() { jq -r '.inputs.snapshots[] | "\(.name[17:19] | tonumber):\(.read)"' "$1" | paste -sd' '; }
# same_findings PICKED-JSON ALL-JSON: losses, loss table and root cause are equal
same_findings() {
    local k
    for k in losses loss_table root_cause recovery; do
        cmp -s <(jq -S ".$k" "$1") <(jq -S ".$k" "$2") ||
            die "report's $k differ from --all-snapshots: $(diff <(jq -S ".$k" "$1") <(jq -S ".$k" "$2") | head -10)"
    done
}

step "report: bisect picks what it reads (12 snapshots)"
run "$tmp/pk" report -v --json "$tmp/pk.json" -o "$tmp/pk.md" "${SHUFFLED[@]}"
want="1:whole 2:skipped 3:part 4:part 5:whole 6:whole 7:whole 8:whole 9:whole 10:whole 11:whole 12:whole"
[[ $(reads "$tmp/pk.json") == "$want" ]] || die "read: $(reads "$tmp/pk.json"), want $want"
same_findings "$tmp/pk.json" "$tmp/rp-o.json"
jq -e '.inputs.reading == {"picked": true, "given": 12, "whole": 9, "part": 2, "skipped": 1,
    "text": "Of 12 snapshots, 9 were read whole (the oldest, the newest and the two that bracket each loss: the windows, fingerprints and timeline come from them), 2 only in part (bisect: the paths the 4 objects lost in the newest need) and 1 skipped; --all-snapshots reads every one."}' \
    "$tmp/pk.json" >/dev/null || die "inputs.reading: $(jq -c .inputs.reading "$tmp/pk.json")"
jq -e '[.inputs.snapshots[] | select(.read == "part") | .paths_read > 0 and .entries == null]
    | length == 2 and all' "$tmp/pk.json" >/dev/null || die "the part rows: $(jq -c '.inputs.snapshots[2]' "$tmp/pk.json")"
grep -q '^All times are UTC, .* Pushes, storage changes and losses come from the 9 snapshots read whole (of 12: see Evidence examined)\.$' "$tmp/pk.md" ||
    die "Markdown: the Timeline does not say which snapshots its events come from"
grep -qx "| $(name 2) | 2026-04-02T01:00:00Z | name | skipped |  |  |" "$tmp/pk.md" ||
    die "Markdown: no skipped row for day 2: $(grep "$(name 2)" "$tmp/pk.md" | head -2)"
grep -Eqx "\| $(name 3) \| 2026-04-03T01:00:00Z \| name \| [1-9][0-9]* paths \|  \|  \|" "$tmp/pk.md" ||
    die "Markdown: no part row for day 3: $(grep "$(name 3)" "$tmp/pk.md" | head -2)"
grep -qx "| $(name 5) | 2026-04-05T01:00:00Z | name | whole | yes | 98 |" "$tmp/pk.md" ||
    die "Markdown: day 5: $(grep "$(name 5)" "$tmp/pk.md" | head -2)"
grep -qx "regautopsy: of 12 snapshots: 9 read whole, 2 in part for bisect, 1 skipped (objects lost in the newest: 4)" \
    "$tmp/pk.err" || die "-v: $(grep 'of 12' "$tmp/pk.err")"
! grep -q "$(name 2)" <(jq -r '.timeline.all[].source' "$tmp/pk.json") ||
    die "the timeline has a skipped snapshot"

step "report: bisect over 24 snapshots (days 13..24 unchanged)"
for d in $(seq 13 24); do snap "$d"; ORDERED+=("$S/$(name "$d")"); done
run "$tmp/pk24" report -q --json "$tmp/pk24.json" "${ORDERED[@]}"
run "$tmp/all24" report -q --all-snapshots --json "$tmp/all24.json" "${ORDERED[@]}"
same_findings "$tmp/pk24.json" "$tmp/all24.json"
# whole: as with 12, the newest now 24; part: the first probe (12, the middle of 2..23),
# then 3 and 4 as before (5..11 were probed too, and are read whole)
want="1:whole 2:skipped 3:part 4:part 5:whole 6:whole 7:whole 8:whole 9:whole 10:whole 11:whole 12:part"
for d in $(seq 13 23); do want+=" $d:skipped"; done
want+=" 24:whole"
[[ $(reads "$tmp/pk24.json") == "$want" ]] || die "24: read: $(reads "$tmp/pk24.json"), want $want"
echo "PASS: many_snapshots"
