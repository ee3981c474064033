#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make-sample.sh [OUTDIR] - build the bundled sample incident (samples/incident-2026-04)
# with REAL software: docker-registry (Distribution 2.8.x), skopeo, umoci.
#
# Run by a developer, once; the outputs are committed so that the demo needs no
# registry. Deterministic as far as possible: image digests, link files, member
# names and mtimes are fixed; only the GC log's line order may vary between runs.
#
# The story (UTC), the incident in miniature:
#   2026-04-06 00:40  CI pushes infra-ci:2026-04-05 (OCI index amd64 + arm64/v8)
#   2026-04-06 09:12  base/debian:bookworm pushed, 09:13 base/debian:12 (shared base layer)
#   2026-04-08 10:05  tools/kubectl:1.29 pushed (Docker v2 schema 2 manifest)
#   2026-04-09 02:00  cleanup-tags.sh rm -rf's the tag directory of infra-ci:2026-04-05
#   2026-04-11 07:45  CI pushes infra-ci:latest (OCI index; children untagged)
#   2026-04-12 01:00  nightly snapshot 1  registry-2026-04-12T0100Z.tar.gz
#   2026-04-12 03:25  docker-registry garbage-collect -m (Sunday) -> gc-2026-04-12.log
#   2026-04-13 01:00  nightly snapshot 2  registry-2026-04-13T0100Z.tar.gz
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:-$here/incident-2026-04}
# shellcheck source=../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$src/scripts/registry-lib.sh"

for t in docker-registry skopeo umoci jq tar gzip sha256sum; do
    command -v "$t" >/dev/null || { echo "make-sample: $t is required" >&2; exit 1; }
done
if (($(date +%s) < $(date -d '2026-04-14 00:00:00 UTC' +%s))); then
    echo "make-sample: the clock must be after the story (2026-04-13)" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/make-sample.XXXXXX")
cleanup() {
    reg_stop
    rm -rf "$work" "${REG_STATE:-/nonexistent}"
}
trap cleanup EXIT

mkdir -p "$out"
L=$work/oci
top=$work/root                       # snapshot root: members var/lib/registry/...
store=$top/var/lib/registry          # storage.filesystem.rootdirectory
v2=$store/docker/registry/v2
marker=$work/marker
mkdir -p "$store"
touch -d '2026-04-01 00:00:00 UTC' "$top" "$top/var" "$top/var/lib" "$store"

# step 'YYYY-MM-DD HH:MM:SS UTC' CMD...: run CMD and date what it wrote.
step() {
    local when=$1
    shift
    reg_mark "$marker"
    "$@"
    set_mtimes "$top" "$marker" "$when"
}

# quiet: assert that a read-only phase changed nothing in the storage.
assert_untouched() {
    local changed
    changed=$(find "$top" -newer "$marker" | head -5)
    if [[ -n "$changed" ]]; then
        echo "make-sample: storage changed during a read-only phase:" >&2
        echo "$changed" >&2
        exit 1
    fi
}

# ---- images (OCI layout) -------------------------------------------------
export IMG_AUTHOR='ACME CI <ci@acme.example>'
IMG_CREATED=2026-04-05T23:58:00Z img_build "$L" old-amd64 amd64 "" \
    "debian bookworm base (amd64)" "infra-ci toolchain build 2026-04-05 (amd64)"
IMG_CREATED=2026-04-05T23:58:00Z img_build "$L" old-arm64 arm64 v8 \
    "debian bookworm base (arm64)" "infra-ci toolchain build 2026-04-05 (arm64)"
img_index "$L" old old-amd64 old-arm64
IMG_CREATED=2026-04-06T09:00:00Z img_build "$L" bookworm amd64 "" \
    "debian bookworm base (amd64)" "debian bookworm point release 12.10"
IMG_CREATED=2026-04-06T09:00:00Z img_build "$L" 12 amd64 "" \
    "debian bookworm base (amd64)" "debian 12 point release 12.10"
IMG_CREATED=2026-04-08T10:00:00Z img_build "$L" kubectl amd64 "kubectl v1.29.15 (amd64)"
IMG_CREATED=2026-04-11T07:40:00Z img_build "$L" latest-amd64 amd64 "" \
    "debian bookworm base (amd64)" "infra-ci toolchain build 2026-04-11 (amd64)"
IMG_CREATED=2026-04-11T07:40:00Z img_build "$L" latest-arm64 arm64 v8 \
    "debian bookworm base (arm64)" "infra-ci toolchain build 2026-04-11 (arm64)"
img_index "$L" latest latest-amd64 latest-arm64

# ---- pushes ------------------------------------------------------------------
reg_start "$store"
step '2026-04-06 00:40:12 UTC' push_oci "$L" old infra-ci:2026-04-05
step '2026-04-06 09:12:30 UTC' push_oci "$L" bookworm base/debian:bookworm
step '2026-04-06 09:13:02 UTC' push_oci "$L" 12 base/debian:12
step '2026-04-08 10:05:47 UTC' push_oci "$L" kubectl tools/kubectl:1.29 --format v2s2
# cleanup-tags.sh (daily 02:00): prune infra-ci tags older than 3 days
step '2026-04-09 02:00:03 UTC' rm -rf "$v2/repositories/infra-ci/_manifests/tags/2026-04-05"
step '2026-04-11 07:45:21 UTC' push_oci "$L" latest infra-ci:latest

tags=(infra-ci:latest infra-ci:2026-04-05 tools/kubectl:1.29 base/debian:bookworm base/debian:12)

# ---- snapshot 1 (before GC) ----------------------------------------------
reg_mark "$marker"
truth_json "$out/truth-2026-04-12.json" "${tags[@]}"
assert_untouched
snap_tar "$top" "$out/registry-2026-04-12T0100Z.tar.gz"

# ---- GC, Sunday 03:25 --------------------------------------------------------
REG_GC_LOG=$out/gc-2026-04-12.log
export REG_GC_LOG
step '2026-04-12 03:25:01 UTC' reg_gc -m

# ---- snapshot 2 (after GC) ------------------------------------------------
reg_mark "$marker"
truth_json "$out/truth-2026-04-13.json" "${tags[@]}"
assert_untouched
snap_tar "$top" "$out/registry-2026-04-13T0100Z.tar.gz"
reg_stop

# ---- digests.json: what each digest is, from the OCI layout and skopeo ------
blob() { cat "$L/blobs/sha256/${1#sha256:}"; }
ref_digest() { jq -r --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n) | .digest' "$L/index.json"; }
image_json() { # NAME [DIGEST-OVERRIDE]
    local d=${2:-$(ref_digest "$1")}
    local m
    m=$(ref_digest "$1")
    blob "$m" | jq -c --arg d "$d" '{manifest: $d, config: .config.digest, layers: [.layers[].digest]}'
}
index_json() { # NAME
    local d
    d=$(ref_digest "$1")
    blob "$d" | jq -c --arg d "$d" '{index: $d, children: [.manifests[] | {platform: (.platform.os + "/" + .platform.architecture + (if .platform.variant then "/" + .platform.variant else "" end)), manifest: .digest}]}'
}
{
    # kubectl was converted to Docker v2s2 by skopeo: its digests are the ones served.
    kdig=$(jq -r '.tags[] | select(.repository == "tools/kubectl") | .digest' "$out/truth-2026-04-12.json")
    kraw=$(tar -xzOf "$out/registry-2026-04-12T0100Z.tar.gz" \
        "var/lib/registry/docker/registry/v2/blobs/sha256/${kdig:7:2}/${kdig#sha256:}/data")
    jq -n \
        --argjson latest "$(index_json latest)" \
        --argjson la "$(image_json latest-amd64)" --argjson lr "$(image_json latest-arm64)" \
        --argjson old "$(index_json old)" \
        --argjson oa "$(image_json old-amd64)" --argjson orr "$(image_json old-arm64)" \
        --argjson bw "$(image_json bookworm)" --argjson tw "$(image_json 12)" \
        --argjson k "$(jq -c --arg d "$kdig" '{manifest: $d, config: .config.digest, layers: [.layers[].digest], media_type: .mediaType}' <<<"$kraw")" \
        '{"infra-ci:latest": ($latest + {images: {"linux/amd64": $la, "linux/arm64/v8": $lr}}),
          "infra-ci:2026-04-05": ($old + {images: {"linux/amd64": $oa, "linux/arm64/v8": $orr}}),
          "base/debian:bookworm": $bw, "base/debian:12": $tw, "tools/kubectl:1.29": $k}'
} >"$out/digests.json"

# Blobs present in each snapshot, for the README
blobs_in() { tar -tzf "$1" | sed -n 's#^var/lib/registry/docker/registry/v2/blobs/sha256/../\([0-9a-f]\{64\}\)/data$#sha256:\1#p' | sort; }
blobs_in "$out/registry-2026-04-12T0100Z.tar.gz" >"$work/b1"
blobs_in "$out/registry-2026-04-13T0100Z.tar.gz" >"$work/b2"
comm -23 "$work/b1" "$work/b2" >"$work/gone"

# ---- README ------------------------------------------------------------------
d() { jq -r "$1" "$out/digests.json"; }
{
    cat <<'EOF'
# Sample incident: infra-ci:latest garbage-collected from under its index (April 2026)

A miniature of the incident regautopsy was built for (a CI image served as an OCI
index, whose children the Sunday registry GC deleted while the index kept resolving):
real Docker Distribution storage, made with real software by `samples/make-sample.sh`
(docker-registry 2.8.2 from Debian, skopeo 1.9.3, umoci 0.4.7). Do not edit these
files by hand: rerun the script (`bash samples/make-sample.sh`) and commit its output.

## Story (UTC; file mtimes inside the archives tell it)

| when | what |
| --- | --- |
| 2026-04-06 00:40 | CI pushes `infra-ci:2026-04-05`, an OCI index (linux/amd64, linux/arm64/v8); children untagged |
| 2026-04-06 09:12 / 09:13 | `base/debian:bookworm` and `base/debian:12` pushed; they share the base layer |
| 2026-04-08 10:05 | `tools/kubectl:1.29` pushed as a Docker v2 schema 2 manifest (`skopeo copy --format v2s2`) |
| 2026-04-09 02:00 | `cleanup-tags.sh` (daily 02:00) `rm -rf`s `repositories/infra-ci/_manifests/tags/2026-04-05` |
| 2026-04-11 07:45 | CI pushes `infra-ci:latest`, an OCI index (linux/amd64, linux/arm64/v8); children untagged |
| 2026-04-12 01:00 | nightly copy: `registry-2026-04-12T0100Z.tar.gz` (everything tagged is pullable) |
| 2026-04-12 03:25 | Sunday GC: `docker-registry garbage-collect -m` (output: `gc-2026-04-12.log`) |
| 2026-04-13 01:00 | nightly copy: `registry-2026-04-13T0100Z.tar.gz`: `infra-ci:latest` still resolves, no platform pulls |

The amd64 images of infra-ci are built on the same Debian base layer as
`base/debian`, so that layer survives GC (base/debian marks it); everything else
the infra-ci children reference is deleted. The old build `infra-ci:2026-04-05`
lost its tag to the cleanup script, so its GC deletion is expected; the loss of
`infra-ci:latest`'s children is the 2.8 bug (untagged children of a tagged index
are treated as garbage with `-m`; upstream issues 3004/3178, fixed in 3.0).

## Files

- `registry-2026-04-12T0100Z.tar.gz`, `registry-2026-04-13T0100Z.tar.gz`: the storage, members
  `var/lib/registry/docker/registry/v2/...`, numeric owners, sorted, mtimes as in the story.
- `truth-2026-04-12.json`, `truth-2026-04-13.json`: ground truth from skopeo alone, with the
  registry serving that storage: `resolves` (`skopeo inspect --raw`), `digest` (sha256 of the
  raw manifest), `pullable` (`skopeo copy --all`), per platform `pullable`
  (`skopeo --override-os/--override-arch/--override-variant copy`); `error` is skopeo's last
  error line (port replaced by REGISTRY).
- `gc-2026-04-12.log`: the garbage collector's own output (line order may vary between runs).
- `digests.json`: what each digest is (from the OCI layout the images were built in, and the
  served Docker manifest for kubectl).

## Digests
EOF
    echo
    echo '| what | digest |'
    echo '| --- | --- |'
    : >"$work/roles"
    row() { # DESCRIPTION DIGEST
        printf '%s\t%s\n' "$2" "$1" >>"$work/roles"
        echo "| $1 | \`$2\` |"
    }
    for t in 'infra-ci:latest' 'infra-ci:2026-04-05'; do
        row "\`$t\` index" "$(d ".\"$t\".index")"
        for p in linux/amd64 linux/arm64/v8; do
            row "\`$t\` $p manifest" "$(d ".\"$t\".images.\"$p\".manifest")"
            row "\`$t\` $p config" "$(d ".\"$t\".images.\"$p\".config")"
            i=0
            for l in $(d ".\"$t\".images.\"$p\".layers[]"); do
                i=$((i + 1))
                row "\`$t\` $p layer $i" "$l"
            done
        done
    done
    for t in 'base/debian:bookworm' 'base/debian:12' 'tools/kubectl:1.29'; do
        row "\`$t\` manifest" "$(d ".\"$t\".manifest")"
        row "\`$t\` config" "$(d ".\"$t\".config")"
        i=0
        for l in $(d ".\"$t\".layers[]"); do
            i=$((i + 1))
            row "\`$t\` layer $i" "$l"
        done
    done
    echo
    echo '## Ground truth (skopeo)'
    echo
    echo '| tag | 2026-04-12 01:00 | 2026-04-13 01:00 |'
    echo '| --- | --- | --- |'
    for t in "${tags[@]}"; do
        r=${t%:*} g=${t##*:}
        # shellcheck disable=SC2016 # jq variables
        q='.tags[] | select(.repository == $r and .tag == $g) | if .resolves | not then "does not resolve" elif .pullable then "pullable" else "resolves, NOT pullable (" + ([.platforms[] | select(.pullable | not) | .platform] | join(", ")) + ")" end'
        a=$(jq -r --arg r "$r" --arg g "$g" "$q" "$out/truth-2026-04-12.json")
        b=$(jq -r --arg r "$r" --arg g "$g" "$q" "$out/truth-2026-04-13.json")
        echo "| \`$t\` | $a | $b |"
    done
    echo
    echo '## Blobs deleted by the GC (present in snapshot 1, absent in snapshot 2)'
    echo
    while read -r b; do
        what=$(awk -F'\t' -v b="$b" '$1 == b { print $2 }' "$work/roles" | paste -sd ';' - | sed 's/;/; /g')
        echo "- \`$b\`: ${what:-?}"
    done <"$work/gone"
    echo
    cat <<'EOF'
What else GC 2.8.2 changed (compare the two archives): the revision-link directories
of the two `infra-ci:latest` children (and of the three `infra-ci:2026-04-05`
manifests) were removed; the children's manifest blobs stayed (the index references
them, so GC marked them); every `_layers` link in `infra-ci` was left in place,
dangling where its blob went; each deleted blob's `blobs/sha256/<hh>/<hex>/`
directory went, but the emptied `<hh>/` directories stayed, their mtime being the
time of the GC run (03:25:01), as is the mtime of `infra-ci/_manifests/revisions/sha256/`.
EOF
} >"$out/README.md"

ls -l "$out"
du -cb "$out"/* | tail -1
