/* SPDX-License-Identifier: MIT */
/* systemd calendar events: the next elapse, searched in local wall-clock time the way
 * systemd's calendarspec.c searches it with mktime, quirks included. */
#include "config/sched/calendar.h"

#include <assert.h>
#include <stdbool.h>
#include <time.h>

#include "config/sched/calendar_internal.h"
#include "config/sched/tz.h"

/*
 * The search follows systemd's find_next(): fields from the year down, each moved to
 * its next allowed value, and after each move the candidate is checked the way
 * tm_within_bounds() checks it with mktime(). The quirks of that check are kept, since
 * they decide when a timer really elapses:
 *   - a value past the end of its field (day 34, minute 84, from a repetition) is
 *     carried into the next field, and only the field after the first one that moved
 *     is reset: "*-*-01,19/5" goes from Dec 29 to Jan 19, as Dec 34 becomes Jan 3;
 *   - a local time in a clock-change gap moves forward by the gap;
 *   - the normalized struct tm keeps its tm_isdst into the next round, where mktime
 *     reads the reset time with that flag: "*-*-* 0/9:00" in Europe/London skips
 *     midnight on the day clocks go back, and loops near the day they go forward;
 *   - systemd gives up after 1000 rounds ("Infinite loop in calendar calculation");
 *   - which occurrence of a repeated local time mktime answers depends on the offset
 *     of its previous answer (glibc's guess), kept here as struct clock.
 * Verified against systemd-analyze 252 in UTC, Europe/London, America/New_York,
 * Australia/Lord_Howe, America/Santiago, Europe/Berlin, Pacific/Chatham and
 * America/Havana. Zones whose winter time is the DST side (Europe/Dublin) move some
 * gap times back in glibc; that is not modelled.
 */

#define DAY_S 86400
#define AFTER_MIN (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define AFTER_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */
#define SYSTEMD_STEPS 1000         /* systemd's MAX_CALENDAR_ITERATIONS */
#define MKTIME_STRIDE 601200       /* glibc mktime's probe step looking for a tm_isdst */
#define MKTIME_BOUND 229222800     /* and how far it looks */

/* A local wall-clock time, fields indexed by enum ra_cal_field, month and day from 1;
 * a field can be past its end until normalize() carries it. */
struct wall {
    int v[RA_CAL_FIELDS];
};

static int64_t wall_secs(const struct wall *w)
{
    int mon = w->v[RA_CAL_MONTH] - 1;

    return ra_time_from_fields(w->v[RA_CAL_YEAR] + mon / 12, mon % 12 + 1,
                               w->v[RA_CAL_DAY], w->v[RA_CAL_HOUR], w->v[RA_CAL_MINUTE],
                               w->v[RA_CAL_SECOND]);
}

static void wall_set(struct wall *w, int64_t secs)
{
    struct tm tm;
    time_t tt = (time_t)secs;

    if (!gmtime_r(&tt, &tm)) {
        *w = (struct wall){{RA_CAL_YEAR_MAX + 1, 1, 1, 0, 0, 0}}; /* ends the search */
        return;
    }
    *w = (struct wall){
        {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec}};
}

/* Reset the fields finer than f to their first value. */
static void truncate_below(struct wall *w, int f)
{
    int g;

    for (g = f + 1; g < RA_CAL_FIELDS; g++)
        w->v[g] = g <= RA_CAL_DAY ? 1 : 0;
}

/* The instants at which local time w occurs in z, earlier first: none in a gap, two in
 * a repeated hour. off[0] and off[1] are the UTC offsets a day before and after. */
static int instants(int64_t t[2], int64_t off[2], const struct ra_tz *z, int64_t w)
{
    int n = 0;

    off[0] = ra_tz_offset(z, w - DAY_S);
    off[1] = ra_tz_offset(z, w + DAY_S);
    if (ra_tz_offset(z, w - off[0]) == off[0])
        t[n++] = w - off[0];
    if (off[1] != off[0] && ra_tz_offset(z, w - off[1]) == off[1])
        t[n++] = w - off[1];
    if (!n && off[1] <= off[0]) /* two changes within a day: not modelled */
        t[n++] = w - off[0];
    return n;
}

/* The UTC offset of the nearest time around t whose isdst is `dst`, probed as glibc's
 * mktime probes: a week at a time, earlier side first; t's own offset if none. */
static int64_t offset_with_dst(const struct ra_tz *z, int64_t t, bool dst)
{
    int64_t delta, ot;
    int dir;

    for (delta = MKTIME_STRIDE; delta < MKTIME_BOUND; delta += MKTIME_STRIDE) {
        for (dir = -1; dir <= 1; dir += 2) {
            ot = t + dir * delta;
            if (ra_tz_isdst(z, ot) == dst)
                return ra_tz_offset(z, ot);
        }
    }
    return ra_tz_offset(z, t);
}

/* The zone, and the UTC offset glibc's mktime tries first: that of its last answer,
 * which decides which occurrence of a repeated local time it answers. */
struct clock {
    const struct ra_tz *z;
    int64_t guess;
};

/* The instant mktime gives for local time secs with tm_isdst = dst (-1: not set). */
static int64_t mktime_instant(struct clock *k, int64_t secs, int dst)
{
    int64_t t[2], off[2], inst, o;
    int n = instants(t, off, k->z, secs), i;

    if (n == 2) { /* repeated: glibc converges from its guess */
        o = ra_tz_offset(k->z, secs - k->guess);
        inst = ra_tz_offset(k->z, secs - o) == o ? secs - o : t[0];
    } else {
        inst = n ? t[0] : secs - off[0]; /* a gap: forward, by the earlier offset */
    }
    if (dst >= 0) { /* a tm_isdst the time does not have: the nearest offset with it */
        for (i = 0; i < n && ra_tz_isdst(k->z, t[i]) != dst; i++)
            ;
        inst = i < n ? t[i] : secs - offset_with_dst(k->z, inst, dst);
    }
    k->guess = secs - inst;
    return inst;
}

/* What mktime makes of w (see mktime_instant): w becomes the local time of the
 * instant; returns its isdst. */
static bool normalize(struct wall *w, struct clock *k, int dst)
{
    int64_t inst = mktime_instant(k, wall_secs(w), dst);

    wall_set(w, inst + ra_tz_offset(k->z, inst));
    return ra_tz_isdst(k->z, inst);
}

/* systemd's tm_within_bounds: 1 when w is a valid local time; 0 when normalizing moved
 * it forward, w then being the normalized time with the field after the first one
 * that moved reset (only that one) and *dst the isdst it keeps (systemd copies the
 * whole struct tm); -1 when it moved back or is past 2199. */
static int within_bounds(struct wall *w, struct clock *k, int *dst)
{
    struct wall n = *w;
    bool isdst;
    int f;

    if (w->v[RA_CAL_YEAR] > RA_CAL_YEAR_MAX)
        return -1;
    isdst = normalize(&n, k, -1);
    for (f = RA_CAL_YEAR; f < RA_CAL_FIELDS && n.v[f] == w->v[f]; f++)
        ;
    if (f == RA_CAL_FIELDS)
        return 1;
    if (n.v[f] < w->v[f])
        return -1;
    if (f + 1 < RA_CAL_FIELDS)
        n.v[f + 1] = f + 1 <= RA_CAL_DAY ? 1 : 0;
    *w = n;
    *dst = isdst;
    return 0;
}

/* Start over from the next unit of field f (normalize() carries it). */
static void bump(struct wall *w, int f)
{
    truncate_below(w, f);
    w->v[f]++;
}

static int days_in_month(int year, int mon)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return mon == 2 && leap ? 29 : days[mon - 1];
}

static bool weekday_matches(const struct ra_calendar *c, const struct wall *w)
{
    int64_t days = ra_time_from_fields(w->v[RA_CAL_YEAR], w->v[RA_CAL_MONTH],
                                       w->v[RA_CAL_DAY], 0, 0, 0) /
                   DAY_S;

    /* 1970-01-01 was a Thursday, day 3 counting from Monday */
    return !c->weekdays || ((c->weekdays >> (((days + 3) % 7 + 7) % 7)) & 1u);
}

/* The smallest value >= val that the field's items allow (systemd's
 * find_matching_component), or -1. month_len > 0 counts days from the month's end. */
static int next_value(const struct ra_cal_chain *ch, int val, int month_len)
{
    const struct ra_cal_comp *c;
    int best = -1, start, stop, k, t;
    size_t i;

    if (!ch->n)
        return val;
    for (i = 0; i < ch->n; i++) {
        c = &ch->v[i];
        start = month_len ? month_len + 1 - c->start : c->start;
        stop = month_len && c->stop >= 0 ? month_len + 1 - c->stop : c->stop;
        if (month_len && stop > 0) {
            t = start;
            start = stop;
            stop = t;
        }
        if (start >= val) {
            k = start;
        } else {
            if (!c->repeat)
                continue;
            k = start + c->repeat * ((val - start + c->repeat - 1) / c->repeat);
            if (stop >= 0 && k > stop)
                continue;
        }
        if (best < 0 || k < best)
            best = k;
    }
    return best;
}

/* systemd finds '~' days with mktime on day (1 - N) of the next month, at w's time of
 * day, for the start and the stop (-1 when none) of each item; only mktime's guess
 * keeps anything of it. */
static void end_of_month_mktimes(struct clock *k, const struct wall *w,
                                 const struct ra_cal_chain *ch)
{
    struct wall t = *w;
    size_t i;

    t.v[RA_CAL_MONTH]++;
    for (i = 0; i < ch->n; i++) {
        t.v[RA_CAL_DAY] = 1 - ch->v[i].start;
        mktime_instant(k, wall_secs(&t), -1);
        t.v[RA_CAL_DAY] = 1 - ch->v[i].stop;
        mktime_instant(k, wall_secs(&t), -1);
    }
}

/* Move *w to the first local time at or after it that c matches, as systemd's
 * find_next() does. RA_ENOTFOUND when there is none before the year 2200, RA_ELIMIT
 * when systemd gives up ("Infinite loop in calendar calculation"). */
static int next_wall(struct wall *w, const struct ra_calendar *c, struct clock *k)
{
    int steps, f, v, r, dst = -1;

    for (steps = 0; steps < SYSTEMD_STEPS; steps++) {
        normalize(w, k, dst);
        dst = -1;
        for (f = RA_CAL_YEAR; f < RA_CAL_FIELDS; f++) {
            if (f == RA_CAL_HOUR && !weekday_matches(c, w)) {
                bump(w, RA_CAL_DAY);
                break;
            }
            if (f == RA_CAL_DAY && c->end_of_month)
                end_of_month_mktimes(k, w, &c->f[RA_CAL_DAY]);
            v = next_value(&c->f[f], w->v[f],
                           f == RA_CAL_DAY && c->end_of_month
                               ? days_in_month(w->v[RA_CAL_YEAR], w->v[RA_CAL_MONTH])
                               : 0);
            if (v > w->v[f]) {
                w->v[f] = v;
                truncate_below(w, f);
            }
            r = v < 0 ? -1 : within_bounds(w, k, &dst);
            if (f == RA_CAL_YEAR && r <= 0)
                return RA_ENOTFOUND;
            if (r < 0) {
                bump(w, f - 1);
                break;
            }
            if (r == 0)
                break;
        }
        if (f == RA_CAL_FIELDS)
            return 0;
    }
    return RA_ELIMIT;
}

/* Search local time from just after `after`, never going back in it, and convert the
 * match with mktime as systemd does. Starting from `after`, mktime's guess is the
 * offset there; so a time in a repeated hour is answered at its first occurrence, or
 * at its second when `after` is in the second already. */
static int search(int64_t *out, const struct ra_calendar *c, const struct ra_tz *z,
                  int64_t after)
{
    struct clock k = {z, ra_tz_offset(z, after)};
    int64_t from = after + k.guess + 1, w, inst, t[2], off[2];
    struct wall cur;
    int error, n, round;

    for (round = 0; round < SYSTEMD_STEPS; round++) {
        wall_set(&cur, from);
        if ((error = next_wall(&cur, c, &k)) < 0)
            return error;
        w = wall_secs(&cur);
        inst = mktime_instant(&k, w, -1);
        n = instants(t, off, z, w);
        if (inst <= after && n == 2) /* never seen; keep to "strictly after" */
            inst = t[1];
        if (inst > after) {
            *out = inst;
            return 0;
        }
        from = w + 1;
    }
    return RA_ELIMIT;
}

int ra_calendar_next(ra_time *out, const struct ra_calendar *c, ra_time after,
                     const char *tz, struct ra_err *err)
{
    struct ra_tz z = RA_TZ_INIT;
    char when[RA_TIME_STRLEN];
    int64_t t = 0;
    int error;

    assert(out && c);

    if (after < AFTER_MIN || after > AFTER_MAX) {
        error = ra_err_set(err, RA_EUSAGE, "OnCalendar '%.80s': start time out of range",
                           c->text);
        goto done;
    }
    if (!c->utc &&
        (error = ra_tz_enter(&z, c->zone ? c->zone : tz, "OnCalendar", c->text, err)) < 0)
        goto done;
    if ((error = search(&t, c, &z, after)) == RA_ELIMIT) {
        ra_err_set(err, error,
                   "OnCalendar '%.80s': systemd gives up looking for the elapse after %s "
                   "(\"Infinite loop in calendar calculation\")",
                   c->text, ra_time_format(when, after));
        goto done;
    }
    if (error < 0) {
        ra_err_set(err, error, "OnCalendar '%.80s': never elapses after %s", c->text,
                   ra_time_format(when, after));
        goto done;
    }
    *out = t;

done:
    ra_tz_leave(&z);
    return error;
}
