#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: incremental reading of directory snapshots (docs/snapshots.md) against the
# REAL registry (docker-registry 2.8, skopeo, umoci, curl): a Synology-style share of
# daily `cp -al` snapshots, the registry writing the live tree between them:
#
#   day 1   push app:1, app:2 (sharing a base layer) and keep:1
#   day 2   re-tag: app:1 now points at app:2's manifest, app:latest at app:1's old one
#           (current/link rewritten in place by 2.8: the same inode, which every
#           earlier hard-linked snapshot shares)
#   day 3   DELETE /v2/app/manifests/<app:2's digest> (202): revision link and both tag
#           folders gone
#   day 4   docker-registry garbage-collect -m
#   day 5   push keep:2
#   day 6   nothing changes
#
# Asserts: every later snapshot is read incrementally (scan -v says how many files were
# not read again, and that is most of them on day 6); `timeline` (text and JSON) and
# `scan` (text and JSON) of the whole share print the same bytes with reuse and with
# RA_NO_REUSE=1 (every snapshot read in full); the registry really rewrote current/link
# in place and really deleted (checked on the storage and with skopeo, not regautopsy).
#
#   bash tests/e2e/incremental.sh <regautopsy-binary> <source-dir>
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: incremental.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: incremental.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin incremental "docker-registry skopeo umoci jq curl python3" docker-registry skopeo umoci jq curl
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/share
store=$live
V2=$store/docker/registry/v2
SNAPS=$tmp/share-snaps/#snapshot
mkdir -p "$store" "$SNAPS"
day() { printf 'GMT+00_2026.04.%02d-01.00' "$1"; }
snap() { cp -al "$live" "$SNAPS/$(day "$1")" || die "snapshot $1"; }
link_of() { cat "$V2/repositories/$1/_manifests/tags/$2/current/link"; }

step "build; day 1: push app:1, app:2, keep:1"
img_build "$L" app-1 amd64 "" "e2e incr base" "e2e incr app 1" || die "img_build app-1"
img_build "$L" app-2 amd64 "" "e2e incr base" "e2e incr app 2" || die "img_build app-2"
img_build "$L" keep-1 amd64 "" "e2e incr keep 1" || die "img_build keep-1"
img_build "$L" keep-2 amd64 "" "e2e incr keep 2" || die "img_build keep-2"
reg_start "$store" || die "reg_start"
push_oci "$L" app-1 app:1 || die "push app:1"
push_oci "$L" app-2 app:2 || die "push app:2"
push_oci "$L" keep-1 keep:1 || die "push keep:1"
A1=$(link_of app 1) A2=$(link_of app 2)
snap 1

step "day 2: re-tag app:1 -> app:2's manifest, app:latest -> app:1's"
ino_before=$(stat -c %i "$V2/repositories/app/_manifests/tags/1/current/link")
push_oci "$L" app-2 app:1 || die "re-tag app:1"
push_oci "$L" app-1 app:latest || die "tag app:latest"
[[ $(link_of app 1) == "$A2" && $(link_of app latest) == "$A1" ]] || die "re-tag did not land"
ino_after=$(stat -c %i "$V2/repositories/app/_manifests/tags/1/current/link")
check "2.8 rewrites current/link in place (same inode)" [ "$ino_before" = "$ino_after" ]
snap 2

step "day 3: DELETE app:2's manifest through the API"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
    "http://127.0.0.1:$REG_PORT/v2/app/manifests/$A2") || die "curl"
[[ $code == 202 ]] || die "DELETE answered $code"
[[ ! -e $V2/repositories/app/_manifests/tags/2 && ! -e $V2/repositories/app/_manifests/tags/1 ]] ||
    die "DELETE left a tag folder that pointed at it"
snap 3

step "day 4: garbage-collect -m"
REG_GC_LOG=$tmp/gc.log reg_gc -m || die "garbage-collect: $(tail -3 "$tmp/gc.log")"
grep -q 'blob eligible for deletion' "$tmp/gc.log" || die "GC deleted nothing: $(tail -3 "$tmp/gc.log")"
snap 4

step "day 5: push keep:2; day 6: nothing"
push_oci "$L" keep-2 keep:2 || die "push keep:2"
_rl_skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/keep:2" >/dev/null ||
    die "keep:2 is not served"
_rl_skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/app:2" >/dev/null 2>&1 &&
    die "app:2 is still served after its DELETE"
reg_stop
snap 5
snap 6

step "scan -v: later snapshots are read incrementally"
"$BIN" scan -q -v --json /dev/null "$SNAPS" 2>"$tmp/scan.err" >/dev/null || die "scan: $(tail -3 "$tmp/scan.err")"
reused_on() { # DAY: files not read again, from scan -v
    sed -n "s|^regautopsy: '$SNAPS/$(day "$1")': \([0-9]*\) files unchanged since the snapshot before, not read again$|\1|p" "$tmp/scan.err"
}
entries_on() {
    sed -n "s|^regautopsy: '$SNAPS/$(day "$1")': \([0-9]*\) entries, .*|\1|p" "$tmp/scan.err"
}
check "day 1 is read in full" [ -z "$(reused_on 1)" ]
for d in 2 3 4 5 6; do
    check "day $d reuses files of day $((d - 1))" [ "$(reused_on "$d")" -gt 0 ]
done
# day 6 is day 5 again: every link and blob file but the tags' current/link
n6=$(reused_on 6) e6=$(entries_on 6)
files6=$(find "$SNAPS/$(day 6)/docker/registry/v2" -type f ! -name startedat ! -path '*/current/link' | wc -l)
check "day 6 reuses every file but current/link ($n6 of $files6, $e6 entries)" [ "$n6" = "$files6" ]

step "timeline, report and scan: the same bytes with reuse (and shared documents) and with RA_NO_REUSE=1"
same() { # NAME ARGS...: run with and without reuse, compare stdout and exit code
    local name=$1 rc1=0 rc2=0
    shift
    "$BIN" "$@" >"$tmp/$name.incr" 2>"$tmp/$name.incr.err" || rc1=$?
    RA_NO_REUSE=1 "$BIN" "$@" >"$tmp/$name.full" 2>"$tmp/$name.full.err" || rc2=$?
    check "$name: exit $rc1 = $rc2" [ "$rc1" = "$rc2" ]
    check "$name: non-empty" [ -s "$tmp/$name.full" ]
    if ! cmp -s "$tmp/$name.incr" "$tmp/$name.full"; then
        diff "$tmp/$name.full" "$tmp/$name.incr" | head -20
        check "$name: identical output" false
    else
        check "$name: identical output" true
    fi
}
same timeline-text timeline -q "$SNAPS"
same timeline-json timeline -q --format json "$SNAPS"
same report-md report -q "$SNAPS"
same report-json report -q -o /dev/null --json - "$SNAPS"
same scan-text scan -q "$SNAPS"
same scan-json scan -q --json - "$SNAPS"

step "ground truth: the JSON says what skopeo saw"
py_checks "$tmp/timeline-json.full" "${A2#sha256:}" <<'EOF'
import json, sys
from e2e_checks import ok, done
d = json.load(open(sys.argv[1]))
text = json.dumps(d)
ok(len(d.get("snapshots", [])) == 6, "six snapshots in the timeline")
ok(sys.argv[2] in text, "app:2's manifest appears in the timeline")
done()
EOF

e2e_end "the share and its snapshots"
