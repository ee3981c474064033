/* SPDX-License-Identifier: MIT */
/* UTC time parsing and formatting. */
#include "util/time.h"

#include <ctype.h>
#include <stdio.h>
#include <time.h>

ra_time ra_time_from_fields(int year, int mon, int day, int hour, int min, int sec)
{
    /* Howard Hinnant's days_from_civil */
    int64_t y = (int64_t)year - (mon <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;

    return days * 86400 + hour * 3600 + min * 60 + sec;
}

char *ra_time_format(char out[RA_TIME_STRLEN], ra_time t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t == RA_TIME_NONE || !gmtime_r(&tt, &tm)) {
        out[0] = '\0';
        return out;
    }
    snprintf(out, RA_TIME_STRLEN, "%04lld-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900LL,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return out;
}

/* Read exactly n digits. */
static int digits(const char **s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

static int fields_valid(int y, int mo, int d, int h, int mi, int s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return 0;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    /* 24:00:00 is the end of the day, nothing later */
    return h >= 0 && (h < 24 || (h == 24 && mi == 0 && s == 0)) && mi >= 0 && mi < 60 &&
           s >= 0 && s <= 60;
}

int ra_time_parse(ra_time *out, const char *s)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
    ra_time t;

    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
        digits(&s, 2, &d))
        return RA_EFORMAT;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
            return RA_EFORMAT;
        if (*s == ':') {
            s++;
            if (digits(&s, 2, &sec))
                return RA_EFORMAT;
            if (*s == '.' || *s == ',') {
                s++;
                if (!isdigit((unsigned char)*s))
                    return RA_EFORMAT;
                while (isdigit((unsigned char)*s))
                    s++;
            }
        }
    }
    if (!fields_valid(y, mo, d, h, mi, sec))
        return RA_EFORMAT;
    t = ra_time_from_fields(y, mo, d, h, mi, sec);
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        sign = *s++ == '-' ? -1 : 1;
        if (digits(&s, 2, &oh))
            return RA_EFORMAT;
        if (*s == ':')
            s++;
        if (digits(&s, 2, &om) || oh > 23 || om > 59)
            return RA_EFORMAT;
        t -= sign * (oh * 3600 + om * 60);
    }
    if (*s)
        return RA_EFORMAT;
    *out = t;
    return 0;
}

/* Synology: "GMT+00_2026.04.12-01.00" (the folder's local time at that offset). */
static int synology_at(ra_time *out, const char *p)
{
    int oh, y, mo, d, h, mi, sign;

    if (strncmp(p, "GMT", 3) || (p[3] != '+' && p[3] != '-'))
        return -1;
    sign = p[3] == '-' ? -1 : 1;
    p += 4;
    if (digits(&p, 2, &oh) || *p++ != '_' || digits(&p, 4, &y) || *p++ != '.' ||
        digits(&p, 2, &mo) || *p++ != '.' || digits(&p, 2, &d) || *p++ != '-' ||
        digits(&p, 2, &h) || *p++ != '.' || digits(&p, 2, &mi))
        return -1;
    if (!fields_valid(y, mo, d, h, mi, 0) || oh > 14)
        return -1;
    *out = ra_time_from_fields(y, mo, d, h, mi, 0) - sign * oh * 3600;
    return 0;
}

static int is_sep(char c)
{
    return c == '-' || c == '.' || c == '_';
}

/* Generic: YYYY[sep]MM[sep]DD then [T _-] HH[sep or :]MM[[sep or :]SS] [Z]. */
static int generic_at(ra_time *out, const char *p)
{
    int y, mo, d, h, mi, sec = 0;
    char sep = 0;

    if (digits(&p, 4, &y))
        return -1;
    if (is_sep(*p))
        sep = *p++;
    if (digits(&p, 2, &mo))
        return -1;
    if (sep && *p++ != sep)
        return -1;
    if (digits(&p, 2, &d) || isdigit((unsigned char)*p))
        return -1;
    if (*p != 'T' && *p != 't' && *p != '_' && *p != '-' && *p != ' ')
        return -1;
    p++;
    if (digits(&p, 2, &h))
        return -1;
    if (*p == ':' || is_sep(*p))
        p++;
    if (digits(&p, 2, &mi))
        return -1;
    if ((*p == ':' || is_sep(*p)) && isdigit((unsigned char)p[1])) {
        p++;
        if (digits(&p, 2, &sec))
            return -1;
    } else if (isdigit((unsigned char)*p)) {
        if (digits(&p, 2, &sec))
            return -1;
    }
    if (isdigit((unsigned char)*p) || !fields_valid(y, mo, d, h, mi, sec))
        return -1;
    *out = ra_time_from_fields(y, mo, d, h, mi, sec);
    return 0;
}

int ra_time_from_name(ra_time *out, const char *name)
{
    const char *p;

    for (p = name; *p; p++) {
        if (*p == 'G' && !synology_at(out, p))
            return 0;
    }
    for (p = name; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > name && isdigit((unsigned char)p[-1])))
            continue;
        if (!generic_at(out, p))
            return 0;
    }
    return RA_ENOTFOUND;
}

int ra_time_date_from_name(ra_time *out, const char *name)
{
    const char *p, *q;
    int y, mo, d;

    for (p = name; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > name && isdigit((unsigned char)p[-1])))
            continue;
        q = p;
        if (digits(&q, 4, &y) || *q++ != '-' || digits(&q, 2, &mo) || *q++ != '-' ||
            digits(&q, 2, &d) || isdigit((unsigned char)*q) ||
            !fields_valid(y, mo, d, 0, 0, 0))
            continue;
        *out = ra_time_from_fields(y, mo, d, 0, 0, 0);
        return 0;
    }
    return RA_ENOTFOUND;
}
