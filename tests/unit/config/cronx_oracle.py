#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Oracle test for src/config/sched/cronx.c (the cron dialects of ofelia/robfig, Quartz, AWS
EventBridge and Nomad): random expressions in each dialect, run through cronx_driver
(one process, every case on its stdin) and through python3-croniter (Debian's 1.3.5,
which only imports under /usr/bin/python3), must give the same next firings.

croniter takes "MIN HOUR DOM MON DOW [SEC]": the seconds field goes LAST. This script
rewrites each dialect into that form by itself (it shares no code with cronx.c):
  - the seconds field (robfig's and Quartz's first, Nomad's first of seven) moves to
    the end;
  - `?` becomes `*`;
  - Quartz and EventBridge number the days of the week 1-7 from Sunday: each number
    n becomes n - 1 (`A/S` becomes `A-1`-6/S); names are kept;
  - a year field (Quartz's 7th, EventBridge's 6th, Nomad's last) is not croniter's:
    croniter's firings are filtered here by year, restarting croniter at the next
    allowed year when a firing falls in a year not listed.
Zones: UTC, Asia/Tokyo and Asia/Kolkata (no daylight-saving change after 1951;
croniter's DST handling is wrong, see cron_oracle.py, and cron.c's own DST rules are
tested there). Starts are random between 1990 and 2060.

Not generated: `A/S` in robfig's and Nomad's day of week, where croniter runs to 7
(Sunday again: "4/3" is Thursday and Sunday) but robfig and cronexpr stop at 6 ("4/3"
is Thursday only); tests/unit/config/test_cronx.c pins that case.

Day rule: with both day fields restricted, robfig and cronexpr (and cron) fire when
either matches, as croniter does, except that croniter calls a field covering its whole
range unrestricted; the generator never writes such a field other than as `*`/`?`.
Quartz and EventBridge need `?` in one day field: the generator always puts one there.

Cases croniter cannot answer (it raises CroniterBadDateError for a day-of-month that
never comes, e.g. "30 2") are skipped and counted; the run fails on any mismatch, or if
fewer than 90% of the cases were compared.
"""

import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from croniter import croniter, CroniterBadDateError, CroniterBadCronError

SEED = 20261207
N_PER_FLAVOR = 1500
STEPS = 4
ZONES = ("UTC", "Asia/Tokyo", "Asia/Kolkata")
START_LO = int(datetime(1990, 1, 1, tzinfo=timezone.utc).timestamp())
START_HI = int(datetime(2060, 1, 1, tzinfo=timezone.utc).timestamp())

MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DAYS = "SUN MON TUE WED THU FRI SAT".split()


def item(rng, lo, hi, names=None, names_base=0, no_open_step=False):
    """One list item of a field with values lo..hi."""
    kind = rng.randrange(5 if no_open_step else 6)
    if no_open_step and kind == 4:
        kind = 5
    a = rng.randint(lo, hi)
    b = rng.randint(a, hi)
    s = rng.randint(1, max(1, (hi - lo) // 2))
    if names and rng.random() < 0.3:
        fa, fb = names[a - names_base], names[b - names_base]
    else:
        fa, fb = str(a), str(b)
    return [f"{fa}", f"{fa}-{fb}", f"*/{s}", f"{a}-{b}/{s}", f"{a}/{s}", f"{fa}"][kind]


def field(rng, lo, hi, star=0.3, names=None, names_base=0, no_open_step=False):
    if rng.random() < star:
        return "*"
    return ",".join(item(rng, lo, hi, names, names_base, no_open_step)
                    for _ in range(rng.randint(1, 3)))


def expand(text, lo, hi, names=None, names_base=0):
    """The set of values of a field (for the generator's checks only)."""
    out = set()
    for it in text.split(","):
        step = 1
        if "/" in it:
            it, st = it.split("/")
            step = int(st)
        if it in ("*", "?"):
            a, b = lo, hi
        elif "-" in it:
            a, b = (val(x, names, names_base) for x in it.split("-"))
        else:
            a = val(it, names, names_base)
            b = hi if step > 1 or "/" in text else a
        out.update(range(a, b + 1, step))
    return out


def val(x, names, base):
    if x.isdigit():
        return int(x)
    return names.index(x.upper()) + base


def day_fields(rng, dow_lo, dow_hi, dow_base, one_must_be_q):
    """(dom, dow) that never cover their whole range unless written * or ?."""
    while True:
        dom = field(rng, 1, 31, star=0.4)
        dow = field(rng, dow_lo, dow_hi, star=0.4, names=DAYS, names_base=dow_base,
                    no_open_step=dow_base == 0)
        if one_must_be_q:
            if rng.random() < 0.5:
                dom = "?"
            else:
                dow = "?"
        full_dom = dom not in ("*", "?") and expand(dom, 1, 31) == set(range(1, 32))
        full_dow = dow not in ("*", "?") and \
            {v % 7 for v in expand(dow, dow_lo, dow_hi, DAYS, dow_base)} == set(range(7))
        if not full_dom and not full_dow:
            return dom, dow


def years(rng):
    if rng.random() < 0.4:
        return "*"
    a = rng.randint(1995, 2070)
    return rng.choice([str(a), f"{a}-{a + rng.randint(0, 6)}", f"{a},{a + rng.randint(2, 9)}",
                       f"{a}/{rng.randint(2, 5)}"])


def gen(rng, flavor):
    """(expression for the driver, croniter expression, year set or None)."""
    sec = field(rng, 0, 59, star=0.2)
    mi = field(rng, 0, 59, star=0.2)
    hr = field(rng, 0, 23, star=0.3)
    mon = field(rng, 1, 12, star=0.6, names=MONTHS, names_base=1)
    if flavor == "robfig":
        dom, dow = day_fields(rng, 0, 6, 0, False)
        if rng.random() < 0.3:  # seconds optional
            return f"{mi} {hr} {dom} {mon} {dow}", f"{mi} {hr} {q(dom)} {mon} {q(dow)}", None
        return (f"{sec} {mi} {hr} {dom} {mon} {dow}",
                f"{mi} {hr} {q(dom)} {mon} {q(dow)} {sec}", None)
    if flavor == "nomad":
        dom, dow = day_fields(rng, 0, 6, 0, False)
        yr = years(rng)
        n = rng.choice([5, 6, 7])
        base = f"{mi} {hr} {dom} {mon} {dow}"
        cron = f"{mi} {hr} {q(dom)} {mon} {q(dow)}"
        if n == 5:
            return base, cron, None
        if n == 6:
            return f"{base} {yr}", cron, yr
        return f"{sec} {base} {yr}", f"{cron} {sec}", yr
    dom, dow = day_fields(rng, 1, 7, 1, True)
    if flavor == "quartz":
        yr = years(rng) if rng.random() < 0.5 else None
        text = f"{sec} {mi} {hr} {dom} {mon} {dow}" + (f" {yr}" if yr else "")
        return text, f"{mi} {hr} {q(dom)} {mon} {sunday1(dow)} {sec}", yr
    yr = years(rng)
    return (f"cron({mi} {hr} {dom} {mon} {dow} {yr})",
            f"{mi} {hr} {q(dom)} {mon} {sunday1(dow)}", yr)


def q(f):
    return "*" if f == "?" else f


def sunday1(dow):
    """Quartz/EventBridge day of week (1-7 from Sunday) in croniter's numbers (0-6)."""
    if dow in ("*", "?"):
        return "*"
    out = []
    for it in dow.split(","):
        rng_part, _, step = it.partition("/")
        if rng_part == "*":
            out.append(it)
            continue
        parts = rng_part.split("-")
        conv = [str(int(p) - 1) if p.isdigit() else p for p in parts]
        if step and len(parts) == 1:
            conv.append("6")  # "A/S" runs to Saturday
        out.append("-".join(conv) + (f"/{step}" if step else ""))
    return ",".join(out)


def year_set(yr):
    if yr is None or yr == "*":
        return None
    return expand(yr, 1970, 2199)


def oracle(cron, yrs, start, zone, steps):
    tz = ZoneInfo(zone)
    t = datetime.fromtimestamp(start, tz)
    out = []
    for _ in range(200):
        if len(out) == steps:
            break
        nxt = croniter(cron, t).get_next(datetime)
        if yrs is not None and nxt.year not in yrs:
            later = [y for y in yrs if y > nxt.year]
            if not later or min(later) > 2199:
                break
            t = datetime(min(later), 1, 1, tzinfo=tz) - timedelta(seconds=1)
            continue
        out.append(int(nxt.timestamp()))
        t = nxt
    return out


def main():
    driver = sys.argv[1]
    rng = random.Random(SEED)
    cases = []
    for flavor in ("robfig", "quartz", "eventbridge", "nomad"):
        for _ in range(N_PER_FLAVOR):
            text, cron, yr = gen(rng, flavor)
            cases.append((flavor, text, cron, year_set(yr), rng.randint(START_LO, START_HI),
                          rng.choice(ZONES)))
    stdin = "".join(f"{f}\t{t}\t{s}\t{z}\t{STEPS}\n" for f, t, _, _, s, z in cases)
    res = subprocess.run([driver], input=stdin, capture_output=True, text=True, check=True)
    lines = res.stdout.split("\n")
    compared = skipped = failed = 0
    for (flavor, text, cron, yrs, start, zone), line in zip(cases, lines):
        try:
            want = oracle(cron, yrs, start, zone, STEPS)
        except (CroniterBadDateError, CroniterBadCronError):
            skipped += 1
            continue
        got = [int(x) for x in line.split("ERR")[0].split()]
        if "ERR" in line and len(want) == len(got):
            got_ok = True  # we stop where croniter stops (no year left)
        else:
            got_ok = got == want and "ERR" not in line
        if not got_ok:
            failed += 1
            if failed <= 10:
                print(f"MISMATCH {flavor} '{text}' (croniter '{cron}', years {yrs}) "
                      f"from {start} in {zone}: ours {line!r}, croniter {want}")
        compared += 1
    total = len(cases)
    print(f"{compared} compared, {skipped} skipped (croniter raised), {failed} failed, "
          f"of {total}")
    if failed or compared < 0.9 * total:
        sys.exit(1)


if __name__ == "__main__":
    main()
