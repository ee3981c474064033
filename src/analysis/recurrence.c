/* SPDX-License-Identifier: MIT */
/* Recurrence of the damaging run. */
#include "analysis/recurrence.h"

#include <string.h>

#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"

/* Does firing f run the same version of the same job as culprit? */
static int same_version(const struct ra_firing *f, const struct ra_firing *culprit)
{
    return !f->api_delete && !strcmp(f->job_id, culprit->job_id) &&
           f->delete_untagged == culprit->delete_untagged &&
           ((!f->commit && !culprit->commit) ||
            (f->commit && culprit->commit && !strcmp(f->commit, culprit->commit)));
}

/* Does version v keep what made the job damaging (its class, and for a garbage-collect
 * the same --delete-untagged)? */
static int keeps_damage(const struct ra_job_version *v, const struct ra_firing *culprit)
{
    return v->job && (v->job->cls & culprit->classes) &&
           (!(culprit->classes & RA_JOB_GARBAGE_COLLECT) ||
            v->job->gc.delete_untagged == culprit->delete_untagged);
}

/* The index of the version culprit ran (its commit), SIZE_MAX when none. */
static size_t version_index(const struct ra_sched_job *job,
                            const struct ra_firing *culprit)
{
    size_t k, n = culprit->commit ? strlen(culprit->commit) : 0;

    for (k = job->versions.len; n && k-- > 0;) {
        const struct ra_job_version *v = job->versions.items[k];
        if (!strncmp(v->commit->id, culprit->commit, n))
            return k;
    }
    return SIZE_MAX;
}

static void fixed_version(struct ra_recurrence *out, const struct ra_sched_job *job,
                          const struct ra_firing *culprit)
{
    size_t k = version_index(job, culprit);

    if (k == SIZE_MAX)
        return;
    for (k++; k < job->versions.len; k++) {
        const struct ra_job_version *v = job->versions.items[k];
        if (!keeps_damage(v, culprit)) {
            out->fixed = v;
            return;
        }
    }
}

ra_time ra_evidence_until(const struct ra_investigation *inv, const char **log)
{
    ra_time t = RA_TIME_NONE;
    size_t i, k;

    *log = NULL;
    for (i = 0; i < inv->nscans; i++)
        if (inv->scans[i]->snap->taken_at != RA_TIME_NONE &&
            (t == RA_TIME_NONE || inv->scans[i]->snap->taken_at > t))
            t = inv->scans[i]->snap->taken_at;
    for (i = 0; i < inv->nlogs; i++)
        for (k = 0; k < inv->logs[i]->events.len; k++) {
            ra_time end = ra_log_event_end(inv->logs[i]->events.items[k]);
            if (end != RA_TIME_NONE && (t == RA_TIME_NONE || end > t)) {
                t = end;
                *log = inv->logs[i]->path;
            }
        }
    return t;
}

/* The end of the evidence, as the investigation found it once. */
static void evidence_until(struct ra_recurrence *out, const struct ra_investigation *inv)
{
    out->evidence_until = inv->firings_until;
    out->evidence_until_log = inv->evidence_until_log;
}

void ra_recurrence_find(struct ra_recurrence *out, const struct ra_investigation *inv,
                        const struct ra_firing *culprit, const struct ra_sched_job *job,
                        ra_time period_to)
{
    size_t i;

    *out = (struct ra_recurrence)RA_RECURRENCE_INIT;
    evidence_until(out, inv);
    if (!culprit || culprit->api_delete || culprit->time == RA_TIME_NONE)
        return;
    for (i = 0; i < inv->nfirings; i++) {
        const struct ra_firing *f = &inv->firings[i];
        if (f->time == RA_TIME_NONE || f->time <= culprit->time ||
            (period_to != RA_TIME_NONE && f->time > period_to) ||
            !same_version(f, culprit))
            continue;
        if (!out->next || f->time < out->next->time)
            out->next = f;
        out->runs++;
    }
    if (job)
        fixed_version(out, job, culprit);
    out->covered = out->next && out->evidence_until != RA_TIME_NONE &&
                   out->evidence_until > out->next->time;
}
