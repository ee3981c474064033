/* SPDX-License-Identifier: MIT */
/* Cron expressions: a parser into per-field bitsets, and a next-firing search that walks
 * local wall-clock time segment by segment between UTC offset changes. */
#include "config/sched/cron.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/sched/tz.h"
#include "config/text/span.h"

enum { F_MIN, F_HOUR, F_DOM, F_MON, F_DOW, F_COUNT };

struct ra_cron {
    char *text;             /* the expression as given, for messages */
    uint64_t bits[F_COUNT]; /* bit v set when value v matches; Sunday is 0, never 7 */
    bool day_or;            /* a day matches when day of month OR day of week does */
    bool wild;              /* minute or hour starts with '*': MIN_STAR|HR_STAR */
};

struct field {
    const char *name;
    int min, max;
    const char *const *names; /* names[i] stands for min + i; NULL: numbers only */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed",
                                        "thu", "fri", "sat", NULL};

static const struct field fields[F_COUNT] = {
    {"minute", 0, 59, NULL},          {"hour", 0, 23, NULL},
    {"day-of-month", 1, 31, NULL},    {"month", 1, 12, month_names},
    {"day-of-week", 0, 7, dow_names},
};

static const struct {
    const char *name, *expansion;
} shorthands[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

#define ALL_DOM 0xfffffffeULL /* bits 1-31 */
#define ALL_DOW 0x7fULL       /* bits 0-6 */
#define TOKEN_SHOWN 40        /* longest token quoted in a message */

#define EXPR_SHOWN 80 /* longest expression quoted in a message */

struct parser {
    const char *expr; /* the expression without surrounding blanks, for messages */
    int shown;        /* how much of it messages quote */
    enum ra_cron_dialect dialect;
    struct ra_err *err;
};

/* ---- parsing ---- */

static int bad(const struct parser *p, const struct field *f, const char *what,
               const char *tok, const char *end)
{
    size_t n = (size_t)(end - tok);

    return ra_err_set(p->err, RA_EFORMAT, "cron '%.*s': %s: %s '%.*s'", p->shown, p->expr,
                      f->name, what, (int)(n > TOKEN_SHOWN ? TOKEN_SHOWN : n), tok);
}

int ra_cron_read_value(int *out, const char **s, const char *end,
                       const char *const *names, int base, int cap)
{
    const char *p = *s;
    int v = 0, i;

    if (p < end && isdigit((unsigned char)*p)) {
        for (; p < end && isdigit((unsigned char)*p); p++) {
            if (v > cap)
                return -1;
            v = v * 10 + (*p - '0');
        }
        *s = p;
        *out = v;
        return 0;
    }
    for (i = 0; names && names[i]; i++) {
        if (end - p >= 3 && !strncasecmp(p, names[i], 3) &&
            (end - p == 3 || !isalpha((unsigned char)p[3]))) {
            *s = p + 3;
            *out = base + i;
            return 0;
        }
    }
    return -1;
}

/* Read `A` or `A-B` at *s into lo and hi; *single says which. */
static int read_range(int *lo, int *hi, bool *single, const char **s, const char *end,
                      const struct field *f)
{
    if (ra_cron_read_value(lo, s, end, f->names, f->min, 9999) < 0)
        return -1;
    *hi = *lo;
    *single = *s == end || **s != '-';
    if (*single)
        return 0;
    (*s)++;
    return ra_cron_read_value(hi, s, end, f->names, f->min, 9999);
}

/* One list item: `*`, `A`, `A-B`, each optionally followed by `/STEP`. */
static int parse_item(uint64_t *bits, const struct parser *p, const struct field *f,
                      const char *s, const char *end)
{
    const char *q = s;
    int lo = f->min, hi = f->max, step = 1, v;
    bool single = false;

    if (q < end && *q == '*')
        q++;
    else if (read_range(&lo, &hi, &single, &q, end, f) < 0)
        return bad(p, f, "bad value", s, end);
    if (p->dialect == RA_CRON_CRONITER && f == &fields[F_DOW] && !single && hi == 0 &&
        lo > 0)
        hi = 7; /* croniter: "fri-sun" is 5-7 */
    if (q < end && *q == '/') {
        q++;
        if (ra_cron_read_value(&step, &q, end, NULL, 0, 9999) < 0 || step == 0 ||
            q != end)
            return bad(p, f, "bad step", s, end);
        if (single && p->dialect == RA_CRON_VIXIE)
            return bad(p, f, "step without range (cron rejects it)", s, end);
        if (single)
            hi = f->max; /* croniter: "A/S" is A-max/S */
    }
    if (q != end)
        return bad(p, f, "bad value", s, end);
    if (lo < f->min || hi > f->max)
        return ra_err_set(p->err, RA_EFORMAT,
                          "cron '%.*s': %s: '%.*s' out of range %d-%d", p->shown, p->expr,
                          f->name, (int)(end - s > TOKEN_SHOWN ? TOKEN_SHOWN : end - s),
                          s, f->min, f->max);
    if (lo > hi)
        return bad(p, f, "bad range", s, end);
    for (v = lo; v <= hi; v += step)
        *bits |= 1ULL << v;
    return 0;
}

static int parse_field(uint64_t *bits, const struct parser *p, const struct field *f,
                       const char *s, const char *end)
{
    const char *comma;
    int error;

    *bits = 0;
    for (;;) {
        comma = memchr(s, ',', (size_t)(end - s));
        if (!comma)
            comma = end;
        if ((error = parse_item(bits, p, f, s, comma)) < 0)
            return error;
        if (comma == end)
            return 0;
        s = comma + 1;
    }
}

static bool is_blank(char ch)
{
    return ch && isspace((unsigned char)ch);
}

/* Split text into blank-separated fields; *n is how many there were (up to 6 kept). */
static void split_fields(const char *start[6], const char *end[6], int *n,
                         const char *text)
{
    const char *s = text;

    *n = 0;
    for (;;) {
        while (is_blank(*s))
            s++;
        if (!*s)
            return;
        if (*n < 6)
            start[*n] = s;
        while (*s && !is_blank(*s))
            s++;
        if (*n < 6)
            end[*n] = s;
        (*n)++;
    }
}

/* Fill c from five-field text (p->expr, or a shorthand's expansion). */
static int parse_fields(struct ra_cron *c, const struct parser *p, const char *text)
{
    const char *start[6], *end[6];
    int n, i, error;
    bool dom_star, dow_star;

    split_fields(start, end, &n, text);
    if (n != F_COUNT)
        return ra_err_set(p->err, RA_EFORMAT, "cron '%.*s': expected 5 fields, got %d",
                          p->shown, p->expr, n);
    for (i = 0; i < F_COUNT; i++)
        if ((error = parse_field(&c->bits[i], p, &fields[i], start[i], end[i])) < 0)
            return error;
    if (c->bits[F_DOW] & (1ULL << 7))
        c->bits[F_DOW] = (c->bits[F_DOW] | 1ULL) & ALL_DOW;
    if (p->dialect == RA_CRON_VIXIE) {
        dom_star = *start[F_DOM] == '*';
        dow_star = *start[F_DOW] == '*';
    } else {
        dom_star = c->bits[F_DOM] == ALL_DOM;
        dow_star = c->bits[F_DOW] == ALL_DOW;
    }
    c->day_or = !dom_star && !dow_star;
    c->wild = *start[F_MIN] == '*' || *start[F_HOUR] == '*';
    return 0;
}

/* Map "@daily" and friends to their five fields; names are case-sensitive in cron. */
static int expand_shorthand(const char **out, const struct parser *p, const char *s,
                            size_t n)
{
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(shorthands); i++) {
        if (strlen(shorthands[i].name) != n)
            continue;
        if (p->dialect == RA_CRON_VIXIE ? !strncmp(s, shorthands[i].name, n)
                                        : !strncasecmp(s, shorthands[i].name, n)) {
            *out = shorthands[i].expansion;
            return 0;
        }
    }
    if (n == 7 && !strncasecmp(s, "@reboot", n))
        return ra_err_set(p->err, RA_EFORMAT, "cron '%.*s': @reboot has no schedule",
                          p->shown, p->expr);
    return ra_err_set(p->err, RA_EFORMAT, "cron '%.*s': unknown shorthand '%.*s'",
                      p->shown, p->expr, (int)(n > TOKEN_SHOWN ? TOKEN_SHOWN : n), s);
}

int ra_cron_parse_dialect(struct ra_cron **out, const char *expr,
                          enum ra_cron_dialect dialect, struct ra_err *err)
{
    struct parser p = {NULL, 0, dialect, err};
    struct ra_cron c = {0};
    const char *s = expr, *e, *text = expr;
    size_t len;
    int error = 0;

    assert(out && expr);
    *out = NULL;

    len = strlen(s);
    ra_span_trim(&s, &len);
    e = s + len;
    p.expr = s;
    p.shown = (int)(e - s > EXPR_SHOWN ? EXPR_SHOWN : e - s);
    if (*s == '@' && (error = expand_shorthand(&text, &p, s, (size_t)(e - s))) < 0)
        goto done;
    if ((error = parse_fields(&c, &p, text)) < 0)
        goto done;

    c.text = ra_xstrndup(s, (size_t)(e - s));
    *out = ra_xmalloc(sizeof(**out));
    **out = c;

done:
    return error;
}

int ra_cron_parse(struct ra_cron **out, const char *expr, struct ra_err *err)
{
    return ra_cron_parse_dialect(out, expr, RA_CRON_VIXIE, err);
}

void ra_cron_free(struct ra_cron *c)
{
    if (!c)
        return;
    free(c->text);
    free(c);
}

/* ---- time zones ---- */

#define MIN_S 60
#define HOUR_S 3600
#define DAY_S 86400
#define PROBE_S DAY_S /* offset changes are assumed to be further apart */
/* Debian cron: forward jumps of 3 h or more and backward ones over 3 h are "the clock
 * jumped", not DST; forward jumps up to 4 min catch up every job, wildcard ones too */
#define DST_MAX_S (3 * HOUR_S)
#define SKEW_MAX_S (4 * MIN_S)
#define AFTER_MAX 200000000000LL /* about year 8300: keeps the arithmetic in range */

/* First instant in (a, b] whose UTC offset differs from the one at a. */
static bool next_change(int64_t *out, const struct ra_tz *z, int64_t a, int64_t b)
{
    int64_t o = ra_tz_offset(z, a), lo = a, hi, mid;

    if (z->utc)
        return false;
    for (;;) {
        if (lo >= b)
            return false;
        hi = b - lo > PROBE_S ? lo + PROBE_S : b;
        if (ra_tz_offset(z, hi) != o)
            break;
        lo = hi;
    }
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (ra_tz_offset(z, mid) == o)
            lo = mid;
        else
            hi = mid;
    }
    *out = hi;
    return true;
}

/* ---- matching local wall-clock minutes ("local seconds": wall time read as UTC) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t ceil_minute(int64_t t)
{
    return -floor_div(-t, MIN_S) * MIN_S;
}

static bool has(uint64_t bits, int v)
{
    return (bits >> v) & 1;
}

static int next_bit(uint64_t bits, int from, int max)
{
    int v;

    for (v = from; v <= max; v++)
        if (has(bits, v))
            return v;
    return -1;
}

static bool day_matches(const struct ra_cron *c, const struct tm *tm)
{
    bool dom = has(c->bits[F_DOM], tm->tm_mday), dow = has(c->bits[F_DOW], tm->tm_wday);

    return c->day_or ? dom || dow : dom && dow;
}

static int64_t next_month_start(const struct tm *tm)
{
    if (tm->tm_mon == 11)
        return ra_time_from_fields(tm->tm_year + 1901, 1, 1, 0, 0, 0);
    return ra_time_from_fields(tm->tm_year + 1900, tm->tm_mon + 2, 1, 0, 0, 0);
}

/* First local minute in [lo, hi) that c matches. */
static bool next_wall(int64_t *out, const struct ra_cron *c, int64_t lo, int64_t hi)
{
    int64_t w = ceil_minute(lo), day;
    struct tm tm;
    time_t tt;
    int h, m;

    while (w < hi) {
        tt = (time_t)w;
        if (!gmtime_r(&tt, &tm))
            return false;
        day = w - (tm.tm_hour * HOUR_S + tm.tm_min * MIN_S + tm.tm_sec);
        if (!has(c->bits[F_MON], tm.tm_mon + 1)) {
            w = next_month_start(&tm);
        } else if (!day_matches(c, &tm) ||
                   (h = next_bit(c->bits[F_HOUR], tm.tm_hour, 23)) < 0) {
            w = day + DAY_S;
        } else if (h != tm.tm_hour) {
            w = day + h * HOUR_S;
        } else if ((m = next_bit(c->bits[F_MIN], tm.tm_min, 59)) < 0) {
            w = day + (h + 1) * HOUR_S;
        } else {
            *out = day + h * HOUR_S + m * MIN_S;
            return *out < hi;
        }
    }
    return false;
}

/* ---- Debian cron's DST rules (cron.c, "wakeupKind") ---- */

/* Clocks went forward at chg from offset o1 to o2: does c run at the change because a
 * skipped local time matches? Fixed-time jobs catch up jumps under 3 h, wildcard jobs
 * only jumps of a few minutes. */
static bool runs_in_gap(const struct ra_cron *c, int64_t chg, int64_t o1, int64_t o2)
{
    int64_t jump = o2 - o1, w;

    if (jump <= 0 || jump >= DST_MAX_S || (c->wild && jump > SKEW_MAX_S))
        return false;
    return next_wall(&w, c, chg + o1, chg + o2);
}

/* Clocks went back at chg from o1 to o2 by up to 3 h: fixed-time jobs do not run again
 * until local time passes chg + o1. Returns that local time, or INT64_MIN. */
static int64_t held_until(const struct ra_cron *c, int64_t chg, int64_t o1, int64_t o2)
{
    if (c->wild || o2 >= o1 || o1 - o2 > DST_MAX_S)
        return INT64_MIN;
    return chg + o1;
}

/* The hold in force at t if clocks went back shortly before it. */
static int64_t hold_at(const struct ra_cron *c, const struct ra_tz *z, int64_t t)
{
    int64_t chg;

    if (!next_change(&chg, z, t - DST_MAX_S, t))
        return INT64_MIN;
    return held_until(c, chg, ra_tz_offset(z, t - DST_MAX_S), ra_tz_offset(z, chg));
}

/* Walk the offset segments after `after`: in each, local time is after + offset, so the
 * first matching local minute is the answer unless an offset change comes first. */
static int search(int64_t *out, const struct ra_cron *c, const struct ra_tz *z,
                  int64_t after)
{
    int64_t t = after + 1, end = after + (int64_t)RA_CRON_HORIZON_YEARS * 366 * DAY_S;
    int64_t held = hold_at(c, z, t), o, o2, w, chg, h;

    while (t <= end) {
        o = ra_tz_offset(z, t);
        if (!next_wall(&w, c, t + o > held ? t + o : held, end + o))
            return RA_ENOTFOUND;
        if (!next_change(&chg, z, t, w - o)) {
            *out = w - o;
            return 0;
        }
        o2 = ra_tz_offset(z, chg);
        if (runs_in_gap(c, chg, o, o2)) {
            *out = ceil_minute(chg + o2) - o2;
            return 0;
        }
        if ((h = held_until(c, chg, o, o2)) != INT64_MIN)
            held = h;
        t = chg;
    }
    return RA_ENOTFOUND;
}

int ra_cron_next(ra_time *out, const struct ra_cron *c, ra_time after, const char *tz,
                 struct ra_err *err)
{
    struct ra_tz z = RA_TZ_INIT;
    char when[RA_TIME_STRLEN];
    int64_t t = 0;
    int error;

    assert(out && c);

    if (after < -AFTER_MAX || after > AFTER_MAX) {
        error = ra_err_set(err, RA_EUSAGE, "cron '%.80s': start out of range", c->text);
        goto done;
    }
    if ((error = ra_tz_enter(&z, tz, "cron", c->text, err)) < 0)
        goto done;
    if ((error = search(&t, c, &z, after)) < 0) {
        ra_err_set(err, error, "cron '%.80s': no firing within %d years after %s",
                   c->text, RA_CRON_HORIZON_YEARS, ra_time_format(when, after));
        goto done;
    }
    *out = t;

done:
    ra_tz_leave(&z);
    return error;
}
