/* SPDX-License-Identifier: MIT */
/* config/sched/schedule_match: the jobs of one commit matched to the jobs of the
 * history: by content (a job keeps its id when a job of the same name is added above
 * it), by position (a changed schedule is a new version of the same job), new jobs get
 * a free id, and removed jobs a "removed" version. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "sched_fixture.h"
#include "config/sched/schedule_internal.h"
#include "util/map.h"

#define PATH "hosts/vm/crontab"
#define GC "/usr/local/bin/gc.sh"

static const struct ra_commit_info commits[] = {
    {"1111111111111111111111111111111111111111", 1000, "ann", "gc at three"},
    {"2222222222222222222222222222222222222222", 2000, "bob", "a dry run above"},
    {"3333333333333333333333333333333333333333", 3000, "cy", "gc at twenty past"},
    {"4444444444444444444444444444444444444444", 4000, "dee", "no dry run"},
};

static const char *const tabs[] = {
    "0 3 * * * " GC "\n",
    "# try it first\n0 1 * * * " GC " --dry-run\n0 3 * * * " GC "\n",
    "# try it first\n0 1 * * * " GC " --dry-run\n20 3 * * * " GC "\n",
    "20 3 * * * " GC "\n",
};

/* Read commit i into s, as the schedule does commit after commit. */
static void read_commit(struct ra_schedule *s, struct ra_map *index, size_t i)
{
    struct ra_jobs_file f = {PATH, tabs[i], strlen(tabs[i])};
    struct ra_jobs *jobs = NULL;
    struct ra_err err = {0};

    assert_int_equal(ra_jobs_scan(&jobs, &f, 1, &err), 0);
    ra_vec_push(&s->results, jobs); /* freed with the schedule */
    ra_vec_push(&s->commits, (void *)&commits[i]);
    ra_schedule_match(s, index, i ? &commits[i - 1] : NULL, &commits[i], jobs);
}

static void test_schedule_match__history(void **state)
{
    struct ra_schedule *s = calloc(1, sizeof(*s));
    struct ra_map index = RA_MAP_INIT;
    const struct ra_sched_job *gc, *dry;
    size_t i;

    (void)state;
    assert_non_null(s);
    for (i = 0; i < RA_ARRAY_SIZE(commits); i++)
        read_commit(s, &index, i);
    assert_int_equal(s->jobs.len, 2);

    /* the job of the first commit keeps its id, though the scanner calls it "#2" once
     * the dry run is above it */
    gc = sched_job(s, "crontab:" PATH ":gc.sh");
    assert_int_equal(gc->versions.len, 2);
    assert_ptr_equal(sched_version(gc, 0)->commit, &commits[0]);
    assert_string_equal(sched_version(gc, 0)->change, "added");
    assert_ptr_equal(sched_version(gc, 1)->commit, &commits[2]);
    assert_string_equal(sched_version(gc, 1)->change,
                        "schedule '0 3 * * *' -> '20 3 * * *'");
    assert_string_equal(gc->last->schedule, "20 3 * * *");
    assert_int_equal(gc->last->line, 1);
    assert_ptr_equal(gc->last_commit, &commits[3]);

    dry = sched_job(s, "crontab:" PATH ":gc.sh#2");
    assert_int_equal(dry->versions.len, 2);
    assert_ptr_equal(sched_version(dry, 0)->commit, &commits[1]);
    assert_string_equal(sched_version(dry, 0)->change, "added");
    assert_ptr_equal(sched_version(dry, 1)->commit, &commits[3]);
    assert_null(sched_version(dry, 1)->job);
    assert_string_equal(sched_version(dry, 1)->change, "removed");

    ra_map_release(&index);
    ra_schedule_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_match__history),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
