#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check that a report renders data as text: check_markdown.py REPORT.md REPORT.html
(REPORT.html is `cmark-gfm --unsafe -e table -e autolink -e strikethrough` of it, so
raw HTML would pass through). Prints one line per problem; exits 1 if any:
  - an HTML element the templates never make (a link other than to an upstream issue
    of distribution/distribution, an image, emphasis, a strikethrough, raw HTML from
    data, a comment);
  - <strong> other than the templates' own (a bold lead-in at a line's or list item's
    start: fingerprints, "Duration:", "Trigger:", "Time to detect:"; an incomplete
    snapshot's "no"), more than one <h1>;
  - a table row with another number of cells than its header;
  - a control byte other than a line feed in the Markdown;
  - in the Mermaid block: a "%%" directive, or a character Mermaid reads as syntax
    (':', ';', '#', '%', '`', '<', '>', '&', '"') in an event's text once its entity
    codes ("#58;") are taken out.
"""
import html.parser
import re
import sys

ALLOWED = {"code", "h1", "h2", "h3", "li", "p", "pre", "strong", "table", "tbody", "td",
           "th", "thead", "tr", "ul", "ol", "br", "hr", "blockquote"}
# the templates' links to the upstream issues an action item rests on
UPSTREAM = "https://github.com/distribution/distribution/"
problems = []


class Walk(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.rows = []  # (header cells, [cells per body row]) per table
        self.cells = 0
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in ALLOWED and not (tag == "a" and dict(attrs).get("href", "").startswith(UPSTREAM)):
            problems.append("element <%s %s> from data" % (tag, attrs))
        if tag == "table":
            self.rows.append([None, []])
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            self.cells += 1

    def handle_endtag(self, tag):
        if tag == "tr" and self.rows:
            if self.in_head:
                self.rows[-1][0] = self.cells
            else:
                self.rows[-1][1].append(self.cells)

    def handle_comment(self, data):
        problems.append("HTML comment <!--%s-->" % data)


def check_mermaid(md):
    m = re.search(r"^```mermaid\n(.*?)^```$", md, re.S | re.M)
    if not m:
        problems.append("no mermaid block")
        return
    for line in m.group(1).split("\n"):
        if "%%" in line:
            problems.append("mermaid directive: %r" % line)
        if not line.strip() or line.strip().startswith("title ") or line == "timeline":
            continue
        lm = re.match(r"^    (\d{4}-\d\d-\d\d \d\d\.\d\d|between \d{4}-\d\d-\d\d \d\d\.\d\d and "
                      r"(?:\d{4}-\d\d-\d\d )?\d\d\.\d\d| {4}    ) : (.*)$", line) or \
            re.match(r"^( {8}) : (.*)$", line)
        if not lm:
            problems.append("mermaid line: %r" % line)
            continue
        text = re.sub(r"#\d+;", "", lm.group(2))
        bad = set(text) & set(":;#%`<>&\"")
        if bad:
            problems.append("mermaid syntax %s in %r" % (sorted(bad), line))


def main():
    md = open(sys.argv[1], encoding="utf-8").read()
    page = open(sys.argv[2], encoding="utf-8").read()
    w = Walk()
    w.feed(page)
    for head, body in w.rows:
        for n in body:
            if n != head:
                problems.append("table row with %d cells under a header of %d" % (n, head))
    if w.tags.get("h1", 0) != 1:
        problems.append("%d <h1>" % w.tags.get("h1", 0))
    items = len(re.findall(r"^(- (\[ \] )?)?\*\*", md, re.M)) + md.count("| **no** |")
    if w.tags.get("strong", 0) != items:
        problems.append("%d <strong> for %d made by the templates" % (w.tags.get("strong", 0), items))
    for c in set(md):
        if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f:
            problems.append("control byte %r in the Markdown" % c)
    check_mermaid(md)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
