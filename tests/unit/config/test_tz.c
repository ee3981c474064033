/* SPDX-License-Identifier: MIT */
/* config/sched/tz: zone names checked against the tz database, offsets and daylight
 * saving in a named zone, TZ restored afterwards, unknown zones refused. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "config/sched/tz.h"

#define JAN_15_2026 1768435200 /* 2026-01-15T00:00:00Z */
#define JUL_15_2026 1784073600 /* 2026-07-15T00:00:00Z */

static void test_tz__known(void **state)
{
    (void)state;
    assert_true(ra_tz_known("Europe/Berlin"));
    assert_true(ra_tz_known("America/New_York"));
    assert_true(ra_tz_known("Etc/GMT+5"));
    assert_false(ra_tz_known("Europe/Nowhere"));
    assert_false(ra_tz_known("Europe")); /* a directory, not a zone */
    assert_false(ra_tz_known("../../../etc/passwd"));
    assert_false(ra_tz_known("/usr/share/zoneinfo/UTC"));
    assert_false(ra_tz_known("Europe/Ber lin"));
    assert_false(ra_tz_known(""));
}

static void test_tz__utc(void **state)
{
    struct ra_tz z = RA_TZ_INIT;
    struct ra_err err = {0};

    (void)state;
    assert_int_equal(ra_tz_enter(&z, NULL, "cron", "0 0 * * *", &err), 0);
    assert_int_equal(ra_tz_offset(&z, JUL_15_2026), 0);
    assert_false(ra_tz_isdst(&z, JUL_15_2026));
    ra_tz_leave(&z);
    assert_int_equal(ra_tz_enter(&z, "UTC", "cron", "0 0 * * *", &err), 0);
    assert_int_equal(ra_tz_offset(&z, JAN_15_2026), 0);
    ra_tz_leave(&z);
}

static void test_tz__named_zone(void **state)
{
    struct ra_tz z = RA_TZ_INIT, ny = RA_TZ_INIT;
    struct ra_err err = {0};

    (void)state;
    assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
    assert_int_equal(ra_tz_enter(&z, "Europe/Berlin", "cron", "0 3 * * *", &err), 0);
    assert_int_equal(ra_tz_offset(&z, JAN_15_2026), 3600);
    assert_int_equal(ra_tz_offset(&z, JUL_15_2026), 7200);
    assert_false(ra_tz_isdst(&z, JAN_15_2026));
    assert_true(ra_tz_isdst(&z, JUL_15_2026));
    ra_tz_leave(&z);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo"); /* as it was */

    assert_int_equal(unsetenv("TZ"), 0);
    assert_int_equal(ra_tz_enter(&ny, "America/New_York", "calendar", "daily", &err), 0);
    assert_int_equal(ra_tz_offset(&ny, JAN_15_2026), -18000);
    assert_int_equal(ra_tz_offset(&ny, JUL_15_2026), -14400);
    ra_tz_leave(&ny);
    assert_null(getenv("TZ")); /* unset again */
}

static void test_tz__unknown_zone(void **state)
{
    struct ra_tz z = RA_TZ_INIT;
    struct ra_err err = {0};

    (void)state;
    assert_int_equal(ra_tz_enter(&z, "Mars/Olympus", "cron", "0 0 * * *", &err),
                     RA_EUSAGE);
    assert_int_equal(err.code, RA_EUSAGE);
    assert_string_equal(err.msg, "cron '0 0 * * *': unknown time zone 'Mars/Olympus'");
    ra_tz_leave(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tz__known),
        cmocka_unit_test(test_tz__utc),
        cmocka_unit_test(test_tz__named_zone),
        cmocka_unit_test(test_tz__unknown_zone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
