/* SPDX-License-Identifier: MIT */
/* The history of a share: for every object seen in any snapshot (blob data, revision
 * and layer links, a tag's current link, a repository, a tag's pull result), the
 * snapshots that had it, as intervals of snapshot indexes. Snapshots are added oldest
 * first; memory grows with the union of objects and the number of changes, not with
 * snapshots x entries. Names (roots, repositories, tags) are interned once. */
#ifndef RA_ANALYSIS_HISTORY_H
#define RA_ANALYSIS_HISTORY_H

#include "analysis/scan.h"

enum ra_hist_kind {
    RA_HIST_BLOB = 0,   /* blob data present */
    RA_HIST_REVISION,   /* a repository's revision link */
    RA_HIST_LAYER,      /* a repository's _layers link */
    RA_HIST_TAG,        /* a tag's current link, valid */
    RA_HIST_REPO,       /* a repository folder */
    RA_HIST_TAG_LISTED, /* the tag has a pull result (the tag folder is there) */
    RA_HIST_TAG_PULLS,  /* and it pulls */
};

/* One object: what kind, under which root and repository, and its digest or, for
 * tags, its name. repo is ignored for RA_HIST_BLOB; digest for REPO and the TAG kinds;
 * tag for all but the TAG kinds. */
struct ra_hist_key {
    enum ra_hist_kind kind;
    const char *root;
    const char *repo;
    const struct ra_digest *digest;
    const char *tag;
};

struct ra_history;

void ra_history_new(struct ra_history **out);
void ra_history_free(struct ra_history *h);

/* Record the next snapshot (index ra_history_count() before the call): every object
 * of its graphs and the pull result of every tag. */
void ra_history_add(struct ra_history *h, const struct ra_scan *s);
size_t ra_history_count(const struct ra_history *h);

/* Did snapshot k have the object? */
int ra_history_has(const struct ra_history *h, const struct ra_hist_key *key, size_t k);
/* The latest snapshot before k that had it; SIZE_MAX when none. */
size_t ra_history_last_before(const struct ra_history *h, const struct ra_hist_key *key,
                              size_t k);

/* An interned copy of s: one copy per distinct string, alive as long as h. */
const char *ra_history_intern(struct ra_history *h, const char *s);

/* How many objects, and intervals beyond each object's first (for the docs and the
 * benchmark's notes). */
void ra_history_size(const struct ra_history *h, size_t *objects, size_t *changes);

#endif
