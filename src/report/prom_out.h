/* SPDX-License-Identifier: MIT */
/* The probe's output: a scan as metrics in the Prometheus text exposition format, for
 * node_exporter's textfile collector (docs/guide.md, "Run it as a probe"). */
#ifndef RA_REPORT_PROM_OUT_H
#define RA_REPORT_PROM_OUT_H

#include <stdint.h>

#include "util/buf.h"

struct ra_scan;

/* What the metrics say beyond the scans. The probe is the one place that reads the wall
 * clock: a monitoring system needs the time of the last complete scan. */
struct ra_prom_run {
    int64_t started_ns;    /* CLOCK_MONOTONIC when the scan began (ra_prom_start) */
    double duration;       /* seconds the scan took */
    int failed;            /* inputs that could not be read, or held no registry */
    int64_t last_complete; /* unix seconds of the last complete scan, -1: never */
};

#define RA_PROM_RUN_INIT                                                                 \
    {                                                                                    \
        0, 0.0, 0, -1                                                                    \
    }

/* Note the time a scan starts. */
void ra_prom_start(struct ra_prom_run *run);

/* Did the scans read everything (no failed input, a registry root in each, every
 * snapshot read to its end, nothing in it unreadable)? */
int ra_prom_success(struct ra_scan *const *scans, size_t n,
                    const struct ra_prom_run *run);

/* Append the metrics of the scans to out, in a fixed order: the run's, then per tag and
 * platform, findings, and the next garbage-collect's victims, of the last scan (a probe
 * names one storage directory). When the scans did not succeed, the run's and the
 * findings only: a storage read in part would make tags look broken. Label values are
 * escaped as the format says (\\, \", \n), bytes that are not UTF-8 first become "\xNN".
 */
void ra_prom_write(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                   const struct ra_prom_run *run);

/* Finish the run (duration, and the last complete scan: now when the scans succeeded,
 * else the value path holds from an earlier run), render, and replace path atomically:
 * write a temporary file beside it, fsync it, rename it over path, fsync the folder.
 * RA_EIO when any step fails (the temporary file is removed, path is left as it was). */
int ra_prom_write_file(const char *path, struct ra_scan *const *scans, size_t n,
                       struct ra_prom_run *run, struct ra_err *err);

#endif
