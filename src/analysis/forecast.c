/* SPDX-License-Identifier: MIT */
#include "analysis/forecast.h"

#include <string.h>

static const struct ra_job *head_job(const struct ra_sched_job *j)
{
    const struct ra_job_version *v =
        j->versions.len ? j->versions.items[j->versions.len - 1] : NULL;

    return v && v->job && !v->job->disabled && !v->job->absent ? v->job : NULL;
}

int ra_forecast_head_gc(struct ra_gc_opts *gc, const struct ra_schedule *s,
                        const char *job_id)
{
    const struct ra_image_version *img;
    const struct ra_job *job = NULL;
    size_t i;

    for (i = 0; s && i < s->jobs.len && !job; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        if (!strcmp(j->id, job_id))
            job = head_job(j);
    }
    if (!job)
        return 0;
    gc->delete_untagged = job->gc.delete_untagged;
    img = s->images.len ? s->images.items[s->images.len - 1] : NULL;
    if (img && img->image && img->image->version)
        gc->version = img->image->version[0] == '3' ? RA_GC_V3 : RA_GC_V2;
    return 1;
}

static unsigned job_classes(const struct ra_sched_job *j)
{
    unsigned c = 0;
    size_t k;

    for (k = 0; k < j->versions.len; k++) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            c |= v->job->classes;
    }
    return c;
}

static const char *job_name(const struct ra_sched_job *j)
{
    size_t k;

    for (k = j->versions.len; k-- > 0;) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            return v->job->name;
    }
    return j->id;
}

static int cmp_change(const void *a, const void *b)
{
    const struct ra_config_change *x = *(const struct ra_config_change *const *)a;
    const struct ra_config_change *y = *(const struct ra_config_change *const *)b;

    if (x->commit->time != y->commit->time)
        return x->commit->time < y->commit->time ? -1 : 1;
    return strcmp(x->what, y->what);
}

static void push(struct ra_vec *out, struct ra_pool *pool, const char *what,
                 const struct ra_commit_info *commit, const char *change)
{
    struct ra_config_change *c = ra_pool_alloc(pool, sizeof(*c));

    c->what = what;
    c->commit = commit;
    c->change = change ? change : "changed";
    ra_vec_push(out, c);
}

void ra_forecast_changes(struct ra_vec *out, struct ra_pool *pool,
                         const struct ra_schedule *s, ra_time since)
{
    const unsigned watch = RA_JOB_GARBAGE_COLLECT | RA_JOB_TAG_PRUNE | RA_JOB_PROBE;
    size_t i, k;

    for (i = 0; s && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        if (!(job_classes(j) & watch))
            continue;
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            if (v->commit && v->commit->time > since)
                push(out, pool, job_name(j), v->commit, v->change);
        }
    }
    for (i = 0; s && i < s->images.len; i++) {
        const struct ra_image_version *v = s->images.items[i];
        if (v->commit && v->commit->time > since)
            push(out, pool, "registry image", v->commit, v->change);
    }
    ra_vec_sort(out, cmp_change);
}

const struct ra_commit_info *ra_forecast_untagged_dropped_by(const struct ra_schedule *s,
                                                             ra_time since)
{
    const struct ra_commit_info *by = NULL;
    int before = 0;
    size_t i, k;

    for (i = 0; s && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        const struct ra_job_version *then = ra_schedule_version_at(j, since);
        const struct ra_job *now = head_job(j);
        if (!(job_classes(j) & RA_JOB_GARBAGE_COLLECT))
            continue;
        if (now && (now->classes & RA_JOB_GARBAGE_COLLECT) && now->gc.delete_untagged)
            return NULL;
        if (then && then->job && then->job->gc.delete_untagged && !then->job->disabled)
            before = 1;
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            if (v->commit && v->commit->time > since &&
                (!by || v->commit->time > by->time))
                by = v->commit;
        }
    }
    return before ? by : NULL;
}

const struct ra_commit_info *ra_forecast_image_pinned_by(const struct ra_schedule *s,
                                                         ra_time since)
{
    const struct ra_image_version *then, *now;

    if (!s || !s->images.len)
        return NULL;
    then = ra_schedule_image_at(s, since);
    now = s->images.items[s->images.len - 1];
    if (!then || !then->floating || now->floating || !now->image || !now->commit ||
        now->commit->time <= since)
        return NULL;
    return now->commit;
}

static int stopped(const struct ra_job_version *v)
{
    return !v->job || v->job->disabled || v->job->absent;
}

const struct ra_job_version *ra_forecast_retired_by(const struct ra_sched_job *j)
{
    const struct ra_job_version *by = NULL;
    size_t k;

    for (k = j->versions.len; k-- > 0;) {
        const struct ra_job_version *v = j->versions.items[k];
        if (!stopped(v))
            break;
        by = v;
    }
    return by;
}

const struct ra_job_version *ra_forecast_defining(const struct ra_sched_job *j)
{
    size_t k;

    for (k = j->versions.len; k-- > 0;) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            return v;
    }
    return NULL;
}
