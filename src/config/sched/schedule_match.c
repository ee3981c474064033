/* SPDX-License-Identifier: MIT */
/* Job identity over history: which job of a commit is which job of the commit before,
 * by content and position rather than by the scanner's file-order ids. */
#include "config/sched/schedule_internal.h"

#include <stdlib.h>

#include "util/buf.h"

/* A job of the previous commit, or of this one, while matching. */
struct side {
    const struct ra_job *job;
    struct ra_sched_job *sj; /* old side: its schedule job; new side: the match */
    int used;
};

struct match {
    struct side *old, *new;
    size_t nold, nnew;
};

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_file(const struct ra_job *a, const struct ra_job *b)
{
    return a->def == b->def && !strcmp(a->path, b->path);
}

static int same_group(const struct ra_job *a, const struct ra_job *b)
{
    return same_file(a, b) && same_str(a->name, b->name);
}

static int same_content(const struct ra_job *a, const struct ra_job *b)
{
    return same_group(a, b) && same_str(a->schedule, b->schedule) &&
           same_str(a->command, b->command) && same_str(a->timezone, b->timezone) &&
           same_str(a->user, b->user) && a->disabled == b->disabled &&
           a->absent == b->absent;
}

static long ldiff(long a, long b)
{
    return a > b ? a - b : b - a;
}

/* How far lines moved near an old job's line: the shift of the nearest job of the same
 * file matched by content (0 when there is none). */
static long shift_near(const struct match *m, const struct ra_job *o)
{
    long best = -1, shift = 0;
    size_t i;

    for (i = 0; i < m->nnew; i++) {
        const struct ra_job *n = m->new[i].job;
        const struct ra_job *a =
            m->new[i].sj && m->new[i].sj->last ? m->new[i].sj->last : NULL;
        long d;
        if (!a || !m->new[i].used || !same_file(n, o) || !same_content(a, n))
            continue;
        d = ldiff((long)a->line, (long)o->line);
        if (best < 0 || d < best) {
            best = d;
            shift = (long)n->line - (long)a->line;
        }
    }
    return shift;
}

static void pair(struct side *o, struct side *n)
{
    o->used = n->used = 1;
    n->sj = o->sj;
}

struct cand {
    long d;
    size_t k, i;
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Pair every unmatched new job with the unmatched old job that ok() accepts and whose
 * line, moved by the shift around it, is nearest; pairs nearest first (ties in file
 * order). Each candidate pair is judged once. */
static void pass(struct match *m, int (*ok)(const struct ra_job *, const struct ra_job *),
                 int shifted)
{
    struct cand *c = NULL;
    size_t n = 0, cap = 0, i, k;

    for (k = 0; k < m->nold; k++) {
        long at;
        if (m->old[k].used)
            continue;
        at = (long)m->old[k].job->line + (shifted ? shift_near(m, m->old[k].job) : 0);
        for (i = 0; i < m->nnew; i++) {
            if (m->new[i].used || !ok(m->old[k].job, m->new[i].job))
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                c = ra_xrealloc(c, cap * sizeof(*c));
            }
            c[n].d = ldiff(at, (long)m->new[i].job->line);
            c[n].k = k;
            c[n++].i = i;
        }
    }
    if (n)
        qsort(c, n, sizeof(*c), cmp_cand);
    for (i = 0; i < n; i++)
        if (!m->old[c[i].k].used && !m->new[c[i].i].used)
            pair(&m->old[c[i].k], &m->new[c[i].i]);
    free(c);
}

/* The common case first: the same id and the same content (nothing moved past it). */
static void same_id_pass(struct match *m)
{
    struct ra_map ids = RA_MAP_INIT;
    size_t i;

    for (i = 0; i < m->nold; i++)
        ra_map_put(&ids, m->old[i].job->id, strlen(m->old[i].job->id), &m->old[i]);
    for (i = 0; i < m->nnew; i++) {
        struct side *o = ra_map_gets(&ids, m->new[i].job->id);
        if (o && !o->used && same_content(o->job, m->new[i].job) &&
            o->job->line == m->new[i].job->line)
            pair(o, &m->new[i]);
    }
    ra_map_release(&ids);
}

static int same_place_schedule(const struct ra_job *o, const struct ra_job *n)
{
    return same_file(o, n) && same_str(o->schedule, n->schedule);
}

/* A new job's id among the schedule's: its own, else its name's with the first free
 * "#k" (its own "#k" removed). */
static const char *free_id(struct ra_schedule *s, struct ra_map *index,
                           const struct ra_job *n)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *id = n->id, *hash;
    size_t base, k;

    if (!ra_map_gets(index, id))
        return id;
    ra_buf_puts(&b, id);
    hash = strrchr(id, '#');
    base = hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1)
               ? (size_t)(hash - id)
               : b.len;
    for (k = 2;; k++) {
        ra_buf_truncate(&b, base);
        ra_buf_printf(&b, "#%zu", k);
        if (!ra_map_gets(index, b.ptr))
            break;
    }
    id = ra_pool_strdup(&s->pool, b.ptr);
    ra_buf_release(&b);
    return id;
}

static void collect_old(struct match *m, struct ra_schedule *s,
                        const struct ra_commit_info *prev)
{
    size_t i;

    m->old = ra_xcalloc(s->jobs.len + 1, sizeof(*m->old));
    for (i = 0; prev && i < s->jobs.len; i++) {
        struct ra_sched_job *j = s->jobs.items[i];
        if (j->last_commit != prev || !j->last)
            continue;
        m->old[m->nold].job = j->last;
        m->old[m->nold++].sj = j;
    }
}

void ra_schedule_match(struct ra_schedule *s, struct ra_map *index,
                       const struct ra_commit_info *prev, const struct ra_commit_info *ci,
                       const struct ra_jobs *jobs)
{
    struct match m = {0};
    size_t i;

    collect_old(&m, s, prev);
    m.new = ra_xcalloc(jobs->jobs.len + 1, sizeof(*m.new));
    for (i = 0; i < jobs->jobs.len; i++)
        m.new[m.nnew++].job = jobs->jobs.items[i];
    same_id_pass(&m);
    pass(&m, same_content, 0);        /* unchanged, wherever it moved */
    pass(&m, same_group, 1);          /* changed in place, lines moved around it */
    pass(&m, same_place_schedule, 1); /* command (and so its name) changed */
    for (i = 0; i < m.nnew; i++) {
        struct side *n = &m.new[i];
        struct ra_sched_job *dead = ra_map_gets(index, n->job->id);
        if (!n->used)
            n->sj = dead && !(dead->last_commit == prev && dead->last)
                        ? dead /* removed before, back now */
                        : ra_schedule_job(s, index, free_id(s, index, n->job));
        ra_schedule_add_version(s, n->sj, ci, n->job);
        n->sj->last = n->job;
        n->sj->last_commit = ci;
    }
    for (i = 0; i < m.nold; i++)
        if (!m.old[i].used)
            ra_schedule_add_version(s, m.old[i].sj, ci, NULL);
    free(m.old);
    free(m.new);
}
