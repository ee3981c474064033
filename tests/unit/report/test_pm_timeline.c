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
    assert_string_equal(pm_str(o, "mermaid"), "timeline\n    title What happened (UTC)");
    assert_int_equal(json_array_size(json_object_get(o, "rows")), 0);
    json_decref(o);
    pmfix_release(&f);
}

static struct ra_event ev(enum ra_event_kind k, ra_time t, ra_time until, size_t count,
                          const char *msg)
{
    return (struct ra_event){t, until, k, "snap-12", msg, "", count, 0};
}

/* Routine activity folds out of the table into timeline.folded and one sentence
 * (per-day storage rows into one per kind, unrelated pushes into one), a push at one
 * instant is one row naming its other manifests, the rebuild that repaired the incident
 * has a row and ends the diagram, rows come in time order, and the routine stays out of
 * the diagram. */
static void test_folded(void **state)
{
    struct pmfix f;
    struct ra_log_pipeline pl = {.number = 317,
                                 .status = "success",
                                 .event = "manual",
                                 .finished = APR(13, 9, 10)};
    struct ra_log_event le = {
        .kind = RA_LOG_PIPELINE, .time = APR(13, 9, 2), .line = 196};
    struct ra_event e[10];
    json_t *o, *rows;
    size_t i;

    (void)state;
    le.pipeline = &pl;
    e[0] = ev(RA_EV_BLOB_UPLOADED, APR(6, 0, 0), APR(6, 23, 59) + 59, 15, "blob uploads");
    e[1] = ev(RA_EV_TAG_PUSHED, APR(6, 10, 0), RA_TIME_NONE, 1,
              "base/debian:12 pushed as sha256:aaaaaaaaaaaa");
    e[2] = ev(RA_EV_BLOB_UPLOADED, APR(8, 0, 0), APR(8, 23, 59) + 59, 3, "blob uploads");
    e[3] = ev(RA_EV_TAG_PUSHED, APR(8, 10, 0), RA_TIME_NONE, 1,
              "tools/kubectl:1 pushed as sha256:bbbbbbbbbbbb");
    e[4] = ev(RA_EV_TAG_PUSHED, APR(11, 7, 45), RA_TIME_NONE, 1,
              "infra-ci:latest pushed as sha256:e475600e8421");
    e[5] = ev(RA_EV_TAG_CURRENT, APR(11, 7, 45), RA_TIME_NONE, 1,
              "infra-ci:latest now points at sha256:e475600e8421");
    e[6] = ev(RA_EV_MANIFEST_PUSHED, APR(11, 7, 45), RA_TIME_NONE, 1,
              "manifest sha256:010000000000 pushed to infra-ci");
    e[7] = ev(RA_EV_MANIFEST_PUSHED, APR(11, 7, 45), RA_TIME_NONE, 1,
              "manifest sha256:e475600e8421 pushed to infra-ci");
    e[8] = ev(RA_EV_LOG, APR(13, 0, 0), APR(13, 23, 59) + 59, 1,
              "pipelines that did not fail");
    e[8].routine = 1;
    e[9] = ev(RA_EV_LOG, APR(14, 0, 0), APR(14, 23, 59) + 59, 3,
              "pipelines that did not fail");
    e[9].routine = 1;
    pmfix_init(&f, 2, 1);
    memcpy(f.tag[1].digest.b, "\xe4\x75\x60\x0e\x84\x21", 6); /* the broken index */
    for (i = 0; i < 10; i++)
        ra_vec_push(&f.timeline.events, &e[i]);
    pmfix_decide(&f);
    f.pm->rebuilt = (struct ra_pm_event){&le, "pipelines.json"};
    f.pm->rebuilt_ref = "infra-ci:latest";
    f.pm->repaired_at = APR(13, 9, 10);
    o = ra_pm_timeline(&f.m);
    rows = json_object_get(o, "rows");
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(pm_str(json_array_get(rows, 0), "event"),
                        "infra-ci:latest pushed as sha256:e475600e8421, with manifest "
                        "sha256:010000000000");
    assert_string_equal(pm_str(json_array_get(rows, 0), "role"), "key");
    assert_string_equal(pm_str(json_array_get(rows, 1), "time"), "2026-04-13T09:10:00Z");
    assert_string_equal(pm_str(json_array_get(rows, 1), "event"),
                        "pipeline #317 (manual) finished: it rebuilt and pushed "
                        "infra-ci:latest (the repair)");
    assert_string_equal(pm_str(json_array_get(rows, 1), "evidence"),
                        "pipelines.json:196");
    /* the routine folds out of the table, into the JSON and one sentence */
    rows = json_object_get(o, "folded");
    assert_int_equal(json_array_size(rows), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "folded_count")), 3);
    assert_string_equal(pm_str(json_array_get(rows, 0), "event"),
                        "blob uploads (x18) on 2 days");
    assert_string_equal(pm_str(json_array_get(rows, 0), "until"), "2026-04-08T23:59:59Z");
    assert_string_equal(
        pm_str(json_array_get(rows, 1), "event"),
        "2 pushes unrelated to the lost objects: base/debian:12, tools/kubectl:1");
    assert_string_equal(pm_str(json_array_get(rows, 1), "time"), "2026-04-06T10:00:00Z");
    assert_string_equal(pm_str(json_array_get(rows, 1), "until"), "2026-04-08T10:00:00Z");
    assert_string_equal(pm_str(json_array_get(rows, 1), "role"), "routine");
    assert_string_equal(pm_str(json_array_get(rows, 2), "event"),
                        "pipelines that did not fail (x4) on 2 days");
    assert_string_equal(pm_str(json_array_get(rows, 2), "until"), "2026-04-14T23:59:59Z");
    assert_string_equal(pm_str(o, "routine_text"),
                        "blob uploads (x18) on 2 days; 2 pushes unrelated to the lost "
                        "objects: base/debian:12, tools/kubectl:1; pipelines that did "
                        "not fail (x4) on 2 days");
    assert_false(json_is_true(json_object_get(o, "snapshots_folded")));
    /* the whole list is unfolded */
    assert_int_equal(json_array_size(json_object_get(o, "all")), 10);
    assert_null(strstr(pm_str(o, "mermaid"), "did not fail"));
    assert_null(strstr(pm_str(o, "mermaid"), "base/debian"));
    assert_non_null(strstr(pm_str(o, "mermaid"),
                           "2026-04-11 07.45 : infra-ci#58;latest pushed as e475600e\n"));
    /* the diagram: the push, then the repair, which ends it (no line after) */
    assert_string_equal(
        pm_str(o, "mermaid"),
        "timeline\n    title What happened (UTC)\n"
        "    2026-04-11 07.45 : infra-ci#58;latest pushed as e475600e\n"
        "    2026-04-13 09.10 : pipeline #35;317 rebuilt infra-ci#58;latest");
    json_decref(o);
    ra_vec_release(&f.timeline.events);
    pmfix_release(&f);
}

/* The damaging job's next run inside the period (the recurrence) has a row of its own,
 * after the evidence or inside it. */
static void test_recurrence_row(void **state)
{
    struct pmfix f;
    struct ra_firing next = {.time = APR(19, 3, 25),
                             .job_name = "registry garbage-collect",
                             .delete_untagged = 1,
                             .defined_in = "etc/cron.d/registry-gc:8",
                             .commit = "a1e4392215f7aaaa"};
    json_t *o, *rows;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    f.pm->recurrence.next = &next;
    f.pm->recurrence.runs = 1;
    o = ra_pm_timeline(&f.m);
    rows = json_object_get(o, "rows");
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(pm_str(json_array_get(rows, 0), "time"), "2026-04-19T03:25:00Z");
    assert_string_equal(pm_str(json_array_get(rows, 0), "kind"), "recurrence");
    assert_string_equal(pm_str(json_array_get(rows, 0), "event"),
                        "registry garbage-collect ran again, unchanged (garbage-collect "
                        "--delete-untagged): after the evidence ends, so what it did is "
                        "not shown");
    assert_string_equal(pm_str(json_array_get(rows, 0), "evidence"),
                        "etc/cron.d/registry-gc:8 @ a1e4392215f7");
    json_decref(o);
    f.pm->recurrence.covered = 1;
    o = ra_pm_timeline(&f.m);
    assert_string_equal(pm_str(json_array_get(json_object_get(o, "rows"), 0), "event"),
                        "registry garbage-collect ran again, unchanged (garbage-collect "
                        "--delete-untagged)");
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_recurrence_row),
        cmocka_unit_test(test_folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
