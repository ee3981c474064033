/* SPDX-License-Identifier: MIT */
/* report/pm_recovery.c: the analysis's plan as steps and commands. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_restore_from_archive(void **state)
{
    struct pmfix f;
    json_t *o, *steps;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_int_equal(json_array_size(steps), 3);
    assert_string_equal(pm_str(json_array_get(steps, 0), "kind"), "restore");
    assert_string_equal(pm_str(json_array_get(steps, 0), "title"),
                        "Restore 1 blob from the last snapshot that has them");
    assert_non_null(strstr(pm_str(json_array_get(steps, 0), "commands"),
                           "{ tar -xOf /nonexistent/snap.tar blobs/sha256/01/"));
    assert_string_equal(pm_str(json_array_get(steps, 1), "kind"), "rebuild");
    assert_string_equal(pm_str(json_array_get(steps, 2), "kind"), "verify");
    json_decref(o);
    pmfix_release(&f);
}

/* In no snapshot: rebuild, nothing to restore. */
static void test_lost(void **state)
{
    struct pmfix f;
    json_t *o, *steps;

    (void)state;
    pmfix_init(&f, 2, 1);
    f.loss[0].last_present = SIZE_MAX;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_int_equal(json_array_size(steps), 2);
    assert_string_equal(pm_str(json_array_get(steps, 0), "kind"), "rebuild");
    assert_non_null(
        strstr(pm_str(json_array_get(steps, 0), "title"), "No snapshot holds blob"));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_from_archive),
        cmocka_unit_test(test_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
