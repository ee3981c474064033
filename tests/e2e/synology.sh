#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: a Synology share holding REAL registry storage (docker-registry 2.8,
# skopeo, umoci), with the NAS's own metadata in it, read by scan, diff, gc-sim,
# timeline and report; the real registry's answers to that metadata checked too.
#
# The share "registry" is the registry's rootdirectory. Its story:
#   2026-04-06 09:00  push infra-ci:latest (OCI index, amd64 + arm64, children
#                     untagged), app:1, app:2 (app:2 and the amd64 child share a layer)
#   2026-04-06 12:00  the NAS indexer makes @eaDir folders (SYNO@.fileindexdb,
#                     <name>@SynoEAStream) in blobs/sha256/<hh>/ (all but one), in
#                     blobs/sha256/, _layers/sha256/, _manifests/tags/,
#                     _manifests/revisions/sha256/ and _uploads/ of every repository;
#                     a Mac leaves .DS_Store and ._x files
#   #snapshot/GMT+00_2026.04.07-01.00
#   2026-04-08 10:00  someone deletes app:1's own layer through File Station: the blob
#                     folder moves to #recycle/docker/registry/v2/blobs/sha256/...
#   2026-04-08 12:00  the indexer makes @eaDir in the folder it was deleted from
#   #snapshot/GMT+00_2026.04.09-01.00
#   2026-04-12 03:25  docker-registry garbage-collect -m (cron, Sundays): it aborts on
#                     _manifests/tags/@eaDir and deletes nothing
#   #snapshot/GMT+00_2026.04.13-01.00  (holding a #snapshot folder of its own)
#
# Asserts, with ground truth from skopeo and the real registry, never from regautopsy:
# metadata is never a tag, repository, upload, blob or link (tags listed exactly,
# one registry root per snapshot, exit codes); one nas_metadata info finding per
# snapshot with the exact counts; the real GET /v2/<name>/tags/list lists @eaDir; the
# real garbage-collect -m aborts with "invalid path: .../_manifests/tags/@eaDir/
# current/link" and deletes nothing, without -m it runs, and gc-sim says the same (also
# for a .DS_Store file in a tags folder: "not a directory"; a tag folder without
# current/link stops neither); the
# loss of app:1's layer is not dated by the folder mtime the indexer moved; the
# report names the #recycle copy as a recovery source (as the one source of the
# layer, in one statement, when the report is given only a snapshot without it), and
# the timeline and report say that the next garbage-collect aborts.
#
#   bash tests/e2e/synology.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: synology.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: synology.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3
CMP=$SRC/tests/e2e/compare_truth.py

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin synology "docker-registry skopeo umoci jq curl git python3" docker-registry skopeo umoci jq curl tar git
[[ -f "$SRC/scripts/registry-lib.sh" ]] || die "no $SRC/scripts/registry-lib.sh"
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
share=$tmp/registry        # the Synology share, and the registry's rootdirectory
V2REL=docker/registry/v2
v2=$share/$V2REL
SNAPS=$share/#snapshot
S1=GMT+00_2026.04.07-01.00
S2=GMT+00_2026.04.09-01.00
S3=GMT+00_2026.04.13-01.00
MARK=$tmp/marker
TAGS=(app:1 app:2 infra-ci:latest)
mkdir -p "$share"

# ---- config repository: the GC cron job the prediction is about ------------------
R=$tmp/config
e2e_cron_repo "$R" "registry: weekly gc" <<'EOF' || die "config repo"
25 3 * * 0 root docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml
EOF

# ---- images and pushes ---------------------------------------------------------------
BASE="e2e debian base (amd64)"
step "build images (umoci), push (skopeo -> docker-registry)"
img_build "$L" ci-amd64 amd64 "" "$BASE" "e2e infra-ci toolchain (amd64)" || die "img_build"
img_build "$L" ci-arm64 arm64 v8 "e2e debian base (arm64)" "e2e infra-ci toolchain (arm64)" ||
    die "img_build"
img_index "$L" ci-latest ci-amd64 ci-arm64 || die "img_index"
img_build "$L" app-1 amd64 "" "$BASE" "e2e app 1" || die "img_build app-1"
img_build "$L" app-2 amd64 "" "$BASE" "e2e app 2" || die "img_build app-2"
reg_start "$share" || die "reg_start"
reg_mark "$MARK" || die "marker"
push_oci "$L" ci-latest infra-ci:latest || die "push infra-ci"
push_oci "$L" app-1 app:1 || die "push app:1"
push_oci "$L" app-2 app:2 || die "push app:2"
reg_stop
set_mtimes "$share" "$MARK" '2026-04-06 09:00:00 UTC' || die "set_mtimes"
touch -d '2026-04-06 09:00:00 UTC' "$share"

APP1_LAYER=$(jq -r '.layers[1].digest' "$L/blobs/sha256/$(ref_digest app-1 | cut -d: -f2)")
APP1_HEX=${APP1_LAYER#sha256:}
DOOMED_HH=${APP1_HEX:0:2}
[[ -f $v2/blobs/sha256/$DOOMED_HH/$APP1_HEX/data ]] || die "app:1's layer $APP1_LAYER is not in storage"

# ---- the NAS and the Mac ---------------------------------------------------------------
step "2026-04-06 12:00: the indexer adds @eaDir folders; .DS_Store, ._x"
reg_mark "$MARK" || die "marker"
for d in "$v2"/blobs/sha256/*/; do
    d=${d%/}
    [[ ${d##*/} == "$DOOMED_HH" ]] || eadir "$d" || die "eadir $d"
done
eadir "$v2/blobs/sha256" || die "eadir"
for r in "$v2"/repositories/app "$v2"/repositories/infra-ci; do
    for d in _layers/sha256 _manifests/tags _manifests/revisions/sha256 _uploads; do
        [[ -d $r/$d ]] || die "no $r/$d"
        eadir "$r/$d" || die "eadir $r/$d"
    done
done
echo mac >"$share/.DS_Store"
echo mac >"$v2/repositories/.DS_Store"
echo mac >"$share/._x"
echo mac >"$v2/blobs/._sha256"
set_mtimes "$share" "$MARK" '2026-04-06 12:00:00 UTC' || die "set_mtimes"

step "snapshot $S1"
take "$S1" || die "take $S1"

step "2026-04-08 10:00: app:1's layer deleted through File Station, into #recycle"
reg_mark "$MARK" || die "marker"
mkdir -p "$share/#recycle/$V2REL/blobs/sha256/$DOOMED_HH" || die "mkdir #recycle"
mv "$v2/blobs/sha256/$DOOMED_HH/$APP1_HEX" "$share/#recycle/$V2REL/blobs/sha256/$DOOMED_HH/" ||
    die "mv to #recycle"
set_mtimes "$share" "$MARK" '2026-04-08 10:00:00 UTC' || die "set_mtimes"
step "2026-04-08 12:00: the indexer makes @eaDir in blobs/sha256/$DOOMED_HH"
reg_mark "$MARK" || die "marker"
eadir "$v2/blobs/sha256/$DOOMED_HH" || die "eadir"
eadir "$share/#recycle" || die "eadir"
set_mtimes "$share" "$MARK" '2026-04-08 12:00:00 UTC' || die "set_mtimes"
step "snapshot $S2"
take "$S2" || die "take $S2"

# ---- the real registry and its garbage collector ----------------------------------------
step "the real registry on $S2: tags/list, skopeo truth"
cp -a "$SNAPS/$S2" "$tmp/s2-served" || die "cp"
reg_start -r "$tmp/s2-served" || die "reg_start -r"
for repo in app infra-ci; do
    curl -fsS "http://127.0.0.1:$REG_PORT/v2/$repo/tags/list" >"$tmp/tags-$repo.json" ||
        die "GET /v2/$repo/tags/list"
done
truth_json "$tmp/truth-s2.json" "${TAGS[@]}" || die "truth_json"
reg_stop
check "the real tags/list of app is [@eaDir, 1, 2]: $(cat "$tmp/tags-app.json")" \
    jq -e '(.tags | sort) == ["1", "2", "@eaDir"]' "$tmp/tags-app.json"
check "the real tags/list of infra-ci is [@eaDir, latest]: $(cat "$tmp/tags-infra-ci.json")" \
    jq -e '(.tags | sort) == ["@eaDir", "latest"]' "$tmp/tags-infra-ci.json"
check "skopeo: app:1 unpullable, app:2 and infra-ci:latest pullable" \
    jq -e '[.tags[] | {(.repository + ":" + .tag): .pullable}] | add ==
           {"app:1": false, "app:2": true, "infra-ci:latest": true}' "$tmp/truth-s2.json"

step "2026-04-12 03:25: the real docker-registry garbage-collect -m aborts"
listing() { (cd "$1" && find . -printf '%y %s %p\n' | sort); }
listing "$share" >"$tmp/before-gc.txt"
reg_start "$share" || die "reg_start"
rc=0
REG_GC_LOG=$tmp/gc-m.log reg_gc -m 2>/dev/null || rc=$?
reg_stop
listing "$share" >"$tmp/after-gc.txt"
check "real GC -m exits non-zero (it exited $rc)" test "$rc" -ne 0
check "real GC -m says invalid path …/_manifests/tags/@eaDir/current/link: $(tail -1 "$tmp/gc-m.log")" \
    grep -Eq 'invalid path: /docker/registry/v2/repositories/(app|infra-ci)/_manifests/tags/@eaDir/current/link' \
    "$tmp/gc-m.log"
check "real GC -m deleted nothing" cmp -s "$tmp/before-gc.txt" "$tmp/after-gc.txt"
cp -a "$SNAPS/$S2" "$tmp/s2-gc" || die "cp"
reg_start "$tmp/s2-gc" || die "reg_start"
rc=0
REG_GC_LOG=$tmp/gc.log reg_gc 2>/dev/null || rc=$?
reg_stop
check "real GC without -m runs (exit $rc): $(tail -1 "$tmp/gc.log")" test "$rc" -eq 0
check "real GC without -m marks and sweeps" grep -q 'blobs marked' "$tmp/gc.log"
step "what exactly stops the real GC -m: a file in a tags folder too, not a folder without current/link"
gc_variant() { # NAME SETUP: real GC -m and gc-sim -m on a copy of $S1 without tags/@eaDir
    local d=$tmp/variant-$1 rc=0
    rm -rf "$d" && cp -a "$SNAPS/$S1" "$d" || return 1
    rm -rf "$d/$V2REL"/repositories/*/_manifests/tags/@eaDir
    (cd "$d/$V2REL/repositories/app/_manifests/tags" && eval "$2") || return 1
    "$BIN" gc-sim -q -m --json "$d.json" "$d" >/dev/null 2>&1
    reg_start "$d" || return 1
    REG_GC_LOG=$d.log reg_gc -m 2>/dev/null || rc=$?
    reg_stop
    echo "$rc"
}
rc=$(gc_variant ds_store 'echo mac >.DS_Store') || die "variant ds_store"
check "real GC -m aborts on a .DS_Store file in a tags folder (exit $rc): $(tail -1 "$tmp/variant-ds_store.log")" \
    grep -q '/_manifests/tags/.DS_Store/current/link: not a directory' "$tmp/variant-ds_store.log"
check "gc-sim -m aborts on it too" \
    jq -e '.snapshots[0].registries[0].aborted | endswith("/_manifests/tags/.DS_Store/current/link: not a directory")' \
    "$tmp/variant-ds_store.json"
rc=$(gc_variant empty_dir 'mkdir nolink') || die "variant empty_dir"
check "real GC -m runs past a tag folder without current/link (exit $rc)" test "$rc" -eq 0
check "gc-sim -m runs past it too" jq -e '.snapshots[0].registries[0].aborted == null' \
    "$tmp/variant-empty_dir.json"
touch -d '2026-04-12 03:25:00 UTC' "$share"
step "snapshot $S3, holding a #snapshot folder of its own"
take "$S3" || die "take $S3"
mkdir -p "$SNAPS/$S3/#snapshot" && cp -a "$SNAPS/$S1" "$SNAPS/$S3/#snapshot/" || die "nested"

# ---- expected metadata counts, from the files ------------------------------------------
# Items: the first metadata name on each path (@eaDir, #recycle, #snapshot, .DS_Store,
# ._*); whatever lies below one belongs to it.
expect_meta() { # SNAPSHOT-DIR -> "eadir recycle snapshot ds_store appledouble"
    (cd "$1" && find . \( -name '#recycle' -o -name '#snapshot' -o -name '@eaDir' \
        -o -name '.DS_Store' -o -name '._*' \) -prune -print) |
        awk '{ n = split($0, p, "/"); b = p[n]
               if (b == "@eaDir") e++; else if (b == "#recycle") r++; else if (b == "#snapshot") s++
               else if (b == ".DS_Store") d++; else a++ }
             END { printf "%d %d %d %d %d\n", e, r, s, d, a }'
}
meta_msg() { # "E R S D A" RECYCLED -> the counts part of the finding's message
    local e r s d a
    read -r e r s d a <<<"$1"
    local m="NAS or desktop metadata, not registry data, left out:" sep=""
    ((e)) && m+="$sep $e @eaDir" && sep=","
    if ((r)); then
        m+="$sep $r #recycle"
        (($2)) && m+=" (holding $2 blob file$( (($2 > 1)) && echo s): recovery sources)"
        sep=","
    fi
    ((s)) && m+="$sep $s #snapshot (not read: name the #snapshot folder to read its snapshots)" && sep=","
    ((d)) && m+="$sep $d .DS_Store" && sep=","
    ((a)) && m+="$sep $a AppleDouble ._*"
    echo "$m; in the tags folder of 2 repositories (app, infra-ci)"
}

# ---- scan ------------------------------------------------------------------------------------
scan() { # WANT_RC OUT.json SNAPSHOT...
    local want=$1 out=$2 rc=0
    shift 2
    "$BIN" scan -q --json "$out" "$@" >"$out.txt" 2>"$out.err" || rc=$?
    check "scan $* exits $want (got $rc: $(head -c 300 "$out.err"))" test "$rc" -eq "$want"
}
step "scan each snapshot"
for s in "$S1" "$S2" "$S3"; do
    want=1
    [[ $s == "$S1" ]] && want=0 # nothing lost yet: the metadata alone is no exit 1
    out=$tmp/scan-$s.json
    scan "$want" "$out" "$SNAPS/$s"
    counts=$(expect_meta "$SNAPS/$s")
    nrec=0
    [[ $s != "$S1" ]] && nrec=1
    msg=$(meta_msg "$counts" "$nrec")
    check "$s: one registry root, $V2REL" \
        jq -e --arg r "$V2REL" '[.snapshots[0].registries[].root] == [$r]' "$out"
    check "$s: tags are exactly ${TAGS[*]}" \
        jq -e '[.snapshots[0].registries[0].tags[] | .repository + ":" + .tag] == ["app:1", "app:2", "infra-ci:latest"]' "$out"
    check "$s: counts 2 repositories, 3 tags, 0 uploads" \
        jq -e '.snapshots[0].registries[0].counts | .repositories == 2 and .tags == 3 and .uploads == 0' "$out"
    check "$s: exactly one nas_metadata finding, info, starting '$msg'" \
        jq -e --arg m "$msg" '[.snapshots[0].findings[] | select(.code == "nas_metadata")] as $f
            | ($f | length) == 1 and $f[0].severity == "info" and ($f[0].message | startswith($m))
            and ($f[0].message | contains("invalid path: /docker/registry/v2/repositories/app/_manifests/tags/@eaDir/current/link"))' "$out"
    check "$s: no finding names metadata, none is critical but app:1's lost layer" \
        jq -e --arg d "$APP1_LAYER" '[.snapshots[0].registries[0].findings[]
            | select((.path | test("@eaDir|#recycle|#snapshot|DS_Store|/\\._")) or
                     (.severity == "critical" and .digest != $d))] == []' "$out"
done
check "$S1: every tag pullable, no finding above info" \
    jq -e '[.snapshots[0].registries[0].findings[] | select(.severity != "info")] == [] and
           .snapshots[0].registries[0].counts.unpullable_tags == 0' "$tmp/scan-$S1.json"
check "$S2: scan agrees with skopeo" \
    "$PY" "$CMP" "$tmp/truth-s2.json" "$tmp/scan-$S2.json" --label "$S2" --root "$V2REL" \
    --finding blob_missing "$APP1_LAYER" --tag app:1 unpullable --tag infra-ci:latest pullable
step "scan the live share: #snapshot and #recycle are no registry roots"
scan 1 "$tmp/scan-live.json" "$share"
check "live share: one registry root, $V2REL, tags ${TAGS[*]}" \
    jq -e --arg r "$V2REL" '[.snapshots[0].registries[].root] == [$r] and
        [.snapshots[0].registries[0].tags[] | .repository + ":" + .tag] == ["app:1", "app:2", "infra-ci:latest"]' \
    "$tmp/scan-live.json"
check "live share: #snapshot counted once, not read" \
    jq -e '.snapshots[0].findings[] | select(.code == "nas_metadata") | .message
        | contains(" 1 #snapshot (not read")' "$tmp/scan-live.json"
step "scan the #snapshot folder: three snapshots, oldest first"
scan 1 "$tmp/scan-all.json" "$SNAPS"
check "the #snapshot folder reads as $S1 $S2 $S3, one nas_metadata each" \
    jq -e --arg a "$S1" --arg b "$S2" --arg c "$S3" '[.snapshots[].name] == [$a, $b, $c] and
        [.snapshots[] | [.findings[] | select(.code == "nas_metadata")] | length] == [1, 1, 1]' \
    "$tmp/scan-all.json"

# ---- diff ---------------------------------------------------------------------------------
step "diff $S1 $S2"
rc=0
"$BIN" diff -q --json "$tmp/diff.json" "$SNAPS/$S1" "$SNAPS/$S2" >/dev/null 2>&1 || rc=$?
check "diff exits 1 (app:1 became unpullable; got $rc)" test "$rc" -eq 1
check "diff: only app:1's layer deleted and app:1 unpullable, no tag added or removed" \
    jq -e --arg d "$APP1_LAYER" '[.registries[].changes[] | {change, repository, tag, old}] ==
        [{"change": "blob_deleted", "repository": null, "tag": null, "old": $d},
         {"change": "became_unpullable", "repository": "app", "tag": "1", "old": .registries[0].changes[1].old}]' \
    "$tmp/diff.json"

# ---- gc-sim -------------------------------------------------------------------------------
step "gc-sim -m and without -m on $S2"
rc=0
"$BIN" gc-sim -q -m --json "$tmp/gcsim-m.json" "$SNAPS/$S2" >"$tmp/gcsim-m.txt" 2>&1 || rc=$?
check "gc-sim -m exits 0 (no pullable tag breaks; got $rc)" test "$rc" -eq 0
REAL_ABORT=$(grep -o 'failed to retrieve tags for digest .*' "$tmp/gc-m.log")
check "gc-sim -m aborts like the real one, with its message ($REAL_ABORT), deleting nothing" \
    jq -e --arg m "$REAL_ABORT" '.snapshots[0].registries[0] | (.aborted | endswith(": " + $m))
        and (.aborted | contains("_manifests/tags/@eaDir/current/link"))
        and .deletes == {"blobs": [], "bytes": 0, "layer_links": [], "manifests": []}
        and .breaks == []' "$tmp/gcsim-m.json"
"$BIN" gc-sim -q -m --json "$tmp/gcsim-live.json" "$share" >/dev/null 2>&1
check "gc-sim -m on the live share the real GC ran on: the same abort" \
    jq -e --arg m "$REAL_ABORT" '[.snapshots[0].registries[] | .aborted | endswith(": " + $m)] == [true]' \
    "$tmp/gcsim-live.json"
rc=0
"$BIN" gc-sim -q --json "$tmp/gcsim.json" "$SNAPS/$S2" >/dev/null 2>&1 || rc=$?
check "gc-sim without -m runs (exit $rc)" jq -e '.snapshots[0].registries[0].aborted == null' "$tmp/gcsim.json"

# ---- timeline and report ------------------------------------------------------------------
step "timeline and report over the #snapshot folder, with the config repo"
rc=0
"$BIN" timeline -q --config "$R" --json "$tmp/timeline.json" "$SNAPS" >"$tmp/timeline.txt" 2>&1 || rc=$?
check "timeline exits 1 (a loss; got $rc)" test "$rc" -eq 1
check "timeline: exactly one loss, app:1's layer, no tag lost" \
    jq -e --arg d "$APP1_LAYER" '[.losses[] | {object, digest}] == [{"object": "blob", "digest": $d}]' \
    "$tmp/timeline.json"
check "timeline: the folder mtime the indexer moved does not date it" \
    jq -e --arg a "$S1" --arg b "$S2" '.losses[0].window | .from.kind == "snapshot" and .from.evidence == $a
        and .to.kind == "snapshot" and .to.evidence == $b
        and (.note | contains("@eaDir") and contains("does not date the deletion"))' "$tmp/timeline.json"
check "timeline: the next GC (-m) aborts and deletes nothing" \
    jq -e '.gc_prediction.delete_untagged and .gc_prediction.registries[0].blobs_deleted == 0
        and (.gc_prediction.registries[0].aborted | contains("_manifests/tags/@eaDir/current/link"))
        and ([.notes[] | select(contains("stops in its mark phase and deletes nothing"))] | length) == 1' \
    "$tmp/timeline.json"
rc=0
"$BIN" report -q --config "$R" -o "$tmp/report.md" --json "$tmp/report.json" "$SNAPS" >/dev/null 2>&1 || rc=$?
check "report exits 1 (got $rc)" test "$rc" -eq 1
RECYCLED="#recycle/$V2REL/blobs/sha256/$DOOMED_HH/$APP1_HEX/data"
check "report model: the #recycle copy is a verified recovery source" \
    jq -e --arg d "$APP1_LAYER" --arg p "$RECYCLED" --arg s "$S3" '.recovery.recycled ==
        [{"digest": $d, "breaks": "app:1", "snapshot": $s, "source": .recovery.recycled[0].source,
          "path": $p, "path_code": ("`" + $p + "`"), "verified": true}]' "$tmp/report.json"
check "report: the Recovery section names the #recycle path" \
    grep -qF -- "- $APP1_LAYER (breaks app:1): \`$RECYCLED\` in snapshot $S3, its content matches the digest" \
    "$tmp/report.md"
check "report: the prediction says the next GC aborts" \
    grep -q "That run stops in its mark phase and deletes nothing, as the real one does" "$tmp/report.md"
check "report: no tag named @eaDir is broken" bash -c "! grep -q '### .*@eaDir' '$tmp/report.md'"
step "report on $S3 alone: no snapshot's registry holds app:1's layer, the #recycle copy does"
rc=0
"$BIN" report -q -o "$tmp/report-s3.md" --json "$tmp/report-s3.json" "$SNAPS/$S3" >/dev/null 2>&1 || rc=$?
check "report on $S3 exits 1 (got $rc)" test "$rc" -eq 1
check "report on $S3: app:1's steps are the #recycle copy, a rebuild as the alternative, a check" \
    jq -e '[.recovery.tags[] | select(.repository == "app" and .tag == "1") | .steps[].kind]
        == ["recycled", "rebuild", "verify"]' "$tmp/report-s3.json"
check "report on $S3: one statement names the #recycle copy as the source" \
    jq -e --arg t "Restore blob ${APP1_LAYER:0:19} from $RECYCLED in snapshot $S3: no snapshot's registry holds it, but this copy in a NAS recycle bin matches the digest; copy it into the live storage's blobs/sha256/<hh>/<hex>/data, then check its digest" \
    '[.recovery.tags[] | select(.repository == "app" and .tag == "1") | .steps[0].title] == [$t]' \
    "$tmp/report-s3.json"
check "report on $S3: the Markdown checks the tag last, in a block of its own (the copy is put back by hand first)" \
    jq -e '[.recovery.tags[] | select(.repository == "app" and .tag == "1") | .parts[] | .commands != null]
        == [false, false, true]' "$tmp/report-s3.json"
check "report on $S3: the Markdown says it once, escaped" \
    grep -qF -- "Restore blob ${APP1_LAYER:0:19} from \\$RECYCLED in snapshot" "$tmp/report-s3.md"
check "report on $S3: nothing says no snapshot holds it" \
    bash -c "! grep -q 'No snapshot holds' '$tmp/report-s3.md'"

e2e_end "the share, truths and outputs"
