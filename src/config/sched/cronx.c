/* SPDX-License-Identifier: MIT */
/* Other schedulers' cron dialects: each field read into a set, the minute fields written
 * back as a five-field cron for config/cron's search, seconds and years kept aside. */
#include "config/sched/cronx.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/sched/cron.h"
#include "config/sched/tz.h"
#include "util/buf.h"

enum { X_SEC, X_MIN, X_HOUR, X_DOM, X_MON, X_DOW, X_YEAR, X_COUNT };

#define YEAR_MIN 1970
#define YEAR_MAX 2199
#define SET_MAX (YEAR_MAX - YEAR_MIN + 1)
#define SHOWN 80
#define NEXT_TRIES 1000

struct ra_cronx {
    char *text;
    struct ra_cron *cron; /* the minutes; NULL for an interval */
    char *cron_text;
    uint64_t secs;                /* bit s: fires at second s of a matching minute */
    unsigned char years[SET_MAX]; /* years[y - YEAR_MIN]: that year may fire */
    int64_t period;               /* @every, rate(): seconds */
};

struct xfield {
    const char *name;
    int min, max;
    int names_base; /* the value of the first name; -1: numbers only */
    const char *const *names;
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed",
                                        "thu", "fri", "sat", NULL};

struct xparser {
    const char *expr;
    int shown;
    enum ra_cronx_flavor flavor;
    struct ra_err *err;
};

static struct xfield field_of(int f, enum ra_cronx_flavor flavor)
{
    static const struct xfield plain[X_COUNT] = {
        {"second", 0, 59, -1, NULL},
        {"minute", 0, 59, -1, NULL},
        {"hour", 0, 23, -1, NULL},
        {"day-of-month", 1, 31, -1, NULL},
        {"month", 1, 12, 1, month_names},
        {"day-of-week", 0, 7, 0, dow_names},
        {"year", YEAR_MIN, YEAR_MAX, -1, NULL},
    };
    struct xfield x = plain[f];

    if (f == X_DOW && (flavor == RA_CRONX_QUARTZ || flavor == RA_CRONX_EVENTBRIDGE)) {
        x.min = 1; /* SUN=1 ... SAT=7 */
        x.max = 7;
        x.names_base = 1;
    }
    return x;
}

static int xbad(const struct xparser *p, const struct xfield *f, const char *what,
                const char *tok, size_t n)
{
    return ra_err_set(p->err, RA_EFORMAT, "schedule '%.*s': %s: %s '%.*s'", p->shown,
                      p->expr, f->name, what, (int)(n > 40 ? 40 : n), tok);
}

/* One list item into set (indexed by value - f->min). */
static int xitem(unsigned char *set, const struct xparser *p, const struct xfield *f,
                 int day, const char *s, const char *end)
{
    const char *q = s;
    int lo = f->min, hi = f->max, step = 1, v;
    bool single = false;

    if (f->names == dow_names && f->min == 0)
        hi = 6; /* 7 is Sunday when written, but '*' and 'A/S' stop at Saturday */
    if (q < end && (*q == '*' || (*q == '?' && day))) {
        q++;
    } else {
        if (ra_cron_read_value(&lo, &q, end, f->names, f->names_base, 99999) < 0)
            goto bad;
        hi = lo;
        single = true;
        if (q < end && *q == '-') {
            q++;
            single = false;
            if (ra_cron_read_value(&hi, &q, end, f->names, f->names_base, 99999) < 0)
                goto bad;
        }
    }
    if (q < end && *q == '/') {
        q++;
        if (ra_cron_read_value(&step, &q, end, NULL, 0, 99999) < 0 || step == 0)
            return xbad(p, f, "bad step", s, (size_t)(end - s));
        if (single)
            hi = f->names == dow_names && f->min == 0 ? 6
                                                      : f->max; /* "5/15": to the end */
    }
    if (q != end)
        goto bad;
    if (lo < f->min || hi > f->max || lo > hi)
        return xbad(p, f, "out of range", s, (size_t)(end - s));
    for (v = lo; v <= hi; v += step)
        set[v - f->min] = 1;
    return 0;
bad:
    if (strpbrk(s, "LW#H") && strpbrk(s, "LW#H") < end) {
        const char *c = strpbrk(s, "LW#H");
        return ra_err_set(p->err, RA_EFORMAT,
                          "schedule '%.*s': %s: '%c' is not supported", p->shown, p->expr,
                          f->name, *c);
    }
    return xbad(p, f, "bad value", s, (size_t)(end - s));
}

static int xfield_parse(unsigned char *set, bool *star, const struct xparser *p, int fi,
                        const char *s, const char *end)
{
    struct xfield f = field_of(fi, p->flavor);
    int day = fi == X_DOM || fi == X_DOW, error;
    size_t n = (size_t)(end - s);
    const char *comma;

    memset(set, 0, SET_MAX);
    *star = (n == 1 && (*s == '*' || (*s == '?' && day))) ||
            (n == 3 && (!strncmp(s, "*/1", 3) || (day && !strncmp(s, "?/1", 3))));
    for (;;) {
        comma = memchr(s, ',', (size_t)(end - s));
        if (!comma)
            comma = end;
        if ((error = xitem(set, p, &f, day, s, comma)) < 0)
            return error;
        if (comma == end)
            return 0;
        s = comma + 1;
    }
}

/* Write the values of set (as field fi) as a cron list, "*" when star. Day of week is
 * written 0-6 (Sunday 0). */
static void emit(struct ra_buf *b, const unsigned char *set, bool star, int fi,
                 enum ra_cronx_flavor flavor)
{
    struct xfield f = field_of(fi, flavor);
    bool any = false;
    int v, out;

    if (b->len)
        ra_buf_putc(b, ' ');
    if (star) {
        ra_buf_putc(b, '*');
        return;
    }
    for (v = f.min; v <= f.max; v++) {
        if (!set[v - f.min])
            continue;
        out = fi != X_DOW ? v : f.min == 1 ? v - 1 : v % 7;
        ra_buf_printf(b, "%s%d", any ? "," : "", out);
        any = true;
    }
}

static const struct {
    const char *name, *cron;
} descriptors[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

/* A Go duration ("1h30m", "1.5h", "90s") in whole seconds. */
static int go_duration(int64_t *out, const char *s, const char *end)
{
    static const struct {
        const char *unit;
        double ns;
    } units[] = {{"ns", 1},  {"us", 1e3}, {"µs", 1e3},  {"ms", 1e6},
                 {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    double total = 0, v, frac;
    size_t i, n;

    if (s == end)
        return -1;
    while (s < end) {
        if (!isdigit((unsigned char)*s) && *s != '.')
            return -1;
        for (v = 0; s < end && isdigit((unsigned char)*s); s++)
            v = v * 10 + (*s - '0');
        if (s < end && *s == '.')
            for (s++, frac = 0.1; s < end && isdigit((unsigned char)*s); s++, frac /= 10)
                v += (*s - '0') * frac;
        for (i = RA_ARRAY_SIZE(units); i-- > 0;) {
            n = strlen(units[i].unit);
            if ((size_t)(end - s) >= n && !strncmp(s, units[i].unit, n) &&
                (i != 5 || end - s < 2 || s[1] != 's'))
                break;
        }
        if (i == (size_t)-1 || total > 1e20)
            return -1;
        total += v * units[i].ns;
        s += strlen(units[i].unit);
    }
    *out = (int64_t)(total / 1e9);
    if (*out < 1)
        *out = 1; /* robfig: at least a second */
    return 0;
}

/* "rate(5 minutes)": 1 takes the singular, more the plural. */
static int rate(int64_t *out, const struct xparser *p, const char *s, const char *end)
{
    static const struct {
        const char *unit;
        int64_t secs;
    } units[] = {{"minute", 60}, {"hour", 3600}, {"day", 86400}};
    int64_t v = 0;
    size_t i, n;

    for (; s < end && isdigit((unsigned char)*s) && v < 1000000000; s++)
        v = v * 10 + (*s - '0');
    while (s < end && *s == ' ')
        s++;
    for (i = 0; v > 0 && i < RA_ARRAY_SIZE(units); i++) {
        n = strlen(units[i].unit);
        if ((size_t)(end - s) == n + (v != 1) && !strncmp(s, units[i].unit, n) &&
            (v == 1 || s[n] == 's')) {
            *out = v * units[i].secs;
            return 0;
        }
    }
    return ra_err_set(p->err, RA_EFORMAT,
                      "schedule '%.*s': rate needs 'N minute(s)|hour(s)|day(s)'",
                      p->shown, p->expr);
}

/* Split [s, end) at blanks; up to 8 fields kept, *n counts them all. */
static void xsplit(const char *st[8], const char *en[8], int *n, const char *s,
                   const char *end)
{
    *n = 0;
    while (s < end) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s == end)
            return;
        if (*n < 8)
            st[*n] = s;
        while (s < end && !isspace((unsigned char)*s))
            s++;
        if (*n < 8)
            en[*n] = s;
        (*n)++;
    }
}

/* Which field each written field is, by flavor and count; 0 when the count is wrong. */
static int layout(int map[8], enum ra_cronx_flavor flavor, int n)
{
    static const int five[] = {X_MIN, X_HOUR, X_DOM, X_MON, X_DOW};
    static const int six_sec[] = {X_SEC, X_MIN, X_HOUR, X_DOM, X_MON, X_DOW};
    static const int six_year[] = {X_MIN, X_HOUR, X_DOM, X_MON, X_DOW, X_YEAR};
    static const int seven[] = {X_SEC, X_MIN, X_HOUR, X_DOM, X_MON, X_DOW, X_YEAR};
    const int *m = NULL;

    if (flavor == RA_CRONX_ROBFIG)
        m = n == 5 ? five : n == 6 ? six_sec : NULL;
    else if (flavor == RA_CRONX_QUARTZ)
        m = n == 6 ? six_sec : n == 7 ? seven : NULL;
    else if (flavor == RA_CRONX_EVENTBRIDGE)
        m = n == 6 ? six_year : NULL;
    else
        m = n == 5 ? five : n == 6 ? six_year : n == 7 ? seven : NULL;
    if (m)
        memcpy(map, m, sizeof(int) * (size_t)n);
    return m != NULL;
}

static const char *expected_fields(enum ra_cronx_flavor flavor)
{
    switch (flavor) {
    case RA_CRONX_ROBFIG:
        return "5 or 6 fields";
    case RA_CRONX_QUARTZ:
        return "6 or 7 fields";
    case RA_CRONX_EVENTBRIDGE:
        return "6 fields";
    default:
        return "5, 6 or 7 fields";
    }
}

/* The fields of a cron-like expression into x. */
static int parse_fields(struct ra_cronx *x, const struct xparser *p, const char *s,
                        const char *end)
{
    unsigned char sets[X_COUNT][SET_MAX];
    const char *st[8], *en[8];
    bool star[X_COUNT], given[X_COUNT] = {false}, qmark[X_COUNT] = {false};
    struct ra_buf b = RA_BUF_INIT;
    int map[8], n, i, error = 0;

    xsplit(st, en, &n, s, end);
    if (!layout(map, p->flavor, n))
        return ra_err_set(p->err, RA_EFORMAT, "schedule '%.*s': expected %s, got %d",
                          p->shown, p->expr, expected_fields(p->flavor), n);
    for (i = 0; i < n; i++) {
        if ((error = xfield_parse(sets[map[i]], &star[map[i]], p, map[i], st[i], en[i])) <
            0)
            return error;
        given[map[i]] = true;
        qmark[map[i]] = en[i] - st[i] == 1 && *st[i] == '?';
    }
    if ((p->flavor == RA_CRONX_QUARTZ || p->flavor == RA_CRONX_EVENTBRIDGE) &&
        !qmark[X_DOM] && !qmark[X_DOW])
        return ra_err_set(p->err, RA_EFORMAT,
                          "schedule '%.*s': day-of-month and day-of-week both given (one "
                          "must be '?')",
                          p->shown, p->expr);
    x->secs = given[X_SEC] ? 0 : 1;
    for (i = 0; given[X_SEC] && i < 60; i++)
        x->secs |= (uint64_t)sets[X_SEC][i] << i;
    for (i = 0; i < SET_MAX; i++)
        x->years[i] = given[X_YEAR] ? sets[X_YEAR][i] : 1;
    for (i = X_MIN; i <= X_DOW; i++)
        emit(&b, sets[i], star[i], i, p->flavor);
    x->cron_text = ra_buf_detach(&b);
    return error;
}

static int descriptor(struct ra_cronx *x, const struct xparser *p, const char *s,
                      const char *end)
{
    size_t n = (size_t)(end - s), i;

    if (p->flavor == RA_CRONX_ROBFIG && n > 7 && !strncmp(s, "@every", 6) &&
        isspace((unsigned char)s[6])) {
        for (s += 7; s < end && isspace((unsigned char)*s); s++)
            ;
        if (go_duration(&x->period, s, end) < 0)
            return ra_err_set(p->err, RA_EFORMAT, "schedule '%.*s': bad duration",
                              p->shown, p->expr);
        return 0;
    }
    for (i = 0; i < RA_ARRAY_SIZE(descriptors); i++) {
        if (strlen(descriptors[i].name) == n && !strncmp(s, descriptors[i].name, n)) {
            x->cron_text = ra_xstrdup(descriptors[i].cron);
            x->secs = 1;
            memset(x->years, 1, sizeof(x->years));
            return 0;
        }
    }
    return ra_err_set(p->err, RA_EFORMAT, "schedule '%.*s': unknown descriptor", p->shown,
                      p->expr);
}

/* "cron(...)" / "rate(...)" of EventBridge: the inside, or the text as it is. */
static int unwrap_aws(struct ra_cronx *x, const struct xparser *p, const char **s,
                      const char **end)
{
    int is_rate = !strncmp(*s, "rate(", 5);

    if (p->flavor != RA_CRONX_EVENTBRIDGE || (strncmp(*s, "cron(", 5) && !is_rate))
        return 0;
    if ((*end)[-1] != ')')
        return ra_err_set(p->err, RA_EFORMAT, "schedule '%.*s': missing ')'", p->shown,
                          p->expr);
    *s += 5;
    (*end)--;
    return is_rate ? rate(&x->period, p, *s, *end) : 0;
}

int ra_cronx_parse(struct ra_cronx **out, const char *expr, enum ra_cronx_flavor flavor,
                   struct ra_err *err)
{
    struct ra_cronx *x = ra_xcalloc(1, sizeof(*x));
    struct xparser p = {NULL, 0, flavor, err};
    const char *s = expr, *end;
    int error;

    assert(out && expr);
    *out = NULL;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    p.expr = s;
    p.shown = (int)(end - s > SHOWN ? SHOWN : end - s);
    x->text = ra_xstrndup(s, (size_t)(end - s));
    if (s == end) {
        error = ra_err_set(err, RA_EFORMAT, "schedule '': empty");
        goto done;
    }
    if ((error = unwrap_aws(x, &p, &s, &end)) < 0 || x->period)
        goto done;
    if (*s == '@' && flavor != RA_CRONX_QUARTZ && flavor != RA_CRONX_EVENTBRIDGE)
        error = descriptor(x, &p, s, end);
    else
        error = parse_fields(x, &p, s, end);
    if (error < 0 || x->period)
        goto done;
    if ((error = ra_cron_parse(&x->cron, x->cron_text, err)) < 0)
        goto done;
done:
    if (error < 0)
        ra_cronx_free(x);
    else
        *out = x;
    return error;
}

void ra_cronx_free(struct ra_cronx *x)
{
    if (!x)
        return;
    ra_cron_free(x->cron);
    free(x->cron_text);
    free(x->text);
    free(x);
}

int64_t ra_cronx_period(const struct ra_cronx *x)
{
    return x->period;
}

const char *ra_cronx_cron(const struct ra_cronx *x)
{
    return x->cron_text ? x->cron_text : "";
}

static int first_sec(uint64_t secs, int from)
{
    int s;

    for (s = from < 0 ? 0 : from; s < 60; s++)
        if ((secs >> s) & 1)
            return s;
    return -1;
}

/* The local year of instant t in tz, or 0 when tz cannot be entered. */
static int local_year(int64_t t, const char *tz, const char *text, struct ra_err *err)
{
    struct ra_tz z = RA_TZ_INIT;
    struct tm tm;
    time_t tt;
    int y = 0;

    if (ra_tz_enter(&z, tz, "schedule", text, err) == 0) {
        tt = (time_t)(t + ra_tz_offset(&z, t));
        if (gmtime_r(&tt, &tm))
            y = tm.tm_year + 1900;
    }
    ra_tz_leave(&z);
    return y;
}

/* The instant just before local midnight starting year y in tz. */
static int64_t year_start(int y, const char *tz, const char *text, struct ra_err *err)
{
    struct ra_tz z = RA_TZ_INIT;
    int64_t t = ra_time_from_fields(y, 1, 1, 0, 0, 0), off = 0;

    if (ra_tz_enter(&z, tz, "schedule", text, err) == 0)
        off = ra_tz_offset(&z, t - 86400);
    ra_tz_leave(&z);
    return t - off - 1;
}

/* The first allowed year after y, or 0. */
static int next_year(const struct ra_cronx *x, int y)
{
    for (y++; y <= YEAR_MAX; y++)
        if (y >= YEAR_MIN && x->years[y - YEAR_MIN])
            return y;
    return 0;
}

int ra_cronx_next(ra_time *out, const struct ra_cronx *x, ra_time after, const char *tz,
                  struct ra_err *err)
{
    int64_t m = after + 1 - (((after + 1) % 60) + 60) % 60, cur, n, jump;
    int s, y, tries, error;

    assert(out && x);
    if (!x->cron)
        return ra_err_set(err, RA_EUSAGE,
                          "schedule '%.80s': an interval, no wall-clock times", x->text);
    /* the minute holding after + 1 may still have a second to come */
    if ((error = ra_cron_next(&n, x->cron, m - 1, tz, err)) < 0 && error != RA_ENOTFOUND)
        return error;
    cur = m;
    if (!error && n == m && (s = first_sec(x->secs, (int)(after + 1 - m))) >= 0) {
        y = local_year(m, tz, x->text, err);
        if (y >= YEAR_MIN && y <= YEAR_MAX && x->years[y - YEAR_MIN]) {
            *out = m + s;
            return 0;
        }
    }
    for (tries = 0; tries < NEXT_TRIES; tries++) {
        if ((error = ra_cron_next(&n, x->cron, cur, tz, err)) < 0)
            return error;
        y = local_year(n, tz, x->text, err);
        if (y >= YEAR_MIN && y <= YEAR_MAX && x->years[y - YEAR_MIN]) {
            *out = n + first_sec(x->secs, 0);
            return 0;
        }
        if (!(y = next_year(x, y < YEAR_MIN ? YEAR_MIN - 1 : y)))
            break;
        jump = year_start(y, tz, x->text, err);
        cur = jump > n ? jump : n;
    }
    return ra_err_set(err, RA_ENOTFOUND, "schedule '%.80s': no firing in the years given",
                      x->text);
}
