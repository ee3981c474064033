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

#define RA_FOCUS_MARGIN (7 * 86400)

/* The incident's period: RA_FOCUS_MARGIN either side of the loss windows; without a
 * loss with a time, the week before the first snapshot with a time to the newest. Both
 * RA_TIME_NONE when nothing has a time. */
void ra_focus_window(ra_time *from, ra_time *to, const struct ra_losses *ls,
                     struct ra_scan *const *scans, size_t nscans);

/* The runs of one job, fed in time order: UTC, or the job's wall-clock time (UTC plus
 * its zone's offset at each run) with zone naming that zone. */
struct ra_cadence {
    ra_time first, last;
    int64_t gap; /* between the first two runs */
    int regular; /* every gap equals gap */
    size_t count;
    const char *zone; /* NULL: times of day are UTC */
};

/* clang-format off */
#define RA_CADENCE_INIT {RA_TIME_NONE, RA_TIME_NONE, 0, 1, 0, NULL}
/* clang-format on */

void ra_cadence_add(struct ra_cadence *c, ra_time t);

/* Appends "daily at 02:00, 14 times", "weekly on Sunday at 03:25, 2 times", "hourly at
 * :15, 24 times", "every 15 minutes, 96 times", "once", or "5 times" (irregular); times
 * of day in UTC, or followed by the zone ("daily at 02:00 Europe/Berlin, 14 times"). */
void ra_cadence_text(struct ra_buf *out, const struct ra_cadence *c);

/* Whether a push event (a tag pushed or moved, a manifest pushed) concerns the incident:
 * it names a lost object's digest, a tag that a loss breaks, or the digest of a tag that
 * cannot be pulled in newest (which may be NULL). Every other kind of event counts as
 * related: only pushes fold. */
int ra_focus_push_related(const struct ra_event *e, const struct ra_losses *ls,
                          const struct ra_scan *newest);

#endif
