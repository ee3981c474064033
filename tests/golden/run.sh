#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden tests (jansson's test/suites layout) and the sample's regression check.
#
#   bash tests/golden/run.sh REGAUTOPSY SOURCE_DIR CASE_DIR
#   bash tests/golden/run.sh --check REGAUTOPSY SOURCE_DIR EXPECTED_JSON ARGS_FILE
#   bash tests/golden/run.sh --check-altered REGAUTOPSY SOURCE_DIR EXPECTED_JSON ARGS_FILE
#
# A case is a directory tests/golden/<case>/ (ctest runs it as golden.<case>) holding:
#
#   args             the command line after `regautopsy`, one argument per line; blank
#                    lines and lines starting with '#' are skipped. The command runs in
#                    SOURCE_DIR, so paths are relative to the source tree.
#   setup            optional: a bash script that prepares inputs. It runs first, in a
#                    scratch directory mirroring SOURCE_DIR's top level through symbolic
#                    links, and the command then runs there too, so paths in args stay
#                    relative and the output the same from run to run. For the sample's
#                    config repository: `git clone -q samples/incident-2026-04/config.bundle
#                    infra-config` in setup, then `--config` and `infra-config` in args;
#   expected.md      the expected stdout, compared byte for byte (Markdown for a report,
#                    whatever the command prints otherwise);
#   expected-file    instead of expected.md: one line naming a committed file, relative
#                    to SOURCE_DIR, that holds the expected stdout. The sample's
#                    post-mortem is compared this way with samples/incident-2026-04/
#                    postmortem.md, so the repository keeps one copy of it;
#   expected.stderr  the expected stderr, byte for byte (without it stderr must be empty);
#   expected.rc      the expected exit code (without it, 0 and 1 are accepted);
#   anything else    inputs the args name (templates, files).
#
# RA_UPDATE_GOLDEN=1 writes what the command printed into the expected files (the one
# expected-file names, expected.md, expected.stderr when stderr is not empty,
# expected.rc) instead of comparing; review the changes with git diff before committing.
#
# --check runs `regautopsy check --expect EXPECTED_JSON` with the inputs of ARGS_FILE (a
# case's args without its first line, the command; the case's setup runs first) and wants
# exit 0. --check-altered
# changes impact.broken_all[0].platforms_text in a copy of EXPECTED_JSON and wants exit 1
# and the difference line naming that path.
set -u
export LC_ALL=C TZ=UTC

mode=case
case ${1:-} in
--check | --check-altered)
    mode=${1#--}
    shift
    ;;
esac
if { [ "$mode" = case ] && [ $# -ne 3 ]; } || { [ "$mode" != case ] && [ $# -ne 4 ]; }; then
    sed -n '4,6s/^#   /usage: /p' "$0" >&2
    exit 2
fi
BIN=$(realpath "$1")
SRC=$(realpath "$2")
WD=$SRC
tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# read_args FILE: the arguments into the array `args`.
read_args() {
    local line
    args=()
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in '' | '#'*) continue ;; esac
        args+=("$line")
    done <"$1"
}

# prepare CASE_DIR: set WD, where the command runs: SOURCE_DIR, or a scratch mirror of it
# in which the case's setup script has run.
prepare() {
    local e
    WD=$SRC
    [ -f "$1/setup" ] || return 0
    WD=$tmp/work
    mkdir "$WD"
    for e in "$SRC"/*; do
        ln -s "$e" "$WD/${e##*/}"
    done
    if ! (cd "$WD" && bash -e "$1/setup") >"$tmp/setup.log" 2>&1; then
        cat "$tmp/setup.log" >&2
        fail "$(basename "$1"): setup failed"
    fi
}

# run ARG...: run regautopsy in $WD; stdout, stderr and exit code into $tmp.
run() {
    (cd "$WD" && "$BIN" "$@") >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
    if [ "$(cat "$tmp/rc")" -ge 128 ]; then
        cat "$tmp/err" >&2
        fail "regautopsy $* died with status $(cat "$tmp/rc")"
    fi
}

# same WHAT EXPECTED ACTUAL: byte-for-byte comparison, with a diff when they differ.
same() {
    if ! cmp -s "$2" "$3"; then
        echo "FAIL: $1 differs (--- expected, +++ actual):" >&2
        diff -u "$2" "$3" | head -80 >&2
        return 1
    fi
}

run_case() {
    local dir=$1 name want ok=1 rc
    name=$(basename "$dir")
    [ -f "$dir/args" ] || fail "$name: no args file"
    read_args "$dir/args"
    prepare "$dir"
    run "${args[@]}"
    rc=$(cat "$tmp/rc")
    want=$dir/expected.md
    if [ -f "$dir/expected-file" ]; then
        want=$SRC/$(head -n 1 "$dir/expected-file")
    fi

    if [ "${RA_UPDATE_GOLDEN:-0}" = 1 ]; then
        local wrote=
        if [ -f "$dir/expected-file" ] || [ -f "$want" ] || [ -s "$tmp/out" ]; then
            cp "$tmp/out" "$want"
            wrote="${want#"$SRC"/} "
        fi
        if [ -s "$tmp/err" ]; then
            cp "$tmp/err" "$dir/expected.stderr"
            wrote+="expected.stderr "
        else
            rm -f "$dir/expected.stderr"
        fi
        echo "$rc" >"$dir/expected.rc"
        echo "golden $name: wrote ${wrote}expected.rc (exit $rc); review with git diff" >&2
        return 0
    fi

    if [ -f "$want" ]; then
        same "$name: stdout" "$want" "$tmp/out" || ok=0
    elif [ -f "$dir/expected-file" ]; then
        fail "$name: expected-file names '$want', which does not exist"
    elif [ -s "$tmp/out" ]; then
        echo "FAIL: $name: unexpected stdout:" >&2
        head -20 "$tmp/out" >&2
        ok=0
    fi
    if [ -f "$dir/expected.stderr" ]; then
        same "$name: stderr" "$dir/expected.stderr" "$tmp/err" || ok=0
    elif [ -s "$tmp/err" ]; then
        echo "FAIL: $name: unexpected stderr:" >&2
        head -20 "$tmp/err" >&2
        ok=0
    fi
    if [ -f "$dir/expected.rc" ]; then
        if [ "$rc" != "$(tr -d '[:space:]' <"$dir/expected.rc")" ]; then
            echo "FAIL: $name: exit $rc, expected $(cat "$dir/expected.rc")" >&2
            ok=0
        fi
    elif [ "$rc" -gt 1 ]; then
        echo "FAIL: $name: exit $rc" >&2
        ok=0
    fi
    [ "$ok" = 1 ] || fail "$name (RA_UPDATE_GOLDEN=1 rewrites the expected files)"
    echo "golden $name: ok"
}

# check_args EXPECTED_JSON ARGS_FILE: `check --expect EXPECTED_JSON` + the case's inputs.
check_args() {
    read_args "$2"
    [ "${#args[@]}" -gt 0 ] || fail "$2: empty"
    args=(check --expect "$1" "${args[@]:1}")
    prepare "$(dirname "$(realpath "$2")")"
}

run_check() {
    check_args "$1" "$2"
    run "${args[@]}"
    if [ "$(cat "$tmp/rc")" != 0 ] || ! grep -Eq '^check: [0-9]+ expectations? holds?$' "$tmp/out"; then
        cat "$tmp/out" "$tmp/err" >&2
        fail "regautopsy ${args[*]}: exit $(cat "$tmp/rc"), expected 0"
    fi
    cat "$tmp/out"
}

run_check_altered() {
    local line src=$1
    case $src in /*) ;; *) src=$SRC/$src ;; esac
    # the altered copy, and the difference line check must print for it
    line=$(/usr/bin/python3 - "$src" "$tmp/altered.json" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
t = d["impact"]["broken_all"][0]
old = t["platforms_text"]
t["platforms_text"] = new = "linux/s390x" if old == "linux/amd64" else "linux/amd64"
with open(sys.argv[2], "w") as f:
    json.dump(d, f, indent=2)
print("- impact.broken_all[repository=%s,tag=%s].platforms_text: expected %s, got %s"
      % (t["repository"], t["tag"], json.dumps(new), json.dumps(old)))
EOF
    ) || fail "cannot alter $1 (it needs impact.broken_all[0] with repository, tag, platforms_text)"
    check_args "$tmp/altered.json" "$2"
    run "${args[@]}"
    if [ "$(cat "$tmp/rc")" != 1 ] || ! grep -Fxq -- "$line" "$tmp/out"; then
        cat "$tmp/out" "$tmp/err" >&2
        fail "altered expectation: exit $(cat "$tmp/rc") (expected 1), or no line '$line'"
    fi
    cat "$tmp/out"
}

case $mode in
case) run_case "$(realpath "$3")" ;;
check) run_check "$3" "$4" ;;
check-altered) run_check_altered "$3" "$4" ;;
esac
