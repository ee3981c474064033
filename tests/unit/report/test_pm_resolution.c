/* SPDX-License-Identifier: MIT */
/* report/pm_resolution.c: not repaired in the evidence, or the time to repair. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_ongoing(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    o = ra_pm_resolution(&f.m);
    assert_string_equal(pm_str(o, "state"), "ongoing");
    assert_true(json_is_false(json_object_get(o, "repaired")));
    assert_true(json_is_null(json_object_get(o, "time_to_repair")));
    assert_string_equal(pm_str(o, "newest_snapshot"), "snap-13");
    assert_string_equal(pm_str(o, "newest_taken_at"), "2026-04-13T01:00:00Z");
    json_decref(o);
    pmfix_release(&f);
}

/* The tag pulls again on the 14th: 03:25 on the 12th to 01:00 on the 14th. */
static void test_repaired(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 3, 1);
    f.tag[2].pullable = 1;
    f.reg[2].unpullable = 0;
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    o = ra_pm_resolution(&f.m);
    assert_string_equal(pm_str(o, "state"), "repaired");
    assert_string_equal(pm_str(o, "time_to_repair.text"), "1 d 21 h 35 min");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(o, "time_to_repair"), "seconds")),
                     164100);
    assert_string_equal(pm_str(o, "repair.evidence"), "snap-14");
    assert_string_equal(pm_str(o, "repair.time"), "2026-04-14T01:00:00Z");
    json_decref(o);
    pmfix_release(&f);
}

/* The damaging job ran again, unchanged, a week later: when, and how far the evidence
 * reaches (the newest snapshot, no log), with no config history to name a fix. */
static void test_recurrence(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 3, 1);
    f.tag[2].pullable = 1;
    f.reg[2].unpullable = 0;
    pmfix_gc(&f, RA_CONF_HIGH);
    f.firing[1] = f.firing[0];
    f.firing[1].time = APR(19, 3, 25);
    f.inv.nfirings = 2;
    pmfix_decide(&f);
    o = ra_pm_resolution(&f.m);
    assert_string_equal(pm_str(o, "recurrence.job"), "registry garbage-collect");
    assert_string_equal(pm_str(o, "recurrence.next_at"), "2026-04-19T03:25:00Z");
    assert_string_equal(pm_str(o, "recurrence.newest_taken_at"), "2026-04-14T01:00:00Z");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(o, "recurrence"), "runs")), 1);
    assert_true(
        json_is_false(json_object_get(json_object_get(o, "recurrence"), "covered")));
    assert_true(json_is_null(json_object_get(json_object_get(o, "recurrence"), "fixed")));
    assert_true(
        json_is_null(json_object_get(json_object_get(o, "recurrence"), "logs_until")));
    json_decref(o);
    /* a later run of another version is no recurrence */
    ra_postmortem_free(f.pm);
    ra_buf_release(&f.m.tmp);
    f.firing[1].commit = "22f685e9e064";
    pmfix_decide(&f);
    o = ra_pm_resolution(&f.m);
    assert_true(json_is_null(json_object_get(o, "recurrence")));
    json_decref(o);
    pmfix_release(&f);
}

static void test_no_incident(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    pmfix_decide(&f);
    o = ra_pm_resolution(&f.m);
    assert_true(json_is_null(o));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ongoing),
        cmocka_unit_test(test_repaired),
        cmocka_unit_test(test_recurrence),
        cmocka_unit_test(test_no_incident),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
