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
#include "config/jobs.h"
#include "model/graph.h"
#include "report/pm_internal.h"

/* 2026-04-<day>T<hh>:<mm>:00Z */
#define APR(day, hh, mm)                                                                 \
    (INT64_C(1775001600) + ((day)-1) * INT64_C(86400) + (hh)*3600 + (mm)*60)

struct pmfix {
    struct ra_investigation inv;
    struct ra_losses losses;
    struct ra_correlation corr;
    struct ra_loss loss[2];
    struct ra_cause cause[2];
    struct ra_suspect sus[2];
    struct ra_match match[2];
    struct ra_firing firing[2];
    struct ra_graph graph;
    struct ra_snapshot snap[3];
    struct ra_scan scan[3];
    struct ra_scan *scans[3];
    struct ra_registry_result reg[3];
    struct ra_registry_result *regs[3][1];
    struct ra_tag_result tag[3];
    struct ra_loss_tag latest; /* the tag every loss breaks: infra-ci:latest */
    struct ra_timeline timeline;
    struct ra_report_opts opts;
    struct ra_postmortem *pm;
    struct ra_pm_model m;
};

static inline void pmfix_init(struct pmfix *f, size_t nscans, size_t nloss)
{
    size_t i;

    memset(f, 0, sizeof(*f));
    f->graph.root = "";
    for (i = 0; i < 3; i++) {
        f->snap[i].name = i == 0 ? "snap-12" : i == 1 ? "snap-13" : "snap-14";
        f->snap[i].source = "/nonexistent/snap.tar";
        f->snap[i].taken_at = APR(12 + (int)i, 1, 0);
        f->tag[i].repository = "infra-ci";
        f->tag[i].tag = "latest";
        f->tag[i].resolves = 1;
        f->tag[i].pullable = i == 0;
        f->reg[i].graph = &f->graph;
        f->reg[i].tags = &f->tag[i];
        f->reg[i].ntags = 1;
        f->reg[i].unpullable = i != 0;
        f->regs[i][0] = &f->reg[i];
        f->scan[i].snap = &f->snap[i];
        f->scan[i].regs = f->regs[i];
        f->scan[i].nregs = 1;
        f->scans[i] = &f->scan[i];
    }
    f->latest = (struct ra_loss_tag){"infra-ci", "latest", "infra-ci:latest"};
    for (i = 0; i < nloss; i++) {
        struct ra_loss *l = &f->loss[i];
        l->object = RA_OBJ_BLOB;
        l->root = "";
        l->repository = "";
        l->digest.b[0] = (unsigned char)(i + 1);
        ra_vec_push(&l->tags, &f->latest);
        l->from.time = APR(12, 1, 0);
        l->from.evidence = "snap-12";
        l->to.time = APR(12, 3, 25) + 1;
        l->to.evidence = "blobs/sha256/01";
        l->first_missing = 1;
        l->last_present = 0;
        f->cause[i].loss = l;
        ra_vec_push(&f->losses.items, l);
        ra_vec_push(&f->corr.causes, &f->cause[i]);
    }
    f->losses.scans = f->scans;
    f->losses.nscans = nscans;
    f->corr.losses = &f->losses;
    f->inv.scans = f->scans;
    f->inv.nscans = nscans;
    f->inv.losses = &f->losses;
    f->inv.corr = &f->corr;
    f->inv.timeline = &f->timeline;
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
    size_t i;

    ra_postmortem_free(f->pm);
    ra_buf_release(&f->m.tmp);
    for (i = 0; i < 2; i++) {
        ra_vec_release(&f->loss[i].tags);
        ra_vec_release(&f->cause[i].suspects);
        ra_vec_release(&f->cause[i].matches);
    }
    ra_vec_release(&f->losses.items);
    ra_vec_release(&f->corr.causes);
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
