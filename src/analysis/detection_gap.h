/* SPDX-License-Identifier: MIT */
/* Detection gap: for each probe job of the config repository, how deep it looks into an
 * image (the tag list, the tag's manifest or index, one platform, every platform and
 * blob) and whether that reaches what broke, so a post-mortem can say whether the
 * monitoring in place would have caught the incident. */
#ifndef RA_ANALYSIS_DETECTION_GAP_H
#define RA_ANALYSIS_DETECTION_GAP_H

#include "analysis/findings.h"
#include "analysis/pull.h"
#include "analysis/scan.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "util/pool.h"
#include "util/vec.h"

/* How far a probe reaches, shallowest first. */
enum ra_probe_depth {
    RA_PROBE_UNKNOWN = 0, /* a script or tool whose reach is not known */
    RA_PROBE_LIST,        /* pings /v2/ or lists repositories or tags */
    RA_PROBE_TOP,         /* fetches the tag's manifest or index only (skopeo inspect
                             --raw, crane digest, a curl of /v2/NAME/manifests/TAG) */
    RA_PROBE_PLATFORM,    /* one platform's manifest and config (skopeo inspect) */
    RA_PROBE_PULL,        /* one platform, every blob (docker pull, skopeo copy) */
    RA_PROBE_ALL,         /* every platform and blob (skopeo copy --all, crane
                             validate, a walk of /v2/NAME/blobs/) */
};

/* "top", "platform", ... */
const char *ra_probe_depth_name(enum ra_probe_depth d);

/* The reach of one probing command line, and the image it names ("repo:tag" without
 * the registry host, allocated in pool) or NULL when it names none or a variable. */
enum ra_probe_depth ra_probe_depth_of(const char **target, struct ra_pool *pool,
                                      const char *command);

/* The depth a probe needs to see a tag fail for reason; all_platforms: every platform
 * of an index fails (a one-platform probe then fails too). */
enum ra_probe_depth ra_probe_depth_needed(enum ra_finding_code reason, int all_platforms);

struct ra_probe_check {
    const char *job_id;
    const char *name;
    const char *defined_in; /* "path:line" of the version read */
    const char *commit;     /* 12 hex digits of that version's commit, or NULL */
    const char *schedule;
    const char *timezone;
    const char *command; /* the probing line: the command, or the script line */
    const char *target;  /* "repo:tag", or NULL */
    enum ra_probe_depth depth;
    int in_effect; /* defined and enabled at the time of the loss */
    int catches;   /* 1: it would have failed on this incident, 0: not, -1: unknown */
    const char *why;
};

struct ra_detection_gap {
    struct ra_vec probes; /* struct ra_probe_check *, by job id */
    size_t catching;      /* probes in effect at the loss that would have caught it */
    struct ra_pool pool;
};

/* clang-format off */
#define RA_DETECTION_GAP_INIT {RA_VEC_INIT, 0, RA_POOL_INIT}
/* clang-format on */

/* Judge one probe job against the tags that cannot be pulled (broken[0..nbroken)).
 * Fills out (strings in pool). */
void ra_probe_check_job(struct ra_probe_check *out, struct ra_pool *pool,
                        const struct ra_job *job,
                        const struct ra_tag_result *const *broken, size_t nbroken);

/* Every probe job of s (the version in effect at `at`, else the newest) against the
 * unpullable tags of the newest scan. s and newest may be NULL (no probes, no tags). */
void ra_detection_gap_compute(struct ra_detection_gap *out, const struct ra_schedule *s,
                              ra_time at, const struct ra_scan *newest);
void ra_detection_gap_release(struct ra_detection_gap *g);

/* The commit from which the config's newest commit has a probe that would fail on the
 * unpullable tags of newest (an enabled probe job whose versions from that commit on
 * all reach what broke, e.g. `skopeo copy --all` of a broken tag), the earliest such
 * commit over all probe jobs; NULL when the newest commit has none, or no tag is
 * broken. Borrowed from s. */
const struct ra_commit_info *ra_detection_gap_caught_since(const struct ra_schedule *s,
                                                           const struct ra_scan *newest);

#endif
