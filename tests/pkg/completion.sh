#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shell completions (completions/) against the binary, so they cannot drift: the
# commands are those of `regautopsy --help`, each command's options exactly those its
# --help lists (plus --help; -h is not offered), in bash (by calling the completion
# function with COMP_WORDS) and in zsh (the _arguments specs of each command); bash
# completes option values (--format, --distribution) as --help spells them, and file
# names for snapshots.
#
#   bash tests/pkg/completion.sh REGAUTOPSY SOURCE_DIR
set -euo pipefail
export LC_ALL=C
bin=$1
src=$(realpath "$2")
bashc=$src/completions/regautopsy.bash
zshc=$src/completions/_regautopsy
fail() { echo "FAIL: $*" >&2; exit 1; }
nfail=0
same() { # WHAT WANT GOT: newline-separated sets
    if [ "$(sort -u <<<"$2")" != "$(sort -u <<<"$3")" ]; then
        echo "FAIL: $1 differ (< --help, > completion):" >&2
        diff <(sort -u <<<"$2") <(sort -u <<<"$3") >&2 || true
        nfail=$((nfail + 1))
    fi
}
complete_bash() { # WORD...: what bash completes for the last word
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _regautopsy; printf "%s\n" "${COMPREPLY[@]}"' _ "$bashc" "$@"
}
# the option column of a --help text (before the two spaces that start the description)
help_options() {
    "$bin" "$1" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
        grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' | grep -vx -- -h
    echo --help
}

commands=$("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
[ "$(wc -l <<<"$commands")" -ge 7 ] || fail "fewer than 7 commands in --help: $commands"
same "bash: the commands" "$commands"$'\n'"--help"$'\n'"--version" "$(complete_bash regautopsy '')"
for cmd in $commands; do
    same "bash: $cmd's options" "$(help_options "$cmd")" "$(complete_bash regautopsy "$cmd" -)"
done

# option values, as --help lists them ("--format text|json|jsonl")
for pair in timeline:--format gc-sim:--distribution; do
    cmd=${pair%%:*} opt=${pair#*:}
    want=$("$bin" "$cmd" --help | grep -oE -- "$opt [^ ]+" | head -1 | cut -d' ' -f2 | tr '|' '\n')
    [ -n "$want" ] || fail "$cmd --help has no values for $opt"
    same "bash: $cmd $opt values" "$want" "$(complete_bash regautopsy "$cmd" "$opt" '')"
done
got=$(complete_bash regautopsy timeline --format js)
[ "$got" = $'json\njsonl' ] || fail "timeline --format js completes to '$got'"

# snapshots and files are completed from the file system
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/snap-a.tar.gz" "$dir/snap-b.tar.zst"
mkdir "$dir/repo"
got=$(cd "$dir" && complete_bash regautopsy scan sn)
[ "$got" = $'snap-a.tar.gz\nsnap-b.tar.zst' ] || fail "scan sn completes to '$got'"
got=$(cd "$dir" && complete_bash regautopsy report --config '')
[ "$got" = repo ] || fail "report --config completes to '$got', want the directory only"

if command -v zsh >/dev/null; then
    zsh -n "$zshc" || fail "$zshc: zsh syntax error"
    # sourcing runs _regautopsy: with these stubs it lists its commands
    got=$(zsh -fc '_arguments() { state=command; return 1 }
        _describe() { print -rl -- ${(P)4} }
        source "$1"' _ "$zshc" | cut -d: -f1)
    same "zsh: the commands" "$commands" "$got"
    for cmd in $commands; do
        # a spec is [(exclusions)][*]option[description]:...
        got=$(zsh -fc '_arguments() { :; }; source "$1"; _regautopsy_options "$2"
            print -rl -- $reply' _ "$zshc" "$cmd" | sed -E 's/^\([^)]*\)//; s/^\*//; s/\[.*//; s/[:=+].*//')
        same "zsh: $cmd's options" "$(help_options "$cmd")" "$got"
    done
else
    echo "zsh not installed: the zsh completion is not checked (scripts/setup.sh installs it)"
fi
[ "$nfail" = 0 ] || fail "$nfail completion list(s) differ from --help"
echo "ok: bash and zsh completions match --help for $(wc -w <<<"$commands") commands"
