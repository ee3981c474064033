/* SPDX-License-Identifier: MIT */
/* An investigation: everything the timeline and report commands need, gathered once —
 * snapshots read and judged, losses and their windows, the config repo's jobs and their
 * firings, logs, the correlation, the merged timeline and the prediction for the next
 * garbage-collect run. */
#ifndef RA_ANALYSIS_INVESTIGATE_H
#define RA_ANALYSIS_INVESTIGATE_H

#include "analysis/correlate.h"
#include "analysis/gcsim.h"
#include "analysis/losses.h"
#include "analysis/pick.h"
#include "analysis/timeline.h"

struct ra_investigate_opts {
    char **snapshots; /* command-line SNAPSHOT arguments */
    size_t nsnapshots;
    const char *config;     /* config repo path, or NULL */
    const char *rev;        /* revision, NULL for HEAD */
    const char *tz;         /* host time zone for cron jobs without one, NULL for UTC */
    const char *cluster_tz; /* the Kubernetes controller's zone, NULL for UTC */
    char **logs;
    size_t nlogs;
    char **jobs_files; /* --jobs-file: job definitions outside the repository */
    size_t njobs_files;
    int verify;
    int fold;
    /* Read of a share only what the losses in the newest snapshot need (report): the
     * oldest and the newest whole, bisect probes between them, each loss's bracketing
     * pair whole (analysis/pick.h). 0: every snapshot whole (timeline, --all-snapshots).
     */
    int pick;
    /* Called before each snapshot is read, to set up progress for it. */
    ra_progress_cb (*progress_for)(const char *name, void *payload);
    void (*progress_done)(void *payload);
    void *progress_payload;
};

/* The next garbage-collect run after the newest snapshot, simulated on it. */
struct ra_prediction {
    const struct ra_firing *firing; /* the job run simulated */
    struct ra_gc_opts gc; /* as the config's head defines the job (head_config), else
                             as in effect at the firing */
    int head_config;
    const char *root;
    struct ra_gc_result *result;
    struct ra_registry_result *before, *after; /* on a private copy of the graph */
    struct ra_snapshot *snap;                  /* that copy */
};

struct ra_docs;
struct ra_log;
struct ra_schedule;

/* One snapshot given, and how it was read. */
struct ra_snap_read {
    const char *name;
    ra_time taken_at;
    enum ra_taken_source taken_source;
    enum ra_read_how how;
    uint64_t entries;           /* RA_READ_PART: members its probes read */
    const struct ra_scan *scan; /* RA_READ_WHOLE: its scan (in scans); else NULL */
};

struct ra_investigation {
    struct ra_scan **scans; /* sorted by time; only the newest and those that bracket a
                               loss keep their graphs (ra_scan_thin) */
    size_t nscans;
    size_t reread; /* snapshots read a second time, to bracket a loss */
    /* Every snapshot given, in time order, and how it was read: all whole unless
     * opts.pick picked (then scans holds only those read whole). */
    struct ra_snap_read *reads;
    size_t nreads;
    int picked; /* opts.pick applied: some snapshots may be read in part or skipped */
    size_t pick_objects; /* objects lost in the newest that bisect bracketed */
    struct ra_log **logs;
    size_t nlogs;
    struct ra_vec extra;          /* struct ra_event *: from logs and the config repo */
    struct ra_schedule *schedule; /* the config repo over time, or NULL */
    struct ra_losses *losses;
    struct ra_firing *firings;
    size_t nfirings;
    ra_time firings_until; /* the newest evidence (the newest snapshot, or a later log
                              record, a run's finish): later firings serve the
                              forecast only */
    const char *evidence_until_log; /* the log firings_until comes from, NULL when it
                                       is a snapshot's time */
    struct ra_correlation *corr;
    struct ra_timeline *timeline;
    struct ra_timeline_builder *tb; /* while snapshots are read */
    struct ra_vec predictions;      /* struct ra_prediction * */
    struct ra_vec notes;  /* const char *: inputs that could not be used, and why */
    struct ra_docs *docs; /* the parsed documents every snapshot's graphs share */
    struct ra_pool pool;
};

/* Gather. RA_EUSAGE when no snapshot is given; RA_ENOTFOUND / RA_EFORMAT when a
 * snapshot cannot be read at all (err names it). */
int ra_investigate(struct ra_investigation **out, const struct ra_investigate_opts *opts,
                   struct ra_err *err);
void ra_investigation_free(struct ra_investigation *inv);

#endif
