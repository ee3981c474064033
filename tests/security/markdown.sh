#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Markdown renders data as text: a report made from hostile storage, a config repo whose
# job names, commands, author and commit message carry HTML, links, emphasis and Mermaid
# directives, an access log with such URIs, and a hostile --title, rendered by
# cmark-gfm (GitHub's renderer, raw HTML let through) has no element, link, image,
# emphasis or comment from data, keeps every table row whole, has no control byte, and
# its Mermaid diagram holds no directive or syntax from data (check_markdown.py). The
# hostile names are shown literally. The bundled sample passes the same checks.
#
#   bash tests/security/markdown.sh REGAUTOPSY SOURCE_DIR
set -u
BIN=$(realpath "$1")
SRC=$(realpath "$2")
PY=/usr/bin/python3
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

command -v cmark-gfm >/dev/null || { echo "SKIP: cmark-gfm not installed (scripts/setup.sh)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EV="$T/ev"
mkdir "$EV"
"$PY" "$SRC/tests/security/make_storage.py" "$EV" || { echo "FAIL: make_storage.py"; exit 1; }
render() { cmark-gfm --unsafe -e table -e autolink -e strikethrough "$1" > "$2"; }

# hostile evidence
(cd "$EV" && "$BIN" report -q snaps/old* snaps/new* --config config --log access.log \
    --title '# <script>x</script> [a](http://evil.example) *t* @team www.evil.example a@evil.example' -o "$T/r.md" 2> "$T/err")
[ $? -eq 1 ] || fail "report exit code is not 1"
! grep -q 'Sanitizer\|runtime error' "$T/err" || fail "sanitizer: $(head -5 "$T/err")"
render "$T/r.md" "$T/r.html"
"$PY" "$SRC/tests/security/check_markdown.py" "$T/r.md" "$T/r.html" || fail "hostile report"
# the names are shown as they are (an e-mail address with a word joiner before its '@')
WJ=$(printf '\342\201\240')
for want in '<h3>ok:&lt;img src=x onerror=alert(1)&gt;</h3>' \
            '<h3>ok:*em* _u_ ~~s~~ !x</h3>' \
            '<h3>md:`code` |pipe| &amp;amp; @team #1</h3>' \
            '<h3>ok:nl\x0ax</h3>' \
            '<h3>esc\x1b[31m:red</h3>' \
            '<h1># &lt;script&gt;x&lt;/script&gt; [a](http://evil.example) *t* @team www.evil.example a'"$WJ"'@evil.example</h1>'; do
    grep -qF "$want" "$T/r.html" || fail "not shown literally: $want"
done
grep -qF '<td><code>registry garbage-collect -m /etc/r.yml &lt;img src=x&gt; [l](http://evil.example) *em* `tick` | pipe %%{init}%% # hash</code></td>' "$T/r.html" ||
    fail "the job's command is not one code span"
grep -q 'name_invalid' "$T/r.html" || fail "no name_invalid finding"

# the sample incident
(cd "$SRC" && "$BIN" report -q samples/incident-2026-04/registry-2026-04-1*.tar.gz -o "$T/s.md")
render "$T/s.md" "$T/s.html"
"$PY" "$SRC/tests/security/check_markdown.py" "$T/s.md" "$T/s.html" || fail "sample report"

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "markdown: ok"
