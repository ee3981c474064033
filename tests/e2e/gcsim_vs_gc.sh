#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: `regautopsy gc-sim` predictions against the REAL garbage collector
# (docker-registry 2.8, storage made with skopeo and umoci). For every scenario,
# with and without -m: the files the real `garbage-collect` deletes must be exactly
# the paths gc-sim predicts (blob data, revision links, tag index links; no _layers
# links under 2.8), and gc-sim's `breaks` must be exactly the tags skopeo could pull
# before the GC and cannot after.
#
# Also gc-sim's text lists exactly the deletions `garbage-collect --dry-run` prints.
#
#   (a) incident: OCI index infra-ci:latest (amd64 + arm64/v8, children untagged),
#       tools/kubectl:1.29 (v2s2), base/debian:bookworm and :12 sharing a layer;
#       also gc-sim --distribution 3 -m on it (prediction only: no 3.x binary here)
#   (b) retag: app:1 pushed twice (old manifest in the tag's index/ history), app:old
#       pruned with rm -rf of its tag directory, app:del deleted through the API,
#       an orphan blob uploaded without a manifest, an upload left in flight
#   (c) mlist: a Docker manifest list (index pushed --format v2s2), shared/a:1 and
#       shared/b:1 sharing a layer, shared/b's only tag pruned with rm -rf
#
#   bash tests/e2e/gcsim_vs_gc.sh <regautopsy-binary> <source-dir>
#
# A known difference between gc-sim and the real GC is an expected failure while
# KNOWN_GCSIM_DIFF_<SCENARIO>=1 (see the switches below); set it to 0 to see it fail.
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the registry tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: gcsim_vs_gc.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: gcsim_vs_gc.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3
CMP=$SRC/tests/e2e/compare_gc.py

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin gcsim_vs_gc "docker-registry skopeo umoci jq curl python3" docker-registry skopeo umoci jq curl tar
[[ -f "$SRC/scripts/registry-lib.sh" ]] || die "no $SRC/scripts/registry-lib.sh"
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"
[[ -f "$CMP" ]] || die "no $CMP"

L=$tmp/oci
STORE_REL=var/lib/registry               # storage.filesystem.rootdirectory in a snapshot
V2REL=$STORE_REL/docker/registry/v2

# ---- images (umoci), shared by all scenarios -------------------------------------
BASE="e2e debian base (amd64)"
step "build images (umoci)"
img_build "$L" ci-amd64 amd64 "" "$BASE" "e2e infra-ci toolchain (amd64)" || die "img_build ci-amd64"
img_build "$L" ci-arm64 arm64 v8 "e2e debian base (arm64)" "e2e infra-ci toolchain (arm64)" ||
    die "img_build ci-arm64"
img_index "$L" ci-latest ci-amd64 ci-arm64 || die "img_index"
img_build "$L" kubectl amd64 "e2e kubectl v1.29" || die "img_build kubectl"
img_build "$L" bookworm amd64 "" "$BASE" "e2e bookworm" || die "img_build bookworm"
img_build "$L" deb12 amd64 "" "$BASE" "e2e debian 12" || die "img_build deb12"
img_build "$L" app-v1 amd64 "" "$BASE" "e2e app v1" || die "img_build app-v1"
img_build "$L" app-v2 amd64 "" "$BASE" "e2e app v2" || die "img_build app-v2"
img_build "$L" app-old amd64 "e2e app old" || die "img_build app-old"
img_build "$L" app-del amd64 "e2e app deleted" || die "img_build app-del"
img_build "$L" shared-a amd64 "" "$BASE" "e2e shared a" || die "img_build shared-a"
img_build "$L" shared-b amd64 "" "$BASE" "e2e shared b" || die "img_build shared-b"

# ---- expected digests: from the OCI layout and skopeo, never from regautopsy -------
ref_digest() {
    jq -r --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n) | .digest' \
        "$L/index.json"
}
blob() { cat "$L/blobs/sha256/${1#sha256:}"; }
image_blobs() { blob "$(ref_digest "$1")" | jq -r '.config.digest, .layers[].digest'; }
raw() { skopeo --insecure-policy inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/$1"; }
raw_digest() { raw "$1" | sha256sum | sed 's/^/sha256:/; s/ .*//'; }
# blobs of an image manifest (config + layers) fetched from the registry by digest
raw_blobs() { raw "$1" | jq -r '.config.digest, .layers[].digest'; }
rm_tag() { rm -rf "$REG_ROOT/docker/registry/v2/repositories/$1/_manifests/tags/$2"; }
lines() { printf '%s\n' "$@" | grep -v '^$' | sort -u; }
# not_in "LIST" "LIST..." : lines of the first list in none of the others
not_in() {
    local a=$1
    shift
    comm -23 <(lines "$a") <(lines "$@")
}

SHARED_LAYER=$(blob "$(ref_digest bookworm)" | jq -r '.layers[0].digest')
[[ $(blob "$(ref_digest app-v1)" | jq -r '.layers[0].digest') == "$SHARED_LAYER" ]] ||
    die "img_build does not give the same base layer twice"

# ---- the per-scenario runner -----------------------------------------------------------
nfail=0
npass=0
nxfail=0
compare() { # LABEL ARGS... (compare_gc.py)
    local label=$1 out
    shift
    out=$("$PY" "$CMP" --label "$label" "$@")
    local rc=$?
    printf '%s\n' "$out" | sed 's/^/    /'
    if ((rc == 0)); then
        npass=$((npass + 1))
        grep -q '^XFAIL' <<<"$out" && nxfail=$((nxfail + 1))
    else
        nfail=$((nfail + 1))
    fi
    return 0
}

# gcsim OUT.json SNAPSHOT ARGS... -> sets SIM_RC (0/1 expected; anything else fails)
gcsim() {
    local out=$1 snap=$2
    shift 2
    SIM_RC=0
    "$BIN" gc-sim -q --json "$out" "$@" "$snap" >"$out.log" 2>&1 || SIM_RC=$?
    if [[ $SIM_RC != 0 && $SIM_RC != 1 ]] || ! jq -e . "$out" >/dev/null 2>&1; then
        echo "FAIL: regautopsy gc-sim $* $snap exited $SIM_RC or wrote no JSON:"
        tail -n 20 "$out.log" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 1
    fi
    # the sanitizers report on stderr without always changing the exit status
    if grep -q 'Sanitizer' "$out.log"; then
        echo "FAIL: regautopsy gc-sim $*: sanitizer report:"
        sed 's/^/    /' "$out.log" | head -n 30
        nfail=$((nfail + 1))
        return 1
    fi
}

# dry_list LABEL GCSIM-TEXT DRY-RUN-LOG: gc-sim's text lists exactly the "... eligible
# for deletion: <digest>" lines of the real `garbage-collect --dry-run` (without its
# " in REPO"), and lists them sorted.
dry_list() {
    local label=$1 sim=$2 dry=$3 a b
    a=$(grep -E '^ *(blob|manifest) eligible for deletion' "$sim" | sed 's/^ *//; s/ in [^ ]*$//' | LC_ALL=C sort)
    b=$(grep -E '^(blob|manifest) eligible for deletion' "$dry" | sed 's/ *$//' | LC_ALL=C sort)
    if [[ $a == "$b" ]] && { grep -E '^ *blob eligible' "$sim" || :; } | LC_ALL=C sort -c; then
        echo "    ok: $label: gc-sim lists the $(grep -c . <<<"$b") deletions garbage-collect --dry-run lists"
        npass=$((npass + 1))
    else
        echo "    FAIL: $label: gc-sim's list differs from garbage-collect --dry-run (< real, > gc-sim):"
        diff <(echo "$b") <(echo "$a") | head -n 20 | sed 's/^/      /'
        nfail=$((nfail + 1))
    fi
}

list_files() { (cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort) >"$2"; }

# prepare NAME: push the scenario into a fresh storage, take the skopeo truth.
# Sets PRE (the snapshot directory, members var/lib/registry/...) and TRUTH0.
prepare() {
    local name=$1
    PRE=$tmp/$name/pre
    TRUTH0=$tmp/$name/truth-before.json
    mkdir -p "$PRE/$STORE_REL"
    reg_start "$PRE/$STORE_REL" || die "$name: reg_start"
    "push_$name" || die "$name: push"
    local -n tags=TAGS_$name
    truth_json "$TRUTH0" "${tags[@]}" || die "$name: truth_json before"
    reg_stop
}

# gc_case NAME MODE(plain|m) XFAIL-SWITCH COMPARE-ARGS...: copy the pre-GC storage,
# predict with gc-sim (on a tar), run the real GC, list the files, take the truth.
gc_case() {
    local name=$1 mode=$2 xfail=$3
    shift 3
    local w=$tmp/$name/$mode m=() mflag=no
    [[ $mode == m ]] && m=(-m) mflag=yes
    step "$name, garbage-collect ${m[*]:-(no -m)}: gc-sim, then the real GC"
    cp -a "$PRE" "$w" || die "cp -a"
    reg_start "$w/$STORE_REL" || die "$name/$mode: reg_start"
    reg_stop
    list_files "$w" "$w.files-before" || die "list"
    snap_tar "$w" "$w.tar" || die "$name/$mode: tar"
    gcsim "$w.gcsim.json" "$w.tar" "${m[@]}" || return 0
    local rc=$SIM_RC
    "$BIN" gc-sim -q "${m[@]}" "$w.tar" >"$w.gcsim.txt" 2>&1
    REG_GC_LOG=$w.dry.log reg_gc "${m[@]}" --dry-run || die "$name/$mode: garbage-collect --dry-run failed"
    dry_list "$name, 2.8${m[*]:+ ${m[*]}}" "$w.gcsim.txt" "$w.dry.log"
    REG_GC_LOG=$w.gc.log reg_gc "${m[@]}" || die "$name/$mode: garbage-collect failed: $(tail -5 "$w.gc.log")"
    list_files "$w" "$w.files-after" || die "list"
    reg_start -r "$w/$STORE_REL" || die "$name/$mode: reg_start -r"
    local -n tags=TAGS_$name
    truth_json "$w.truth-after.json" "${tags[@]}" || die "$name/$mode: truth_json after"
    reg_stop
    local xf=()
    [[ $xfail == files || $xfail == both ]] && xf+=(--xfail files)
    [[ $xfail == breaks || $xfail == both ]] && xf+=(--xfail breaks)
    compare "$name, 2.8${m[*]:+ ${m[*]}}" "$w.gcsim.json" --distribution 2.8 --delete-untagged $mflag \
        --files "$w.files-before" "$w.files-after" --truth "$TRUTH0" "$w.truth-after.json" \
        --exit-code "$rc" "${xf[@]}" "$@"
}

# Known differences between gc-sim and the real 2.8.2 GC, run as expected failures:
# KNOWN_GCSIM_DIFF_<SCENARIO>=1 (the default) excuses the comparison that
# KNOWN_GCSIM_WHAT_<SCENARIO> names (files, breaks, both); =0 makes it fail again.
# None is known today: every WHAT is "none".
known() { # SCENARIO -> files|breaks|both|none
    local v="KNOWN_GCSIM_DIFF_$1" what="KNOWN_GCSIM_WHAT_$1"
    if [[ ${!v:-1} == 1 ]]; then echo "${!what:-none}"; else echo none; fi
}
# shellcheck disable=SC2034 # read through ${!what}
KNOWN_GCSIM_WHAT_INCIDENT=none
# shellcheck disable=SC2034
KNOWN_GCSIM_WHAT_RETAG=none
# shellcheck disable=SC2034
KNOWN_GCSIM_WHAT_MLIST=none

# ---- (a) the incident -------------------------------------------------------------------
# shellcheck disable=SC2034 # read through local -n tags=TAGS_$name
TAGS_incident=(infra-ci:latest tools/kubectl:1.29 base/debian:bookworm base/debian:12)
push_incident() {
    push_oci "$L" ci-latest infra-ci:latest &&
        push_oci "$L" kubectl tools/kubectl:1.29 --format v2s2 &&
        push_oci "$L" bookworm base/debian:bookworm &&
        push_oci "$L" deb12 base/debian:12
}
step "(a) incident: push"
prepare incident
INDEX=$(ref_digest ci-latest)
CHILDREN=$(blob "$INDEX" | jq -r '.manifests[].digest' | sort)
[[ $(wc -l <<<"$CHILDREN") == 2 ]] || die "index has not 2 children"
CHILD_BLOBS=$( (image_blobs ci-amd64; image_blobs ci-arm64) | sort -u)
KEPT=$(image_blobs bookworm; image_blobs deb12)
GONE=$(not_in "$CHILD_BLOBS" "$KEPT")
grep -qx "$SHARED_LAYER" <<<"$CHILD_BLOBS" || die "the amd64 child does not share the debian layer"
if [[ -z $GONE ]] || grep -qx "$SHARED_LAYER" <<<"$GONE"; then
    die "bad expectation of what GC deletes: $GONE"
fi
[[ $(jq -r '[.tags[] | select(.pullable | not)] | length' "$TRUTH0") == 0 ]] ||
    die "skopeo cannot pull everything right after the push: $(cat "$TRUTH0")"

args_m=(--kept-manifest infra-ci "$INDEX" --breaks infra-ci:latest --kept-blob "$SHARED_LAYER")
args_plain=(--no-breaks)
for c in $CHILDREN; do
    args_m+=(--deleted-manifest infra-ci "$c"
        --deleted-path "$V2REL/repositories/infra-ci/_manifests/revisions/sha256/${c#sha256:}/link"
        --kept-blob "$c")
    args_plain+=(--kept-manifest infra-ci "$c")
done
for b in $GONE; do args_m+=(--deleted-blob "$b"); done
for b in $CHILD_BLOBS; do args_plain+=(--kept-blob "$b"); done
gc_case incident plain "$(known INCIDENT)" "${args_plain[@]}"
gc_case incident m "$(known INCIDENT)" "${args_m[@]}"

step "(a) incident: gc-sim of the directory agrees with the tar"
if gcsim "$tmp/incident/m.dir.json" "$tmp/incident/pre" -m; then
    if [[ "$(jq -S '.snapshots[].registries' "$tmp/incident/m.dir.json")" == \
        "$(jq -S '.snapshots[].registries' "$tmp/incident/m.gcsim.json")" ]]; then
        npass=$((npass + 1))
        echo "    ok: same prediction from the directory and the tar"
    else
        echo "FAIL: gc-sim -m predicts differently from the directory and from its tar"
        diff <(jq -S '.snapshots[].registries' "$tmp/incident/m.gcsim.json") \
            <(jq -S '.snapshots[].registries' "$tmp/incident/m.dir.json") | head -n 20 | sed 's/^/    /'
        nfail=$((nfail + 1))
    fi
fi

step "(a) incident: gc-sim --distribution 3 -m (prediction only, docs/storage.md: 3.x keeps the children)"
args3=(--distribution 3 --delete-untagged yes --no-breaks --kept-manifest infra-ci "$INDEX")
for c in $CHILDREN; do args3+=(--kept-manifest infra-ci "$c" --kept-blob "$c"); done
for b in $CHILD_BLOBS; do args3+=(--kept-blob "$b"); done
if gcsim "$tmp/incident/v3m.json" "$tmp/incident/m.tar" --distribution 3 -m; then
    compare "incident, 3.x -m (prediction)" "$tmp/incident/v3m.json" --exit-code "$SIM_RC" "${args3[@]}"
fi

# ---- (b) a tag moved, a tag pruned, a manifest deleted, an orphan blob ------------------
# shellcheck disable=SC2034
TAGS_retag=(app:1 app:old app:del)
push_retag() {
    push_oci "$L" app-v1 app:1 || return 1
    push_oci "$L" app-v2 app:1 || return 1
    push_oci "$L" app-old app:old || return 1
    rm_tag app old || return 1
    push_oci "$L" app-del app:del || return 1
    curl -fsS -o /dev/null -X DELETE "http://127.0.0.1:$REG_PORT/v2/app/manifests/$(ref_digest app-del)" || {
        echo "registry refused DELETE of app-del" >&2
        return 1
    }
    # an upload left in flight (GC leaves _uploads alone)
    curl -fsS -o /dev/null -X POST "http://127.0.0.1:$REG_PORT/v2/app/blobs/uploads/" || return 1
    # an interrupted push: a blob uploaded, its manifest never put
    printf 'e2e orphan blob\n' >"$tmp/orphan"
    ORPHAN=sha256:$(sha256sum "$tmp/orphan" | cut -d' ' -f1)
    local loc
    loc=$(curl -fsS -o /dev/null -D - -X POST "http://127.0.0.1:$REG_PORT/v2/app/blobs/uploads/" |
        tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    [[ -n $loc ]] || return 1
    [[ $loc == http* ]] || loc=http://127.0.0.1:$REG_PORT$loc
    [[ $loc == *\?* ]] && loc="$loc&" || loc="$loc?"
    curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
        --data-binary @"$tmp/orphan" "${loc}digest=$ORPHAN"
}
step "(b) retag: push, retag, prune, delete, orphan upload"
prepare retag
V1=$(ref_digest app-v1) V2=$(ref_digest app-v2) OLD=$(ref_digest app-old) DEL=$(ref_digest app-del)
R=$V2REL/repositories/app/_manifests
[[ -e $PRE/$R/tags/1/index/sha256/${V1#sha256:}/link ]] || die "retag: app:1's history lacks $V1"
[[ -e $PRE/$R/revisions/sha256/${OLD#sha256:}/link && ! -e $PRE/$R/tags/old ]] || die "retag: prune"
[[ ! -e $PRE/$R/revisions/sha256/${DEL#sha256:}/link ]] || die "retag: DELETE left the revision link"
[[ -e $PRE/$V2REL/blobs/sha256/${ORPHAN:7:2}/${ORPHAN#sha256:}/data ]] || die "retag: orphan upload"
[[ -n $(find "$PRE/$V2REL/repositories/app/_uploads" -type f -name startedat) ]] || die "retag: no upload in flight"
V1_GONE=$(not_in "$(image_blobs app-v1)" "$(image_blobs app-v2)")
DEL_BLOBS=$(lines "$DEL" "$(image_blobs app-del)")
args_plain=(--no-breaks --kept-manifest app "$V1" --kept-manifest app "$OLD" --kept-manifest app "$V2"
    --deleted-blob "$ORPHAN" --kept-blob "$SHARED_LAYER")
args_m=(--no-breaks --deleted-manifest app "$V1" --deleted-manifest app "$OLD" --kept-manifest app "$V2"
    --deleted-path "$R/tags/1/index/sha256/${V1#sha256:}/link"
    --deleted-blob "$ORPHAN" --deleted-blob "$V1" --deleted-blob "$OLD" --kept-blob "$SHARED_LAYER")
for b in $DEL_BLOBS; do args_plain+=(--deleted-blob "$b"); args_m+=(--deleted-blob "$b"); done
for b in $V1 $OLD $(image_blobs app-v1) $(image_blobs app-old); do args_plain+=(--kept-blob "$b"); done
for b in $V1_GONE $(image_blobs app-old); do args_m+=(--deleted-blob "$b"); done
gc_case retag plain "$(known RETAG)" "${args_plain[@]}"
gc_case retag m "$(known RETAG)" "${args_m[@]}"

# ---- (c) a Docker manifest list; a layer shared across repositories, one tag pruned ----
# shellcheck disable=SC2034
TAGS_mlist=(multi/ci:latest shared/a:1 shared/b:1)
push_mlist() {
    push_oci "$L" ci-latest multi/ci:latest --format v2s2 &&
        push_oci "$L" shared-a shared/a:1 &&
        push_oci "$L" shared-b shared/b:1 &&
        rm_tag shared/b 1 || return 1
    MLIST=$(raw_digest multi/ci:latest) &&
        ML_CHILDREN=$(raw multi/ci:latest | jq -r '.manifests[].digest' | sort) &&
        ML_BLOBS=$(for c in $ML_CHILDREN; do raw_blobs "multi/ci@$c"; done | sort -u) &&
        [[ $(raw multi/ci:latest | jq -r .mediaType) == application/vnd.docker.distribution.manifest.list.v2+json ]]
}
step "(c) mlist: push a Docker manifest list, shared layers, prune shared/b:1"
prepare mlist
[[ $(wc -l <<<"$ML_CHILDREN") == 2 ]] || die "mlist: not 2 children"
grep -qx "$SHARED_LAYER" <<<"$ML_BLOBS" || die "mlist: the amd64 child lacks the shared layer"
[[ ! -e $PRE/$V2REL/repositories/shared/b/_manifests/tags/1 && -d $PRE/$V2REL/repositories/shared/b/_manifests/tags ]] ||
    die "mlist: prune of shared/b:1"
SB=$(ref_digest shared-b)
ML_GONE=$(not_in "$ML_BLOBS" "$(image_blobs shared-a)")
SB_GONE=$(not_in "$(image_blobs shared-b)" "$(image_blobs shared-a)")
args_plain=(--no-breaks --kept-manifest shared/b "$SB" --kept-manifest multi/ci "$MLIST")
args_m=(--breaks multi/ci:latest --kept-manifest multi/ci "$MLIST" --deleted-manifest shared/b "$SB"
    --deleted-blob "$SB" --kept-blob "$SHARED_LAYER" --kept-blob "$MLIST")
for c in $ML_CHILDREN; do
    args_plain+=(--kept-manifest multi/ci "$c")
    args_m+=(--deleted-manifest multi/ci "$c" --kept-blob "$c")
done
for b in $ML_BLOBS $(image_blobs shared-b); do args_plain+=(--kept-blob "$b"); done
for b in $ML_GONE $SB_GONE; do args_m+=(--deleted-blob "$b"); done
gc_case mlist plain "$(known MLIST)" "${args_plain[@]}"
gc_case mlist m "$(known MLIST)" "${args_m[@]}"

e2e_end "the storages, file lists, predictions and truths" "$npass passed ($nxfail with known differences), $nfail failed"
