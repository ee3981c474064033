/* SPDX-License-Identifier: MIT */
/* Correlation by simulated garbage-collects: every GC variant run on the last snapshot
 * that had a lost object, where a GC with --delete-untagged aborts, and what that says
 * of a garbage-collect firing. */
#include "analysis/correlate_internal.h"

#include <stdlib.h>

#include "analysis/gcsim.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "model/storage_path.h"
#include "util/buf.h"

/* The four GC variants, simulated on the last snapshot that had the object. */
enum { V2_M, V2, V3_M, V3, NVARIANTS };

struct sim {
    const struct ra_graph *g;
    struct ra_gc_result *r[NVARIANTS];
    /* V2_M and V3_M as if the tags folder entries they abort on were gone, or NULL */
    struct ra_gc_result *clean[NVARIANTS];
};

struct stop {
    const struct ra_graph *g;
    const char *path; /* NULL: it runs */
};

static const char *variant_name(int v)
{
    static const char *const names[] = {"Distribution 2.x with --delete-untagged",
                                        "Distribution 2.x",
                                        "Distribution 3.x with "
                                        "--delete-untagged",
                                        "Distribution 3.x"};
    return names[v];
}

static struct sim *sim_for(struct ra_corr *c, const struct ra_graph *g)
{
    struct ra_gc_opts opts;
    struct sim *s;
    size_t i;
    int v;

    for (i = 0; i < c->sims.len; i++)
        if (((struct sim *)c->sims.items[i])->g == g)
            return c->sims.items[i];
    s = ra_xcalloc(1, sizeof(*s));
    s->g = g;
    for (v = 0; v < NVARIANTS; v++) {
        opts.version = v < V3_M ? RA_GC_V2 : RA_GC_V3;
        opts.delete_untagged = v == V2_M || v == V3_M;
        opts.without_tag_errors = 0;
        ra_gc_simulate(&s->r[v], g, &opts);
        if (!s->r[v]->aborted || !opts.delete_untagged)
            continue;
        opts.without_tag_errors = 1;
        ra_gc_simulate(&s->clean[v], g, &opts);
    }
    ra_vec_push(&c->sims, s);
    return s;
}

static int cmp_blob_digest(const void *key, const void *elem)
{
    const struct ra_blob *b = *(void *const *)elem;
    return ra_digest_cmp(key, &b->digest);
}

static int gc_deletes(const struct ra_gc_result *r, const struct ra_loss *l)
{
    size_t i;

    if (r->aborted)
        return 0;
    switch (l->object) {
    case RA_OBJ_BLOB:
        return r->blobs.len && bsearch(&l->digest, r->blobs.items, r->blobs.len,
                                       sizeof(void *), cmp_blob_digest) != NULL;
    case RA_OBJ_MANIFEST_LINK:
        for (i = 0; i < r->manifests.len; i++) {
            const struct ra_gc_manifest_del *d = r->manifests.items[i];
            if (!ra_digest_cmp(&d->digest, &l->digest) &&
                !strcmp(d->repository, l->repository))
                return 1;
        }
        return 0;
    case RA_OBJ_LAYER_LINK:
        for (i = 0; i < r->layer_links.len; i++) {
            const struct ra_gc_link_del *d = r->layer_links.items[i];
            if (!ra_digest_cmp(&d->digest, &l->digest) &&
                !strcmp(d->repository, l->repository))
                return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* Does the mark phase reach r's tags (with -m, Lookup runs for every manifest it
 * serves)? */
static int lookup_runs(const struct ra_graph *g, const struct ra_repo *r)
{
    size_t it = 0;
    void *v;

    while (ra_map_next(&r->revisions, &it, NULL, NULL, &v)) {
        const struct ra_link *l = v;
        const struct ra_blob *b;
        if (l->valid && (b = ra_graph_find_blob(g, &l->target)) && b->present)
            return 1;
    }
    return 0;
}

/* The tags folder entry a garbage-collect with --delete-untagged (2.x or 3.x) aborts
 * on in g (TagService.Lookup, ra_gc_lookup_error), in the first repository by name it
 * reaches there: "repositories/app/_manifests/tags/@eaDir"; NULL when it runs. */
static const char *m_stop(struct ra_corr *c, const struct ra_graph *g)
{
    struct ra_vec repos = RA_VEC_INIT;
    struct stop *st;
    const char *entry = NULL;
    size_t i;

    if (!g)
        return NULL;
    for (i = 0; i < c->stops.len; i++)
        if (((struct stop *)c->stops.items[i])->g == g)
            return ((struct stop *)c->stops.items[i])->path;
    st = ra_pool_alloc(&c->res->pool, sizeof(*st));
    st->g = g;
    ra_graph_sorted_repos(&repos, g);
    for (i = 0; i < repos.len && !st->path; i++) {
        const struct ra_repo *r = repos.items[i];
        if (!lookup_runs(g, r) || !(entry = ra_gc_lookup_entry(g, r)))
            continue;
        ra_storage_path(&c->tmp, "", RA_STORE_TAG, r->name, entry, NULL);
        st->path = ra_pool_strdup(&c->res->pool, c->tmp.ptr);
    }
    ra_vec_release(&repos);
    ra_vec_push(&c->stops, st);
    return st->path;
}

/* Where a GC with -m aborts in the snapshots on either side of the loss's window. */
static void m_stops(struct ra_corr *c, const struct ra_loss *l, const char **before,
                    const char **after)
{
    *before = l->last_present == SIZE_MAX
                  ? NULL
                  : m_stop(c, ra_scan_graph(c->losses->scans[l->last_present], l->root));
    *after = m_stop(c, ra_scan_graph(c->losses->scans[l->first_missing], l->root));
}

/* Say where a GC with -m aborts when only one side of the window holds it: the run
 * may have happened while it was not there. */
void ra_correlate_m_stop_note(struct ra_corr *c, struct ra_buf *out,
                              const struct ra_loss *l)
{
    const char *before, *after;
    const char *prev = l->last_present == SIZE_MAX
                           ? NULL
                           : c->losses->scans[l->last_present]->snap->name;
    const char *miss = c->losses->scans[l->first_missing]->snap->name;

    m_stops(c, l, &before, &after);
    if (before && after)
        return;
    if (after && prev)
        ra_buf_printf(out,
                      "; a garbage-collect with --delete-untagged aborts on %s, which "
                      "snapshot %s holds and %s did not: it can only have run before "
                      "that appeared",
                      after, miss, prev);
    else if (after)
        ra_buf_printf(out,
                      "; a garbage-collect with --delete-untagged aborts on %s, which "
                      "snapshot %s holds: it can only have run before that appeared",
                      after, miss);
    else if (before)
        ra_buf_printf(out,
                      "; a garbage-collect with --delete-untagged aborts on %s, which "
                      "snapshot %s holds and %s no longer does: it can only have run "
                      "after that was removed",
                      before, prev, miss);
}

/* "a garbage-collect with --delete-untagged aborts on P, which snapshots A and B both
 * hold", for a loss with m_abort. */
static void m_abort_where(struct ra_corr *c, struct ra_buf *out, const struct ra_loss *l)
{
    const char *before, *after;
    const char *prev = c->losses->scans[l->last_present]->snap->name;
    const char *miss = c->losses->scans[l->first_missing]->snap->name;

    m_stops(c, l, &before, &after);
    if (!strcmp(before, after))
        ra_buf_printf(out,
                      "a garbage-collect with --delete-untagged aborts on %s, which "
                      "snapshots %s and %s both hold",
                      after, prev, miss);
    else
        ra_buf_printf(out,
                      "a garbage-collect with --delete-untagged aborts on %s in "
                      "snapshot %s and on %s in %s",
                      before, prev, after, miss);
}

/* The window's m_abort: both sides hold an entry GC -m aborts on. */
const char *ra_correlate_m_abort(struct ra_corr *c, const struct ra_loss *l)
{
    const char *before, *after;

    m_stops(c, l, &before, &after);
    return before && after ? after : NULL;
}

/* The gc_v2_untagged_index_children match says whether a GC with -m could run. */
void ra_correlate_v2_children_note(struct ra_corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    struct ra_buf b = RA_BUF_INIT;
    size_t i;

    for (i = 0; i < cause->matches.len; i++) {
        struct ra_match *m = cause->matches.items[i];
        if (m->fp != RA_FP_GC_V2_INDEX_CHILDREN)
            continue;
        ra_buf_truncate(&b, 0);
        ra_buf_puts(&b, m->detail);
        if (cause->m_abort) {
            ra_buf_puts(&b, "; but ");
            m_abort_where(c, &b, l);
            ra_buf_puts(&b,
                        l->object == RA_OBJ_BLOB
                            ? ", so it could not have made this: a garbage-collect "
                              "without --delete-untagged sweeps the same blobs once "
                              "something else (a DELETE through the registry API, or a "
                              "hand) removed the child's revision link"
                            : ", so it could not have made this: a DELETE of the child "
                              "through the registry API, or a hand, removes the same "
                              "link");
        } else {
            ra_correlate_m_stop_note(c, &b, l);
        }
        m->detail = ra_pool_strdup(&c->res->pool, b.ptr);
    }
    ra_buf_release(&b);
}

/* The simulated run of variant v on the snapshot before l's window (s): as the real one
 * runs there, or, when the tags folder entry it aborts on there is gone by the snapshot
 * after, as a run after its removal (*gone: that entry). */
static const struct ra_gc_result *sim_before(struct ra_corr *c, const struct sim *s,
                                             int v, const struct ra_loss *l,
                                             const char **gone)
{
    const char *before, *after;

    *gone = NULL;
    if (!s->clean[v])
        return s->r[v];
    m_stops(c, l, &before, &after);
    if (!before || after)
        return s->r[v];
    *gone = before;
    return s->clean[v];
}

void ra_correlate_fp_simulated(struct ra_corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_scan *prev;
    const struct ra_graph *g;
    const char *gone;
    struct sim *s;
    int v, any = 0;

    if (l->last_present == SIZE_MAX || l->object == RA_OBJ_TAG)
        return;
    prev = c->losses->scans[l->last_present];
    if (!(g = ra_scan_graph(prev, l->root)))
        return;
    s = sim_for(c, g);
    for (v = 0; v < NVARIANTS; v++) {
        if (!gc_deletes(sim_before(c, s, v, l, &gone), l))
            continue;
        any = 1;
        if (gone)
            ra_correlate_add_match(c->res, cause, RA_FP_GC_SWEEP,
                                   "garbage-collect as %s, run on snapshot %s "
                                   "once %s is gone, deletes it",
                                   variant_name(v), prev->snap->name, gone);
        else
            ra_correlate_add_match(c->res, cause, RA_FP_GC_SWEEP,
                                   "garbage-collect as %s, run on snapshot %s, "
                                   "deletes it",
                                   variant_name(v), prev->snap->name);
    }
    if (!any && m_stop(c, g))
        ra_correlate_add_match(
            c->res, cause, RA_FP_LOST_FILES,
            "no garbage-collect (2.x or 3.x, with or without --delete-untagged) run "
            "on snapshot %s deletes it (with --delete-untagged it aborts on %s)",
            prev->snap->name, m_stop(c, g));
    else if (!any)
        ra_correlate_add_match(
            c->res, cause, RA_FP_LOST_FILES,
            "no garbage-collect (2.x or 3.x, with or without --delete-untagged) run "
            "on snapshot %s deletes it",
            prev->snap->name);
}

/* The simulated variant a GC firing corresponds to. */
static int firing_variant(const struct ra_firing *f)
{
    int v3 = f->registry_version && f->registry_version[0] == '3';
    return v3 ? (f->delete_untagged ? V3_M : V3) : (f->delete_untagged ? V2_M : V2);
}

/* What GC -m aborting on the window's snapshots says of a garbage-collect firing;
 * returns 0 when no simulation of the firing can tell more. */
static int judge_m_abort(const struct ra_cause *cause, struct ra_corr *c,
                         const struct ra_firing *f, enum ra_confidence *conf,
                         struct ra_buf *why)
{
    const struct ra_loss *l = cause->loss;

    if (!cause->m_abort)
        return 1;
    if (f->delete_untagged) {
        *conf = RA_CONF_LOW;
        ra_buf_puts(why, "; but ");
        m_abort_where(c, why, l);
        ra_buf_puts(why, ": it could not have deleted this");
        return 0;
    }
    if (l->object != RA_OBJ_BLOB ||
        !ra_correlate_matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
        return 1;
    ra_buf_puts(why,
                "; it runs without --delete-untagged, which keeps index children, but "
                "it sweeps the config and layers of a child whose revision link "
                "something else removed (a DELETE through the registry API, or a "
                "hand), and no garbage-collect with --delete-untagged could run in "
                "the window");
    return 0;
}

void ra_correlate_judge_gc(struct ra_corr *c, struct ra_cause *cause,
                           const struct ra_firing *f, enum ra_confidence *conf,
                           struct ra_buf *why)
{
    const struct ra_loss *l = cause->loss;
    int floating = f->version_floating || !f->registry_version;
    int v2 = !f->registry_version || f->registry_version[0] != '3';

    if (!judge_m_abort(cause, c, f, conf, why))
        return;
    if (ra_correlate_matched(cause, RA_FP_GC_V2_INDEX_CHILDREN)) {
        if (f->delete_untagged && v2) {
            *conf = RA_CONF_HIGH;
            ra_buf_printf(why,
                          "; it runs with --delete-untagged on registry %s%s, and the "
                          "loss has the fingerprint of 2.x GC taking index children",
                          f->registry_version ? f->registry_version : "(version unknown)",
                          floating ? " (a floating tag: 2.x was likely in effect)" : "");
        } else {
            *conf = RA_CONF_LOW;
            ra_buf_puts(why, f->delete_untagged
                                 ? "; but registry 3.x keeps index children"
                                 : "; but it runs without --delete-untagged, "
                                   "which keeps index children");
        }
    }
    if (l->last_present != SIZE_MAX && l->object != RA_OBJ_TAG) {
        const struct ra_graph *g =
            ra_scan_graph(c->losses->scans[l->last_present], l->root);
        struct sim *s = g ? sim_for(c, g) : NULL;
        int v = firing_variant(f);
        const char *gone = NULL;
        if (s && gc_deletes(sim_before(c, s, v, l, &gone), l)) {
            *conf = RA_CONF_HIGH;
            ra_buf_printf(why,
                          "; simulating it (%s) on the previous snapshot%s%s%s deletes "
                          "exactly this",
                          variant_name(v), gone ? ", once " : "", gone ? gone : "",
                          gone ? " is gone," : "");
        } else if (s && *conf != RA_CONF_HIGH) {
            *conf = RA_CONF_LOW;
            ra_buf_printf(why,
                          "; simulating it (%s) on the previous snapshot does not "
                          "delete this",
                          variant_name(v));
        }
    }
    if (ra_correlate_matched(cause, RA_FP_GC_RACE) && *conf != RA_CONF_HIGH) {
        *conf = RA_CONF_MEDIUM;
        ra_buf_puts(why, "; a push ran minutes before it (GC is unsafe during pushes)");
    }
}

void ra_correlate_gc_release(struct ra_corr *c)
{
    size_t i;
    int v;

    for (i = 0; i < c->sims.len; i++) {
        struct sim *s = c->sims.items[i];
        for (v = 0; v < NVARIANTS; v++) {
            ra_gc_result_free(s->r[v]);
            ra_gc_result_free(s->clean[v]);
        }
        free(s);
    }
    ra_vec_release(&c->sims);
    ra_vec_release(&c->stops);
}
