/* SPDX-License-Identifier: MIT */
/* Shared by the correlate module's files and no one else: correlate.c (the run,
 * suspects, logs), correlate_gc.c (simulated garbage-collects, where GC -m stops, and
 * judging a garbage-collect firing), correlate_storage.c (fingerprints the storage shows)
 * and correlate_api.c (DELETEs through the registry API). */
#ifndef RA_ANALYSIS_CORRELATE_INTERNAL_H
#define RA_ANALYSIS_CORRELATE_INTERNAL_H

#include "analysis/correlate.h"

#include "util/buf.h"

struct ra_graph;

/* A push this close to a garbage-collect run (seconds) races it. */
#define RA_CORRELATE_RACE_SECONDS (30 * 60)

/* One correlation run: what it works on, and what it makes once per graph the first
 * time a fingerprint asks. */
struct ra_corr {
    const struct ra_losses *losses;
    const struct ra_firing *firings;
    size_t nfirings;
    struct ra_correlation *res;
    struct ra_vec sims; /* correlate_gc.c: the GC variants simulated on each graph */
    struct ra_buf tmp;
    struct ra_vec stops; /* correlate_gc.c: where GC -m aborts on each graph */
    struct ra_vec users; /* correlate_storage.c: which manifests use each blob */
};

/* Add a match of fp to the cause; the detail is formatted into res's pool. */
void ra_correlate_add_match(struct ra_correlation *res, struct ra_cause *cause,
                            enum ra_fingerprint fp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Has the cause a match of fp? */
int ra_correlate_matched(const struct ra_cause *cause, enum ra_fingerprint fp);

/* Remove the cause's matches of fp. */
void ra_correlate_drop(struct ra_cause *cause, enum ra_fingerprint fp);

/* Suspects best first, then by firing time (unknown times last), then job id. */
int ra_correlate_cmp_suspect(const void *a, const void *b);

/* The digest a lost tag named in the last snapshot where it resolved; 0 when unknown. */
int ra_correlate_tag_target(struct ra_digest *out, const struct ra_losses *losses,
                            const struct ra_loss *l);

/* correlate_gc.c: the gc_sweep (or lost_files) fingerprint from simulating every GC
 * variant on the last snapshot that had the object. */
void ra_correlate_fp_simulated(struct ra_corr *c, struct ra_cause *cause);

/* correlate_gc.c: the tags folder entry GC -m aborts on in the snapshots on both
 * sides of l's window, or NULL when a side lets it run. */
const char *ra_correlate_m_abort(struct ra_corr *c, const struct ra_loss *l);

/* correlate_gc.c: append where GC -m aborts when only one side of l's window holds the
 * entry (the run may have happened while it was not there). */
void ra_correlate_m_stop_note(struct ra_corr *c, struct ra_buf *out,
                              const struct ra_loss *l);

/* correlate_gc.c: the gc_v2_untagged_index_children match says whether GC -m could
 * run. */
void ra_correlate_v2_children_note(struct ra_corr *c, struct ra_cause *cause);

/* correlate_gc.c: judge garbage-collect firing f as the cause (conf, appends why). */
void ra_correlate_judge_gc(struct ra_corr *c, struct ra_cause *cause,
                           const struct ra_firing *f, enum ra_confidence *conf,
                           struct ra_buf *why);

/* correlate_gc.c: free the simulations and stops. */
void ra_correlate_gc_release(struct ra_corr *c);

/* correlate_storage.c: fingerprints the snapshots show. gc_v2_untagged_index_children
 * (g: the first snapshot without the object), lost_files for a blob any GC keeps, the
 * tag_prune fingerprints, and gc_race_push. */
void ra_correlate_fp_v2_children(struct ra_corr *c, struct ra_cause *cause,
                                 const struct ra_graph *g);
void ra_correlate_fp_kept_by_gc(struct ra_corr *c, struct ra_cause *cause,
                                const struct ra_graph *g);
void ra_correlate_fp_tag(struct ra_corr *c, struct ra_cause *cause);
void ra_correlate_fp_race(struct ra_corr *c, struct ra_cause *cause);

/* correlate_storage.c: free the blob users. */
void ra_correlate_storage_release(struct ra_corr *c);

/* correlate_api.c: the api_delete fingerprint from the trace in storage (no log). */
void ra_correlate_api_trace(struct ra_correlation *res, struct ra_cause *cause);

/* correlate_api.c: a tag-prune suspect judged high on a loss with that trace is medium
 * (the trace cannot tell the two apart); appends the reason. */
void ra_correlate_api_judge(const struct ra_cause *cause, enum ra_confidence *conf,
                            struct ra_buf *why);

/* correlate_api.c: the suspect "a DELETE no log shows" for a loss with the trace. */
void ra_correlate_api_suspect(struct ra_correlation *res, struct ra_cause *cause);

/* correlate_api.c: what registry logs say about DELETEs (ra_correlate_logs). */
void ra_correlate_api_logs(struct ra_correlation *res, struct ra_log *const *logs,
                           size_t nlogs);

#endif
