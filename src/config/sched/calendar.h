/* SPDX-License-Identifier: MIT */
/* systemd calendar events (OnCalendar= in .timer units, "Sun *-*-* 03:25:00"): parsing,
 * systemd's normalized form, and the next elapse after a given time in a given zone. */
#ifndef RA_CONFIG_SCHED_CALENDAR_H
#define RA_CONFIG_SCHED_CALENDAR_H

#include "util/time.h"

struct ra_buf;

/*
 * Syntax, as systemd.time(7) and systemd 252's calendarspec.c accept it:
 *
 *   [WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:MINUTE[:SECOND]] [ZONE]
 *
 * - WEEKDAYS: names, long or three letters, any case ("Mon", "monday"), joined by `,`
 *   (list) and `..` or `-` (range, not wrapping past Sunday): "Mon..Fri", "Sat,Sun".
 * - Each of YEAR, MONTH, DAY, HOUR, MINUTE, SECOND is `*` or a `,`-separated list of
 *   `N`, `A..B`, `N/R` (N, N+R, N+2R, ... to the end of the field) and `A..B/R`.
 *   `*` takes no repetition: every 15 minutes is `*:0/15` (`*:*` with "/15" is
 *   rejected, as by systemd). Two-digit years are 19xx from 70, 20xx below; years
 *   run from 1970 to 2199.
 * - `~` instead of the last `-` counts the day back from the month's end: "*-02~01" is
 *   the last day of February, "Mon *-05~07/1" the last Monday of May. Days ~1-~28,
 *   but systemd lowers the limit by 3 for each further item of the list, so
 *   "*-*~01,28" is rejected and "*-*~01,25" accepted; a range of seconds must span
 *   two values ("*:*:05..05" is rejected). Such quirks are kept: a timer systemd
 *   rejects never runs.
 * - A missing date is `*-*-*`, a missing time 00:00:00, missing seconds :00.
 * - Shorthands, any case: minutely, hourly, daily, weekly (Mon 00:00), monthly,
 *   quarterly, semiannually (also semi-annually, biannually, bi-annually), yearly,
 *   annually (also "anually"). "@SECONDS" is that one UTC instant.
 * - ZONE, after a space at the end: "UTC" (any case), or a zone of the system tz
 *   database ($TZDIR or /usr/share/zoneinfo), spelled as its file is ("Europe/London").
 *   systemd also takes the two abbreviations of the machine's own zone ("GMT", "BST"
 *   on a machine in Europe/London) to force DST off or on; offline the machine is not
 *   known, so such a word is read as the zone file of that name if there is one
 *   ("GMT", "CET", "EST") and rejected otherwise ("BST").
 *
 * Differences from systemd: blanks around the expression are ignored (a unit file
 * strips them anyway), and fractional seconds ("00:00:00.5") are rejected, since
 * ra_time counts whole seconds.
 */
struct ra_calendar;

/* Parse expr. On success *out is a new calendar event the caller frees with
 * ra_calendar_free. Returns RA_EFORMAT with a one-line message naming the bad part,
 * e.g. "OnCalendar 'Sun *-*-* 25:00': hour 25 out of range 0-23". */
int ra_calendar_parse(struct ra_calendar **out, const char *expr, struct ra_err *err);

/* Free c. NULL is fine. */
void ra_calendar_free(struct ra_calendar *c);

/* Append systemd's normalized form of c to out, as `systemd-analyze calendar` prints
 * it: "Sun *-*-* 03:25:00", "daily" as "*-*-* 00:00:00", "Mon..Fri *-*-* 09:00:00",
 * "*-*-* *:00/15:00", "*-*-* 03:25:00 Europe/London". */
void ra_calendar_normalized(struct ra_buf *out, const struct ra_calendar *c);

/* The zone the expression names ("Europe/London", "UTC"), or NULL when it names none;
 * borrowed from c. */
const char *ra_calendar_zone(const struct ra_calendar *c);

/*
 * Set *out to the first elapse strictly after `after` (UTC seconds). The fields are
 * matched in the local time of the zone the expression names, else of tz (the zone
 * the timer runs in): NULL or "UTC" for UTC, else an IANA name from the system tz
 * database.
 *
 * Daylight-saving changes follow systemd 252 (calendarspec.c searches local
 * wall-clock time field by field and converts with mktime):
 *   - Clocks go forward (a gap, e.g. 01:00-02:00 on 2026-03-29 in Europe/London):
 *     local times in the gap do not exist and never elapse; the search goes on from
 *     the end of the gap. "*-*-* 01:30" skips that day; "*:30" elapses at 00:30 GMT
 *     and then 02:30 BST; "*-*-* 01..02:15" elapses at 02:15 BST only.
 *   - Clocks go back (a repeated hour, 01:00-02:00 on 2026-10-25 in Europe/London):
 *     the search never goes back in local time, so each local time elapses once, at
 *     its first occurrence after `after`: "*-*-* 01:30" at 01:30 BST; "*:0/20" at
 *     01:00, 01:20, 01:40 BST and then 02:00 GMT, not in the second 01:xx. Only when
 *     `after` itself lies in the second pass do times in it elapse (01:30 GMT).
 *   - systemd's own slips are reproduced, since they are what the timer did: a
 *     repetition that runs past the end of its field near a change can skip an
 *     elapse ("*-*-* 0/9:00" skips midnight on 2043-10-25 in Europe/London) or make
 *     systemd give up (the same expression from 2026-03-28 18:30Z: RA_ELIMIT).
 *     calendar_next.c lists them.
 * Debian's cron differs: it runs a fixed-time job once at the end of a gap and a
 * wildcard job in both passes of a repeated hour (see config/sched/cron.h).
 *
 * Not thread-safe: a zone other than UTC is applied by setting the TZ environment
 * variable and calling tzset() around the computation, restoring the previous value
 * before returning. Offset changes less than a day apart are assumed not to happen.
 *
 * Returns 0; RA_ENOTFOUND when it never elapses again, as systemd's "never": no
 * elapse before the year 2200, e.g. "*-02-30" or a date in the past; RA_ELIMIT when
 * systemd gives up on it after 1000 search rounds ("Infinite loop in calendar
 * calculation"), so that it has no next elapse there; RA_EUSAGE when tz is not a known
 * time zone or `after` is outside the years 1-9999.
 */
int ra_calendar_next(ra_time *out, const struct ra_calendar *c, ra_time after,
                     const char *tz, struct ra_err *err);

#endif
