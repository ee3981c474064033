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

/* Findings that differ only in digest and message fold into one row with a count; the
 * whole list stays in findings_all. */
static void test_findings_folded(void **state)
{
    struct pmfix f;
    struct ra_finding fd[3] = {
        {.code = RA_F_BLOB_MISSING,
         .severity = RA_SEV_CRITICAL,
         .repository = "infra-ci",
         .tag = "latest",
         .path = "",
         .message = "layer 1 missing"},
        {.code = RA_F_BLOB_MISSING,
         .severity = RA_SEV_CRITICAL,
         .repository = "infra-ci",
         .tag = "latest",
         .path = "",
         .message = "layer 2 missing"},
        {.code = RA_F_BLOB_MISSING,
         .severity = RA_SEV_CRITICAL,
         .repository = "infra-ci",
         .tag = "old",
         .path = "",
         .message = "layer 3 missing"},
    };
    json_t *o, *rows;
    size_t i;

    (void)state;
    pmfix_init(&f, 2, 1);
    for (i = 0; i < 3; i++)
        ra_vec_push(&f.reg[1].findings.items, &fd[i]);
    pmfix_decide(&f);
    o = ra_pm_appendix(&f.m);
    assert_int_equal(json_integer_value(json_object_get(o, "findings_total")), 3);
    assert_int_equal(json_array_size(json_object_get(o, "findings_all")), 3);
    rows = json_object_get(o, "findings");
    assert_int_equal(json_array_size(rows), 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(rows, 0), "count")), 2);
    assert_string_equal(pm_str(json_array_get(rows, 0), "message"), "layer 1 missing");
    assert_string_equal(pm_str(json_array_get(rows, 1), "tag"), "old");
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(rows, 1), "count")), 1);
    json_decref(o);
    ra_vec_release(&f.reg[1].findings.items);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix),
        cmocka_unit_test(test_findings_folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
