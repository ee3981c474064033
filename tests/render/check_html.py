#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check cmark-gfm's HTML of a Markdown file against what its Markdown source and an
expectation say it must be.

    check_html.py FILE.md FILE.html [EXPECT.json]

Always, for any Markdown regautopsy writes:
  - no <em>, <del>, <img>, and no raw HTML (cmark-gfm prints "<!-- raw HTML omitted -->"
    for it without --unsafe): nothing from the data acts as Markdown or HTML;
  - <strong> only as the first thing of a list item (the templates' bold titles);
  - every table row of the source has as many cells (unescaped '|') as its header,
    and the HTML has the same number of tables and rows as the source;
  - <a> only with an href the expectation lists ("links", exactly, in order).
With EXPECT.json (keys optional):
  "h1", "h2": the headings' texts, exactly, in order;
  "tables": [{"header": [...], "rows": N or absent, "cells": [[row, col, text], ...]}]
      every table's header row, exactly, in order; N body rows; the text of some body
      cells (row and column from 0); "has_rows": body rows that must be there, exactly;
      "find": [[key, col, text], ...]: the first row whose first cell is key has text in
      column col;
  "code": {"mermaid": N, "sh": N}: how many fenced blocks of each language.
Prints each failure on its own line and exits 1 if there is any.
"""
import json
import re
import sys
from html.parser import HTMLParser


class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.tables = []
        self.headings = {"h1": [], "h2": []}
        self.links = []
        self.code = {}
        self.bad = []
        self.text = None  # collecting text of a cell or heading
        self.comments = []
        self.li_first = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("em", "del", "img", "s", "strike", "script", "iframe"):
            self.bad.append("<%s> in the HTML" % tag)
        if tag == "strong" and not self.li_first:
            self.bad.append("<strong> that does not open a list item")
        self.li_first = tag == "li" or (tag == "p" and self.stack and self.stack[-1] == "li")
        if tag == "a":
            self.links.append(a.get("href", ""))
        if tag == "table":
            self.tables.append({"header": [], "rows": []})
        if tag == "tr" and self.tables:
            if "thead" not in self.stack:
                self.tables[-1]["rows"].append([])
        if tag in ("th", "td", "h1", "h2"):
            self.text = []
        if tag == "code" and self.stack and self.stack[-1] == "pre":
            lang = (a.get("class") or "").replace("language-", "")
            self.code[lang] = self.code.get(lang, 0) + 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.text is not None and self.tables:
            cell = "".join(self.text).strip()
            t = self.tables[-1]
            (t["header"] if tag == "th" else t["rows"][-1]).append(cell)
            self.text = None
        if tag in ("h1", "h2") and self.text is not None:
            self.headings[tag].append("".join(self.text).strip())
            self.text = None
        while self.stack:
            if self.stack.pop() == tag:
                break
        self.li_first = False

    def handle_data(self, data):
        if data.strip() and not re.match(r"^\s*\[[ xX]\]\s*$", data):
            self.li_first = False  # a task list's "[ ] " may come before the title
        if self.text is not None:
            self.text.append(data)

    def handle_comment(self, data):
        self.bad.append("HTML comment <!--%s--> (raw HTML from the Markdown)" % data)


def source_tables(md):
    """Per table in the Markdown: the cell count of each row (header first)."""
    out, cur, fence = [], None, None
    for line in md.split("\n"):
        m = re.match(r"^(`{3,}|~{3,})", line)
        if m:
            fence = None if fence and line.startswith(fence) else (fence or m.group(1))
        if fence is None and line.startswith("|"):
            body = re.sub(r"\\.", "", line.strip())  # escaped characters are no pipes
            n = body.count("|") - 1
            if cur is None:
                cur = []
                out.append(cur)
            cur.append(n)
        else:
            cur = None
    return out


def main():
    md_path, html_path = sys.argv[1], sys.argv[2]
    exp = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            exp = json.load(f)
    with open(md_path, encoding="utf-8") as f:
        md = f.read()
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    d = Doc()
    d.feed(html)
    fails = list(d.bad)

    src = source_tables(md)
    for i, rows in enumerate(src):
        # rows[1] is the delimiter row
        for j, n in enumerate(rows):
            if n != rows[0]:
                fails.append("table %d, source row %d: %d cells, header has %d" % (i, j, n, rows[0]))
    if len(src) != len(d.tables):
        fails.append("%d tables in the source, %d in the HTML" % (len(src), len(d.tables)))
    for i, (rows, t) in enumerate(zip(src, d.tables)):
        if len(rows) - 2 != len(t["rows"]):
            fails.append("table %d: %d rows in the source, %d in the HTML" % (i, len(rows) - 2, len(t["rows"])))

    want_links = exp.get("links", [])
    if d.links != want_links:
        fails.append("links %s, expected %s" % (d.links, want_links))
    for h in ("h1", "h2"):
        if h in exp and d.headings[h] != exp[h]:
            fails.append("%s headings %s, expected %s" % (h, d.headings[h], exp[h]))
    if "tables" in exp:
        got = [t["header"] for t in d.tables]
        want = [t["header"] for t in exp["tables"]]
        if got != want:
            fails.append("table headers:\n  got      %s\n  expected %s" % (got, want))
        for i, (et, t) in enumerate(zip(exp["tables"], d.tables)):
            if "rows" in et and et["rows"] != len(t["rows"]):
                fails.append("table %d (%s): %d rows, expected %d" % (i, t["header"][0], len(t["rows"]), et["rows"]))
            for row in et.get("has_rows", []):
                if row not in t["rows"]:
                    fails.append("table %d (%s): no row %s" % (i, "|".join(t["header"]), row))
            for key, c, text in et.get("find", []):
                hit = [r for r in t["rows"] if r and r[0] == key]
                cell = hit[0][c] if hit and c < len(hit[0]) else None
                if cell != text:
                    fails.append("table %d (%s) row %r column %d: %r, expected %r" % (i, "|".join(t["header"]), key, c, cell, text))
            for r, c, text in et.get("cells", []):
                try:
                    cell = t["rows"][r][c]
                except IndexError:
                    cell = None
                if cell != text:
                    fails.append("table %d (%s) row %d column %d: %r, expected %r" % (i, "|".join(t["header"]), r, c, cell, text))
    for lang, n in exp.get("code", {}).items():
        if d.code.get(lang, 0) != n:
            fails.append("%d fenced %s blocks, expected %d" % (d.code.get(lang, 0), lang, n))

    for f in fails:
        print("%s: %s" % (md_path, f))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
