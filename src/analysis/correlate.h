/* SPDX-License-Identifier: MIT */
/* Root cause: for each loss, the fingerprints its evidence matches (docs/fingerprints.md)
 * and the scheduled runs inside its window that could have caused it, ranked. */
#ifndef RA_ANALYSIS_CORRELATE_H
#define RA_ANALYSIS_CORRELATE_H

#include "analysis/losses.h"

/* One scheduled run of a job, as the config repo says it happened (built by the caller
 * from config/jobs and config/cron with the job version in effect at that time). */
struct ra_firing {
    ra_time time;
    const char *job_id;
    const char *job_name;
    unsigned classes;    /* enum ra_job_class bits (config/jobs/jobs.h) */
    int delete_untagged; /* garbage-collect -m */
    int dry_run;
    const char
        *registry_version; /* registry image tag in effect ("2", "2.8.3"), or NULL */
    int version_floating;
    const char *defined_in; /* "path:line" */
    const char *commit;     /* commit of the job's definition in effect, or NULL */
    const char *backup_to;  /* a backup: where it writes, as written, or NULL */
    const char *timezone;   /* the job's own zone (CRON_TZ=, timeZone:, ...), or NULL */
    /* Not a scheduled run but a DELETE through the registry API (kind "api-delete"),
     * made by the correlation: request is the request as a log recorded it (its log's
     * path in request_log, time its time), or NULL for a DELETE that no log given shows
     * (time RA_TIME_NONE). */
    int api_delete;
    const struct ra_log_event *request;
    const char *request_log;
};

enum ra_fingerprint {
    RA_FP_GC_V2_INDEX_CHILDREN =
        0,           /* 2.x GC -m took untagged children of a tagged index */
    RA_FP_GC_SWEEP,  /* a simulated GC of the previous snapshot deletes exactly it */
    RA_FP_TAG_PRUNE, /* the tag's folder is gone */
    RA_FP_TAG_PRUNE_THEN_GC, /* a pruned tag's manifest and blobs went afterwards */
    RA_FP_GC_RACE,           /* blobs of a manifest pushed minutes before a GC run */
    RA_FP_LOST_FILES, /* missing in a pattern no GC produces: restore, disk, hands */
    RA_FP_GC_LOG,     /* a garbage-collect log lists it as deleted */
    RA_FP_API_DELETE, /* a DELETE through the registry API (logged, or its trace) */
    RA_FP__COUNT
};

enum ra_confidence { RA_CONF_HIGH = 0, RA_CONF_MEDIUM, RA_CONF_LOW };

struct ra_match {
    enum ra_fingerprint fp;
    const char *detail; /* the evidence in words */
};

struct ra_suspect {
    const struct ra_firing *firing; /* the caller's array, or the correlation's own
                                       (api_delete) */
    enum ra_confidence confidence;
    const char *reason;
};

struct ra_cause {
    const struct ra_loss *loss;
    struct ra_vec matches;  /* struct ra_match * */
    struct ra_vec suspects; /* struct ra_suspect *, best first */
    /* The tags folder entry a garbage-collect with --delete-untagged aborts on
     * ("repositories/app/_manifests/tags/@eaDir"), when the snapshots on both sides of
     * the window hold one: no such run could have deleted anything in it. Else NULL. */
    const char *m_abort;
};

struct ra_correlation {
    struct ra_vec causes; /* struct ra_cause *, one per loss, in the losses' order */
    const struct ra_losses *losses;  /* borrowed */
    const struct ra_firing *firings; /* borrowed */
    size_t nfirings;
    struct ra_firing *unlogged_delete; /* the suspect "a DELETE no log shows", or NULL */
    struct ra_vec logged_deletes;      /* struct ra_firing *: one per logged request */
    struct ra_pool pool;
};

/* Correlate losses with firings (may be empty, sorted or not). Borrows losses, their
 * scans and firings; free the result first. */
void ra_correlate(struct ra_correlation **out, const struct ra_losses *losses,
                  const struct ra_firing *firings, size_t nfirings);
void ra_correlation_free(struct ra_correlation *c);

struct ra_log;

/* Add what GC logs say: a loss whose digest a GC log lists as eligible for deletion (or
 * deleted) gets the gc_log fingerprint, and a garbage-collect suspect that fired within
 * an hour of that run (the same day when the log has no times) becomes high. And what
 * registry logs say: a DELETE through the API that removed the lost object (in its
 * window, answered 2xx) gives the api_delete fingerprint and becomes the top suspect,
 * high (docs/fingerprints.md). */
void ra_correlate_logs(struct ra_correlation *c, struct ra_log *const *logs,
                       size_t nlogs);

/* Is "a DELETE through the registry API that no log shows" a suspect, not low, of some
 * loss (the storage's trace, which nothing told apart from a script)? */
int ra_correlation_unlogged_delete(const struct ra_correlation *c);

/* Has some loss the lost_files fingerprint and not api_delete (which would be the
 * other explanation of what no garbage collector does)? */
int ra_correlation_lost_files_alone(const struct ra_correlation *c);

/* Has some loss the gc_v2_untagged_index_children fingerprint in a window where a
 * garbage-collect with --delete-untagged could run (1), only where it could not (2:
 * m_abort), or none (0)? */
int ra_correlation_v2_children(const struct ra_correlation *c);

const char *ra_fingerprint_name(enum ra_fingerprint fp);
const char *ra_confidence_name(enum ra_confidence c);

#endif
