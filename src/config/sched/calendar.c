/* SPDX-License-Identifier: MIT */
/* systemd calendar events: a parser into per-field item lists kept as calendarspec.c
 * keeps them, and the normalized form. The search is in calendar_next.c. */
#include "config/sched/calendar.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/sched/calendar_internal.h"
#include "config/sched/tz.h"
#include "config/text/span.h"
#include "util/buf.h"

static const struct field {
    const char *name;
    int min, max, width;
} fields[RA_CAL_FIELDS] = {
    {"year", RA_CAL_YEAR_MIN, RA_CAL_YEAR_MAX, 4},
    {"month", 1, 12, 2},
    {"day", 1, 31, 2},
    {"hour", 0, 23, 2},
    {"minute", 0, 59, 2},
    {"second", 0, 59, 2},
};

#define EOM_DAY_MAX 28 /* "~28": systemd forbids counting back further */
#define CHAIN_MAX 240  /* items per field, as systemd's CALENDARSPEC_COMPONENTS_MAX */
#define ALL_WEEKDAYS 0x7fu
#define TOKEN_SHOWN 40 /* longest token quoted in a message */

static const char *const weekday_names[7][2] = {
    {"Monday", "Mon"}, {"Tuesday", "Tue"},  {"Wednesday", "Wed"}, {"Thursday", "Thu"},
    {"Friday", "Fri"}, {"Saturday", "Sat"}, {"Sunday", "Sun"},
};

/* Shorthands and what they stand for (systemd.time(7), calendar_spec_from_string). */
static const struct {
    const char *name, *expansion;
} shorthands[] = {
    {"minutely", "*-*-* *:*:00"},
    {"hourly", "*-*-* *:00:00"},
    {"daily", "*-*-* 00:00:00"},
    {"monthly", "*-*-01 00:00:00"},
    {"weekly", "Mon *-*-* 00:00:00"},
    {"yearly", "*-01-01 00:00:00"},
    {"annually", "*-01-01 00:00:00"},
    {"anually", "*-01-01 00:00:00"},
    {"quarterly", "*-01,04,07,10-01 00:00:00"},
    {"semiannually", "*-01,07-01 00:00:00"},
    {"semi-annually", "*-01,07-01 00:00:00"},
    {"biannually", "*-01,07-01 00:00:00"},
    {"bi-annually", "*-01,07-01 00:00:00"},
};

/* ---- parsing ---- */

/* An item while parsing, with its text for messages. */
struct item {
    struct ra_cal_comp c;
    const char *tok;
    int len;
};

struct items {
    struct item *v;
    size_t n, cap;
    bool star;
};

struct parser {
    const char *expr; /* the whole expression, for messages */
    struct ra_calendar *cal;
    struct ra_err *err;
};

static int shown(size_t n)
{
    return (int)(n > TOKEN_SHOWN ? TOKEN_SHOWN : n);
}

static int bad(const struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bad(const struct parser *p, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ra_err_set(p->err, RA_EFORMAT, "OnCalendar '%.80s': %s", p->expr, msg);
}

/* "bad date '...'" quoting the word at s. */
static int bad_part(const struct parser *p, const char *part, const char *s)
{
    return bad(p, "bad %s '%.*s'", part, shown(strcspn(s, " ")), s);
}

static void items_release(struct items *it)
{
    free(it->v);
    *it = (struct items){0};
}

/* Decimal digits at *s, at most `cap` (larger values come out as cap). */
static bool read_digits(int64_t *out, const char **s, int64_t cap)
{
    const char *q = *s;
    int64_t v = 0;

    if (!isdigit((unsigned char)*q))
        return false;
    for (; isdigit((unsigned char)*q); q++)
        v = v >= cap ? cap : v * 10 + (*q - '0');
    *out = v > cap ? cap : v;
    *s = q;
    return true;
}

/* A field value; huge ones come out as INT32_MAX, which no field takes. */
static bool read_number(int *out, const char **s)
{
    int64_t v;

    if (!read_digits(&v, s, INT32_MAX))
        return false;
    *out = (int)v;
    return true;
}

/* The length of the item at s, for messages: up to the next separator, at least one
 * character. */
static size_t token_len(const char *s)
{
    return *s ? 1 + strcspn(s + 1, " ,-~:") : 0;
}

/* After a number in the seconds field: systemd's "00.5"; ours counts whole seconds. */
static bool fraction_follows(const char *q, bool seconds)
{
    return seconds && q[0] == '.' && q[1] != '.';
}

/* One item at *s; it ends at the end of the text or at one of " ,-~:". */
static int parse_item(struct item *it, const struct parser *p, const char **s,
                      const char *part, bool seconds)
{
    const char *q = *s;

    it->tok = q;
    it->c = (struct ra_cal_comp){0, -1, 0};
    if (!read_number(&it->c.start, &q))
        goto bad_value;
    if (fraction_follows(q, seconds))
        goto fraction;
    if (q[0] == '.' && q[1] == '.') {
        q += 2;
        if (!read_number(&it->c.stop, &q))
            goto bad_value;
        if (fraction_follows(q, seconds))
            goto fraction;
        it->c.repeat = 1;
    }
    if (*q == '/') {
        q++;
        if (!read_number(&it->c.repeat, &q))
            goto bad_value;
        if (fraction_follows(q, seconds))
            goto fraction;
        if (it->c.repeat == 0)
            return bad(p, "%s: repetition '%.*s' is zero", part, shown((size_t)(q - *s)),
                       *s);
    } else if (seconds && it->c.stop >= 0 && it->c.start >= it->c.stop) {
        /* systemd refuses second ranges shorter than its 1 s step, "5..5" too */
        return bad(p, "second range %.*s is empty", shown((size_t)(q - *s)), *s);
    }
    if (*q && !strchr(" ,-~:", *q))
        goto bad_value;
    it->len = (int)(q - *s);
    *s = q;
    return 0;

bad_value:
    return bad(p, "%s: bad value '%.*s'", part, shown(token_len(*s)), *s);
fraction:
    return bad(p, "second '%.*s': fractional seconds are not supported",
               shown(strcspn(*s, " ,")), *s);
}

/* A field at *s: `*`, or items joined by ','. */
static int parse_chain(struct items *out, const struct parser *p, const char **s,
                       const char *part, bool seconds)
{
    const char *q = *s;
    int error;

    if (*q == '*') {
        if (q[1] == '/')
            return bad(p, "%s '%.*s': '*' cannot repeat, start from a value ('0/...')",
                       part, shown(strcspn(q, " ,:-")), q);
        out->star = true;
        *s = q + 1;
        return 0;
    }
    for (;;) {
        if (out->n == CHAIN_MAX)
            return bad(p, "%s: more than %d values in one field", part, CHAIN_MAX);
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 4;
            out->v = ra_xrealloc(out->v, out->cap * sizeof(*out->v));
        }
        if ((error = parse_item(&out->v[out->n], p, &q, part, seconds)) < 0)
            return error;
        out->n++;
        if (*q != ',')
            break;
        q++;
    }
    *s = q;
    return 0;
}

/* systemd's normalize_chain for one item: trim the range to a whole number of
 * repetitions, and drop a repetition that cannot happen even once. */
static void normalize_comp(struct ra_cal_comp *c)
{
    if (c->stop > c->start && c->repeat > 0)
        c->stop -= (c->stop - c->start) % c->repeat;
    if ((c->stop > c->start && c->repeat > 0 && c->start + c->repeat > c->stop) ||
        c->start == c->stop) {
        c->repeat = 0;
        c->stop = -1;
    }
}

/* systemd's chain_valid for one item. */
static int check_comp(const struct parser *p, int f, bool eom, const struct item *it)
{
    const struct field *fd = &fields[f];
    const struct ra_cal_comp *c = &it->c;
    int from = fd->min, to = eom ? EOM_DAY_MAX : fd->max;
    const char *tilde = eom ? "~" : "";

    if (c->start < from || c->start > to ||
        (c->stop >= 0 && (c->stop < from || c->stop > to)))
        return bad(p, "%s %s%.*s out of range %s%d-%s%d", fd->name, tilde,
                   shown((size_t)it->len), it->tok, tilde, from, tilde, to);
    if (c->repeat > to - from)
        return bad(p, "%s %s%.*s: repetition longer than the field", fd->name, tilde,
                   shown((size_t)it->len), it->tok);
    if (c->stop >= 0 && c->start + c->repeat > c->stop)
        return bad(p, "%s range %s%.*s is empty", fd->name, tilde, shown((size_t)it->len),
                   it->tok);
    if (c->stop < 0 && (eom ? c->start - c->repeat < from : c->start + c->repeat > to))
        return bad(p, "%s %s%.*s never repeats within %s%d-%s%d", fd->name, tilde,
                   shown((size_t)it->len), it->tok, tilde, from, tilde, to);
    return 0;
}

/* systemd's chain_valid lowers its limit for '~' days by 3 on every item it recurses
 * into, so item k of the sorted list (from 0) must stay within ~(28 - 3k):
 * "*-*~01,28" is rejected, "*-*~01,25" accepted. systemd rejects the whole value. */
static int check_eom_list(const struct parser *p, const struct ra_cal_chain *ch)
{
    const struct ra_cal_comp *c;
    size_t k;
    int to;

    for (k = 1; k < ch->n; k++) {
        c = &ch->v[k];
        to = EOM_DAY_MAX - 3 * (int)k;
        if (c->start > to || c->stop > to || c->repeat > to - 1)
            return bad(p,
                       "day ~%02d: item %zu of a '~' list, systemd takes it only up to "
                       "~%02d",
                       c->stop > to ? c->stop : c->start, k + 1, to < 0 ? 0 : to);
    }
    return 0;
}

static int cmp_comp(const void *a, const void *b)
{
    const struct ra_cal_comp *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->stop != y->stop)
        return x->stop < y->stop ? -1 : 1;
    return x->repeat < y->repeat ? -1 : x->repeat > y->repeat;
}

/* Check the parsed items of field f and store them, sorted and unique. */
static int finish_chain(const struct parser *p, int f, struct items *it)
{
    struct ra_cal_chain *ch = &p->cal->f[f];
    bool eom = f == RA_CAL_DAY && p->cal->end_of_month;
    size_t i;
    int error;

    if (it->star) {
        if (f == RA_CAL_SECOND) { /* systemd keeps `*` seconds as 0/1 */
            ch->v = ra_xmalloc(sizeof(*ch->v));
            ch->v[0] = (struct ra_cal_comp){0, -1, 1};
            ch->n = 1;
        }
        return 0;
    }
    for (i = 0; i < it->n; i++) {
        struct ra_cal_comp *c = &it->v[i].c;

        if (f == RA_CAL_YEAR) { /* 12 is 2012, 89 is 1989 */
            c->start += c->start < 70 ? 2000 : c->start < 100 ? 1900 : 0;
            if (c->stop >= 0)
                c->stop += c->stop < 70 ? 2000 : c->stop < 100 ? 1900 : 0;
        }
        normalize_comp(c);
        if ((error = check_comp(p, f, eom, &it->v[i])) < 0)
            return error;
    }
    ch->v = ra_xmalloc(it->n * sizeof(*ch->v));
    for (i = 0; i < it->n; i++)
        ch->v[i] = it->v[i].c;
    qsort(ch->v, it->n, sizeof(*ch->v), cmp_comp);
    for (i = 0; i < it->n; i++)
        if (!ch->n || cmp_comp(&ch->v[ch->n - 1], &ch->v[i]) != 0)
            ch->v[ch->n++] = ch->v[i];
    return eom ? check_eom_list(p, ch) : 0;
}

/* Fix field f to one value. */
static void set_const(struct ra_calendar *c, int f, int v)
{
    c->f[f].v = ra_xmalloc(sizeof(*c->f[f].v));
    c->f[f].v[0] = (struct ra_cal_comp){v, -1, 0};
    c->f[f].n = 1;
}

/* The weekday named at s (long name or three letters, any case): its number from
 * Monday = 0, and its length in *len; -1 if none. */
static int match_weekday(const char *s, size_t *len)
{
    int d, k;

    for (d = 0; d < 7; d++) {
        for (k = 0; k < 2; k++) {
            *len = strlen(weekday_names[d][k]);
            if (!strncasecmp(s, weekday_names[d][k], *len))
                return d;
        }
    }
    return -1;
}

/* WEEKDAYS at *s, if any: names joined by ',' (list) and '..' or '-' (range). */
static int parse_weekdays(const struct parser *p, const char **s)
{
    const char *q = *s, *tok;
    int d, from = -1, k;
    size_t len;

    for (;;) {
        tok = q;
        if ((d = match_weekday(q, &len)) < 0) {
            if (q == *s)
                return 0; /* no weekdays: a date or a time follows */
            return bad(p, "weekday: bad name '%.*s'", shown(strcspn(q, " ,.-")), q);
        }
        q += len;
        if (*q && !strchr("-., ", *q))
            return bad(p, "weekday: bad name '%.*s'", shown(strcspn(tok, " ,.-")), tok);
        p->cal->weekdays |= 1u << d;
        if (from >= 0) {
            if (from > d)
                return bad(p, "weekday range '%s..%s' goes backwards",
                           weekday_names[from][1], weekday_names[d][1]);
            for (k = from + 1; k < d; k++)
                p->cal->weekdays |= 1u << k;
        }
        if (!*q || *q == ' ')
            break;
        if (*q == ',') {
            from = -1;
            q++;
        } else if (from >= 0 || (*q == '.' && q[1] != '.')) {
            return bad(p, "weekday: bad range '%.*s'", shown(strcspn(*s, " ")), *s);
        } else {
            from = d;
            q += *q == '.' ? 2 : 1;
        }
        if (!*q || *q == ' ') {
            if (from >= 0)
                return bad(p, "weekday: open range '%.*s'", shown(strcspn(*s, " ")), *s);
            break;
        }
    }
    *s = q + strspn(q, " ");
    return 0;
}

static bool word_has_colon(const char *s)
{
    return memchr(s, ':', strcspn(s, " ")) != NULL;
}

/* [[YEAR-]MONTH-DAY] at *s, if any; '~' before the day counts it from the month's end. */
static int parse_date(const struct parser *p, const char **s)
{
    struct items a = {0}, b = {0}, d = {0};
    const char *q = *s;
    bool three = false;
    int error = 0;

    if (!*q)
        return 0;
    if (!isdigit((unsigned char)*q) && *q != '*')
        return bad(p, "'%.*s': not a weekday, date or time", shown(strcspn(q, " ")), q);
    if ((error = parse_chain(&a, p, &q, word_has_colon(q) ? "time" : "date", false)) < 0)
        goto done;
    if (!*q || *q == ':')
        goto done; /* a time, not a date: *s stays */
    if (*q != '-' && *q != '~') {
        error = bad_part(p, "date", *s);
        goto done;
    }
    p->cal->end_of_month = *q++ == '~';
    if ((error = parse_chain(&b, p, &q, "date", false)) < 0)
        goto done;
    if (*q && *q != ' ') {
        if (p->cal->end_of_month || (*q != '-' && *q != '~')) {
            error = bad_part(p, "date", *s);
            goto done;
        }
        p->cal->end_of_month = *q++ == '~';
        if ((error = parse_chain(&d, p, &q, "date", false)) < 0)
            goto done;
        if (*q && *q != ' ') {
            error = bad_part(p, "date", *s);
            goto done;
        }
        three = true;
    }
    if ((three && (error = finish_chain(p, RA_CAL_YEAR, &a)) < 0) ||
        (error = finish_chain(p, RA_CAL_MONTH, three ? &b : &a)) < 0 ||
        (error = finish_chain(p, RA_CAL_DAY, three ? &d : &b)) < 0)
        goto done;
    *s = q + strspn(q, " ");

done:
    items_release(&a);
    items_release(&b);
    items_release(&d);
    return error;
}

/* HOUR:MINUTE[:SECOND] at *s, which must end there; nothing means 00:00:00. */
static int parse_time(const struct parser *p, const char *s)
{
    struct items h = {0}, m = {0}, sec = {0};
    const char *q = s;
    int error = 0;

    if (!*q) {
        set_const(p->cal, RA_CAL_HOUR, 0);
        set_const(p->cal, RA_CAL_MINUTE, 0);
        set_const(p->cal, RA_CAL_SECOND, 0);
        return 0;
    }
    if ((error = parse_chain(&h, p, &q, "time", false)) < 0)
        goto done;
    if (*q != ':') {
        error = bad_part(p, "time", s);
        goto done;
    }
    q++;
    if ((error = parse_chain(&m, p, &q, "time", false)) < 0)
        goto done;
    if (*q == ':') {
        q++;
        if ((error = parse_chain(&sec, p, &q, "time", true)) < 0)
            goto done;
    }
    if (*q) {
        error = bad_part(p, "time", s);
        goto done;
    }
    if ((error = finish_chain(p, RA_CAL_HOUR, &h)) < 0 ||
        (error = finish_chain(p, RA_CAL_MINUTE, &m)) < 0)
        goto done;
    if (sec.n || sec.star)
        error = finish_chain(p, RA_CAL_SECOND, &sec);
    else
        set_const(p->cal, RA_CAL_SECOND, 0);

done:
    items_release(&h);
    items_release(&m);
    items_release(&sec);
    return error;
}

/* "@SECONDS": that one instant, in UTC. */
static int parse_timestamp(const struct parser *p, const char *s)
{
    const char *q = s;
    struct tm tm;
    time_t tt;
    int64_t v;

    if (!read_digits(&v, &q, INT64_C(1) << 40) || *q)
        return bad_part(p, "timestamp", s - 1);
    tt = (time_t)v;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > fields[RA_CAL_YEAR].max)
        return bad(p, "timestamp '@%.*s' out of range", shown(strlen(s)), s);
    set_const(p->cal, RA_CAL_YEAR, tm.tm_year + 1900);
    set_const(p->cal, RA_CAL_MONTH, tm.tm_mon + 1);
    set_const(p->cal, RA_CAL_DAY, tm.tm_mday);
    set_const(p->cal, RA_CAL_HOUR, tm.tm_hour);
    set_const(p->cal, RA_CAL_MINUTE, tm.tm_min);
    set_const(p->cal, RA_CAL_SECOND, tm.tm_sec);
    p->cal->utc = true;
    free(p->cal->zone);
    p->cal->zone = NULL;
    return 0;
}

static int parse_body(const struct parser *p, const char *s)
{
    size_t i;
    int error;

    if (!*s)
        return bad(p, "empty expression");
    for (i = 0; i < RA_ARRAY_SIZE(shorthands); i++)
        if (!strcasecmp(s, shorthands[i].name))
            return parse_body(p, shorthands[i].expansion);
    if (*s == '@')
        return parse_timestamp(p, s + 1);
    if ((error = parse_weekdays(p, &s)) < 0 || (error = parse_date(p, &s)) < 0)
        return error;
    return parse_time(p, s);
}

static bool is_blank(char ch)
{
    return ch && isspace((unsigned char)ch);
}

/* Cut a trailing zone off body (systemd: " UTC" in any case, else the last word if it
 * names a zone) and note it in c. Returns the last word when it is left in place. */
static const char *split_zone(struct ra_calendar *c, char *body)
{
    char *e, *space = strrchr(body, ' ');

    if (!space)
        return NULL;
    if (!strcasecmp(space + 1, "UTC")) {
        c->utc = true;
    } else if (ra_tz_known(space + 1)) {
        c->zone = ra_xstrdup(space + 1);
    } else {
        return space + 1;
    }
    for (e = space; e > body && is_blank(e[-1]); e--)
        ;
    *e = '\0';
    return NULL;
}

/* body failed to parse: was its last word meant as a zone? It was if it is not a
 * number or `*` and everything before it parses. */
static bool bad_zone(const struct parser *p, const char *body, const char *last)
{
    struct ra_calendar scratch = {0};
    struct parser q = {p->expr, &scratch, NULL};
    char *head;
    bool yes;
    int f;

    if (!last || !isalpha((unsigned char)*last))
        return false;
    head = ra_xstrndup(body, (size_t)(last - 1 - body));
    yes = parse_body(&q, head) == 0;
    for (f = 0; f < RA_CAL_FIELDS; f++)
        free(scratch.f[f].v);
    free(head);
    return yes;
}

int ra_calendar_parse(struct ra_calendar **out, const char *expr, struct ra_err *err)
{
    struct ra_calendar *c = NULL;
    struct parser p = {expr, NULL, err};
    const char *s = expr, *e, *last;
    size_t len;
    char *body = NULL;
    int error;

    assert(out && expr);
    *out = NULL;

    len = strlen(s);
    ra_span_trim(&s, &len);
    e = s + len;
    c = ra_xcalloc(1, sizeof(*c));
    c->text = ra_xstrndup(s, (size_t)(e - s));
    body = ra_xstrdup(c->text);
    p.expr = c->text;
    p.cal = c;

    last = split_zone(c, body);
    if ((error = parse_body(&p, body)) < 0) {
        if (bad_zone(&p, body, last))
            ra_err_set(err, error, "OnCalendar '%.80s': unknown time zone '%.64s'",
                       c->text, last);
        goto done;
    }
    if (c->weekdays == ALL_WEEKDAYS)
        c->weekdays = 0;
    if (!c->f[RA_CAL_DAY].n)
        c->end_of_month = false;

    *out = c;
    c = NULL;

done:
    free(body);
    ra_calendar_free(c);
    return error;
}

void ra_calendar_free(struct ra_calendar *c)
{
    int f;

    if (!c)
        return;
    for (f = 0; f < RA_CAL_FIELDS; f++)
        free(c->f[f].v);
    free(c->zone);
    free(c->text);
    free(c);
}

const char *ra_calendar_zone(const struct ra_calendar *c)
{
    return c->utc ? "UTC" : c->zone;
}

/* ---- normalized form ---- */

static void put_weekdays(struct ra_buf *out, unsigned bits)
{
    int d = 0, end;
    bool first = true;

    while (d < 7) {
        if (!(bits & 1u << d)) {
            d++;
            continue;
        }
        for (end = d; end + 1 < 7 && (bits & 1u << (end + 1)); end++)
            ;
        ra_buf_printf(out, "%s%s", first ? "" : ",", weekday_names[d][1]);
        if (end > d)
            ra_buf_printf(out, "%s%s", end > d + 1 ? ".." : ",", weekday_names[end][1]);
        first = false;
        d = end + 1;
    }
    ra_buf_putc(out, ' ');
}

static void put_chain(struct ra_buf *out, const struct ra_cal_chain *ch, int f)
{
    const struct ra_cal_comp *c;
    int w = fields[f].width;
    size_t i;

    if (!ch->n) {
        ra_buf_putc(out, '*');
        return;
    }
    for (i = 0; f == RA_CAL_SECOND && i < ch->n; i++) {
        if (ch->v[i].start == 0 && ch->v[i].stop < 0 && ch->v[i].repeat == 1) {
            ra_buf_putc(out, '*'); /* every second, whatever else is listed */
            return;
        }
    }
    for (i = 0; i < ch->n; i++) {
        c = &ch->v[i];
        ra_buf_printf(out, "%s%0*d", i ? "," : "", w, c->start);
        if (c->stop > 0)
            ra_buf_printf(out, "..%0*d", w, c->stop);
        if (c->repeat > 0 && !(c->stop > 0 && c->repeat == 1))
            ra_buf_printf(out, "/%d", c->repeat);
    }
}

void ra_calendar_normalized(struct ra_buf *out, const struct ra_calendar *c)
{
    static const char seps[RA_CAL_FIELDS] = {'-', '-', ' ', ':', ':', '\0'};
    int f;

    assert(out && c);
    if (c->weekdays)
        put_weekdays(out, c->weekdays);
    for (f = 0; f < RA_CAL_FIELDS; f++) {
        put_chain(out, &c->f[f], f);
        if (seps[f])
            ra_buf_putc(out, f == RA_CAL_MONTH && c->end_of_month ? '~' : seps[f]);
    }
    if (c->utc)
        ra_buf_puts(out, " UTC");
    else if (c->zone)
        ra_buf_printf(out, " %s", c->zone);
}
