#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The probe: `regautopsy scan STORAGE --prometheus FILE` on the sample's storage (both
# nightly snapshots, unpacked into directories as a registry's volume is), checked with
# Prometheus's own `promtool check metrics`; exact pullability, findings and GC-risk
# series; the GC figures against `gc-sim -m --json`; a failed run keeping the last
# complete scan's time; the atomic replacement (no temporary file left, mode 0644); a
# live tree (a writer busy in the storage while the scan runs); the sample alert rules
# with `promtool check rules` and `promtool test rules` (series that must fire and
# series that must not, for each alert); the systemd units with `systemd-analyze
# verify`; the CronJob's read-only mount.
#
#   bash tests/probe/probe.sh REGAUTOPSY SOURCE_DIR
set -u
bin=$1
src=$2
mon=$src/samples/monitoring
sample=$src/samples/incident-2026-04
root='root="var/lib/registry/docker/registry/v2"'
fails=0
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# has FILE LINE: FILE holds LINE exactly
has() {
    grep -qxF -- "$2" "$1" || fail "$1 lacks: $2"
}

for t in promtool jq; do
    command -v "$t" >/dev/null || { echo "probe: $t not installed (scripts/setup.sh)" >&2; exit 77; }
done

# The storage as a registry holds it: a directory, made read-only like the probe's mount.
for day in 12 13; do
    mkdir -p "$work/s$day"
    tar -xzf "$sample/registry-2026-04-${day}T0100Z.tar.gz" -C "$work/s$day"
    chmod -R a-w "$work/s$day"
done
mkdir "$work/out"

# After the GC (the 13th): infra-ci:latest is broken on both platforms.
before=$(date +%s)
"$bin" scan -q --prometheus "$work/out/regautopsy.prom" "$work/s13" >"$work/out13.txt" 2>"$work/err13"
rc=$?
after=$(date +%s)
[ "$rc" = 1 ] || fail "scan of the 13th: exit $rc, want 1 (a tag unpullable)"
[ -s "$work/err13" ] && fail "scan of the 13th wrote to stderr: $(cat "$work/err13")"
m=$work/out/regautopsy.prom
promtool check metrics <"$m" >"$work/lint" 2>&1 || fail "promtool check metrics: $(cat "$work/lint")"
[ "$(stat -c %a "$m")" = 644 ] || fail "metrics file mode $(stat -c %a "$m"), want 644"
[ "$(ls -A "$work/out")" = regautopsy.prom ] || fail "left in the textfile dir: $(ls -A "$work/out")"
has "$m" "regautopsy_scan_success 1"
has "$m" "regautopsy_scan_live_tree 0"
has "$m" "regautopsy_scan_entries_read_total 156"
has "$m" "# TYPE regautopsy_scan_entries_read_total counter"
has "$m" "# TYPE regautopsy_scan_duration_seconds gauge"
has "$m" "regautopsy_tag_pullable{$root,repository=\"base/debian\",tag=\"12\",platform=\"linux/amd64\"} 1"
has "$m" "regautopsy_tag_pullable{$root,repository=\"base/debian\",tag=\"bookworm\",platform=\"linux/amd64\"} 1"
has "$m" "regautopsy_tag_pullable{$root,repository=\"infra-ci\",tag=\"latest\",platform=\"linux/amd64\"} 0"
has "$m" "regautopsy_tag_pullable{$root,repository=\"infra-ci\",tag=\"latest\",platform=\"linux/arm64/v8\"} 0"
has "$m" "regautopsy_tag_pullable{$root,repository=\"tools/kubectl\",tag=\"1.29\",platform=\"linux/amd64\"} 1"
[ "$(grep -c '^regautopsy_tag_pullable{' "$m")" = 5 ] || fail "want 5 tag_pullable series"
has "$m" 'regautopsy_findings{code="blob_missing",severity="critical"} 5'
has "$m" 'regautopsy_findings{code="index_child_missing",severity="critical"} 2'
has "$m" 'regautopsy_findings{code="layer_link_dangling",severity="warning"} 9'
[ "$(grep -c '^regautopsy_findings{' "$m")" = 3 ] || fail "want 3 findings series"
t=$(sed -n 's/^regautopsy_last_complete_scan_timestamp_seconds \([0-9]*\)$/\1/p' "$m")
{ [ -n "$t" ] && [ "$t" -ge "$before" ] && [ "$t" -le "$after" ]; } ||
    fail "last complete scan '$t' not within $before..$after"
cp "$m" "$work/m13.prom"
d=$(sed -n 's/^regautopsy_scan_duration_seconds \([0-9.]*\)$/\1/p' "$m")
[ -n "$d" ] || fail "no scan duration"

# Before the GC (the 12th): everything pullable; a GC run now with -m deletes what
# gc-sim -m says, without -m nothing.
"$bin" scan -q --prometheus "$work/out/regautopsy.prom" "$work/s12" >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] || fail "scan of the 12th: exit $rc, want 0"
promtool check metrics <"$m" >"$work/lint" 2>&1 || fail "promtool check metrics (12th): $(cat "$work/lint")"
[ "$(grep -c '^regautopsy_tag_pullable{.*} 1$' "$m")" = 5 ] || fail "12th: want 5 pullable series"
[ "$(grep -c '^regautopsy_findings{' "$m")" = 0 ] || fail "12th: want no findings"
"$bin" gc-sim -q -m --json "$work/gc12.json" "$work/s12" >/dev/null 2>&1
read -r blobs bytes manifests < <(jq -r '.snapshots[0].registries[0].deletes |
    "\(.blobs|length) \(.bytes) \(.manifests|length)"' "$work/gc12.json")
[ "$blobs/$bytes/$manifests" = 12/4710/5 ] || fail "gc-sim -m on the 12th: $blobs/$bytes/$manifests"
has "$m" "regautopsy_gc_at_risk_blobs{$root,delete_untagged=\"true\"} $blobs"
has "$m" "regautopsy_gc_at_risk_bytes{$root,delete_untagged=\"true\"} $bytes"
has "$m" "regautopsy_gc_at_risk_manifests{$root,delete_untagged=\"true\"} $manifests"
has "$m" "regautopsy_gc_at_risk_blobs{$root,delete_untagged=\"false\"} 0"
has "$m" "regautopsy_gc_would_abort{$root,delete_untagged=\"true\"} 0"
t12=$(sed -n 's/^regautopsy_last_complete_scan_timestamp_seconds \([0-9]*\)$/\1/p' "$m")

# The storage gone: exit 2, success 0, the last complete scan's time kept, no series
# about tags (nothing was read).
"$bin" scan -q --prometheus "$m" "$work/missing" >/dev/null 2>"$work/errmiss"
rc=$?
[ "$rc" = 2 ] || fail "scan of a missing storage: exit $rc, want 2"
grep -q "missing': no such file or directory" "$work/errmiss" || fail "missing: $(cat "$work/errmiss")"
promtool check metrics <"$m" >"$work/lint" 2>&1 || fail "promtool check metrics (failed run): $(cat "$work/lint")"
has "$m" "regautopsy_scan_success 0"
has "$m" "regautopsy_last_complete_scan_timestamp_seconds $t12"
grep -q '^regautopsy_tag_pullable{' "$m" && fail "failed run lists tags"
[ "$(ls -A "$work/out")" = regautopsy.prom ] || fail "left in the textfile dir: $(ls -A "$work/out")"

# Storage read in part (a copy cut off half-way): success 0, the read_error finding, and
# no tag or GC series (what was not read would make tags look broken).
gzip -dc "$sample/registry-2026-04-13T0100Z.tar.gz" >"$work/full.tar"
head -c $(($(stat -c %s "$work/full.tar") / 2)) "$work/full.tar" >"$work/cut.tar"
"$bin" scan -q --prometheus "$work/cut.prom" "$work/cut.tar" >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || fail "scan of a cut archive: exit $rc, want 1"
promtool check metrics <"$work/cut.prom" >"$work/lint" 2>&1 || fail "promtool check metrics (cut): $(cat "$work/lint")"
has "$work/cut.prom" "regautopsy_scan_success 0"
has "$work/cut.prom" 'regautopsy_findings{code="read_error",severity="critical"} 1'
grep -q '^regautopsy_tag_pullable{\|^regautopsy_gc_\|^regautopsy_last_complete' "$work/cut.prom" &&
    fail "cut archive: tag, GC or last-complete series written"

# The metrics file inside the storage: refused, nothing written there.
"$bin" scan -q --prometheus "$work/s13/regautopsy.prom" "$work/s13" >/dev/null 2>"$work/errin"
rc=$?
[ "$rc" = 2 ] || fail "metrics inside the storage: exit $rc, want 2"
grep -q "is inside the input directory" "$work/errin" || fail "inside: $(cat "$work/errin")"
[ -e "$work/s13/regautopsy.prom" ] && fail "metrics written inside the storage"

# An unwritable textfile dir: exit 2, one line naming the file.
chmod a-w "$work/out"
if [ "$(id -u)" != 0 ]; then
    "$bin" scan -q --prometheus "$m" "$work/s13" >/dev/null 2>"$work/errw"
    rc=$?
    [ "$rc" = 2 ] || fail "unwritable textfile dir: exit $rc, want 2"
    grep -q "regautopsy.prom': cannot create a temporary file beside it" "$work/errw" ||
        fail "unwritable: $(cat "$work/errw")"
fi
chmod u+w "$work/out"

# A live tree: the storage of the 13th with 20000 more files, a writer creating and
# removing a file in its root all the while the scan runs. Nothing fails, the tags read
# as before, and the scan says the tree was live (metric and info finding).
cp -r "$work/s13" "$work/live"
chmod -R u+w "$work/live"
mkdir "$work/live/scratch"
(cd "$work/live/scratch" && seq -f "f%05g" 1 20000 | xargs touch)
/usr/bin/python3 -c '
import os, sys
root, ready = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while os.path.exists(ready):
    fd = os.open(os.path.join(root, "churn"), os.O_CREAT | os.O_WRONLY, 0o644)
    os.close(fd)
    os.unlink(os.path.join(root, "churn"))
' "$work/live" "$work/ready" &
writer=$!
for _ in $(seq 100); do [ -e "$work/ready" ] && break; sleep 0.05; done
"$bin" scan -q --prometheus "$work/live.prom" --json "$work/live.json" "$work/live" >/dev/null 2>"$work/errlive"
rc=$?
rm -f "$work/ready"
wait "$writer"
[ "$rc" = 1 ] || fail "live tree: exit $rc, want 1: $(cat "$work/errlive")"
promtool check metrics <"$work/live.prom" >"$work/lint" 2>&1 || fail "promtool check metrics (live): $(cat "$work/lint")"
has "$work/live.prom" "regautopsy_scan_success 1"
has "$work/live.prom" "regautopsy_scan_live_tree 1"
has "$work/live.prom" 'regautopsy_findings{code="live_tree",severity="info"} 1'
grep '^regautopsy_tag_pullable{' "$work/live.prom" >"$work/live.tags"
grep '^regautopsy_tag_pullable{' "$work/m13.prom" | cmp -s - "$work/live.tags" || fail "live tree: tags differ"
[ "$(jq -r '[.snapshots[0].findings[] | select(.code == "live_tree") | .severity] | join(",")' \
    "$work/live.json")" = info ] || fail "live tree: no live_tree info finding in --json"

# The sample alerts.
promtool check rules "$mon/regautopsy-alerts.yml" >"$work/rules" 2>&1 ||
    fail "promtool check rules: $(cat "$work/rules")"
grep -q "SUCCESS: 3 rules found" "$work/rules" || fail "want 3 rules: $(cat "$work/rules")"
(cd "$mon" && promtool test rules regautopsy-alerts.test.yml) >"$work/rtest" 2>&1 ||
    fail "promtool test rules: $(cat "$work/rtest")"
for a in RegistryTagUnpullable RegistryProbeStale RegistryStorageUnreadable; do
    grep -q "alertname: $a\$" "$mon/regautopsy-alerts.test.yml" || fail "no test of $a"
done

# The alerts' metric names are the ones the probe writes.
for name in $(grep -o 'regautopsy_[a-z_]*' "$mon/regautopsy-alerts.yml" | sort -u); do
    case $name in regautopsy_findings) continue ;; esac
    grep -q "^# TYPE $name " "$work/m13.prom" || fail "alerts use $name, not written"
done

# The systemd units, with ExecStart pointing at the binary under test (the man page of
# Documentation= is not installed here).
if command -v systemd-analyze >/dev/null; then
    mkdir "$work/units"
    sed "s|/usr/bin/regautopsy|$bin|" "$mon/regautopsy-probe.service" >"$work/units/regautopsy-probe.service"
    cp "$mon/regautopsy-probe.timer" "$work/units/"
    (cd "$work/units" && systemd-analyze verify --man=no regautopsy-probe.service regautopsy-probe.timer) \
        >"$work/verify" 2>&1 || fail "systemd-analyze verify: $(cat "$work/verify")"
    [ -s "$work/verify" ] && fail "systemd-analyze verify says: $(cat "$work/verify")"
    [ "$(systemd-analyze calendar '*:0/15' --iterations=2 2>/dev/null | grep -c 'Next elapse\|Iter')" -ge 2 ] ||
        fail "the timer's OnCalendar does not parse"
fi

# The CronJob: every 15 minutes, the registry volume read-only, the same command.
/usr/bin/python3 - "$mon/regautopsy-probe-cronjob.yaml" <<'EOF' || fail "CronJob"
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc["kind"] == "CronJob" and doc["apiVersion"] == "batch/v1"
spec = doc["spec"]
assert spec["schedule"] == "*/15 * * * *", spec["schedule"]
pod = spec["jobTemplate"]["spec"]["template"]["spec"]
c = pod["containers"][0]
mounts = {m["name"]: m for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
assert mounts["registry-data"]["readOnly"] is True
assert vols["registry-data"]["persistentVolumeClaim"]["readOnly"] is True
assert "--prometheus /textfile/regautopsy.prom" in " ".join(c["command"])
assert mounts["textfile"]["mountPath"] == "/textfile"
EOF

if [ "$fails" -ne 0 ]; then
    echo "probe: $fails failure(s)" >&2
    exit 1
fi
echo "probe: ok"
