#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: when could the real garbage-collect -m run on a Synology share? REAL
# registry storage (docker-registry 2.8, skopeo, umoci) with the NAS indexer's @eaDir in
# the tags folder, the real GC with and without -m, and the timeline that must blame a
# GC -m run only in a window where it could run.
#
# The share "registry" is the registry's rootdirectory; the config repo schedules
#   25 3 * * 0  garbage-collect -m   (Sundays)      0 4 * * *  garbage-collect (daily)
# The story:
#   2026-04-06 09:00  push infra-ci:latest (OCI index: amd64 + arm64, children untagged)
#   2026-04-06 12:00  the indexer makes @eaDir in infra-ci's _manifests/tags/ and more
#   #snapshot/GMT+00_2026.04.12-01.00
#   2026-04-12 02:00  someone DELETEs the arm64 child through the registry API: 2.8.2
#                     removes its revision link, then fails to look up the tags on
#                     @eaDir and answers 500 (its log, moved to that time, is given
#                     to one timeline run)
#   2026-04-12 03:25  the real garbage-collect -m aborts on _manifests/tags/@eaDir and
#                     deletes nothing
#   2026-04-12 04:00  the real garbage-collect without -m sweeps the arm64 child's
#                     config and layers (its revision link is gone)
#   #snapshot/GMT+00_2026.04.13-01.00
#   2026-04-15 10:00  the operator removes _manifests/tags/@eaDir
#   2026-04-19 03:25  the real garbage-collect -m runs: 2.8 takes the amd64 child
#                     (untagged child of a tagged index) and sweeps its blobs
#   2026-04-19 04:00  the real garbage-collect without -m
#   #snapshot/GMT+00_2026.04.20-01.00
#
# Asserts, with ground truth from skopeo and the real registry and GC (exit codes,
# answers, file listings), never from regautopsy: the arm64 losses (after 04-12) do not
# blame the -m run of 04-12 (low: it aborts on the @eaDir both snapshots hold) and rank
# the GC without -m and an API DELETE above it; the amd64 losses (after 04-13) blame
# the -m run of 04-19 (high), saying it can only have run after @eaDir was removed; the
# report's summary does not call the arm64 losses the work of GC -m.
#
#   bash tests/e2e/synology_gc.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: synology_gc.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: synology_gc.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin synology_gc "docker-registry skopeo umoci jq curl git python3" docker-registry skopeo umoci jq curl tar git
[[ -f "$SRC/scripts/registry-lib.sh" ]] || die "no $SRC/scripts/registry-lib.sh"
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
share=$tmp/registry
v2=$share/docker/registry/v2
SNAPS=$share/#snapshot
S1=GMT+00_2026.04.12-01.00
S2=GMT+00_2026.04.13-01.00
S3=GMT+00_2026.04.20-01.00
MARK=$tmp/marker
EADIR=repositories/infra-ci/_manifests/tags/@eaDir
mkdir -p "$share"

# ---- config repository ---------------------------------------------------------------
R=$tmp/config
e2e_cron_repo "$R" "registry: gc" <<'EOF' || die "config repo"
25 3 * * 0 root docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml
0 4 * * * root docker exec registry registry garbage-collect /etc/docker/registry/config.yml
EOF

# ---- image, push, the indexer ----------------------------------------------------------
step "build a 2-platform index (umoci), push it (skopeo -> docker-registry)"
img_build "$L" ci-amd64 amd64 "" "e2e debian base (amd64)" "e2e infra-ci toolchain (amd64)" ||
    die "img_build"
img_build "$L" ci-arm64 arm64 v8 "e2e debian base (arm64)" "e2e infra-ci toolchain (arm64)" ||
    die "img_build"
img_index "$L" ci-latest ci-amd64 ci-arm64 || die "img_index"
reg_start "$share" || die "reg_start"
reg_mark "$MARK" || die "marker"
push_oci "$L" ci-latest infra-ci:latest || die "push"
reg_stop
set_mtimes "$share" "$MARK" '2026-04-06 09:00:00 UTC' || die "set_mtimes"

blobs_of() { # IMAGE: its config and layer digests, one a line, sorted
    jq -r '.config.digest, .layers[].digest' "$L/blobs/sha256/$(ref_digest "$1" | cut -d: -f2)" | sort
}
AMD=$(ref_digest ci-amd64)
ARM=$(ref_digest ci-arm64)
mapfile -t AMD_BLOBS < <(blobs_of ci-amd64)
mapfile -t ARM_BLOBS < <(blobs_of ci-arm64)
((${#AMD_BLOBS[@]} == 3 && ${#ARM_BLOBS[@]} == 3)) || die "want a config and 2 layers per image"
data() { echo "$v2/blobs/sha256/${1:7:2}/${1#sha256:}/data"; }
for d in "${AMD_BLOBS[@]}" "${ARM_BLOBS[@]}"; do [[ -f $(data "$d") ]] || die "no $d"; done

step "2026-04-06 12:00: the indexer makes @eaDir in infra-ci's tags folder and elsewhere"
reg_mark "$MARK" || die "marker"
for d in _manifests/tags _manifests/revisions/sha256 _layers/sha256; do
    eadir "$v2/repositories/infra-ci/$d" || die "eadir $d"
done
eadir "$v2/blobs/sha256" || die "eadir"
set_mtimes "$share" "$MARK" '2026-04-06 12:00:00 UTC' || die "set_mtimes"

truth() { # SNAPSHOT OUT.json: skopeo against the real registry serving a copy of it
    rm -rf "$tmp/served" && cp -a "$SNAPS/$1" "$tmp/served" || return 1
    reg_start -r "$tmp/served" || return 1
    truth_json "$2" infra-ci:latest
    local rc=$?
    reg_stop
    return "$rc"
}
platforms() { # TRUTH.json -> "amd64:true arm64:false"
    jq -r '[.tags[0].platforms[] | "\(.platform | split("/")[1]):\(.pullable)"] | sort | join(" ")' "$1"
}
listing() { (cd "$1" && find . -printf '%y %s %p\n' | sort); }
gc_run() { # NAME [-m]: the real garbage-collect on the share; prints its exit code
    local name=$1 rc=0
    shift
    reg_start "$share" >/dev/null || return 1
    REG_GC_LOG=$tmp/$name.log reg_gc "$@" 2>/dev/null || rc=$?
    reg_stop
    echo "$rc"
}

step "snapshot $S1"
take "$S1" || die "take $S1"
truth "$S1" "$tmp/truth-s1.json" || die "truth s1"
check "skopeo on $S1: both platforms pull: $(platforms "$tmp/truth-s1.json")" \
    test "$(platforms "$tmp/truth-s1.json")" = "amd64:true arm64:true"

# ---- window 1: @eaDir in tags all along ------------------------------------------------
step "2026-04-12 02:00: DELETE of the arm64 child through the registry API"
reg_mark "$MARK" || die "marker"
REG_LOG_LEVEL=info REG_ACCESS_LOG=1 reg_start "$share" || die "reg_start"
: >"$REG_LOG"
DEL_STATUS=$(curl -sS -o "$tmp/delete.out" -w '%{http_code}' -X DELETE \
    "http://127.0.0.1:$REG_PORT/v2/infra-ci/manifests/$ARM") || die "curl DELETE"
reg_stop
set_mtimes "$share" "$MARK" '2026-04-12 02:00:00 UTC' || die "set_mtimes"
# The registry's own log lines of the request, moved to the story's time (only the time
# fields are rewritten)
grep -F DELETE "$REG_LOG" >"$tmp/registry-real.log" || die "no DELETE in the registry's log"
sed -E -e 's#\[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\]#[12/Apr/2026:02:00:00 +0000]#' \
    -e 's#time="[^"]*"#time="2026-04-12T02:00:00Z"#' "$tmp/registry-real.log" >"$tmp/registry.log"
check "the registry's access log records the DELETE answered 500" \
    grep -qF "\"DELETE /v2/infra-ci/manifests/$ARM HTTP/1.1\" 500 " "$tmp/registry.log"
# 2.8.2's DeleteManifest removes the revision link, then looks up the tags to untag:
# that lookup fails on @eaDir as the GC's does, and the answer is an error
check "the DELETE answered 500 (got $DEL_STATUS): $(cat "$tmp/delete.out")" test "$DEL_STATUS" = 500
check "the error names …/tags/@eaDir/current/link" \
    grep -qF "\"Path\":\"/docker/registry/v2/$EADIR/current/link\"" "$tmp/delete.out"
check "the DELETE removed the arm64 child's revision link all the same" \
    test ! -e "$v2/repositories/infra-ci/_manifests/revisions/sha256/${ARM#sha256:}/link"

step "2026-04-12 03:25: the real garbage-collect -m"
listing "$share" >"$tmp/before-m.txt"
rc=$(gc_run gc-m-0412 -m) || die "gc -m"
listing "$share" >"$tmp/after-m.txt"
check "real GC -m exits non-zero (got $rc)" test "$rc" -ne 0
check "real GC -m aborts on …/tags/@eaDir: $(tail -1 "$tmp/gc-m-0412.log")" \
    grep -q "invalid path: /docker/registry/v2/$EADIR/current/link" "$tmp/gc-m-0412.log"
check "real GC -m deleted nothing" cmp -s "$tmp/before-m.txt" "$tmp/after-m.txt"
touch -d '2026-04-12 03:25:00 UTC' "$share"

step "2026-04-12 04:00: the real garbage-collect without -m"
reg_mark "$MARK" || die "marker"
rc=$(gc_run gc-0412) || die "gc"
set_mtimes "$share" "$MARK" '2026-04-12 04:00:00 UTC' || die "set_mtimes"
check "real GC without -m runs (exit $rc)" test "$rc" -eq 0
check "real GC without -m swept the arm64 child's config and layers" \
    bash -c "! ls $(for d in "${ARM_BLOBS[@]}"; do printf "'%s' " "$(data "$d")"; done) 2>/dev/null"
check "real GC without -m kept the arm64 child's manifest (the index references it)" \
    test -f "$(data "$ARM")"
check "real GC without -m kept every amd64 blob" \
    ls "$(data "${AMD_BLOBS[0]}")" "$(data "${AMD_BLOBS[1]}")" "$(data "${AMD_BLOBS[2]}")"

step "snapshot $S2"
take "$S2" || die "take $S2"
truth "$S2" "$tmp/truth-s2.json" || die "truth s2"
check "skopeo on $S2: amd64 pulls, arm64 does not: $(platforms "$tmp/truth-s2.json")" \
    test "$(platforms "$tmp/truth-s2.json")" = "amd64:true arm64:false"

# ---- window 2: the operator removes @eaDir ----------------------------------------------
step "2026-04-15 10:00: the operator removes $EADIR"
reg_mark "$MARK" || die "marker"
rm -rf "${v2:?}/$EADIR" || die "rm"
set_mtimes "$share" "$MARK" '2026-04-15 10:00:00 UTC' || die "set_mtimes"
step "2026-04-19 03:25: the real garbage-collect -m, now that it can run"
reg_mark "$MARK" || die "marker"
rc=$(gc_run gc-m-0419 -m) || die "gc -m"
set_mtimes "$share" "$MARK" '2026-04-19 03:25:00 UTC' || die "set_mtimes"
check "real GC -m runs (exit $rc)" test "$rc" -eq 0
check "real GC -m took the amd64 child's revision link" \
    test ! -e "$v2/repositories/infra-ci/_manifests/revisions/sha256/${AMD#sha256:}/link"
check "real GC -m swept the amd64 child's config and layers" \
    bash -c "! ls $(for d in "${AMD_BLOBS[@]}"; do printf "'%s' " "$(data "$d")"; done) 2>/dev/null"
reg_mark "$MARK" || die "marker"
rc=$(gc_run gc-0419) || die "gc"
set_mtimes "$share" "$MARK" '2026-04-19 04:00:00 UTC' || die "set_mtimes"
check "2026-04-19 04:00: real GC without -m runs (exit $rc)" test "$rc" -eq 0

step "snapshot $S3"
take "$S3" || die "take $S3"
truth "$S3" "$tmp/truth-s3.json" || die "truth s3"
check "skopeo on $S3: neither platform pulls: $(platforms "$tmp/truth-s3.json")" \
    test "$(platforms "$tmp/truth-s3.json")" = "amd64:false arm64:false"

# ---- the timeline ---------------------------------------------------------------------
step "timeline over the #snapshot folder, with the config repo"
rc=0
"$BIN" timeline -q --config "$R" --json "$tmp/timeline.json" "$SNAPS" >"$tmp/timeline.txt" 2>&1 || rc=$?
check "timeline exits 1 (losses; got $rc)" test "$rc" -eq 1
# A loss's window starts at the last snapshot that had it (its end may be a folder's mtime)
losses() { # FROM-SNAPSHOT -> "object digest" lines of the losses whose window starts there
    jq -r --arg s "$1" '.losses[] | select(.window.from.evidence == $s) | "\(.object) \(.digest)"' \
        "$tmp/timeline.json" | sort
}
want() { # CHILD BLOBS...: the losses the real software made of one child
    local child=$1
    shift
    { printf 'blob %s\n' "$@"; echo "manifest_link $child"; } | sort
}
check "timeline: the arm64 losses, and only they, after $S1" \
    test "$(losses "$S1")" = "$(want "$ARM" "${ARM_BLOBS[@]}")"
check "timeline: the amd64 losses, and only they, after $S2" \
    test "$(losses "$S2")" = "$(want "$AMD" "${AMD_BLOBS[@]}")"

# suspects of the losses after SNAPSHOT: "job@fired_at:confidence", best first
suspects() { # FROM-SNAPSHOT OBJECT
    jq -r --arg s "$1" --arg o "$2" '[.losses[] | select(.window.from.evidence == $s and .object == $o)
        | [.suspects[] | "\(.job)@\(.fired_at // "-"):\(.confidence)"] | join(" ")] | unique | .[]' \
        "$tmp/timeline.json"
}
GC_M=$(jq -r '[.losses[].suspects[] | select(.fired_at == "2026-04-19T03:25:00Z") | .job][0]' "$tmp/timeline.json")
GC=$(jq -r '[.losses[].suspects[] | select(.fired_at == "2026-04-12T04:00:00Z") | .job][0]' "$tmp/timeline.json")
check "timeline: the arm64 blobs: the GC without -m of 04-12 first (medium), the -m run of 04-12 low: $(suspects "$S1" blob)" \
    test "$(suspects "$S1" blob)" = "$GC@2026-04-12T04:00:00Z:medium $GC_M@2026-04-12T03:25:00Z:low"
check "timeline: the arm64 revision link: an API DELETE (medium) above the -m run of 04-12 (low): $(suspects "$S1" manifest_link)" \
    test "$(suspects "$S1" manifest_link)" = "api-delete@-:medium $GC_M@2026-04-12T03:25:00Z:low"
check "timeline: the -m run of 04-12 could not have deleted the arm64 losses, and says why" \
    jq -e --arg e "$EADIR" --arg a "$S1" --arg b "$S2" '[.losses[] | select(.window.from.evidence == $a)
        | .suspects[] | select(.fired_at == "2026-04-12T03:25:00Z") | .reason
        | endswith("; but a garbage-collect with --delete-untagged aborts on " + $e + ", which snapshots "
                   + $a + " and " + $b + " both hold: it could not have deleted this")] | length == 4 and all' \
    "$tmp/timeline.json"
check "timeline: the arm64 losses' index-children fingerprint says GC -m could not have made it" \
    jq -e --arg a "$S1" '[.losses[] | select(.window.from.evidence == $a) | .fingerprints[]
        | select(.name == "gc_v2_untagged_index_children") | .detail
        | contains("so it could not have made this")] | length == 4 and all' "$tmp/timeline.json"
check "timeline: the arm64 blobs: the index-children pattern alone (a GC without -m explains it, no lost_files)" \
    jq -e --arg a "$S1" '[.losses[] | select(.window.from.evidence == $a and .object == "blob")
        | [.fingerprints[].name]] == [["gc_v2_untagged_index_children"], ["gc_v2_untagged_index_children"],
        ["gc_v2_untagged_index_children"]]' "$tmp/timeline.json"
check "timeline: the amd64 losses blame the -m run of 04-19 first, high" \
    jq -e --arg a "$S2" '[.losses[] | select(.window.from.evidence == $a) | .suspects[0]
        | .fired_at == "2026-04-19T03:25:00Z" and .confidence == "high"] | length == 4 and all' \
    "$tmp/timeline.json"
check "timeline: the -m run of 04-19 can only have run after @eaDir was removed, and it says so" \
    jq -e --arg e "$EADIR" --arg a "$S2" --arg b "$S3" '[.losses[] | select(.window.from.evidence == $a)
        | .suspects[0].reason | endswith("; a garbage-collect with --delete-untagged aborts on " + $e
            + ", which snapshot " + $a + " holds and " + $b + " no longer does: it can only have run after that was removed")]
        | length == 4 and all' "$tmp/timeline.json"
check "timeline: no -m run is a suspect but in its own window (04-12 for arm64, 04-19 for amd64)" \
    jq -e '[.losses[] | .window.from.evidence as $w | .suspects[] | select(.job == "'"$GC_M"'")
        | [$w, .fired_at]] | unique == [["'"$S1"'", "2026-04-12T03:25:00Z"], ["'"$S2"'", "2026-04-19T03:25:00Z"]]' \
    "$tmp/timeline.json"

step "timeline --log: the DELETE answered 500 explains the arm64 revision link"
"$BIN" timeline -q --config "$R" --log "$tmp/registry.log" --json "$tmp/timeline-log.json" "$SNAPS" \
    >/dev/null 2>&1
check "timeline --log: the arm64 revision link's top suspect is the logged DELETE, high" \
    jq -e --arg a "$S1" '[.losses[] | select(.window.from.evidence == $a and .object == "manifest_link")
        | .suspects[0] | (.kind == "api-delete" and .confidence == "high"
            and (.job | startswith("api-delete:'"$tmp"'/registry.log:")))] == [true]' "$tmp/timeline-log.json"
check "timeline --log: it says why a 500 removed the link" \
    jq -e --arg a "$S1" --arg e "$EADIR" '[.losses[] | select(.window.from.evidence == $a and .object == "manifest_link")
        | .suspects[0].reason | contains("answered 500 at 2026-04-12T02:00:00Z")
            and endswith("which fails on " + $e + ", and answers 500 (tags stay)")] == [true]' \
    "$tmp/timeline-log.json"
check "timeline --log: the -m run of 04-12 stays low on it" \
    jq -e --arg a "$S1" '[.losses[] | select(.window.from.evidence == $a and .object == "manifest_link")
        | .suspects[1:][] | .confidence] == ["low"]' "$tmp/timeline-log.json"

step "report: the summary does not call the arm64 losses the work of GC -m"
rc=0
"$BIN" report -q --config "$R" -o "$tmp/report.md" --json "$tmp/report.json" "$SNAPS/$S1" "$SNAPS/$S2" \
    >/dev/null 2>&1 || rc=$?
check "report on $S1 and $S2 exits 1 (got $rc)" test "$rc" -eq 1
check "report on $S1 and $S2: the summary says GC -m could not have run" \
    grep -qF "but that run aborts on an entry of a tags folder it cannot read (NAS metadata such as" \
    "$tmp/report.md"
check "report on $S1 and $S2: the index-children pattern is not titled as the -m run's work" \
    grep -qF "**The pattern of Distribution 2.x garbage-collect with --delete-untagged on the untagged children of a tagged index, where that run aborts and could not have made it** (4 lost objects)" \
    "$tmp/report.md"
check "report on $S1 and $S2: no advice to stop running GC -m on 2.x for these losses" \
    bash -c "! grep -q 'Stop running garbage-collect with --delete-untagged' '$tmp/report.md'"

e2e_end "the share, truths and outputs"
