/* SPDX-License-Identifier: MIT */
/* ra_time: RFC 3339 parsing, ISO-8601 output, dates found in snapshot names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/time.h"

/* 2026-04-12T01:00:00Z and its midnight, from `date -u -d ... +%s`. */
#define T_0100 INT64_C(1775955600)
#define T_MIDNIGHT INT64_C(1775952000)
/* A value no successful call produces: failures must leave *out alone. */
#define SENTINEL INT64_C(-4242)

static ra_time parsed(const char *s)
{
    ra_time t = SENTINEL;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

static void assert_parse_fails(const char *s)
{
    ra_time t = SENTINEL;

    assert_int_equal(ra_time_parse(&t, s), RA_EFORMAT);
    assert_true(t == SENTINEL);
}

static ra_time from_name(const char *name)
{
    ra_time t = SENTINEL;

    assert_int_equal(ra_time_from_name(&t, name), 0);
    return t;
}

static void assert_no_name_date(const char *name)
{
    ra_time t = SENTINEL;

    assert_int_equal(ra_time_from_name(&t, name), RA_ENOTFOUND);
    assert_true(t == SENTINEL);
}

static void test_time__parse_utc_z(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-12T01:00:00Z") == T_0100);
    assert_true(parsed("2026-04-12t01:00:00z") == T_0100);
    assert_true(parsed("1970-01-01T00:00:00Z") == 0);
    assert_true(parsed("2000-02-29T12:34:56Z") == INT64_C(951827696));
    assert_true(parsed("9999-12-31T23:59:59Z") == INT64_C(253402300799));
}

static void test_time__parse_without_seconds_or_zone(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-12T01:00Z") == T_0100);
    assert_true(parsed("2026-04-12T01:00") == T_0100);
    assert_true(parsed("2026-04-12 01:00:00") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00") == T_0100);
}

static void test_time__parse_offsets(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-12T03:00:00+02:00") == T_0100);
    assert_true(parsed("2026-04-12T03:00:00+0200") == T_0100);
    assert_true(parsed("2026-04-11T20:00:00-05:00") == T_0100);
    assert_true(parsed("2026-04-12T06:30:00+05:30") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00+00:00") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00-00:00") == T_0100);
    /* an offset can move the instant across midnight and the epoch */
    assert_true(parsed("2026-04-12T00:30:00+01:30") == T_MIDNIGHT - 3600);
    assert_true(parsed("1970-01-01T00:00:00+01:00") == -3600);
}

static void test_time__parse_fractions_truncate(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-12T01:00:00.5Z") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00.999999999Z") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00,25Z") == T_0100);
    assert_true(parsed("2026-04-12T03:00:00.123456+02:00") == T_0100);
    assert_true(parsed("2026-04-12T01:00:00.1") == T_0100);
}

static void test_time__parse_date_only_is_midnight_utc(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-12") == T_MIDNIGHT);
    assert_true(parsed("2024-02-29") == INT64_C(1709164800));
    assert_true(parsed("1970-01-01") == 0);
}

static void test_time__parse_leap_second_and_end_of_day(void **state)
{
    (void)state;
    assert_true(parsed("2026-04-11T23:59:60Z") == T_MIDNIGHT);
    assert_true(parsed("2026-04-11T24:00:00Z") == T_MIDNIGHT);
    assert_true(parsed("2026-04-11T24:00Z") == T_MIDNIGHT);
}

static void test_time__parse_invalid_dates(void **state)
{
    (void)state;
    assert_parse_fails("2026-02-30");
    assert_parse_fails("2026-02-29");
    assert_parse_fails("2100-02-29T00:00:00Z");
    assert_parse_fails("2026-04-31T00:00:00Z");
    assert_parse_fails("2026-13-01T00:00:00Z");
    assert_parse_fails("2026-00-10T00:00:00Z");
    assert_parse_fails("2026-04-00T00:00:00Z");
    assert_parse_fails("2026-04-32T00:00:00Z");
    assert_parse_fails("1969-12-31T23:59:59Z");
}

static void test_time__parse_invalid_times(void **state)
{
    (void)state;
    assert_parse_fails("2026-04-12T25:00:00Z");
    assert_parse_fails("2026-04-12T01:60:00Z");
    assert_parse_fails("2026-04-12T01:00:61Z");
    /* 24:00 is the end of a day; 24:30 is not a time */
    assert_parse_fails("2026-04-12T24:30:00Z");
    assert_parse_fails("2026-04-12T24:00:01Z");
    assert_parse_fails("2026-04-12T03:00:00+24:00");
    assert_parse_fails("2026-04-12T03:00:00+02:60");
}

static void test_time__parse_garbage(void **state)
{
    (void)state;
    assert_parse_fails("");
    assert_parse_fails("yesterday");
    assert_parse_fails("2026");
    assert_parse_fails("2026-04");
    assert_parse_fails("2026/04/12");
    assert_parse_fails("26-04-12");
    assert_parse_fails("2026-4-12");
    assert_parse_fails("2026-04-12T1:00Z");
    assert_parse_fails("2026-04-12T01Z");
    assert_parse_fails("2026-04-12T01:0Z");
    assert_parse_fails("2026-04-12T01:00:0Z");
    assert_parse_fails("2026-04-12T01:00:00.Z");
    assert_parse_fails("2026-04-12T");
    assert_parse_fails("2026-04-12 ");
    assert_parse_fails("+2026-04-12");
    assert_parse_fails(" 2026-04-12");
    assert_parse_fails("1775955600");
}

static void test_time__parse_trailing_junk(void **state)
{
    (void)state;
    assert_parse_fails("2026-04-12x");
    assert_parse_fails("2026-04-12T01:00:00Zjunk");
    assert_parse_fails("2026-04-12T01:00:00Z ");
    assert_parse_fails("2026-04-12T01:00:00Z\n");
    assert_parse_fails("2026-04-12T01:00:00ZZ");
    assert_parse_fails("2026-04-12T01:00:00+02:00:00");
    assert_parse_fails("2026-04-12T01:00:00+02");
    assert_parse_fails("2026-04-12T01:00:00+2:00");
    assert_parse_fails("2026-04-12T01:00:00+02:0");
    assert_parse_fails("2026-04-12T01:00:00 UTC");
}

static void test_time__format(void **state)
{
    char buf[RA_TIME_STRLEN];

    (void)state;
    assert_string_equal(ra_time_format(buf, 0), "1970-01-01T00:00:00Z");
    assert_string_equal(ra_time_format(buf, T_0100), "2026-04-12T01:00:00Z");
    assert_string_equal(ra_time_format(buf, -1), "1969-12-31T23:59:59Z");
    assert_string_equal(ra_time_format(buf, INT64_C(253402300799)),
                        "9999-12-31T23:59:59Z");
    assert_ptr_equal(ra_time_format(buf, T_0100), buf);
}

static void test_time__format_none_is_empty(void **state)
{
    char buf[RA_TIME_STRLEN];

    (void)state;
    memset(buf, 'x', sizeof(buf));
    assert_string_equal(ra_time_format(buf, RA_TIME_NONE), "");
}

static void test_time__format_extremes_fit(void **state)
{
    char buf[RA_TIME_STRLEN];

    (void)state;
    /* gmtime_r refuses or prints a huge year: either way the buffer holds it */
    ra_time_format(buf, INT64_MAX);
    assert_true(strlen(buf) < RA_TIME_STRLEN);
    ra_time_format(buf, INT64_MIN + 1);
    assert_true(strlen(buf) < RA_TIME_STRLEN);
    /* a year gmtime_r still represents (tm_year near INT_MAX) must not overflow */
    ra_time_format(buf, INT64_C(67768036160140800));
    assert_string_equal(buf, "2147485547-01-01T00:00:00Z");
}

static void test_time__format_parse_round_trip(void **state)
{
    char buf[RA_TIME_STRLEN];
    ra_time t;

    (void)state;
    /* every ~37 days and a prime number of seconds, 1970 to 2100 */
    for (t = 0; t < INT64_C(4102444800); t += INT64_C(3196799)) {
        assert_true(parsed(ra_time_format(buf, t)) == t);
    }
}

static void test_time__from_fields(void **state)
{
    (void)state;
    assert_true(ra_time_from_fields(1970, 1, 1, 0, 0, 0) == 0);
    assert_true(ra_time_from_fields(2026, 4, 12, 1, 0, 0) == T_0100);
    assert_true(ra_time_from_fields(2024, 2, 29, 0, 0, 0) == INT64_C(1709164800));
    assert_true(ra_time_from_fields(2024, 3, 1, 0, 0, 0) == INT64_C(1709164800) + 86400);
    assert_true(ra_time_from_fields(1969, 12, 31, 23, 59, 59) == -1);
    assert_true(ra_time_from_fields(2026, 1, 1, 0, 0, 0) -
                    ra_time_from_fields(2025, 12, 31, 0, 0, 0) ==
                86400);
}

static void test_time__name_iso_compact(void **state)
{
    (void)state;
    assert_true(from_name("registry-2026-04-12T0100Z.tar.gz") == T_0100);
    assert_true(from_name("2026-04-12T0100Z") == T_0100);
    assert_true(from_name("20260412T010000Z") == T_0100);
    assert_true(from_name("registry-2026-04-12T01:00:00Z.tar") == T_0100);
    assert_true(from_name("incidents/2026-04-12_01-00/volume") == T_0100);
    assert_true(from_name("snap-2026.04.12-01.00.tar.zst") == T_0100);
}

static void test_time__name_synology(void **state)
{
    (void)state;
    assert_true(from_name("GMT+00_2026.04.12-01.00") == T_0100);
    assert_true(from_name("#snapshot/GMT+00_2026.04.12-01.00/registry") == T_0100);
    /* the folder is named in local time at that offset */
    assert_true(from_name("GMT+02_2026.04.12-03.00") == T_0100);
    assert_true(from_name("GMT-05_2026.04.11-20.00") == T_0100);
}

static void test_time__name_backup_with_seconds(void **state)
{
    (void)state;
    assert_true(from_name("backup_20260412-010000.tar") == T_0100);
    assert_true(from_name("backup_20260412-010059.tar") == T_0100 + 59);
    assert_true(from_name("backup_20260412_0100.tar") == T_0100);
}

static void test_time__name_first_date_wins(void **state)
{
    (void)state;
    assert_true(from_name("from-2026-04-12T0100Z-to-2026-04-19T0325Z") == T_0100);
}

static void test_time__name_without_date(void **state)
{
    (void)state;
    assert_no_name_date("");
    assert_no_name_date("registry.tar.gz");
    assert_no_name_date("v2.8.3");
    assert_no_name_date("registry-v2.8.3.tar");
    assert_no_name_date("GMT+00_latest");
    assert_no_name_date("sha256-5861314d7fccb39c2192173240eab44f");
}

static void test_time__name_invalid_dates_ignored(void **state)
{
    (void)state;
    assert_no_name_date("registry-2026-02-30T0100Z.tar");
    assert_no_name_date("registry-2026-13-01T0100Z.tar");
    assert_no_name_date("registry-2026-04-12T2500Z.tar");
    assert_no_name_date("GMT+00_2026.02.30-01.00");
}

static void test_time__name_digit_runs_must_fit(void **state)
{
    (void)state;
    /* a date must start at a digit run's start and end where the run ends */
    assert_no_name_date("build-120260412T010000Z");
    assert_no_name_date("backup_20260412-01000012.tar");
    assert_no_name_date("backup_202604120100.tar");
    assert_no_name_date("2026-04-12-x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time__parse_utc_z),
        cmocka_unit_test(test_time__parse_without_seconds_or_zone),
        cmocka_unit_test(test_time__parse_offsets),
        cmocka_unit_test(test_time__parse_fractions_truncate),
        cmocka_unit_test(test_time__parse_date_only_is_midnight_utc),
        cmocka_unit_test(test_time__parse_leap_second_and_end_of_day),
        cmocka_unit_test(test_time__parse_invalid_dates),
        cmocka_unit_test(test_time__parse_invalid_times),
        cmocka_unit_test(test_time__parse_garbage),
        cmocka_unit_test(test_time__parse_trailing_junk),
        cmocka_unit_test(test_time__format),
        cmocka_unit_test(test_time__format_none_is_empty),
        cmocka_unit_test(test_time__format_extremes_fit),
        cmocka_unit_test(test_time__format_parse_round_trip),
        cmocka_unit_test(test_time__from_fields),
        cmocka_unit_test(test_time__name_iso_compact),
        cmocka_unit_test(test_time__name_synology),
        cmocka_unit_test(test_time__name_backup_with_seconds),
        cmocka_unit_test(test_time__name_first_date_wins),
        cmocka_unit_test(test_time__name_without_date),
        cmocka_unit_test(test_time__name_invalid_dates_ignored),
        cmocka_unit_test(test_time__name_digit_runs_must_fit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
