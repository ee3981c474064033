/* SPDX-License-Identifier: MIT */
/* Unit tests for config/calendar: each OnCalendar= form, the normalized form, the errors,
 * and systemd's daylight-saving behaviour in Europe/London and America/New_York. Every
 * expected time was checked with systemd-analyze calendar (systemd 252). */
#include "config/sched/calendar.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

#define END NULL

static ra_time at(const char *iso)
{
    ra_time t = 0;

    assert_int_equal(ra_time_parse(&t, iso), 0);
    return t;
}

/* Check that the elapses of expr after `after` in zone tz are the NULL-terminated list
 * that follows, each given as an ISO-8601 UTC time. */
static void check(const char *expr, const char *tz, const char *after, ...)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    char got[RA_TIME_STRLEN];
    const char *want;
    ra_time t = at(after), next;
    va_list ap;

    if (ra_calendar_parse(&c, expr, &err) < 0)
        fail_msg("parse '%s': %s", expr, err.msg);
    va_start(ap, after);
    while ((want = va_arg(ap, const char *)) != NULL) {
        if (ra_calendar_next(&next, c, t, tz, &err) < 0)
            fail_msg("next '%s' after %s: %s", expr, ra_time_format(got, t), err.msg);
        ra_time_format(got, next);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' in %s: got %s, want %s", expr, tz ? tz : "UTC", got, want);
        t = next;
    }
    va_end(ap);
    ra_calendar_free(c);
}

static void check_normalized(const char *expr, const char *want)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    struct ra_buf out = RA_BUF_INIT;

    if (ra_calendar_parse(&c, expr, &err) < 0)
        fail_msg("parse '%s': %s", expr, err.msg);
    ra_calendar_normalized(&out, c);
    if (strcmp(ra_buf_cstr(&out), want) != 0)
        fail_msg("'%s': normalized '%s', want '%s'", expr, ra_buf_cstr(&out), want);
    ra_buf_release(&out);
    ra_calendar_free(c);
}

static void check_parse_error(const char *expr, const char *msg_part)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = (struct ra_calendar *)&err; /* must be reset to NULL */

    assert_int_equal(ra_calendar_parse(&c, expr, &err), RA_EFORMAT);
    assert_int_equal(err.code, RA_EFORMAT);
    assert_null(c);
    if (!strstr(err.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", expr, err.msg, msg_part);
}

/* ra_calendar_next fails with code after `after`, leaving *out alone. */
static void check_next_error(const char *expr, const char *tz, const char *after,
                             int code, const char *part)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    ra_time next = 42;

    assert_int_equal(ra_calendar_parse(&c, expr, &err), 0);
    assert_int_equal(ra_calendar_next(&next, c, at(after), tz, &err), code);
    assert_int_equal(err.code, code);
    assert_int_equal(next, 42);
    if (!strstr(err.msg, part))
        fail_msg("'%s': message '%s' lacks '%s'", expr, err.msg, part);
    ra_calendar_free(c);
}

static void test_calendar__incident_sunday_0325(void **state)
{
    (void)state;
    check("Sun *-*-* 03:25:00", NULL, "2026-04-01T00:00Z", "2026-04-05T03:25:00Z",
          "2026-04-12T03:25:00Z", "2026-04-19T03:25:00Z", END);
    check("Sun *-*-* 03:25:00", "Europe/London", "2026-04-01T00:00Z",
          "2026-04-05T02:25:00Z", "2026-04-12T02:25:00Z", END);
    /* 03:25 exists on both change days */
    check("Sun *-*-* 03:25:00", "Europe/London", "2026-03-27T00:00Z",
          "2026-03-29T02:25:00Z", "2026-04-05T02:25:00Z", END);
    check("Sun *-*-* 03:25:00", "Europe/London", "2026-10-20T00:00Z",
          "2026-10-25T03:25:00Z", "2026-11-01T03:25:00Z", END);
}

static void test_calendar__strictly_after(void **state)
{
    (void)state;
    check("daily", NULL, "2026-04-12T00:00Z", "2026-04-13T00:00:00Z", END);
    check("daily", NULL, "2026-04-11T23:59:59Z", "2026-04-12T00:00:00Z", END);
}

static void test_calendar__shorthands_utc(void **state)
{
    const char *t0 = "2026-04-12T13:20:30Z";

    (void)state;
    check("minutely", NULL, t0, "2026-04-12T13:21:00Z", "2026-04-12T13:22:00Z", END);
    check("hourly", NULL, t0, "2026-04-12T14:00:00Z", "2026-04-12T15:00:00Z", END);
    check("daily", NULL, t0, "2026-04-13T00:00:00Z", "2026-04-14T00:00:00Z", END);
    check("weekly", NULL, t0, "2026-04-13T00:00:00Z", "2026-04-20T00:00:00Z", END);
    check("monthly", NULL, t0, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", END);
    check("yearly", NULL, t0, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", END);
    check("annually", NULL, t0, "2027-01-01T00:00:00Z", END);
    check("quarterly", NULL, t0, "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z",
          "2027-01-01T00:00:00Z", END);
    check("semiannually", NULL, t0, "2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z", END);
    check("semi-annually", NULL, t0, "2026-07-01T00:00:00Z", END);
    check("Daily", NULL, t0, "2026-04-13T00:00:00Z", END);
}

static void test_calendar__shorthands_london(void **state)
{
    const char *t0 = "2026-04-12T13:20:30Z";

    (void)state;
    check("hourly", "Europe/London", t0, "2026-04-12T14:00:00Z", END);
    check("daily", "Europe/London", t0, "2026-04-12T23:00:00Z", "2026-04-13T23:00:00Z",
          END);
    check("weekly", "Europe/London", t0, "2026-04-12T23:00:00Z", "2026-04-19T23:00:00Z",
          END);
    check("monthly", "Europe/London", t0, "2026-04-30T23:00:00Z", END);
    check("quarterly", "Europe/London", t0, "2026-06-30T23:00:00Z",
          "2026-09-30T23:00:00Z", "2027-01-01T00:00:00Z", END);
    check("semiannually", "Europe/London", t0, "2026-06-30T23:00:00Z",
          "2027-01-01T00:00:00Z", END);
    check("yearly", "Europe/London", t0, "2027-01-01T00:00:00Z", END);
}

static void test_calendar__time_only(void **state)
{
    (void)state;
    check("*-*-* 02:00", NULL, "2026-04-12T01:30Z", "2026-04-12T02:00:00Z",
          "2026-04-13T02:00:00Z", END);
    check("*-*-* 02:00", "Europe/London", "2026-04-12T01:30Z", "2026-04-13T01:00:00Z",
          END);
    check("02:00", NULL, "2026-04-12T01:30Z", "2026-04-12T02:00:00Z", END);
    check("*-*-* 12:00:30", NULL, "2026-04-12T12:00Z", "2026-04-12T12:00:30Z",
          "2026-04-13T12:00:30Z", END);
}

static void test_calendar__weekdays(void **state)
{
    (void)state;
    /* 2026-04-10 is a Friday */
    check("Mon..Fri 09:00", NULL, "2026-04-10T10:00Z", "2026-04-13T09:00:00Z",
          "2026-04-14T09:00:00Z", END);
    check("monday..FRIDAY 9:00", "Europe/London", "2026-04-10T10:00Z",
          "2026-04-13T08:00:00Z", "2026-04-14T08:00:00Z", END);
    check("Mon-Fri 09:00", NULL, "2026-04-10T10:00Z", "2026-04-13T09:00:00Z", END);
    check("Sat,Sun 23:30", NULL, "2026-04-10T10:00Z", "2026-04-11T23:30:00Z",
          "2026-04-12T23:30:00Z", "2026-04-18T23:30:00Z", END);
    check("Sat,Sun 23:30", "Europe/London", "2026-04-10T10:00Z", "2026-04-11T22:30:00Z",
          "2026-04-12T22:30:00Z", "2026-04-18T22:30:00Z", END);
}

static void test_calendar__every_15_minutes(void **state)
{
    (void)state;
    check("*:0/15", NULL, "2026-04-12T10:07Z", "2026-04-12T10:15:00Z",
          "2026-04-12T10:30:00Z", "2026-04-12T10:45:00Z", "2026-04-12T11:00:00Z", END);
    check("*:0/15", "Europe/London", "2026-04-12T10:07Z", "2026-04-12T10:15:00Z",
          "2026-04-12T10:30:00Z", END);
    check("*:*:0/20", NULL, "2026-04-12T12:00:10Z", "2026-04-12T12:00:20Z",
          "2026-04-12T12:00:40Z", "2026-04-12T12:01:00Z", END);
}

static void test_calendar__first_of_month(void **state)
{
    (void)state;
    check("*-*-01 00:00", NULL, "2026-04-12T10:07Z", "2026-05-01T00:00:00Z",
          "2026-06-01T00:00:00Z", END);
    check("*-*-01 00:00", "Europe/London", "2026-04-12T10:07Z", "2026-04-30T23:00:00Z",
          "2026-05-31T23:00:00Z", END);
}

static void test_calendar__fixed_date(void **state)
{
    (void)state;
    check("2026-04-12 03:25", NULL, "2026-04-01T00:00Z", "2026-04-12T03:25:00Z", END);
    check("2026-04-12 03:25", "Europe/London", "2026-04-01T00:00Z",
          "2026-04-12T02:25:00Z", END);
    check("26-04-12 03:25", NULL, "2026-04-01T00:00Z", "2026-04-12T03:25:00Z", END);
    check_next_error("2026-04-12 03:25", NULL, "2026-04-12T03:25Z", RA_ENOTFOUND,
                     "OnCalendar '2026-04-12 03:25': never elapses after "
                     "2026-04-12T03:25:00Z");
    check_next_error("*-02-30", NULL, "2026-04-12T00:00Z", RA_ENOTFOUND, "never elapses");
}

static void test_calendar__ranges_lists_repetition(void **state)
{
    (void)state;
    check("*-*-* 9..17/4:00,30", NULL, "2026-04-12T00:00Z", "2026-04-12T09:00:00Z",
          "2026-04-12T09:30:00Z", "2026-04-12T13:00:00Z", "2026-04-12T13:30:00Z",
          "2026-04-12T17:00:00Z", END);
    /* a repetition past the end of its field: systemd carries Dec 34 to Jan 3 and
     * resets the month only, so Jan 1 is skipped */
    check("*-*-01,19/5", NULL, "2029-12-23T15:16:44Z", "2029-12-24T00:00:00Z",
          "2029-12-29T00:00:00Z", "2030-01-19T00:00:00Z", END);
}

static void test_calendar__end_of_month(void **state)
{
    (void)state;
    check("*-02~01", NULL, "2026-01-01T00:00Z", "2026-02-28T00:00:00Z",
          "2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z", END);
    /* the last Monday of May */
    check("Mon *-05~07/1", NULL, "2026-01-01T00:00Z", "2026-05-25T00:00:00Z",
          "2027-05-31T00:00:00Z", "2028-05-29T00:00:00Z", END);
}

static void test_calendar__zone_in_expression(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;

    (void)state;
    /* the expression's zone wins over the unit's */
    check("Sun *-*-* 03:25 Europe/London", "America/New_York", "2026-04-01T00:00Z",
          "2026-04-05T02:25:00Z", "2026-04-12T02:25:00Z", END);
    check("Mon..Fri 09:00 America/New_York", NULL, "2026-03-06T20:00Z",
          "2026-03-09T13:00:00Z", "2026-03-10T13:00:00Z", END);
    check("daily UTC", "Europe/London", "2026-03-06T20:00Z", "2026-03-07T00:00:00Z", END);
    check("daily utc", "Europe/London", "2026-03-06T20:00Z", "2026-03-07T00:00:00Z", END);

    assert_int_equal(ra_calendar_parse(&c, "Sun *-*-* 03:25 Europe/London", &err), 0);
    assert_string_equal(ra_calendar_zone(c), "Europe/London");
    ra_calendar_free(c);
    assert_int_equal(ra_calendar_parse(&c, "daily utc", &err), 0);
    assert_string_equal(ra_calendar_zone(c), "UTC");
    ra_calendar_free(c);
    assert_int_equal(ra_calendar_parse(&c, "daily", &err), 0);
    assert_null(ra_calendar_zone(c));
    ra_calendar_free(c);
}

static void test_calendar__timestamp(void **state)
{
    (void)state;
    check("@1776000000", "Europe/London", "2026-04-01T00:00Z", "2026-04-12T13:20:00Z",
          END);
    check_next_error("@1776000000", NULL, "2026-04-12T13:20Z", RA_ENOTFOUND,
                     "never elapses");
}

static void test_calendar__dst_gap_london(void **state)
{
    (void)state;
    /* 2026-03-29: 01:00-02:00 does not exist; 01:30 does not elapse that day */
    check("*-*-* 01:30", "Europe/London", "2026-03-27T12:00Z", "2026-03-28T01:30:00Z",
          "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z", END);
    /* hourly at :30: 00:30 GMT, then 02:30 BST */
    check("*:30", "Europe/London", "2026-03-28T23:45Z", "2026-03-29T00:30:00Z",
          "2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z", END);
    check("*-*-* 01..02:15", "Europe/London", "2026-03-28T12:00Z", "2026-03-29T01:15:00Z",
          "2026-03-30T00:15:00Z", "2026-03-30T01:15:00Z", END);
}

static void test_calendar__dst_repeat_london(void **state)
{
    (void)state;
    /* 2026-10-25: 01:00-02:00 happens twice; each local time elapses once, first time
     * round, and the search does not go back into the second pass */
    check("*-*-* 01:30", "Europe/London", "2026-10-24T12:00Z", "2026-10-25T00:30:00Z",
          "2026-10-26T01:30:00Z", END);
    check("*:0/20", "Europe/London", "2026-10-24T23:50Z", "2026-10-25T00:00:00Z",
          "2026-10-25T00:20:00Z", "2026-10-25T00:40:00Z", "2026-10-25T02:00:00Z", END);
    check("*:30", "Europe/London", "2026-10-24T22:00Z", "2026-10-24T22:30:00Z",
          "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z", END);
    /* starting in the second pass, its times do elapse */
    check("*-*-* 01:30", "Europe/London", "2026-10-25T01:15Z", "2026-10-25T01:30:00Z",
          "2026-10-26T01:30:00Z", END);
}

static void test_calendar__dst_new_york(void **state)
{
    (void)state;
    /* 02:30 does not exist on 2026-03-08; 01:30 happens twice on 2026-11-01 */
    check("*-*-* 02:30", "America/New_York", "2026-03-07T12:00Z", "2026-03-09T06:30:00Z",
          "2026-03-10T06:30:00Z", END);
    check("*-*-* 01:30", "America/New_York", "2026-10-31T12:00Z", "2026-11-01T05:30:00Z",
          "2026-11-02T06:30:00Z", END);
}

static void test_calendar__systemd_dst_slips(void **state)
{
    (void)state;
    /* hour 27 is carried to 03:00 GMT on the change day, whose hour is reset with
     * tm_isdst = 0 kept: midnight BST is read as 00:00 GMT, i.e. 01:00 BST, and
     * skipped */
    check("*-*-* 0/9:00", "Europe/London", "2043-10-24T15:42:08Z", "2043-10-24T17:00:00Z",
          "2043-10-25T09:00:00Z", "2043-10-25T18:00:00Z", END);
    /* the same in spring reads midnight GMT as 23:00 the day before, and loops */
    check_next_error(
        "*-*-* 0/9:00", "Europe/London", "2026-03-28T18:30Z", RA_ELIMIT,
        "systemd gives up looking for the elapse after 2026-03-28T18:30:00Z");
}

static void test_calendar__normalized(void **state)
{
    (void)state;
    check_normalized("Sun *-*-* 03:25", "Sun *-*-* 03:25:00");
    check_normalized("daily", "*-*-* 00:00:00");
    check_normalized("weekly", "Mon *-*-* 00:00:00");
    check_normalized("quarterly", "*-01,04,07,10-01 00:00:00");
    check_normalized("semi-annually", "*-01,07-01 00:00:00");
    check_normalized("minutely", "*-*-* *:*:00");
    check_normalized("*:0/15", "*-*-* *:00/15:00");
    check_normalized("mon..fri 9:0", "Mon..Fri *-*-* 09:00:00");
    check_normalized("Sun,Mon", "Mon,Sun *-*-* 00:00:00");
    check_normalized("Mon,Tue,Wed", "Mon..Wed *-*-* 00:00:00");
    check_normalized("Mon-Wed,Fri", "Mon..Wed,Fri *-*-* 00:00:00");
    check_normalized("Mon..Sun 12:00", "*-*-* 12:00:00");
    check_normalized("Wed..Sat,Tue 12-10-15 1:2:3", "Tue..Sat 2012-10-15 01:02:03");
    check_normalized("2026-4-12 3:25", "2026-04-12 03:25:00");
    check_normalized("04-12", "*-04-12 00:00:00");
    check_normalized("*-*", "*-*-* 00:00:00");
    check_normalized("1,3,2,1:00", "*-*-* 01,02,03:00:00");
    check_normalized("*-*-* 5..6/3:00", "*-*-* 05:00:00");
    check_normalized("00..10/2:00", "*-*-* 00..10/2:00:00");
    check_normalized("*:*:*", "*-*-* *:*:*");
    check_normalized("*:*:00/1,30", "*-*-* *:*:*");
    check_normalized("*:*:00..30", "*-*-* *:*:00..30");
    check_normalized("*-02~1..3", "*-02~01..03 00:00:00");
    check_normalized("*-*~07/1", "*-*~07/1 00:00:00");
    check_normalized("@1776000000", "2026-04-12 13:20:00 UTC");
    check_normalized("daily utc", "*-*-* 00:00:00 UTC");
    check_normalized("weekly Europe/London", "Mon *-*-* 00:00:00 Europe/London");
    check_normalized("Sun *-*-* 03:25 Etc/UTC", "Sun *-*-* 03:25:00 Etc/UTC");
    check_normalized("  Mon  12:00  ", "Mon *-*-* 12:00:00");
}

static void test_calendar__invalid_expressions(void **state)
{
    (void)state;
    check_parse_error("Sun *-*-* 25:00",
                      "OnCalendar 'Sun *-*-* 25:00': hour 25 out of range 0-23");
    check_parse_error("24:00", "hour 24 out of range");
    check_parse_error("*-13-01", "month 13 out of range 1-12");
    check_parse_error("*-*-32", "day 32 out of range 1-31");
    check_parse_error("1969-01-01", "year 1969 out of range 1970-2199");
    check_parse_error("2200-01-01", "year 2200 out of range");
    check_parse_error("00:00:60", "second 60 out of range");
    check_parse_error("9999999999:00", "hour 9999999999 out of range");
    check_parse_error("*:*/15", "'*' cannot repeat");
    check_parse_error("*:50/15", "minute 50/15 never repeats within 0-59");
    check_parse_error("*:0/60", "minute 0/60: repetition longer than the field");
    check_parse_error("*:0/0", "repetition '0/0' is zero");
    check_parse_error("5..3:00", "hour range 5..3 is empty");
    check_parse_error("*:*:05..05", "second range 05..05 is empty");
    check_parse_error("*-*-* 03:25:00.5", "fractional seconds are not supported");
    check_parse_error("*-*~29", "day ~29 out of range ~1-~28");
    check_parse_error("*-*~01,28", "item 2 of a '~' list");
    check_parse_error("Tues 12:00", "weekday: bad name 'Tues'");
    check_parse_error("Fri..Mon", "weekday range 'Fri..Mon' goes backwards");
    check_parse_error("Mon..Wed..Fri", "weekday: bad range");
    check_parse_error("Mon..", "weekday: open range");
    check_parse_error("Mon *", "bad time '*'");
    check_parse_error("*-*-* 03", "bad time '03'");
    check_parse_error("12 13:00", "bad date '12'");
    check_parse_error("2026-4x-12", "date: bad value '4x'");
    check_parse_error("", "OnCalendar '': empty expression");
    check_parse_error("   ", "empty expression");
    check_parse_error("every day", "'every': not a weekday, date or time");
    check_parse_error("Sun *-*-* 03:25 Europe/Nowhere",
                      "unknown time zone 'Europe/Nowhere'");
    check_parse_error("daily BST", "unknown time zone 'BST'");
    check_parse_error("@", "bad timestamp '@'");
}

static void test_calendar__next_errors(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    ra_time next = 42;

    (void)state;
    check_next_error("daily", "Europe/Londn", "2026-04-01T00:00Z", RA_EUSAGE,
                     "OnCalendar 'daily': unknown time zone 'Europe/Londn'");
    check_next_error("daily", "../../etc/passwd", "2026-04-01T00:00Z", RA_EUSAGE,
                     "unknown time zone");
    check_next_error("daily", "", "2026-04-01T00:00Z", RA_EUSAGE, "unknown time zone");
    /* the expression's own zone makes the unit's irrelevant */
    check("daily Europe/London", "Europe/Londn", "2026-04-12T12:00Z",
          "2026-04-12T23:00:00Z", END);

    assert_int_equal(ra_calendar_parse(&c, "daily", &err), 0);
    assert_int_equal(ra_calendar_next(&next, c, INT64_MAX, NULL, &err), RA_EUSAGE);
    assert_int_equal(err.code, RA_EUSAGE);
    assert_non_null(strstr(err.msg, "OnCalendar 'daily': start time out of range"));
    assert_int_equal(next, 42);
    ra_calendar_free(c);
}

static void test_calendar__tz_environment_restored(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    ra_time next;

    (void)state;
    assert_int_equal(ra_calendar_parse(&c, "daily", &err), 0);
    assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
    assert_int_equal(
        ra_calendar_next(&next, c, at("2026-04-12T12:00Z"), "Europe/London", &err), 0);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    assert_int_equal(unsetenv("TZ"), 0);
    assert_int_equal(
        ra_calendar_next(&next, c, at("2026-04-12T12:00Z"), "Europe/London", &err), 0);
    assert_null(getenv("TZ"));
    ra_calendar_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar__incident_sunday_0325),
        cmocka_unit_test(test_calendar__strictly_after),
        cmocka_unit_test(test_calendar__shorthands_utc),
        cmocka_unit_test(test_calendar__shorthands_london),
        cmocka_unit_test(test_calendar__time_only),
        cmocka_unit_test(test_calendar__weekdays),
        cmocka_unit_test(test_calendar__every_15_minutes),
        cmocka_unit_test(test_calendar__first_of_month),
        cmocka_unit_test(test_calendar__fixed_date),
        cmocka_unit_test(test_calendar__ranges_lists_repetition),
        cmocka_unit_test(test_calendar__end_of_month),
        cmocka_unit_test(test_calendar__zone_in_expression),
        cmocka_unit_test(test_calendar__timestamp),
        cmocka_unit_test(test_calendar__dst_gap_london),
        cmocka_unit_test(test_calendar__dst_repeat_london),
        cmocka_unit_test(test_calendar__dst_new_york),
        cmocka_unit_test(test_calendar__systemd_dst_slips),
        cmocka_unit_test(test_calendar__normalized),
        cmocka_unit_test(test_calendar__invalid_expressions),
        cmocka_unit_test(test_calendar__next_errors),
        cmocka_unit_test(test_calendar__tz_environment_restored),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
