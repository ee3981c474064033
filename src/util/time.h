/* SPDX-License-Identifier: MIT */
/* UTC times as seconds since the epoch: parsing the forms evidence uses, ISO-8601 output.
 */
#ifndef RA_UTIL_TIME_H
#define RA_UTIL_TIME_H

#include "util/common.h"

/* Seconds since 1970-01-01T00:00:00Z. RA_TIME_NONE means "unknown". */
typedef int64_t ra_time;
#define RA_TIME_NONE INT64_MIN

/* Large enough for "-292277026596-12-04T15:30:07Z". */
#define RA_TIME_STRLEN 40

/* Write t as "2026-04-12T01:00:00Z" into out; "" for RA_TIME_NONE. Returns out. */
char *ra_time_format(char out[RA_TIME_STRLEN], ra_time t);

/* Parse RFC 3339 / ISO-8601: "2026-04-12T01:00Z", "2026-04-12T01:00:00.5+02:00",
 * "2026-04-12 01:00:00", "2026-04-12" (midnight UTC). No zone means UTC.
 * The whole string must match. RA_EFORMAT if it does not. */
int ra_time_parse(ra_time *out, const char *s);

/* Find a date-time inside a file or folder name: "…2026-04-12T0100Z…",
 * Synology "GMT+00_2026.04.12-01.00", "20260412T010000Z", "2026-04-12_01-00".
 * Returns 0 and sets *out, or RA_ENOTFOUND. */
int ra_time_from_name(ra_time *out, const char *name);

/* Find a date alone ("gc-2026-04-12.log") in a name: midnight UTC of that day.
 * Returns 0 and sets *out, or RA_ENOTFOUND. */
int ra_time_date_from_name(ra_time *out, const char *name);

/* Days-from-civil conversion (UTC, proleptic Gregorian), no libc time zone involved. */
ra_time ra_time_from_fields(int year, int mon, int day, int hour, int min, int sec);

#endif
