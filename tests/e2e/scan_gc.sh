#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: REAL registry storage (docker-registry 2.8, skopeo, umoci), the 2.8
# garbage collector's index-children loss, damaged blobs; `regautopsy scan` must
# agree with skopeo on every tag and platform and name what is missing.
#
#   bash tests/e2e/scan_gc.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:")
# only when the registry tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: scan_gc.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: scan_gc.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3
CMP=$SRC/tests/e2e/compare_truth.py

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin scan_gc "docker-registry skopeo umoci jq zstd curl python3" docker-registry skopeo umoci jq zstd gzip tar
[[ -f "$SRC/scripts/registry-lib.sh" ]] || die "no $SRC/scripts/registry-lib.sh"
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live                      # snapshot root (members var/lib/registry/...)
store=$live/var/lib/registry        # storage.filesystem.rootdirectory
V2REL=var/lib/registry/docker/registry/v2
v2=$live/$V2REL
mkdir -p "$store"

TAGS=(infra-ci:latest tools/kubectl:1.29 base/debian:bookworm base/debian:12)

# ---- build ---------------------------------------------------------------------
step "build images (umoci)"
img_build "$L" ci-amd64 amd64 "" "e2e debian base (amd64)" "e2e infra-ci toolchain (amd64)" ||
    die "img_build ci-amd64"
img_build "$L" ci-arm64 arm64 v8 "e2e debian base (arm64)" "e2e infra-ci toolchain (arm64)" ||
    die "img_build ci-arm64"
img_index "$L" ci-latest ci-amd64 ci-arm64 || die "img_index"
img_build "$L" kubectl amd64 "e2e kubectl v1.29" || die "img_build kubectl"
img_build "$L" bookworm amd64 "" "e2e debian base (amd64)" "e2e bookworm" || die "img_build bookworm"
img_build "$L" deb12 amd64 "" "e2e debian base (amd64)" "e2e debian 12" || die "img_build deb12"

step "push (skopeo -> docker-registry on loopback)"
reg_start "$store" || die "reg_start"
push_oci "$L" ci-latest infra-ci:latest || die "push infra-ci:latest"
push_oci "$L" kubectl tools/kubectl:1.29 --format v2s2 || die "push tools/kubectl:1.29"
push_oci "$L" bookworm base/debian:bookworm || die "push base/debian:bookworm"
push_oci "$L" deb12 base/debian:12 || die "push base/debian:12"

# ---- expected digests: from the OCI layout and skopeo, never from regautopsy ----
ref_digest() {
    jq -r --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n) | .digest' \
        "$L/index.json"
}
blob() { cat "$L/blobs/sha256/${1#sha256:}"; }
image_blobs() { blob "$(ref_digest "$1")" | jq -r '.config.digest, .layers[].digest'; }

INDEX=$(ref_digest ci-latest)
CHILDREN=$(blob "$INDEX" | jq -r '.manifests[].digest' | sort)
[[ $(wc -l <<<"$CHILDREN") == 2 ]] || die "index has not 2 children"
CHILD_BLOBS=$( (image_blobs ci-amd64; image_blobs ci-arm64) | sort -u)
KEPT_BLOBS=$( (image_blobs bookworm; image_blobs deb12) | sort -u)
raw_k=$(skopeo --insecure-policy inspect --raw --tls-verify=false \
    "docker://127.0.0.1:$REG_PORT/tools/kubectl:1.29") || die "skopeo inspect kubectl"
KUBECTL_LAYER=$(jq -r '.layers[0].digest' <<<"$raw_k")
KUBECTL_BLOBS=$(jq -r '.config.digest, .layers[].digest' <<<"$raw_k" | sort -u)
KEPT_BLOBS=$(printf '%s\n%s\n' "$KEPT_BLOBS" "$KUBECTL_BLOBS" | sort -u)
# GC 2.8 -m: the untagged children's config and layers go unless a tagged image
# elsewhere references them (the debian base layer is shared with base/debian).
GONE_BLOBS=$(comm -23 <(echo "$CHILD_BLOBS") <(echo "$KEPT_BLOBS"))
SHARED_LAYER=$(blob "$(ref_digest bookworm)" | jq -r '.layers[0].digest')
[[ $(blob "$(ref_digest deb12)" | jq -r '.layers[0].digest') == "$SHARED_LAYER" ]] ||
    die "bookworm and 12 do not share their first layer"
grep -qx "$SHARED_LAYER" <<<"$CHILD_BLOBS" || die "the amd64 child does not share the debian layer"
if [[ -z $GONE_BLOBS ]] || grep -qx "$SHARED_LAYER" <<<"$GONE_BLOBS"; then
    die "bad expectation of what GC deletes: $GONE_BLOBS"
fi

# ---- snapshots before GC ---------------------------------------------------------
step "truth before GC"
truth_json "$tmp/truth-before.json" "${TAGS[@]}" || die "truth_json before"
[[ $(jq -r '[.tags[] | select(.pullable | not)] | length' "$tmp/truth-before.json") == 0 ]] ||
    die "skopeo cannot pull everything right after the push: $(cat "$tmp/truth-before.json")"
[[ $(jq -r '.tags[] | select(.repository == "infra-ci") | .digest' "$tmp/truth-before.json") == "$INDEX" ]] ||
    die "the registry serves infra-ci:latest with another digest than the OCI layout's $INDEX"

step "snapshots before GC"
snap_tar "$live" "$tmp/registry-2026-04-12T0100Z.tar.gz" || die "tar.gz"
snap_tar "$live" "$tmp/registry-2026-04-12T0100Z.tar.zst" || die "tar.zst"
cp -a "$live" "$tmp/before-dir" || die "cp -a"
cp -a "$live" "$tmp/flipped-dir" || die "cp -a"
cp -a "$live" "$tmp/noshared-dir" || die "cp -a"

# ---- GC ----------------------------------------------------------------------------
step "docker-registry garbage-collect -m"
REG_GC_LOG=$tmp/gc.log
export REG_GC_LOG
reg_gc -m || die "garbage-collect failed: $(tail -5 "$REG_GC_LOG")"
data_of() { echo "$1/$V2REL/blobs/sha256/${2:7:2}/${2#sha256:}/data"; }
for b in $GONE_BLOBS; do
    [[ ! -e $(data_of "$live" "$b") ]] ||
        die "registry GC did not delete $b (the 2.8 behaviour this test is about); log: $REG_GC_LOG"
done
[[ -e $(data_of "$live" "$SHARED_LAYER") ]] || die "registry GC deleted the shared layer $SHARED_LAYER"
for c in $CHILDREN; do
    [[ ! -e $v2/repositories/infra-ci/_manifests/revisions/sha256/${c#sha256:}/link ]] ||
        die "registry GC kept the revision link of child $c"
done

step "truth after GC"
truth_json "$tmp/truth-after.json" "${TAGS[@]}" || die "truth_json after"
jq -e '.tags[] | select(.repository == "infra-ci" and .tag == "latest") | .resolves and (.pullable | not) and ([.platforms[] | .pullable] == [false, false])' \
    "$tmp/truth-after.json" >/dev/null ||
    die "skopeo does not show the 2.8 index-children loss: $(jq -c . "$tmp/truth-after.json")"

step "snapshots after GC"
snap_tar "$live" "$tmp/registry-2026-04-13T0100Z.tar.gz" || die "tar.gz"
snap_tar "$live" "$tmp/registry-2026-04-13T0100Z.tar.zst" || die "tar.zst"
cp -a "$live" "$tmp/after-dir" || die "cp -a"
reg_stop

# ---- damaged copies ------------------------------------------------------------
step "flip one byte of the kubectl layer; delete the shared debian layer's data"
"$PY" - "$(data_of "$tmp/flipped-dir" "$KUBECTL_LAYER")" <<'EOF' || die "bit flip"
import sys
p = sys.argv[1]
with open(p, "r+b") as f:
    b = bytearray(f.read())
    i = len(b) // 2
    b[i] ^= 0x01
    f.seek(0)
    f.write(b)
EOF
rm -f "$(data_of "$tmp/noshared-dir" "$SHARED_LAYER")" || die "rm shared layer"

reg_start -r "$tmp/flipped-dir/var/lib/registry" || die "reg_start flipped"
truth_json "$tmp/truth-flipped.json" "${TAGS[@]}" || die "truth_json flipped"
reg_stop
jq -e '.tags[] | select(.repository == "tools/kubectl") | .pullable | not' "$tmp/truth-flipped.json" >/dev/null ||
    die "skopeo pulls the bit-flipped kubectl image?"
reg_start -r "$tmp/noshared-dir/var/lib/registry" || die "reg_start noshared"
truth_json "$tmp/truth-noshared.json" "${TAGS[@]}" || die "truth_json noshared"
reg_stop
[[ $(jq -r '[.tags[] | select(.repository == "base/debian" and .pullable)] | length' "$tmp/truth-noshared.json") == 0 ]] ||
    die "skopeo pulls base/debian without its base layer?"

# ---- scan and compare ------------------------------------------------------------
nfail=0
npass=0
# scan WANT_RC OUT.json [scan args...] SNAPSHOT
scan() {
    local want=$1 out=$2 rc=0
    shift 2
    "$BIN" scan --json "$out" "$@" >"$out.log" 2>&1 || rc=$?
    if [[ "$rc" != "$want" ]]; then
        echo "FAIL: regautopsy scan $* exited $rc, want $want; output:"
        tail -n 20 "$out.log" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 1
    fi
    if ! jq -e . "$out" >/dev/null 2>&1; then
        echo "FAIL: regautopsy scan $* wrote no valid JSON to $out"
        tail -n 20 "$out.log" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 1
    fi
    return 0
}
compare() {
    if "$PY" "$CMP" "$@"; then
        npass=$((npass + 1))
    else
        nfail=$((nfail + 1))
    fi
}

after_findings=()
for c in $CHILDREN; do
    after_findings+=(--finding "index_child_missing,manifest_link_missing" "$c" "parent=$INDEX")
done
for b in $GONE_BLOBS; do
    after_findings+=(--finding blob_missing "$b" repository=infra-ci)
done
after_findings+=(--no-finding blob_missing "$SHARED_LAYER")

for when in before after; do
    if [[ $when == before ]]; then
        name=registry-2026-04-12T0100Z want=0 extra=()
    else
        name=registry-2026-04-13T0100Z want=1 extra=("${after_findings[@]}" --tag infra-ci:latest unpullable)
    fi
    for kind in tar.gz tar.zst dir; do
        snap=$tmp/$name.$kind
        [[ $kind == dir ]] && snap=$tmp/$when-dir
        step "scan $when GC ($kind)"
        out=$tmp/scan-$when-${kind//./-}.json
        scan "$want" "$out" "$snap" &&
            compare "$tmp/truth-$when.json" "$out" --label "$when GC, $kind" --root "$V2REL" "${extra[@]}"
    done
done

step "scan --verify of the bit-flipped copy"
out=$tmp/scan-flipped-verify.json
scan 1 "$out" --verify "$tmp/flipped-dir" &&
    compare "$tmp/truth-flipped.json" "$out" --label "bit flip, --verify" --root "$V2REL" \
        --finding digest_mismatch "$KUBECTL_LAYER" --tag tools/kubectl:1.29 unpullable
step "scan (no --verify) of the bit-flipped copy"
out=$tmp/scan-flipped-plain.json
rc=0
"$BIN" scan --json "$out" "$tmp/flipped-dir" >"$out.log" 2>&1 || rc=$?
if [[ $rc != 0 && $rc != 1 ]] || ! jq -e . "$out" >/dev/null 2>&1; then
    echo "FAIL: plain scan of the bit-flipped copy exited $rc or wrote no JSON"
    tail -n 20 "$out.log" | sed 's/^/    /'
    nfail=$((nfail + 1))
else
    # Without hashing, a same-size bit flip is invisible; everything else must agree.
    echo "    (plain scan: tools/kubectl:1.29 pullable=$(jq -c '[.snapshots[].registries[].tags[] | select(.repository == "tools/kubectl") | .pullable][0]' "$out"), exit $rc)"
    compare "$tmp/truth-flipped.json" "$out" --label "bit flip, no --verify" --root "$V2REL" \
        --ignore tools/kubectl:1.29
fi

step "scan of the copy without the shared layer"
out=$tmp/scan-noshared.json
scan 1 "$out" "$tmp/noshared-dir" &&
    compare "$tmp/truth-noshared.json" "$out" --label "shared layer deleted" --root "$V2REL" \
        --finding blob_missing "$SHARED_LAYER" \
        --tag base/debian:bookworm unpullable --tag base/debian:12 unpullable

step "exit codes for bad usage and unreadable input"
usage() { # DESCRIPTION ARGS...
    local what=$1 rc=0
    shift
    "$BIN" "$@" >"$tmp/usage.log" 2>&1 || rc=$?
    if [[ $rc != 2 ]]; then
        echo "FAIL: $what: regautopsy $* exited $rc, want 2"
        tail -n 5 "$tmp/usage.log" | sed 's/^/    /'
        nfail=$((nfail + 1))
    else
        npass=$((npass + 1))
    fi
}
usage "scan without a snapshot" scan
usage "unknown option" scan --no-such-option "$tmp/before-dir"
usage "nonexistent snapshot" scan --json "$tmp/x.json" "$tmp/does-not-exist.tar.gz"

e2e_end "the snapshots, truths and scan outputs"
