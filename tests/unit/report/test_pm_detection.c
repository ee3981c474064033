/* SPDX-License-Identifier: MIT */
/* report/pm_detection.c: when the damage was first seen, time to detect. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_detection(void **state)
{
    struct pmfix f;
    json_t *impact, *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.loss[0].to.kind = RA_BOUND_FOLDER_MTIME;
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    o = ra_pm_detection(&f.m, impact);
    assert_string_equal(pm_str(o, "first_snapshot"), "snap-13");
    assert_string_equal(pm_str(o, "first_snapshot_taken_at"), "2026-04-13T01:00:00Z");
    assert_string_equal(pm_str(o, "earliest_missing"), "2026-04-12T03:25:01Z");
    assert_string_equal(pm_str(o, "earliest_missing_evidence"), "blobs/sha256/01");
    /* no log: no time to detect, but the first snapshot's distance from the start */
    assert_true(json_is_null(json_object_get(o, "time_to_detect")));
    assert_string_equal(pm_str(o, "time_to_first_snapshot.text"), "21 h 35 min");
    assert_true(json_is_null(json_object_get(o, "to_first_alert")));
    assert_true(json_is_false(json_object_get(o, "has_alert")));
    assert_true(json_is_null(json_object_get(o, "other_alerts")));
    assert_string_equal(pm_str(o, "earliest_missing_words"),
                        "the time the folder it was deleted from last changed");
    json_decref(o);
    json_decref(impact);
    pmfix_release(&f);
}

/* Time to detect to each kind of sign: a failed pipeline, a 404, an alert. */
static void test_time_to_each_sign(void **state)
{
    struct pmfix f;
    struct ra_log_pipeline run = {.number = 313,
                                  .status = "failure",
                                  .event = "cron",
                                  .finished = APR(13, 6, 2) + 3,
                                  .parent = 312};
    struct ra_log_event pipe = {.kind = RA_LOG_PIPELINE,
                                .time = APR(13, 6, 2),
                                .line = 556,
                                .pipeline = &run},
                        alert = {.kind = RA_LOG_ALERT,
                                 .time = APR(13, 5, 25),
                                 .line = 2,
                                 .message = "RegistryImageUnpullable",
                                 .level = "page"};
    json_t *impact, *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    f.pm->first_failed_pipeline = (struct ra_pm_event){&pipe, "ci.json"};
    f.pm->detected = f.pm->first_failed_pipeline;
    f.pm->first_alert = (struct ra_pm_event){&alert, "alerts.jsonl"};
    f.pm->other_alerts = 1; /* an alert about something else, counted */
    impact = ra_pm_impact(&f.m);
    o = ra_pm_detection(&f.m, impact);
    assert_string_equal(pm_str(o, "time_to_detect.message"),
                        "pipeline #313 (restart of #312) failed");
    /* a run failed when it finished, not when it started */
    assert_string_equal(pm_str(o, "time_to_detect.time"), "2026-04-13T06:02:03Z");
    assert_string_equal(pm_str(o, "time_to_detect.span.text"), "1 d 2 h 37 min");
    assert_string_equal(pm_str(o, "to_first_failed_pipeline.evidence"), "ci.json:556");
    assert_true(json_is_null(json_object_get(o, "to_first_404")));
    assert_string_equal(pm_str(o, "to_first_alert.message"),
                        "alert RegistryImageUnpullable (page)");
    assert_string_equal(pm_str(o, "to_first_alert.span.text"), "1 d 2 h");
    assert_string_equal(pm_str(o, "to_first_alert.evidence"), "alerts.jsonl:2");
    assert_true(json_is_true(json_object_get(o, "has_alert")));
    assert_string_equal(pm_str(o, "other_alerts"), "1 alert");
    json_decref(o);
    json_decref(impact);
    pmfix_release(&f);
}

static void test_nothing_lost(void **state)
{
    struct pmfix f;
    json_t *impact, *o;

    (void)state;
    pmfix_init(&f, 2, 0);
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    o = ra_pm_detection(&f.m, impact);
    assert_true(json_is_null(o));
    json_decref(o);
    json_decref(impact);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_time_to_each_sign),
        cmocka_unit_test(test_nothing_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
