/* SPDX-License-Identifier: MIT */
/* Bisect over snapshot specs: order them by time, read only those the search asks
 * for (a full scan each), judge the target in each. */
#include "analysis/bisect.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

struct run {
    struct ra_bisect_result *res;
    const struct ra_bisect_target *target;
    const struct ra_bisect_opts *opts;
};

/* A snapshot without a registry root, or one that broke off before the target was
 * seen, says nothing about the target: skipped as unreadable. */
static int unjudged(struct ra_bisect_snap *bs, const struct ra_scan *s, int good)
{
    struct ra_buf msg = RA_BUF_INIT;

    if (!s->nregs)
        ra_buf_printf(&msg,
                      "'%s': no registry root (docker/registry/v2) found in %llu members",
                      bs->spec->path, (unsigned long long)s->snap->entries);
    else if (!good && !s->snap->complete)
        ra_buf_printf(&msg, "%s; the target is not judged on a part",
                      s->snap->read_error ? s->snap->read_error : "read stopped early");
    else
        return 0;
    bs->error = ra_xstrdup(ra_buf_cstr(&msg));
    bs->reason = NULL;
    ra_buf_release(&msg);
    return RA_EFORMAT;
}

/* Scan a snapshot for the target: an archive whole, a directory in rounds that walk
 * only the folders the target is known to need, until a round finds no new one. */
static int scan_for(struct ra_scan **out, struct ra_bisect_snap *bs,
                    struct ra_snapshot_opts *sopts, const struct ra_bisect_target *t,
                    struct ra_err *err)
{
    struct ra_bisect_paths paths;
    int rc = 0;

    if (!ra_source_is_dir(bs->spec->path)) {
        rc = ra_scan_run(out, bs->spec, sopts, err);
        bs->entries = rc < 0 ? 0 : (*out)->snap->entries;
        return rc;
    }
    ra_bisect_paths_init(&paths, t);
    sopts->dir_filter = ra_bisect_dir_filter;
    sopts->filter_payload = &paths;
    for (;;) {
        if ((rc = ra_scan_run(out, bs->spec, sopts, err)) < 0)
            break;
        bs->rounds++;
        bs->entries += (*out)->snap->entries;
        if (!ra_bisect_paths_grow(&paths, *out) || bs->rounds >= 8)
            break;
        ra_scan_free(*out);
        *out = NULL;
    }
    ra_bisect_paths_release(&paths);
    return rc;
}

static int probe(int *good, size_t i, void *payload)
{
    struct run *run = payload;
    struct ra_bisect_snap *bs = &run->res->snaps[i];
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s = NULL;
    const char *root = NULL;
    int rc;

    sopts.verify = run->opts->verify;
    if (run->opts->progress_for) {
        sopts.progress_cb = run->opts->progress_for(bs->spec->name, i, run->res->search.n,
                                                    run->opts->progress_payload);
        sopts.progress_payload = run->opts->progress_payload;
    }
    rc = scan_for(&s, bs, &sopts, run->target, &err);
    if (run->opts->progress_done)
        run->opts->progress_done(run->opts->progress_payload);
    if (rc < 0) {
        bs->error = ra_xstrdup(err.msg);
        return rc;
    }
    bs->taken_at = s->snap->taken_at;
    bs->taken_source = s->snap->taken_source;
    ra_bisect_judge(good, &bs->reason, &root, s, run->target);
    bs->root = root ? ra_xstrdup(root) : NULL;
    rc = unjudged(bs, s, *good);
    ra_scan_free(s);
    return rc;
}

static int cmp_snap(const void *a, const void *b)
{
    const struct ra_bisect_snap *x = a, *y = b;

    if (x->taken_at != y->taken_at)
        return x->taken_at < y->taken_at ? -1 : 1;
    return x->arg < y->arg ? -1 : x->arg > y->arg; /* stable: argument order */
}

void ra_bisect_specs(struct ra_bisect_result **out, struct ra_snapshot_spec *const *specs,
                     size_t n, const char *target_arg,
                     const struct ra_bisect_target *target,
                     const struct ra_bisect_opts *opts)
{
    struct ra_bisect_result *r = ra_xcalloc(1, sizeof(*r));
    struct run run = {r, target, opts};
    size_t i;

    r->target = target_arg;
    r->snaps = ra_xcalloc(n ? n : 1, sizeof(*r->snaps));
    r->ordered_by_time = 1;
    for (i = 0; i < n; i++) {
        r->snaps[i].spec = specs[i];
        r->snaps[i].arg = i;
        r->snaps[i].taken_at = specs[i]->taken_at;
        r->snaps[i].taken_source = specs[i]->taken_source;
        if (specs[i]->taken_at == RA_TIME_NONE)
            r->ordered_by_time = 0;
    }
    if (r->ordered_by_time)
        qsort(r->snaps, n, sizeof(*r->snaps), cmp_snap);
    ra_bisect_run(&r->search, n, probe, &run);
    *out = r;
}

void ra_bisect_result_free(struct ra_bisect_result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->search.n; i++) {
        free(r->snaps[i].root);
        free(r->snaps[i].error);
    }
    free(r->snaps);
    ra_bisect_release(&r->search);
    free(r);
}
