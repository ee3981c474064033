/* SPDX-License-Identifier: MIT */
/* Signal over noise: which scheduled runs belong to the incident (those inside a loss
 * window), and how the routine ones read as one row per job for the whole period
 * ("cleanup-tags.sh ran daily at 02:00, 14 times"). */
#ifndef RA_ANALYSIS_FOCUS_H
#define RA_ANALYSIS_FOCUS_H

#include "analysis/losses.h"
#include "analysis/scan.h"
#include "analysis/timeline.h"
#include "util/buf.h"
#include "util/time.h"

/* Whether t lies inside the window of some loss: after its last known presence (or
 * with no such bound) and at or before its first known absence. */
int ra_focus_in_loss(const struct ra_losses *ls, ra_time t);

/* The runs of one job, fed in time order. */
struct ra_cadence {
    ra_time first, last;
    int64_t gap; /* between the first two runs */
    int regular; /* every gap equals gap */
    size_t count;
};

#define RA_CADENCE_INIT {RA_TIME_NONE, RA_TIME_NONE, 0, 1, 0}

void ra_cadence_add(struct ra_cadence *c, ra_time t);

/* Appends "daily at 02:00, 14 times", "weekly on Sunday at 03:25, 2 times", "hourly at
 * :15, 24 times", "every 15 minutes, 96 times", "once", or "5 times" (irregular); times
 * of day in UTC. */
void ra_cadence_text(struct ra_buf *out, const struct ra_cadence *c);

/* Whether a push event (a tag pushed or moved, a manifest pushed) concerns the incident:
 * it names a lost object's digest, a tag that a loss breaks, or the digest of a tag that
 * cannot be pulled in newest (which may be NULL). Every other kind of event counts as
 * related: only pushes fold. */
int ra_focus_push_related(const struct ra_event *e, const struct ra_losses *ls,
                          const struct ra_scan *newest);

#endif
