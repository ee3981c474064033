#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Many-snapshots benchmark (bench/run.sh --snapshots N): a Synology-style share of N
# daily, hard-linked directory snapshots of one generated registry, and the time and
# peak memory of `timeline`, `report` and `bisect` over it next to one snapshot's `scan`.
# `report` picks what it reads with bisect (docs/performance.md, "`report` with
# bisect"); REPORT_ALL=1 also times `report --all-snapshots` (every snapshot whole).
#
#   bench/snapshots.sh BIN WORK ENTRIES SNAPSHOTS CHANGE_RATE SMALL_BYTES SEED RUNS \
#       [PRUNE [ARCHIVES [FS [PREPARE_ONLY]]]]
#
# Day 1 is bench/gen.py's storage. Every later day is `cp -al` of the day before, then
# about ENTRIES * CHANGE_RATE entries changed: a small registry made by gen.py (seed
# SEED+day) whose repositories are moved in under "dayNN/" and whose blobs are copied
# in (never over existing files: the trees share inodes), and (PRUNE=1, the default)
# one tag directory of the day-1 registry removed (rm -rf). At day ceil(0.6 N) the tag
# svc0000:latest is removed: the loss bisect looks for. With PRUNE=0 that is the only
# loss in the share. ARCHIVES=A > 0 also writes the first A days as tar.zst and times
# timeline over them next to the sum of their single scans. Link files are never rewritten in place (that
# would change every earlier snapshot through the shared inodes).
#
# FS=btrfs (WORK is the top of a Btrfs file system, bench/loopfs.sh): the registry lives
# in the subvolume WORK/live; day 1 is generated there, each later day's changes are
# made there, and each day ends with `btrfs subvolume snapshot -r WORK/live
# "WORK/share/#snapshot/GMT+00_..."`, as a Synology share's scheduled snapshots are
# taken: inode numbers, times and ctimes are kept, and a snapshot costs no inodes.
# FS=dir or ext4: the cp -al copies above. PREPARE_ONLY=1: build the share, time nothing.
set -euo pipefail

bin=$1 work=$2 entries=$3 nsnap=$4 rate=$5 small=$6 seed=$7 runs=$8 prune=${9:-1}
archives=${10:-0} fs=${11:-dir} prepare_only=${12:-0}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
share="$work/share/#snapshot"
tf="$work/.time"
V2=var/lib/registry/docker/registry/v2
break_day=$(((nsnap * 6 + 9) / 10))
((break_day >= 2)) || break_day=2

log() { echo "# $*"; }
day_name() { date -u -d "2026-04-01 + $(($1 - 1)) days" +'GMT+00_%Y.%m.%d-01.00'; }

# ---- the share ------------------------------------------------------------------------
live="$work/live" # FS=btrfs: the share's live subvolume
# remove the share (read-only Btrfs snapshots are removed as subvolumes)
drop_share() {
    if [ "$fs" = btrfs ]; then
        local sv
        for sv in "$share"/* "$live"; do
            [ -d "$sv" ] || continue
            btrfs subvolume delete "$sv" >/dev/null
        done
    fi
    rm -rf "$work/share" "$work/archives"
}
# the changes of day D (2..N) made in the registry at DIR
change_day() {
    local d=$1 cur=$2 small_dir="$work/day.$1" t
    rm -rf "$small_dir"
    /usr/bin/python3 "$here/gen.py" "$small_dir" --target-entries "$((per_day / 2))" \
        --target-blob-bytes 0 --blob-bytes-small "$small" --seed "$((seed + d))" \
        --tags-per-repo 1 --history 0 --mtime "$(date -u -d "2026-04-01 + $((d - 2)) days 12:00" +%Y-%m-%dT%H:%M:%SZ)" \
        >/dev/null
    mkdir -p "$cur/$V2/repositories/day$d"
    mv "$small_dir/$V2/repositories/"* "$cur/$V2/repositories/day$d/"
    cp -a -n "$small_dir/$V2/blobs/." "$cur/$V2/blobs/"
    rm -rf "$small_dir"
    if ((prune)); then
        t=${tagdirs[$(((d * 7919) % ${#tagdirs[@]}))]}
        rm -rf "${cur:?}/$V2/repositories/$t"
    fi
    if ((d == break_day)); then
        rm -rf "$cur/$V2/repositories/svc0000/_manifests/tags/latest"
    fi
}
if [ -d "$share/$(day_name "$nsnap")" ] && [ "$(cat "$work/share.prune" 2>/dev/null)" = "$prune" ]; then
    log "reusing $share"
else
    drop_share
    mkdir -p "$share"
    echo "$prune" >"$work/share.prune"
    d1="$share/$(day_name 1)"
    [ "$fs" != btrfs ] || { btrfs subvolume create "$live" >/dev/null && d1=$live; }
    log "day 1: gen.py --target-entries $entries --blob-bytes-small $small --seed $seed ($fs)"
    /usr/bin/python3 "$here/gen.py" "$d1" --target-entries "$entries" \
        --target-blob-bytes 0 --blob-bytes-small "$small" --seed "$seed" \
        --mtime 2026-04-01T01:00:00Z | tail -n 1
    [ "$fs" != btrfs ] || btrfs subvolume snapshot -r "$live" "$share/$(day_name 1)" >/dev/null
    per_day=$(awk -v e="$entries" -v r="$rate" 'BEGIN { n = int(e * r + 0.5); print n < 1 ? 1 : n }')
    mapfile -t tagdirs < <(cd "$d1/$V2/repositories" && find . -path '*/_manifests/tags/*' \
        -mindepth 4 -maxdepth 6 -type d -name '1.*' -prune -print | LC_ALL=C sort)
    for ((d = 2; d <= nsnap; d++)); do
        cur="$share/$(day_name "$d")"
        if [ "$fs" = btrfs ]; then
            change_day "$d" "$live"
            btrfs subvolume snapshot -r "$live" "$cur" >/dev/null
        else
            cp -al "$share/$(day_name $((d - 1)))" "$cur"
            change_day "$d" "$cur"
        fi
        ((d % 10)) || log "day $d of $nsnap"
    done
fi
one="$share/$(day_name 1)"
n_one=$(find "$one" -mindepth 1 | wc -l)
n_last=$(find "$share/$(day_name "$nsnap")" -mindepth 1 | wc -l)
log "share: $nsnap snapshots, $n_one entries on day 1, $n_last on day $nsnap"
if ((prepare_only)); then
    log "prepared $share; --prepare-only: nothing timed"
    exit 0
fi

# ---- timing ---------------------------------------------------------------------------
# best wall time, least CPU (user+sys) and peak RSS of `regautopsy ARGS` over one
# warm-up and RUNS runs
timeit() {
    local best='' cpu='' rss=0 e m u s c i
    "$bin" "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f '%e %M %U %S' -o "$tf" "$bin" "$@" >/dev/null 2>&1 || true
        read -r e m u s < <(tail -n 1 "$tf")
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$e; fi
        if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
        [ "$m" -gt "$rss" ] && rss=$m
    done
    T_S=$best T_RSS=$rss T_CPU=$cpu
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }

timeit scan -q --json /dev/null "$one"
scan_s=$T_S scan_rss=$T_RSS scan_cpu=$T_CPU
timeit timeline -q --format json "$share"
tl_s=$T_S tl_rss=$T_RSS tl_cpu=$T_CPU
timeit report -q -o /dev/null "$share"
rp_s=$T_S rp_rss=$T_RSS rp_cpu=$T_CPU
"$bin" report -q -o /dev/null --json "$work/report.json" "$share" >/dev/null 2>&1 || true
picked=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["inputs"]["reading"]; print("%d of %d snapshots read whole, %d in part (bisect), %d skipped" % (r["whole"], r["given"], r["part"], r["skipped"]))' "$work/report.json")
if [ "${REPORT_ALL:-0}" = 1 ]; then
    timeit report -q --all-snapshots -o /dev/null "$share"
    rpa_s=$T_S rpa_rss=$T_RSS rpa_cpu=$T_CPU
fi
timeit bisect -q svc0000:latest "$share"
bi_s=$T_S bi_rss=$T_RSS bi_cpu=$T_CPU
"$bin" bisect -q --json "$work/bisect.json" svc0000:latest "$share" >/dev/null 2>&1 || true
bracket=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=[s for s in d["snapshots"] if s["read"]]; print("%s of %s read; last pullable %s, first not %s (%s); %d entries in %d targeted rounds" % (d["snapshots_read"], d["snapshots_total"], d["last_pullable"], d["first_not_pullable"], d["reason"], sum(s.get("entries", 0) for s in r), sum(s.get("rounds", 0) for s in r)))' "$work/bisect.json")

echo "regautopsy many-snapshots benchmark  $(date -u +%Y%m%dT%H%M%SZ)  commit $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "host: $(nproc) cores; share: $nsnap daily $([ "$fs" = btrfs ] && echo "Btrfs" || echo "hard-linked ($fs)") snapshots, ~$entries entries each, change rate $rate/day; tag removed on day $break_day"
echo "method: one warm-up, then best wall and least CPU (user+sys) of $runs via /usr/bin/time; rss = peak RSS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other load on $(nproc) cores skews wall times)"
row() { # MEASURE WALL CPU RSS
    printf '%-34s %8s %8s %9s %10s %9s %9s\n' "$1" "$2" "$3" "$(mib "$4")" \
        "$(ratio "$2" "$scan_s")" "$(ratio "$3" "$scan_cpu")" "$(ratio "$4" "$scan_rss")"
}
printf '%-34s %8s %8s %9s %10s %9s %9s\n' measure wall_s cpu_s rss_MiB wall/scan cpu/scan rss/scan
row "scan, one snapshot" "$scan_s" "$scan_cpu" "$scan_rss"
row "timeline, all $nsnap" "$tl_s" "$tl_cpu" "$tl_rss"
row "report, bisect picks, of $nsnap" "$rp_s" "$rp_cpu" "$rp_rss"
[ "${REPORT_ALL:-0}" != 1 ] || row "report --all-snapshots, all $nsnap" "$rpa_s" "$rpa_cpu" "$rpa_rss"
row "bisect svc0000:latest, all $nsnap" "$bi_s" "$bi_cpu" "$bi_rss"
echo "bisect: $bracket"
echo "report: $picked"

# ---- incremental reading (docs/snapshots.md) -------------------------------------------
# scan and timeline read every snapshot after the first with the one before as prev;
# RA_NO_REUSE=1 reads each in full. Per later snapshot: (all N - day 1 alone) / (N - 1).
timeit scan -q --json /dev/null "$share"
si_s=$T_S si_cpu=$T_CPU si_rss=$T_RSS
export RA_NO_REUSE=1
timeit scan -q --json /dev/null "$share"
sf_s=$T_S sf_cpu=$T_CPU sf_rss=$T_RSS
timeit timeline -q --format json "$share"
tlf_s=$T_S tlf_cpu=$T_CPU tlf_rss=$T_RSS
unset RA_NO_REUSE
per() { awk -v a="$1" -v b="$2" -v n="$nsnap" 'BEGIN { printf "%.2f", (a - b) / (n - 1) }'; }
echo "incremental reading: each later snapshot with the one before as prev, or RA_NO_REUSE=1 (all in full)"
row "scan, all $nsnap, incremental" "$si_s" "$si_cpu" "$si_rss"
row "scan, all $nsnap, RA_NO_REUSE=1" "$sf_s" "$sf_cpu" "$sf_rss"
row "timeline, all $nsnap, RA_NO_REUSE=1" "$tlf_s" "$tlf_cpu" "$tlf_rss"
inc_w=$(per "$si_s" "$scan_s") inc_c=$(per "$si_cpu" "$scan_cpu")
full_w=$(per "$sf_s" "$scan_s") full_c=$(per "$sf_cpu" "$scan_cpu")
echo "scan of one later snapshot: incremental ${inc_w} s wall, ${inc_c} s cpu; full ${full_w} s wall, ${full_c} s cpu; cpu ratio $(ratio "$inc_c" "$full_c")"

# ---- archives: the first A days as tar.zst ----------------------------------------------
if ((archives > 0)); then
    mkdir -p "$work/archives"
    args=()
    for ((d = 1; d <= archives; d++)); do
        a="$work/archives/$(day_name "$d").tar.zst"
        [ -f "$a" ] || tar --sort=name --numeric-owner -C "$share/$(day_name "$d")" -cf - . |
            zstd -q -3 -T0 -o "$a"
        args+=("$a@$(date -u -d "2026-04-01 + $((d - 1)) days 01:00" +%Y-%m-%dT%H:%MZ)")
    done
    sum_s=0 sum_cpu=0 max_rss=0
    for a in "${args[@]}"; do
        runs_save=$runs runs=1
        timeit scan -q --json /dev/null "${a%@*}"
        runs=$runs_save
        sum_s=$(awk -v a="$sum_s" -v b="$T_S" 'BEGIN { printf "%.2f", a + b }')
        sum_cpu=$(awk -v a="$sum_cpu" -v b="$T_CPU" 'BEGIN { printf "%.2f", a + b }')
        [ "$T_RSS" -gt "$max_rss" ] && max_rss=$T_RSS
    done
    runs_save=$runs runs=1
    timeit timeline -q --format json "${args[@]}"
    runs=$runs_save
    printf '%-34s %8s %8s %9s %10s %9s %9s\n' measure wall_s cpu_s rss_MiB wall/sum cpu/sum rss/one
    printf '%-34s %8s %8s %9s %10s %9s %9s\n' "scan of each tar.zst, summed" "$sum_s" "$sum_cpu" \
        "$(mib "$max_rss")" 1.00 1.00 1.00
    printf '%-34s %8s %8s %9s %10s %9s %9s\n' "timeline, $archives tar.zst" "$T_S" "$T_CPU" \
        "$(mib "$T_RSS")" "$(ratio "$T_S" "$sum_s")" "$(ratio "$T_CPU" "$sum_cpu")" \
        "$(ratio "$T_RSS" "$max_rss")"
fi
rm -f "$tf"
