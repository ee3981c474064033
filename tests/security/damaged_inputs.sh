#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Damaged and hostile inputs are reported, and work stays bounded by the input: one
# reproducer per class, each with the exact exit code, finding or message it must give.
#
#   bash tests/security/damaged_inputs.sh REGAUTOPSY SOURCE_DIR
#
# Classes: a .tar.gz whose data or trailer was corrupted but still inflates (gzip trailer
# checked), a multi-member .tar.gz; sparse members written by GNU tar --sparse (GNU and
# pax formats); members appended twice (tar -r); a storage root that is a symbolic
# link; files and folders that may not be opened (as nobody, through setpriv, when run
# as root); FIFOs and devices given as inputs; a standard output that cannot be
# written; unknown time zones and the OnCalendar step that is no zone; a timer with
# 20,000 OnCalendar= values and a 400 KB command; report's cost with 40,000 lost
# layers; pipeline exports with numbers out of range.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 REGAUTOPSY SOURCE_DIR" >&2
    exit 2
fi
BIN=$(realpath "$1")
SRC=$(realpath "$2")
PY=/usr/bin/python3
for tool in jq timeout tar gzip git "$PY"; do
    command -v "$tool" >/dev/null || { echo "damaged_inputs: $tool is required" >&2; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/ra-damaged.XXXXXX") || exit 1
trap 'chmod -R u+rwX "$T" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
cd "$T" || exit 1
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

ok() { echo "ok: $*"; }

# run NAME ARGS...: regautopsy with a 60 s limit; sets rc, out ($T/NAME.out), err.
run() {
    local name=$1
    shift
    timeout 60 "$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
    rc=$?
}

expect_rc() {
    [ "$rc" -eq "$2" ] || fail "$1: exit $rc, want $2 ($(head -c 300 "$T/$1.err"))"
}

expect_err() {
    grep -qF -- "$2" "$T/$1.err" || fail "$1: stderr lacks '$2': $(head -c 300 "$T/$1.err")"
}

# A small registry in ./reg (root reg/docker/registry/v2): repository app, tag latest,
# an image whose one layer is 200 KiB of text; LAYER holds the layer's hex.
"$PY" - <<'EOF'
import hashlib, json, os
root = "reg/docker/registry/v2"
def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
def blob(data):
    h = hashlib.sha256(data).hexdigest()
    put(f"{root}/blobs/sha256/{h[:2]}/{h}/data", data)
    return h
def link(rel, h):
    put(f"{root}/repositories/app/{rel}/link", b"sha256:" + h.encode())
layer_data = b"".join(b"line %06d of a layer\n" % i for i in range(10000))
cfg_data = json.dumps({"architecture": "amd64", "os": "linux",
                       "rootfs": {"type": "layers", "diff_ids": []}}).encode()
layer, cfg = blob(layer_data), blob(cfg_data)
man = blob(json.dumps({"schemaVersion": 2,
                       "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": "sha256:" + cfg, "size": len(cfg_data)},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                   "digest": "sha256:" + layer,
                                   "size": len(layer_data)}]}).encode())
for h in (layer, cfg):
    link(f"_layers/sha256/{h}", h)
link(f"_manifests/revisions/sha256/{man}", man)
link("_manifests/tags/latest/current", man)
link(f"_manifests/tags/latest/index/sha256/{man}", man)
open("LAYER", "w").write(layer)
EOF
LAYER=$(cat LAYER)
tar --sort=name --numeric-owner -cf reg.tar reg

# ---- gzip: every member's trailer checked ----
"$PY" - <<'EOF'
import gzip
data = open("reg.tar", "rb").read()
stored = bytearray(gzip.compress(data, compresslevel=0, mtime=0))
flipped = bytearray(stored)
flipped[len(flipped) // 2] ^= 0x20          # inside the tar: still inflates
open("flip.tar.gz", "wb").write(flipped)
crc = bytearray(stored); crc[-8] ^= 1        # the trailer's CRC-32
open("crc.tar.gz", "wb").write(crc)
isize = bytearray(stored); isize[-2] ^= 1    # the trailer's length
open("isize.tar.gz", "wb").write(isize)
half = len(data) // 2
open("multi.tar.gz", "wb").write(gzip.compress(data[:half], mtime=0) +
                                 gzip.compress(data[half:], mtime=0))
EOF
for c in flip crc isize; do
    run "gz-$c" scan --json - "$c.tar.gz"
    expect_rc "gz-$c" 1
    want="the CRC-32 in its trailer does not match its data"
    [ "$c" = isize ] && want="the length in its trailer does not match its data"
    jq -e --arg w "$want" '[.snapshots[0].findings[] | select(.code == "read_error" and
        (.message | contains($w)))] | length == 1' "$T/gz-$c.out" >/dev/null ||
        fail "gz-$c: no read_error saying '$want'"
done
run gz-multi scan --json - multi.tar.gz
expect_rc gz-multi 0
jq -e '.snapshots[0].complete and ([.. | .code? | select(. == "read_error")] | length == 0)' \
    "$T/gz-multi.out" >/dev/null || fail "gz-multi: not read completely"
gzip -c reg.tar >real.tar.gz
printf 'x' | gzip -c >>real.tar.gz # a second member after the tar's end: checked too
run gz-real scan real.tar.gz
expect_rc gz-real 0
ok "gzip trailer (corrupt data, CRC, length: exit 1 read_error; multi-member: exit 0)"

# ---- sparse members, as GNU tar --sparse writes them ----
"$PY" - <<'EOF'
import hashlib, os
root = "sp/docker/registry/v2"
def sparse(parts, size):
    data = bytearray(size)
    for off, b in parts:
        data[off:off + len(b)] = b
    h = hashlib.sha256(bytes(data)).hexdigest()
    d = f"{root}/blobs/sha256/{h[:2]}/{h}"
    os.makedirs(d)
    with open(d + "/data", "wb") as f:
        for off, b in parts:
            f.seek(off); f.write(b)
        f.truncate(size)
    os.makedirs(f"{root}/repositories/app/_layers/sha256/{h}")
    open(f"{root}/repositories/app/_layers/sha256/{h}/link", "w").write("sha256:" + h)
sparse([], 2 << 20)                                  # zeros only: no data at all
sparse([(0, b"A" * 4096)], 3 << 20)                  # a hole to the end
sparse([(1 << 20, b"C" * 10), (2 << 20, b"D")], (2 << 20) + 1)
EOF
for fmt in gnu pax; do
    tar --sparse --format=$fmt -cf "sparse-$fmt.tar" sp
    run "sparse-$fmt" scan --verify --json - "sparse-$fmt.tar"
    expect_rc "sparse-$fmt" 0
    jq -e '[.. | .code? | select(. == "digest_mismatch" or . == "size_mismatch")] |
        length == 0' "$T/sparse-$fmt.out" >/dev/null || fail "sparse-$fmt: a blob judged wrong"
done
ok "sparse members (GNU and pax): hashed with their holes, exit 0"

# ---- members appended twice ----
cp reg.tar dup.tar
blob=reg/docker/registry/v2/blobs/sha256/${LAYER:0:2}/$LAYER/data
cp "$blob" "$T/layer.keep"
printf 'not the layer' >"$blob"
tar -rf dup.tar "$blob"   # a damaged copy after the good one
cp "$T/layer.keep" "$blob"
tar -rf dup.tar "$blob"   # and the good one again, last
run dup scan --verify --json - dup.tar
expect_rc dup 0
jq -e --arg p "$blob" '[.snapshots[0].registries[0].findings[] |
    select(.code == "member_duplicate" and .path == $p and
           (.message | test("is in the archive 3 times \\(members #[0-9]+, #[0-9]+, #[0-9]+,.*the last, #[0-9]+, was read")))] | length == 1' \
    "$T/dup.out" >/dev/null || fail "dup: no member_duplicate naming 3 copies and the one read"
ok "duplicate members: which copy was read, where the others were"

# ---- a storage root that is a symbolic link ----
mkdir -p linked/docker/registry
ln -s "$T/reg/docker/registry/v2" linked/docker/registry/v2
run symroot scan --json - linked
expect_rc symroot 1
expect_err symroot "'linked': not read: 'docker/registry/v2': the storage root is a symbolic link"
jq -e '[.snapshots[0].findings[] | select(.code == "unreadable" and .severity == "critical")]
    | length == 1' "$T/symroot.out" >/dev/null || fail "symroot: no unreadable finding"
ok "symlinked storage root: unreadable finding, stderr, exit 1"

# ---- files and folders that may not be opened ----
cp -a reg perm
chmod -R a+rX perm
chmod 000 "perm/docker/registry/v2/blobs/sha256/${LAYER:0:2}/$LAYER/data"
chmod 000 perm/docker/registry/v2/repositories/app/_manifests/tags
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && chmod 755 "$T"; then
        AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    else
        AS=()
        echo "skip: permissions (root, and no setpriv)"
    fi
else
    AS=(env)
fi
if [ ${#AS[@]} -gt 0 ]; then
    timeout 60 "${AS[@]}" "$BIN" scan --json - perm >"$T/perm.out" 2>"$T/perm.err"
    rc=$?
    expect_rc perm 1
    expect_err perm "/data': cannot open: Permission denied"
    expect_err perm "_manifests/tags': cannot open directory: Permission denied"
    jq -e '[.snapshots[0].findings[] | select(.code == "unreadable")] | length == 2' \
        "$T/perm.out" >/dev/null || fail "perm: not two unreadable findings"
    jq -e '.snapshots[0].registries[0].counts.blobs == 2' "$T/perm.out" >/dev/null ||
        fail "perm: the walk did not go on past the denied file"
    ok "permission denied: unreadable findings, stderr, the walk goes on"
fi
chmod -R u+rwX perm

# ---- FIFOs and devices are refused at once ----
mkfifo fifo
printf '{}' >expect.json
for args in "scan fifo" "scan /dev/zero" "timeline --log fifo reg.tar" \
    "report --template fifo reg.tar" "check --expect fifo reg.tar" \
    "timeline --jobs-file fifo reg.tar" "jobs --config . --jobs-file fifo"; do
    name=fifo-$(echo "$args" | tr ' /' '__')
    # shellcheck disable=SC2086
    run "$name" $args
    [ "$rc" -eq 124 ] && fail "$name: waited on the FIFO"
    expect_rc "$name" 2
    grep -qE "not a regular file( or a directory)? \((a FIFO|a character device)\)" \
        "$T/$name.err" || fail "$name: stderr: $(head -c 200 "$T/$name.err")"
done
ok "FIFOs and devices as inputs: exit 2 at once"

# ---- standard output that cannot be written ----
timeout 60 "$BIN" scan reg.tar >/dev/full 2>"$T/full.err"
rc=$?
expect_rc full 2
expect_err full "standard output: write failed: No space left on device"
timeout 60 "$BIN" scan reg.tar >&- 2>"$T/closed.err"
rc=$?
expect_rc closed 2
expect_err closed "standard output: write failed"
timeout 60 "$BIN" scan --help >/dev/full 2>"$T/helpfull.err"
rc=$?
expect_rc helpfull 2
run nostdout report -q -o "$T/r.md" reg.tar
expect_rc nostdout 0
ok "stdout write errors: exit 2 with a message"

# ---- time zones ----
mkdir -p cfg/etc/systemd/system && cd cfg || exit 1
git init -q .
printf '[Timer]\nOnCalendar=*-*-* *:0/15:00\n' >etc/systemd/system/q.timer
printf '[Service]\nExecStart=/usr/bin/true\n' >etc/systemd/system/q.service
printf '[Timer]\nOnCalendar=*-*-* 03:00 Mars/Olympus\n' >etc/systemd/system/z.timer
printf '[Service]\nExecStart=/usr/bin/true\n' >etc/systemd/system/z.service
git add -A
GIT_AUTHOR_DATE=2026-04-01T00:00:00Z GIT_COMMITTER_DATE=2026-04-01T00:00:00Z \
    git -c user.name=t -c user.email=t@t commit -qm jobs
cd "$T" || exit 1
run tz-bad jobs --config cfg --tz Not/AZone
expect_rc tz-bad 2
expect_err tz-bad "--tz 'Not/AZone': unknown time zone"
run tz-bad-tl timeline --tz Not/AZone reg.tar
expect_rc tz-bad-tl 2
run tz-jobs jobs --config cfg --from 2026-04-12T00:00Z --to 2026-04-12T01:00Z --json -
expect_rc tz-jobs 0
jq -e '([.firings[] | select(.job | endswith(":q"))] | length == 4) and
    ([.jobs[] | select(.name == "q") | .timezone] == [null]) and
    ([.problems[] | select(contains("unknown time zone '"'"'Mars/Olympus'"'"'"))] | length == 1)' \
    "$T/tz-jobs.out" >/dev/null || fail "tz-jobs: $(jq -c '.problems, [.firings[].job]' "$T/tz-jobs.out")"
ok "time zones: unknown --tz exit 2; *:0/15:00 has no zone; a job's unknown zone is a problem"

# ---- bounded work: 20,000 OnCalendar= values, a 400 KB command ----
cd cfg || exit 1
"$PY" -c '
open("etc/systemd/system/m.timer", "w").write(
    "[Timer]\nOnCalendar=" + "; ".join(["minutely"] * 20000) + "\n")
open("etc/systemd/system/m.service", "w").write(
    "[Service]\nExecStart=/bin/echo " + "x" * 400000 + "\n")'
git add -A
GIT_AUTHOR_DATE=2026-04-02T00:00:00Z GIT_COMMITTER_DATE=2026-04-02T00:00:00Z \
    git -c user.name=t -c user.email=t@t commit -qm big
cd "$T" || exit 1
run caps jobs --config cfg --from 2026-04-03T00:00Z --to 2026-05-03T00:00Z --json -
expect_rc caps 0
jq -e '([.firings[] | select(.job | endswith(":m"))] | length == 20000) and
    ([.jobs[] | select(.name == "m") | .command | length] == [16384]) and
    ([.problems[] | select(test("m.timer:2: 20000 firings in the window"))] | length == 1) and
    ([.problems[] | select(test("command of 40[0-9]+ bytes: only the first 16384 are read"))]
     | length == 1)' "$T/caps.out" >/dev/null ||
    fail "caps: $(jq -c '.problems, (.firings | length)' "$T/caps.out" | head -c 600)"
ok "jobs caps: 20,000 firings and 16 KiB of text per job, with problems"

# ---- report on 40,000 lost layers finishes with every loss (its time: bench/missing_layers.sh) ----
"$PY" "$SRC/bench/gen_missing_layers.py" ml --manifests 2 --layers 20000 || fail "generator"
"$BIN" report -q -o /dev/null --json "$T/ml.json" ml/*.tar 2>"$T/report-ml.err"
rc=$?
expect_rc report-ml 1
[ "$(jq '.losses | length' "$T/ml.json")" = 40000 ] || fail "report-ml: not 40,000 losses"
ok "report with 40,000 lost layers: every loss in the JSON (exit 1)"

# ---- pipeline exports with numbers out of range ----
cat >pipes.json <<'EOF'
[
 {"number": 1, "status": "success", "event": "push", "created": 1775955600, "started": 1775955660},
 {"number": 2, "status": "failure", "event": "push", "created": 1775959200, "started": 99999999999999},
 {"number": 3, "status": "failure", "finished": 123456789012345678901234567890},
 {"number": 4, "status": "failure", "created": 1e400}
]
EOF
run pipes timeline --log pipes.json reg.tar
expect_rc pipes 0
grep -q "2026-04-12T02:00:00Z .*pipeline #2 (push) failed" "$T/pipes.out" ||
    fail "pipes: pipeline #2 not placed at its created time"
for want in "line 3: pipeline #2: 'started' 99999999999999 is not a time" \
    "line 4: record does not parse: too big integer: left out" \
    "line 5: record does not parse: real number overflow near '1e400': left out"; do
    grep -qF -- "note: log 'pipes.json': $want" "$T/pipes.out" || fail "pipes: no note '$want'"
done
ok "pipeline exports: a number out of range is a problem of its record"

if [ "$failures" -gt 0 ]; then
    echo "damaged_inputs: $failures failures"
    exit 1
fi
echo "damaged_inputs: all passed"
