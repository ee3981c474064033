/* SPDX-License-Identifier: MIT */
/* report/pm_inputs.c: the post-mortem's "inputs" object over a hand-built investigation
 * (pm_fixture.h): every snapshot with its source, time and how it is known, entries,
 * registries and whether its mtimes are used (and why not); every log with its format,
 * lines and events; the config repo's head (short and full), depth, commits and jobs,
 * or null without one; a share read as report picks it (read whole, in part, skipped). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config/sched/schedule.h"

#include "json_fixture.h"
#include "pm_fixture.h"

/* The 12th read whole with real times; the 13th a copy whose members all have one
 * mtime, cut short. */
static void snapshots(struct pmfix *f)
{
    f->snap[0].taken_source = RA_TAKEN_NAME;
    f->snap[0].complete = 1;
    f->snap[0].entries = 131;
    f->snap[0].oldest_mtime = APR(6, 8, 0);
    f->snap[0].newest_mtime = APR(12, 0, 30);
    f->snap[1].source = "/backups/reg-13.tar.gz";
    f->snap[1].taken_source = RA_TAKEN_EXPLICIT;
    f->snap[1].complete = 0;
    f->snap[1].entries = 5;
    f->snap[1].oldest_mtime = f->snap[1].newest_mtime = APR(13, 0, 59);
}

static void test_pm_inputs__snapshots_no_logs_no_config(void **state)
{
    struct pmfix f;
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    snapshots(&f);
    pmfix_decide(&f);
    o = ra_pm_inputs(&f.m);
    fix_json_expect(
        o, "{\"config\":null,\"has_config\":false,\"has_logs\":false,\"logs\":[],"
           "\"picked\":false,\"reading\":{\"given\":2,\"part\":0,\"picked\":false,"
           "\"skipped\":0,\"text\":null,\"whole\":2},"
           "\"snapshots\":[{\"complete\":true,\"entries\":131,\"mtimes_note\":null,"
           "\"mtimes_trusted\":true,\"name\":\"snap-12\",\"paths_read\":0,\"read\":"
           "\"whole\",\"read_text\":\"whole\",\"registries\":1,\"source\":"
           "\"/nonexistent/snap.tar\",\"taken_at\":\"2026-04-12T01:00:00Z\","
           "\"taken_at_source\":\"name\",\"whole\":true},{\"complete\":false,"
           "\"entries\":5,\"mtimes_note\":\"every member has the same mtime (copied "
           "without keeping times)\",\"mtimes_trusted\":false,\"name\":\"snap-13\","
           "\"paths_read\":0,\"read\":\"whole\",\"read_text\":\"whole\","
           "\"registries\":1,\"source\":\"/backups/reg-13.tar.gz\",\"taken_at\":"
           "\"2026-04-13T01:00:00Z\",\"taken_at_source\":\"explicit\",\"whole\":"
           "true}]}");
    json_decref(o);
    pmfix_release(&f);
}

static void test_pm_inputs__logs_and_config(void **state)
{
    static const char head[] = "a1e4392215f7c0ffee00112233445566778899aa";
    struct pmfix f;
    struct ra_log access, gc;
    struct ra_log *logs[2] = {&access, &gc};
    struct ra_schedule sched;
    int dummy[3];
    json_t *o;

    (void)state;
    pmfix_init(&f, 1, 0);
    snapshots(&f);
    pmfix_decide(&f);
    /* set after the decisions, which would read the (dummy) events and jobs */
    memset(&access, 0, sizeof(access));
    access.path = "logs/access.log";
    access.format = RA_LOG_ACCESS;
    access.lines = 42;
    ra_vec_push(&access.events, &dummy[0]);
    ra_vec_push(&access.events, &dummy[1]);
    memset(&gc, 0, sizeof(gc));
    gc.path = "gc-2026-04-12.log";
    gc.format = RA_LOG_GC;
    gc.lines = 7;
    ra_vec_push(&gc.events, &dummy[2]);
    f.inv.logs = logs;
    f.inv.nlogs = 2;
    memset(&sched, 0, sizeof(sched));
    memcpy(sched.head, head, sizeof(head));
    sched.path = "infra-config";
    sched.shallow = 1;
    ra_vec_push(&sched.commits, &dummy[0]);
    ra_vec_push(&sched.commits, &dummy[1]);
    ra_vec_push(&sched.commits, &dummy[2]);
    ra_vec_push(&sched.jobs, &dummy[0]);
    f.inv.schedule = &sched;
    o = ra_pm_inputs(&f.m);
    fix_json_expect(
        json_object_get(o, "logs"),
        "[{\"events\":2,\"format\":\"access\",\"lines\":42,\"path\":"
        "\"logs/access.log\"},{\"events\":1,\"format\":\"gc\",\"lines\":7,\"path\":"
        "\"gc-2026-04-12.log\"}]");
    fix_json_expect(json_object_get(o, "has_logs"), "true");
    fix_json_expect(json_object_get(o, "has_config"), "true");
    fix_json_expect(json_object_get(o, "config"),
                    "{\"commit\":\"a1e4392215f7\",\"commit_full\":\"" /* */
                    "a1e4392215f7c0ffee00112233445566778899aa\",\"commits\":3,\"jobs\":1,"
                    "\"repo\":\"infra-config\",\"shallow\":true}");
    assert_int_equal(json_array_size(json_object_get(o, "snapshots")), 1);
    json_decref(o);
    f.inv.logs = NULL;
    f.inv.nlogs = 0;
    f.inv.schedule = NULL;
    pmfix_release(&f);
    ra_vec_release(&access.events);
    ra_vec_release(&gc.events);
    ra_vec_release(&sched.commits);
    ra_vec_release(&sched.jobs);
}

/* A share read as report picks it (analysis/pick.h): the two scans read whole, a
 * snapshot probed in part and one skipped, in time order, and the sentence. */
static void test_pm_inputs__picked(void **state)
{
    struct pmfix f;
    struct ra_snap_read reads[4];
    json_t *o;

    (void)state;
    pmfix_init(&f, 2, 1);
    snapshots(&f);
    pmfix_decide(&f);
    memset(reads, 0, sizeof(reads));
    reads[0].scan = f.inv.scans[0];
    reads[1].name = "snap-12b";
    reads[1].taken_at = APR(12, 13, 0);
    reads[1].taken_source = RA_TAKEN_NAME;
    reads[1].how = RA_READ_SKIPPED;
    reads[2].name = "snap-12c";
    reads[2].taken_at = APR(12, 19, 0);
    reads[2].taken_source = RA_TAKEN_NAME;
    reads[2].how = RA_READ_PART;
    reads[2].entries = 17;
    reads[3].scan = f.inv.scans[1];
    f.inv.reads = reads;
    f.inv.nreads = 4;
    f.inv.picked = 1;
    f.inv.pick_objects = 1;
    o = ra_pm_inputs(&f.m);
    fix_json_expect(json_object_get(o, "picked"), "true");
    fix_json_expect(
        json_object_get(o, "reading"),
        "{\"given\":4,\"part\":1,\"picked\":true,\"skipped\":1,\"text\":\"Of 4 "
        "snapshots, 2 were read whole (the oldest, the newest and the two that bracket "
        "each loss: the windows, fingerprints and timeline come from them), 1 only in "
        "part (bisect: the paths the 1 object lost in the newest need) and 1 skipped; "
        "--all-snapshots reads every one.\",\"whole\":2}");
    fix_json_expect(
        json_array_get(json_object_get(o, "snapshots"), 1),
        "{\"complete\":null,\"entries\":null,\"mtimes_note\":null,\"mtimes_trusted\":"
        "null,\"name\":\"snap-12b\",\"paths_read\":0,\"read\":\"skipped\","
        "\"read_text\":\"skipped\",\"registries\":null,\"source\":null,\"taken_at\":"
        "\"2026-04-12T13:00:00Z\",\"taken_at_source\":\"name\",\"whole\":false}");
    fix_json_expect(
        json_object_get(json_array_get(json_object_get(o, "snapshots"), 2), "read_text"),
        "\"17 paths\"");
    fix_json_expect(
        json_object_get(json_array_get(json_object_get(o, "snapshots"), 3), "name"),
        "\"snap-13\"");
    json_decref(o);
    f.inv.reads = NULL;
    f.inv.nreads = 0;
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pm_inputs__snapshots_no_logs_no_config),
        cmocka_unit_test(test_pm_inputs__picked),
        cmocka_unit_test(test_pm_inputs__logs_and_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
