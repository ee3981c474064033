/* SPDX-License-Identifier: MIT */
/* report/pm_timeline.c: the focus window, rows and the Mermaid diagram. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_empty(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    o = ra_pm_timeline(&f.m);
    assert_string_equal(pm_str(o, "from"), "2026-04-05T01:00:00Z");
    assert_string_equal(pm_str(o, "to"), "2026-04-19T03:25:01Z");
    assert_string_equal(pm_str(o, "mermaid"),
                        "timeline\n    title What happened (UTC)\n");
    assert_int_equal(json_array_size(json_object_get(o, "rows")), 0);
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
