#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every ```mermaid block parsed by Mermaid's own parser (mermaid.mjs: the npm package
# under node, with jsdom): the sample's report made now, the committed sample, the
# golden cases' Markdown, README.md and docs/*.md. The report's timeline diagrams also
# keep regautopsy's rules (labels of at most 40 characters, ':' and '#' as entity
# codes, periods in time order). Blocks built to break the parser and each rule must
# fail. Skipped (77) when node or tests/render/node_modules is missing: bash
# scripts/setup.sh installs them.
#
#   bash tests/render/mermaid.sh REGAUTOPSY SOURCE_DIR
# shellcheck source=tests/render/common.bash
. "$(dirname "$0")/common.bash"
need node
if [ ! -d "$HERE/node_modules/mermaid" ] || [ ! -d "$HERE/node_modules/jsdom" ]; then
    echo "SKIP: $HERE/node_modules lacks mermaid or jsdom (bash scripts/setup.sh installs them)" >&2
    exit 77
fi

mjs() {
    node "$HERE/mermaid.mjs" "$@" >"$tmp/mjs.out" 2>&1
}

files=()
make_sample "$tmp/postmortem.md" && files+=("$tmp/postmortem.md")
while read -r _ file; do
    files+=("$SRC/$file")
done < <(markdown_goldens)
mjs --timeline-rules "${files[@]}" || fail "$(cat "$tmp/mjs.out")"
grep -q "^$tmp/postmortem.md:[0-9]*: ok (timeline)$" "$tmp/mjs.out" ||
    fail "the sample report has no timeline diagram that parses"

docs=()
for f in "$SRC"/README.md "$SRC"/docs/*.md; do
    grep -Eq '^(```|~~~)[[:space:]]*mermaid' "$f" && docs+=("$f")
done
if [ "${#docs[@]}" -gt 0 ]; then
    mjs "${docs[@]}" || fail "$(cat "$tmp/mjs.out")"
fi

# The check fails on a block Mermaid cannot parse (':' in a period, an event with no
# text), and on each rule broken in a block that parses.
printf '%s\n' '# broken' '```mermaid' 'timeline' '    title x' '    2026-04-12 03:25 : gc ran' \
    '    2026-04-12 04.00 : ' '```' >"$tmp/broken.md"
if ! mjs --expect-fail "$tmp/broken.md" || ! grep -q 'Parse error' "$tmp/mjs.out"; then
    fail "a block Mermaid cannot parse was not reported: $(cat "$tmp/mjs.out")"
fi
printf '%s\n' '```mermaid' 'timeline' '    title x' \
    '    2026-04-12 03.25 : a label that is much longer than forty characters' \
    '    2026-04-12 01.00 : before the one above' \
    '    2026-04-12 05.00 : pipeline #313 stripped' '```' >"$tmp/rules.md"
mjs --timeline-rules --expect-fail "$tmp/rules.md"
for want in 'label longer than 40' 'out of time order' "raw ':', '#' or ';'"; do
    grep -q "$want" "$tmp/mjs.out" || fail "rules: no failure '$want': $(cat "$tmp/mjs.out")"
done
finish
