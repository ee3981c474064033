#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Oracle test for src/config/calendar*.c: random OnCalendar= expressions, run through
calendar_driver (one process, every case on its stdin) and through `systemd-analyze
calendar --iterations=3 --base-time=@START` (Debian's systemd), must give the same
normalized form and the same next three elapses, be rejected by both, or make both give
up ("Infinite loop in calendar calculation", which systemd-analyze reports for the
whole expression, so then only the giving up is compared).

Usage: calendar_oracle.py PATH/TO/calendar_driver

Expressions come in batches that share a start time and a unit zone (UTC or
Europe/London, passed to systemd-analyze as TZ and to the driver as its tz argument);
each batch is one systemd-analyze process. 40% of the starts fall within two days of a
Europe/London DST change, so spring-forward gaps and repeated hours are crossed often.
Some expressions name their own zone (UTC, Europe/London, America/New_York,
Australia/Lord_Howe with its half-hour DST, Asia/Kolkata). About one in eight is
invalid on purpose (out-of-range values, `*` with a repetition, backwards ranges).

RA_ORACLE_SEED, RA_ORACLE_BATCHES and RA_ORACLE_ZONES (space-separated) override the
seed, the number of batches (160) and the unit zones, for longer runs by hand.

Exits 77 (skipped) without systemd-analyze; fails on any difference, if
systemd-analyze lacks --base-time, or if fewer than 50 chains crossed a UTC offset
change.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SEED = int(os.environ.get("RA_ORACLE_SEED", "20260412"))
N_BATCHES = int(os.environ.get("RA_ORACLE_BATCHES", "160"))
BATCH = 12
STEPS = 3
ZONES = tuple(os.environ.get("RA_ORACLE_ZONES", "UTC Europe/London").split())
EXPR_ZONES = ("UTC", "utc", "Europe/London", "America/New_York", "Australia/Lord_Howe",
              "Asia/Kolkata")
START_LO = int(datetime(2019, 1, 1, tzinfo=timezone.utc).timestamp())
START_HI = int(datetime(2045, 1, 1, tzinfo=timezone.utc).timestamp())
SHOW_FAILURES = 15
SKIP = 77  # ctest's SKIP_RETURN_CODE
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORTHANDS = ("minutely", "hourly", "daily", "weekly", "monthly", "yearly", "annually",
              "quarterly", "semiannually", "semi-annually", "Daily", "WEEKLY")


class Gen:
    """Random calendar expressions, mostly valid, in the forms timer units use."""

    def __init__(self, rng):
        self.rng = rng

    def item(self, lo, hi, width, bad=False):
        r = self.rng
        if bad and r.random() < 0.5:
            return str(hi + r.randint(1, 5))
        a = r.randint(lo, hi)
        fmt = lambda v: str(v).zfill(width) if r.random() < 0.6 else str(v)
        k = r.random()
        if k < 0.45:
            return fmt(a)
        if k < 0.65:
            return "%s..%s" % (fmt(a), fmt(r.randint(a, hi)))
        if k < 0.85:
            rep = r.randint(1, max(1, (hi - a) // 2 or 1))
            return "%s/%d" % (fmt(a), rep)
        b = r.randint(a, hi)
        return "%s..%s/%d" % (fmt(a), fmt(b), r.randint(1, max(1, hi - lo)))

    def chain(self, lo, hi, width, star=0.4, bad=False):
        r = self.rng
        if not bad and r.random() < star:
            return "*"
        n = r.choice((1, 1, 1, 2, 3))
        items = [self.item(lo, hi, width, bad and i == 0) for i in range(n)]
        return ",".join(items)

    def weekdays(self):
        r = self.rng

        def name(d):
            s = DAYS[d] if r.random() < 0.2 else DAYS[d][:3]
            return r.choice((s, s.lower(), s.upper(), s))

        parts, d = [], r.randint(0, 6)
        while d < 7 and len(parts) < 3:
            if r.random() < 0.4 and d < 6:
                e = r.randint(d + 1, 6)
                parts.append("%s%s%s" % (name(d), r.choice(("..", "..", "-")), name(e)))
                d = e + 2
            else:
                parts.append(name(d))
                d += r.randint(1, 3)
        return ",".join(parts)

    def date(self):
        r = self.rng
        k = r.random()
        if k < 0.3:
            return "*-*-*"
        eom = r.random() < 0.1
        month = self.chain(1, 12, 2, star=0.6)
        day = self.chain(1, 28 if eom else 31, 2, star=0.4)
        sep = "~" if eom else "-"
        if k < 0.6:
            return "%s%s%s" % (month, sep, day)
        year = "*" if r.random() < 0.6 else self.chain(2019, 2045, 4, star=0)
        if year != "*" and r.random() < 0.15:
            year = str(r.randint(19, 45))
        return "%s-%s%s%s" % (year, month, sep, day)

    def time(self):
        r = self.rng
        h = self.chain(0, 23, 2, star=0.3)
        m = self.chain(0, 59, 2, star=0.2)
        if r.random() < 0.5:
            return "%s:%s" % (h, m)
        return "%s:%s:%s" % (h, m, self.chain(0, 59, 2, star=0.2))

    def invalid(self):
        r = self.rng
        k = r.random()
        if k < 0.25:
            return "*-*-* %s:00" % self.chain(0, 23, 2, bad=True)
        if k < 0.45:
            return "*:*/%d" % r.randint(1, 30)
        if k < 0.6:
            return "%s..%s 12:00" % (DAYS[r.randint(4, 6)][:3], DAYS[r.randint(0, 3)][:3])
        if k < 0.75:
            return "*-%s-01" % self.chain(1, 12, 2, bad=True)
        if k < 0.9:
            return "*:%d/%d" % (r.randint(40, 59), r.randint(20, 40))
        return "Sun *-*-* 03:25 Europe/Nowhere"

    def expr(self):
        r = self.rng
        if r.random() < 0.12:
            return self.invalid()
        if r.random() < 0.06:
            s = r.choice(SHORTHANDS)
        else:
            parts = []
            if r.random() < 0.3:
                parts.append(self.weekdays())
            if r.random() < 0.65:
                parts.append(self.date())
            if r.random() < 0.85 or not parts:
                parts.append(self.time())
            s = " ".join(parts)
        if r.random() < 0.12:
            s += " " + r.choice(EXPR_ZONES)
        return s


def near_dst_change(rng):
    """A time within two days of a London DST change (01:00Z, last Sunday of Mar/Oct)."""
    year, month = rng.randint(2019, 2044), rng.choice((3, 10))
    last = max(d for d in range(25, 32) if date(year, month, d).weekday() == 6)
    t = int(datetime(year, month, last, 1, tzinfo=timezone.utc).timestamp())
    return t + rng.randint(-2 * 86400, 2 * 86400)


ELAPSE = re.compile(r"(?:Next elapse|Iter\. #\d+|\(in UTC\)):\s+(.*)$")
STAMP = re.compile(r"\w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$")


def systemd(exprs, start, zone):
    """{expr: ("invalid",) | ("gave up",) | ("ok", normalized, [epoch...], False)}."""
    proc = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=%d" % STEPS,
         "--base-time=@%d" % start, "--"] + exprs,
        capture_output=True, text=True,
        env={"TZ": zone, "LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    out = {}
    # one block per expression, blocks separated by blank lines; "Original form" is
    # left out when it equals the normalized form
    for block in proc.stdout.split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        fields = dict(line.split(": ", 1) for line in lines[:2] if ": " in line)
        norm = fields.get("Normalized form")
        if norm is None:
            continue
        elapses = []
        for line in lines:
            m = ELAPSE.match(line)
            stamp = STAMP.match(m.group(1)) if m else None
            if not stamp:
                continue  # "never", or local time with the "(in UTC)" line after it
            t = int(datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S")
                    .replace(tzinfo=timezone.utc).timestamp())
            if not elapses or elapses[-1] != t:
                elapses.append(t)
        out[fields.get("Original form", norm)] = ("ok", norm, elapses, False)
    for line in proc.stderr.splitlines():
        m = re.match(r"Failed to parse calendar specification '(.*)': ", line)
        if m:
            out[m.group(1)] = ("invalid",)
        # "Infinite loop in calendar calculation", after the iterations it printed
        # "Infinite loop in calendar calculation" at any of the iterations: it then
        # prints nothing on stdout for the expression
        m = re.match(r"Failed to (?:calculate|determine) next elapse for '(.*)': ", line)
        if m:
            out[m.group(1)] = ("gave up",)
    return out


def ours(driver, cases):
    lines = ["%s\t%d\t%s\t%d\n" % (e, s, z, STEPS) for e, s, z in cases]
    res = subprocess.run([driver], input="".join(lines), capture_output=True, text=True,
                         check=True).stdout.splitlines()
    if len(res) != len(lines):
        sys.exit("driver printed %d lines for %d cases" % (len(res), len(lines)))
    out = []
    for line in res:
        if line.startswith("ERR "):
            out.append(("invalid", line[4:]))
            continue
        norm, _, rest = line.partition("\t")
        head, sep, msg = rest.partition("ERR")
        out.append(("ok", norm, [int(x) for x in head.split()], msg.strip() if sep else ""))
    return out


def crosses_offset_change(expr, zone, start, elapses):
    """Does the chain start -> elapses cross a UTC offset change of the zone in force?"""
    last = expr.rsplit(" ", 1)[-1] if " " in expr else ""
    name = last if last in EXPR_ZONES else zone
    if name.upper() == "UTC":
        return False
    tz = ZoneInfo(name)
    offsets = {datetime.fromtimestamp(t, tz).utcoffset() for t in [start] + elapses}
    return len(offsets) > 1


def fmt(ts):
    return " ".join(datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                    for t in ts) or "never"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: calendar_oracle.py PATH/TO/calendar_driver")
    if not shutil.which("systemd-analyze"):
        print("skipped: systemd-analyze not found (Debian package systemd)")
        return SKIP
    help_text = subprocess.run(["systemd-analyze", "--help"], capture_output=True,
                               text=True).stdout
    if "--base-time" not in help_text:
        sys.exit("this systemd-analyze has no --base-time")
    t0 = time.monotonic()
    rng = random.Random(SEED)
    gen = Gen(rng)
    batches = []
    for _ in range(N_BATCHES):
        start = near_dst_change(rng) if rng.random() < 0.4 else rng.randint(START_LO, START_HI)
        zone = rng.choice(ZONES)
        exprs = list(dict.fromkeys(gen.expr() for _ in range(BATCH)))
        batches.append((start, zone, exprs))
    cases = [(e, s, z) for s, z, exprs in batches for e in exprs]
    mine = ours(sys.argv[1], cases)

    passed = failed = invalid = gave_up = elapses = dst = 0
    failures = []
    k = 0
    for start, zone, exprs in batches:
        theirs = systemd(exprs, start, zone)
        for e in exprs:
            o, t = mine[k], theirs.get(e, ("missing",))
            k += 1
            if o[0] == "invalid":
                o = ("invalid",)
            elif "systemd gives up" in o[3]:
                o = ("gave up",)
            else:
                o = o[:3] + (False,)
            if o == t:
                passed += 1
                invalid += o[0] == "invalid"
                gave_up += o[0] == "gave up"
                if o[0] == "ok":
                    elapses += len(o[2])
                    dst += crosses_offset_change(e, zone, start, o[2])
                continue
            failed += 1
            show = lambda r: r[0] if r[0] != "ok" else "%s [%s]" % (r[1], fmt(r[2]))
            failures.append("%r from %s in %s: systemd %s, ours %s"
                            % (e, fmt([start]), zone, show(t), show(o)))
    total = len(cases)
    print("%d expressions in %d batches, %d elapses compared, %.1f s"
          % (total, len(batches), elapses, time.monotonic() - t0))
    print("%d passed (%d rejected by both, %d where both give up, %d chains across a UTC"
          " offset change), %d failed" % (passed, invalid, gave_up, dst, failed))
    for f in failures[:SHOW_FAILURES]:
        print("  " + f)
    if failed:
        return 1
    if dst < 50:
        print("too few chains across an offset change: %d" % dst)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
