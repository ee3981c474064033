/* SPDX-License-Identifier: MIT */
/* report/pm_appendix.c and pm_inputs.c: inventory, findings, evidence examined. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_appendix(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    o = ra_pm_appendix(&f.m);
    assert_int_equal(json_array_size(json_object_get(o, "inventory")), 2);
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "inventory"), 1), "snapshot"),
        "snap-13");
    assert_int_equal(json_integer_value(json_object_get(o, "findings_total")), 0);
    assert_true(json_is_false(json_object_get(o, "has_jobs")));
    json_decref(o);
    o = ra_pm_inputs(&f.m);
    assert_int_equal(json_array_size(json_object_get(o, "snapshots")), 2);
    assert_true(json_is_false(json_object_get(o, "has_config")));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
