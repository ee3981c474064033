#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: untrustworthy member mtimes must not give false precision
# (docs/fingerprints.md "The window"). From the REAL storage of the bundled incident
# (samples/incident-2026-04, made with docker-registry 2.8), the before/after tarballs
# are re-made with their member mtimes:
#
#   zero          all 0 (GNU tar --mtime=@0)
#   future        all 2030-01-01 (GNU tar --mtime=...)
#   old-varied    each shifted back 1e9 s (distinct, all before 2000)
#   future-varied each shifted forward 4 years (distinct, after the snapshot time)
#   mixed         the before snapshot as it is, the after snapshot zeroed
#
# and `regautopsy timeline --config <the sample's config repo>` is run on each pair.
# Asserted: each altered snapshot is flagged `mtimes_trusted: false` with a note (and a
# `mtimes_untrusted` event); no loss bound is of kind folder_mtime, parent_push or
# own_link (windows fall back to the snapshot times); no event of a kind that comes
# from member mtimes (tag_pushed, manifest_pushed, ...) comes from an altered snapshot;
# the same 7 losses as with the original times, the GC still the top suspect. The
# original pair is the control: there the folder mtimes do narrow the windows.
#
#   bash tests/e2e/untrusted_mtimes.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:") only
# when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: untrusted_mtimes.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: untrusted_mtimes.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin untrusted_mtimes "tar gzip git python3" tar gzip git
S=$SRC/samples/incident-2026-04
BEFORE=registry-2026-04-12T0100Z.tar.gz
AFTER=registry-2026-04-13T0100Z.tar.gz
for f in "$BEFORE" "$AFTER" config.bundle; do
    [[ -f $S/$f ]] || die "no $S/$f"
done

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
step "clone the sample's config repo"
git clone -q "$S/config.bundle" "$tmp/config" || die "git clone of the config bundle"

step "re-make the snapshots with altered mtimes"
for n in "$BEFORE" "$AFTER"; do
    d=$tmp/x/${n%.tar.gz}
    mkdir -p "$d" "$tmp/orig" "$tmp/zero" "$tmp/future" "$tmp/old-varied" "$tmp/future-varied" "$tmp/mixed"
    tar -xzf "$S/$n" -C "$d" || die "extract $n"
    mapfile -t top < <(find "$d" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
    cp "$S/$n" "$tmp/orig/$n" || die "cp"
    tar -C "$d" --sort=name --numeric-owner --mtime=@0 -czf "$tmp/zero/$n" -- "${top[@]}" || die "tar zero"
    tar -C "$d" --sort=name --numeric-owner --mtime='2030-01-01 00:00:00 UTC' -czf "$tmp/future/$n" -- "${top[@]}" ||
        die "tar future"
    "$PY" - "$S/$n" "$tmp/old-varied/$n" "$tmp/future-varied/$n" <<'EOF' || die "shifted copies of $n"
import sys, tarfile
src, old, fut = sys.argv[1:4]
for out, shift in ((old, -1000000000), (fut, 4 * 365 * 86400)):
    with tarfile.open(src, "r:gz") as i, tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT) as o:
        for m in i.getmembers():
            f = i.extractfile(m) if m.isfile() else None
            m.mtime = m.mtime + shift
            o.addfile(m, f)
EOF
done
cp "$S/$BEFORE" "$tmp/mixed/$BEFORE" || die "mixed"
cp "$tmp/zero/$AFTER" "$tmp/mixed/$AFTER" || die "mixed"
# member dates of each altered copy, as GNU tar lists them
dates() { tar -tvzf "$1" | awk '{print $4}' | sort -u | tr '\n' ' '; }
[[ $(dates "$tmp/zero/$AFTER") == "1970-01-01 " ]] || die "zeroed tar has other dates: $(dates "$tmp/zero/$AFTER")"
[[ $(dates "$tmp/future/$AFTER") == "2030-01-01 " ]] || die "future tar has other dates"
[[ $(dates "$tmp/old-varied/$AFTER") =~ ^(199[0-9]-[0-9-]+ )+$ ]] || die "old-varied: $(dates "$tmp/old-varied/$AFTER")"
[[ $(dates "$tmp/future-varied/$AFTER") =~ ^(2030-[0-9-]+ )+$ ]] || die "future-varied: $(dates "$tmp/future-varied/$AFTER")"
[[ $(tar -tvzf "$tmp/future-varied/$AFTER" | awk '{print $4, $5}' | sort -u | wc -l) -gt 1 ]] ||
    die "future-varied: all members have the same time"

nfail=0
npass=0
# run VARIANT UNTRUSTED-BEFORE(0/1) UNTRUSTED-AFTER(0/1) [NOTE]: timeline --format json,
# then the checks; NOTE is a word of the reason every altered snapshot's note must give
run() {
    local v=$1 ub=$2 ua=$3 note=${4:-} out=$tmp/$1.json rc=0
    step "timeline on $v"
    "$BIN" timeline -q --format json --config "$tmp/config" "$tmp/$v/$BEFORE" "$tmp/$v/$AFTER" \
        >"$out" 2>"$out.err" || rc=$?
    if [[ $rc != 1 ]] || ! "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null ||
        grep -q Sanitizer "$out.err"; then
        echo "FAIL: timeline on $v exited $rc (want 1: losses) or wrote no JSON:"
        head -n 30 "$out.err" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 0
    fi
    local res
    res=$(V=$v UB=$ub UA=$ua NOTE=$note BEFORE=$BEFORE AFTER=$AFTER "$PY" - "$out" "$tmp/orig.json" <<'EOF' 2>&1
import json, os, sys
d = json.load(open(sys.argv[1]))
E = os.environ
v = E["V"]
untrusted = {E["BEFORE"]: E["UB"] == "1", E["AFTER"]: E["UA"] == "1"}
fails = 0
def ok(cond, what, got=None):
    global fails
    if cond:
        print("ok: %s: %s" % (v, what))
    else:
        fails += 1
        print("FAIL: %s: %s%s" % (v, what, "" if got is None else "; got " + json.dumps(got, sort_keys=True)[:1500]))

snaps = {s.get("name"): s for s in d.get("snapshots", [])}
ok(sorted(snaps) == sorted(untrusted), "both snapshots listed", sorted(snaps))
ok([snaps.get(n, {}).get("taken_at") for n in (E["BEFORE"], E["AFTER"])] ==
   ["2026-04-12T01:00:00Z", "2026-04-13T01:00:00Z"], "snapshot times from their names",
   [s.get("taken_at") for s in snaps.values()])
for n, u in sorted(untrusted.items()):
    s = snaps.get(n, {})
    if u:
        ok(s.get("mtimes_trusted") is False and isinstance(s.get("mtimes_note"), str) and len(s["mtimes_note"]) > 10,
           "%s: mtimes_trusted false, with a note" % n, s)
        ok(E["NOTE"] in (s.get("mtimes_note") or ""), "%s: the note gives the reason (%s)" % (n, E["NOTE"]),
           s.get("mtimes_note"))
        ok(any(e.get("kind") == "mtimes_untrusted" and e.get("source") == n for e in d.get("events", [])),
           "%s: a mtimes_untrusted event says so" % n)
    else:
        ok(s.get("mtimes_trusted") is True, "%s: mtimes trusted (as made)" % n, s)

losses = d.get("losses", [])
objs = sorted((l.get("object"), l.get("digest")) for l in losses)
orig = sorted((l.get("object"), l.get("digest")) for l in json.load(open(sys.argv[2])).get("losses", []))
ok(len(orig) == 7 and objs == orig, "the same 7 losses (5 blobs, 2 manifest links) as with the original times", objs)
MT = ("folder_mtime", "parent_push", "own_link")
bad = [(l.get("digest", "")[:19], b, (l.get("window") or {}).get(b)) for l in losses for b in ("from", "to")
       if ((l.get("window") or {}).get(b) or {}).get("kind") in MT]
if any(untrusted.values()):
    ok(not bad, "no loss bound from member mtimes (folder_mtime, parent_push, own_link)", bad)
    if untrusted[E["AFTER"]]:
        ok(all(((l.get("window") or {}).get("to") or {}).get("kind") == "snapshot" and
               l["window"]["to"].get("time") == "2026-04-13T01:00:00Z" for l in losses),
           "every window ends at the after snapshot's time", [l.get("window") for l in losses][:2])
    ok(all(((l.get("window") or {}).get("from") or {}).get("kind") == "snapshot" and
           l["window"]["from"].get("time") == "2026-04-12T01:00:00Z" for l in losses),
       "every window starts at the before snapshot's time", [l.get("window") for l in losses][:2])
else:
    ok(any(b[1] == "to" and b[2].get("kind") == "folder_mtime" for b in bad),
       "control: with real times, folder mtimes narrow the windows", [l.get("window") for l in losses][:2])
tops = [(l.get("suspects") or [{}])[0] for l in losses]
ok(all(t.get("kind") == "garbage-collect" and t.get("fired_at") == "2026-04-12T03:25:00Z" for t in tops),
   "the GC firing of 2026-04-12 03:25 is still every loss's top suspect", tops[:1])

FROM_MTIMES = ("tag_pushed", "tag_current", "manifest_pushed", "blob_uploaded", "layer_linked",
               "upload_started", "upload_abandoned")
ev = d.get("events", [])
leaked = [e for e in ev if e.get("kind") in FROM_MTIMES and untrusted.get(e.get("source"), False)]
ok(not leaked, "no event from the altered snapshots' member mtimes (tag_pushed, manifest_pushed, ...)", leaked[:3])
odd = [e for e in ev if not ("2026-01-01" <= (e.get("time") or "") < "2027-01-01")]
ok(not odd, "no event dated outside 2026 (no 1970, no 2030)", odd[:3])
if all(untrusted.values()):
    ok(not [e for e in ev if e.get("kind") in FROM_MTIMES], "no push/upload events at all",
       [e for e in ev if e.get("kind") in FROM_MTIMES][:3])
    ok(not d.get("folded"), "no folded counts of uploads or links", d.get("folded"))
elif not any(untrusted.values()):
    ok(any(e.get("kind") == "tag_pushed" for e in ev), "control: tag_pushed events from the real times")
sys.exit(1 if fails else 0)
EOF
    )
    local prc=$?
    printf '%s\n' "$res" | sed 's/^/    /'
    npass=$((npass + $(grep -c '^ok:' <<<"$res")))
    nfail=$((nfail + $(grep -c '^FAIL' <<<"$res")))
    ((prc != 0)) && ! grep -q '^FAIL' <<<"$res" && nfail=$((nfail + 1))
    return 0
}

run orig 0 0
run zero 1 1 "same"
run future 1 1 "same"
run old-varied 1 1 "2000"
run future-varied 1 1 "after"
run mixed 0 1 "same"

step "text form says the times are not used"
rc=0
"$BIN" timeline -q --config "$tmp/config" "$tmp/zero/$BEFORE" "$tmp/zero/$AFTER" >"$tmp/zero.txt" 2>&1 || rc=$?
if [[ $rc == 1 ]] && grep -q "times inside $AFTER are not used" "$tmp/zero.txt" &&
    ! grep -q '1970-\|2030-' "$tmp/zero.txt"; then
    npass=$((npass + 1))
    echo "    ok: the text timeline notes it, and shows no 1970 or 2030 time"
else
    nfail=$((nfail + 1))
    echo "FAIL: text timeline on zeroed snapshots: exit $rc, note missing or a 1970/2030 time:"
    grep -n 'not used\|1970-\|2030-' "$tmp/zero.txt" | head -n 5 | sed 's/^/    /'
fi

e2e_end "the altered snapshots and the outputs"
