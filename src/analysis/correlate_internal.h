/* SPDX-License-Identifier: MIT */
/* Shared by the correlate module's files (correlate.c, correlate_api.c) and no one
 * else. */
#ifndef RA_ANALYSIS_CORRELATE_INTERNAL_H
#define RA_ANALYSIS_CORRELATE_INTERNAL_H

#include "analysis/correlate.h"

struct ra_buf;
struct ra_graph;

/* Has the cause a match of fp? */
int ra_correlate_matched(const struct ra_cause *cause, enum ra_fingerprint fp);

/* Remove the cause's matches of fp. */
void ra_correlate_drop(struct ra_cause *cause, enum ra_fingerprint fp);

/* Suspects best first, then by firing time (unknown times last), then job id. */
int ra_correlate_cmp_suspect(const void *a, const void *b);

/* The digest a lost tag named in the last snapshot where it resolved; 0 when unknown. */
int ra_correlate_tag_target(struct ra_digest *out, const struct ra_losses *losses,
                            const struct ra_loss *l);

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
