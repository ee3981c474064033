/* SPDX-License-Identifier: MIT */
/* Did the job that did the damage run again, unchanged, after it? From the schedule's
 * firings and the config history: the next runs of the same job version inside the
 * incident's period, the later version that took the damage out (the fix, by what the
 * config says, not by what a commit message claims), and how far the evidence reaches,
 * so the report can say what it can and cannot show about a recurrence. */
#ifndef RA_ANALYSIS_RECURRENCE_H
#define RA_ANALYSIS_RECURRENCE_H

#include "util/time.h"

struct ra_firing;
struct ra_investigation;
struct ra_job_version;
struct ra_sched_job;

struct ra_recurrence {
    const struct ra_firing *next; /* the first later run of the same job version inside
                                     the period; NULL when none */
    size_t runs;                  /* such runs inside the period */
    /* the first version of the job after the one that ran without the damage (a
     * garbage-collect without --delete-untagged, or the job removed); NULL when the
     * config never changed it */
    const struct ra_job_version *fixed;
    ra_time evidence_until;         /* the investigation's firings_until: the newest
                                       snapshot, or a later log record (a run's finish);
                                       RA_TIME_NONE when neither has a time */
    const char *evidence_until_log; /* that log, NULL when it is the snapshot */
    int covered;                    /* the evidence reaches past next */
};

#define RA_RECURRENCE_INIT                                                               \
    {                                                                                    \
        NULL, 0, NULL, RA_TIME_NONE, NULL, 0                                             \
    }

/* The latest time the evidence shows: the newest snapshot's, or a later log record's
 * (a pipeline run's finish, ra_log_event_end); *log names that log, NULL when it is a
 * snapshot's time. The investigation keeps it (firings_until, evidence_until_log). */
ra_time ra_evidence_until(const struct ra_investigation *inv, const char **log);

/* Fill *out for the run culprit of job (its schedule entry; NULL when the config does
 * not hold it), inside a period that ends at period_to (RA_TIME_NONE: open). The
 * firings read are inv's; the version that ran is the one whose commit culprit names. */
void ra_recurrence_find(struct ra_recurrence *out, const struct ra_investigation *inv,
                        const struct ra_firing *culprit, const struct ra_sched_job *job,
                        ra_time period_to);

#endif
