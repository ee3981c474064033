/* SPDX-License-Identifier: MIT */
/* Pullability: for every tag and platform, would a real client pulling from a registry
 * serving this storage succeed? Serving rules: Distribution 2.8's (docs/storage.md);
 * the client rules are skopeo's (`copy --all`: every child, digests and sizes checked).
 */
#ifndef RA_ANALYSIS_PULL_H
#define RA_ANALYSIS_PULL_H

#include "analysis/findings.h"
#include "model/graph.h"
#include "util/time.h"

struct ra_platform_result {
    const char *platform;    /* "linux/arm64/v8", or "unknown" */
    struct ra_digest digest; /* the image manifest serving this platform */
    int pullable;
    enum ra_finding_code reason; /* RA_F_NONE when pullable */
};

struct ra_tag_result {
    const char *repository;
    const char *tag;
    int resolves; /* current/link names a digest */
    struct ra_digest digest;
    const char *media_type; /* of the tagged manifest, NULL when unknown */
    int is_index;
    int pullable;
    enum ra_finding_code reason;
    struct ra_platform_result *platforms;
    size_t nplatforms;
};

struct ra_registry_result {
    const struct ra_graph *graph; /* borrowed */
    struct ra_graph_counts counts;
    struct ra_tag_result *tags; /* sorted by repository, tag */
    size_t ntags;
    size_t unpullable;
    struct ra_findings findings; /* sorted */
    struct ra_pool pool;         /* tag and platform results */
};

struct ra_pull_opts {
    ra_time taken_at;         /* for upload staleness; RA_TIME_NONE: skip that check */
    int64_t upload_purge_age; /* seconds; Distribution's default is 168h */
    /* Judge the tags only: no findings about links, blobs and uploads that no tag
     * needs (what a GC simulation compares before and after does not look at them,
     * and after a sweep they are most of the memory). */
    int tags_only;
};

/* clang-format off */
#define RA_PULL_OPTS_INIT {RA_TIME_NONE, 168 * 3600, 0}
/* clang-format on */

/* Analyse one registry graph. The result borrows from g; free it before g. */
void ra_pull_analyze(struct ra_registry_result **out, const struct ra_graph *g,
                     const struct ra_pull_opts *opts);
void ra_registry_result_free(struct ra_registry_result *r);

#endif
