/* SPDX-License-Identifier: MIT */
/* Time zones for the schedule modules (cron, calendar): a zone of the system tz
 * database applied through TZ for the length of a computation, and UTC offsets in it. */
#ifndef RA_CONFIG_SCHED_TZ_H
#define RA_CONFIG_SCHED_TZ_H

#include <stdbool.h>

#include "util/common.h"

/* The zone a computation runs in; a named zone is applied through TZ until
 * ra_tz_leave. */
struct ra_tz {
    bool utc;
    bool had_tz;
    char *saved_tz;
};

#define RA_TZ_INIT                                                                       \
    {                                                                                    \
        true, false, NULL                                                                \
    }

/* Is name a zone of the system tz database: a relative name of letters, digits and
 * "/_+-" that is a regular file under $TZDIR or /usr/share/zoneinfo? */
bool ra_tz_known(const char *name);

/*
 * Apply zone `name` to z: NULL or "UTC" is UTC and changes nothing; any other name
 * must be ra_tz_known, and TZ is set to it and tzset() called. what and text start
 * the message ("cron '0 0 * * *': unknown time zone 'X'"). Returns RA_EUSAGE for an
 * unknown zone, RA_ERROR if TZ cannot be set. Call ra_tz_leave in every case.
 * Not thread-safe: the environment is process-wide.
 */
int ra_tz_enter(struct ra_tz *z, const char *name, const char *what, const char *text,
                struct ra_err *err);

/* Restore TZ as it was before ra_tz_enter, and free what z holds. */
void ra_tz_leave(struct ra_tz *z);

/* Seconds east of UTC at instant t (0 in UTC). */
int64_t ra_tz_offset(const struct ra_tz *z, int64_t t);

/* Is daylight-saving time in effect at instant t (tm_isdst; never in UTC)? */
bool ra_tz_isdst(const struct ra_tz *z, int64_t t);

#endif
