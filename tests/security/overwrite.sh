#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Outputs never overwrite evidence: every command, given -o, --json or a stdout
# redirected onto one of its inputs (an archive, a file in a directory snapshot, a log,
# a --jobs-file, the --expect file, a template, given or installed, a file of the
# config repo; named as it is, through a hard link, a symbolic link or "..") or an
# output inside a directory snapshot, exits 2 with one line on stderr and leaves every
# input byte for byte as it was; the same commands with an output elsewhere still run.
#
#   bash tests/security/overwrite.sh REGAUTOPSY SOURCE_DIR
set -u
BIN=$(realpath "$1")
SRC=$(realpath "$2")
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S="$SRC/samples/incident-2026-04"
cd "$T" || exit 1
cp "$S/registry-2026-04-12T0100Z.tar.gz" a.tar.gz
cp "$S/registry-2026-04-13T0100Z.tar.gz" b.tar.gz
cp "$S/registry-access.log" access.log
cp "$S/expected.json" expect.json
mkdir snap && tar -xzf a.tar.gz -C snap
git clone -q "$S/config.bundle" config
printf '0 3 * * 0 registry garbage-collect /etc/r.yml\n' > jobs.cron
printf '# {{title}}\n' > t.mustache
mkdir tdir && cp "$SRC"/templates/*.mustache tdir/
ln a.tar.gz hard.tar.gz
ln -s a.tar.gz soft.tar.gz
ln -s snap snaplink
ln -s snap/new.json dangling
LINK=$(cd snap && find . -name link | LC_ALL=C sort | head -1)
CRON=$(cd config && git ls-files | grep -m1 crontab)

digest() { find . -path ./out -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; }
digest > "$T.before"

refused() { # refused DESCRIPTION COMMAND...: exit 2, one line on stderr
    local what=$1 rc
    shift
    "$@" > /dev/null 2> err.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2"
    ! grep -q 'Sanitizer\|runtime error' err.txt || fail "$what: sanitizer: $(head -5 err.txt)"
    [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "^regautopsy: .*evidence is never\|^regautopsy: .*symbolic link to nothing" err.txt ||
        fail "$what: stderr: $(cat err.txt)"
    rm -f err.txt
}

R="$BIN"
refused "scan --json archive" "$R" scan -q a.tar.gz --json a.tar.gz
refused "scan --json hard link" "$R" scan -q a.tar.gz --json hard.tar.gz
refused "scan --json symlink" "$R" scan -q a.tar.gz --json soft.tar.gz
refused "scan --json ./archive" "$R" scan -q ./a.tar.gz --json snap/../a.tar.gz
refused "scan --json inside snapshot" "$R" scan -q snap --json snap/out.json
refused "scan --json snapshot file" "$R" scan -q snap --json "snap/$LINK"
refused "scan --json via symlinked dir" "$R" scan -q snap --json snaplink/x.json
refused "scan --json dangling symlink" "$R" scan -q snap --json dangling
refused "scan --json @time snapshot" "$R" scan -q a.tar.gz@2026-04-12T01:00Z --json a.tar.gz
refused "gc-sim --json archive" "$R" gc-sim -q a.tar.gz --json a.tar.gz
refused "diff --json second archive" "$R" diff -q a.tar.gz b.tar.gz --json b.tar.gz
refused "timeline --json log" "$R" timeline -q a.tar.gz --log access.log --json access.log
refused "timeline --json jobs-file" "$R" timeline -q a.tar.gz --jobs-file jobs.cron --json jobs.cron
refused "report -o archive" "$R" report -q a.tar.gz -o a.tar.gz
refused "report --json archive" "$R" report -q a.tar.gz --json b.tar.gz b.tar.gz
refused "report -o log" "$R" report -q a.tar.gz --log access.log -o access.log
refused "report -o template" "$R" report -q a.tar.gz --template t.mustache -o t.mustache
refused "report -o template dir file" "$R" report -q a.tar.gz --template tdir -o tdir/summary.mustache
refused "report -o config repo file" "$R" report -q a.tar.gz --config config -o "config/$CRON"
INSTALLED="$(dirname "$BIN")/share/regautopsy/templates/summary.mustache"
if [ -f "$INSTALLED" ]; then
    sum=$(sha256sum < "$INSTALLED")
    refused "report -o installed template" "$R" report -q a.tar.gz -o "$INSTALLED"
    [ "$(sha256sum < "$INSTALLED")" = "$sum" ] || fail "the installed template changed"
fi
refused "report -o inside snapshot" "$R" report -q snap -o snap/postmortem.md
refused "report stdout onto archive" sh -c '"$1" report -q a.tar.gz >> a.tar.gz' sh "$R"
refused "check stdout onto expect" sh -c '"$1" check -q --expect expect.json a.tar.gz >> expect.json' sh "$R"
refused "jobs --json config repo file" "$R" jobs --config config --json "config/$CRON"
refused "jobs --json jobs-file" "$R" jobs --config config --jobs-file jobs.cron --json jobs.cron

digest > "$T.after"
cmp -s "$T.before" "$T.after" || { fail "an input changed"; diff "$T.before" "$T.after" >&2; }
rm -f "$T.before" "$T.after"

# outputs elsewhere, and new files beside the config repo's, are written
mkdir out
"$R" scan -q a.tar.gz --json out/scan.json > /dev/null; [ $? -le 1 ] && [ -s out/scan.json ] || fail "scan --json out/"
"$R" report -q a.tar.gz b.tar.gz --config config -o out/r.md --json out/r.json
[ $? -le 1 ] && [ -s out/r.md ] && [ -s out/r.json ] || fail "report -o out/"
"$R" jobs --config config --json config/new.json > /dev/null && [ -s config/new.json ] || fail "jobs --json new file in config"

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "overwrite: ok"
