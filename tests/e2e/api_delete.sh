#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: deletes through the registry API, with the REAL registry (docker-registry
# 2.8, skopeo, umoci, curl) serving with its log on (log.level info and the combined
# access log, stdout and stderr into one file), a config repository whose tag-prune
# cron job ran in the window, and the real garbage-collect:
#
#   (2 days ago)   push app:1.0 and app:stable (one manifest A) and app:2.0 (B, sharing
#                  A's base layer); files dated with set_mtimes
#   snapshot 1     registry-<1 day ago>.tar
#   (12 h ago)     the cleanup cron job fires (config repo; nothing ran, it is a suspect)
#   (now)          curl -X DELETE /v2/app/manifests/<A>       -> 202
#                  curl -X DELETE /v2/app/blobs/<B's own layer> -> 202
#   snapshot 2     registry-<now>.tar
#   (now)          docker-registry garbage-collect (without -m)
#   snapshot 3     registry-<now>.tar
#
# The log has real times (the registry writes them), so the story is told in real time
# with the pushes and snapshot 1 dated in the past; the log given is that of the
# registry that served from snapshot 1 on (the pushes' own log is not kept: it would
# put them after snapshot 1). Checked against the storage itself
# and skopeo (never regautopsy): the manifest DELETE removes A's revision link and the
# whole folder of both tags that pointed at it, keeps the data until the GC, which then
# deletes A's manifest, config and own layer; the blob DELETE removes B's _layers link.
# Then regautopsy:
#   timeline --log --config: each loss has the api_delete fingerprint citing the DELETE
#     log line (file:line, time, remote address), not tag_prune; the DELETE is the top
#     suspect (kind api-delete, high) and the cleanup job low; the DELETEs are timeline
#     events, once each (the access line and the logrus line are one request)
#   timeline --config (no log): tag_prune and api_delete both, "cannot be told apart",
#     the cleanup job and the unlogged DELETE both medium, nothing high
#   report --log / report: the root cause cites the log line, or says it cannot tell.
# Last, the registry serves again with log.formatter json and app:2.0's manifest is
# deleted (snapshot 4): the JSON log line explains that tag's loss.
#
#   bash tests/e2e/api_delete.sh <regautopsy-binary> <source-dir>
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: api_delete.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: api_delete.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin api_delete "docker-registry skopeo umoci jq curl git python3" docker-registry skopeo umoci jq curl tar git
[[ -f "$SRC/scripts/registry-lib.sh" ]] || die "no $SRC/scripts/registry-lib.sh"
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live
store=$live/var/lib/registry
V2REL=var/lib/registry/docker/registry/v2
v2=$live/$V2REL
mkdir -p "$store"
MARK=$tmp/marker
stamp() { date -u -d "@$1" +%Y%m%dT%H%M%SZ; }   # a snapshot name's time
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
NOW=$(date -u +%s)
T_PUSH=$((NOW - 2 * 86400))
T_SNAP1=$((NOW - 86400))
T_CLEAN=$((NOW - 12 * 3600))
T_CLEAN=$((T_CLEAN - T_CLEAN % 60))

# ---- config repository: a tag-prune cron job that fired 12 hours ago -----------------
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Mara Lindqvist" GIT_AUTHOR_EMAIL=mara@example.invalid
export GIT_COMMITTER_NAME="Mara Lindqvist" GIT_COMMITTER_EMAIL=mara@example.invalid
R=$tmp/config
H=$R/hosts/registry
step "config repo: cleanup-tags.sh daily at $(date -u -d "@$T_CLEAN" +%H:%M) UTC"
git init -q "$R" || die "git init"
mkdir -p "$H/etc/cron.d" "$H/opt/ci"
printf '# registry maintenance\n%s %s * * * root /opt/ci/cleanup-tags.sh\n' \
    "$(date -u -d "@$T_CLEAN" +%-M)" "$(date -u -d "@$T_CLEAN" +%-H)" >"$H/etc/cron.d/registry"
cat >"$H/opt/ci/cleanup-tags.sh" <<'EOF'
#!/bin/sh
# keep the newest tag of app, remove the other tag directories
set -eu
TAGS=/var/lib/registry/docker/registry/v2/repositories/app/_manifests/tags
for t in $(ls "$TAGS" | sort -V | head -n -1); do
    rm -rf "$TAGS/$t"
done
EOF
D=$(date -u -d "@$((NOW - 3 * 86400))" '+%Y-%m-%d %H:%M:%S +0000')
git -C "$R" add -A && GIT_AUTHOR_DATE=$D GIT_COMMITTER_DATE=$D \
    git -C "$R" -c commit.gpgsign=false commit -q --no-verify -m "registry: nightly tag cleanup" ||
    die "commit"
CLEANJOB="cron.d:hosts/registry/etc/cron.d/registry:cleanup-tags.sh"

# ---- images and pushes -----------------------------------------------------------------
BASE="e2e api-delete base"
step "build images (umoci): A (app:1.0, app:stable), B (app:2.0), one base layer shared"
img_build "$L" a amd64 "" "$BASE" "e2e api-delete app 1.0" || die "img_build a"
img_build "$L" b amd64 "" "$BASE" "e2e api-delete app 2.0" || die "img_build b"
ref_of() { jq -r --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n) | .digest' "$L/index.json"; }
blob_json() { cat "$L/blobs/sha256/${1#sha256:}"; }
A=$(ref_of a)
B=$(ref_of b)
A_CFG=$(blob_json "$A" | jq -r .config.digest)
A_BASE=$(blob_json "$A" | jq -r '.layers[0].digest')
A_OWN=$(blob_json "$A" | jq -r '.layers[1].digest')
B_CFG=$(blob_json "$B" | jq -r .config.digest)
B_OWN=$(blob_json "$B" | jq -r '.layers[1].digest')
[[ $A_BASE == $(blob_json "$B" | jq -r '.layers[0].digest') ]] || die "A and B do not share the base layer"
echo "    A=$A B=$B"

step "push app:1.0, app:stable, app:2.0 (a registry whose log is not kept)"
reg_start "$store" || die "reg_start"
touch -d "@$T_PUSH" "$live/var" "$live/var/lib" "$store" || die "touch"
reg_mark "$MARK" || die "marker"
push_oci "$L" a app:1.0 || die "push app:1.0"
push_oci "$L" a app:stable || die "push app:stable"
push_oci "$L" b app:2.0 || die "push app:2.0"
set_mtimes "$live" "$MARK" "$(iso "$T_PUSH")" || die "set_mtimes"
for t in 1.0 stable 2.0; do
    _rl_skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/app:$t" >/dev/null ||
        die "app:$t does not resolve after the push"
done
reg_stop
SNAP1=registry-$(stamp "$T_SNAP1").tar
snap_tar "$live" "$tmp/$SNAP1" || die "snapshot 1"
cp -a "$live" "$tmp/snap1-dir" || die "cp -a"

step "serve with log.level info and the access log (stdout and stderr into one file)"
REG_LOG_LEVEL=info REG_ACCESS_LOG=1 reg_start "$store" || die "reg_start"
step "DELETE through the API: manifest A by digest, then B's own layer"
code=$(curl -s -o "$tmp/del.out" -w '%{http_code}' -X DELETE "http://127.0.0.1:$REG_PORT/v2/app/manifests/$A")
[[ $code == 202 ]] || die "DELETE manifest answered $code: $(cat "$tmp/del.out")"
code=$(curl -s -o "$tmp/del.out" -w '%{http_code}' -X DELETE "http://127.0.0.1:$REG_PORT/v2/app/blobs/$B_OWN")
[[ $code == 202 ]] || die "DELETE blob answered $code: $(cat "$tmp/del.out")"
curl -s "http://127.0.0.1:$REG_PORT/v2/app/tags/list" >"$tmp/tags.json" || die "tags/list"
[[ $(jq -c '.tags | sort' "$tmp/tags.json") == '["2.0"]' ]] ||
    die "tags/list after the DELETE: $(cat "$tmp/tags.json") (want only 2.0)"
for t in 1.0 stable; do
    if _rl_skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/app:$t" >/dev/null 2>&1; then
        die "app:$t still resolves after the DELETE of its manifest"
    fi
done
if _rl_skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$REG_PORT/app:2.0" "dir:$tmp/pull" >/dev/null 2>&1; then
    die "app:2.0 still pulls after the DELETE of its layer"
fi
sleep 1
T_SNAP2=$(date -u +%s)
reg_stop
cp "$REG_LOG" "$tmp/registry.log" || die "copy the registry log"
LOG=$tmp/registry.log
SNAP2=registry-$(stamp "$T_SNAP2").tar
snap_tar "$live" "$tmp/$SNAP2" || die "snapshot 2"
cp -a "$live" "$tmp/snap2-dir" || die "cp -a"

step "docker-registry garbage-collect (without -m)"
REG_GC_LOG=$tmp/gc.log reg_gc || die "garbage-collect failed: $(tail -5 "$tmp/gc.log")"
sleep 1
T_SNAP3=$(date -u +%s)
SNAP3=registry-$(stamp "$T_SNAP3").tar
snap_tar "$live" "$tmp/$SNAP3" || die "snapshot 3"
cp -a "$live" "$tmp/snap3-dir" || die "cp -a"

# ---- the real behaviour, from the storage itself -----------------------------------------
step "what the DELETEs and the GC did, from the storage"
A=$A B=$B A_CFG=$A_CFG A_BASE=$A_BASE A_OWN=$A_OWN B_CFG=$B_CFG B_OWN=$B_OWN \
    "$PY" - "$tmp/snap1-dir/$V2REL" "$tmp/snap2-dir/$V2REL" "$tmp/snap3-dir/$V2REL" <<'EOF' || die "storage"
import os, sys
E = os.environ
s1, s2, s3 = sys.argv[1:4]
def has(root, rel):
    return os.path.exists(os.path.join(root, rel))
def data(d):
    h = d.split(":", 1)[1]
    return "blobs/sha256/%s/%s/data" % (h[:2], h)
def rev(d):
    return "repositories/app/_manifests/revisions/sha256/%s/link" % d.split(":", 1)[1]
def layer(d):
    return "repositories/app/_layers/sha256/%s/link" % d.split(":", 1)[1]
tags = "repositories/app/_manifests/tags/"
for t in ("1.0", "stable", "2.0"):
    assert has(s1, tags + t + "/current/link"), "snapshot 1 lacks tag " + t
assert not has(s2, tags + "1.0") and not has(s2, tags + "stable"), \
    "the DELETE left a tag folder: %s" % os.listdir(os.path.join(s2, tags))
assert has(s2, tags + "2.0/current/link")
assert has(s1, rev(E["A"])) and not has(s2, rev(E["A"])), "A's revision link"
assert has(s2, rev(E["B"]))
for d in ("A", "A_CFG", "A_BASE", "A_OWN", "B_OWN"):
    assert has(s2, data(E[d])), "the DELETE removed the data of " + d
assert has(s1, layer(E["B_OWN"])) and not has(s2, layer(E["B_OWN"])), "B's layer link"
assert has(s2, layer(E["A_OWN"])), "the manifest DELETE removed a _layers link"
for d in ("A", "A_CFG", "A_OWN"):
    assert not has(s3, data(E[d])), "the GC kept the data of " + d
for d in ("A_BASE", "B", "B_CFG", "B_OWN"):
    assert has(s3, data(E[d])), "the GC deleted the data of " + d
print("    the manifest DELETE removed A's revision link and the folders of app:1.0 and "
      "app:stable; the blob DELETE B's layer link; the GC then A's manifest, config and "
      "own layer")
EOF

# The DELETE lines of the log (the logrus lines: the access lines are the same requests).
DEL_A=$(grep -n 'msg="response completed"' "$LOG" | grep 'http.request.method=DELETE' |
    grep -F "/v2/app/manifests/$A" | cut -d: -f1)
DEL_B=$(grep -n 'msg="response completed"' "$LOG" | grep 'http.request.method=DELETE' |
    grep -F "/v2/app/blobs/$B_OWN" | cut -d: -f1)
[[ $DEL_A =~ ^[0-9]+$ && $DEL_B =~ ^[0-9]+$ ]] || die "the log lacks the DELETE lines ($DEL_A, $DEL_B)"
grep -q "\"DELETE /v2/app/manifests/$A HTTP/1.1\" 202 " "$LOG" || die "no access line for the DELETE"
echo "    the log records the DELETEs at $LOG:$DEL_A and :$DEL_B (and in access lines)"

# ---- regautopsy -----------------------------------------------------------------------------
nfail=0
npass=0
check() { # NAME JSON MODE: run the Python checks of MODE on JSON
    local out rc
    out=$(A=$A B_OWN=$B_OWN LOG=$LOG DEL_A=$DEL_A DEL_B=$DEL_B CLEANJOB=$CLEANJOB \
        SNAP1=$SNAP1 SNAP2=$SNAP2 SNAP3=$SNAP3 T_SNAP1=$(iso "$T_SNAP1") T_SNAP2=$(iso "$T_SNAP2") \
        "$PY" "$SRC/tests/e2e/api_delete_check.py" "$3" "$2" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed 's/^/    /'
    npass=$((npass + $(grep -c '^ok:' <<<"$out")))
    nfail=$((nfail + $(grep -c '^FAIL' <<<"$out")))
    ((rc != 0)) && ! grep -q '^FAIL' <<<"$out" && nfail=$((nfail + 1))
}
SNAPS=("$tmp/$SNAP1" "$tmp/$SNAP2" "$tmp/$SNAP3")

step "timeline --log registry.log --config REPO (3 snapshots)"
rc=0
"$BIN" timeline -q --json "$tmp/tl-log.json" --log "$LOG" --config "$R" "${SNAPS[@]}" \
    >"$tmp/tl-log.txt" 2>"$tmp/tl-log.err" || rc=$?
[[ $rc == 1 ]] && jq -e . "$tmp/tl-log.json" >/dev/null 2>&1 ||
    die "timeline exited $rc (want 1) or wrote no JSON: $(head -c 2000 "$tmp/tl-log.err")"
check timeline-log "$tmp/tl-log.json" timeline_log
if grep -qF "suspect [high] DELETE /v2/app/manifests/$A at " "$tmp/tl-log.txt"; then
    npass=$((npass + 1))
    echo "    ok: text output: the DELETE is a high suspect"
else
    nfail=$((nfail + 1))
    echo "FAIL: text output lacks 'suspect [high] DELETE /v2/app/manifests/$A'"
fi

step "timeline --config REPO (no log): cannot tell an API DELETE from a prune script"
rc=0
"$BIN" timeline -q --format json --config "$R" "${SNAPS[@]}" >"$tmp/tl-nolog.json" \
    2>"$tmp/tl-nolog.err" || rc=$?
[[ $rc == 1 ]] || die "timeline (no log) exited $rc: $(head -c 2000 "$tmp/tl-nolog.err")"
check timeline-nolog "$tmp/tl-nolog.json" timeline_nolog

step "report --log --config: the root cause cites the DELETE log line"
rc=0
"$BIN" report -q --json "$tmp/report-log.json" -o "$tmp/report-log.md" --log "$LOG" \
    --config "$R" "${SNAPS[@]}" 2>"$tmp/report-log.err" || rc=$?
[[ $rc == 1 ]] || die "report exited $rc: $(head -c 2000 "$tmp/report-log.err")"
check report-log "$tmp/report-log.json" report_log
if grep -qF "| 1 | DELETE /v2/app/manifests/$A | api-delete |" "$tmp/report-log.md" &&
    grep -qF "The most likely cause is a DELETE through the registry API: $LOG:$DEL_A records DELETE /v2/app/manifests/$A answered 202" "$tmp/report-log.md"; then
    npass=$((npass + 1))
    echo "    ok: post-mortem: suspect 1 is the DELETE; the summary cites $LOG:$DEL_A"
else
    nfail=$((nfail + 1))
    echo "FAIL: the post-mortem does not rank the DELETE first or cite its log line:"
    grep -n -E 'most likely|^\| 1 \|' "$tmp/report-log.md" | cut -c1-400 | sed 's/^/    /'
fi

step "serve again, logging JSON (log.formatter json); DELETE manifest B (app:2.0); snapshot 4"
sleep 1 # the DELETE strictly after snapshot 3's second
REG_LOG_LEVEL=info REG_ACCESS_LOG=1 REG_LOG_FORMATTER=json reg_start "$store" || die "reg_start (json)"
code=$(curl -s -o "$tmp/del.out" -w '%{http_code}' -X DELETE "http://127.0.0.1:$REG_PORT/v2/app/manifests/$B")
[[ $code == 202 ]] || die "DELETE manifest B answered $code: $(cat "$tmp/del.out")"
if _rl_skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/app:2.0" >/dev/null 2>&1; then
    die "app:2.0 still resolves after the DELETE of its manifest"
fi
sleep 1
T_SNAP4=$(date -u +%s)
reg_stop
cp "$REG_LOG" "$tmp/registry-json.log" || die "copy the JSON log"
JLOG=$tmp/registry-json.log
[[ ! -e $v2/repositories/app/_manifests/tags/2.0 ]] || die "the DELETE of B left the folder of tag 2.0"
SNAP4=registry-$(stamp "$T_SNAP4").tar
snap_tar "$live" "$tmp/$SNAP4" || die "snapshot 4"
DEL_J=$(grep -n '"msg":"response completed"' "$JLOG" | grep '"http.request.method":"DELETE"' |
    grep -F "/v2/app/manifests/$B" | cut -d: -f1)
[[ $DEL_J =~ ^[0-9]+$ ]] || die "the JSON log lacks the DELETE line"
echo "    the JSON log records the DELETE of B at $JLOG:$DEL_J"

step "timeline --log registry.log --log registry-json.log (4 snapshots)"
rc=0
"$BIN" timeline -q --format json --log "$LOG" --log "$JLOG" "${SNAPS[@]}" "$tmp/$SNAP4" \
    >"$tmp/tl-json.json" 2>"$tmp/tl-json.err" || rc=$?
[[ $rc == 1 ]] || die "timeline (JSON log) exited $rc: $(head -c 2000 "$tmp/tl-json.err")"
B=$B JLOG=$JLOG DEL_J=$DEL_J T_SNAP3=$(iso "$T_SNAP3") T_SNAP4=$(iso "$T_SNAP4") \
    check timeline-json "$tmp/tl-json.json" timeline_json

step "report (no log, no config): says it cannot tell"
rc=0
"$BIN" report -q -o "$tmp/report-nolog.md" "${SNAPS[@]}" 2>"$tmp/report-nolog.err" || rc=$?
if [[ $rc == 1 ]] && grep -qF "without the registry's log the two cannot be told apart (confidence medium)" "$tmp/report-nolog.md" &&
    ! grep -q "confidence high" "$tmp/report-nolog.md"; then
    npass=$((npass + 1))
    echo "    ok: post-mortem without log: cannot be told apart, nothing high"
else
    nfail=$((nfail + 1))
    echo "FAIL: report without log exited $rc or claims too much:"
    grep -n -E 'most likely|cannot be told|confidence' "$tmp/report-nolog.md" | cut -c1-300 | sed 's/^/    /'
fi

if grep -l Sanitizer "$tmp"/*.err >/dev/null 2>&1; then
    nfail=$((nfail + 1))
    echo "FAIL: a sanitizer report: $(grep -l Sanitizer "$tmp"/*.err)"
fi

e2e_end "the snapshots, the log, the config repo and the outputs"
