/* SPDX-License-Identifier: MIT */
/* The merged timeline: events read from snapshots (pushes, by member mtimes), what
 * vanished between consecutive snapshots, losses with their windows, and events the
 * caller adds from the config repo (commits, job firings) and logs. Routine noise
 * (blob uploads, layer links, probe runs) is folded into counts, never dropped. */
#ifndef RA_ANALYSIS_TIMELINE_H
#define RA_ANALYSIS_TIMELINE_H

#include "analysis/correlate.h"
#include "analysis/losses.h"

enum ra_event_kind {
    RA_EV_SNAPSHOT = 0,     /* a snapshot was taken */
    RA_EV_MTIMES_UNTRUSTED, /* a snapshot's mtimes are not used */
    RA_EV_TAG_PUSHED,       /* a tag's index/ entry: the tag pointed at a digest */
    RA_EV_TAG_CURRENT,      /* a tag's current link was last written */
    RA_EV_MANIFEST_PUSHED,  /* a revision link */
    RA_EV_BLOB_UPLOADED,    /* blob data (folded) */
    RA_EV_LAYER_LINKED,     /* a _layers link (folded) */
    RA_EV_UPLOAD_STARTED,   /* an upload's startedat */
    RA_EV_VANISHED, /* between two snapshots: links and blobs deleted (a window) */
    RA_EV_LOSS,     /* an object a tag needs went missing (a window) */
    RA_EV_COMMIT,   /* a config repo commit touching a job */
    RA_EV_FIRING,   /* a scheduled job ran (deleting kinds are kept, others folded) */
    RA_EV_LOG,      /* a log line: a 404, a GC deletion, a failed pipeline */
    RA_EV__COUNT
};

struct ra_event {
    ra_time time;  /* exact time, or the start of a window */
    ra_time until; /* end of the window; RA_TIME_NONE for an instant */
    enum ra_event_kind kind;
    const char *source; /* snapshot name, "config", a log file */
    const char *message;
    const char *evidence; /* storage path, commit, "file:line" */
    size_t count;         /* folded events: how many; else 1 */
    int routine;          /* a day's routine log lines in one row (requests answered 404,
                             pipelines that did not fail): no story of its own */
};

struct ra_timeline {
    struct ra_vec events;        /* struct ra_event *, sorted by time, kind, message */
    size_t folded[RA_EV__COUNT]; /* events folded per kind */
    struct ra_pool pool;
};

struct ra_timeline_opts {
    int fold; /* fold routine events per source, kind and day */
};

/* Build the timeline from scans (sorted by time, as ra_losses_find left them), the
 * losses, and extra events (copied). */
void ra_timeline_build(struct ra_timeline **out, struct ra_scan *const *scans,
                       size_t nscans, const struct ra_losses *losses,
                       const struct ra_event *extra, size_t nextra,
                       const struct ra_timeline_opts *opts);
void ra_timeline_free(struct ra_timeline *t);

/* The same, one scan at a time, oldest first (prev: the scan before s, NULL for the
 * first), so that a scan's graphs can go once the next one is added. end frees the
 * builder; ra_timeline_builder_free is for giving up half-way. */
struct ra_timeline_builder;
void ra_timeline_begin(struct ra_timeline_builder **out,
                       const struct ra_timeline_opts *opts);
void ra_timeline_add(struct ra_timeline_builder *b, const struct ra_scan *prev,
                     const struct ra_scan *s);
void ra_timeline_end(struct ra_timeline **out, struct ra_timeline_builder *b,
                     const struct ra_losses *losses, const struct ra_event *extra,
                     size_t nextra);
void ra_timeline_builder_free(struct ra_timeline_builder *b);

const char *ra_event_kind_name(enum ra_event_kind k);
/* "exact" for an instant, "window" for a range. */
const char *ra_event_precision(const struct ra_event *e);

#endif
