/* SPDX-License-Identifier: MIT */
/* A snapshot's likely time from the backup job that made it. */
#include "analysis/snaptime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config/jobs/jobs.h"
#include "util/buf.h"

/* The format of a date command at s ("date +%F)" or "date -u +%Y%m%d`"), up to the
 * closing c, into fmt; the length read, or 0. */
static size_t date_format(struct ra_buf *fmt, const char *s, char close)
{
    const char *p = s, *end = strchr(s, close);

    if (!end || strncmp(p, "date", 4) || (p[4] != ' ' && p[4] != '\t'))
        return 0;
    for (p += 4; p < end && *p != '+'; p++)
        ;
    if (p == end)
        return 0;
    for (p++; p < end; p++) {
        if (*p == '\\' && p + 1 < end && p[1] == '%')
            continue; /* crontab's \% */
        if (*p == '\'' || *p == '"')
            continue;
        ra_buf_putc(fmt, *p);
    }
    return (size_t)(end - s) + 1;
}

void ra_snaptime_expand_date(struct ra_buf *out, const char *pattern, ra_time t)
{
    struct ra_buf fmt = RA_BUF_INIT;
    const char *p = pattern;
    char stamp[128];
    time_t tt = (time_t)t;
    struct tm tm;
    size_t n;

    ra_buf_truncate(out, 0);
    gmtime_r(&tt, &tm);
    while (*p) {
        ra_buf_truncate(&fmt, 0);
        n = 0;
        if (!strncmp(p, "$(", 2))
            n = date_format(&fmt, p + 2, ')');
        else if (*p == '`')
            n = date_format(&fmt, p + 1, '`');
        if (n && strftime(stamp, sizeof(stamp), ra_buf_cstr(&fmt), &tm)) {
            ra_buf_puts(out, stamp);
            p += n + (*p == '`' ? 1 : 2);
            continue;
        }
        ra_buf_putc(out, *p++);
    }
    ra_buf_cstr(out);
    ra_buf_release(&fmt);
}

static const char *base_of(const char *s)
{
    const char *b = strrchr(s, '/');

    return b ? b + 1 : s;
}

/* Is name what firing f writes? */
static int writes_name(const struct ra_firing *f, const char *name, struct ra_buf *tmp)
{
    if (!f->backup_to || !name)
        return 0;
    ra_snaptime_expand_date(tmp, f->backup_to, f->time);
    return !strcmp(base_of(tmp->ptr), name);
}

/* The backup run that most likely made the snapshot of s, or NULL. */
static const struct ra_firing *pick(const struct ra_snapshot *s, ra_time until,
                                    const struct ra_firing *firings, size_t n,
                                    int *by_name)
{
    const struct ra_firing *first = NULL;
    struct ra_buf tmp = RA_BUF_INIT;
    size_t i;

    *by_name = 0;
    for (i = 0; i < n; i++) {
        const struct ra_firing *f = &firings[i];
        if (!(f->classes & RA_JOB_BACKUP) || f->time < s->newest_mtime)
            continue;
        if (until != RA_TIME_NONE && f->time >= until)
            break;
        if (writes_name(f, s->name, &tmp)) {
            *by_name = 1;
            first = f;
            break;
        }
        if (!first && f->time - s->newest_mtime <= RA_SNAPTIME_LAG)
            first = f;
    }
    ra_buf_release(&tmp);
    return first;
}

void ra_snaptime_from_backups(struct ra_scan **scans, size_t nscans,
                              const struct ra_firing *firings, size_t n,
                              struct ra_pool *pool, struct ra_vec *notes)
{
    struct ra_buf msg = RA_BUF_INIT;
    char a[RA_TIME_STRLEN], b[RA_TIME_STRLEN];
    const struct ra_firing *f;
    size_t i;
    int by_name;

    for (i = 0; i < nscans; i++) {
        struct ra_snapshot *s = scans[i]->snap;
        ra_time until = i + 1 < nscans ? scans[i + 1]->snap->taken_at : RA_TIME_NONE;
        if (s->taken_source != RA_TAKEN_MTIME || s->newest_mtime == RA_TIME_NONE)
            continue;
        if (!(f = pick(s, until, firings, n, &by_name)))
            continue;
        ra_buf_truncate(&msg, 0);
        ra_buf_printf(&msg,
                      "snapshot '%s': its contents give only a lower bound (newest mtime "
                      "%s); backup job '%s' (%s%s%s) ran at %s, %s: taken as the likely "
                      "time the snapshot was made",
                      s->name, ra_time_format(a, s->newest_mtime), f->job_name,
                      f->defined_in, f->commit ? " @ " : "", f->commit ? f->commit : "",
                      ra_time_format(b, f->time),
                      by_name ? "and writes exactly this name at that run"
                              : "its first run after that bound (a later run of an idle "
                                "registry would look the same)");
        ra_vec_push(notes, ra_pool_strdup(pool, ra_buf_cstr(&msg)));
        s->taken_at = f->time;
        s->taken_source = RA_TAKEN_BACKUP_JOB;
    }
    ra_buf_release(&msg);
}
