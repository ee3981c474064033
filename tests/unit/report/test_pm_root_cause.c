/* SPDX-License-Identifier: MIT */
/* report/pm_root_cause.c: suspects, fingerprints, the trigger, the losses. */

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

static void test_suspects(void **state)
{
    struct pmfix f;
    json_t *o, *top;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.sus[0].reason =
        "registry garbage-collect (etc/cron.d/registry-gc:8 @ "
        "a1e4392215f7) ran in the window and can delete this kind of object";
    pmfix_decide(&f);
    o = ra_pm_root_cause(&f.m);
    top = json_object_get(o, "top");
    /* the Why cell leaves out what the Job and Defined in cells say */
    assert_string_equal(pm_str(top, "reason_short"),
                        "Ran in the window and can delete this kind of object");
    assert_string_equal(pm_str(top, "name"), "registry garbage-collect");
    assert_string_equal(pm_str(top, "kind"), "garbage-collect");
    assert_string_equal(pm_str(top, "confidence"), "high");
    assert_int_equal(json_integer_value(json_object_get(top, "losses")), 2);
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "fingerprints"), 0), "name"),
        "gc_v2_untagged_index_children");
    assert_true(json_is_null(json_object_get(o, "trigger"))); /* no config repo */
    json_decref(o);
    pmfix_release(&f);
}

/* The run used c3's version; c2 brought --delete-untagged, before the period. */
/* What else went in the window and breaks no tag, said in one sentence. */
static void test_bystanders(void **state)
{
    struct pmfix f;
    struct ra_bystander_root root = {"infra-ci", {{0}}, 1, APR(6, 0, 40)};
    json_t *o;

    (void)state;
    root.digest = dg('8');
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    ra_bystanders_release(&f.pm->bystanders);
    f.pm->bystanders = (struct ra_bystanders){.root = "",
                                              .before = "snap-12",
                                              .after = "snap-13",
                                              .blobs = 7,
                                              .manifests = 3,
                                              .links = 3,
                                              .unexplained = 1};
    ra_vec_push(&f.pm->bystanders.roots, &root);
    o = ra_pm_root_cause(&f.m);
    assert_string_equal(
        pm_str(o, "bystanders.text"),
        "Between snap-12 and snap-13, 7 blobs (3 of them manifests) and 3 revision links "
        "that break no tag went too: they belonged to the untagged index "
        "sha256:888888888888 in infra-ci (pushed 2026-04-06T00:40:00Z), which no tag "
        "pointed at in snap-12. Only a snapshot can bring them back. 1 more object went "
        "that no untagged manifest explains.");
    json_decref(o);
    ra_vec_release(&f.pm->bystanders.roots);
    memset(&f.pm->bystanders, 0, sizeof(f.pm->bystanders));
    pmfix_release(&f);
}

static void test_trigger(void **state)
{
    struct pmfix f;
    struct ra_schedule s;
    struct ra_sched_job sj;
    struct ra_job j1, j2;
    struct ra_commit_info c2 = {.time = APR(3, 11, 27),
                                .author = "Mara",
                                .summary = "gc: -m"},
                          c3 = {
                              .time = APR(10, 9, 0), .author = "Ole", .summary = "later"};
    struct ra_job_version v2 = {&c2, &j1, "adds --delete-untagged"},
                          v3 = {&c3, &j2, "schedule"};
    json_t *o;

    (void)state;
    memset(&s, 0, sizeof(s));
    memset(&sj, 0, sizeof(sj));
    memset(&j1, 0, sizeof(j1));
    j1.cls = RA_JOB_GARBAGE_COLLECT;
    j1.gc.delete_untagged = 1;
    j1.name = "registry garbage-collect";
    j2 = j1;
    memcpy(c2.id, "a1e4392215f7aaaaaaaaaaaaaaaaaaaaaaaaaaaa", 41);
    memcpy(c3.id, "b2e4392215f7bbbbbbbbbbbbbbbbbbbbbbbbbbbb", 41);
    sj.id = "cron:etc/cron.d/registry-gc:gc";
    ra_vec_push(&sj.versions, &v2);
    ra_vec_push(&sj.versions, &v3);
    ra_vec_push(&s.jobs, &sj);
    pmfix_init(&f, 2, 1);
    f.inv.schedule = &s;
    pmfix_gc(&f, RA_CONF_HIGH);
    f.firing[0].commit = "b2e4392215f7";
    pmfix_decide(&f);
    o = ra_pm_root_cause(&f.m);
    assert_string_equal(pm_str(o, "trigger.commit"), "a1e4392215f7");
    assert_string_equal(pm_str(o, "trigger.time"), "2026-04-03T11:27:00Z");
    /* blameless: the report names no author */
    assert_null(json_object_get(json_object_get(o, "trigger"), "author"));
    assert_string_equal(pm_str(o, "trigger.date"), "2026-04-03");
    /* the GC run inside the loss window, rated high, is the trigger run */
    assert_string_equal(pm_str(o, "trigger.run_at"), "2026-04-12T03:25:00Z");
    assert_string_equal(pm_str(o, "trigger.message"), "gc: -m");
    assert_string_equal(pm_str(o, "trigger.change"), "adds --delete-untagged");
    assert_true(
        json_is_false(json_object_get(json_object_get(o, "trigger"), "in_period")));
    json_decref(o);
    pmfix_release(&f);
    ra_vec_release(&sj.versions);
    ra_vec_release(&s.jobs);
}

static void test_losses(void **state)
{
    struct pmfix f;
    json_t *a;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    a = ra_pm_losses(&f.m);
    assert_int_equal(json_array_size(a), 1);
    assert_string_equal(pm_str(json_array_get(a, 0), "object"), "blob");
    assert_string_equal(pm_str(json_array_get(a, 0), "root"), ".");
    assert_string_equal(pm_str(json_array_get(a, 0), "to.time"), "2026-04-12T03:25:01Z");
    json_decref(a);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suspects),
        cmocka_unit_test(test_trigger),
        cmocka_unit_test(test_bystanders),
        cmocka_unit_test(test_losses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
