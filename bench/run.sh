#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark `regautopsy scan` against baselines on the same synthetic registry storage.
#
#   bench/run.sh [--entries N] [--blob-gb G] [--keep DIR] [options]
#
# Generates storage with bench/gen.py (or reuses it from --keep DIR), archives it as
# tar, tar.gz (gzip, default level 6) and tar.zst (zstd -3 -T0), then times each of our
# commands next to a baseline that does comparable work on the same data. Prints a table
# and writes it as TSV to bench/results/<date>-<entries>.tsv. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

entries=100000
blob_gb=1
small=16k
runs=3
seed=1
keep=
bin="$repo/build-bench/regautopsy"
gc=1
prepare_only=0
gen_args=()
snapshots=0
change_rate=0.001
prune=1
archives=0
fs=dir
image_dir=
image_gb=
long_s=20 # a command whose warm-up run took longer than this is timed once, not $runs times

usage() {
    cat <<EOF
usage: bench/run.sh [options]
  --entries N       entries (files + dirs) to generate (default $entries)
  --blob-gb G       total blob data in GiB, big layers added to reach it (default $blob_gb;
                    0 = small blobs only)
  --small-bytes S   typical small layer size (default $small)
  --keep DIR        generate into DIR and keep it; if DIR already holds data/ and the
                    archives, reuse them (--entries/--blob-gb are then ignored)
  --runs R          timed runs per command after one warm-up run (default $runs)
  --bin PATH        regautopsy binary (default: build-bench/regautopsy, a Release build
                    of this checkout that run.sh makes or brings up to date first)
  --no-gc           skip the docker-registry garbage-collect baseline
  --prepare-only    generate the storage and archives (use with --keep), time nothing
  --seed S          generator seed (default $seed)
  --gen-arg ARG     pass ARG to gen.py (repeatable), e.g. --gen-arg=--history=5
  --snapshots N     many-snapshots mode (bench/snapshots.sh): N daily (hard-linked or Btrfs)
                    directory snapshots of an --entries registry (small blobs only,
                    --small-bytes each); times timeline and bisect over them next to
                    one snapshot's scan
  --change-rate R   with --snapshots: fraction of entries changed per day (default $change_rate)
  --no-prune        with --snapshots: no tag folder removed each day (then the only loss
                    is svc0000:latest)
  --archives A      with --snapshots: also time timeline over the first A snapshots as
                    tar.zst archives next to the sum of their single scans
  --fs KIND         with --snapshots: where the share is built: dir (default: in the work
                    folder, daily copies by cp -al), btrfs (a loop-mounted Btrfs image,
                    one read-only subvolume snapshot a day, as a Synology share) or ext4
                    (a loop-mounted ext4 image with enough inodes, cp -al); needs root
  --image-dir DIR   with --fs: folder of the sparse image file (default: the --keep
                    folder, else \$TMPDIR or /var/tmp); kept with --keep, else removed
  --image-gb G      with --fs: the image's size in GiB (sparse; default from entries,
                    snapshots and change rate)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
    --entries) entries=$2; shift 2 ;;
    --blob-gb) blob_gb=$2; shift 2 ;;
    --small-bytes) small=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --no-gc) gc=0; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --snapshots) snapshots=$2; shift 2 ;;
    --change-rate) change_rate=$2; shift 2 ;;
    --no-prune) prune=0; shift ;;
    --archives) archives=$2; shift 2 ;;
    --fs) fs=$2; shift 2 ;;
    --image-dir) image_dir=$2; shift 2 ;;
    --image-gb) image_gb=$2; shift 2 ;;
    --gen-arg) gen_args+=("$2"); shift 2 ;;
    --gen-arg=*) gen_args+=("${1#--gen-arg=}"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

need() { command -v "$1" >/dev/null || { echo "run.sh: $1 not found" >&2; exit 2; }; }
need /usr/bin/python3
need /usr/bin/time
need tar
need gzip
need zstd
need sha256sum
[ "$gc" = 0 ] || [ "$snapshots" -gt 0 ] || need docker-registry
if [ "$fs" != dir ]; then
    [ "$snapshots" -gt 0 ] || { echo "run.sh: --fs needs --snapshots" >&2; exit 2; }
    # shellcheck source=bench/loopfs.sh
    . "$here/loopfs.sh"
    loopfs_check "$fs"
fi
if [ "$prepare_only" = 0 ] && [ "$bin" = "$repo/build-bench/regautopsy" ]; then
    # the default binary: a Release build of this checkout, (re)built here
    echo "# building $bin (Release)"
    cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DRA_TESTS=OFF >/dev/null
    cmake --build "$repo/build-bench" -j"$(nproc)" --target regautopsy >/dev/null
fi
if [ "$prepare_only" = 0 ] && [ ! -x "$bin" ]; then
    echo "run.sh: no binary at $bin" >&2
    exit 2
fi

if [ "$snapshots" -gt 0 ]; then
    img=
    # shellcheck disable=SC2317 # called by the EXIT trap
    cleanup() {
        if [ "$fs" != dir ]; then
            loopfs_down
            [ -n "$keep" ] || rm -f "$img"
        fi
        [ -n "$keep" ] || rm -rf "$work"
    }
    if [ -n "$keep" ]; then
        mkdir -p "$keep"
        work=$(cd "$keep" && pwd)
    else
        work=$(mktemp -d "${TMPDIR:-/tmp}/regautopsy-bench.XXXXXX")
    fi
    trap cleanup EXIT
    trap 'exit 130' INT TERM HUP
    share_work=$work
    if [ "$fs" != dir ]; then
        if [ -n "$image_dir" ]; then
            mkdir -p "$image_dir"
            img="$(cd "$image_dir" && pwd)/regautopsy-bench-$fs-$(basename "$work").img"
        elif [ -n "$keep" ]; then
            img="$work/share.$fs.img"
        else
            img=$(mktemp "${TMPDIR:-/var/tmp}/regautopsy-bench-$fs.XXXXXX.img")
            rm -f "$img" # made by loopfs_up
        fi
        # the share's inodes on ext4: every cp -al copy makes every folder anew (about
        # half the entries) and each day adds its changed entries
        inodes=$(awk -v e="$entries" -v n="$snapshots" -v r="$change_rate" \
            'BEGIN { printf "%d", e * 0.6 * n + e * r * n * n + 200000 }')
        if [ -z "$image_gb" ]; then
            # a small blob is ~SMALL bytes; metadata, link files and folders ~2 KiB an
            # entry (more on ext4: a block for each folder copy that is not inline)
            sb=$(awk -v s="$small" 'BEGIN { m = 1; if (s ~ /[kK]$/) m = 1024; if (s ~ /[mM]$/) m = 1048576; printf "%d", s * m }')
            image_gb=$(awk -v e="$entries" -v n="$snapshots" -v r="$change_rate" -v s="$sb" \
                -v i="$inodes" -v f="$fs" 'BEGIN {
                    b = e * (s / 2 + 2048) * (1 + n * r) * 1.5 + 2 * 2^30
                    if (f == "ext4") b += i * 256 + e * 0.05 * n * 4096
                    printf "%d", b / 2^30 + 1 }')
        fi
        loopfs_up "$fs" "$img" "$work/mnt" "$((image_gb << 30))" "$inodes"
        share_work="$work/mnt"
    fi
    "$here/snapshots.sh" "$bin" "$share_work" "$entries" "$snapshots" "$change_rate" "$small" \
        "$seed" "$runs" "$prune" "$archives" "$fs" "$prepare_only"
    exit
fi

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd)
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/regautopsy-bench.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
data="$work/data"
tarf="$work/snap.tar"
gzf="$work/snap.tar.gz"
zstf="$work/snap.tar.zst"
tf="$work/.time"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "# $*"; }

out_lines=()
say() { out_lines+=("$*"); echo "$*"; }

# ---- data -----------------------------------------------------------------------------
if [ -d "$data/var/lib/registry" ]; then
    log "reusing storage in $data"
else
    rm -rf "$data"
    log "generating: gen.py --target-entries $entries --target-blob-bytes ${blob_gb}g" \
        "--blob-bytes-small $small --seed $seed ${gen_args[*]:-}"
    t0=$(now)
    /usr/bin/python3 "$here/gen.py" "$data" --target-entries "$entries" \
        --target-blob-bytes "${blob_gb}g" --blob-bytes-small "$small" --seed "$seed" \
        --mtime 2026-04-12T01:00:00Z ${gen_args[@]+"${gen_args[@]}"} | tee "$work/gen.out"
    log "generated in $(since "$t0") s"
fi
n_entries=$(find "$data" -mindepth 1 | wc -l)
blob_bytes=$(find "$data/var/lib/registry/docker/registry/v2/blobs" -type f -name data \
    -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')

mk() { # mk OUT CMD...: build OUT unless it exists
    local f=$1; shift
    if [ -s "$f" ]; then log "reusing $f"; return; fi
    local t0; t0=$(now)
    "$@"
    log "made $(basename "$f") in $(since "$t0") s"
}
mk "$tarf" tar --sort=name --numeric-owner -C "$data" -cf "$tarf" var
# shellcheck disable=SC2016 # expanded by the inner sh
mk "$gzf" sh -c 'gzip -c "$1" > "$2.part" && mv "$2.part" "$2"' sh "$tarf" "$gzf"
# shellcheck disable=SC2016 # expanded by the inner sh
mk "$zstf" sh -c 'zstd -q -3 -T0 "$1" -o "$2.part" && mv "$2.part" "$2"' sh "$tarf" "$zstf"
if [ "$prepare_only" = 1 ]; then
    log "prepared $work ($n_entries entries, $blob_bytes blob bytes)"
    [ -n "$keep" ] || log "(without --keep it is removed now)"
    exit 0
fi

gc_conf="$work/registry-gc.yml"
cat >"$gc_conf" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $data/var/lib/registry
EOF

# ---- timing ---------------------------------------------------------------------------
# timeit CMD: one warm-up run (fills the page cache; dropping it needs root we do not
# assume), then $runs timed runs (1 if the warm-up took over $long_s s) under
# /usr/bin/time -f '%e %M %U %S'. Sets T_S (best wall seconds), T_RSS (max RSS KiB, the
# largest single process of a pipeline), T_CPU (least user+sys seconds, a whole pipeline),
# T_RC (exit status of the warm-up run).
timeit() {
    local cmd=$1 t0 w n i e m u s c best='' cpu='' rss=0
    t0=$(now)
    set +e
    bash -c "$cmd" >/dev/null 2>&1
    T_RC=$?
    set -e
    w=$(since "$t0")
    n=$runs
    awk -v w="$w" -v l="$long_s" 'BEGIN { exit !(w > l) }' && n=1
    for ((i = 0; i < n; i++)); do
        /usr/bin/time -f '%e %M %U %S' -o "$tf" bash -c "$cmd" >/dev/null 2>&1 || true
        read -r e m u s < <(tail -n 1 "$tf")
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$e; fi
        if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
        [ "$m" -gt "$rss" ] && rss=$m
    done
    T_S=$best
    T_RSS=$rss
    T_CPU=$cpu
}

declare -A OS ORSS ORC OCPU BS BCPU
ours() { # ours KEY ARGS...: time `regautopsy ARGS`, once per KEY
    local key=$1; shift
    [ -n "${OS[$key]:-}" ] && return
    local q=("$bin" "$@") cmd
    printf -v cmd '%q ' "${q[@]}"
    timeit "exec $cmd"
    # gc-sim exits 1 when the run would break a tag (-m on index children does)
    [ "${key#gcsim}" != "$key" ] && [ "$T_RC" = 1 ] && T_RC=0
    OS[$key]=$T_S; ORSS[$key]=$T_RSS; ORC[$key]=$T_RC; OCPU[$key]=$T_CPU
    if [ "$T_RC" != 0 ]; then
        echo "run.sh: warning: regautopsy $* exited $T_RC (expected 0: all tags pullable)" >&2
    fi
}
base() { # base KEY CMD: time a shell command line, once per KEY
    local key=$1 cmd=$2
    [ -n "${BS[$key]:-}" ] && return
    timeit "$cmd"
    BS[$key]=$T_S; BCPU[$key]=$T_CPU
    if [ "$T_RC" != 0 ]; then echo "run.sh: warning: baseline '$cmd' exited $T_RC" >&2; fi
}

rows=()
row() { # row MEASURE OURKEY BASEKEY
    rows+=("$1"$'\t'"$2"$'\t'"$3")
}

q() { printf '%q' "$1"; }
blobs_dir="$data/var/lib/registry/docker/registry/v2/blobs"

log "timing: warm-up run, then best of $runs (1 if warm-up > ${long_s}s); page cache warm"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ours tar scan -q --json /dev/null "$tarf"
base tar_tvf "tar -tvf $(q "$tarf") > /dev/null"
base tar_tf "tar -tf $(q "$tarf") > /dev/null"
row "scan tar / tar -tvf" tar tar_tvf
row "scan tar / tar -tf" tar tar_tf

ours zst scan -q --json /dev/null "$zstf"
base zstd_dc "zstd -dc $(q "$zstf") > /dev/null"
row "scan tar.zst / zstd -dc" zst zstd_dc
ours gz scan -q --json /dev/null "$gzf"
base gzip_dc "gzip -dc $(q "$gzf") > /dev/null"
row "scan tar.gz / gzip -dc" gz gzip_dc
# GNU gzip inflates far slower than zlib, which libarchive uses; zstd -dc reads .gz via zlib
if zstd -q -t "$gzf" 2>/dev/null; then
    base zlib_dc "zstd -dc $(q "$gzf") > /dev/null"
    row "scan tar.gz / zstd -dc(zlib) .gz" gz zlib_dc
fi

ours vtar scan -q --verify --json /dev/null "$tarf"
base sha_dir "find $(q "$blobs_dir") -name data -path '*/blobs/*' -print0 | xargs -0 sha256sum > /dev/null"
base tar_xo_sha "tar -xOf $(q "$tarf") | sha256sum > /dev/null"
row "verify tar / sha256sum blobs(dir)" vtar sha_dir
row "verify tar / tar -xOf|sha256sum" vtar tar_xo_sha
# coreutils sha256sum has no SHA-NI code path; OpenSSL (which we link) does
if command -v openssl >/dev/null; then
    base tar_xo_ossl "tar -xOf $(q "$tarf") | openssl dgst -sha256 > /dev/null"
    row "verify tar / tar -xOf|openssl sha256" vtar tar_xo_ossl
fi
ours vzst scan -q --verify --json /dev/null "$zstf"
base zstd_sha "zstd -dc $(q "$zstf") | sha256sum > /dev/null"
row "verify tar.zst / zstd -dc|sha256sum" vzst zstd_sha
ours vgz scan -q --verify --json /dev/null "$gzf"
base gzip_sha "gzip -dc $(q "$gzf") | sha256sum > /dev/null"
row "verify tar.gz / gzip -dc|sha256sum" vgz gzip_sha

ours dir scan -q --json /dev/null "$data"
base find_wc "find $(q "$data") | wc -l"
row "scan dir / find|wc -l" dir find_wc
if [ "$gc" = 1 ]; then
    base gc "docker-registry garbage-collect --dry-run $(q "$gc_conf")"
    row "scan dir / registry gc --dry-run" dir gc
fi
ours gcsim gc-sim -q --json /dev/null "$data"
ours gcsim_m gc-sim -q -m --json /dev/null "$data"
if [ "$gc" = 1 ]; then
    row "gc-sim dir / registry gc --dry-run" gcsim gc
    base gc_m "docker-registry garbage-collect --dry-run -m $(q "$gc_conf")"
    row "gc-sim -m dir / gc --dry-run -m" gcsim_m gc_m
fi
ours vdir scan -q --verify --json /dev/null "$data"
row "verify dir / sha256sum blobs(dir)" vdir sha_dir

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ---------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
size_of() { stat -c %s "$1"; }
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$here/results"
tsv="$here/results/$stamp-$n_entries.tsv"

say "regautopsy scan benchmark  $stamp  commit $commit  binary $bin"
say "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
say "data: $n_entries entries, $blob_bytes blob bytes ($(awk -v b="$blob_bytes" 'BEGIN { printf "%.2f", b / 1073741824 }') GiB) in $data"
say "archives: tar $(size_of "$tarf") B, tar.gz $(size_of "$gzf") B (gzip -6, single-threaded), tar.zst $(size_of "$zstf") B (zstd -3 -T0)"
say "method: each command run once to warm the page cache (not dropped), then best wall time of $runs"
say "        (1 if the warm-up took > ${long_s}s) via /usr/bin/time -f '%e %M %U %S'; rss = max RSS of regautopsy"
say "        ratio = ours / baseline (below 1: we are faster)"
say "load average before/after timing: $load_before / $load_after (other load on $(nproc) cores skews wall times)"
say ""
hdr=$(printf '%-38s %8s %10s %7s %8s' measure ours_s baseline_s ratio rss_MiB)
say "$hdr"
printf 'measure\tours_s\tbaseline_s\tratio\trss_MiB\n' >"$tsv"
for r in "${rows[@]}"; do
    IFS=$'\t' read -r m ok bk <<<"$r"
    o=${OS[$ok]} b=${BS[$bk]}
    ratio=$(awk -v o="$o" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", o / b; else print "inf" }')
    rss=$(mib "${ORSS[$ok]}")
    say "$(printf '%-38s %8s %10s %7s %8s' "$m" "$o" "$b" "$ratio" "$rss")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$o" "$b" "$ratio" "$rss" >>"$tsv"
done
peak=0
for k in "${!ORSS[@]}"; do [ "${ORSS[$k]}" -gt "$peak" ] && peak=${ORSS[$k]}; done
per_m=$(awk -v k="${ORSS[tar]}" -v n="$n_entries" 'BEGIN { printf "%.1f", k / 1024 / (n / 1e6) }')
per_m_peak=$(awk -v k="$peak" -v n="$n_entries" 'BEGIN { printf "%.1f", k / 1024 / (n / 1e6) }')
say "$(printf '%-38s %8s %10s %7s %8s' "peak rss, any scan" - - - "$(mib "$peak")")"
say "$(printf '%-38s %8s %10s %7s %8s' "rss per 1M entries, scan tar" - - - "$per_m")"
say "$(printf '%-38s %8s %10s %7s %8s' "rss per 1M entries, peak" - - - "$per_m_peak")"
printf '%s\t-\t-\t-\t%s\n' "peak rss, any scan" "$(mib "$peak")" "rss per 1M entries, scan tar" \
    "$per_m" "rss per 1M entries, peak" "$per_m_peak" >>"$tsv"
say ""
say "cpu time (user+sys, least of the timed runs; less sensitive to other load than wall time):"
say "$(printf '%-38s %8s %10s %7s' measure ours_cpu baseline_cpu ratio)"
for r in "${rows[@]}"; do
    IFS=$'\t' read -r m ok bk <<<"$r"
    o=${OCPU[$ok]} b=${BCPU[$bk]}
    ratio=$(awk -v o="$o" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", o / b; else print "inf" }')
    say "$(printf '%-38s %8s %10s %7s' "$m" "$o" "$b" "$ratio")"
done
bad=
for k in "${!ORC[@]}"; do [ "${ORC[$k]}" = 0 ] || bad="$bad $k=${ORC[$k]}"; done
[ -z "$bad" ] || say "WARNING: regautopsy exit status not 0 for:$bad"
say ""
say "tsv: $tsv"
printf '%s\n' "${out_lines[@]}" >"${tsv%.tsv}.txt"
rm -f "$tf"
if [ -n "$keep" ]; then log "kept $work"; else log "removing $work"; fi
