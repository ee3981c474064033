/* SPDX-License-Identifier: MIT */
/* One snapshot read and judged: its graphs, and for each registry root the tags'
 * pullability and the findings. */
#ifndef RA_ANALYSIS_SCAN_H
#define RA_ANALYSIS_SCAN_H

#include "analysis/findings.h"
#include "analysis/pull.h"
#include "ingest/snapshot.h"

struct ra_scan {
    struct ra_snapshot *snap;
    struct ra_registry_result **regs; /* one per graph, same order */
    size_t nregs;
    struct ra_findings findings; /* snapshot-level: read_error */
    int verified;                /* blobs were hashed (--verify) */
    int thinned; /* ra_scan_thin: the graphs are empty, the registry results keep only
                    their root, counts and number of unpullable tags */
};

/* Read spec and analyse it. RA_ENOTFOUND / RA_EFORMAT when nothing could be read
 * (err says why); a damaged archive gives 0 with a read_error finding. */
int ra_scan_run(struct ra_scan **out, const struct ra_snapshot_spec *spec,
                const struct ra_snapshot_opts *opts, struct ra_err *err);
void ra_scan_free(struct ra_scan *s);

/* Give up what grows with the snapshot's entries: every graph becomes an empty one of
 * the same root, every registry result keeps only counts and unpullable. The
 * snapshot's own fields (name, times, entries, unread, recycled, NAS metadata counts)
 * and the snapshot-level findings stay. */
void ra_scan_thin(struct ra_scan *s);
/* Give a thinned scan its graphs and results back from fresh, a new read of the same
 * snapshot (its own fields are kept: analysis may have set taken_at); frees fresh. */
void ra_scan_refill(struct ra_scan *s, struct ra_scan *fresh);
/* The registry root at path root in s (its result, or its graph), or NULL. Borrowed. */
const struct ra_registry_result *ra_scan_registry(const struct ra_scan *s,
                                                  const char *root);
const struct ra_graph *ra_scan_graph(const struct ra_scan *s, const char *root);

/* Summary over a scan: any tag unpullable, any critical finding. */
int ra_scan_has_unpullable(const struct ra_scan *s);
int ra_scan_has_critical(const struct ra_scan *s);

#endif
