#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Extract the sh code blocks of a Markdown report: sh_blocks.py REPORT.md OUTDIR
writes OUTDIR/0.sh, 1.sh, ... and prints their count. A block opens with a line of
three or more backticks followed by "sh" and closes at the next line that is exactly
the same fence, as CommonMark reads it (a longer fence is not closed by a shorter
run). Exits 1 when a block is not closed, or holds a run of backticks as long as its
fence (data could close it)."""
import os
import re
import sys


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
    out = sys.argv[2]
    n = 0
    i = 0
    while i < len(lines):
        m = re.match(r"^(`{3,})sh$", lines[i])
        if m:
            fence = m.group(1)
            body = []
            i += 1
            while i < len(lines) and not re.match("^%s`*\\s*$" % fence, lines[i]):
                body.append(lines[i])
                i += 1
            if i == len(lines):
                print("unclosed sh block", file=sys.stderr)
                sys.exit(1)
            runs = [len(r) for r in re.findall("`+", "\n".join(body))]
            if runs and max(runs) >= len(fence):
                print("sh block %d: a run of %d backticks inside a fence of %d"
                      % (n, max(runs), len(fence)), file=sys.stderr)
                sys.exit(1)
            with open(os.path.join(out, "%d.sh" % n), "w", encoding="utf-8") as f:
                f.write("\n".join(body) + "\n")
            n += 1
        i += 1
    print(n)


if __name__ == "__main__":
    main()
