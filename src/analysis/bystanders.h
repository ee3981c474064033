/* SPDX-License-Identifier: MIT */
/* Objects that went missing in a loss window but break no tag: the blobs and revision
 * links of manifests no tag reached in the snapshot before (an old build whose tag was
 * removed earlier, say). Counted per window and registry, grouped under the untagged
 * manifests they belonged to, so a report can explain every object that went, not only
 * the losses. */
#ifndef RA_ANALYSIS_BYSTANDERS_H
#define RA_ANALYSIS_BYSTANDERS_H

#include <stddef.h>

#include "model/digest.h"
#include "util/time.h"
#include "util/vec.h"

struct ra_loss;
struct ra_losses;

/* An untagged manifest (no tag's current link, nor a tagged index, reached it) whose
 * closure lost objects in the window. */
struct ra_bystander_root {
    const char *repository;
    struct ra_digest digest;
    int is_index;
    ra_time pushed; /* its revision link's time, RA_TIME_NONE when unknown */
};

struct ra_bystanders {
    const char *root;   /* the registry */
    const char *before; /* the snapshot before the window, and after it */
    const char *after;
    ra_time from, to;    /* their times */
    size_t blobs;        /* blobs gone that no loss counts */
    size_t manifests;    /* of those, manifests */
    size_t links;        /* revision links gone that no loss counts */
    size_t unexplained;  /* of blobs + links, those no untagged manifest reaches */
    struct ra_vec roots; /* struct ra_bystander_root *, by repository then digest */
};

/* For the window of loss l (l->last_present .. l->first_missing in ls), in l's
 * registry: fill *out (release with ra_bystanders_release). Nothing when a bracketing
 * scan has given up its graph, or l has no snapshot before it. */
void ra_bystanders_find(struct ra_bystanders *out, const struct ra_losses *ls,
                        const struct ra_loss *l);
void ra_bystanders_release(struct ra_bystanders *b);

#endif
