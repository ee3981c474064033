#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Oracle test for src/config/sched/cron.c: random cron expressions, run through cron_driver
(one process, every case on its stdin) and through python3-croniter (Debian's 1.3.5, which
only imports under /usr/bin/python3), must give the same next firings.

Usage: cron_oracle.py PATH/TO/cron_driver

Each expression is valid for croniter. It is asked, in UTC and in Europe/London (zoneinfo)
from its own random start (30% of London starts within two days of a DST change), for the
next STEPS firings, each from a fresh croniter(expr, start).get_next(datetime) whose start
is the previous firing; N_DST_EXPR more, built around the London change hours, run in
London only. The driver runs the croniter dialect; expressions on which both
dialects agree (no `A/S`, no `fri-sun`, same day rule) run again in the vixie dialect
against the same answers.

Where croniter is wrong, a step is not compared with it (each case counted and printed):
  dst     croniter 1.3.5 adds a "DST correction" whenever the UTC offset at its answer
          differs from the one at the start, and it is wrong both ways (with zoneinfo,
          "0 3 * * 0" fires at 02:00 and 03:00 BST on the March change day, "0 0 * * *"
          at 23:00 BST on it; in the repeated October hour it returns times before the
          start). Steps where the offset at croniter's answer or at ours differs from the
          offset at the start are checked against REPLAY below instead.
  or-bug  with both day fields restricted, croniter computes the day-of-month half alone
          and raises CroniterBadDateError when that half never matches ("0 0 30 2 1"),
          though the day-of-week half fires weekly. Only when that half alone raises.
  month-end
          croniter jumps from day x to the next listed day of month d >= x even when d is
          past the month's end, landing on day d - len(month) of the next month and
          skipping the listed days before it: "26 * */6 * *" from 2024-02-29 gives 03-07,
          though croniter.match() agrees that 03-01 00:26 matches. Only when our answer is
          earlier, matches by croniter's own expanded fields, and falls on day k of a month
          whose predecessor is shorter than max(day-of-month) - k.

REPLAY is a minute-by-minute re-enactment of Debian cron's main loop (cron.c: the
virtualTime / timeRunning "wakeupKind" cases, find_jobs' wildcard and fixed-time
classes) started four hours before the start, so it knows about a repeated hour in
progress. It shares no code with cron.c's segment search. To show the replay itself is
faithful, it also runs on every 10th compared London step and must agree with croniter
there.

The run fails on any mismatch, or if fewer than 85% of the steps were compared.
"""

import functools
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from croniter import croniter, CroniterBadDateError

SEED = 20260412
N_EXPR = 10000
N_DST_EXPR = 3000  # extra, London only, see dst_expr()
STEPS = 3
ZONES = ("UTC", "Europe/London")
START_LO = int(datetime(1975, 1, 1, tzinfo=timezone.utc).timestamp())
START_HI = int(datetime(2065, 1, 1, tzinfo=timezone.utc).timestamp())
REPLAY_SPAN = 51 * 366 * 86400  # beyond ra_cron_next's 50-year horizon
SHOW_FAILURES = 10

# (min, max, names) per field; the sets used for matching stop at 6 for day of week
FIELDS = (
    (0, 59, None),
    (0, 23, None),
    (1, 31, None),
    (1, 12, "jan feb mar apr may jun jul aug sep oct nov dec".split()),
    (0, 7, "sun mon tue wed thu fri sat".split()),
)
FULL = (range(0, 60), range(0, 24), range(1, 32), range(1, 13), range(0, 7))
SHORTHANDS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Gen:
    """Random croniter-valid expressions; notes whether the vixie dialect takes them."""

    def __init__(self, rng):
        self.rng = rng
        self.vixie_ok = True

    def value(self, f, lo, hi):
        fmin, _, names = FIELDS[f]
        v = self.rng.randint(lo, hi)
        if names and v - fmin < len(names) and self.rng.random() < 0.3:
            name = names[v - fmin]
            return v, "".join(ch.upper() if self.rng.random() < 0.3 else ch for ch in name)
        return v, str(v)

    def item(self, f):
        fmin, fmax, _ = FIELDS[f]
        r = self.rng.random()
        if r < 0.35:
            return self.value(f, fmin, fmax)[1]
        if r < 0.55:
            a, sa = self.value(f, fmin, fmax)
            return "%s-%s" % (sa, self.value(f, a, fmax)[1])
        if r < 0.70:
            a, sa = self.value(f, fmin, fmax)
            return "%s-%s/%d" % (sa, self.value(f, a, fmax)[1],
                                 self.rng.randint(1, fmax - fmin + 2))
        if r < 0.85:
            return "*/%d" % self.rng.randint(1, max(2, (fmax - fmin) // 2))
        self.vixie_ok = False
        if r < 0.95 or f != 4:
            return "%s/%d" % (self.value(f, fmin, fmax)[1],
                              self.rng.randint(1, max(2, (fmax - fmin) // 2)))
        return "%s-%s" % (self.value(f, 1, 6)[1], self.rng.choice(("sun", "Sun", "0")))

    def field(self, f):
        if self.rng.random() < (0.5 if f >= 2 else 0.25):
            return "*"
        return ",".join(self.item(f) for _ in range(self.rng.choice((1, 1, 1, 2, 3))))

    def expr(self):
        self.vixie_ok = True
        if self.rng.random() < 0.03:
            return self.rng.choice(sorted(SHORTHANDS))
        return " ".join(self.field(f) for f in range(5))


def near_dst_change(rng):
    """A time within two days of a London DST change (01:00Z, last Sunday of Mar/Oct)."""
    year, month = rng.randint(1997, 2060), rng.choice((3, 10))
    last = max(d for d in range(25, 32) if date(year, month, d).weekday() == 6)
    t = int(datetime(year, month, last, 1, tzinfo=timezone.utc).timestamp())
    return t + rng.randint(-2 * 86400, 2 * 86400)


@functools.lru_cache(maxsize=None)
def schedule(expr, dialect):
    return Schedule(expr, dialect)


class Schedule:
    """An expression as croniter expands it, plus each dialect's day rule and Debian's
    wildcard class (minute or hour text starting with '*')."""

    def __init__(self, expr, dialect):
        text = SHORTHANDS.get(expr.lower(), expr).split()
        exp = croniter.expand(expr)[0]
        self.sets = [set(FULL[i]) if e == ["*"] else set(e) for i, e in enumerate(exp)]
        self.doms = [v for v in exp[2] if isinstance(v, int)]
        if dialect == "vixie":
            self.day_or = not text[2].startswith("*") and not text[4].startswith("*")
        else:
            self.day_or = exp[2][0] != "*" and exp[4][0] != "*"
        self.wild = text[0].startswith("*") or text[1].startswith("*")

    def day(self, day, wday):
        dom, dow = day in self.sets[2], wday in self.sets[4]
        return (dom or dow) if self.day_or else (dom and dow)

    def match(self, minute, hour, day, month, wday):
        s = self.sets
        return minute in s[0] and hour in s[1] and month in s[3] and self.day(day, wday)

    def quiet(self, vfirst, n):
        """Can no wall minute in vfirst .. vfirst+n-1 (n = 60 or 1440) match, judging by
        date (and hour, for n = 60) alone?"""
        for v in (vfirst, vfirst + n - 1):
            days, rest = divmod(v, 1440)
            d = date.fromordinal(days + EPOCH_ORDINAL)
            if (d.month in self.sets[3] and self.day(d.day, (days + 4) % 7)
                    and (n > 60 or rest // 60 in self.sets[1])):
                return False
        return True

    def match_wall_minute(self, vtime):
        days, rest = divmod(vtime, 1440)
        d = date.fromordinal(days + EPOCH_ORDINAL)
        return self.match(rest % 60, rest // 60, d.day, d.month, (days + 4) % 7)


def offset(ts, tz):
    return int(datetime.fromtimestamp(ts, tz).utcoffset().total_seconds())


def replay(sched, start, tz, span=REPLAY_SPAN):
    """First time after start that Debian's cron.c main loop runs the job, or None.
    Whole days or hours where the clock runs normally and no date or hour matches are
    stepped over at once; everything else goes minute by minute."""
    def find_jobs(vtime, do_wild, do_fixed):
        return ((do_wild and sched.wild) or (do_fixed and not sched.wild)) and \
            sched.match_wall_minute(vtime)

    t = start // 60 * 60 - 4 * 3600
    virtual = (t + offset(t, tz)) // 60
    while t < start + span:
        o, skip = offset(t, tz), 0
        if virtual == (t + o) // 60:
            skip = next((n for n in (1440, 60)
                         if sched.quiet(virtual + 1, n) and offset(t + n * 60, tz) == o), 0)
        if skip:
            t, virtual = t + skip * 60, virtual + skip
            continue
        t += 60
        running = (t + offset(t, tz)) // 60
        diff, ran = running - virtual, False
        if diff == 1:
            virtual = running
            ran = find_jobs(virtual, True, True)
        elif 0 < diff <= 5:
            while virtual < running:
                virtual += 1
                ran |= find_jobs(virtual, True, True)
        elif 5 < diff <= 180:
            ran = find_jobs(running, True, False)
            while virtual < running:
                virtual += 1
                ran |= find_jobs(virtual, False, True)
        elif -180 < diff <= 0:
            ran = find_jobs(running, True, False)
        else:
            virtual = running
            ran = find_jobs(running, True, True)
        if ran and t > start:
            return t
    return None


def croniter_next(expr, ts, tz):
    try:
        return int(croniter(expr, datetime.fromtimestamp(ts, tz)).get_next(datetime)
                   .timestamp())
    except CroniterBadDateError:
        return "ERR"


def or_bug(expr, ours, theirs, ts, tz):
    f = expr.split()
    return (theirs == "ERR" and isinstance(ours, int) and len(f) == 5
            and croniter_next(" ".join(f[:4] + ["*"]), ts, tz) == "ERR")


def month_end_skip(sched, ours, theirs, tz):
    if not (isinstance(ours, int) and isinstance(theirs, int) and ours < theirs):
        return False
    d = datetime.fromtimestamp(ours, tz)
    prev_len = (d.replace(day=1) - timedelta(days=1)).day
    return (bool(sched.doms) and max(sched.doms) > prev_len + d.day and d.second == 0
            and sched.match(d.minute, d.hour, d.day, d.month, d.isoweekday() % 7))


def dst_expr(rng, gen):
    """Schedules aimed at the London change hours: minute and hour fields from the 01:00
    neighbourhood, fixed-time or wildcard, days mostly unrestricted."""
    minute = rng.choice(("0", "30", "15,45", "*/20", "*/7", "59", "0-5", "*"))
    hour = rng.choice(("1", "0,1", "1,2", "0-2", "2", "0", "*", "*/2", "1-3/2", "0-23"))
    days = rng.choice(("* * *", "* * *", "* * sun", "* * 0", "*/2 * *", "25-31 3,10 *"))
    gen.vixie_ok = True
    return "%s %s %s" % (minute, hour, days)


def make_cases(rng):
    gen, cases = Gen(rng), []
    for i in range(N_EXPR + N_DST_EXPR):
        expr = gen.expr() if i < N_EXPR else dst_expr(rng, gen)
        vixie = gen.vixie_ok and (schedule(expr, "vixie").day_or ==
                                  schedule(expr, "croniter").day_or)
        for zone in ZONES if i < N_EXPR else ("Europe/London",):
            if zone != "UTC" and (i >= N_EXPR or rng.random() < 0.3):
                start = near_dst_change(rng)
            else:
                start = rng.randint(START_LO, START_HI)
            cases.append((expr, start, zone, vixie))
    return cases


def run_driver(driver, lines):
    out = subprocess.run([driver], input="".join(lines), capture_output=True, text=True,
                         check=True).stdout.splitlines()
    if len(out) != len(lines):
        sys.exit("driver printed %d lines for %d cases" % (len(out), len(lines)))
    return out


def parse_ours(line):
    head, sep, msg = line.partition("ERR")
    return [int(x) for x in head.split()] + (["ERR " + msg.strip()] if sep else [])


def fmt(v):
    if isinstance(v, int):
        return datetime.fromtimestamp(v, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v


class Tally:
    def __init__(self):
        self.passed = self.failed = self.or_bug = self.month_end = 0
        self.replay_passed = self.replay_sanity = 0
        self.steps = 0
        self.failures = []

    def fail(self, what):
        self.failed += 1
        if len(self.failures) < SHOW_FAILURES:
            self.failures.append(what)


def check_dst_step(sched, what, prev, theirs, ours, tz, tally):
    want = replay(sched, prev, tz)
    if want == ours or (want is None and isinstance(ours, str)):
        tally.replay_passed += 1
    else:
        tally.fail("%s: Debian replay %s, ours %s (croniter %s)"
                   % (what, fmt(want), fmt(ours), fmt(theirs)))


def compare(case, dialect, ours, theirs, tally):
    """Compare one chain; theirs is croniter's, filled lazily, shared by both dialects."""
    expr, start, zone, _ = case
    tz = ZoneInfo(zone) if zone != "UTC" else timezone.utc
    sched, prev = schedule(expr, dialect), start
    for k in range(STEPS):
        tally.steps += 1
        if k == len(theirs):
            theirs.append(croniter_next(expr, prev, tz))
        c, o = theirs[k], ours[k] if k < len(ours) else "ERR (chain ended)"
        what = "%s %r from %s in %s" % (dialect, expr, fmt(prev), zone)
        if zone != "UTC" and any(isinstance(x, int) and offset(x, tz) != offset(prev, tz)
                                 for x in (c, o)):
            return check_dst_step(sched, what, prev, c, o, tz, tally)
        if or_bug(expr, o, c, prev, tz):
            tally.or_bug += 1
            return
        if month_end_skip(sched, o, c, tz):
            tally.month_end += 1
            return
        if c == "ERR" and isinstance(o, str) and o.startswith("ERR"):
            tally.passed += 1
            return
        if c != o:
            return tally.fail("%s: croniter %s, ours %s" % (what, fmt(c), fmt(o)))
        tally.passed += 1
        if zone != "UTC" and tally.passed % 10 == 0:
            want = replay(sched, prev, tz)
            if want != c:
                return tally.fail("%s: croniter and ours %s, replay %s (replay is wrong)"
                                  % (what, fmt(c), fmt(want)))
            tally.replay_sanity += 1
        prev = c


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: cron_oracle.py PATH/TO/cron_driver")
    t0 = time.monotonic()
    cases = make_cases(random.Random(SEED))
    vixie_idx = [i for i, c in enumerate(cases) if c[3]]
    lines = ["%s\t%d\t%s\t%d\n" % (e, s, z, STEPS) for e, s, z, _ in cases]
    lines += ["%s\t%d\t%s\t%d\tvixie\n" % (cases[i][:3] + (STEPS,)) for i in vixie_idx]
    out = run_driver(sys.argv[1], lines)

    tally = Tally()
    chains = [[] for _ in cases]
    for i, case in enumerate(cases):
        compare(case, "croniter", parse_ours(out[i]), chains[i], tally)
    for j, i in enumerate(vixie_idx):
        compare(cases[i], "vixie", parse_ours(out[len(cases) + j]), chains[i], tally)

    compared = tally.passed + tally.failed
    print("%d expressions, %d cases (%d again in the vixie dialect), %d steps, %.1f s"
          % (N_EXPR + N_DST_EXPR, len(cases), len(vixie_idx), tally.steps, time.monotonic() - t0))
    print("croniter: %d passed; not compared: %d or-bug, %d month-end"
          % (tally.passed, tally.or_bug, tally.month_end))
    print("dst steps: %d passed against the Debian replay, which agreed with croniter"
          " on %d sampled steps" % (tally.replay_passed, tally.replay_sanity))
    print("%d passed, %d failed" % (tally.passed + tally.replay_passed, tally.failed))
    for f in tally.failures:
        print("  " + f)
    if tally.failed:
        return 1
    if compared + tally.replay_passed < 0.85 * tally.steps:
        print("too few comparisons: %d of %d steps"
              % (compared + tally.replay_passed, tally.steps))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
