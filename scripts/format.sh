#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Format the C sources of src/ and tests/ in place with clang-format and the
# .clang-format at the top of the tree (Debian 12's clang-format, version 14).
#   bash scripts/format.sh           format every file
#   bash scripts/format.sh --check   change nothing; list what is not formatted and exit 1
#                                    (ctest format.check); exit 77 without clang-format
#   CLANG_FORMAT=clang-format-14 bash scripts/format.sh   another binary
set -euo pipefail
cd "$(dirname "$0")/.."
cf=${CLANG_FORMAT:-clang-format}
check=0
case ${1:-} in
--check) check=1 ;;
"") ;;
*) echo "usage: format.sh [--check]" >&2; exit 2 ;;
esac
if ! command -v "$cf" >/dev/null; then
    echo "format: $cf not found (bash scripts/setup.sh installs clang-format)" >&2
    exit 77
fi
# every C file of src/ and tests/, node modules of the render tests aside
mapfile -t files < <(find src tests -path tests/render/node_modules -prune -o \
    -type f \( -name '*.c' -o -name '*.h' \) -print | LC_ALL=C sort)
if ((check)); then
    if ! "$cf" --dry-run --Werror "${files[@]}" 2>"${TMPDIR:-/tmp}/format.$$"; then
        # one line a file, then clang-format's own first lines to show what differs
        grep -oE '^[^:]+\.[ch]:[0-9]+' "${TMPDIR:-/tmp}/format.$$" | cut -d: -f1 | uniq -c |
            awk '{ printf "format: %s: %d place(s) not formatted\n", $2, $1 }'
        head -30 "${TMPDIR:-/tmp}/format.$$"
        rm -f "${TMPDIR:-/tmp}/format.$$"
        echo "format: run 'bash scripts/format.sh' to format the tree ($("$cf" --version))"
        exit 1
    fi
    rm -f "${TMPDIR:-/tmp}/format.$$"
    echo "format: ${#files[@]} files formatted as .clang-format says"
    exit 0
fi
"$cf" -i "${files[@]}"
echo "format: ${#files[@]} files formatted"
