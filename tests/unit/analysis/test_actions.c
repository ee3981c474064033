/* SPDX-License-Identifier: MIT */
/* analysis/actions: which action items the evidence calls for and their priority —
 * bring the tags back while the incident lasts, the 2.x -m item from the index-children
 * pattern, read-only GC at P0 only for the race, the probe at P0 when nothing showed
 * the damage within a day — ordered by priority; open without a config repository. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/actions.h"
#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "analysis/postmortem.h"
#include "analysis/pull.h"
#include "analysis/scan.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"

#define T0 INT64_C(1775964300) /* 2026-04-12T03:25:00Z */

struct fix {
    struct ra_postmortem pm;
    struct ra_investigation inv;
    struct ra_log_event sign;
    struct ra_action out[RA_ACT__COUNT];
};

/* An ongoing incident of 2.x garbage-collect -m: the fingerprints of the sample. */
static void fix_init(struct fix *f)
{
    memset(f, 0, sizeof(*f));
    f->pm.state = RA_PM_ONGOING;
    f->pm.start = T0;
    f->pm.loss_from = T0 - 3 * 3600;
    f->pm.v2_children = 1;
    f->pm.floating_gc = 1;
    f->pm.fingerprints =
        1u << RA_FP_GC_V2_INDEX_CHILDREN | 1u << RA_FP_GC_SWEEP | 1u << RA_FP_GC_LOG;
    f->sign.kind = RA_LOG_PIPELINE;
}

static size_t decide(struct fix *f)
{
    return ra_actions_decide(f->out, &f->pm, &f->inv);
}

static void test_actions__sample(void **state)
{
    struct fix f;

    (void)state;
    fix_init(&f);
    f.sign.time = T0 + 26 * 3600 + 37 * 60; /* the first failure, 1 d 2 h 37 min on */
    f.pm.detected = (struct ra_pm_event){&f.sign, "ci.json"};
    assert_int_equal(decide(&f), 5);
    assert_int_equal(f.out[0].kind, RA_ACT_BRING_BACK);
    assert_int_equal(f.out[0].priority, 0);
    assert_int_equal(f.out[1].kind, RA_ACT_STOP_GC_UNTAGGED);
    assert_int_equal(f.out[1].priority, 0);
    assert_null(f.out[1].done_by);                 /* no config repository */
    assert_int_equal(f.out[2].kind, RA_ACT_PROBE); /* seen only after a day */
    assert_int_equal(f.out[2].priority, 0);
    assert_int_equal(f.out[3].kind, RA_ACT_PIN_IMAGE);
    assert_int_equal(f.out[3].priority, 1);
    assert_int_equal(f.out[4].kind, RA_ACT_GC_READONLY);
    assert_int_equal(f.out[4].priority, 1);
    assert_string_equal(ra_action_kind_name(f.out[4].kind), "gc_readonly");
}

/* Seen within a day (a failure, or an alert before it): the probe is P1; repaired: no
 * item to bring the tags back. */
static void test_actions__seen_soon(void **state)
{
    struct fix f;
    struct ra_log_event alert = {.kind = RA_LOG_ALERT, .time = T0 + 3600};

    (void)state;
    fix_init(&f);
    f.pm.state = RA_PM_REPAIRED;
    f.sign.time = T0 + 20 * 3600;
    f.pm.detected = (struct ra_pm_event){&f.sign, "ci.json"};
    assert_int_equal(decide(&f), 4);
    assert_int_equal(f.out[0].kind, RA_ACT_STOP_GC_UNTAGGED);
    assert_int_equal(f.out[1].kind, RA_ACT_PIN_IMAGE);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 1);
    /* the failure a week later, an alert after an hour */
    f.sign.time = T0 + 7 * 86400;
    f.pm.first_alert = (struct ra_pm_event){&alert, "alerts.jsonl"};
    decide(&f);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 1);
    /* nothing logged at all */
    f.pm.first_alert.event = NULL;
    f.pm.detected.event = NULL;
    decide(&f);
    assert_int_equal(f.out[1].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[1].priority, 0);
}

/* The GC race makes read-only GC P0; tag pruning and API deletes are P0, files lost
 * without a collector P2; nothing lost leaves only the probe, at P1. */
static void test_actions__fingerprints(void **state)
{
    struct fix f;

    (void)state;
    fix_init(&f);
    f.pm.state = RA_PM_REPAIRED;
    f.pm.v2_children = 0;
    f.pm.floating_gc = 0;
    f.pm.fingerprints = 1u << RA_FP_GC_RACE | 1u << RA_FP_TAG_PRUNE |
                        1u << RA_FP_API_DELETE | 1u << RA_FP_LOST_FILES;
    assert_int_equal(decide(&f), 5);
    assert_int_equal(f.out[0].kind, RA_ACT_GC_READONLY);
    assert_int_equal(f.out[0].priority, 0);
    assert_int_equal(f.out[1].kind, RA_ACT_PRUNE_API);
    assert_int_equal(f.out[2].kind, RA_ACT_RESTRICT_DELETE);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 0);
    assert_int_equal(f.out[4].kind, RA_ACT_VERIFY_RESTORES);
    assert_int_equal(f.out[4].priority, 2);

    memset(&f.pm, 0, sizeof(f.pm));
    f.pm.state = RA_PM_NO_INCIDENT;
    assert_int_equal(decide(&f), 1);
    assert_int_equal(f.out[0].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[0].priority, 1);
}

/* A config repository whose probe job was added before the incident as a `skopeo
 * inspect` of infra-ci:latest (its index only) and changed by a later commit to a
 * `skopeo copy --all`; the newest scan has infra-ci:latest broken below its index. */
struct probe_fix {
    struct ra_commit_info added, deepened;
    struct ra_job inspect, copy_all;
    struct ra_job_version v[2];
    struct ra_sched_job job;
    struct ra_schedule sched;
    struct ra_platform_result plats[1];
    struct ra_tag_result tag;
    struct ra_registry_result reg;
    struct ra_registry_result *regs[1];
    struct ra_scan scan;
};

static void probe_job(struct ra_job *j, const char *command)
{
    j->id = "crontab:hosts/registry-vm/crontab:probe";
    j->name = "probe";
    j->path = "hosts/registry-vm/crontab";
    j->line = 11;
    j->schedule = "*/15 * * * *";
    j->command = command;
    j->classes = RA_JOB_PROBE;
}

static void probe_fix_init(struct probe_fix *p, struct fix *f)
{
    memset(p, 0, sizeof(*p));
    memcpy(p->added.id, "1111111111111111111111111111111111111111", 41);
    p->added.time = T0 - 30 * 86400;
    p->added.summary = "probe: check infra-ci:latest every 15 minutes";
    memcpy(p->deepened.id, "2222222222222222222222222222222222222222", 41);
    p->deepened.time = T0 + 3 * 86400;
    p->deepened.summary = "probe: copy every platform, not only the index";
    probe_job(&p->inspect, "skopeo inspect --raw docker://registry:5000/infra-ci:latest");
    probe_job(&p->copy_all,
              "skopeo copy --all docker://registry:5000/infra-ci:latest dir:/tmp/p");
    p->v[0] = (struct ra_job_version){&p->added, &p->inspect, "added"};
    p->v[1] = (struct ra_job_version){&p->deepened, &p->copy_all, "command"};
    p->job.id = p->inspect.id;
    ra_vec_push(&p->job.versions, &p->v[0]);
    ra_vec_push(&p->job.versions, &p->v[1]);
    p->job.last = &p->copy_all;
    ra_vec_push(&p->sched.jobs, &p->job);
    p->plats[0] = (struct ra_platform_result){.platform = "linux/amd64",
                                              .reason = RA_F_INDEX_CHILD_MISSING};
    p->tag = (struct ra_tag_result){.repository = "infra-ci",
                                    .tag = "latest",
                                    .resolves = 1,
                                    .is_index = 1,
                                    .reason = RA_F_INDEX_CHILD_MISSING,
                                    .platforms = p->plats,
                                    .nplatforms = 1};
    p->reg.tags = &p->tag;
    p->reg.ntags = 1;
    p->reg.unpullable = 1;
    p->regs[0] = &p->reg;
    p->scan.regs = p->regs;
    p->scan.nregs = 1;
    f->inv.schedule = &p->sched;
    f->pm.newest = &p->scan;
}

static void probe_fix_release(struct probe_fix *p)
{
    ra_vec_release(&p->job.versions);
    ra_vec_release(&p->sched.jobs);
}

static const struct ra_action *find(const struct fix *f, size_t n, enum ra_action_kind k)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (f->out[i].kind == k)
            return &f->out[i];
    fail_msg("no action %s", ra_action_kind_name(k));
    return NULL;
}

/* A probe at the config's head that copies every platform (`skopeo copy --all`) would
 * have seen this damage: the item is done, in the commit that made it so. */
static void test_actions__probe_done(void **state)
{
    struct fix f;
    struct probe_fix p;
    const struct ra_action *a;

    (void)state;
    fix_init(&f);
    probe_fix_init(&p, &f);
    a = find(&f, decide(&f), RA_ACT_PROBE);
    assert_ptr_equal(a->done_by, &p.deepened);
    assert_string_equal(a->done_by->summary,
                        "probe: copy every platform, not only the index");
    assert_int_equal(a->priority, 0); /* the probe in effect then saw nothing */
    /* the probe copied every platform from the start: done since that commit */
    p.v[0].job = &p.copy_all;
    a = find(&f, decide(&f), RA_ACT_PROBE);
    assert_ptr_equal(a->done_by, &p.added);
    assert_int_equal(a->priority, 1); /* it would have caught it */
    /* without a config repository nothing is done */
    f.inv.schedule = NULL;
    a = find(&f, decide(&f), RA_ACT_PROBE);
    assert_null(a->done_by);
    probe_fix_release(&p);
}

/* A probe that only inspects the tag (the sample's `skopeo inspect --raw`), one that
 * the head disabled, or one of a tag that still pulls leaves the item open. */
static void test_actions__probe_open(void **state)
{
    struct fix f;
    struct probe_fix p;
    const struct ra_action *a;

    (void)state;
    fix_init(&f);
    probe_fix_init(&p, &f);
    p.v[1].job = &p.inspect;
    a = find(&f, decide(&f), RA_ACT_PROBE);
    assert_null(a->done_by);
    assert_int_equal(a->priority, 0);
    p.v[1].job = &p.copy_all;
    p.copy_all.disabled = 1;
    assert_null(find(&f, decide(&f), RA_ACT_PROBE)->done_by);
    p.copy_all.disabled = 0;
    p.v[1].job = NULL; /* the head removed the job */
    assert_null(find(&f, decide(&f), RA_ACT_PROBE)->done_by);
    p.v[1].job = &p.copy_all;
    p.copy_all.command = "skopeo copy --all docker://registry:5000/base:12 dir:/tmp/p";
    assert_null(find(&f, decide(&f), RA_ACT_PROBE)->done_by);
    probe_fix_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actions__sample),
        cmocka_unit_test(test_actions__seen_soon),
        cmocka_unit_test(test_actions__fingerprints),
        cmocka_unit_test(test_actions__probe_done),
        cmocka_unit_test(test_actions__probe_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
