/* SPDX-License-Identifier: MIT */
/* report/pm_impact.c: the broken tags, the duration and what failed. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

/* A high-rated garbage-collect run starts the incident; still broken on the 13th. */
static void test_duration_suspect(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_int_equal(json_integer_value(json_object_get(o, "broken_count")), 1);
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "broken"), 0), "platforms_text"), "all");
    assert_string_equal(pm_str(o, "duration.start"), "2026-04-12T03:25:00Z");
    assert_string_equal(pm_str(o, "duration.start_kind"), "suspect");
    assert_string_equal(pm_str(o, "duration.start_job"), "registry garbage-collect");
    assert_string_equal(pm_str(o, "duration.end"), "2026-04-13T01:00:00Z");
    assert_string_equal(pm_str(o, "duration.end_kind"), "ongoing");
    assert_string_equal(pm_str(o, "duration.span.text"), "21 h 35 min");
    assert_true(json_is_true(json_object_get(json_object_get(o, "duration"), "ongoing")));
    assert_int_equal(json_integer_value(json_object_get(o, "failed_pipelines")), 0);
    assert_int_equal(json_integer_value(json_object_get(o, "failed_pulls")), 0);
    assert_true(json_is_false(json_object_get(o, "has_failures")));
    assert_true(json_is_null(json_object_get(o, "first_404")));
    json_decref(o);
    pmfix_release(&f);
}

/* Without a suspect the earliest bound starts it: 1 d to the newest snapshot. */
static void test_duration_bound(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_MEDIUM);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_string_equal(pm_str(o, "duration.start"), "2026-04-12T01:00:00Z");
    assert_string_equal(pm_str(o, "duration.start_kind"), "earliest bound");
    assert_string_equal(pm_str(o, "duration.span.text"), "1 d");
    json_decref(o);
    pmfix_release(&f);
}

/* Nothing lost: no duration. */
static void test_no_duration(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_true(json_is_null(json_object_get(o, "duration")));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_suspect),
        cmocka_unit_test(test_duration_bound),
        cmocka_unit_test(test_no_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
