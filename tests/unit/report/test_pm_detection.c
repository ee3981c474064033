/* SPDX-License-Identifier: MIT */
/* report/pm_detection.c: when the damage was first seen, time to detect. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_detection(void **state)
{
    struct pmfix f;
    json_t *impact, *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    o = ra_pm_detection(&f.m, impact);
    assert_string_equal(pm_str(o, "first_snapshot"), "snap-13");
    assert_string_equal(pm_str(o, "first_snapshot_taken_at"), "2026-04-13T01:00:00Z");
    assert_string_equal(pm_str(o, "earliest_missing"), "2026-04-12T03:25:01Z");
    assert_string_equal(pm_str(o, "earliest_missing_evidence"), "blobs/sha256/01");
    /* no log: no time to detect, but the first snapshot's distance from the start */
    assert_true(json_is_null(json_object_get(o, "time_to_detect")));
    assert_string_equal(pm_str(o, "time_to_first_snapshot.text"), "21 h 35 min");
    json_decref(o);
    json_decref(impact);
    pmfix_release(&f);
}

static void test_nothing_lost(void **state)
{
    struct pmfix f;
    json_t *impact, *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    o = ra_pm_detection(&f.m, impact);
    assert_true(json_is_null(o));
    json_decref(o);
    json_decref(impact);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_nothing_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
