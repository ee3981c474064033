/* SPDX-License-Identifier: MIT */
/* report/pm_prevention.c: action items with priority, owner placeholder and status. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_items(void **state)
{
    struct pmfix f;
    json_t *a, *v;
    size_t i;
    int last = 0;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    a = ra_pm_prevention(&f.m);
    assert_int_equal(json_array_size(a), 4);
    assert_string_equal(pm_str(json_array_get(a, 0), "title"),
                        "Bring the broken tags back");
    assert_string_equal(pm_str(json_array_get(a, 0), "priority"), "P0");
    assert_non_null(strstr(pm_str(json_array_get(a, 1), "title"), "--delete-untagged"));
    assert_string_equal(pm_str(json_array_get(a, 1), "kind"), "stop_gc_untagged");
    assert_string_equal(
        pm_str(json_array_get(json_object_get(json_array_get(a, 1), "refs"), 2), "url"),
        "https://github.com/distribution/distribution/pull/4285");
    /* no log shows the damage: the probe is P0 (analysis/actions.c decides) */
    assert_string_equal(pm_str(json_array_get(a, 2), "kind"), "probe");
    assert_string_equal(pm_str(json_array_get(a, 2), "priority"), "P0");
    assert_string_equal(pm_str(json_array_get(a, 3), "priority"), "P1");
    assert_non_null(
        strstr(pm_str(json_array_get(a, 3), "title"), "Pin the registry image"));
    json_array_foreach(a, i, v)
    {
        int p = (int)json_integer_value(json_object_get(v, "priority_rank"));
        assert_true(p >= last);
        last = p;
        assert_string_equal(pm_str(v, "owner"), "_<owner>_");
        assert_string_equal(pm_str(v, "status"), "open");
    }
    json_decref(a);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
