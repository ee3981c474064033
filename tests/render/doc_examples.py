#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run the examples of a document and check their documented outcome.

    doc_examples.py [--map FROM=TO]... DOC WORKDIR

DOC is Markdown (README.md, docs/*.md) or a man page (*.1). Its examples are
  - in Markdown: fenced ```console blocks;
  - in a man page: .EX/.EE blocks whose first line starts with "$ " (roff escapes
    \\-, \\e, \\(aq, \\[u2026] and \\& read as "-", "\\", "'", "…" and nothing).
In a block, a line starting with "$ " is a command (a trailing backslash continues it on
the next lines); the lines up to the next command are what it prints, stdout and stderr
together. "…" in a line stands for any text; a line that is only "…" for any number of
lines; otherwise every line must match, in order, and nothing else may be printed.
"$ echo $?" shows the exit code of the command before it.

All blocks of a document run in order in one bash session in WORKDIR, so variables and
files carry over. --map FROM=TO rewrites FROM to TO in the commands before they run (an
absolute path in a document, such as /volume1, made inside the scratch directory).
Prints each command with "ok" or what differs; exits 1 if any differs.
"""
import os
import re
import subprocess
import sys

ROFF = [("\\-", "-"), ("\\(aq", "'"), ("\\[u2026]", "…"), ("\\&", ""), ("\\e", "\\")]


def roff_text(line):
    out, i = [], 0
    while i < len(line):
        for a, b in ROFF:
            if line.startswith(a, i):
                out.append(b)
                i += len(a)
                break
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def blocks(path):
    """[(line number, [lines])] of the document's example blocks."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    man = path.endswith(".1")
    while i < len(lines):
        if man and lines[i].startswith(".EX"):
            j, body = i + 1, []
            while j < len(lines) and not lines[j].startswith(".EE"):
                body.append(roff_text(lines[j]))
                j += 1
            if body and body[0].startswith("$ "):
                out.append((i + 1, body))
            i = j
        elif not man and re.match(r"^(```+|~~~+)console\s*$", lines[i]):
            fence = re.match(r"^(```+|~~~+)", lines[i]).group(1)
            j, body = i + 1, []
            while j < len(lines) and not lines[j].startswith(fence):
                body.append(lines[j])
                j += 1
            out.append((i + 1, body))
            i = j
        i += 1
    return out


def commands(body, line):
    """[(line, command, [expected lines])]"""
    out = []
    i = 0
    while i < len(body):
        if not body[i].startswith("$ "):
            raise SystemExit("%d: output before any command: %r" % (line + i + 1, body[i]))
        cmd, at = body[i][2:], line + i + 1
        while cmd.endswith("\\") and i + 1 < len(body):
            i += 1
            cmd = cmd + "\n" + body[i]
        i += 1
        exp = []
        while i < len(body) and not body[i].startswith("$ "):
            exp.append(body[i])
            i += 1
        out.append((at, cmd, exp))
    return out


def line_re(pat):
    return re.compile("^" + ".*".join(re.escape(p) for p in pat.rstrip().split("…")) + "$")


def matches(exp, got):
    """Does got (lines) match exp (patterns)?"""
    while exp and not exp[-1].strip():
        exp = exp[:-1]
    while got and not got[-1].strip():
        got = got[:-1]
    pats = [None if e.strip() == "…" else line_re(e) for e in exp]
    memo = {}

    def m(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(pats):
            r = j == len(got)
        elif pats[i] is None:
            r = m(i + 1, j) or (j < len(got) and m(i, j + 1))
        else:
            r = j < len(got) and bool(pats[i].match(got[j].rstrip())) and m(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    sys.setrecursionlimit(100000)
    return m(0, 0)


def main():
    args = sys.argv[1:]
    maps = []
    while args and args[0] == "--map":
        a, b = args[1].split("=", 1)
        maps.append((a, b))
        args = args[2:]
    doc, wd = args
    cmds = []
    for line, body in blocks(doc):
        cmds += commands(body, line)
    if not cmds:
        print("%s: no examples" % doc)
        return 1
    outdir = os.path.join(wd, ".doc-examples")
    os.makedirs(outdir, exist_ok=True)
    script = ["cd %s || exit 2" % shquote(wd), "last=0"]
    for n, (_, cmd, _) in enumerate(cmds):
        for a, b in maps:
            cmd = cmd.replace(a, b)
        script.append("( exit $last ); {\n%s\n} >%s/%d.out 2>&1 </dev/null; last=$?" % (cmd, shquote(outdir), n))
    subprocess.run(["bash", "-c", "\n".join(script) + "\n"], check=False)
    bad = 0
    for n, (line, cmd, exp) in enumerate(cmds):
        with open(os.path.join(outdir, "%d.out" % n), encoding="utf-8", errors="replace") as f:
            got = f.read().split("\n")
        first = cmd.split("\n")[0]
        if matches(exp, got):
            print("%s:%d: ok: $ %s" % (doc, line, first))
        else:
            bad += 1
            print("%s:%d: FAIL: $ %s" % (doc, line, cmd))
            print("  documented:\n" + "".join("    | %s\n" % e for e in exp), end="")
            print("  printed:\n" + "".join("    | %s\n" % g for g in got[:60]), end="")
    return 1 if bad else 0


def shquote(s):
    return "'" + s.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    sys.exit(main())
