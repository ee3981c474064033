/* SPDX-License-Identifier: MIT */
/* What changed between two snapshots of the same storage: tags added, removed and
 * moved; revision links, _layers links and blobs removed or added; tags that became
 * unpullable or were repaired. Registry roots are matched by their path. */
#ifndef RA_ANALYSIS_DIFF_H
#define RA_ANALYSIS_DIFF_H

#include "analysis/scan.h"

enum ra_change_kind {
    RA_CHANGE_TAG_ADDED = 0,
    RA_CHANGE_TAG_REMOVED,
    RA_CHANGE_TAG_MOVED,
    RA_CHANGE_REVISION_REMOVED,
    RA_CHANGE_REVISION_ADDED,
    RA_CHANGE_LAYER_LINK_REMOVED,
    RA_CHANGE_LAYER_LINK_ADDED,
    RA_CHANGE_TAG_HISTORY_REMOVED, /* a tag's index/ entry */
    RA_CHANGE_BLOB_DELETED,
    RA_CHANGE_BLOB_ADDED,
    RA_CHANGE_BECAME_UNPULLABLE,
    RA_CHANGE_REPAIRED,
    RA_CHANGE__COUNT
};

struct ra_change {
    enum ra_change_kind kind;
    const char *repository; /* "" for blobs */
    const char *tag;        /* "" when none */
    int has_old, has_new;
    struct ra_digest old_digest; /* tag moved/removed, link/blob removed */
    struct ra_digest new_digest; /* tag moved/added, link/blob added */
    int64_t size;                /* blobs, -1 otherwise */
    enum ra_finding_code reason; /* became unpullable: why */
};

struct ra_diff_registry {
    const char *root;
    int in_old, in_new;
    struct ra_vec changes; /* struct ra_change *, grouped by kind, then sorted */
    size_t counts[RA_CHANGE__COUNT];
};

struct ra_diff {
    const struct ra_scan *old_scan, *new_scan; /* borrowed */
    struct ra_diff_registry *regs;
    size_t nregs;
    struct ra_pool pool;
};

/* Compare two scans. The result borrows from both; free it before them. */
void ra_diff_compute(struct ra_diff **out, const struct ra_scan *old_scan,
                     const struct ra_scan *new_scan);
void ra_diff_free(struct ra_diff *d);

const char *ra_change_kind_name(enum ra_change_kind k);

#endif
