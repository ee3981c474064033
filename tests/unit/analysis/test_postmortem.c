/* SPDX-License-Identifier: MIT */
/* ra_postmortem: the decisions behind the post-mortem on hand-built investigations —
 * loss window and focus, suspects ranked across losses, the incident's start (earliest
 * bound, exact, or the run of a high-rated suspect), its end (ongoing at the newest
 * snapshot, or the snapshot where every broken tag pulls again), exact spans, the
 * trigger commit walked back to the version that brought the damage, the recovery
 * plan and the lessons the evidence supports. */

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
#include "analysis/postmortem.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "config/pipelines/pipelines.h"
#include "config/sched/schedule.h"
#include "model/graph.h"

#include "fixture_analysis.h"

/* fix_inv_init's investigation with snapshots from a folder, the second loss ending a
 * minute later (01:00..03:26:01) and no evidence named for the bounds. */
static void fix_init(struct fix_inv *f, size_t nscans, size_t nloss)
{
    size_t i;

    fix_inv_init(f, nscans, nloss);
    for (i = 0; i < 3; i++)
        f->snap[i].source = "/nonexistent/snap";
    for (i = 0; i < nloss; i++) {
        f->loss[i].to.time += (ra_time)i * 60;
        f->loss[i].from.evidence = f->loss[i].to.evidence = NULL;
    }
}

static void suspect(struct fix_inv *f, size_t cause, size_t s, size_t firing,
                    enum ra_confidence c)
{
    f->sus[s].firing = &f->firing[firing];
    f->sus[s].confidence = c;
    f->sus[s].reason = c == RA_CONF_HIGH ? "high" : "lower";
    ra_vec_push(&f->cause[cause].suspects, &f->sus[s]);
}

static void test_span(void **state)
{
    (void)state;
    assert_int_equal(ra_postmortem_span(APR(12, 3, 25), APR(13, 8, 28)), 104580);
    assert_int_equal(ra_postmortem_span(APR(12, 3, 25), APR(12, 3, 25)), 0);
    assert_int_equal(ra_postmortem_span(APR(13, 0, 0), APR(12, 0, 0)), -1);
    assert_int_equal(ra_postmortem_span(RA_TIME_NONE, APR(12, 0, 0)), -1);
}

/* Two losses 01:00..03:25:01 and 01:00..03:26:01, no suspect, still broken on the 13th:
 * start is the earliest bound, the end the newest snapshot, focus a week either side. */
static void test_earliest_bound_ongoing(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 2);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->loss_from, APR(12, 1, 0));
    assert_int_equal(pm->loss_to, APR(12, 3, 25) + 1);
    assert_int_equal(pm->focus_from, APR(5, 1, 0));
    assert_int_equal(pm->focus_to, APR(19, 3, 26) + 1);
    assert_int_equal(pm->start, APR(12, 1, 0));
    assert_false(pm->start_exact);
    assert_null(pm->start_firing);
    assert_int_equal(pm->state, RA_PM_ONGOING);
    assert_int_equal(pm->end, APR(13, 1, 0));
    assert_int_equal(ra_postmortem_span(pm->start, pm->end), 86400);
    assert_ptr_equal(pm->first_missing, &f.scan[1]);
    assert_ptr_equal(pm->first_bounded, &f.loss[0]);
    assert_true(ra_postmortem_in_focus(pm, APR(5, 1, 0), RA_TIME_NONE));
    assert_false(ra_postmortem_in_focus(pm, APR(4, 0, 0), RA_TIME_NONE));
    assert_true(ra_postmortem_in_focus(pm, APR(4, 0, 0), APR(6, 0, 0)));
    /* the plan: both blobs restored from snap-12, nothing rebuilt */
    assert_int_equal(pm->nplans, 1);
    assert_int_equal(pm->plans[0].nrepairs, 2);
    assert_int_equal(pm->plans[0].count[RA_PM_RESTORE], 2);
    assert_ptr_equal(pm->plans[0].repairs[0].from, &f.scan[0]);
    assert_false(pm->plans[0].repairs[0].from_dir);
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_INDEX_RESOLVED));
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_ALL_IN_SNAPSHOT));
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_UNRECOVERABLE));
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_NO_ALERT));
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

/* Repaired: the tag pulls on the 14th; time to repair 03:25 (the high suspect's run) to
 * 14th 01:00 = 1 d 21 h 35 min. A loss in no snapshot makes it unrecoverable. */
static void test_suspect_start_repaired(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 3, 1);
    f.tag[2].pullable = 1;
    f.reg[2].unpullable = 0;
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->start_firing, &f.firing[0]);
    assert_int_equal(pm->start, APR(12, 3, 25));
    assert_int_equal(pm->state, RA_PM_REPAIRED);
    assert_ptr_equal(pm->repaired_in, &f.scan[2]);
    assert_int_equal(pm->end, APR(14, 1, 0));
    assert_int_equal(ra_postmortem_span(pm->start, pm->end), 164100);
    assert_int_equal(pm->nplans, 0); /* the newest snapshot pulls everything */
    ra_postmortem_free(pm);

    /* broken again in the newest snapshot: not repaired */
    f.tag[2].pullable = 0;
    f.loss[0].last_present = SIZE_MAX;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->state, RA_PM_ONGOING);
    assert_int_equal(pm->end, APR(14, 1, 0));
    assert_int_equal(pm->plans[0].count[RA_PM_LOST], 1);
    assert_int_equal(pm->unrecoverable, 1);
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_UNRECOVERABLE));
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_ALL_IN_SNAPSHOT));
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

/* A loss known to the second starts the incident exactly, before any suspect. */
static void test_exact_start(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 1);
    f.loss[0].from.time = f.loss[0].to.time = APR(12, 2, 10);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_true(pm->start_exact);
    assert_int_equal(pm->start, APR(12, 2, 10));
    assert_int_equal(ra_postmortem_span(pm->start, pm->end), 82200);
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

/* Ranking: best rating first, then more losses, then earlier; a low-rated run outside
 * the suspects' best does not mark its time as a suspect's. */
static void test_suspect_ranking(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 2);
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 2, 0), .job_id = "prune", .job_name = "p"};
    f.firing[1] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    suspect(&f, 0, 0, 0, RA_CONF_LOW);
    suspect(&f, 0, 1, 1, RA_CONF_MEDIUM);
    suspect(&f, 1, 2, 1, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->nsuspects, 2);
    assert_ptr_equal(pm->suspects[0].firing, &f.firing[1]);
    assert_int_equal(pm->suspects[0].best, RA_CONF_HIGH);
    assert_string_equal(pm->suspects[0].reason, "high");
    assert_int_equal(pm->suspects[0].losses, 2);
    assert_ptr_equal(pm->suspects[1].firing, &f.firing[0]);
    assert_int_equal(pm->suspects[1].losses, 1);
    assert_true(ra_postmortem_suspect_at(pm, APR(12, 3, 25)));
    assert_false(ra_postmortem_suspect_at(pm, APR(12, 2, 0)));
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

/* The trigger: the firing ran the version of commit c3 (a schedule change); the
 * version that brought --delete-untagged is c2's, which is named. */
static void test_trigger(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_schedule s;
    struct ra_sched_job sj;
    struct ra_job j1, j2, j3;
    struct ra_commit_info c1 = {.time = APR(1, 10, 0), .summary = "add gc"},
                          c2 = {.time = APR(3, 11, 27), .summary = "gc: also -m"},
                          c3 = {.time = APR(10, 9, 0), .summary = "gc: later"};
    struct ra_job_version v1 = {&c1, &j1, "added"},
                          v2 = {&c2, &j2, "adds --delete-untagged"},
                          v3 = {&c3, &j3, "schedule"};

    (void)state;
    memset(&s, 0, sizeof(s));
    memset(&sj, 0, sizeof(sj));
    memset(&j1, 0, sizeof(j1));
    j1.cls = RA_JOB_GARBAGE_COLLECT;
    j2 = j1;
    j2.gc.delete_untagged = 1;
    j3 = j2;
    memset(c1.id, '1', 40);
    memset(c2.id, '2', 40);
    memset(c3.id, '3', 40);
    sj.id = "gc";
    ra_vec_push(&sj.versions, &v1);
    ra_vec_push(&sj.versions, &v2);
    ra_vec_push(&sj.versions, &v3);
    ra_vec_push(&s.jobs, &sj);
    fix_init(&f, 2, 1);
    f.inv.schedule = &s;
    f.firing[0] = (struct ra_firing){.time = APR(12, 3, 25),
                                     .job_id = "gc",
                                     .job_name = "gc",
                                     .commit = "333333333333"};
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->trigger, &v2);
    assert_ptr_equal(pm->trigger_job, &sj);
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_TRIGGER_KNOWN));
    assert_false(ra_postmortem_in_focus(pm, c2.time, RA_TIME_NONE)); /* outside, named */
    ra_postmortem_free(pm);
    /* -m from the first version on: the job's first version is the trigger */
    j1.gc.delete_untagged = 1;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->trigger, &v1);
    ra_postmortem_free(pm);
    ra_vec_release(&sj.versions);
    ra_vec_release(&s.jobs);
    fix_inv_release(&f);
}

/* The trigger run: the broken tag is an index pushed at 07:45 on the 11th (its current
 * link in the newest snapshot), and the GC run of the 12th was its job's first since;
 * a run of the same job in between makes it not the first. */
static void test_index_push(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_graph *g = fix_graph("");

    (void)state;
    fix_init(&f, 2, 1);
    fix_tag(g, "infra-ci", "latest", 'e', APR(11, 7, 45));
    f.reg[1].graph = g;
    f.tag[1].is_index = 1;
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    f.firing[1] =
        (struct ra_firing){.time = APR(11, 3, 25), .job_id = "gc", .job_name = "gc"};
    f.inv.firings = f.firing;
    f.inv.nfirings = 2;
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->index_tag, &f.tag[1]);
    assert_int_equal(pm->index_pushed, APR(11, 7, 45));
    assert_true(pm->first_run_since_push); /* the 11th's run came before the push */
    ra_postmortem_free(pm);

    f.firing[1].time = APR(11, 9, 0); /* a run after the push: 03:25 is not the first */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_false(pm->first_run_since_push);
    ra_postmortem_free(pm);

    f.tag[1].is_index = 0; /* not an index: no push to speak of */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_null(pm->index_tag);
    assert_int_equal(pm->index_pushed, RA_TIME_NONE);
    ra_postmortem_free(pm);
    ra_graph_free(g);
    fix_inv_release(&f);
}

/* A blob no snapshot's registry holds: a verified recycle-bin copy is its source; a copy
 * that does not match leaves it lost, with the copy named. */
static void test_recycled(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_recycled_blob r = {0};

    (void)state;
    fix_init(&f, 2, 1);
    f.loss[0].last_present = SIZE_MAX;
    r.digest = f.loss[0].digest;
    r.path = "#recycle/docker/registry/v2/blobs/sha256/01/x/data";
    r.verified = 1;
    ra_vec_push(&f.snap[1].recycled, &r);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->plans[0].repairs[0].kind, RA_PM_RECYCLED);
    assert_ptr_equal(pm->plans[0].repairs[0].recycled, &r);
    assert_ptr_equal(pm->plans[0].repairs[0].recycled_in, &f.snap[1]);
    assert_int_equal(pm->unrecoverable, 0);
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_RECYCLED));
    ra_postmortem_free(pm);
    r.verified = 0;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->plans[0].repairs[0].kind, RA_PM_LOST);
    assert_ptr_equal(pm->plans[0].repairs[0].recycled, &r);
    assert_int_equal(pm->unrecoverable, 1);
    ra_postmortem_free(pm);
    ra_vec_release(&f.snap[1].recycled);
    fix_inv_release(&f);
}

/* A CI export with pipeline runs and the registry's requests, and a config whose
 * pipeline infra-ci pushes infra-ci:latest in its step build-push. */
struct ci {
    struct ra_schedule s;
    struct ra_pipelines pls;
    struct ra_pipeline pl;
    struct ra_pipeline_image push;
    struct ra_log log;
    struct ra_log *logs[1];
    struct ra_log_pipeline run[2];
    struct ra_log_step step[2];
    struct ra_log_event ev[3];
};

static void ci_init(struct ci *c, struct fix_inv *f)
{
    memset(c, 0, sizeof(*c));
    c->pl.name = "infra-ci";
    c->push =
        (struct ra_pipeline_image){.pipeline = &c->pl,
                                   .ref = "registry.example.internal/infra-ci:latest",
                                   .step = "build-push"};
    ra_vec_push(&c->pl.pushes, &c->push);
    ra_vec_push(&c->pls.pipelines, &c->pl);
    c->s.pipelines = &c->pls;
    /* #313 fails in lint at 06:02; a pull of the lost blob is answered 404 at 06:03;
     * #317 builds and pushes the image from 09:02 to 09:10 */
    c->step[0] = (struct ra_log_step){"lint", "lint",       "failure",   "",
                                      1,      RA_TIME_NONE, RA_TIME_NONE};
    c->step[1] = (struct ra_log_step){"infra-ci", "build-push", "success",   "",
                                      0,          RA_TIME_NONE, RA_TIME_NONE};
    c->run[0] = (struct ra_log_pipeline){.number = 313,
                                         .status = "failure",
                                         .event = "cron",
                                         .finished = RA_TIME_NONE,
                                         .steps = &c->step[0],
                                         .nsteps = 1};
    c->run[1] = (struct ra_log_pipeline){.number = 317,
                                         .status = "success",
                                         .event = "manual",
                                         .finished = APR(13, 9, 10),
                                         .steps = &c->step[1],
                                         .nsteps = 1};
    c->ev[0] = (struct ra_log_event){.kind = RA_LOG_PIPELINE,
                                     .time = APR(13, 6, 2),
                                     .line = 556,
                                     .pipeline = &c->run[0]};
    c->ev[1] = (struct ra_log_event){.kind = RA_LOG_HTTP_REQUEST,
                                     .time = APR(13, 6, 3),
                                     .line = 15,
                                     .status = 404,
                                     .has_digest = 1,
                                     .digest = f->loss[0].digest,
                                     .method = "GET",
                                     .uri = "/v2/infra-ci/blobs/sha256:01"};
    c->ev[2] = (struct ra_log_event){.kind = RA_LOG_PIPELINE,
                                     .time = APR(13, 9, 2),
                                     .line = 196,
                                     .pipeline = &c->run[1]};
    c->log.path = "ci.json";
    ra_vec_push(&c->log.events, &c->ev[0]);
    ra_vec_push(&c->log.events, &c->ev[1]);
    ra_vec_push(&c->log.events, &c->ev[2]);
    c->logs[0] = &c->log;
    f->inv.schedule = &c->s;
    f->inv.logs = c->logs;
    f->inv.nlogs = 1;
    f->loss[0].first_404_event = &c->ev[1];
    f->loss[0].first_404_log = "ci.json";
}

static void ci_release(struct ci *c)
{
    ra_vec_release(&c->pl.pushes);
    ra_vec_release(&c->pls.pipelines);
    ra_vec_release(&c->log.events);
}

/* What failed (the runs, the requests answered 404 and the objects they asked for),
 * the first failure as detection, and a pipeline that rebuilt and pushed the broken
 * image after the newest snapshot as the repair: time to repair ends when its run
 * finished. */
static void test_failures_and_rebuild(void **state)
{
    struct fix_inv f;
    struct ci c;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 2);
    ci_init(&c, &f);
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->failed_pipelines, 1);
    assert_ptr_equal(pm->failed_runs[0].event, &c.ev[0]);
    assert_string_equal(pm->failed_runs[0].log, "ci.json");
    assert_int_equal(pm->failed_pulls, 1);
    assert_int_equal(pm->nfailed_objects, 1); /* loss[1] was never asked for */
    assert_ptr_equal(pm->failed_objects[0], &f.loss[0]);
    assert_ptr_equal(pm->detected.event, &c.ev[0]);
    assert_int_equal(pm->state, RA_PM_REPAIRED);
    assert_ptr_equal(pm->rebuilt.event, &c.ev[2]);
    assert_string_equal(pm->rebuilt_ref, "infra-ci:latest");
    assert_null(pm->repaired_in);
    assert_int_equal(pm->repaired_at, APR(13, 9, 10));
    assert_int_equal(pm->end, APR(13, 9, 10));
    assert_int_equal(ra_postmortem_span(pm->start, pm->end), 107100); /* 1 d 5 h 45 min */
    ra_postmortem_free(pm);

    /* the run pushed before the newest snapshot that shows the tag broken: no repair */
    c.ev[2].time = APR(12, 23, 0);
    c.run[1].finished = APR(12, 23, 5);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->state, RA_PM_ONGOING);
    assert_null(pm->rebuilt.event);
    assert_int_equal(pm->end, APR(13, 6, 3)); /* the last failure, after the snapshot */
    ra_postmortem_free(pm);

    /* a successful run of the pipeline whose build-push step did not run: no repair */
    c.ev[2].time = APR(13, 9, 2);
    c.run[1].finished = APR(13, 9, 10);
    c.step[1].state = "skipped";
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->state, RA_PM_ONGOING);
    assert_null(pm->rebuilt.event);
    assert_null(pm->rebuilt_ref);
    ra_postmortem_free(pm);
    ci_release(&c);
    fix_inv_release(&f);
}

/* Two durations: latent from the start (the GC run at 03:25) to the first failure the
 * logs show, and the outage from that failure to the repair. A failed run counts when it
 * finished: #313 started at 06:02 but failed at 06:04, after the 404 of 06:03. */
static void test_latent_and_outage(void **state)
{
    struct fix_inv f;
    struct ci c;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 2);
    ci_init(&c, &f);
    c.run[0].finished = APR(13, 6, 4);
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->detected.event, &c.ev[1]); /* the 404, not the run's start */
    assert_int_equal(pm->outage_from, APR(13, 6, 3));
    assert_int_equal(ra_postmortem_latent(pm), 95880);  /* 1 d 2 h 38 min */
    assert_int_equal(ra_postmortem_outage(pm), 11220);  /* 3 h 7 min, to 09:10 */
    assert_ptr_equal(pm->last_failure.event, &c.ev[0]); /* it ended last, at 06:04 */
    ra_postmortem_free(pm);

    /* the run failed at 06:02:30, before the 404: it is the first failure */
    c.run[0].finished = APR(13, 6, 2) + 30;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->detected.event, &c.ev[0]);
    assert_int_equal(pm->outage_from, APR(13, 6, 2) + 30);
    assert_int_equal(ra_postmortem_outage(pm), 11220 + 30);
    ra_postmortem_free(pm);

    /* no failure in the logs: neither duration is known */
    f.inv.nlogs = 0;
    f.loss[0].first_404_event = NULL;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->outage_from, RA_TIME_NONE);
    assert_int_equal(ra_postmortem_latent(pm), -1);
    assert_int_equal(ra_postmortem_outage(pm), -1);
    ra_postmortem_free(pm);
    ci_release(&c);
    fix_inv_release(&f);
}

/* The 404s by client: address without its port and user agent, how many fell inside a
 * failed run (#313 runs 06:02 to 06:04), in order of each client's first request. */
static void test_clients(void **state)
{
    struct fix_inv f;
    struct ci c;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_log_event more[3];
    size_t i;

    (void)state;
    fix_init(&f, 2, 2);
    ci_init(&c, &f);
    c.run[0].finished = APR(13, 6, 4);
    c.ev[1].remote_addr = "10.20.0.11:45456";
    c.ev[1].user_agent = "skopeo/1.9.3";
    for (i = 0; i < 3; i++) {
        more[i] = c.ev[1];
        more[i].line = 40 + i;
        more[i].time = APR(13, 8, 24) + (ra_time)i * 120;
        more[i].remote_addr = i == 2 ? "[fd00::5]:39000" : "10.20.5.23:3900";
        ra_vec_push(&c.log.events, &more[i]);
    }
    more[1].time = APR(13, 6, 3) + 30; /* 10.20.5.23 again, during the run */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->failed_pulls, 4);
    assert_int_equal(pm->nclients, 3);
    assert_int_equal(pm->clients[0].addr_len, strlen("10.20.0.11"));
    assert_memory_equal(pm->clients[0].addr, "10.20.0.11", pm->clients[0].addr_len);
    assert_string_equal(pm->clients[0].agent, "skopeo/1.9.3");
    assert_int_equal(pm->clients[0].requests, 1);
    assert_int_equal(pm->clients[0].in_runs, 1);
    assert_memory_equal(pm->clients[1].addr, "10.20.5.23", pm->clients[1].addr_len);
    assert_int_equal(pm->clients[1].requests, 2);
    assert_int_equal(pm->clients[1].in_runs, 1); /* 06:03:30 yes, 08:24 no */
    assert_int_equal(pm->clients[1].first, APR(13, 6, 3) + 30);
    assert_int_equal(pm->clients[1].last, APR(13, 8, 24));
    assert_int_equal(pm->clients[2].addr_len, strlen("[fd00::5]"));
    assert_int_equal(pm->clients[2].in_runs, 0);
    ra_postmortem_free(pm);
    ci_release(&c);
    fix_inv_release(&f);
}

/* The first alert from the loss on that concerns the incident is the third measure of
 * detection; before the first failure it went well, after it (or without one) nothing
 * alerted in time. Alerts about other things are counted, not taken. */
static void test_first_alert(void **state)
{
    struct fix_inv f;
    struct ci c;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_log_event alert = {.kind = RA_LOG_ALERT,
                                 .time = APR(11, 0, 0),
                                 .line = 3,
                                 .message = "RegistryImageUnpullable",
                                 .level = ""};
    static const char *const labels[] = {"alertname", "ImageStale", "repository",
                                         "infra-ci"};
    struct ra_log_alert labelled = {"ImageStale", "", (const char **)labels, 2, NULL, 0};
    struct ra_log_event other = {.kind = RA_LOG_ALERT,
                                 .time = APR(13, 6, 30),
                                 .line = 4,
                                 .message = "DiskFull",
                                 .level = ""};

    (void)state;
    fix_init(&f, 2, 1);
    ci_init(&c, &f);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_null(pm->first_alert.event);
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_NO_ALERT));
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_ALERTED));
    ra_postmortem_free(pm);

    ra_vec_push(&c.log.events, &alert); /* before the loss: not this incident's */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_null(pm->first_alert.event);
    ra_postmortem_free(pm);

    alert.time = APR(13, 6, 0); /* before the first failure, 06:02 */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->first_alert.event, &alert);
    assert_string_equal(pm->first_alert.log, "ci.json");
    assert_ptr_equal(pm->detected.event, &c.ev[0]); /* detection is the first failure */
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_ALERTED));
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_NO_ALERT));
    ra_postmortem_free(pm);

    alert.time = APR(13, 7, 0); /* after it */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->first_alert.event, &alert);
    assert_false(ra_postmortem_lesson(pm, RA_PM_L_ALERTED));
    assert_true(ra_postmortem_lesson(pm, RA_PM_L_NO_ALERT));
    ra_postmortem_free(pm);

    /* an alert about something else, earlier, is no detection of this incident: it is
     * counted, and the registry's alert stays the first */
    ra_vec_push(&c.log.events, &other);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->first_alert.event, &alert);
    assert_int_equal(pm->other_alerts, 1);
    ra_postmortem_free(pm);
    alert.message = "HighCPU"; /* neither names the registry nor a lost repository */
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_null(pm->first_alert.event);
    assert_int_equal(pm->other_alerts, 2);
    ra_postmortem_free(pm);
    /* a label naming the repository of the tag a lost blob breaks (the blob's data
     * has no repository of its own) ties it to the incident */
    alert.alert = &labelled;
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_ptr_equal(pm->first_alert.event, &alert);
    assert_int_equal(pm->other_alerts, 1);
    ra_postmortem_free(pm);
    ci_release(&c);
    fix_inv_release(&f);
}

/* Nothing lost: no incident, no start, the focus is the week before the snapshots. */
static void test_no_incident(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};

    (void)state;
    fix_init(&f, 2, 0);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
    assert_int_equal(pm->state, RA_PM_NO_INCIDENT);
    assert_int_equal(pm->start, RA_TIME_NONE);
    assert_int_equal(pm->focus_from, APR(5, 1, 0));
    assert_int_equal(pm->focus_to, APR(13, 1, 0));
    assert_int_equal(pm->nplans, 1); /* the tag is broken, but no loss explains it */
    assert_int_equal(pm->plans[0].nrepairs, 0);
    assert_int_equal(pm->lessons, 0);
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

static struct ra_event role_ev(enum ra_event_kind k, ra_time t, ra_time until,
                               size_t count, const char *msg)
{
    return (struct ra_event){t, until, k, "src", msg, "", count, 0};
}

/* Which events of the period tell the story: the table's rows, the diagram's key events,
 * and what folds into a sentence (routine, or said elsewhere in the report). */
static void test_role(void **state)
{
    struct fix_inv f;
    struct ra_postmortem *pm = NULL;
    struct ra_err err = {0};
    struct ra_log_event le = {.kind = RA_LOG_PIPELINE, .time = APR(13, 6, 2)};
    struct ra_log_event alert = {.kind = RA_LOG_ALERT, .time = APR(14, 10, 0), .line = 5};
    struct ra_log_event l404 = {.kind = RA_LOG_HTTP_REQUEST, .time = APR(13, 8, 0)};
    struct ra_event e;

    (void)state;
    fix_init(&f, 2, 1); /* a loss 04-12 01:00..03:25:01 that breaks infra-ci:latest */
    f.firing[0] =
        (struct ra_firing){.time = APR(12, 3, 25), .job_id = "gc", .job_name = "gc"};
    f.firing[1] =
        (struct ra_firing){.time = APR(12, 2, 0), .job_id = "prune", .job_name = "prune"};
    suspect(&f, 0, 0, 0, RA_CONF_HIGH);
    suspect(&f, 0, 1, 1, RA_CONF_LOW);
    assert_int_equal(ra_postmortem_new(&pm, &f.inv, &err), 0);
#define ROLE(k, t, u, n, msg)                                                            \
    (e = role_ev(k, t, u, n, msg), ra_postmortem_role(pm, &f.inv, &e))
    /* the Evidence table lists snapshots; a loss row says what the storage diff took */
    assert_int_equal(ROLE(RA_EV_SNAPSHOT, APR(12, 1, 0), RA_TIME_NONE, 1, "snapshot"),
                     RA_PM_ROLE_REPEAT);
    assert_int_equal(ROLE(RA_EV_VANISHED, APR(12, 1, 0), APR(13, 1, 0), 1, "between"),
                     RA_PM_ROLE_REPEAT);
    assert_int_equal(ROLE(RA_EV_VANISHED, APR(6, 1, 0), APR(7, 1, 0), 1, "between"),
                     RA_PM_ROLE_ROW);
    assert_int_equal(ROLE(RA_EV_LOSS, APR(12, 1, 0), APR(12, 3, 25), 7, "7 objects"),
                     RA_PM_ROLE_KEY);
    assert_int_equal(ROLE(RA_EV_COMMIT, APR(10, 1, 0), RA_TIME_NONE, 1, "config"),
                     RA_PM_ROLE_KEY);
    /* pushes: the broken tag's is key, its manifests rows, others routine */
    assert_int_equal(ROLE(RA_EV_TAG_PUSHED, APR(11, 7, 45), RA_TIME_NONE, 1,
                          "infra-ci:latest pushed as sha256:e475600e8421"),
                     RA_PM_ROLE_KEY);
    assert_int_equal(ROLE(RA_EV_MANIFEST_PUSHED, APR(11, 7, 45), RA_TIME_NONE, 1,
                          "manifest sha256:010000000000 pushed to infra-ci"),
                     RA_PM_ROLE_ROW);
    assert_int_equal(ROLE(RA_EV_TAG_PUSHED, APR(8, 10, 0), RA_TIME_NONE, 1,
                          "tools/kubectl:1 pushed as sha256:bbbbbbbbbbbb"),
                     RA_PM_ROLE_ROUTINE);
    assert_int_equal(ROLE(RA_EV_BLOB_UPLOADED, APR(6, 0, 0), APR(6, 23, 59), 15, "blobs"),
                     RA_PM_ROLE_ROUTINE);
    /* runs: a job's over the period routine; inside the window key when suspected
     * medium or high, else a row */
    assert_int_equal(
        ROLE(RA_EV_FIRING, APR(5, 3, 25), APR(12, 3, 25), 2, "gc ran weekly"),
        RA_PM_ROLE_ROUTINE);
    assert_int_equal(ROLE(RA_EV_FIRING, APR(12, 3, 25), RA_TIME_NONE, 1, "gc ran"),
                     RA_PM_ROLE_KEY);
    assert_int_equal(ROLE(RA_EV_FIRING, APR(12, 2, 0), RA_TIME_NONE, 1, "prune ran"),
                     RA_PM_ROLE_ROW);
    /* log lines: routine folds; a day-only line is a row; without a sign every other
     * line is key, with one only those up to the first of each kind */
    e = role_ev(RA_EV_LOG, APR(13, 0, 0), APR(13, 23, 59), 11, "registry answered 404");
    e.routine = 1;
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROUTINE);
    assert_int_equal(ROLE(RA_EV_LOG, APR(12, 0, 0), APR(12, 23, 59), 1, "gc: 13 marked"),
                     RA_PM_ROLE_ROW);
    /* a garbage-collect log dated to the day whose day has one garbage-collect run: the
     * run's row says it; with two runs that day which one wrote it is not known: a row */
    f.inv.firings = f.firing;
    f.inv.nfirings = 2;
    f.firing[0].classes = RA_JOB_GARBAGE_COLLECT;
    e = role_ev(RA_EV_LOG, APR(12, 0, 0), APR(12, 23, 59), 1,
                "garbage-collect: 13 blobs marked, 12 blobs and 5 manifests eligible");
    assert_ptr_equal(ra_postmortem_gc_run_of(&f.inv, &e), &f.firing[0]);
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_REPEAT);
    f.firing[1].classes = RA_JOB_GARBAGE_COLLECT;
    assert_null(ra_postmortem_gc_run_of(&f.inv, &e));
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROW);
    f.firing[1].classes = 0;
    e.time = APR(13, 0, 0); /* no run that day */
    e.until = APR(13, 23, 59);
    assert_null(ra_postmortem_gc_run_of(&f.inv, &e));
    e = role_ev(RA_EV_LOG, APR(12, 3, 25), RA_TIME_NONE, 1, "garbage-collect: 1 blobs");
    assert_null(
        ra_postmortem_gc_run_of(&f.inv, &e)); /* an exact time: a line of its own */
    f.firing[0].classes = 0;
    assert_int_equal(ra_postmortem_first_sign(pm), RA_TIME_NONE);
    assert_int_equal(ROLE(RA_EV_LOG, APR(13, 7, 0), RA_TIME_NONE, 1, "pipeline #2"),
                     RA_PM_ROLE_KEY);
    /* the first signs, each key, and what came before the earliest; later lines rows */
    le.line = 556;
    pm->first_failed_pipeline = (struct ra_pm_event){&le, "ci.json"};
    pm->first_alert = (struct ra_pm_event){&alert, "alerts.log"};
    f.loss[0].first_404_event = &l404;
    f.loss[0].first_404.evidence = "access.log:15";
    assert_int_equal(ra_postmortem_first_sign(pm), APR(13, 6, 2));
    assert_int_equal(ROLE(RA_EV_LOG, APR(12, 9, 0), RA_TIME_NONE, 1, "API DELETE"),
                     RA_PM_ROLE_KEY);
    e = role_ev(RA_EV_LOG, APR(13, 6, 2), RA_TIME_NONE, 1, "pipeline #1 failure");
    e.evidence = "ci.json:556";
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_KEY);
    e = role_ev(RA_EV_LOG, APR(13, 7, 0), RA_TIME_NONE, 1, "pipeline #2 failure");
    e.evidence = "ci.json:457";
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROW);
    e = role_ev(RA_EV_LOG, APR(13, 8, 0), RA_TIME_NONE, 1, "first 404 for sha256:01");
    e.evidence = "access.log:15";
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_KEY);
    e.time = APR(13, 8, 1); /* another line at that evidence's place: not the first */
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROW);
    e = role_ev(RA_EV_LOG, APR(14, 10, 0), RA_TIME_NONE, 1, "alert fired");
    e.evidence = "alerts.log:5";
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_KEY);
    e.evidence = "alerts.log:6";
    assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROW);
    /* an alert that concerns neither the registry nor a lost repository is routine:
     * no row, not drawn (found by its log and line) */
    {
        struct ra_log alog = {.path = "alerts.log"};
        struct ra_log *logs[1] = {&alog};
        struct ra_log_event disk = {.kind = RA_LOG_ALERT,
                                    .time = APR(14, 10, 0),
                                    .line = 4,
                                    .message = "DiskFull",
                                    .level = ""};
        struct ra_log_event reg = {.kind = RA_LOG_ALERT,
                                   .time = APR(14, 10, 0),
                                   .line = 5,
                                   .message = "RegistryImageUnpullable",
                                   .level = ""};
        ra_vec_push(&alog.events, &disk);
        ra_vec_push(&alog.events, &reg);
        f.inv.logs = logs;
        f.inv.nlogs = 1;
        e = role_ev(RA_EV_LOG, APR(14, 10, 0), RA_TIME_NONE, 1, "alert DiskFull fired");
        e.evidence = "alerts.log:4";
        assert_true(ra_postmortem_alert_unrelated(&f.inv, &e));
        assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_ROUTINE);
        e.evidence = "alerts.log:5"; /* the registry's own: the first alert, key */
        assert_false(ra_postmortem_alert_unrelated(&f.inv, &e));
        assert_int_equal(ra_postmortem_role(pm, &f.inv, &e), RA_PM_ROLE_KEY);
        e.evidence = "other.log:4"; /* no such log line: judged as any log line */
        assert_false(ra_postmortem_alert_unrelated(&f.inv, &e));
        e = role_ev(RA_EV_LOG, APR(14, 10, 0), RA_TIME_NONE, 1, "pipeline #9 failure");
        e.evidence = "alerts.log:4"; /* not an alert's event */
        assert_false(ra_postmortem_alert_unrelated(&f.inv, &e));
        f.inv.logs = NULL;
        f.inv.nlogs = 0;
        ra_vec_release(&alog.events);
    }
#undef ROLE
    ra_postmortem_free(pm);
    fix_inv_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_span),
        cmocka_unit_test(test_earliest_bound_ongoing),
        cmocka_unit_test(test_suspect_start_repaired),
        cmocka_unit_test(test_exact_start),
        cmocka_unit_test(test_suspect_ranking),
        cmocka_unit_test(test_trigger),
        cmocka_unit_test(test_index_push),
        cmocka_unit_test(test_recycled),
        cmocka_unit_test(test_failures_and_rebuild),
        cmocka_unit_test(test_latent_and_outage),
        cmocka_unit_test(test_clients),
        cmocka_unit_test(test_first_alert),
        cmocka_unit_test(test_no_incident),
        cmocka_unit_test(test_role),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
