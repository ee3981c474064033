/* SPDX-License-Identifier: MIT */
/* report/pm_lessons.c: what went well, what went wrong, where we got lucky. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_lessons(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    o = ra_pm_lessons(&f.m);
    assert_true(json_is_true(json_object_get(o, "any")));
    assert_true(json_is_false(json_object_get(o, "has_went_well"))); /* no log, no repo */
    assert_int_equal(json_array_size(json_object_get(o, "went_wrong")), 3);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(o, "went_wrong"), 0)),
        "The tag kept resolving to its index, so a probe that fetches only the "
        "index (a HEAD or GET of the tag) stays green while every pull fails.");
    assert_non_null(
        strstr(json_string_value(json_array_get(json_object_get(o, "went_wrong"), 1)),
               "--delete-untagged"));
    /* the floating tag of the run taken as the start, as the config has it */
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(o, "went_wrong"), 2)),
        "The registry image floats (tag 2), so nobody could say which garbage "
        "collector ran.");
    assert_int_equal(json_array_size(json_object_get(o, "lucky")), 1);
    assert_non_null(
        strstr(json_string_value(json_array_get(json_object_get(o, "lucky"), 0)),
               "which whoever pins them needs, can be brought back"));
    json_decref(o);
    pmfix_release(&f);
}

static void test_none(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    f.tag[1].pullable = 1;
    pmfix_decide(&f);
    o = ra_pm_lessons(&f.m);
    assert_true(json_is_false(json_object_get(o, "any")));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lessons),
        cmocka_unit_test(test_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
