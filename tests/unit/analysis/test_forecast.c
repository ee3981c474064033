/* SPDX-License-Identifier: MIT */
/* analysis/forecast: the config as it is now decides the forecast. A garbage-collect job
 * that ran with -m during the incident and lost it in a later commit, and a floating
 * registry:2 pinned to 2.8.3 in that commit: the head's options, the changes since the
 * losses (oldest first) and the commit that fulfils each action item. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/forecast.h"

static ra_time T(const char *s)
{
    ra_time t;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

struct fixture {
    struct ra_commit_info c1, c2, c3;
    struct ra_job gc_m, gc, prune;
    struct ra_job_version g1, g2, p1;
    struct ra_sched_job gcjob, prunejob;
    struct ra_registry_image reg2, reg283;
    struct ra_image_version i1, i3;
    struct ra_schedule s;
};

static struct fixture F;

static void setup_schedule(int drop_m, int pin)
{
    memset(&F, 0, sizeof(F));
    memcpy(F.c1.id, "a1e4392215f7aaaaaaaaaaaaaaaaaaaaaaaaaaaa", 41);
    F.c1.time = T("2026-04-03T11:27:00Z");
    F.c1.summary = "registry-gc: also remove untagged manifests";
    memcpy(F.c2.id, "537807c00000bbbbbbbbbbbbbbbbbbbbbbbbbbbb", 41);
    F.c2.time = T("2026-04-09T09:41:00Z");
    F.c2.summary = "cleanup-tags: keep 14 days";
    memcpy(F.c3.id, "22f685e9e064cccccccccccccccccccccccccccc", 41);
    F.c3.time = T("2026-04-21T13:22:00Z");
    F.c3.summary = "fix: stop -m on 2.x GC, pin registry";

    F.gc_m.id = F.gc.id =
        "crond:hosts/registry-vm/etc/cron.d/registry-gc:registry garbage-collect";
    F.gc_m.name = F.gc.name = "registry garbage-collect";
    F.gc_m.classes = F.gc.classes = RA_JOB_GARBAGE_COLLECT;
    F.gc_m.gc.delete_untagged = 1;
    F.gc.gc.delete_untagged = !drop_m;
    F.prune.id = "crontab:hosts/registry-vm/crontab:cleanup-tags.sh";
    F.prune.name = "cleanup-tags.sh";
    F.prune.classes = RA_JOB_TAG_PRUNE;

    F.g1 = (struct ra_job_version){&F.c1, &F.gc_m,
                                   "garbage-collect gains --delete-untagged"};
    F.g2 = (struct ra_job_version){&F.c3, &F.gc, "drops --delete-untagged"};
    F.p1 = (struct ra_job_version){&F.c2, &F.prune, "command changed"};
    F.gcjob.id = F.gc.id;
    ra_vec_push(&F.gcjob.versions, &F.g1);
    ra_vec_push(&F.gcjob.versions, &F.g2);
    F.prunejob.id = F.prune.id;
    ra_vec_push(&F.prunejob.versions, &F.p1);
    ra_vec_push(&F.s.jobs, &F.gcjob);
    ra_vec_push(&F.s.jobs, &F.prunejob);

    F.reg2 = (struct ra_registry_image){.image = "registry:2",
                                        .version = "2",
                                        .floating = 1,
                                        .path = "compose.yml",
                                        .line = 4};
    F.reg283 = (struct ra_registry_image){.image = pin ? "registry:2.8.3" : "registry:2",
                                          .version = pin ? "2.8.3" : "2",
                                          .floating = !pin,
                                          .path = "compose.yml",
                                          .line = 4};
    F.i1 = (struct ra_image_version){&F.c1, &F.reg2, 1, "added"};
    F.i3 =
        (struct ra_image_version){&F.c3, &F.reg283, !pin, "registry:2 -> registry:2.8.3"};
    ra_vec_push(&F.s.images, &F.i1);
    ra_vec_push(&F.s.images, &F.i3);
}

static void teardown_schedule(void)
{
    ra_vec_release(&F.gcjob.versions);
    ra_vec_release(&F.prunejob.versions);
    ra_vec_release(&F.s.jobs);
    ra_vec_release(&F.s.images);
}

static void test_forecast__head_gc(void **state)
{
    struct ra_gc_opts gc = {.version = RA_GC_V2, .delete_untagged = 1};

    (void)state;
    setup_schedule(1, 1);
    assert_int_equal(ra_forecast_head_gc(&gc, &F.s, F.gc.id), 1);
    assert_int_equal(gc.delete_untagged, 0);
    assert_int_equal(gc.version, RA_GC_V2);
    gc.delete_untagged = 1;
    assert_int_equal(ra_forecast_head_gc(&gc, &F.s, "no:such:job"), 0);
    assert_int_equal(gc.delete_untagged, 1);
    assert_int_equal(ra_forecast_head_gc(&gc, NULL, F.gc.id), 0);
    F.gc.disabled = 1; /* commented out at the head: no forecast from it */
    assert_int_equal(ra_forecast_head_gc(&gc, &F.s, F.gc.id), 0);
    teardown_schedule();
}

static void test_forecast__changes(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    const struct ra_config_change *c;

    (void)state;
    setup_schedule(1, 1);
    ra_forecast_changes(&v, &pool, &F.s, T("2026-04-12T01:00:00Z"));
    assert_int_equal(v.len, 2);
    c = v.items[0];
    assert_string_equal(c->what, "registry garbage-collect");
    assert_string_equal(c->change, "drops --delete-untagged");
    assert_ptr_equal(c->commit, &F.c3);
    c = v.items[1];
    assert_string_equal(c->what, "registry image");
    assert_string_equal(c->change, "registry:2 -> registry:2.8.3");
    ra_vec_release(&v);
    /* from before the prune change: three, oldest first */
    ra_forecast_changes(&v, &pool, &F.s, T("2026-04-05T00:00:00Z"));
    assert_int_equal(v.len, 3);
    assert_string_equal(((const struct ra_config_change *)v.items[0])->what,
                        "cleanup-tags.sh");
    ra_vec_release(&v);
    ra_pool_release(&pool);
    teardown_schedule();
}

static void test_forecast__fulfilled(void **state)
{
    ra_time since = T("2026-04-12T01:00:00Z");

    (void)state;
    setup_schedule(1, 1);
    assert_ptr_equal(ra_forecast_untagged_dropped_by(&F.s, since), &F.c3);
    assert_ptr_equal(ra_forecast_image_pinned_by(&F.s, since), &F.c3);
    /* after the fix: nothing to credit */
    assert_null(ra_forecast_untagged_dropped_by(&F.s, T("2026-04-22T00:00:00Z")));
    assert_null(ra_forecast_image_pinned_by(&F.s, T("2026-04-22T00:00:00Z")));
    teardown_schedule();
    setup_schedule(0, 0); /* the head still runs -m on a floating image */
    assert_null(ra_forecast_untagged_dropped_by(&F.s, since));
    assert_null(ra_forecast_image_pinned_by(&F.s, since));
    teardown_schedule();
}

static void test_forecast__retired(void **state)
{
    struct ra_job_version removed;

    (void)state;
    setup_schedule(1, 1);
    assert_null(ra_forecast_retired_by(&F.gcjob));
    assert_ptr_equal(ra_forecast_defining(&F.gcjob), &F.g2);
    F.gc.disabled = 1; /* commented out in the newest version */
    assert_ptr_equal(ra_forecast_retired_by(&F.gcjob), &F.g2);
    F.gc_m.disabled = 1; /* and already in the one before: the first of the run did it */
    assert_ptr_equal(ra_forecast_retired_by(&F.gcjob), &F.g1);
    removed = (struct ra_job_version){&F.c3, NULL, "removed"};
    ra_vec_push(&F.prunejob.versions, &removed);
    assert_ptr_equal(ra_forecast_retired_by(&F.prunejob), &removed);
    assert_ptr_equal(ra_forecast_defining(&F.prunejob), &F.p1);
    teardown_schedule();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast__head_gc),
        cmocka_unit_test(test_forecast__changes),
        cmocka_unit_test(test_forecast__fulfilled),
        cmocka_unit_test(test_forecast__retired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
