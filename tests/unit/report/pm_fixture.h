/* SPDX-License-Identifier: MIT */
/* A hand-built investigation for the post-mortem sections' tests (test_pm_*.c): one
 * registry root "" with infra-ci:latest, snapshots on the 12th (pulls) and 13th (does
 * not), losses of blobs between 01:00 and 03:25:01 on the 12th, and the model the
 * sections are given (report/pm_internal.h) over ra_postmortem's decisions. */
#ifndef RA_TESTS_PM_FIXTURE_H
#define RA_TESTS_PM_FIXTURE_H

#include <string.h>

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "report/pm_internal.h"

#include "fixture_analysis.h"

struct pmfix {
    union {
        struct fix_inv base;
        struct {
            FIX_INV_MEMBERS
        };
    };
    struct ra_report_opts opts;
    struct ra_postmortem *pm;
    struct ra_pm_model m;
};

static inline void pmfix_init(struct pmfix *f, size_t nscans, size_t nloss)
{
    memset(f, 0, sizeof(*f));
    fix_inv_init(&f->base, nscans, nloss);
    f->opts = (struct ra_report_opts)RA_REPORT_OPTS_INIT;
}

/* The garbage-collect run at 03:25 suspected (rated c) of every loss, with the 2.x
 * index-children fingerprint. */
static inline void pmfix_gc(struct pmfix *f, enum ra_confidence c)
{
    size_t i;

    f->firing[0] = (struct ra_firing){.time = APR(12, 3, 25),
                                      .job_id = "cron:etc/cron.d/registry-gc:gc",
                                      .job_name = "registry garbage-collect",
                                      .classes = RA_JOB_GARBAGE_COLLECT,
                                      .delete_untagged = 1,
                                      .registry_version = "2",
                                      .version_floating = 1,
                                      .defined_in = "etc/cron.d/registry-gc:8",
                                      .commit = "a1e4392215f7"};
    f->inv.firings = f->firing;
    f->inv.nfirings = 1;
    f->sus[0] = (struct ra_suspect){&f->firing[0], c, "ran in the window"};
    f->match[0] = (struct ra_match){RA_FP_GC_V2_INDEX_CHILDREN, "an index child is gone"};
    for (i = 0; i < f->corr.causes.len; i++) {
        ra_vec_push(&f->cause[i].suspects, &f->sus[0]);
        ra_vec_push(&f->cause[i].matches, &f->match[0]);
    }
}

/* Decide, and set up the model the sections get. */
static inline void pmfix_decide(struct pmfix *f)
{
    struct ra_err err = {0};

    ra_postmortem_new(&f->pm, &f->inv, &err);
    f->m = (struct ra_pm_model){&f->inv, &f->opts, f->pm, f->pm->newest, RA_BUF_INIT};
}

static inline void pmfix_release(struct pmfix *f)
{
    ra_postmortem_free(f->pm);
    ra_buf_release(&f->m.tmp);
    fix_inv_release(&f->base);
}

/* o at a dotted path ("duration.span.text"), as a string; NULL when absent. */
static inline const char *pm_str(json_t *o, const char *path)
{
    char key[64];
    const char *dot;

    while ((dot = strchr(path, '.'))) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        o = json_object_get(o, key);
        path = dot + 1;
    }
    return json_string_value(json_object_get(o, path));
}

#endif
