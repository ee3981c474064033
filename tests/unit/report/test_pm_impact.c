/* SPDX-License-Identifier: MIT */
/* report/pm_impact.c: the broken tags, the duration and what failed. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

/* A high-rated garbage-collect run starts the incident; still broken on the 13th. */
static void test_duration_suspect(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_int_equal(json_integer_value(json_object_get(o, "broken_count")), 1);
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "broken"), 0), "platforms_text"), "all");
    assert_string_equal(pm_str(o, "duration.start"), "2026-04-12T03:25:00Z");
    assert_string_equal(pm_str(o, "duration.start_kind"), "suspect");
    assert_string_equal(pm_str(o, "duration.start_job"), "registry garbage-collect");
    assert_string_equal(pm_str(o, "duration.end"), "2026-04-13T01:00:00Z");
    assert_string_equal(pm_str(o, "duration.end_kind"), "ongoing");
    assert_string_equal(pm_str(o, "duration.span.text"), "21 h 35 min");
    assert_true(json_is_true(json_object_get(json_object_get(o, "duration"), "ongoing")));
    assert_int_equal(json_integer_value(json_object_get(o, "failed_pipelines")), 0);
    assert_int_equal(json_integer_value(json_object_get(o, "failed_pulls")), 0);
    assert_true(json_is_false(json_object_get(o, "has_failures")));
    assert_true(json_is_null(json_object_get(o, "first_404")));
    json_decref(o);
    pmfix_release(&f);
}

/* Without a suspect the earliest bound starts it: 1 d to the newest snapshot. */
static void test_duration_bound(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_MEDIUM);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_string_equal(pm_str(o, "duration.start"), "2026-04-12T01:00:00Z");
    assert_string_equal(pm_str(o, "duration.start_kind"), "earliest bound");
    assert_string_equal(pm_str(o, "duration.span.text"), "1 d");
    json_decref(o);
    pmfix_release(&f);
}

/* What failed, named: the runs by number and event, the workflows (or steps) they
 * failed in, each once, and the lost objects that requests answered 404 asked for. */
static void test_what_failed(void **state)
{
    struct pmfix f;
    struct ra_log_step st[3] = {{"lint", "lint", "failure", "", 1, 0, 0},
                                {"deploy", "deploy", "failure", "", 1, 0, 0},
                                {"", "clone", "success", "", 0, 0, 0}};
    struct ra_log_pipeline run[2] = {
        {.number = 313, .status = "failure", .event = "cron", .steps = st, .nsteps = 3},
        {.number = 315,
         .status = "failure",
         .event = "manual",
         .steps = st,
         .nsteps = 1}};
    struct ra_log_event ev[2] = {{.kind = RA_LOG_PIPELINE,
                                  .time = APR(13, 6, 2),
                                  .line = 556,
                                  .pipeline = &run[0]},
                                 {.kind = RA_LOG_PIPELINE,
                                  .time = APR(13, 7, 18),
                                  .line = 358,
                                  .pipeline = &run[1]}};
    struct ra_pm_event runs[2] = {{&ev[0], "ci.json"}, {&ev[1], "ci.json"}};
    struct ra_pm_client clients[2] = {
        {"10.20.0.11:45456", 10, "skopeo/1.9.3", 2, 2, APR(13, 6, 2), APR(13, 7, 18)},
        {"10.20.5.23", 10, "", 1, 0, APR(13, 8, 28), APR(13, 8, 28)}};
    const struct ra_loss *objs[1];
    struct ra_pm_event *saved_runs;
    const struct ra_loss **saved_objs;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_decide(&f);
    objs[0] = &f.loss[1];
    saved_runs = f.pm->failed_runs;
    saved_objs = f.pm->failed_objects;
    f.pm->failed_runs = runs;
    f.pm->failed_pipelines = 2;
    f.pm->failed_objects = objs;
    f.pm->nfailed_objects = 1;
    f.pm->failed_pulls = 3;
    f.pm->clients = clients;
    f.pm->nclients = 2;
    run[1].parent = 313; /* #315 restarted #313 */
    o = ra_pm_impact(&f.m);
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "clients"), 0), "text"),
        "10.20.0.11 (skopeo/1.9.3): 2 requests from 2026-04-13T06:02:00Z to "
        "2026-04-13T07:18:00Z, all while a failed pipeline run was running;");
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "clients"), 1), "text"),
        "10.20.5.23 (no user agent logged): 1 request at 2026-04-13T08:28:00Z, while no "
        "failed pipeline run was running.");
    assert_string_equal(pm_str(json_array_get(json_object_get(o, "clients"), 0), "addr"),
                        "10.20.0.11");
    assert_string_equal(pm_str(o, "failed_in_words"), "lint and deploy");
    assert_string_equal(pm_str(o, "failed_runs_text"),
                        "#313 (cron), #315 (restart of #313)");
    assert_true(json_is_true(json_object_get(o, "has_failures")));
    assert_string_equal(pm_str(o, "failed_in_text"), "lint, deploy");
    assert_int_equal(json_integer_value(json_object_get(o, "failed_objects")), 1);
    assert_string_equal(pm_str(o, "failed_objects_text"), "sha256:020000000000");
    assert_string_equal(
        pm_str(json_array_get(json_object_get(o, "failed_runs"), 1), "evidence"),
        "ci.json:358");
    json_decref(o);
    f.pm->failed_runs = saved_runs;
    f.pm->failed_objects = saved_objs;
    f.pm->clients = NULL;
    f.pm->nclients = 0;
    pmfix_release(&f);
}

/* Nothing lost: no duration. */
static void test_no_duration(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    pmfix_decide(&f);
    o = ra_pm_impact(&f.m);
    assert_true(json_is_null(json_object_get(o, "duration")));
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_suspect),
        cmocka_unit_test(test_what_failed),
        cmocka_unit_test(test_duration_bound),
        cmocka_unit_test(test_no_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
