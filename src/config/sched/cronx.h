/* SPDX-License-Identifier: MIT */
/* Schedules of schedulers other than cron itself, whose cron dialects add a seconds or
 * a year field, '?', other day numbers or fixed intervals: ofelia (robfig/cron), Quartz,
 * AWS EventBridge cron()/rate(), Nomad periodic (gorhill/cronexpr). Each is translated
 * to a five-field cron (config/sched/cron.h) plus its seconds and years. */
#ifndef RA_CONFIG_SCHED_CRONX_H
#define RA_CONFIG_SCHED_CRONX_H

#include "util/time.h"

/*
 * The dialects. Every field takes `*`, `N`, `A-B`, `*`/S, `A-B/S` and `A/S` (A to the
 * field's maximum, step S), comma lists, and three-letter month and day names. `?`
 * stands for `*` in the day fields. `L`, `W`, `#` and `H` are rejected (RA_EFORMAT,
 * "'L' is not supported"): such a schedule gets no firings.
 *
 * RA_CRONX_ROBFIG: ofelia, robfig/cron v3 with its seconds optional: "SEC MIN HOUR DOM
 *   MON DOW", or the five cron fields; day of week 0-6 (7 is Sunday too); the
 *   descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, and
 *   "@every DURATION" (Go durations: "1h30m", "90s", "1.5h"; whole seconds, at least
 *   1 s), which fires at that interval from the scheduler's start: no wall-clock times.
 * RA_CRONX_QUARTZ: "SEC MIN HOUR DOM MON DOW [YEAR]", day of week 1-7 = SUN-SAT, year
 *   1970-2199; one day field must be `?` (or `*`).
 * RA_CRONX_EVENTBRIDGE: "cron(MIN HOUR DOM MON DOW YEAR)", six fields, day of week 1-7
 *   = SUN-SAT, one day field `?` (or `*`); or "rate(N minute[s]|hour[s]|day[s])", an
 *   interval from the rule's creation: no wall-clock times. The bare six fields are
 *   accepted without "cron(...)".
 * RA_CRONX_NOMAD: Nomad periodic (gorhill/cronexpr): five fields as cron; six are the
 *   five and a YEAR; seven are SEC, the five and YEAR; day of week 0-6 (7 is Sunday);
 *   the descriptors as above but @every.
 *
 * Day rule: when both day fields are restricted (neither is `*` or `?`), a day matches
 * if either does (robfig, cronexpr); Quartz and EventBridge reject that.
 */
enum ra_cronx_flavor {
    RA_CRONX_ROBFIG = 0,
    RA_CRONX_QUARTZ,
    RA_CRONX_EVENTBRIDGE,
    RA_CRONX_NOMAD,
};

struct ra_cronx;

/* Parse expr. On success *out is new, freed with ra_cronx_free. RA_EFORMAT with a
 * one-line message naming the expression and the field otherwise. */
int ra_cronx_parse(struct ra_cronx **out, const char *expr, enum ra_cronx_flavor flavor,
                   struct ra_err *err);

void ra_cronx_free(struct ra_cronx *x);

/* A fixed interval ("@every 1h30m", "rate(2 hours)"): its length in seconds; 0 for a
 * schedule with wall-clock times. */
int64_t ra_cronx_period(const struct ra_cronx *x);

/*
 * The first firing strictly after `after`, in the local time of tz (as ra_cron_next:
 * NULL or "UTC", or an IANA name). Seconds are those of the seconds field (0 when there
 * is none); daylight-saving changes are handled as ra_cron_next does for the minute,
 * which is Debian cron's rule, not necessarily the scheduler's. Returns 0, RA_ENOTFOUND
 * when nothing fires (within ra_cron_next's horizon, or no year left), RA_EUSAGE for an
 * interval schedule (ra_cronx_period) or an unknown zone.
 */
int ra_cronx_next(ra_time *out, const struct ra_cronx *x, ra_time after, const char *tz,
                  struct ra_err *err);

/* The five-field cron the minute search uses ("0 3 * * 0"), for messages and tests. */
const char *ra_cronx_cron(const struct ra_cronx *x);

#endif
