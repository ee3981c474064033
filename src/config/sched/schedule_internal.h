/* SPDX-License-Identifier: MIT */
/* Shared by the schedule module's files (schedule.c, schedule_match.c) and no one else.
 */
#ifndef RA_CONFIG_SCHED_SCHEDULE_INTERNAL_H
#define RA_CONFIG_SCHED_SCHEDULE_INTERNAL_H

#include "config/sched/schedule.h"
#include "util/map.h"

/* The schedule's job of this id, created (and indexed) when there is none. */
struct ra_sched_job *ra_schedule_job(struct ra_schedule *s, struct ra_map *index,
                                     const char *id);

/* Record the version of j that commit ci defines (job NULL: ci removed it), when it
 * differs from the last one. */
void ra_schedule_add_version(struct ra_schedule *s, struct ra_sched_job *j,
                             const struct ra_commit_info *ci, const struct ra_job *job);

/* Match the jobs of commit ci (scanned as jobs) to the schedule's jobs: by content, then
 * by position in the file (lines added or removed around a job shift it), then by id;
 * the rest are new jobs. prev is the commit read before ci (NULL for the first). Records
 * the versions and each job's place at ci. index maps ids to struct ra_sched_job. */
void ra_schedule_match(struct ra_schedule *s, struct ra_map *index,
                       const struct ra_commit_info *prev, const struct ra_commit_info *ci,
                       const struct ra_jobs *jobs);

#endif
