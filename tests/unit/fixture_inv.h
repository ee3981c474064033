/* SPDX-License-Identifier: MIT */
/* A hand-built investigation (analysis/investigate.h) for the tests of what reads one:
 * ra_postmortem (analysis/test_postmortem.c) and the post-mortem sections
 * (report/pm_fixture.h). One registry root "" with infra-ci:latest, snapshots on the
 * 12th (pulls), 13th and 14th (do not) at 01:00, losses of blobs between 01:00 and
 * 03:25:01 on the 12th. Header-only: it needs the analysis layer, which fixture.c, built
 * for every unit test above util/, must not. */
#ifndef RA_TESTS_FIXTURE_INV_H
#define RA_TESTS_FIXTURE_INV_H

#include <string.h>

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "model/graph.h"

#include "fixture.h"

/* The members, so that a test's own fixture can hold them in an anonymous struct. */
#define FIX_INV_MEMBERS                                                                  \
    struct ra_investigation inv;                                                         \
    struct ra_losses losses;                                                             \
    struct ra_correlation corr;                                                          \
    struct ra_loss loss[2];                                                              \
    struct ra_cause cause[2];                                                            \
    struct ra_suspect sus[3];                                                            \
    struct ra_match match[2];                                                            \
    struct ra_firing firing[2];                                                          \
    struct ra_graph graph;                                                               \
    struct ra_snapshot snap[3];                                                          \
    struct ra_scan scan[3];                                                              \
    struct ra_scan *scans[3];                                                            \
    struct ra_registry_result reg[3];                                                    \
    struct ra_registry_result *regs[3][1];                                               \
    struct ra_tag_result tag[3];                                                         \
    struct ra_timeline timeline;

struct fix_inv {
    FIX_INV_MEMBERS
};

/* nscans snapshots (of 3) and nloss losses (of 2), wired into f->inv. */
static inline void fix_inv_init(struct fix_inv *f, size_t nscans, size_t nloss)
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
    for (i = 0; i < nloss; i++) {
        struct ra_loss *l = &f->loss[i];
        l->object = RA_OBJ_BLOB;
        l->root = "";
        l->repository = "";
        l->digest.b[0] = (unsigned char)(i + 1);
        ra_vec_push(&l->tags, "infra-ci:latest");
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
}

static inline void fix_inv_release(struct fix_inv *f)
{
    size_t i;

    for (i = 0; i < 2; i++) {
        ra_vec_release(&f->loss[i].tags);
        ra_vec_release(&f->cause[i].suspects);
        ra_vec_release(&f->cause[i].matches);
    }
    ra_vec_release(&f->losses.items);
    ra_vec_release(&f->corr.causes);
}

#endif
