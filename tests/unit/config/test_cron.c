/* SPDX-License-Identifier: MIT */
/* Unit tests for config/cron: syntax, the day rule of each dialect, and Debian cron's
 * daylight-saving rules in Europe/London and America/New_York. */
#include "config/sched/cron.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define END NULL

static ra_time at(const char *iso)
{
    ra_time t = 0;

    assert_int_equal(ra_time_parse(&t, iso), 0);
    return t;
}

/* Check that the firings of expr after `after` are the NULL-terminated list that
 * follows, each given as an ISO-8601 UTC time. */
static void check(enum ra_cron_dialect dialect, const char *expr, const char *tz,
                  const char *after, ...)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = NULL;
    char got[RA_TIME_STRLEN];
    const char *want;
    ra_time t = at(after), next;
    va_list ap;

    if (ra_cron_parse_dialect(&c, expr, dialect, &err) < 0)
        fail_msg("parse '%s': %s", expr, err.msg);
    va_start(ap, after);
    while ((want = va_arg(ap, const char *)) != NULL) {
        if (ra_cron_next(&next, c, t, tz, &err) < 0)
            fail_msg("next '%s' after %s: %s", expr, ra_time_format(got, t), err.msg);
        ra_time_format(got, next);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' in %s: got %s, want %s", expr, tz ? tz : "UTC", got, want);
        t = next;
    }
    va_end(ap);
    ra_cron_free(c);
}

static void check_parse_error(enum ra_cron_dialect dialect, const char *expr,
                              const char *msg_part)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = (struct ra_cron *)&err; /* must be reset to NULL */

    assert_int_equal(ra_cron_parse_dialect(&c, expr, dialect, &err), RA_EFORMAT);
    assert_int_equal(err.code, RA_EFORMAT);
    assert_null(c);
    if (!strstr(err.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", expr, err.msg, msg_part);
}

static void check_next_error(const char *expr, const char *tz, int code, const char *part)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = NULL;
    ra_time next = 42;

    assert_int_equal(ra_cron_parse(&c, expr, &err), 0);
    assert_int_equal(ra_cron_next(&next, c, at("2026-04-01T00:00Z"), tz, &err), code);
    assert_int_equal(err.code, code);
    assert_int_equal(next, 42);
    if (!strstr(err.msg, part))
        fail_msg("'%s': message '%s' lacks '%s'", expr, err.msg, part);
    ra_cron_free(c);
}

static void test_cron__every_minute(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "* * * * *", NULL, "2026-04-12T01:00:30Z",
          "2026-04-12T01:01:00Z", "2026-04-12T01:02:00Z", END);
}

static void test_cron__strictly_after(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "0 * * * *", NULL, "2026-04-12T01:00:00Z",
          "2026-04-12T02:00:00Z", END);
    check(RA_CRON_VIXIE, "0 * * * *", NULL, "2026-04-12T00:59:59Z",
          "2026-04-12T01:00:00Z", END);
}

static void test_cron__incident_gc_sundays_0325(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "25 3 * * 0", NULL, "2026-04-01T00:00Z", "2026-04-05T03:25:00Z",
          "2026-04-12T03:25:00Z", "2026-04-19T03:25:00Z", END);
    check(RA_CRON_VIXIE, "25 3 * * 0", "Europe/London", "2026-04-01T00:00Z",
          "2026-04-05T02:25:00Z", "2026-04-12T02:25:00Z", END);
    check(RA_CRON_VIXIE, "25 3 * * 0", "Europe/London", "2026-03-27T00:00Z",
          "2026-03-29T02:25:00Z", END);
}

static void test_cron__lists_ranges_and_steps(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "0,30 9-17/4 * * *", NULL, "2026-04-12T09:30Z",
          "2026-04-12T13:00:00Z", "2026-04-12T13:30:00Z", "2026-04-12T17:00:00Z",
          "2026-04-12T17:30:00Z", "2026-04-13T09:00:00Z", END);
    check(RA_CRON_VIXIE, "*/15 * * * *", NULL, "2026-04-12T10:07Z",
          "2026-04-12T10:15:00Z", "2026-04-12T10:30:00Z", "2026-04-12T10:45:00Z",
          "2026-04-12T11:00:00Z", END);
    check(RA_CRON_VIXIE, "10-50/20 * * * *", NULL, "2026-04-12T10:00Z",
          "2026-04-12T10:10:00Z", "2026-04-12T10:30:00Z", "2026-04-12T10:50:00Z",
          "2026-04-12T11:10:00Z", END);
    check(RA_CRON_VIXIE, "0 0 1 */5 *", NULL, "2026-01-01T00:00Z", "2026-06-01T00:00:00Z",
          "2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z", END);
}

static void test_cron__step_without_range_is_croniter_only(void **state)
{
    (void)state;
    check_parse_error(RA_CRON_VIXIE, "5/20 * * * *", "minute: step without range");
    check(RA_CRON_CRONITER, "5/20 * * * *", NULL, "2026-04-12T10:00Z",
          "2026-04-12T10:05:00Z", "2026-04-12T10:25:00Z", "2026-04-12T10:45:00Z",
          "2026-04-12T11:05:00Z", END);
    /* day of week: A/S runs to 7, which is Sunday */
    check(RA_CRON_CRONITER, "0 0 * * 3/2", NULL, "2026-04-01T00:00Z",
          "2026-04-03T00:00:00Z", "2026-04-05T00:00:00Z", "2026-04-08T00:00:00Z", END);
}

static void test_cron__names_any_case(void **state)
{
    (void)state;
    /* 2026-01-30 is a Friday; February is skipped; 2026-03-01 is a Sunday */
    check(RA_CRON_VIXIE, "0 12 * JAN,mar Mon-fri", NULL, "2026-01-30T13:00Z",
          "2026-03-02T12:00:00Z", "2026-03-03T12:00:00Z", END);
    check(RA_CRON_VIXIE, "0 0 * Dec SUN", NULL, "2026-01-01T00:00Z",
          "2026-12-06T00:00:00Z", END);
    check_parse_error(RA_CRON_VIXIE, "0 0 * * sunday", "day-of-week: bad value 'sunday'");
    check_parse_error(RA_CRON_VIXIE, "0 0 * janu *", "month: bad value 'janu'");
    check_parse_error(RA_CRON_VIXIE, "0 jan * * *", "hour: bad value 'jan'");
}

static void test_cron__dow_seven_is_sunday(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "0 0 * * 7", NULL, "2026-04-01T00:00Z", "2026-04-05T00:00:00Z",
          "2026-04-12T00:00:00Z", END);
    check(RA_CRON_VIXIE, "0 0 * * 5-7", NULL, "2026-04-01T00:00Z", "2026-04-03T00:00:00Z",
          "2026-04-04T00:00:00Z", "2026-04-05T00:00:00Z", "2026-04-10T00:00:00Z", END);
    check_parse_error(RA_CRON_VIXIE, "0 0 * * 8", "day-of-week: '8' out of range 0-7");
}

static void test_cron__reverse_weekday_range(void **state)
{
    (void)state;
    check_parse_error(RA_CRON_VIXIE, "0 0 * * fri-sun",
                      "day-of-week: bad range 'fri-sun'");
    check(RA_CRON_CRONITER, "0 0 * * fri-sun", NULL, "2026-04-01T00:00Z",
          "2026-04-03T00:00:00Z", "2026-04-04T00:00:00Z", "2026-04-05T00:00:00Z",
          "2026-04-10T00:00:00Z", END);
}

static void test_cron__vixie_day_or_rule(void **state)
{
    (void)state;
    /* the 1st (Friday May 1) and every Monday */
    check(RA_CRON_VIXIE, "0 0 1 * 1", NULL, "2026-04-01T00:00Z", "2026-04-06T00:00:00Z",
          "2026-04-13T00:00:00Z", "2026-04-20T00:00:00Z", "2026-04-27T00:00:00Z",
          "2026-05-01T00:00:00Z", "2026-05-04T00:00:00Z", END);
    check(RA_CRON_CRONITER, "0 0 1 * 1", NULL, "2026-04-01T00:00Z",
          "2026-04-06T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-20T00:00:00Z",
          "2026-04-27T00:00:00Z", "2026-05-01T00:00:00Z", "2026-05-04T00:00:00Z", END);
}

static void test_cron__star_step_day_rule_per_dialect(void **state)
{
    (void)state;
    /* Vixie: '*' "/2" starts with '*', so both fields must match: odd Mondays */
    check(RA_CRON_VIXIE, "0 0 */2 * 1", NULL, "2026-04-01T00:00Z", "2026-04-13T00:00:00Z",
          "2026-04-27T00:00:00Z", "2026-05-11T00:00:00Z", END);
    /* croniter: the field does not cover every day, so either may match */
    check(RA_CRON_CRONITER, "0 0 */2 * 1", NULL, "2026-04-01T00:00Z",
          "2026-04-03T00:00:00Z", "2026-04-05T00:00:00Z", "2026-04-06T00:00:00Z",
          "2026-04-07T00:00:00Z", END);
}

static void test_cron__full_range_day_rule_per_dialect(void **state)
{
    (void)state;
    /* Vixie: 1-31 is restricted, so the OR makes every day match */
    check(RA_CRON_VIXIE, "0 0 1-31 * 1", NULL, "2026-04-01T00:00Z",
          "2026-04-02T00:00:00Z", "2026-04-03T00:00:00Z", END);
    /* croniter: 1-31 covers the month, so only Mondays */
    check(RA_CRON_CRONITER, "0 0 1-31 * 1", NULL, "2026-04-01T00:00Z",
          "2026-04-06T00:00:00Z", "2026-04-13T00:00:00Z", END);
    /* both: 0-7 in day of week does not start with '*' for Vixie */
    check(RA_CRON_VIXIE, "0 0 15 * 0-7", NULL, "2026-04-01T00:00Z",
          "2026-04-02T00:00:00Z", END);
    check(RA_CRON_CRONITER, "0 0 15 * 0-7", NULL, "2026-04-01T00:00Z",
          "2026-04-15T00:00:00Z", END);
}

static void test_cron__shorthands(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "@yearly", NULL, "2026-04-01T00:00Z", "2027-01-01T00:00:00Z",
          END);
    check(RA_CRON_VIXIE, "@annually", NULL, "2026-04-01T00:00Z", "2027-01-01T00:00:00Z",
          END);
    check(RA_CRON_VIXIE, "@monthly", NULL, "2026-04-01T00:00Z", "2026-05-01T00:00:00Z",
          "2026-06-01T00:00:00Z", END);
    check(RA_CRON_VIXIE, "@weekly", NULL, "2026-04-01T00:00Z", "2026-04-05T00:00:00Z",
          "2026-04-12T00:00:00Z", END);
    check(RA_CRON_VIXIE, "@daily", NULL, "2026-04-01T00:00Z", "2026-04-02T00:00:00Z",
          END);
    check(RA_CRON_VIXIE, "@midnight", NULL, "2026-04-01T12:00Z", "2026-04-02T00:00:00Z",
          END);
    check(RA_CRON_VIXIE, " @hourly\n", NULL, "2026-04-01T01:30Z", "2026-04-01T02:00:00Z",
          END);
    check(RA_CRON_CRONITER, "@Weekly", NULL, "2026-04-01T00:00Z", "2026-04-05T00:00:00Z",
          END);
    check_parse_error(RA_CRON_VIXIE, "@Weekly", "unknown shorthand '@Weekly'");
    check_parse_error(RA_CRON_VIXIE, "@fortnightly", "unknown shorthand '@fortnightly'");
    check_parse_error(RA_CRON_VIXIE, "@daily 0", "unknown shorthand '@daily 0'");
}

static void test_cron__reboot_has_no_schedule(void **state)
{
    (void)state;
    check_parse_error(RA_CRON_VIXIE, "@reboot",
                      "cron '@reboot': @reboot has no schedule");
    check_parse_error(RA_CRON_CRONITER, "@reboot", "@reboot has no schedule");
}

static void test_cron__blanks_around_and_between(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "  0\t0  * *   *  \n", NULL, "2026-04-01T00:00Z",
          "2026-04-02T00:00:00Z", END);
}

static void test_cron__invalid_expressions(void **state)
{
    static const struct {
        const char *expr, *msg;
    } cases[] = {
        {"x * * * *", "cron 'x * * * *': minute: bad value 'x'"},
        {"60 * * * *", "minute: '60' out of range 0-59"},
        {"* 24 * * *", "hour: '24' out of range 0-23"},
        {"* * 0 * *", "day-of-month: '0' out of range 1-31"},
        {"* * 32 * *", "day-of-month: '32' out of range 1-31"},
        {"* * * 0 *", "month: '0' out of range 1-12"},
        {"* * * 13 *", "month: '13' out of range 1-12"},
        {"0-60/5 * * * *", "minute: '0-60/5' out of range 0-59"},
        {"* * * foo *", "month: bad value 'foo'"},
        {"*/0 * * * *", "minute: bad step '*/0'"},
        {"*/x * * * *", "minute: bad step '*/x'"},
        {"*/5/2 * * * *", "minute: bad step '*/5/2'"},
        {"5-1 * * * *", "minute: bad range '5-1'"},
        {"1,,2 * * * *", "minute: bad value ''"},
        {"1, * * * *", "minute: bad value ''"},
        {"-5 * * * *", "minute: bad value '-5'"},
        {"*5 * * * *", "minute: bad value '*5'"},
        {"? * * * *", "minute: bad value '?'"},
        {"* * L * *", "day-of-month: bad value 'L'"},
        {"* * * * 1#2", "day-of-week: bad value '1#2'"},
        {"H * * * *", "minute: bad value 'H'"},
        {"* * * *", "expected 5 fields, got 4"},
        {"0 * * * * *", "expected 5 fields, got 6"},
        {"0 0 * * * /usr/bin/gc", "expected 5 fields, got 6"},
        {"", "cron '': expected 5 fields, got 0"},
        {"   ", "expected 5 fields, got 0"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_parse_error(RA_CRON_VIXIE, cases[i].expr, cases[i].msg);
        check_parse_error(RA_CRON_CRONITER, cases[i].expr, cases[i].msg);
    }
}

static void test_cron__never_fires(void **state)
{
    (void)state;
    check_next_error(
        "0 0 30 2 *", NULL, RA_ENOTFOUND,
        "cron '0 0 30 2 *': no firing within 50 years after 2026-04-01T00:00:00Z");
    check_next_error("0 0 31 4,6,9,11 *", "Europe/London", RA_ENOTFOUND, "no firing");
}

static void test_cron__rare_but_firing(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "0 0 29 2 *", NULL, "2026-04-01T00:00Z", "2028-02-29T00:00:00Z",
          "2032-02-29T00:00:00Z", END);
    /* Feb 29 that is a Sunday ('*' "/7" keeps the day rule at AND): 2032, then 2060 */
    check(RA_CRON_VIXIE, "0 0 29 2 */7", NULL, "2026-04-01T00:00Z",
          "2032-02-29T00:00:00Z", "2060-02-29T00:00:00Z", END);
    /* the OR rule rescues an impossible day of month */
    check(RA_CRON_VIXIE, "0 0 30 2 1", NULL, "2026-02-01T00:00Z", "2026-02-02T00:00:00Z",
          END);
}

static void test_cron__dst_london_sunday_0300(void **state)
{
    (void)state;
    /* clocks go forward 2026-03-29 01:00Z; 03:00 local exists either side */
    check(RA_CRON_VIXIE, "0 3 * * 0", "Europe/London", "2026-03-20T00:00Z",
          "2026-03-22T03:00:00Z", "2026-03-29T02:00:00Z", "2026-04-05T02:00:00Z", END);
    /* clocks go back 2026-10-25 01:00Z */
    check(RA_CRON_VIXIE, "0 3 * * 0", "Europe/London", "2026-10-10T00:00Z",
          "2026-10-11T02:00:00Z", "2026-10-18T02:00:00Z", "2026-10-25T03:00:00Z",
          "2026-11-01T03:00:00Z", END);
}

static void test_cron__dst_gap_fixed_time_runs_at_change(void **state)
{
    (void)state;
    /* 01:30 does not exist on 2026-03-29: Debian cron runs it at 02:00 BST (01:00Z) */
    check(RA_CRON_VIXIE, "30 1 * * *", "Europe/London", "2026-03-27T12:00Z",
          "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", END);
    /* two skipped times still give one run */
    check(RA_CRON_VIXIE, "15,45 1 * * *", "Europe/London", "2026-03-28T12:00Z",
          "2026-03-29T01:00:00Z", "2026-03-30T00:15:00Z", END);
    /* America/New_York: 02:30 is skipped on 2026-03-08 (07:00Z) */
    check(RA_CRON_VIXIE, "30 2 * * *", "America/New_York", "2026-03-07T12:00Z",
          "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z", END);
}

static void test_cron__dst_gap_wildcard_skipped(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "*/30 1 * * *", "Europe/London", "2026-03-28T12:00Z",
          "2026-03-30T00:00:00Z", END);
    /* @hourly is wildcard: 01:00 GMT, then 02:00 BST (also 01:00Z) is not repeated */
    check(RA_CRON_VIXIE, "@hourly", "Europe/London", "2026-03-28T23:30Z",
          "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", END);
}

static void test_cron__dst_repeat_fixed_time_runs_once(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "30 1 * * *", "Europe/London", "2026-10-24T12:00Z",
          "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", END);
    /* starting inside the repeated hour: the fixed-time job is held */
    check(RA_CRON_VIXIE, "45 1 * * *", "Europe/London", "2026-10-25T01:10Z",
          "2026-10-26T01:45:00Z", END);
    check(RA_CRON_VIXIE, "0 2 * * *", "Europe/London", "2026-10-25T01:10Z",
          "2026-10-25T02:00:00Z", END);
}

static void test_cron__dst_repeat_wildcard_runs_twice(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "*/30 1 * * *", "Europe/London", "2026-10-24T12:00Z",
          "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z",
          "2026-10-25T01:30:00Z", "2026-10-26T01:00:00Z", END);
    check(RA_CRON_VIXIE, "*/20 1 * * *", "Europe/London", "2026-10-25T01:10Z",
          "2026-10-25T01:20:00Z", "2026-10-25T01:40:00Z", "2026-10-26T01:00:00Z", END);
}

static void test_cron__utc_spellings(void **state)
{
    (void)state;
    check(RA_CRON_VIXIE, "25 3 * * 0", "UTC", "2026-04-01T00:00Z", "2026-04-05T03:25:00Z",
          END);
    check(RA_CRON_VIXIE, "25 3 * * 0", "Etc/UTC", "2026-04-01T00:00Z",
          "2026-04-05T03:25:00Z", END);
}

static void test_cron__unknown_time_zone(void **state)
{
    (void)state;
    check_next_error("0 0 * * *", "Europe/Londn", RA_EUSAGE,
                     "cron '0 0 * * *': unknown time zone 'Europe/Londn'");
    check_next_error("0 0 * * *", "Europe", RA_EUSAGE, "unknown time zone");
    check_next_error("0 0 * * *", "../../etc/passwd", RA_EUSAGE, "unknown time zone");
    check_next_error("0 0 * * *", "/etc/localtime", RA_EUSAGE, "unknown time zone");
    check_next_error("0 0 * * *", "", RA_EUSAGE, "unknown time zone");
}

static void test_cron__start_out_of_range(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = NULL;
    ra_time next = 42;

    (void)state;
    assert_int_equal(ra_cron_parse(&c, "@daily", &err), 0);
    assert_int_equal(ra_cron_next(&next, c, INT64_MAX, NULL, &err), RA_EUSAGE);
    assert_int_equal(err.code, RA_EUSAGE);
    assert_non_null(strstr(err.msg, "cron '@daily': start out of range"));
    assert_int_equal(next, 42);
    ra_cron_free(c);
    ra_cron_free(NULL);
}

static void test_cron__tz_environment_restored(void **state)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;

    (void)state;
    assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
    check(RA_CRON_VIXIE, "0 3 * * 0", "Europe/London", "2026-03-20T00:00Z",
          "2026-03-22T03:00:00Z", END);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    assert_int_equal(unsetenv("TZ"), 0);
    check(RA_CRON_VIXIE, "0 3 * * 0", "Europe/London", "2026-03-20T00:00Z",
          "2026-03-22T03:00:00Z", END);
    assert_null(getenv("TZ"));
    if (saved)
        setenv("TZ", saved, 1);
    free(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron__every_minute),
        cmocka_unit_test(test_cron__strictly_after),
        cmocka_unit_test(test_cron__incident_gc_sundays_0325),
        cmocka_unit_test(test_cron__lists_ranges_and_steps),
        cmocka_unit_test(test_cron__step_without_range_is_croniter_only),
        cmocka_unit_test(test_cron__names_any_case),
        cmocka_unit_test(test_cron__dow_seven_is_sunday),
        cmocka_unit_test(test_cron__reverse_weekday_range),
        cmocka_unit_test(test_cron__vixie_day_or_rule),
        cmocka_unit_test(test_cron__star_step_day_rule_per_dialect),
        cmocka_unit_test(test_cron__full_range_day_rule_per_dialect),
        cmocka_unit_test(test_cron__shorthands),
        cmocka_unit_test(test_cron__reboot_has_no_schedule),
        cmocka_unit_test(test_cron__blanks_around_and_between),
        cmocka_unit_test(test_cron__invalid_expressions),
        cmocka_unit_test(test_cron__never_fires),
        cmocka_unit_test(test_cron__rare_but_firing),
        cmocka_unit_test(test_cron__dst_london_sunday_0300),
        cmocka_unit_test(test_cron__dst_gap_fixed_time_runs_at_change),
        cmocka_unit_test(test_cron__dst_gap_wildcard_skipped),
        cmocka_unit_test(test_cron__dst_repeat_fixed_time_runs_once),
        cmocka_unit_test(test_cron__dst_repeat_wildcard_runs_twice),
        cmocka_unit_test(test_cron__utc_spellings),
        cmocka_unit_test(test_cron__unknown_time_zone),
        cmocka_unit_test(test_cron__start_out_of_range),
        cmocka_unit_test(test_cron__tz_environment_restored),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
