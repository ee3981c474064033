#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every ```sh block of the sample's post-mortem (made now, and the committed copy)
# passes `shellcheck -s sh` and `bash -n`, alone and all in order as one script, and
# one that uses ROOT begins with its own ROOT= line; a broken block fails both.
#
#   bash tests/render/sh_blocks.sh REGAUTOPSY SOURCE_DIR
# shellcheck source=tests/render/common.bash
. "$(dirname "$0")/common.bash"
need shellcheck

# extract MD DIR: each sh block into DIR/block-N.sh; prints N.
extract() {
    mkdir -p "$2"
    awk -v dir="$2" '
        !inblk && /^(```+|~~~+)sh[[:space:]]*$/ { fence = $0; sub(/sh[[:space:]]*$/, "", fence)
                                                 inblk = 1; n++; f = dir "/block-" n ".sh"
                                                 printf "" > f; next }
        inblk && index($0, fence) == 1 && substr($0, length(fence) + 1) ~ /^[`~]*[[:space:]]*$/ {
            inblk = 0; close(f); next }
        inblk { print > f }
        END { print n + 0 }' "$1"
}

# check FILE [SHELLCHECK OPTION...]: shellcheck and bash -n
check() {
    local out
    if ! out=$(shellcheck -s sh -f gcc "${@:2}" "$1" 2>&1); then
        fail "shellcheck -s sh: $out"
    fi
    if ! out=$(bash -n "$1" 2>&1); then
        fail "bash -n: $out"
    fi
}

make_sample "$tmp/postmortem.md"
for md in "$tmp/postmortem.md" "$SRC/samples/incident-2026-04/postmortem.md"; do
    if [ ! -f "$md" ]; then
        fail "$md: missing"
        continue
    fi
    dir=$tmp/$(echo "$md" | md5sum | cut -c1-8)
    n=$(extract "$md" "$dir")
    [ "$n" -gt 0 ] || fail "$md: no sh block"
    # each block alone: one that uses ROOT sets it in its first line, so that it
    # pastes alone ...
    for b in "$dir"/block-*.sh; do
        [ -e "$b" ] || continue
        check "$b"
        if grep -q 'ROOT' "$b" && ! head -n 1 "$b" | grep -q '^ROOT=.*  # .*: adjust$'; then
            fail "$b: uses ROOT but does not begin with its ROOT= line"
        fi
    done
    # ... and all of them in order, as an operator pastes them into one shell
    for ((i = 1; i <= n; i++)); do
        cat "$dir/block-$i.sh"
    done >"$dir/all.sh"
    check "$dir/all.sh"
    echo "$md: $n sh block(s)"
done

# a broken block fails both
# shellcheck disable=SC2016 # the block's text, not expanded here
printf '%s\n' '```sh' 'mkdir -p $ROOT/x' 'echo "unterminated' '```' >"$tmp/broken.md"
n=$(extract "$tmp/broken.md" "$tmp/broken")
[ "$n" = 1 ] || fail "broken: $n blocks extracted, expected 1"
shellcheck -s sh "$tmp/broken/block-1.sh" >/dev/null 2>&1 && fail "shellcheck passes a broken block"
bash -n "$tmp/broken/block-1.sh" 2>/dev/null && fail "bash -n passes a broken block"
finish
