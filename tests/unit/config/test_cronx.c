/* SPDX-License-Identifier: MIT */
/* config/cronx: each dialect against the examples its scheduler documents (sources
 * cited at each test), the cases the croniter oracle cannot check, and bad input. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <string.h>

#include "config/sched/cronx.h"

/* The next n firings after start ("2026-04-12T00:00:00Z"), as "T1 T2 ..." (times in
 * ra_time_format's form), into out. */
static void next_n(char *out, size_t size, const char *expr, enum ra_cronx_flavor flavor,
                   const char *start, const char *tz, int n)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cronx *x = NULL;
    char when[RA_TIME_STRLEN];
    ra_time t, next;
    size_t len = 0;
    int i;

    assert_int_equal(ra_time_parse(&t, start), 0);
    if (ra_cronx_parse(&x, expr, flavor, &err) < 0)
        fail_msg("'%s': %s", expr, err.msg);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        if (ra_cronx_next(&next, x, t, tz, &err) < 0)
            fail_msg("'%s': %s", expr, err.msg);
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "",
                                ra_time_format(when, next));
        t = next;
    }
    ra_cronx_free(x);
}

/* The firings after start must be want: as many as want lists. */
static void expect(const char *expr, enum ra_cronx_flavor flavor, const char *start,
                   const char *tz, const char *want)
{
    char got[1024];

    next_n(got, sizeof(got), expr, flavor, start, tz, (int)(strlen(want) + 1) / 21);
    assert_string_equal(got, want);
}

/* AWS EventBridge user guide, "Creating an Amazon EventBridge rule that runs on a
 * schedule"
 * (docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html), the
 * table of cron examples; times are UTC. 2026-04-12 is a Sunday. */
static void test_cronx__eventbridge_documented(void **state)
{
    const enum ra_cronx_flavor eb = RA_CRONX_EVENTBRIDGE;
    const char *s = "2026-04-12T00:00:00Z";

    (void)state;
    /* "10:00 am (UTC) every day" */
    expect("cron(0 10 * * ? *)", eb, s, NULL,
           "2026-04-12T10:00:00Z 2026-04-13T10:00:00Z");
    /* "12:15 pm (UTC) every day" */
    expect("cron(15 12 * * ? *)", eb, s, NULL, "2026-04-12T12:15:00Z");
    /* "6:00 pm (UTC) every Monday through Friday" */
    expect("cron(0 18 ? * MON-FRI *)", eb, s, NULL,
           "2026-04-13T18:00:00Z 2026-04-14T18:00:00Z 2026-04-15T18:00:00Z "
           "2026-04-16T18:00:00Z 2026-04-17T18:00:00Z 2026-04-20T18:00:00Z");
    /* "8:00 am (UTC) every first day of the month" */
    expect("cron(0 8 1 * ? *)", eb, s, NULL, "2026-05-01T08:00:00Z 2026-06-01T08:00:00Z");
    /* "every 15 minutes" */
    expect("cron(0/15 * * * ? *)", eb, s, NULL,
           "2026-04-12T00:15:00Z 2026-04-12T00:30:00Z 2026-04-12T00:45:00Z");
    /* "every 10 minutes Monday through Friday" */
    expect("cron(0/10 * ? * MON-FRI *)", eb, s, NULL,
           "2026-04-13T00:00:00Z 2026-04-13T00:10:00Z");
    /* "every 5 minutes Monday through Friday between 8:00 am and 5:55 pm (UTC)" */
    expect("cron(0/5 8-17 ? * MON-FRI *)", eb, "2026-04-13T17:50:00Z", NULL,
           "2026-04-13T17:55:00Z 2026-04-14T08:00:00Z");
    /* day of week numbers run 1-7 from Sunday: 1 is Sunday */
    expect("cron(25 3 ? * 1 *)", eb, s, NULL,
           "2026-04-12T03:25:00Z 2026-04-19T03:25:00Z");
    /* the year field */
    expect("cron(0 12 1 1 ? 2028-2029)", eb, s, NULL,
           "2028-01-01T12:00:00Z 2029-01-01T12:00:00Z");
}

/* Same guide: "rate(value unit)"; "If the value is equal to 1, then the unit must be
 * singular... rate(1 hours) and rate(5 hour) are not valid." */
static void test_cronx__eventbridge_rate(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cronx *x = NULL;
    ra_time t;

    (void)state;
    assert_int_equal(ra_cronx_parse(&x, "rate(5 minutes)", RA_CRONX_EVENTBRIDGE, &err),
                     0);
    assert_int_equal(ra_cronx_period(x), 300);
    assert_int_equal(ra_cronx_next(&t, x, 0, NULL, &err), RA_EUSAGE);
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "rate(1 hour)", RA_CRONX_EVENTBRIDGE, &err), 0);
    assert_int_equal(ra_cronx_period(x), 3600);
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "rate(7 days)", RA_CRONX_EVENTBRIDGE, &err), 0);
    assert_int_equal(ra_cronx_period(x), 7 * 86400);
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "rate(1 hours)", RA_CRONX_EVENTBRIDGE, &err),
                     RA_EFORMAT);
    assert_int_equal(ra_cronx_parse(&x, "rate(5 hour)", RA_CRONX_EVENTBRIDGE, &err),
                     RA_EFORMAT);
    assert_non_null(strstr(err.msg, "rate needs"));
    assert_null(x);
}

/* Quartz "CronTrigger Tutorial" (quartz-scheduler.org, documentation/quartz-2.3.0/
 * tutorials/crontrigger.html), its "Example Cron Expressions". */
static void test_cronx__quartz_documented(void **state)
{
    const enum ra_cronx_flavor q = RA_CRONX_QUARTZ;
    const char *s = "2026-03-01T00:00:00Z";

    (void)state;
    /* "Fire at 12pm (noon) every day" */
    expect("0 0 12 * * ?", q, s, NULL, "2026-03-01T12:00:00Z 2026-03-02T12:00:00Z");
    /* "Fire at 10:15am every day" */
    expect("0 15 10 ? * *", q, s, NULL, "2026-03-01T10:15:00Z");
    /* "Fire at 10:15am every day during the year 2005": none after 2026 */
    expect("0 15 10 * * ? 2005", q, "2005-12-31T10:00:00Z", NULL, "2005-12-31T10:15:00Z");
    /* "Fire every 5 minutes starting at 2pm and ending at 2:55pm, every day" */
    expect("0 0/5 14 * * ?", q, "2026-03-01T14:50:00Z", NULL,
           "2026-03-01T14:55:00Z 2026-03-02T14:00:00Z");
    /* "Fire every minute starting at 2pm and ending at 2:05pm, every day" */
    expect("0 0-5 14 * * ?", q, "2026-03-01T14:04:00Z", NULL,
           "2026-03-01T14:05:00Z 2026-03-02T14:00:00Z");
    /* "Fire at 2:10pm and at 2:44pm every Wednesday in the month of March." */
    expect("0 10,44 14 ? 3 WED", q, s, NULL,
           "2026-03-04T14:10:00Z 2026-03-04T14:44:00Z 2026-03-11T14:10:00Z");
    /* "Fire at 10:15am every Monday, Tuesday, Wednesday, Thursday and Friday" */
    expect("0 15 10 ? * MON-FRI", q, s, NULL, "2026-03-02T10:15:00Z");
    /* "Fire at 10:15am on the 15th day of every month" */
    expect("0 15 10 15 * ?", q, s, NULL, "2026-03-15T10:15:00Z 2026-04-15T10:15:00Z");
    /* "Fire at 12pm (noon) every 5 days every month, starting on the first day" */
    expect("0 0 12 1/5 * ?", q, "2026-03-26T13:00:00Z", NULL,
           "2026-03-31T12:00:00Z 2026-04-01T12:00:00Z");
    /* "Fire every November 11th at 11:11am." */
    expect("0 11 11 11 11 ?", q, s, NULL, "2026-11-11T11:11:00Z 2027-11-11T11:11:00Z");
    /* day of week 1-7 from Sunday: 1 is Sunday, 7 Saturday */
    expect("30 25 3 ? * 1", q, s, NULL, "2026-03-01T03:25:30Z");
    expect("0 0 0 ? * 7", q, s, NULL, "2026-03-07T00:00:00Z");
}

/* robfig/cron v3 (pkg.go.dev/github.com/robfig/cron/v3), as ofelia uses it, seconds
 * optional: "@every 1h30m" ("Every hour thirty, starting an hour thirty from now"),
 * "30 3-6,20-23 * * *" ("On the half hour of 3-6am, 8-11pm"), the seconds field first. */
static void test_cronx__robfig_documented(void **state)
{
    const enum ra_cronx_flavor r = RA_CRONX_ROBFIG;
    struct ra_err err = RA_ERR_INIT;
    struct ra_cronx *x = NULL;

    (void)state;
    assert_int_equal(ra_cronx_parse(&x, "@every 1h30m", r, &err), 0);
    assert_int_equal(ra_cronx_period(x), 5400);
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "@every 1.5h", r, &err), 0);
    assert_int_equal(ra_cronx_period(x), 5400);
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "@every 500ms", r, &err), 0);
    assert_int_equal(ra_cronx_period(x), 1); /* at least a second */
    ra_cronx_free(x);
    assert_int_equal(ra_cronx_parse(&x, "@every soon", r, &err), RA_EFORMAT);
    expect("30 3-6,20-23 * * *", r, "2026-04-12T06:31:00Z", NULL,
           "2026-04-12T20:30:00Z 2026-04-12T21:30:00Z");
    expect("0 25 3 * * 0", r, "2026-04-12T00:00:00Z", NULL,
           "2026-04-12T03:25:00Z 2026-04-19T03:25:00Z");
    expect("*/20 * * * * *", r, "2026-04-12T00:00:50Z", NULL,
           "2026-04-12T00:01:00Z 2026-04-12T00:01:20Z 2026-04-12T00:01:40Z");
    expect("0 0 6 * * ?", r, "2026-04-12T00:00:00Z", NULL, "2026-04-12T06:00:00Z");
    expect("@daily", r, "2026-04-12T00:00:00Z", "Europe/London", "2026-04-12T23:00:00Z");
    /* "4/3" in day of week runs to Saturday only (robfig's bounds are 0-6); croniter
     * would add Sunday, so the oracle leaves this to us */
    expect("0 0 0 * * 4/3", r, "2026-04-12T00:00:00Z", NULL,
           "2026-04-16T00:00:00Z 2026-04-23T00:00:00Z");
}

/* gorhill/cronexpr README (what Nomad's periodic uses): "If only six fields are present,
 * a 0 second field is prepended, that is, * * * * * 2013 internally become
 * 0 * * * * * 2013"; seven fields start with seconds. Nomad's periodic docs
 * (developer.hashicorp.com/nomad/docs/job-specification/periodic): crons = ["@daily"],
 * and crons = ["*" "/15 * * * * *"] with time_zone = "America/New_York". */
static void test_cronx__nomad_documented(void **state)
{
    const enum ra_cronx_flavor n = RA_CRONX_NOMAD;

    (void)state;
    expect("* * * * * 2013", n, "2013-12-31T23:58:30Z", NULL, "2013-12-31T23:59:00Z");
    expect("*/15 * * * * *", n, "2026-04-12T00:00:00Z", "America/New_York",
           "2026-04-12T00:15:00Z 2026-04-12T00:30:00Z");
    expect("@daily", n, "2026-04-12T00:00:00Z", "America/New_York",
           "2026-04-12T04:00:00Z");
    expect("10 0 3 * * * 2028", n, "2026-04-12T00:00:00Z", NULL,
           "2028-01-01T03:00:10Z 2028-01-02T03:00:10Z");
    expect("0 3 * * *", n, "2026-04-12T00:00:00Z", NULL, "2026-04-12T03:00:00Z");
}

static void test_cronx__bad_input(void **state)
{
    static const struct {
        const char *expr;
        enum ra_cronx_flavor flavor;
        const char *msg;
    } bad[] = {
        {"0 15 10 L * ?", RA_CRONX_QUARTZ, "'L' is not supported"},
        {"0 15 10 ? * 6#3", RA_CRONX_QUARTZ, "'#' is not supported"},
        {"0 15 10 15W * ?", RA_CRONX_QUARTZ, "'W' is not supported"},
        {"0 15 10 15 * MON", RA_CRONX_QUARTZ, "both given"},
        {"cron(0 10 * * MON *)", RA_CRONX_EVENTBRIDGE, "both given"},
        {"cron(0 10 * * ? *", RA_CRONX_EVENTBRIDGE, "missing ')'"},
        {"cron(0 10 * * ?)", RA_CRONX_EVENTBRIDGE, "expected 6 fields, got 5"},
        {"0 0 10 * * ? 2030 x", RA_CRONX_QUARTZ, "expected 6 or 7 fields"},
        {"1 2 3", RA_CRONX_ROBFIG, "expected 5 or 6 fields"},
        {"60 * * * * *", RA_CRONX_ROBFIG, "second: out of range"},
        {"0 0 1 1 ? 1969", RA_CRONX_NOMAD, "year: out of range"},
        {"0 0 ? * * * 2020", RA_CRONX_NOMAD, "hour: bad value"},
        {"@reboot", RA_CRONX_ROBFIG, "unknown descriptor"},
        {"", RA_CRONX_NOMAD, "empty"},
    };
    struct ra_err err = RA_ERR_INIT;
    struct ra_cronx *x = NULL;
    ra_time t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ra_err_clear(&err);
        if (ra_cronx_parse(&x, bad[i].expr, bad[i].flavor, &err) != RA_EFORMAT)
            fail_msg("'%s' parsed", bad[i].expr);
        assert_null(x);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].expr, err.msg, bad[i].msg);
    }
    /* a year that is over: nothing more fires */
    assert_int_equal(ra_cronx_parse(&x, "0 0 12 * * ? 2005", RA_CRONX_QUARTZ, &err), 0);
    assert_int_equal(ra_time_parse(&t, "2026-01-01T00:00:00Z"), 0);
    assert_int_equal(ra_cronx_next(&t, x, t, NULL, &err), RA_ENOTFOUND);
    assert_string_equal(ra_cronx_cron(x), "0 12 * * *");
    ra_cronx_free(x);
    /* an unknown zone */
    assert_int_equal(ra_cronx_parse(&x, "0 0 12 * * ?", RA_CRONX_QUARTZ, &err), 0);
    assert_int_equal(ra_cronx_next(&t, x, t, "Mars/Olympus", &err), RA_EUSAGE);
    ra_cronx_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cronx__eventbridge_documented),
        cmocka_unit_test(test_cronx__eventbridge_rate),
        cmocka_unit_test(test_cronx__quartz_documented),
        cmocka_unit_test(test_cronx__robfig_documented),
        cmocka_unit_test(test_cronx__nomad_documented),
        cmocka_unit_test(test_cronx__bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
