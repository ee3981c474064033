/* SPDX-License-Identifier: MIT */
/* The analysis and report tests' shared builders: see fixture_analysis.h. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "fixture_analysis.h"

struct ra_scan *fix_scan(const char *name, const char *source, ra_time taken,
                         struct ra_graph *const *graphs, size_t n,
                         const struct ra_pull_opts *popts)
{
    struct ra_pull_opts dflt = RA_PULL_OPTS_INIT;
    struct ra_scan *s = ra_xcalloc(1, sizeof(*s));
    struct ra_snapshot *snap = ra_xcalloc(1, sizeof(*snap));
    size_t i;

    snap->name = ra_xstrdup(name);
    snap->source = ra_xstrdup(source);
    snap->taken_at = taken;
    snap->taken_source = RA_TAKEN_NAME;
    snap->newest_mtime = snap->oldest_mtime = RA_TIME_NONE;
    snap->complete = 1;
    s->snap = snap;
    s->regs = ra_xcalloc(n + 1, sizeof(*s->regs));
    for (i = 0; i < n; i++) {
        ra_vec_push(&snap->graphs, graphs[i]);
        ra_pull_analyze(&s->regs[i], graphs[i], popts ? popts : &dflt);
        assert_non_null(s->regs[i]);
    }
    s->nregs = n;
    return s;
}

/* nscans snapshots (of 3) and nloss losses (of 2), wired into f->inv. */
void fix_inv_init(struct fix_inv *f, size_t nscans, size_t nloss)
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
}

void fix_inv_release(struct fix_inv *f)
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
