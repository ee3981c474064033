/* SPDX-License-Identifier: MIT */
/* Losses: every object that a current tag (or an index child) needs and that a snapshot
 * lacks, with the window in which it went missing: the latest time it is known to have
 * existed, and the earliest time it is known missing. Computed over several snapshots
 * of the same storage; logs may narrow the window later (first 404 for the digest). */
#ifndef RA_ANALYSIS_LOSSES_H
#define RA_ANALYSIS_LOSSES_H

#include "analysis/scan.h"

/* A tag a loss breaks: typed, and as reports print it. */
struct ra_loss_tag {
    const char *repository;
    const char *tag;
    const char *ref; /* "repository:tag" */
};

/* How a bound of a window is known. */
enum ra_bound_kind {
    RA_BOUND_NONE = 0,
    RA_BOUND_SNAPSHOT,     /* a snapshot that has (or lacks) the object */
    RA_BOUND_PARENT_PUSH,  /* the parent was pushed then, and the registry checked the
                              child */
    RA_BOUND_OWN_LINK,     /* the object's own link was written then */
    RA_BOUND_LOG,          /* a log line (first 404) */
    RA_BOUND_FOLDER_MTIME, /* the folder it was deleted from last changed then */
};

struct ra_bound {
    ra_time time; /* RA_TIME_NONE when unknown */
    enum ra_bound_kind kind;
    const char *evidence; /* snapshot name, storage path, or log file:line */
};

struct ra_loss {
    enum ra_object_kind object;
    const char *root;
    const char *repository;  /* "" for blob data */
    struct ra_digest digest; /* zero for tags */
    const char *tag_name;    /* RA_OBJ_TAG only */
    struct ra_vec tags;      /* struct ra_loss_tag *: the tags the loss breaks, sorted
                                by ref */
    struct ra_bound from;    /* latest known to exist */
    struct ra_bound to;      /* earliest known missing */
    size_t first_missing;    /* index of the first snapshot lacking it */
    size_t last_present;     /* index of the last snapshot having it, or SIZE_MAX */
    int child_blob_present; /* RA_OBJ_MANIFEST_LINK: the manifest's data is still there */
    const char *to_note;    /* why the folder's mtime does not bound it, or NULL */
    /* The first 404 for it (ra_losses_narrow_by_logs): a bound of kind RA_BOUND_LOG
     * (evidence "log:line"; time RA_TIME_NONE: none), the request (borrowed from its
     * log, NULL: none) and that log's path. `to` is this bound when it narrows the
     * window. */
    struct ra_bound first_404;
    const struct ra_log_event *first_404_event;
    const char *first_404_log;
};

struct ra_history;
struct ra_losses_finder;

struct ra_losses {
    struct ra_scan **scans; /* borrowed, sorted by taken_at; only the scans that bracket
                               a loss (first_missing, last_present) and the newest are
                               sure to have their graphs (ra_scan_thin) */
    size_t nscans;
    struct ra_vec items; /* struct ra_loss *, sorted by to, root, repository, digest */
    struct ra_pool pool;
    int mtimes_untrusted; /* some snapshot's mtimes cannot be used as times */
    /* every object's presence in every scan: what the scans without graphs had */
    struct ra_history *history;
    struct ra_losses_finder *finder; /* while scans are added */
};

/* Order of scans in time: taken_at (unknown first), then name. */
int ra_scan_cmp_taken(const void *a, const void *b);

/* Find losses across scans (any order; they are sorted by time here, the array is
 * reordered in place). Borrowed: free the result before the scans. */
void ra_losses_find(struct ra_losses **out, struct ra_scan **scans, size_t nscans);
void ra_losses_free(struct ra_losses *l);

/* The same, one scan at a time, oldest first, so that older scans can give up their
 * graphs: begin; for each k, add (scans[0..k] in time order, scans[k] and scans[k - 1]
 * with their graphs), which appends to need (as index + 1, cast to a pointer) each
 * earlier scan whose graph the windows of the losses found in scans[k] read; give
 * those their graphs back, then settle. finish sorts. */
void ra_losses_begin(struct ra_losses **out);
void ra_losses_add(struct ra_losses *l, struct ra_scan **scans, size_t k,
                   struct ra_vec *need);
void ra_losses_settle(struct ra_losses *l);
void ra_losses_finish(struct ra_losses *l);

struct ra_log;

/* Find each lost object's first 404, once, for every reader (docs/fingerprints.md):
 * in each log, the first request for its digest (for a link: in its repository; for
 * blob data: in any) that the registry answered 404 and whose time is known; of those,
 * the earliest (the log given first on a tie). Tags have none. When its time is exact
 * (not a day from a file name) and falls inside the window, it becomes the window's
 * end. */
void ra_losses_narrow_by_logs(struct ra_losses *l, struct ra_log *const *logs,
                              size_t nlogs);

/* The earliest first 404 of all losses (the first loss in order on a tie), or NULL. */
const struct ra_loss *ra_losses_first_404(const struct ra_losses *l);

/* The manifests that need loss l's object in scan s, as its findings name them (the
 * finding's parent), through their revision links with a known mtime: each call gives
 * the next link from *pos on (0 at first) and its finding in *f; NULL when none is
 * left. Borrowed from s. */
const struct ra_link *ra_loss_parent_link(const struct ra_scan *s,
                                          const struct ra_loss *l, size_t *pos,
                                          const struct ra_finding **f);

/* Does loss l break tag repo:tag? */
int ra_loss_breaks(const struct ra_loss *l, const char *repo, const char *tag);

const char *ra_bound_kind_name(enum ra_bound_kind k);

#endif
