#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Would the monitoring in place have caught it? A config repo with two probe jobs on
# infra-ci:latest (a tagged amd64+arm64 index): `skopeo inspect --raw` (reads the index
# only) and `skopeo copy --all` (reads every platform and blob), and the weekly
# garbage-collect with -m. The real docker-registry garbage-collect -m takes the index's
# children; the real skopeo then says which probe still passes (ground truth), and the
# report must say the same of each probe. A later commit drops -m and pins
# registry:2.8.3: the forecast uses that head, and both action items are ticked with it;
# the probe item is ticked with the first commit, whose copy --all probe reaches it.
set -euo pipefail
SRC=${2:?usage: detection_gap.sh <regautopsy-binary> <source-dir>}
BIN=$1
PY=/usr/bin/python3
# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin detection_gap "docker-registry skopeo umoci jq git" docker-registry skopeo umoci jq tar gzip git
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live
store=$live/var/lib/registry
mkdir -p "$store"
MARK=$tmp/marker
SNAP1=registry-2026-04-12T0100Z.tar.gz
SNAP2=registry-2026-04-13T0100Z.tar.gz

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Mara Lindqvist" GIT_AUTHOR_EMAIL=mara@example.invalid
export GIT_COMMITTER_NAME="Mara Lindqvist" GIT_COMMITTER_EMAIL=mara@example.invalid
R=$tmp/config
H=$R/hosts/registry
commit() { # 'YYYY-MM-DD HH:MM:SS' MESSAGE -> commit id
    git -C "$R" add -A &&
        GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000" \
            git -C "$R" -c commit.gpgsign=false commit -q --no-verify -m "$2" &&
        git -C "$R" rev-parse HEAD
}
step "config repo: GC -m Sundays 03:25, two probes every 15 minutes, registry:2"
git init -q "$R" || die "git init"
mkdir -p "$H/etc/cron.d"
printf 'services:\n  registry:\n    image: registry:2\n' >"$H/docker-compose.yml"
cat >"$H/etc/cron.d/registry" <<'EOF'
25 3 * * 0 root docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml
EOF
cat >"$H/crontab" <<'EOF'
*/15 * * * * skopeo inspect --raw docker://registry.example.internal/infra-ci:latest > /dev/null
*/15 * * * * skopeo copy --all docker://registry.example.internal/infra-ci:latest dir:/tmp/probe
EOF
C_PROBES=$(commit "2026-04-01 11:27:00" "registry: weekly GC -m, probes") || die "commit 1"
sed -i 's/ -m / /' "$H/etc/cron.d/registry"
sed -i 's/registry:2$/registry:2.8.3/' "$H/docker-compose.yml"
C_FIX=$(commit "2026-04-20 09:00:00" "fix: stop -m, pin registry") || die "commit 2"

step "push infra-ci:latest (amd64 + arm64 index), snapshot, real garbage-collect -m, snapshot"
gc_index_incident "$tmp/$SNAP1"

step "ground truth: the two probes, run with the real skopeo against the real registry"
ref="docker://127.0.0.1:$REG_PORT/infra-ci:latest"
_rl_skopeo inspect --raw --tls-verify=false "$ref" >/dev/null 2>&1 ||
    die "skopeo inspect --raw failed after GC -m: the index should still resolve"
if _rl_skopeo copy -q --all --src-tls-verify=false "$ref" "dir:$tmp/probe" >/dev/null 2>&1; then
    die "skopeo copy --all succeeded after GC -m: the children should be gone"
fi
echo "    skopeo inspect --raw: passes; skopeo copy --all: fails"
reg_stop
snap_tar "$live" "$tmp/$SNAP2" || die "snapshot 2"

step "regautopsy report --config: the detection gap, the forecast from the head"
rc=0
(cd "$tmp" && "$BIN" report -q --config "$R" --json model.json "$SNAP1" "$SNAP2" >pm.md) || rc=$?
[[ $rc == 1 ]] || die "report: exit $rc, want 1"
j() { jq -r "$1" "$tmp/model.json"; }
[[ $(j '.detection_gap.probes | length') == 2 ]] || die "probes: $(j '.detection_gap.probes')"
[[ $(j '.detection_gap.catching') == 1 ]] || die "catching: $(j '.detection_gap.catching')"
[[ $(j '[.detection_gap.probes[] | [.command, .depth, .in_effect, .catches] | @tsv] | join("\n")') == \
    $'skopeo copy --all docker://registry.example.internal/infra-ci:latest dir:/tmp/probe\tall\ttrue\ttrue\nskopeo inspect --raw docker://registry.example.internal/infra-ci:latest > /dev/null\ttop\ttrue\tfalse' ]] ||
    die "probe verdicts: $(j '.detection_gap.probes')"
grep -qxF -- "- 1 of the 2 probe jobs in effect would have caught this incident:" "$tmp/pm.md" ||
    die "the report's detection verdict: $(grep -n 'probe' "$tmp/pm.md")"
[[ $(j '.prediction.delete_untagged') == false && $(j '.prediction.head_config') == true ]] ||
    die "the forecast does not use the head: $(j '.prediction')"
done_by=$(j '[.prevention.items[] | select(.done_by) | .title[0:20] + " " + .done_by[0:12]] | join("\n")')
[[ $done_by == "Stop running garbage ${C_FIX:0:12}"$'\n'"Pin the registry ima ${C_FIX:0:12}"$'\n'"Probe fetchability a ${C_PROBES:0:12}" ]] ||
    die "action items done: $done_by"
# the copy --all probe, there since the first commit, fulfils the probe item: the row
row=$(grep -F '| Probe fetchability after every push and on a schedule |' "$tmp/pm.md") ||
    die "no probe action item"
[[ $row == *"| committed in ${C_PROBES:0:12} (2026-04-01); deployment not verified by the evidence |" ]] ||
    die "probe action item: $row"
[[ $(j '[.config_changes.changes[] | .what + ": " + .change] | join("\n")') == \
    $'registry garbage-collect: drops --delete-untagged; command changed\nregistry image: registry:2 -> registry:2.8.3' ]] ||
    die "config changes: $(j '.config_changes')"
echo "PASS: detection_gap"
