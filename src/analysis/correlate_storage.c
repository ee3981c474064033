/* SPDX-License-Identifier: MIT */
/* Correlation by what the snapshots show: index children a 2.x GC unlinked, blobs every
 * GC keeps, pruned tags, and pushes that raced a garbage-collect. */
#include "analysis/correlate_internal.h"

#include <stdlib.h>

#include "analysis/history.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "util/buf.h"

/* Which manifests of a graph reference each blob (as config or layer, or as a child):
 * made once per graph, the first time a fingerprint asks, so that every lost layer
 * costs a lookup, not a pass over every manifest's references. */
struct users {
    const struct ra_graph *g;
    struct ra_map of;  /* digest bytes (borrowed from g) -> struct ra_vec * */
    struct ra_vec all; /* the struct ra_vec *, to free */
};

/* Is child referenced by an index that a tag of r currently names? */
static const struct ra_blob *tagged_index_of(const struct ra_graph *g,
                                             const struct ra_repo *r,
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

/* The platform the tagged index of r gives child ("linux/amd64"), or NULL. */
static const char *child_platform(const struct ra_graph *g, const struct ra_repo *r,
                                  const struct ra_digest *child)
{
    const struct ra_blob *ib = tagged_index_of(g, r, child);
    size_t i;

    for (i = 0; ib && i < ib->manifest->nrefs; i++)
        if (!ra_digest_cmp(&ib->manifest->refs[i].digest, child))
            return ib->manifest->refs[i].platform;
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
static const struct ra_vec *users_of(struct ra_corr *c, const struct ra_graph *g,
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
static int refs_blob(struct ra_corr *c, const struct ra_graph *g,
                     const struct ra_blob *mb, const struct ra_digest *d)
{
    const struct ra_vec *v = users_of(c, g, d);
    size_t i;

    for (i = 0; v && i < v->len; i++)
        if (v->items[i] == mb)
            return 1;
    return 0;
}

void ra_correlate_fp_v2_children(struct ra_corr *c, struct ra_cause *cause,
                                 const struct ra_graph *g)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_vec *users;
    const struct ra_repo *r;
    char d[RA_DIGEST_STRLEN];
    size_t it = 0;
    void *v;

    if (l->object == RA_OBJ_MANIFEST_LINK) {
        if ((r = ra_map_gets(&g->repos, l->repository)) &&
            unlinked_child(g, r, &l->digest))
            ra_correlate_add_match(
                c->res, cause, RA_FP_GC_V2_INDEX_CHILDREN,
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
            const char *plat;
            char cd[RA_DIGEST_STRLEN];
            if (!unlinked_child(g, r, &cb->digest))
                continue;
            plat = child_platform(g, r, &cb->digest);
            ra_correlate_add_match(
                c->res, cause, RA_FP_GC_V2_INDEX_CHILDREN,
                "%s %s of the %s%smanifest %s in '%s' was deleted; its _layers link "
                "was left dangling",
                cb->manifest->has_config &&
                        !ra_digest_cmp(&cb->manifest->config.digest, &l->digest)
                    ? "config"
                    : "layer",
                ra_digest_short(d, &l->digest), plat ? plat : "", plat ? " " : "",
                ra_digest_short(cd, &cb->digest), r->name);
            return;
        }
    }
}

/* With no earlier snapshot: a blob that any GC would have kept, since a tagged manifest
 * served by its repository references it directly. */
void ra_correlate_fp_kept_by_gc(struct ra_corr *c, struct ra_cause *cause,
                                const struct ra_graph *g)
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
            ra_correlate_add_match(
                c->res, cause, RA_FP_LOST_FILES,
                "tag '%s:%s' references it directly: every GC marks it, yet its "
                "data is gone",
                r->name, t->name);
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

void ra_correlate_fp_tag(struct ra_corr *c, struct ra_cause *cause)
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
        ra_correlate_add_match(c->res, cause, RA_FP_TAG_PRUNE,
                               "the folder of tag '%s:%s' is gone in %s", l->repository,
                               l->tag_name, miss->snap->name);
    /* tag losses carry no digest: take the one the tag named when it last resolved */
    if (!ra_correlate_tag_target(&target, c->losses, l))
        return;
    for (k = l->first_missing; k < c->losses->nscans; k++) {
        const struct ra_scan *s = c->losses->scans[k];
        if (repo_lacks_link(c->losses, k, l, &target)) {
            ra_correlate_add_match(c->res, cause, RA_FP_TAG_PRUNE_THEN_GC,
                                   "its manifest %s lost its revision link by %s",
                                   ra_digest_short(d, &target), s->snap->name);
            return;
        }
    }
}

/* The parents (manifests) the first-missing snapshot's findings name for this loss. */
void ra_correlate_fp_race(struct ra_corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_scan *miss = c->losses->scans[l->first_missing];
    const struct ra_finding *fi;
    const struct ra_link *pl;
    size_t pos = 0, f;
    char when[RA_TIME_STRLEN], d[RA_DIGEST_STRLEN];

    if (l->object != RA_OBJ_BLOB || !ra_snapshot_mtimes_trusted(miss->snap, NULL))
        return;
    while ((pl = ra_loss_parent_link(miss, l, &pos, &fi))) {
        for (f = 0; f < c->nfirings; f++) {
            const struct ra_firing *fr = &c->firings[f];
            if (!(fr->classes & RA_JOB_GARBAGE_COLLECT) || fr->dry_run ||
                llabs(fr->time - pl->mtime) > RA_CORRELATE_RACE_SECONDS)
                continue;
            ra_correlate_add_match(
                c->res, cause, RA_FP_GC_RACE,
                "manifest %s was pushed at %s, within 30 minutes of %s running",
                ra_digest_short(d, &fi->parent), ra_time_format(when, pl->mtime),
                fr->job_name);
            return;
        }
    }
}

void ra_correlate_storage_release(struct ra_corr *c)
{
    size_t i;

    for (i = 0; i < c->users.len; i++)
        users_free(c->users.items[i]);
    ra_vec_release(&c->users);
}
