# SPDX-License-Identifier: MIT
# The start every end-to-end test shares; sourced once BIN, SRC and PY are set.
#
#   e2e_begin NAME PACKAGES TOOL...
#
# sets up die and step for NAME; skips the test (exit 0, printing the Debian PACKAGES to
# install) when a TOOL or $PY is missing, unless CI is set (then the test fails);
# checks $BIN; makes $tmp, removed on exit together with the registry of
# scripts/registry-lib.sh when one was started.

T0=$SECONDS
# the Python checks import e2e_checks (ok, done)
export PYTHONPATH=$SRC/tests/e2e${PYTHONPATH:+:$PYTHONPATH}
E2E_NAME=e2e

die() {
    echo "FAIL: $E2E_NAME: $*" >&2
    exit 1
}
step() { echo "--- [$((SECONDS - T0))s] $*"; }

_e2e_cleanup() {
    if declare -F reg_stop >/dev/null; then reg_stop; fi
    rm -rf "$tmp" "${REG_STATE:-/nonexistent}"
}

e2e_begin() {
    local packages=$2 t missing=()
    E2E_NAME=$1
    shift 2
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [[ -x $PY ]] || missing+=("$PY")
    if ((${#missing[@]})); then
        if [[ -z "${CI:-}" ]]; then
            echo "SKIP: $E2E_NAME: needs ${missing[*]} (install: apt-get install $packages)"
            exit 0
        fi
        die "CI is set but these are missing: ${missing[*]}"
    fi
    [[ -x "$BIN" ]] || die "binary $BIN is not executable"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$E2E_NAME.XXXXXX") || die "mktemp"
    trap _e2e_cleanup EXIT
    trap 'exit 130' INT TERM
}

# ---- helpers shared by the scripts that want them ------------------------------------

# check DESCRIPTION COMMAND...: count a pass in npass, or print the failure and count it
# in nfail (scripts with checks of their own kind define their own check after this).
nfail=0
npass=0
check() {
    local what=$1
    shift
    if "$@" >/dev/null; then
        npass=$((npass + 1))
    else
        echo "FAIL: $what"
        nfail=$((nfail + 1))
    fi
}

# e2e_cron_repo DIR MESSAGE < CRON: a config repository whose one commit, by Mara
# Lindqvist on 2026-03-01 10:00 UTC, is hosts/registry/etc/cron.d/registry (the input);
# git kept from the user's and the system's configuration.
e2e_cron_repo() {
    export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
    export GIT_AUTHOR_NAME="Mara Lindqvist" GIT_AUTHOR_EMAIL=mara@example.invalid
    export GIT_COMMITTER_NAME="Mara Lindqvist" GIT_COMMITTER_EMAIL=mara@example.invalid
    mkdir -p "$1/hosts/registry/etc/cron.d" && git init -q "$1" &&
        cat >"$1/hosts/registry/etc/cron.d/registry" &&
        R=$1 commit "2026-03-01 10:00:00" "$2" >/dev/null
}

# commit 'YYYY-MM-DD HH:MM:SS' MESSAGE: commit all of the repository $R at that time (UTC);
# prints the commit id
commit() {
    git -C "$R" add -A &&
        GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000" \
            git -C "$R" -c commit.gpgsign=false commit -q --no-verify -m "$2" &&
        git -C "$R" rev-parse HEAD
}

# ref_digest NAME: the digest of image NAME in the OCI layout $L
ref_digest() {
    jq -r --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n) | .digest' \
        "$L/index.json"
}

# eadir FOLDER: what Synology's indexer leaves in it
eadir() {
    mkdir -p "$1/@eaDir" && echo syno >"$1/@eaDir/SYNO@.fileindexdb" &&
        echo ea >"$1/@eaDir/$(basename "$1")@SynoEAStream"
}

# take NAME: a Synology snapshot of the share $share into $SNAPS/NAME, without #snapshot
# itself, dated by its name (GMT+00_YYYY.MM.DD-HH.MM)
take() {
    local dst=$SNAPS/$1 e
    mkdir -p "$dst" || return 1
    for e in "$share"/* "$share"/.[!.]* "$share"/..?*; do
        [[ -e $e && ${e##*/} != "#snapshot" ]] || continue
        cp -a "$e" "$dst/" || return 1
    done
    touch -d "$(sed -E 's/GMT\+00_([0-9]+)\.([0-9]+)\.([0-9]+)-([0-9]+)\.([0-9]+)/\1-\2-\3 \4:\5:00 UTC/' <<<"$1")" "$dst"
}

# py_checks ARGS... < PYTHON: run the Python checks on stdin with ARGS, show their output
# indented, count their "ok:" lines in npass and their "FAIL" lines in nfail (one failure
# when they exit non-zero without a FAIL line)
py_checks() {
    local out
    out=$("$PY" - "$@" 2>&1)
    local rc=$?
    printf '%s\n' "$out" | sed 's/^/    /'
    npass=$((npass + $(grep -c '^ok:' <<<"$out")))
    nfail=$((nfail + $(grep -c '^FAIL' <<<"$out")))
    if ((rc != 0)) && ! grep -q '^FAIL' <<<"$out"; then
        nfail=$((nfail + 1))
    fi
    return 0
}

# e2e_end WHAT-IS-KEPT [COUNTS]: the closing lines (COUNTS: "N passed, M failed" unless
# given); RA_E2E_KEEP=1 keeps the work directory, which a failure offers; the status is
# whether no check failed, so a script ends with it
e2e_end() {
    local keepdir
    step "done in $((SECONDS - T0))s"
    echo "$E2E_NAME: ${2:-$npass passed, $nfail failed}"
    if [[ -n "${RA_E2E_KEEP:-}" ]]; then
        keepdir=$(mktemp -d "${TMPDIR:-/tmp}/$E2E_NAME-kept.XXXXXX")
        cp -a "$tmp/." "$keepdir/"
        echo "kept the work directory in $keepdir"
    elif ((nfail)); then
        echo "(set RA_E2E_KEEP=1 to keep $1)"
    fi
    ((nfail == 0))
}

# gc_index_incident SNAPSHOT: the index-children incident on the registry storage at
# $live ($store inside it; $L the OCI layout, $MARK a marker file; the registry stopped):
# push infra-ci:latest as an amd64 + arm64 index at 2026-04-11 07:45:21, tar the storage
# into SNAPSHOT, then run the real garbage-collect -m (its log: $tmp/gc.log) dated
# 2026-04-12 03:25:01. The registry is left running.
# shellcheck disable=SC2154 # L, live, store, MARK: set by the script that calls it
gc_index_incident() {
    img_build "$L" ci-amd64 amd64 "" "e2e base (amd64)" "e2e ci (amd64)" || die "img_build amd64"
    img_build "$L" ci-arm64 arm64 v8 "e2e base (arm64)" "e2e ci (arm64)" || die "img_build arm64"
    img_index "$L" ci-latest ci-amd64 ci-arm64 || die "img_index"
    reg_start "$store" || die "reg_start"
    touch -d '2026-04-11 07:00:00 UTC' "$live/var" "$live/var/lib" "$store" || die "touch"
    reg_mark "$MARK" || die "marker"
    push_oci "$L" ci-latest infra-ci:latest || die "push"
    set_mtimes "$live" "$MARK" '2026-04-11 07:45:21 UTC' || die "set_mtimes"
    reg_stop
    snap_tar "$live" "$1" || die "snapshot 1"
    reg_start "$store" || die "reg_start"
    reg_mark "$MARK" || die "marker"
    REG_GC_LOG=$tmp/gc.log reg_gc -m || die "garbage-collect failed: $(tail -5 "$tmp/gc.log")"
    set_mtimes "$live" "$MARK" '2026-04-12 03:25:01 UTC' || die "set_mtimes"
}
