/* SPDX-License-Identifier: MIT */
/* The config repository over time: every job's versions (which commit changed its
 * schedule, command or flags, and when), the registry image in effect, and the firings
 * of every job in a time window, each tagged with the version in effect then. */
#ifndef RA_CONFIG_SCHED_SCHEDULE_H
#define RA_CONFIG_SCHED_SCHEDULE_H

#include "config/git/gitrepo.h"
#include "config/jobs/jobs.h"
#include "config/pipelines/pipelines.h"
#include "util/common.h"
#include "util/time.h"
#include "util/vec.h"

/* At most this many commits are read (newest first); older history is noted. */
#define RA_SCHEDULE_MAX_COMMITS 2000
/* At most this many firings are listed per job in a window. */
#define RA_SCHEDULE_MAX_FIRINGS 20000

struct ra_commit_info {
    char id[RA_GIT_HEXSZ + 1];
    ra_time time; /* committer time */
    const char *author;
    const char *summary;
};

/* A job as one commit defines it, and what changed from the version before. */
struct ra_job_version {
    const struct ra_commit_info *commit;
    const struct ra_job *job; /* NULL: this commit removed the job */
    const char *change; /* "added", "removed", "schedule 0 3 * * 0 -> 25 3 * * 0", ... */
};

/* A job over history. Its id is the id it had when it first appeared: a job keeps it
 * when lines are added or removed around it, or when another job of the same name is
 * added above it (the scanner's "#2" suffixes follow file order; these do not). */
struct ra_sched_job {
    const char *id;
    struct ra_vec versions; /* struct ra_job_version *, oldest first */
    /* The job as the newest commit that has it defines it (its line there, which may
     * differ from the line of its last version when lines moved around it), and that
     * commit: HEAD for a job in effect. */
    const struct ra_job *last;
    const struct ra_commit_info *last_commit;
};

/* The registry images one commit pins, and what changed. */
struct ra_image_version {
    const struct ra_commit_info *commit;
    const struct ra_registry_image *image; /* the first one listed, or NULL */
    int floating;                          /* any registry image floats */
    const char *change;
};

struct ra_schedule {
    char head[RA_GIT_HEXSZ + 1];
    const char *path; /* as given */
    int shallow;
    int truncated; /* more than RA_SCHEDULE_MAX_COMMITS commits: the oldest were skipped
                    */
    struct ra_vec commits;           /* struct ra_commit_info *, oldest first */
    struct ra_vec jobs;              /* struct ra_sched_job *, by id */
    struct ra_vec images;            /* struct ra_image_version *, oldest first */
    const struct ra_jobs *head_jobs; /* the jobs at the head commit */
    struct ra_pipelines *pipelines;  /* the CI pipelines at the head commit */
    struct ra_vec problems; /* const char *: files that could not be read, and why */
    struct ra_vec results;  /* struct ra_jobs * per commit read (owned) */
    /* The zone of the Kubernetes controller, for CronJobs without spec.timeZone: NULL
     * for UTC. Set by the caller before ra_schedule_firings. */
    const char *cluster_tz;
    struct ra_pool pool;
};

/* Read the repository at path from rev (NULL: HEAD) back through its history.
 * Errors: RA_ENOTFOUND (not a git repository, no such revision), RA_ERROR. */
int ra_schedule_load(struct ra_schedule **out, const char *path, const char *rev,
                     struct ra_err *err);
void ra_schedule_free(struct ra_schedule *s);

/* Add jobs from a file outside the repository (--jobs-file): a crontab, cron.d file,
 * timer or YAML, recognised by its name as in the repository (a plain name is read as a
 * crontab). They count as defined since the epoch, with no history. Errors as
 * ra_jobs_scan, RA_EIO when the file cannot be read. */
int ra_schedule_add_file(struct ra_schedule *s, const char *path, struct ra_err *err);

/* The version of job in effect at time t (the last commit at or before t), or NULL. */
const struct ra_job_version *ra_schedule_version_at(const struct ra_sched_job *job,
                                                    ra_time t);
/* The registry image version in effect at t, or NULL. */
const struct ra_image_version *ra_schedule_image_at(const struct ra_schedule *s,
                                                    ra_time t);

struct ra_sched_firing {
    ra_time time;
    const struct ra_sched_job *job;
    const struct ra_job_version *version;
};

/* Every firing of every enabled job in [from, to), computed with each version's
 * schedule while that version was in effect, from its commit's time (included) to the
 * next version's (excluded). The zone is the job's own; else, for a Kubernetes CronJob,
 * Argo CronWorkflow or Terraform cron job, the controller's (s->cluster_tz, else UTC);
 * for Nomad, EventBridge and scheduled CI pipelines, UTC; else host_tz (NULL: UTC).
 * Appends struct ra_sched_firing * (allocated in the schedule's pool) to out, sorted by
 * time then job id. Jobs whose schedule does not parse are skipped and
 * noted in problems. */
int ra_schedule_firings(struct ra_vec *out, struct ra_schedule *s, ra_time from,
                        ra_time to, const char *host_tz, struct ra_err *err);

#endif
