/* SPDX-License-Identifier: MIT */
/* Shared by the config/sched tests: a schedule's job by id and a job's i-th version,
 * the test failing when there is none. Include after <cmocka.h>. */
#ifndef RA_TESTS_SCHED_FIXTURE_H
#define RA_TESTS_SCHED_FIXTURE_H

#include <string.h>

#include "config/sched/schedule.h"

static inline const struct ra_sched_job *sched_job(const struct ra_schedule *s,
                                                   const char *id)
{
    size_t i;

    for (i = 0; i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        if (!strcmp(j->id, id))
            return j;
    }
    fail_msg("no job '%s'", id);
    return NULL;
}

static inline const struct ra_job_version *sched_version(const struct ra_sched_job *j,
                                                         size_t i)
{
    assert_true(i < j->versions.len);
    return j->versions.items[i];
}

#endif
