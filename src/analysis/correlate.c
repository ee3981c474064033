/* SPDX-License-Identifier: MIT */
/* Fingerprints and suspects for each loss. */
#include "analysis/correlate.h"

#include <stdlib.h>

#include "analysis/correlate_internal.h"
#include "analysis/gcsim.h"
#include "analysis/history.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "model/storage_path.h"
#include "util/buf.h"

#define RACE_SECONDS (30 * 60)
#define UNBOUNDED_LOOKBACK (8 * 86400) /* a window with no start: the week before */

static const char *const fp_names[RA_FP__COUNT] = {
    "gc_v2_untagged_index_children", "gc_sweep", "tag_prune", "tag_prune_then_gc",
    "gc_race_push", "lost_files", "gc_log", "api_delete",
};

const char *ra_fingerprint_name(enum ra_fingerprint fp)
{
    return (unsigned)fp < RA_FP__COUNT ? fp_names[fp] : "";
}

const char *ra_confidence_name(enum ra_confidence c)
{
    static const char *const names[] = {"high", "medium", "low"};
    return (unsigned)c < RA_ARRAY_SIZE(names) ? names[c] : "";
}

/* The four GC variants, simulated on the last snapshot that had the object. */
enum { V2_M, V2, V3_M, V3, NVARIANTS };

struct sim {
    const struct ra_graph *g;
    struct ra_gc_result *r[NVARIANTS];
    /* V2_M and V3_M as if the tags folder entries they abort on were gone, or NULL */
    struct ra_gc_result *clean[NVARIANTS];
};

struct corr {
    const struct ra_losses *losses;
    const struct ra_firing *firings;
    size_t nfirings;
    struct ra_correlation *res;
    struct ra_vec sims; /* struct sim * */
    struct ra_buf tmp;
    struct ra_vec stops; /* struct stop *: where GC -m aborts on each graph asked */
    struct ra_vec users; /* struct users *, one per graph asked about */
};

struct stop {
    const struct ra_graph *g;
    const char *path; /* NULL: it runs */
};

/* Which manifests of a graph reference each blob (as config or layer, or as a child):
 * made once per graph, the first time a fingerprint asks, so that every lost layer
 * costs a lookup, not a pass over every manifest's references. */
struct users {
    const struct ra_graph *g;
    struct ra_map of;  /* digest bytes (borrowed from g) -> struct ra_vec * */
    struct ra_vec all; /* the struct ra_vec *, to free */
};

static const char *variant_name(int v)
{
    static const char *const names[] = {"Distribution 2.x with --delete-untagged",
                                        "Distribution 2.x", "Distribution 3.x with "
                                        "--delete-untagged", "Distribution 3.x"};
    return names[v];
}

static struct sim *sim_for(struct corr *c, const struct ra_graph *g)
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
            if (!ra_digest_cmp(&d->digest, &l->digest) && !strcmp(d->repository, l->repository))
                return 1;
        }
        return 0;
    case RA_OBJ_LAYER_LINK:
        for (i = 0; i < r->layer_links.len; i++) {
            const struct ra_gc_link_del *d = r->layer_links.items[i];
            if (!ra_digest_cmp(&d->digest, &l->digest) && !strcmp(d->repository, l->repository))
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
static const char *m_stop(struct corr *c, const struct ra_graph *g)
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
static void m_stops(struct corr *c, const struct ra_loss *l, const char **before,
                    const char **after)
{
    *before = l->last_present == SIZE_MAX
                  ? NULL
                  : m_stop(c, ra_scan_graph(c->losses->scans[l->last_present], l->root));
    *after = m_stop(c, ra_scan_graph(c->losses->scans[l->first_missing], l->root));
}

/* Say where a GC with -m aborts when only one side of the window holds it: the run
 * may have happened while it was not there. */
static void m_stop_note(struct corr *c, struct ra_buf *out, const struct ra_loss *l)
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
static void m_abort_where(struct corr *c, struct ra_buf *out, const struct ra_loss *l)
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
static const char *m_abort(struct corr *c, const struct ra_loss *l)
{
    const char *before, *after;

    m_stops(c, l, &before, &after);
    return before && after ? after : NULL;
}

/* The gc_v2_untagged_index_children match says whether a GC with -m could run. */
static void v2_children_note(struct corr *c, struct ra_cause *cause)
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
            m_stop_note(c, &b, l);
        }
        m->detail = ra_pool_strdup(&c->res->pool, b.ptr);
    }
    ra_buf_release(&b);
}

static void add_match(struct corr *c, struct ra_cause *cause, enum ra_fingerprint fp,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_match(struct corr *c, struct ra_cause *cause, enum ra_fingerprint fp,
                      const char *fmt, ...)
{
    struct ra_match *m = ra_pool_alloc(&c->res->pool, sizeof(*m));
    va_list ap;

    ra_buf_truncate(&c->tmp, 0);
    va_start(ap, fmt);
    ra_buf_vprintf(&c->tmp, fmt, ap);
    va_end(ap);
    m->fp = fp;
    m->detail = ra_pool_strdup(&c->res->pool, ra_buf_cstr(&c->tmp));
    ra_vec_push(&cause->matches, m);
}

static void drop_matches(struct ra_cause *cause, enum ra_fingerprint fp)
{
    size_t i, n = 0;

    for (i = 0; i < cause->matches.len; i++)
        if (((const struct ra_match *)cause->matches.items[i])->fp != fp)
            cause->matches.items[n++] = cause->matches.items[i];
    cause->matches.len = n;
}

static int matched(const struct ra_cause *cause, enum ra_fingerprint fp)
{
    size_t i;

    for (i = 0; i < cause->matches.len; i++)
        if (((const struct ra_match *)cause->matches.items[i])->fp == fp)
            return 1;
    return 0;
}

int ra_correlate_matched(const struct ra_cause *cause, enum ra_fingerprint fp)
{
    return matched(cause, fp);
}

void ra_correlate_drop(struct ra_cause *cause, enum ra_fingerprint fp)
{
    drop_matches(cause, fp);
}

/* Is child referenced by an index that a tag of r currently names? */
static const struct ra_blob *tagged_index_of(const struct ra_graph *g, const struct ra_repo *r,
                                             const struct ra_digest *child)
{
    size_t it = 0, i;
    void *v;

    while (ra_map_next(&r->tags, &it, NULL, NULL, &v)) {
        const struct ra_tag *t = v;
        const struct ra_blob *ib;
        if (!t->has_current || !t->current.valid ||
            !(ib = ra_graph_find_blob(g, &t->current.target)) || !ib->manifest ||
            ib->manifest->kind != RA_MANIFEST_INDEX)
            continue;
        for (i = 0; i < ib->manifest->nrefs; i++)
            if (!ra_digest_cmp(&ib->manifest->refs[i].digest, child))
                return ib;
    }
    return NULL;
}

/* A child unlinked as 2.x GC -m leaves it: revision link gone, data present, referenced
 * by a tagged index. */
static int unlinked_child(const struct ra_graph *g, const struct ra_repo *r,
                          const struct ra_digest *d)
{
    const struct ra_blob *b = ra_graph_find_blob(g, d);

    return b && b->present && b->manifest && !ra_graph_find_link(&r->revisions, d) &&
           tagged_index_of(g, r, d);
}

static void add_user(struct users *u, const struct ra_digest *d, const struct ra_blob *mb)
{
    int created;
    void **slot = ra_map_slot(&u->of, d->b, sizeof(d->b), &created);
    struct ra_vec *v = *slot;

    if (created) {
        *slot = v = ra_xcalloc(1, sizeof(*v));
        ra_vec_push(&u->all, v);
    }
    if (!v->len || v->items[v->len - 1] != mb) /* a manifest names a blob twice */
        ra_vec_push(v, (void *)mb);
}

/* The present, parsed manifests of g that reference d, in g's blob order; NULL for
 * none. */
static const struct ra_vec *users_of(struct corr *c, const struct ra_graph *g,
                                     const struct ra_digest *d)
{
    struct users *u = NULL;
    size_t i, it = 0;
    void *v;

    for (i = 0; i < c->users.len && !u; i++)
        if (((struct users *)c->users.items[i])->g == g)
            u = c->users.items[i];
    if (!u) {
        u = ra_xcalloc(1, sizeof(*u));
        u->g = g;
        while (ra_map_next(&g->blobs, &it, NULL, NULL, &v)) {
            const struct ra_blob *mb = v;
            const struct ra_manifest *m = mb->manifest;
            if (!mb->present || !m)
                continue;
            if (m->has_config)
                add_user(u, &m->config.digest, mb);
            for (i = 0; i < m->nrefs; i++)
                add_user(u, &m->refs[i].digest, mb);
        }
        ra_vec_push(&c->users, u);
    }
    return ra_map_get(&u->of, d->b, sizeof(d->b));
}

static void users_free(struct users *u)
{
    size_t i;

    for (i = 0; i < u->all.len; i++) {
        ra_vec_release(u->all.items[i]);
        free(u->all.items[i]);
    }
    ra_vec_release(&u->all);
    ra_map_release(&u->of);
    free(u);
}

/* Does manifest blob mb (present, parsed) reference d? */
static int refs_blob(struct corr *c, const struct ra_graph *g, const struct ra_blob *mb,
                     const struct ra_digest *d)
{
    const struct ra_vec *v = users_of(c, g, d);
    size_t i;

    for (i = 0; v && i < v->len; i++)
        if (v->items[i] == mb)
            return 1;
    return 0;
}

static void fp_v2_children(struct corr *c, struct ra_cause *cause, const struct ra_graph *g)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_vec *users;
    const struct ra_repo *r;
    char d[RA_DIGEST_STRLEN];
    size_t it = 0;
    void *v;

    if (l->object == RA_OBJ_MANIFEST_LINK) {
        if ((r = ra_map_gets(&g->repos, l->repository)) && unlinked_child(g, r, &l->digest))
            add_match(c, cause, RA_FP_GC_V2_INDEX_CHILDREN,
                      "child of tagged index %s lost its revision link; its manifest data "
                      "is still present",
                      ra_digest_short(d, &tagged_index_of(g, r, &l->digest)->digest));
        return;
    }
    if (l->object != RA_OBJ_BLOB)
        return;
    if (!(users = users_of(c, g, &l->digest)))
        return;
    while (ra_map_next(&g->repos, &it, NULL, NULL, &v)) {
        size_t j;
        r = v;
        if (!ra_graph_find_link(&r->layers, &l->digest))
            continue;
        for (j = 0; j < users->len; j++) {
            const struct ra_blob *cb = users->items[j];
            if (!unlinked_child(g, r, &cb->digest))
                continue;
            add_match(c, cause, RA_FP_GC_V2_INDEX_CHILDREN,
                      "blob of unlinked index child %s in '%s' is gone; its _layers link "
                      "was left behind",
                      ra_digest_short(d, &cb->digest), r->name);
            return;
        }
    }
}

/* The simulated run of variant v on the snapshot before l's window (s): as the real one
 * runs there, or, when the tags folder entry it aborts on there is gone by the snapshot
 * after, as a run after its removal (*gone: that entry). */
static const struct ra_gc_result *sim_before(struct corr *c, const struct sim *s, int v,
                                             const struct ra_loss *l, const char **gone)
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

static void fp_simulated(struct corr *c, struct ra_cause *cause)
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
            add_match(c, cause, RA_FP_GC_SWEEP,
                      "garbage-collect as %s, run on snapshot %s "
                      "once %s is gone, deletes it",
                      variant_name(v), prev->snap->name, gone);
        else
            add_match(c, cause, RA_FP_GC_SWEEP,
                      "garbage-collect as %s, run on snapshot %s, "
                      "deletes it",
                      variant_name(v), prev->snap->name);
    }
    if (!any && m_stop(c, g))
        add_match(
            c, cause, RA_FP_LOST_FILES,
            "no garbage-collect (2.x or 3.x, with or without --delete-untagged) run "
            "on snapshot %s deletes it (with --delete-untagged it aborts on %s)",
            prev->snap->name, m_stop(c, g));
    else if (!any)
        add_match(c, cause, RA_FP_LOST_FILES,
                  "no garbage-collect (2.x or 3.x, with or without --delete-untagged) run "
                  "on snapshot %s deletes it", prev->snap->name);
}

/* With no earlier snapshot: a blob that any GC would have kept, since a tagged manifest
 * served by its repository references it directly. */
static void fp_kept_by_gc(struct corr *c, struct ra_cause *cause, const struct ra_graph *g)
{
    const struct ra_loss *l = cause->loss;
    size_t it = 0;
    void *v;

    if (l->object != RA_OBJ_BLOB || l->last_present != SIZE_MAX)
        return;
    while (ra_map_next(&g->repos, &it, NULL, NULL, &v)) {
        const struct ra_repo *r = v;
        size_t jt = 0;
        void *tv;
        while (ra_map_next(&r->tags, &jt, NULL, NULL, &tv)) {
            const struct ra_tag *t = tv;
            const struct ra_blob *mb;
            if (!t->has_current || !t->current.valid ||
                !ra_graph_find_link(&r->revisions, &t->current.target) ||
                !(mb = ra_graph_find_blob(g, &t->current.target)) || !mb->present ||
                !mb->manifest || !refs_blob(c, g, mb, &l->digest))
                continue;
            add_match(c, cause, RA_FP_LOST_FILES,
                      "tag '%s:%s' references it directly: every GC marks it, yet its "
                      "data is gone", r->name, t->name);
            return;
        }
    }
}

int ra_correlate_tag_target(struct ra_digest *out, const struct ra_losses *losses,
                            const struct ra_loss *l)
{
    const struct ra_graph *g;
    const struct ra_repo *r;
    const struct ra_tag *t;

    if (l->last_present == SIZE_MAX)
        return 0;
    g = ra_scan_graph(losses->scans[l->last_present], l->root);
    r = g ? ra_map_gets(&g->repos, l->repository) : NULL;
    t = r ? ra_map_gets(&r->tags, l->tag_name) : NULL;
    if (!t || !t->has_current || !t->current.valid)
        return 0;
    *out = t->current.target;
    return 1;
}

/* Has scan k the loss's repository but not a revision link for d? Asked of the history
 * when there is one: later scans may have given up their graphs (ra_scan_thin). */
static int repo_lacks_link(const struct ra_losses *ls, size_t k, const struct ra_loss *l,
                           const struct ra_digest *d)
{
    struct ra_hist_key repo = {RA_HIST_REPO, l->root, l->repository, NULL, NULL};
    struct ra_hist_key link = {RA_HIST_REVISION, l->root, l->repository, d, NULL};
    const struct ra_graph *g;
    const struct ra_repo *r;

    if (ls->history)
        return ra_history_has(ls->history, &repo, k) &&
               !ra_history_has(ls->history, &link, k);
    g = ra_scan_graph(ls->scans[k], l->root);
    r = g ? ra_map_gets(&g->repos, l->repository) : NULL;
    return r && !ra_graph_find_link(&r->revisions, d);
}

static void fp_tag(struct corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_scan *miss = c->losses->scans[l->first_missing];
    const struct ra_graph *g = ra_scan_graph(miss, l->root);
    const struct ra_repo *r = g ? ra_map_gets(&g->repos, l->repository) : NULL;
    struct ra_digest target;
    char d[RA_DIGEST_STRLEN];
    size_t k;

    if (l->object != RA_OBJ_TAG)
        return;
    if (!r || !ra_map_gets(&r->tags, l->tag_name))
        add_match(c, cause, RA_FP_TAG_PRUNE, "the folder of tag '%s:%s' is gone in %s",
                  l->repository, l->tag_name, miss->snap->name);
    /* tag losses carry no digest: take the one the tag named when it last resolved */
    if (!ra_correlate_tag_target(&target, c->losses, l))
        return;
    for (k = l->first_missing; k < c->losses->nscans; k++) {
        const struct ra_scan *s = c->losses->scans[k];
        if (repo_lacks_link(c->losses, k, l, &target)) {
            add_match(c, cause, RA_FP_TAG_PRUNE_THEN_GC,
                      "its manifest %s lost its revision link by %s", ra_digest_short(d, &target),
                      s->snap->name);
            return;
        }
    }
}

/* The parents (manifests) the first-missing snapshot's findings name for this loss. */
static void fp_race(struct corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_scan *miss = c->losses->scans[l->first_missing];
    const struct ra_graph *g = ra_scan_graph(miss, l->root);
    size_t i, j, f;
    char when[RA_TIME_STRLEN], d[RA_DIGEST_STRLEN];

    if (l->object != RA_OBJ_BLOB || !g || !ra_snapshot_mtimes_trusted(miss->snap, NULL))
        return;
    for (i = 0; i < miss->nregs; i++) {
        const struct ra_registry_result *rr = miss->regs[i];
        if (rr->graph != g)
            continue;
        for (j = 0; j < rr->findings.items.len; j++) {
            const struct ra_finding *fi = rr->findings.items.items[j];
            const struct ra_repo *r;
            const struct ra_link *pl;
            if (!fi->has_parent || !fi->has_digest || ra_digest_cmp(&fi->digest, &l->digest) ||
                !(r = ra_map_gets(&g->repos, fi->repository)) ||
                !(pl = ra_graph_find_link(&r->revisions, &fi->parent)) ||
                pl->mtime == RA_TIME_NONE)
                continue;
            for (f = 0; f < c->nfirings; f++) {
                const struct ra_firing *fr = &c->firings[f];
                if (!(fr->classes & RA_JOB_GARBAGE_COLLECT) || fr->dry_run ||
                    llabs(fr->time - pl->mtime) > RACE_SECONDS)
                    continue;
                add_match(c, cause, RA_FP_GC_RACE,
                          "manifest %s was pushed at %s, within 30 minutes of %s running",
                          ra_digest_short(d, &fi->parent), ra_time_format(when, pl->mtime),
                          fr->job_name);
                return;
            }
        }
    }
}

static int can_delete(const struct ra_firing *f, enum ra_object_kind obj)
{
    int gc = (f->classes & RA_JOB_GARBAGE_COLLECT) && !f->dry_run;
    int v3 = f->registry_version && f->registry_version[0] == '3';

    switch (obj) {
    case RA_OBJ_BLOB:
        return gc;
    case RA_OBJ_MANIFEST_LINK:
        return (gc && f->delete_untagged) || (f->classes & RA_JOB_TAG_PRUNE);
    case RA_OBJ_LAYER_LINK:
        return gc && v3;
    case RA_OBJ_TAG:
        return (f->classes & RA_JOB_TAG_PRUNE) != 0;
    }
    return 0;
}

/* The simulated variant a GC firing corresponds to. */
static int firing_variant(const struct ra_firing *f)
{
    int v3 = f->registry_version && f->registry_version[0] == '3';
    return v3 ? (f->delete_untagged ? V3_M : V3) : (f->delete_untagged ? V2_M : V2);
}

/* What GC -m aborting on the window's snapshots says of a garbage-collect firing;
 * returns 0 when no simulation of the firing can tell more. */
static int judge_m_abort(const struct ra_cause *cause, struct corr *c,
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
    if (l->object != RA_OBJ_BLOB || !matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
        return 1;
    ra_buf_puts(why,
                "; it runs without --delete-untagged, which keeps index children, but "
                "it sweeps the config and layers of a child whose revision link "
                "something else removed (a DELETE through the registry API, or a "
                "hand), and no garbage-collect with --delete-untagged could run in "
                "the window");
    return 0;
}

static void judge_gc(struct corr *c, struct ra_cause *cause, const struct ra_firing *f,
                     enum ra_confidence *conf, struct ra_buf *why)
{
    const struct ra_loss *l = cause->loss;
    int floating = f->version_floating || !f->registry_version;
    int v2 = !f->registry_version || f->registry_version[0] != '3';

    if (!judge_m_abort(cause, c, f, conf, why))
        return;
    if (matched(cause, RA_FP_GC_V2_INDEX_CHILDREN)) {
        if (f->delete_untagged && v2) {
            *conf = RA_CONF_HIGH;
            ra_buf_printf(why, "; it runs with --delete-untagged on registry %s%s, and the "
                               "loss has the fingerprint of 2.x GC taking index children",
                          f->registry_version ? f->registry_version : "(version unknown)",
                          floating ? " (a floating tag: 2.x was likely in effect)" : "");
        } else {
            *conf = RA_CONF_LOW;
            ra_buf_puts(why, f->delete_untagged ? "; but registry 3.x keeps index children"
                                                : "; but it runs without --delete-untagged, "
                                                  "which keeps index children");
        }
    }
    if (l->last_present != SIZE_MAX && l->object != RA_OBJ_TAG) {
        const struct ra_graph *g = ra_scan_graph(c->losses->scans[l->last_present], l->root);
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
            ra_buf_printf(why, "; simulating it (%s) on the previous snapshot does not "
                               "delete this", variant_name(v));
        }
    }
    if (matched(cause, RA_FP_GC_RACE) && *conf != RA_CONF_HIGH) {
        *conf = RA_CONF_MEDIUM;
        ra_buf_puts(why, "; a push ran minutes before it (GC is unsafe during pushes)");
    }
}

static void judge(struct corr *c, struct ra_cause *cause, const struct ra_firing *f,
                  enum ra_confidence *conf, struct ra_buf *why)
{
    const struct ra_loss *l = cause->loss;
    int gc = (f->classes & RA_JOB_GARBAGE_COLLECT) != 0;

    *conf = RA_CONF_MEDIUM;
    ra_buf_printf(why, "%s (%s%s%s) ran in the window and can delete %s", f->job_name,
                  f->defined_in ? f->defined_in : "?", f->commit ? " @ " : "",
                  f->commit ? f->commit : "",
                  l->object == RA_OBJ_TAG ? "tags" : "this kind of object");
    if (gc)
        judge_gc(c, cause, f, conf, why);
    if ((f->classes & RA_JOB_TAG_PRUNE) && matched(cause, RA_FP_TAG_PRUNE)) {
        *conf = RA_CONF_HIGH;
        ra_buf_puts(why, "; it removes tag folders, and this tag's folder is gone");
        ra_correlate_api_judge(cause, conf, why);
    } else if (!gc && l->object != RA_OBJ_TAG &&
               (matched(cause, RA_FP_GC_SWEEP) || matched(cause, RA_FP_GC_LOG) ||
                (matched(cause, RA_FP_GC_V2_INDEX_CHILDREN) && !cause->m_abort))) {
        *conf = RA_CONF_LOW;
        ra_buf_puts(why, "; but a garbage collector explains this loss, and pruning tags "
                         "does not delete it by itself");
    }
    if (gc && f->delete_untagged)
        m_stop_note(c, why, l);
    if (l->from.time == RA_TIME_NONE && *conf == RA_CONF_HIGH) {
        *conf = RA_CONF_MEDIUM;
        ra_buf_puts(why, "; the window has no known start");
    }
}

static int cmp_suspect(const void *a, const void *b)
{
    const struct ra_suspect *x = *(void *const *)a, *y = *(void *const *)b;
    ra_time tx = x->firing->time, ty = y->firing->time;

    if (x->confidence != y->confidence)
        return x->confidence < y->confidence ? -1 : 1;
    if (tx != ty) /* an unknown time (a DELETE no log shows) after known ones */
        return ty == RA_TIME_NONE || (tx != RA_TIME_NONE && tx < ty) ? -1 : 1;
    return strcmp(x->firing->job_id, y->firing->job_id);
}

int ra_correlate_cmp_suspect(const void *a, const void *b)
{
    return cmp_suspect(a, b);
}

static void suspects(struct corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    ra_time from = l->from.time, to = l->to.time;
    struct ra_buf why = RA_BUF_INIT;
    size_t i;

    if (to == RA_TIME_NONE)
        return;
    if (from == RA_TIME_NONE)
        from = to - UNBOUNDED_LOOKBACK;
    else if (matched(cause, RA_FP_GC_RACE))
        from -= RACE_SECONDS; /* a run that began just before the push swept its blobs */
    for (i = 0; i < c->nfirings; i++) {
        const struct ra_firing *f = &c->firings[i];
        struct ra_suspect *s;
        if (f->time <= from || f->time > to || !can_delete(f, l->object))
            continue;
        s = ra_pool_alloc(&c->res->pool, sizeof(*s));
        s->firing = f;
        ra_buf_truncate(&why, 0);
        judge(c, cause, f, &s->confidence, &why);
        s->reason = ra_pool_strdup(&c->res->pool, ra_buf_cstr(&why));
        ra_vec_push(&cause->suspects, s);
    }
    ra_vec_sort(&cause->suspects, cmp_suspect);
    ra_buf_release(&why);
}

void ra_correlate(struct ra_correlation **out, const struct ra_losses *losses,
                  const struct ra_firing *firings, size_t nfirings)
{
    struct ra_correlation *res = ra_xcalloc(1, sizeof(*res));
    struct corr c = {losses,      firings,     nfirings,   res,
                     RA_VEC_INIT, RA_BUF_INIT, RA_VEC_INIT, RA_VEC_INIT};
    size_t i;
    int v;

    res->losses = losses;
    res->firings = firings;
    res->nfirings = nfirings;
    for (i = 0; i < losses->items.len; i++) {
        struct ra_cause *cause = ra_pool_alloc(&res->pool, sizeof(*cause));
        const struct ra_loss *l = losses->items.items[i];
        const struct ra_graph *g = ra_scan_graph(losses->scans[l->first_missing], l->root);
        cause->loss = l;
        cause->m_abort = m_abort(&c, l);
        if (g) {
            fp_v2_children(&c, cause, g);
            v2_children_note(&c, cause);
            fp_kept_by_gc(&c, cause, g);
        }
        fp_simulated(&c, cause);
        if (cause->m_abort && l->object == RA_OBJ_BLOB &&
            matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
            drop_matches(cause, RA_FP_LOST_FILES); /* a GC without -m after an unlink */
        fp_tag(&c, cause);
        ra_correlate_api_trace(res, cause);
        fp_race(&c, cause);
        if (matched(cause, RA_FP_GC_RACE))
            drop_matches(cause, RA_FP_LOST_FILES); /* a race is what the GC did */
        suspects(&c, cause);
        ra_correlate_api_suspect(res, cause);
        ra_vec_push(&res->causes, cause);
    }
    for (i = 0; i < c.sims.len; i++) {
        struct sim *s = c.sims.items[i];
        for (v = 0; v < NVARIANTS; v++) {
            ra_gc_result_free(s->r[v]);
            ra_gc_result_free(s->clean[v]);
        }
        free(s);
    }
    ra_vec_release(&c.sims);
    ra_vec_release(&c.stops);
    for (i = 0; i < c.users.len; i++)
        users_free(c.users.items[i]);
    ra_vec_release(&c.users);
    ra_buf_release(&c.tmp);
    *out = res;
}

void ra_correlation_free(struct ra_correlation *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->causes.len; i++) {
        struct ra_cause *cause = c->causes.items[i];
        ra_vec_release(&cause->matches);
        ra_vec_release(&cause->suspects);
    }
    ra_vec_release(&c->causes);
    ra_vec_release(&c->logged_deletes);
    ra_pool_release(&c->pool);
    free(c);
}

/* The GC log line that names this loss, if any. */
static const struct ra_log_event *gc_log_event(const struct ra_log *log, const struct ra_loss *l)
{
    static const enum ra_log_kind blob_kinds[] = {RA_LOG_GC_DELETE_BLOB, RA_LOG_GC_BLOB_ELIGIBLE};
    static const enum ra_log_kind man_kinds[] = {RA_LOG_GC_DELETE_MANIFEST,
                                                 RA_LOG_GC_MANIFEST_ELIGIBLE};
    const enum ra_log_kind *kinds = l->object == RA_OBJ_BLOB ? blob_kinds : man_kinds;
    const struct ra_log_event *e;
    size_t i;

    if (l->object != RA_OBJ_BLOB && l->object != RA_OBJ_MANIFEST_LINK)
        return NULL;
    for (i = 0; i < 2; i++)
        if ((e = ra_log_find(log, kinds[i], &l->digest)) &&
            (l->object == RA_OBJ_BLOB || !e->repository[0] ||
             !strcmp(e->repository, l->repository)))
            return e;
    return NULL;
}

static int same_run(const struct ra_firing *f, const struct ra_log_event *e)
{
    if (e->time == RA_TIME_NONE)
        return 0;
    if (e->time_exact)
        return llabs(f->time - e->time) <= 3600;
    return f->time >= e->time && f->time < e->time + 86400; /* the log's day */
}

void ra_correlate_logs(struct ra_correlation *res, struct ra_log *const *logs, size_t nlogs)
{
    struct corr c = {NULL, NULL, 0, res, RA_VEC_INIT, RA_BUF_INIT, RA_VEC_INIT, RA_VEC_INIT};
    size_t i, k, j;

    for (i = 0; i < res->causes.len; i++) {
        struct ra_cause *cause = res->causes.items[i];
        for (k = 0; k < nlogs; k++) {
            const struct ra_log_event *e = gc_log_event(logs[k], cause->loss);
            if (!e)
                continue;
            add_match(&c, cause, RA_FP_GC_LOG, "%s:%llu lists it: %s", logs[k]->path,
                      (unsigned long long)e->line, ra_log_kind_name(e->kind));
            for (j = 0; j < cause->suspects.len; j++) {
                struct ra_suspect *s = cause->suspects.items[j];
                if (!(s->firing->classes & RA_JOB_GARBAGE_COLLECT) || !same_run(s->firing, e))
                    continue;
                s->confidence = RA_CONF_HIGH;
                ra_buf_truncate(&c.tmp, 0);
                ra_buf_printf(&c.tmp, "%s; the GC log of that run lists this object (%s:%llu)",
                              s->reason, logs[k]->path, (unsigned long long)e->line);
                s->reason = ra_pool_strdup(&res->pool, c.tmp.ptr);
            }
            ra_vec_sort(&cause->suspects, cmp_suspect);
            break;
        }
    }
    ra_buf_release(&c.tmp);
    ra_correlate_api_logs(res, logs, nlogs);
}

int ra_correlation_v2_children(const struct ra_correlation *c)
{
    size_t i;
    int any = 0;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        if (!matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
            continue;
        if (!cause->m_abort)
            return 1;
        any = 2;
    }
    return any;
}
