#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man page documents every command and option, checked against the binary so the
# two cannot drift:
#   - every command of `regautopsy --help` has a SYNOPSIS block (.SY regautopsy, .B CMD)
#     and an entry under COMMANDS;
#   - the options in that SYNOPSIS block (.OP/.BI/.BR lines; "-q|--quiet" names both
#     forms) are exactly the options of `regautopsy CMD --help` (-h/--help aside, which
#     every command takes);
#   - every option of every command has an entry (.TP header line) under OPTIONS;
#   - the SYNOPSIS is, byte for byte, what `regautopsy help --man` makes of the
#     commands' option tables (src/cli/cmd_*.c): option names, short forms, value
#     names and order. RA_UPDATE_MAN=1 writes it into the page instead, for review.
#
#   bash tests/cli/manpage.sh REGAUTOPSY SOURCE_DIR
set -u
BIN=${1:?usage: manpage.sh REGAUTOPSY SOURCE_DIR}
SRC=${2:?usage: manpage.sh REGAUTOPSY SOURCE_DIR}
MAN=$SRC/docs/regautopsy.1
export LC_ALL=C
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The SYNOPSIS from the option tables.
want=$("$BIN" help --man) || fail "help --man failed"
got=$(sed -n '/^\.SH SYNOPSIS$/,/^\.SH /{/^\.SH /d;p}' "$MAN")
if [[ -n ${RA_UPDATE_MAN:-} && $want != "$got" ]]; then
    { sed '/^\.SH SYNOPSIS$/q' "$MAN"; echo "$want"; sed -n '/^\.SH SYNOPSIS$/,${/^\.SH SYNOPSIS$/d;/^\.SH /,$p}' "$MAN"; } >"$MAN.new"
    mv "$MAN.new" "$MAN"
    echo "manpage: SYNOPSIS rewritten from the option tables; review: git diff $MAN"
    got=$want
fi
if [[ $want != "$got" ]]; then
    fail "SYNOPSIS differs from the option tables (< help --man, > $MAN); RA_UPDATE_MAN=1 rewrites it:"
    diff <(echo "$want") <(echo "$got") | grep '^[<>]'
fi

# The commands: the indented first words of `regautopsy --help` under "commands:".
cmds=$("$BIN" --help | sed -n '/^commands:/,/^$/{s/^  \([a-z-]*\) .*/\1/p}')
[[ $(wc -w <<<"$cmds") -ge 7 ]] || fail "fewer than 7 commands in --help: $cmds"

# help_opts CMD: the options of CMD --help, one a line, sorted: the first column of
# each line starting with "  -" (up to two spaces), every -x / --name in it.
help_opts() {
    "$BIN" "$1" --help | grep -E '^  -' | sed -E 's/^  //; s/  .*//' |
        grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | sed -E 's/^[ ,]//' |
        grep -vxE -- '-h|--help' | sort -u
}

# man_opts CMD: the options of CMD's SYNOPSIS block, one a line, sorted.
man_opts() {
    awk -v cmd="$1" '
        /^\.SY regautopsy/ { insy = 1; this = 0; seen = 0; next }
        /^\.YS/ { insy = 0; next }
        insy && /^\.B / && !seen { c = $2; gsub(/\\/, "", c); this = (c == cmd); seen = 1 }
        insy && this && /^\.(OP|BI|BR|B) \\-/ { print $2 }
    ' "$MAN" | sed 's/\\-/-/g; s/"//g' | tr '|' '\n' | grep -E '^-' | grep -vxE -- '-h|--help' | sort -u
}

for cmd in $cmds; do
    mcmd=${cmd//-/\\-}
    grep -qxF ".B $mcmd" "$MAN" || fail "$cmd: no '.B $mcmd' in the man page"
    awk -v c=".B $mcmd" '/^\.SH COMMANDS/ { on = 1; next } /^\.SH/ { on = 0 }
        on && prev == ".TP" && $0 == c { found = 1 } { prev = $0 } END { exit !found }' "$MAN" ||
        fail "$cmd: no entry under COMMANDS"
    h=$(help_opts "$cmd") m=$(man_opts "$cmd")
    [[ -n $h ]] || fail "$cmd: no options parsed from --help"
    if [[ $h != "$m" ]]; then
        fail "$cmd: options differ (< --help, > man page SYNOPSIS):"
        diff <(echo "$h") <(echo "$m") | grep '^[<>]'
    fi
    for o in $h; do
        mo=${o//-/\\-}
        awk -v o="$mo" '/^\.SH OPTIONS/ { on = 1; next } /^\.SH/ { on = 0 }
            on && prev == ".TP" { n = split($0, w, /[ ,"]+/); for (i = 1; i <= n; i++) if (w[i] == o) found = 1 }
            { prev = $0 } END { exit !found }' "$MAN" || fail "$cmd: $o has no entry under OPTIONS"
    done
done
# The whole page renders without warnings.
if command -v groff >/dev/null; then
    w=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1) || fail "groff failed"
    [[ -z $w ]] || fail "groff warnings: $w"
fi
if ((fails)); then
    echo "manpage: $fails failure(s)"
    exit 1
fi
echo "manpage: $(wc -w <<<"$cmds") commands, every option in the SYNOPSIS and under OPTIONS"
