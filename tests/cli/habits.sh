#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CLI's habits, with exact outputs and exit codes, on the bundled sample incident:
#   - one-line errors on bad options (unknown, missing or unwanted argument, extra
#     arguments), exit 2, nothing on stdout, never the whole help;
#   - `regautopsy help CMD` prints what `regautopsy CMD --help` prints;
#   - a bad --tz is a usage error (exit 2) for every command taking it;
#   - `-` is standard input: `scan -` (tar.gz stream; zip refused), `--log -`,
#     `--expect -`, only one per run, and outputs are still kept off a redirected file;
#   - -v/--verbose says what is read on stderr and never changes stdout;
#   - gc-sim lists what it would delete exactly as the real `garbage-collect` that ran
#     on the sample did (samples/incident-2026-04/gc-2026-04-12.log, docker-registry
#     2.8.2), sorted;
#   - timeline --format jsonl: JSON lines with Timesketch's fields, one line per loss.
#
#   bash tests/cli/habits.sh REGAUTOPSY SOURCE_DIR
set -u
BIN=${1:?usage: habits.sh REGAUTOPSY SOURCE_DIR}
SRC=${2:?usage: habits.sh REGAUTOPSY SOURCE_DIR}
S=$SRC/samples/incident-2026-04
OLD=$S/registry-2026-04-12T0100Z.tar.gz NEW=$S/registry-2026-04-13T0100Z.tar.gz
GC=$S/gc-2026-04-12.log
export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect NAME RC STDERR [STDIN-FILE] -- ARGS...: exact exit code, exact stderr, and
# empty stdout.
expect() {
    local name=$1 rc=$2 err=$3 in=/dev/null
    shift 3
    [[ $1 != -- ]] && { in=$1; shift; }
    shift
    "$BIN" "$@" <"$in" >"$T/out" 2>"$T/err"
    local got=$?
    [[ $got == "$rc" ]] || fail "$name: exit $got, want $rc"
    [[ $(cat "$T/err") == "$err" ]] || fail "$name: stderr [$(cat "$T/err")], want [$err]"
    [[ ! -s $T/out ]] || fail "$name: stdout not empty: $(head -c 200 "$T/out")"
    ok
}

# ---- one-line errors on bad options ----
for cmd in scan diff gc-sim jobs timeline report check; do
    expect "$cmd --bogus" 2 "regautopsy $cmd: unknown option --bogus; see regautopsy $cmd --help" \
        -- "$cmd" --bogus "$NEW"
    [[ $cmd == check ]] ||
        expect "$cmd --json (no argument)" 2 \
            "regautopsy $cmd: missing argument to --json; see regautopsy $cmd --help" -- "$cmd" "$NEW" --json
    [[ $cmd == check || $cmd == jobs ]] ||
        expect "$cmd -Z" 2 "regautopsy $cmd: unknown option -Z; see regautopsy $cmd --help" \
            -- "$cmd" -Z "$NEW"
done
expect "check --expect (no argument)" 2 \
    "regautopsy check: missing argument to --expect; see regautopsy check --help" -- check "$NEW" --expect
expect "check --json" 2 "regautopsy check: unknown option --json; see regautopsy check --help" \
    -- check --json x "$NEW"
expect "scan --verify=yes" 2 \
    "regautopsy scan: no argument allowed to --verify; see regautopsy scan --help" -- scan --verify=yes "$NEW"
expect "scan no SNAPSHOT" 2 "regautopsy scan: no SNAPSHOT given; see regautopsy scan --help" -- scan
expect "diff three" 2 \
    "regautopsy diff: give exactly two snapshots, OLD and NEW; see regautopsy diff --help" -- diff "$OLD" "$NEW" "$NEW"
expect "jobs extra" 2 "regautopsy jobs: unexpected argument 'extra'; see regautopsy jobs --help" \
    -- jobs --config "$S/config.bundle" extra
expect "timeline --format bogus" 2 "regautopsy: timeline: --format 'yaml': expected text, json or jsonl" \
    -- timeline --format yaml "$NEW"
expect "unknown command" 2 "regautopsy: 'frob' is not a command; see 'regautopsy --help'" -- frob

# ---- help CMD ----
for cmd in scan diff gc-sim jobs timeline report check; do
    "$BIN" help "$cmd" >"$T/h1" 2>&1
    r1=$?
    "$BIN" "$cmd" --help >"$T/h2" 2>&1
    r2=$?
    [[ $r1 == 0 && $r2 == 0 ]] || fail "help $cmd: exit $r1 / $r2"
    cmp -s "$T/h1" "$T/h2" || fail "help $cmd differs from $cmd --help"
    head -1 "$T/h1" | grep -q "^usage: regautopsy $cmd " || fail "help $cmd: $(head -1 "$T/h1")"
    grep -q -- '-v, --verbose' "$T/h1" || fail "$cmd --help lacks -v, --verbose"
    ok
done
expect "help frob" 2 "regautopsy: 'frob' is not a command; see 'regautopsy --help'" -- help frob

# ---- --tz ----
tzerr="regautopsy: --tz 'Mars/Olympus': unknown time zone (not a zone of the system tz database, e.g. Europe/Berlin)"
expect "jobs --tz" 2 "$tzerr" -- jobs --config "$S/config.bundle" --tz Mars/Olympus
for cmd in timeline report check; do
    x=()
    [[ $cmd == check ]] && x=(--expect "$S/expected.json")
    expect "$cmd --tz" 2 "$tzerr" -- "$cmd" "${x[@]}" --tz Mars/Olympus "$OLD" "$NEW"
done
ctzerr=${tzerr/--tz/--cluster-tz}
expect "jobs --cluster-tz" 2 "$ctzerr" -- jobs --config "$S/config.bundle" --cluster-tz Mars/Olympus
for cmd in timeline report check; do
    x=()
    [[ $cmd == check ]] && x=(--expect "$S/expected.json")
    expect "$cmd --cluster-tz" 2 "$ctzerr" -- "$cmd" "${x[@]}" --cluster-tz Mars/Olympus "$OLD" "$NEW"
done
"$BIN" timeline -q --tz Europe/Berlin "$OLD" "$NEW" >/dev/null 2>"$T/err"
[[ $? == 1 && ! -s $T/err ]] || fail "timeline --tz Europe/Berlin: want exit 1, no error: $(cat "$T/err")"
ok

# ---- '-' is standard input ----
cp "$NEW" "$T/stdin" # a file named like the stream, so that the outputs compare
"$BIN" scan -q "$T/stdin@2026-04-13T01:00Z" >"$T/file.out" 2>"$T/file.err"
r1=$?
"$BIN" scan -q -- -@2026-04-13T01:00Z <"$NEW" >"$T/stdin.out" 2>"$T/stdin.err"
r2=$?
[[ $r1 == 1 && $r2 == 1 ]] || fail "scan - : exit $r2 (file: $r1), want 1"
cmp -s "$T/file.out" "$T/stdin.out" || fail "scan - differs from scan FILE: $(diff "$T/file.out" "$T/stdin.out" | head -5)"
head -1 "$T/stdin.out" | grep -qxF 'stdin: taken 2026-04-13T01:00:00Z (as stated), 156 members' ||
    fail "scan - first line: $(head -1 "$T/stdin.out")"
ok
gzip -dc "$NEW" | "$BIN" scan -q --json - - | grep -q '"name": "stdin"' || fail "scan - (plain tar on a pipe)"
ok
(cd "$T" && mkdir z && cd z && echo x >f && zip -q ../a.zip f) || fail "zip"
expect "scan - zip" 2 "regautopsy: '-': not an archive libarchive can read (Unrecognized archive format); standard input is read as a stream: tar or cpio (any compression), zip and 7z need seeking, give them as a file" \
    "$T/a.zip" -- scan -q -
once="regautopsy: '-' (standard input) names 2 inputs; it can be read for one only"
expect "scan - -" 2 "$once" "$NEW" -- scan - -
expect "--log - with scan -" 2 "$once" "$NEW" -- timeline --log - -
expect "--expect - with --log -" 2 "$once" "$GC" -- check --expect - --log - "$NEW"
cp "$NEW" "$T/e.tgz"
sum=$(sha256sum <"$T/e.tgz")
expect "scan - --json onto stdin's file" 2 \
    "regautopsy: output '$T/e.tgz' is the input '-'; evidence is never overwritten" "$T/e.tgz" -- scan --json "$T/e.tgz" -
[[ $(sha256sum <"$T/e.tgz") == "$sum" ]] || fail "stdin's file was written to"
# --log -: the same timeline, the log named '-' (compared with a copy of the log whose
# name, like stdin, holds no date)
cp "$GC" "$T/gc.log"
"$BIN" timeline -q --log "$T/gc.log" "$OLD" "$NEW" >"$T/l1" 2>&1
r1=$?
"$BIN" timeline -q --log - "$OLD" "$NEW" <"$GC" >"$T/l2" 2>&1
r2=$?
[[ $r1 == 1 && $r2 == 1 ]] || fail "timeline --log -: exit $r2 (file: $r1), want 1"
sed "s|$T/gc.log|-|g" "$T/l1" | cmp -s - "$T/l2" || fail "timeline --log - differs: $(sed "s|$T/gc.log|-|g" "$T/l1" | diff - "$T/l2" | head -5)"
grep -q '^    fingerprint gc_log: -:[0-9]* lists it' "$T/l2" || fail "timeline --log -: no gc_log fingerprint from '-'"
ok
# --expect -
"$BIN" check -q --expect "$S/expected.json" "$OLD" "$NEW" >"$T/c1" 2>&1
r1=$?
"$BIN" check -q --expect - "$OLD" "$NEW" <"$S/expected.json" >"$T/c2" 2>&1
r2=$?
[[ $r1 == "$r2" && $r1 != 2 ]] || fail "check --expect -: exit $r2 (file: $r1)"
sed "s|$S/expected.json|-|g" "$T/c1" | cmp -s - "$T/c2" || fail "check --expect - differs"
ok

# --jobs-file -: the same jobs as from the file, named stdin; a second '-' is refused
git clone -q "$S/config.bundle" "$T/cfg"
printf '25 4 * * 6 /usr/bin/docker-registry garbage-collect -m /etc/registry.yml\n' >"$T/jf.cron"
"$BIN" jobs --config "$T/cfg" --jobs-file "$T/jf.cron" --json - >"$T/jf1" 2>&1
r1=$?
"$BIN" jobs --config "$T/cfg" --jobs-file - --json - <"$T/jf.cron" >"$T/jf2" 2>&1
r2=$?
[[ $r1 == 0 && $r2 == 0 ]] || fail "jobs --jobs-file -: exit $r2 (file: $r1), want 0"
[ "$(jq -c '[.jobs[] | select(.defined_in | startswith("jobs-file/")) | [.defined_in, .command]]' "$T/jf2")" = \
    '[["jobs-file/stdin.cron:1","/usr/bin/docker-registry garbage-collect -m /etc/registry.yml"]]' ] ||
    fail "jobs --jobs-file -: $(jq -c '[.jobs[] | select(.defined_in | startswith("jobs-file/"))]' "$T/jf2" | head -c 400)"
sed 's|jobs-file/jf.cron|jobs-file/stdin.cron|g' "$T/jf1" | jq -S 'del(.. | .summary?)' >"$T/jf1n"
jq -S 'del(.. | .summary?)' "$T/jf2" >"$T/jf2n"
cmp -s "$T/jf1n" "$T/jf2n" || fail "jobs --jobs-file - differs: $(diff "$T/jf1n" "$T/jf2n" | head -5)"
expect "--jobs-file - with --log -" 2 "$once" "$GC" -- timeline --jobs-file - --log - "$OLD"
ok

# --template -: the main template from stdin, partials built in; the same report
"$BIN" report -q --config "$T/cfg" --template "$SRC/templates/postmortem.md.mustache" \
    --log "$GC" "$OLD" "$NEW" >"$T/t1" 2>&1
r1=$?
"$BIN" report -q --config "$T/cfg" --template - --log "$GC" "$OLD" "$NEW" \
    <"$SRC/templates/postmortem.md.mustache" >"$T/t2" 2>&1
r2=$?
[[ $r1 == 1 && $r2 == 1 ]] || fail "report --template -: exit $r2 (file: $r1), want 1"
cmp -s "$T/t1" "$T/t2" || fail "report --template - differs: $(diff "$T/t1" "$T/t2" | head -5)"
expect "--template - with --log -" 2 "$once" "$GC" -- report --template - --log - "$OLD"
ok

# ---- -v/--verbose: stderr only ----
for args in "scan $NEW" "diff $OLD $NEW" "gc-sim -m $OLD" "timeline --log $GC $OLD $NEW" \
    "report --log $GC $OLD $NEW" "check --expect $S/expected.json $OLD $NEW" "jobs --config $S/config.bundle"; do
    # shellcheck disable=SC2086 # word splitting wanted
    "$BIN" $args -q >"$T/v0" 2>/dev/null
    r0=$?
    # shellcheck disable=SC2086
    "$BIN" $args -q -v >"$T/v1" 2>"$T/v1.err"
    r1=$?
    [[ $r0 == "$r1" ]] || fail "-v changes the exit code of $args: $r0 -> $r1"
    cmp -s "$T/v0" "$T/v1" || fail "-v changes stdout of $args"
    [[ -s $T/v1.err ]] || fail "-v says nothing for $args"
    ok
done
"$BIN" scan -q --verbose "$NEW" 2>"$T/err" >/dev/null
printf '%s\n' "regautopsy: reading snapshot '$NEW'" \
    "regautopsy: '$NEW': registry root 'var/lib/registry/docker/registry/v2'" \
    "regautopsy: '$NEW': 156 entries, 6142 bytes read, 1 registry root, 0 not read" >"$T/want"
cmp -s "$T/err" "$T/want" || fail "scan -v stderr: $(diff "$T/want" "$T/err")"
"$BIN" timeline -q -v --log "$GC" "$OLD" "$NEW" 2>"$T/err" >/dev/null
grep -qxF "regautopsy: reading log '$GC'" "$T/err" &&
    grep -qxF "regautopsy: log '$GC': 36 lines, 35 events, 0 of no known format skipped, 0 too long skipped" "$T/err" &&
    [[ $(grep -c "^regautopsy: reading snapshot " "$T/err") == 2 ]] || fail "timeline -v stderr: $(cat "$T/err")"
ok

# ---- gc-sim lists what it would delete, as garbage-collect did ----
"$BIN" gc-sim -q -m "$OLD" >"$T/gc.out"
[[ $? == 1 ]] || fail "gc-sim -m: want exit 1"
grep -E '^ *(blob|manifest) eligible for deletion' "$T/gc.out" | sed 's/^ *//; s/ in [^ ]*$//' | sort >"$T/sim"
grep -E '^(blob|manifest) eligible for deletion' "$GC" | sed 's/ *$//' | sort >"$T/real"
cmp -s "$T/sim" "$T/real" || fail "gc-sim list differs from the real GC's: $(diff "$T/real" "$T/sim" | head)"
[[ $(grep -c '^blob eligible' "$T/sim") == 12 && $(grep -c '^manifest eligible' "$T/sim") == 5 ]] ||
    fail "gc-sim: want 12 blobs and 5 manifests"
grep '    manifest eligible' "$T/gc.out" | sort -c -k6,6 -k5,5 2>/dev/null || fail "manifests not sorted"
grep '    blob eligible' "$T/gc.out" | sort -c || fail "blobs not sorted"
grep -qxF '    manifest eligible for deletion: sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a4313a761fb26 in infra-ci' "$T/gc.out" ||
    fail "gc-sim: manifest line format"
"$BIN" gc-sim -q "$OLD" | grep -cE '^ *(blob|manifest) eligible for deletion' | grep -qx 0 ||
    fail "gc-sim without -m: nothing eligible (every blob is referenced)"
ok

# ---- timeline --format jsonl ----
"$BIN" timeline -q --format jsonl --log "$GC" "$OLD" "$NEW" >"$T/tl.jsonl"
[[ $? == 1 ]] || fail "timeline jsonl: want exit 1"
"$BIN" timeline -q --format json --log "$GC" "$OLD" "$NEW" >"$T/tl.json"
/usr/bin/python3 - "$T/tl.jsonl" "$T/tl.json" <<'EOF' || fail "timeline jsonl content"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "ends with a newline"
objs = [json.loads(l) for l in lines[:-1]]
for o in objs:
    for k in ("message", "datetime", "timestamp_desc"):
        assert isinstance(o.get(k), str) and o[k], (k, o)
doc = json.load(open(sys.argv[2]))
losses = [o for o in objs if o["data_type"] == "regautopsy:timeline:loss"]
assert len(losses) == len(doc["losses"]) == 7, (len(losses), len(doc["losses"]))
for x in doc["losses"]:
    hits = [o for o in objs if x["digest"] in o["message"]]
    assert len(hits) == 1 and hits[0]["digest"] == x["digest"], x["digest"]
assert losses[0]["message"] == ("blob sha256:1b199df08fd80b3d6c30243d5be3b7afe4d5699a7430759b1634c5239884a9c6"
    " missing between 2026-04-12T01:00:00Z and 2026-04-12T03:25:01Z; breaks infra-ci:latest"), losses[0]["message"]
assert losses[0]["datetime"] == "2026-04-12T01:00:00Z" and losses[0]["timestamp_desc"] == "loss window start"
EOF
expect "jsonl with --json -" 2 \
    "regautopsy timeline: --json - and --format jsonl both write to stdout; see regautopsy timeline --help" \
    -- timeline --format jsonl --json - "$NEW"
ok

if ((fails)); then
    echo "habits: $pass passed, $fails failed"
    exit 1
fi
echo "habits: $pass passed, 0 failed"
