# SPDX-License-Identifier: MIT
# Shared by tests/render/*.sh: arguments, a scratch directory, and the sample
# post-mortem made by the binary under test.
#
#   bash tests/render/<test>.sh REGAUTOPSY SOURCE_DIR
set -u
export LC_ALL=C.UTF-8 TZ=UTC
if [ $# -ne 2 ]; then
    echo "usage: bash $0 REGAUTOPSY SOURCE_DIR" >&2
    exit 2
fi
BIN=$(realpath "$1")
SRC=$(realpath "$2")
HERE=$SRC/tests/render
tmp=$(mktemp -d "${TMPDIR:-/tmp}/render.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
    echo "FAIL: $*" >&2
    failed=1
}

# need TOOL...: exit 77 (ctest: skipped) naming the set-up that installs them.
need() {
    local t
    for t in "$@"; do
        if ! command -v "$t" >/dev/null 2>&1; then
            echo "SKIP: $t is not installed (bash scripts/setup.sh installs it)" >&2
            exit 77
        fi
    done
}

# make_sample OUT.md: the sample's post-mortem as scripts/demo.sh makes it (the inputs
# of golden.sample-report), with the config repository cloned from its bundle.
make_sample() {
    local s=samples/incident-2026-04 rc
    if [ ! -d "$tmp/infra-config" ] &&
        ! git clone -q "$SRC/$s/config.bundle" "$tmp/infra-config"; then
        fail "cannot clone $s/config.bundle"
        return 1
    fi
    (cd "$SRC" && "$BIN" report -q -o "$1" --config "$tmp/infra-config" \
        --log "$s/gc-2026-04-12.log" --log "$s/registry-access.log" \
        --log "$s/pipelines.json" \
        "$s/registry-2026-04-12T0100Z.tar.gz" "$s/registry-2026-04-13T0100Z.tar.gz")
    rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "the sample report exited $rc, expected 1 (a tag cannot be pulled)"
        return 1
    fi
}

# markdown_goldens: the golden cases whose command is `report`, as "CASE FILE" lines
# (FILE: the expected Markdown, relative to SOURCE_DIR), for those that print one.
markdown_goldens() {
    local d f
    for d in "$SRC"/tests/golden/*/; do
        [ "$(grep -v '^#' "$d/args" 2>/dev/null | grep -v '^$' | head -n 1)" = report ] || continue
        if [ -f "$d/expected-file" ]; then
            f=$(head -n 1 "$d/expected-file")
        else
            f=${d#"$SRC"/}expected.md
        fi
        [ -f "$SRC/$f" ] && echo "$(basename "$d") $f" # a case that fails prints none

    done
}

finish() {
    if [ "$failed" = 0 ]; then
        echo "$(basename "$0" .sh): ok"
    fi
    exit "$failed"
}
