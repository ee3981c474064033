#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report against scan on two snapshots where every layer was lost (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
manifests=8 layers=20000
while (($#)); do
    case $1 in
    --manifests) manifests=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    *) echo "usage: $0 [--manifests N] [--layers N]" >&2; exit 2 ;;
    esac
done
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
bin=build-bench/regautopsy
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen_missing_layers.py "$dir/ml" --manifests "$manifests" --layers "$layers" >/dev/null
measure() { # measure NAME ARGS...: "cpu_seconds peak_kib"
    local name=$1
    shift
    /usr/bin/time -f '%U %S %M' -o "$dir/$name.time" "$bin" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$dir/$name.time" | awk '{ printf "%.2f %d", $1 + $2, $3 }'
}
read -r scpu srss <<<"$(measure scan scan -q --json /dev/null "$dir"/ml/*.tar)"
read -r rcpu rrss <<<"$(measure report report -q -o /dev/null "$dir"/ml/*.tar)"
printf '%-8s %10s %12s\n' command cpu_s peak_MiB
printf '%-8s %10s %12d\n' scan "$scpu" $((srss / 1024)) report "$rcpu" $((rrss / 1024))
awk -v s="$scpu" -v r="$rcpu" 'BEGIN { printf "report/scan cpu: %.2f\n", r / s }'
