#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Recovery commands are safe to paste: a report made from hostile storage
# (make_storage.py: snapshot folders, a root prefix, repository and tag names with
# $(...), backticks, quotes, spaces, '#', line breaks, ESC and bytes that are not
# UTF-8) has one sh block per tag it can restore, which passes `shellcheck -s sh` and
# `bash -n`, begins with its own ROOT= line (the only one: it pastes alone), runs no
# command when that line runs alone, and, run with that line set to a temporary folder,
# restores exactly the lost link and blob of the one image whose names are inside
# Distribution's grammar, creates nothing outside ROOT, runs no command hidden in a name
# and checks that the image pulls by its index digest; run against a snapshot that lacks
# the blob, into a storage without the manifest's data, it leaves no data file (empty,
# partial or temporary) and no revision link, and says what it skipped. Done from directory snapshots, from a tar whose members
# start with "./", and from snapshots that are the storage root itself (where the ROOT=
# line must not say "/").
#
#   bash tests/security/recovery_sh.sh REGAUTOPSY SOURCE_DIR
set -u
BIN=$(realpath "$1")
SRC=$(realpath "$2")
PY=/usr/bin/python3
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

for tool in shellcheck sha256sum; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/setup.sh)"; exit 77; }
done

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EV="$T/ev"
mkdir "$EV" "$T/stub"
"$PY" "$SRC/tests/security/make_storage.py" "$EV" || { echo "FAIL: make_storage.py"; exit 1; }
# skopeo would go to the network: a stub records what it was asked
cat > "$T/stub/skopeo" <<STUB
#!/bin/sh
printf '%s\n' "\$@" >> "$T/skopeo.args"
STUB
chmod +x "$T/stub/skopeo"

OLD=$(cd "$EV" && ls -d snaps/old*)
NEW=$(cd "$EV" && ls -d snaps/new*)

listing() { (cd "$EV" && find . -printf '%p %s %T@\n' | LC_ALL=C sort); }

run_case() {
    local name=$1 old=$2 new=$3 out="$T/$1" n root
    mkdir -p "$out/blocks" "$out/root"
    root="$out/root"
    (cd "$EV" && "$BIN" report -q "$old" "$new" --config config --log access.log -o "$out/r.md" 2> "$out/err")
    [ $? -eq 1 ] || fail "$name: report exit code is not 1"
    ! grep -q 'Sanitizer\|runtime error' "$out/err" || fail "$name: sanitizer: $(head -5 "$out/err")"
    n=$("$PY" "$SRC/tests/security/sh_blocks.py" "$out/r.md" "$out/blocks") || { fail "$name: sh blocks"; return; }
    # one image has names inside the grammar: one block (ROOT=, relink, restore, verify)
    [ "$n" -eq 1 ] || fail "$name: $n sh blocks, want 1"
    shellcheck -s sh -e SC2016 "$out/blocks/0.sh" || fail "$name: shellcheck"
    bash -n "$out/blocks/0.sh" || fail "$name: bash -n"
    # its first line sets ROOT, for the operator to adjust, and no other line does
    head -n 1 "$out/blocks/0.sh" | grep -q "^ROOT=.*  # the live registry's .*: adjust$" ||
        fail "$name: the block does not begin with its ROOT= line: $(head -n 1 "$out/blocks/0.sh")"
    [ "$(grep -c 'ROOT=' "$out/blocks/0.sh")" -eq 1 ] || fail "$name: ROOT set more than once"
    listing > "$out/before"
    rm -f "$T/skopeo.args"
    # the ROOT= line alone (it may hold the hostile storage prefix) runs nothing ...
    head -n 1 "$out/blocks/0.sh" > "$out/rootline.sh"
    (cd "$EV" && PATH="$T/stub:$PATH" sh "$out/rootline.sh" > "$out/run-root.out" 2>&1) ||
        { fail "$name: the ROOT= line failed"; cat "$out/run-root.out" >&2; }
    # ... and the block, its ROOT= line adjusted as the operator would, restores into a
    # storage that still holds the relinked manifest's data (as the live one does)
    local mhex mdata
    mhex=$(grep -m1 '^d=' "$out/blocks/0.sh" | cut -c3-)
    mdata=$(find "$EV/$new" -path "*/blobs/sha256/$(printf %.2s "$mhex")/$mhex/data" | head -n 1)
    [ -n "$mhex" ] && [ -f "$mdata" ] || fail "$name: no manifest data for the relink ($mhex)"
    mkdir -p "$root/blobs/sha256/$(printf %.2s "$mhex")/$mhex"
    cp "$mdata" "$root/blobs/sha256/$(printf %.2s "$mhex")/$mhex/data"
    { printf "ROOT='%s'\n" "$root"; tail -n +2 "$out/blocks/0.sh"; } > "$out/run.sh"
    (cd "$EV" && PATH="$T/stub:$PATH" sh "$out/run.sh" > "$out/run.out" 2>&1) ||
        { fail "$name: the block failed"; cat "$out/run.out" >&2; }
    listing > "$out/after"
    cmp -s "$out/before" "$out/after" || { fail "$name: the evidence folder changed"; diff "$out/before" "$out/after" | head >&2; }
    if find "$T" / -maxdepth 0 -name 'pwned*' 2>/dev/null | grep -q . || find "$T" -name 'pwned*' | grep -q .; then
        fail "$name: a command hidden in a name ran"
    fi
    [ ! -e "$PWD/pwned-dollar" ] && [ ! -e "$PWD/pwned-tick" ] || fail "$name: marker in $PWD"
    # exactly the link and the blob of good/app, with the right bytes
    local files
    files=$(cd "$root" && find . -type f | LC_ALL=C sort)
    [ "$(printf '%s\n' "$files" | wc -l)" -eq 3 ] || fail "$name: files under ROOT: $files"
    printf '%s\n' "$files" | grep -q '^./repositories/good/app/_manifests/revisions/sha256/[0-9a-f]\{64\}/link$' ||
        fail "$name: no revision link restored"
    grep -q ': OK$' "$out/run.out" || fail "$name: restored blob does not check: $(cat "$out/run.out")"
    ! grep -q 'FAILED' "$out/run.out" || fail "$name: a digest check failed: $(cat "$out/run.out")"
    ! printf '%s\n' "$files" | grep -q '\.tmp$' || fail "$name: a temporary file is left: $files"
    # the check pulls the restored index by its digest, the one the tag named
    local index
    index=$(cat "$(find "$EV/$new" -path '*/repositories/good/app/_manifests/tags/latest/current/link' | head -n 1)")
    [ "$(cat "$T/skopeo.args" 2>/dev/null | tr '\n' ' ')" = "copy --all docker://REGISTRY/good/app@$index dir:/tmp/regautopsy-check " ] ||
        fail "$name: skopeo called with: $(cat "$T/skopeo.args" 2>/dev/null) (index $index)"
    # a snapshot that lacks the blob (the extract or copy fails) into a storage that lacks
    # the manifest's data: nothing is written, no empty or partial data, no link to nothing
    local bare="$out/bare"
    mkdir -p "$bare"
    { printf "ROOT='%s'\n" "$bare"; tail -n +2 "$out/blocks/0.sh" |
        sed "s|^snap=.*|snap='$T/no-such-snapshot'|"; } > "$out/run-bare.sh"
    (cd "$EV" && PATH="$T/stub:$PATH" sh "$out/run-bare.sh" > "$out/run-bare.out" 2>&1)
    files=$(cd "$bare" && find . -type f)
    [ -z "$files" ] || fail "$name: files left in a storage the restore failed for: $files"
    grep -q "^sha256:$mhex: its data is not in ROOT: link not re-created$" "$out/run-bare.out" ||
        fail "$name: the skipped link is not said: $(cat "$out/run-bare.out")"
    grep -q '^sha256:[0-9a-f]\{64\}: not restored$' "$out/run-bare.out" ||
        fail "$name: the failed restore is not said: $(cat "$out/run-bare.out")"
    # every other broken tag is a manual step, and no hostile name is in any block
    [ "$(grep -c 'inspect this entry by hand' "$out/r.md")" -eq 14 ] ||
        fail "$name: $(grep -c 'inspect this entry by hand' "$out/r.md") manual steps, want 14"
    if grep -n 'pwned' "$out/blocks/0.sh" | grep -qv '^1:ROOT=\|^[0-9]*:snap=\|^[0-9]*:pre='; then
        fail "$name: a hostile name reached a line other than ROOT=, snap= or pre="
    fi
}

run_case dir "$OLD" "$NEW"
run_case tar hostile-2026-04-12T0100Z.tar "$NEW"
# snapshots that are the storage root itself: no "ROOT=/"
for s in "$OLD" "$NEW"; do
    d="$EV/v2 $(basename "$s" | sed 's/.* //')"
    cp -a "$EV/$s"/srv/*/data/docker/registry/v2 "$d"
done
run_case rootless "v2 registry-2026-04-12T0100Z" "v2 registry-2026-04-13T0100Z"
head -n 1 "$T/rootless/blocks/0.sh" | grep -qx 'ROOT=/var/lib/registry/docker/registry/v2  # .*' ||
    fail "rootless: ROOT= line is $(head -n 1 "$T/rootless/blocks/0.sh")"
head -n 1 "$T/dir/blocks/0.sh" | grep -q "^ROOT='/srv/" ||
    fail "dir: ROOT= line is $(head -n 1 "$T/dir/blocks/0.sh")"

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "recovery_sh: ok"
