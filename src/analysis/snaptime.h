/* SPDX-License-Identifier: MIT */
/* When a snapshot was likely taken, from the config repo's backup jobs: a snapshot whose
 * time is only its newest mtime (a lower bound) was most likely made by the first run of
 * a backup job after that time, and a backup that writes dated names says which run. */
#ifndef RA_ANALYSIS_SNAPTIME_H
#define RA_ANALYSIS_SNAPTIME_H

#include "analysis/correlate.h"
#include "analysis/scan.h"
#include "util/buf.h"
#include "util/pool.h"
#include "util/vec.h"

/* How far after the newest mtime a backup run is taken as the snapshot's, unless the
 * snapshot's name is the one that run writes. */
#define RA_SNAPTIME_LAG (24 * 3600)

/*
 * For every scan whose snapshot's time is RA_TAKEN_MTIME, look among firings[0..n)
 * (sorted by time) for runs of backup jobs at or after the newest mtime and before the
 * next snapshot's time: the run whose written name (its backup_to, with $(date +FMT)
 * expanded at the run's time in UTC) is the snapshot's name, else the first run within
 * RA_SNAPTIME_LAG. That run's time becomes the snapshot's taken_at, with taken_source
 * RA_TAKEN_BACKUP_JOB, and a note saying so (allocated in pool) is appended to notes.
 * scans are sorted by time and stay so.
 */
void ra_snaptime_from_backups(struct ra_scan **scans, size_t nscans,
                              const struct ra_firing *firings, size_t n,
                              struct ra_pool *pool, struct ra_vec *notes);

/* Expand "$(date +FMT)" and "`date +FMT`" in pattern at time t (UTC) into out (emptied
 * first); "\%" (a crontab's escape) is "%". Other text is kept. */
void ra_snaptime_expand_date(struct ra_buf *out, const char *pattern, ra_time t);

#endif
