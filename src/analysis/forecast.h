/* SPDX-License-Identifier: MIT */
/* The forecast uses the config as it is now (the repository's head or --rev), not as it
 * was during the incident: the garbage-collect flags of the head version of a job, what
 * changed in the jobs that delete or probe and in the registry image since the incident,
 * and which recommended changes the repository already made (and in which commit). */
#ifndef RA_ANALYSIS_FORECAST_H
#define RA_ANALYSIS_FORECAST_H

#include "analysis/gcsim.h"
#include "config/sched/schedule.h"
#include "util/pool.h"
#include "util/vec.h"

/* The garbage-collect options of job_id as the head defines it: -m from the head
 * version, Distribution 3 when the head's registry image is 3.x. Returns 0 and leaves
 * gc unchanged when the job is not in the head (removed, disabled) or s is NULL. */
int ra_forecast_head_gc(struct ra_gc_opts *gc, const struct ra_schedule *s,
                        const char *job_id);

struct ra_config_change {
    const char *what; /* the job's name, or "registry image" */
    const struct ra_commit_info *commit;
    const char *change; /* as the schedule layer words it */
};

/* Changes after since to garbage-collect, tag-prune and probe jobs and to the registry
 * image, oldest first (struct ra_config_change *, allocated in pool). */
void ra_forecast_changes(struct ra_vec *out, struct ra_pool *pool,
                         const struct ra_schedule *s, ra_time since);

/* The commit after since from which no garbage-collect job in the head runs with -m,
 * when one did at since; else NULL. */
const struct ra_commit_info *ra_forecast_untagged_dropped_by(const struct ra_schedule *s,
                                                             ra_time since);
/* The commit after since that pinned every registry image, when one floated at since;
 * else NULL. */
const struct ra_commit_info *ra_forecast_image_pinned_by(const struct ra_schedule *s,
                                                         ra_time since);

/* Whether the head still runs job: NULL when it does; else the version that stopped it
 * (the first of the trailing versions that remove it, comment it out, set enabled:
 * false or suspend: true). */
const struct ra_job_version *ra_forecast_retired_by(const struct ra_sched_job *j);

/* The newest version that defines job (its path:line holds at that version's commit),
 * or NULL. */
const struct ra_job_version *ra_forecast_defining(const struct ra_sched_job *j);

#endif
