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

#include <string.h>

#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"

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

/* The config pinned the registry image after the losses: the item is done by that
 * commit, said as committed (the evidence does not show it deployed), and after the
 * damaging job ran again unchanged. */
static void test_done_by_commit(void **state)
{
    struct pmfix f;
    struct ra_schedule s;
    struct ra_registry_image img;
    struct ra_commit_info c1 = {.time = APR(1, 10, 0)}, c2 = {.time = APR(21, 13, 22)};
    struct ra_image_version floating = {&c1, &img, 1, "added"},
                            pinned = {&c2, &img, 0, "registry:2 -> registry:2.8.3"};
    json_t *a, *v;
    size_t i;
    int seen = 0;

    (void)state;
    memset(&s, 0, sizeof(s));
    memset(&img, 0, sizeof(img));
    memset(c1.id, '1', RA_GIT_HEXSZ);
    memcpy(c2.id, "22f685e9e064f9b56a22e7397366bd0c8d3131fd", RA_GIT_HEXSZ);
    ra_vec_push(&s.images, &floating);
    ra_vec_push(&s.images, &pinned);
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.firing[1] = f.firing[0];
    f.firing[1].time = APR(19, 3, 25);
    f.inv.nfirings = 2;
    f.inv.schedule = &s;
    pmfix_decide(&f);
    a = ra_pm_prevention(&f.m);
    json_array_foreach(a, i, v)
    {
        if (strcmp(pm_str(v, "kind"), "pin_image"))
            continue;
        seen = 1;
        assert_string_equal(pm_str(v, "status"), "done");
        assert_string_equal(pm_str(v, "done_text"),
                            "committed in 22f685e9e064 (2026-04-21), after registry "
                            "garbage-collect ran again on 2026-04-19; deployment not "
                            "verified by the evidence");
    }
    assert_true(seen);
    json_decref(a);
    pmfix_release(&f);
    ra_vec_release(&s.images);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_done_by_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
