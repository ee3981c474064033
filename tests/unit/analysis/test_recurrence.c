/* SPDX-License-Identifier: MIT */
/* ra_recurrence: the damaging job's later runs of the same version inside the period
 * (not those after it, not those of another version or job), the version that took the
 * damage out by what the config says, and how far the snapshots and logs reach. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "analysis/recurrence.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"

#include "fixture_analysis.h"

#define A1E "a1e4392215f7"

static struct ra_firing gc_run(ra_time t, const char *commit, int m)
{
    return (struct ra_firing){.time = t,
                              .job_id = "cron.d:registry-gc:gc",
                              .job_name = "registry garbage-collect",
                              .classes = RA_JOB_GARBAGE_COLLECT,
                              .delete_untagged = m,
                              .commit = commit};
}

/* The config history of the job: added without -m (95f3a73), -m (a1e4392), a schedule
 * change that keeps -m (c0ffee0), -m dropped (22f685e). */
struct hist {
    struct ra_commit_info c[4];
    struct ra_job j[4];
    struct ra_job_version v[4];
    struct ra_sched_job sj;
};

static void hist_init(struct hist *h)
{
    static const char *const ids[] = {"95f3a73ac307", A1E, "c0ffee000000",
                                      "22f685e9e064"};
    static const int m[] = {0, 1, 1, 0};
    size_t i;

    memset(h, 0, sizeof(*h));
    h->sj.id = "cron.d:registry-gc:gc";
    for (i = 0; i < 4; i++) {
        memset(h->c[i].id, '0', RA_GIT_HEXSZ);
        memcpy(h->c[i].id, ids[i], strlen(ids[i]));
        h->c[i].time = APR(1, 0, 0) + (ra_time)i * 86400 * 7;
        h->j[i].cls = RA_JOB_GARBAGE_COLLECT;
        h->j[i].classes = RA_JOB_GARBAGE_COLLECT;
        h->j[i].gc.delete_untagged = m[i];
        h->v[i] = (struct ra_job_version){&h->c[i], &h->j[i], i == 3 ? "drops -m" : "x"};
        ra_vec_push(&h->sj.versions, &h->v[i]);
    }
}

/* ra_recurrence_find after the investigation's end of the evidence, as investigate
 * finds it once. */
static void find(struct ra_recurrence *r, struct ra_investigation *inv,
                 const struct ra_firing *culprit, const struct ra_sched_job *job,
                 ra_time period_to)
{
    inv->firings_until = ra_evidence_until(inv, &inv->evidence_until_log);
    ra_recurrence_find(r, inv, culprit, job, period_to);
}

static void test_recurrence__same_version_again_in_period(void **state)
{
    struct fix_inv f;
    struct hist h;
    struct ra_firing runs[5];
    struct ra_recurrence r;

    (void)state;
    fix_inv_init(&f, 2, 1); /* snapshots on the 12th and 13th at 01:00 */
    hist_init(&h);
    runs[0] = gc_run(APR(5, 3, 25), A1E, 1);            /* before the culprit */
    runs[1] = gc_run(APR(12, 3, 25), A1E, 1);           /* the culprit */
    runs[2] = gc_run(APR(19, 3, 25), A1E, 1);           /* again, inside the period */
    runs[3] = gc_run(APR(26, 3, 25), A1E, 1);           /* after the period */
    runs[4] = gc_run(APR(19, 4, 0), "c0ffee000000", 1); /* another version */
    runs[4].job_id = "other";
    f.inv.firings = runs;
    f.inv.nfirings = 5;
    find(&r, &f.inv, &runs[1], &h.sj, APR(19, 3, 25) + 1);
    assert_ptr_equal(r.next, &runs[2]);
    assert_int_equal(r.runs, 1);
    /* c0ffee keeps -m: the fix is the version that drops it */
    assert_ptr_equal(r.fixed, &h.v[3]);
    assert_int_equal(r.evidence_until, APR(13, 1, 0)); /* the newest snapshot */
    assert_null(r.evidence_until_log);
    assert_false(r.covered);

    /* an open period counts the run after it too */
    find(&r, &f.inv, &runs[1], &h.sj, RA_TIME_NONE);
    assert_int_equal(r.runs, 2);

    /* a run of another version of the same job is not the same run */
    runs[2].commit = "c0ffee000000";
    find(&r, &f.inv, &runs[1], &h.sj, APR(19, 3, 25) + 1);
    assert_null(r.next);
    assert_int_equal(r.runs, 0);
    assert_false(r.covered);

    /* without the job's history, no fix is named */
    runs[2].commit = A1E;
    find(&r, &f.inv, &runs[1], NULL, APR(19, 3, 25) + 1);
    assert_ptr_equal(r.next, &runs[2]);
    assert_null(r.fixed);
    ra_vec_release(&h.sj.versions);
    fix_inv_release(&f);
}

/* A log that reaches past the later run covers it; the latest event decides. */
static void test_recurrence__evidence_reach(void **state)
{
    struct fix_inv f;
    struct ra_firing runs[2];
    struct ra_log log = {.path = "pipelines.json"};
    struct ra_log *logs[1] = {&log};
    struct ra_log_pipeline p = {
        .number = 319, .status = "success", .event = "cron", .finished = APR(14, 6, 1)};
    struct ra_log_event e = {
        .kind = RA_LOG_PIPELINE, .time = APR(14, 6, 0), .pipeline = &p};
    struct ra_recurrence r;

    (void)state;
    fix_inv_init(&f, 2, 1);
    runs[0] = gc_run(APR(12, 3, 25), A1E, 1);
    runs[1] = gc_run(APR(19, 3, 25), A1E, 1);
    f.inv.firings = runs;
    f.inv.nfirings = 2;
    ra_vec_push(&log.events, &e);
    f.inv.logs = logs;
    f.inv.nlogs = 1;
    find(&r, &f.inv, &runs[0], NULL, RA_TIME_NONE);
    assert_int_equal(r.evidence_until, APR(14, 6, 1)); /* the run's finish */
    assert_string_equal(r.evidence_until_log, "pipelines.json");
    assert_false(r.covered);
    p.finished = APR(20, 0, 0);
    find(&r, &f.inv, &runs[0], NULL, RA_TIME_NONE);
    assert_true(r.covered);
    /* no culprit: nothing recurs, the reach is still known */
    find(&r, &f.inv, NULL, NULL, RA_TIME_NONE);
    assert_null(r.next);
    assert_int_equal(r.evidence_until, APR(20, 0, 0));
    ra_vec_release(&log.events);
    fix_inv_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recurrence__same_version_again_in_period),
        cmocka_unit_test(test_recurrence__evidence_reach),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
