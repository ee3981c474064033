#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The post-mortems rendered by cmark-gfm (GitHub's renderer) with its table extension:
# the sample's report made now, the committed sample, and every golden case whose
# command is `report`. check_html.py asserts on the HTML: exact headings, the exact
# header row of every table and some exact cells per section (expect/*.json), as many
# cells in every row as its header, no <em>, <del>, <img> or raw HTML, bold only as a
# list item's title, links only those expected (the upstream issues). A document built
# to break each rule must fail the same check.
#
#   bash tests/render/cmark.sh REGAUTOPSY SOURCE_DIR
# shellcheck source=tests/render/common.bash
. "$(dirname "$0")/common.bash"
need cmark-gfm

# render MD [EXPECT]
render() {
    local html
    html=$tmp/$(basename "$1").html
    if ! cmark-gfm -e table "$1" >"$html"; then
        fail "cmark-gfm cannot render $1"
        return
    fi
    /usr/bin/python3 "$HERE/check_html.py" "$1" "$html" "${@:2}" >"$tmp/check.out" 2>&1 ||
        fail "$(cat "$tmp/check.out")"
}

make_sample "$tmp/postmortem.md" && render "$tmp/postmortem.md" "$HERE/expect/postmortem.json"
while read -r case file; do
    exp=$HERE/expect/golden-$case.json
    [ "$case" = sample-report ] && exp=$HERE/expect/postmortem.json
    if [ -f "$exp" ]; then
        render "$SRC/$file" "$exp"
    else
        render "$SRC/$file"
    fi
done < <(markdown_goldens)

# the check fails on what it must catch
cat >"$tmp/broken.md" <<'MD'
# T

| a | b |
|---|---|
| *emphasis* | [link](http://example.com) |
| a \| b | c | d |
| <b>raw</b> | **bold** |
MD
cmark-gfm -e table "$tmp/broken.md" >"$tmp/broken.html"
/usr/bin/python3 "$HERE/check_html.py" "$tmp/broken.md" "$tmp/broken.html" \
    "$HERE/expect/postmortem.json" >"$tmp/broken.out"
rc=$?
for want in '<em> in the HTML' 'links \[.http://example.com.\], expected' \
    'source row 3: 3 cells, header has 2' 'raw HTML' '<strong> that does not open' \
    'h2 headings \[\], expected' 'table headers:'; do
    grep -q -- "$want" "$tmp/broken.out" || fail "the broken document: no failure matching '$want'"
done
[ "$rc" = 1 ] || fail "the broken document: check exited $rc, expected 1"
finish
