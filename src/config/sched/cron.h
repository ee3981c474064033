/* SPDX-License-Identifier: MIT */
/* Cron schedules ("25 3 * * 0", "@weekly"): parsing, and the next firing after a given
 * time in a given time zone, as Debian's cron daemon would run them. */
#ifndef RA_CONFIG_SCHED_CRON_H
#define RA_CONFIG_SCHED_CRON_H

#include "util/time.h"

/*
 * Syntax: five whitespace-separated fields, minute (0-59), hour (0-23), day of month
 * (1-31), month (1-12 or jan-dec) and day of week (0-7 or sun-sat; 0 and 7 are both
 * Sunday). Names are three letters, any case. Each field is a comma-separated list of
 * `*`, `N`, `A-B`, `*` with a step (`*`/S) and `A-B/S`. The shorthands are @yearly,
 * @annually,
 * @monthly, @weekly (Sunday 00:00), @daily, @midnight and @hourly. @reboot is rejected
 * with "@reboot has no schedule": it fires at boot, not at a time. Neither dialect
 * accepts seconds fields, `?`, `L`, `W`, `#` or Jenkins-style `H`.
 *
 * Dialects differ only where their reference implementations differ:
 *
 * RA_CRON_VIXIE, the default: Debian's cron package (Vixie cron 3.0 with the ISC 4.1 DST
 *   code), which also runs crontabs written by Ansible's cron module. It rejects `A/S`
 *   (Debian's entry.c says "step specified without range") and `A-B` with A > B, as
 *   cron itself does: such lines never run. Day rule: when neither the day-of-month nor
 *   the day-of-week field *text* starts with `*`, a day matches if EITHER matches;
 *   otherwise both must. `*`/2 counts as unrestricted, `1-31` as restricted, so with
 *   day of month `*`/2 and day of week 1 it fires on odd-numbered days that are Mondays.
 *
 * RA_CRON_CRONITER: python-croniter 1.3.5 (Debian's python3-croniter), our test oracle.
 *   Accepts `A/S` as `A-max/S` and `A-0`/`A-sun` in day of week as `A-7`. Day rule: a
 *   field is unrestricted when its values cover the whole range, whatever its text, so
 *   the example above fires on odd days and on Mondays, and "0 0 1-31 * 1" only on
 *   Mondays (Vixie: every day).
 *
 * Kubernetes CronJobs (robfig/cron) use yet another day rule (`*`, `*`/1 and `?` are
 * unrestricted, `*`/2 is restricted); callers that care must say so in their output.
 */
enum ra_cron_dialect {
    RA_CRON_VIXIE = 0,
    RA_CRON_CRONITER = 1,
};

/* A parsed schedule: one bitset per field plus the two flags the day rule and the DST
 * rules need. Opaque; immutable once parsed. */
struct ra_cron;

/* Search limit of ra_cron_next, as croniter's max_years_between_matches. Every
 * schedule that fires at all fires within 40 years (Feb 29 on a given weekday,
 * across the non-leap year 2100). */
#define RA_CRON_HORIZON_YEARS 50

/* Parse expr in the Vixie dialect. Leading and trailing blanks are ignored.
 * On success *out is a new schedule that the caller frees with ra_cron_free.
 * Returns RA_EFORMAT with a one-line message naming the field and the token, e.g.
 * "cron 'x * * * *': minute: bad value 'x'". */
int ra_cron_parse(struct ra_cron **out, const char *expr, struct ra_err *err);

/* As ra_cron_parse, in the given dialect. */
int ra_cron_parse_dialect(struct ra_cron **out, const char *expr,
                          enum ra_cron_dialect dialect, struct ra_err *err);

/* Free c. NULL is fine. */
void ra_cron_free(struct ra_cron *c);

/*
 * Set *out to the first firing strictly after `after` (UTC seconds), evaluating the
 * fields in the local time of tz: NULL or "UTC" for UTC, else an IANA name looked up in
 * the system tz database ($TZDIR or /usr/share/zoneinfo). Firings are whole local
 * minutes.
 *
 * Daylight-saving changes follow Debian's cron, in both dialects. A job is "wildcard"
 * when its minute or hour field text starts with `*` (@hourly is; @daily is not).
 *   - Clocks go forward by less than 3 h (a gap, e.g. 01:00-02:00 in Europe/London): a
 *     fixed-time job due at a skipped local time runs once, at the first minute after
 *     the change ("30 1 * * *" runs at 02:00 BST); a wildcard job skips the gap (unless
 *     the jump is 4 minutes or less: then every job catches up).
 *   - Clocks go back by up to 3 h (a repeated hour): a fixed-time job runs only the
 *     first time round ("30 1 * * *" runs at 01:30 BST, not again at 01:30 GMT); a
 *     wildcard job runs in both passes.
 *   - Larger jumps, and local times that are unique, need no rule.
 * systemd timers differ: an OnCalendar time in the gap does not fire at all
 * (systemd#5595), and timers have been seen to skip the whole repeated hour
 * (systemd#8647). croniter 1.3.5 is incoherent here (with zoneinfo, "0 3 * * 0" fires
 * at both 02:00 and 03:00 BST on the March change day, and in the repeated hour it can
 * return times before `after`), so the oracle test checks such steps against a replay
 * of Debian's cron.c loop instead; the unit tests pin the rules above.
 *
 * Not thread-safe: a tz other than UTC is applied by setting the TZ environment
 * variable and calling tzset() around the computation, restoring the previous value
 * before returning. Offset changes less than a day apart are assumed not to happen.
 *
 * Returns 0, RA_ENOTFOUND when nothing fires within RA_CRON_HORIZON_YEARS (e.g.
 * "0 0 30 2 *"), RA_EUSAGE when tz is not a known time zone or `after` lies beyond
 * year 8000, RA_ERROR if TZ cannot be set. *out is only written on success.
 */
int ra_cron_next(ra_time *out, const struct ra_cron *c, ra_time after, const char *tz,
                 struct ra_err *err);

/* Read a decimal number (failing once it passes cap * 10), or one of names (three
 * letters, any case; names[i] is base + i), at *s before end: *out set and *s moved past
 * it, 0; -1 when there is neither. For the dialects of config/sched/cronx too. */
int ra_cron_read_value(int *out, const char **s, const char *end,
                       const char *const *names, int base, int cap);

#endif
