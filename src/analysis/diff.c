/* SPDX-License-Identifier: MIT */
/* Snapshot diff. */
#include "analysis/diff.h"

#include <stdlib.h>

#include "model/graph.h"

static const char *const kind_names[RA_CHANGE__COUNT] = {
    "tag_added",      "tag_removed",        "tag_moved",         "revision_removed",
    "revision_added", "layer_link_removed", "layer_link_added",  "tag_history_removed",
    "blob_deleted",   "blob_added",         "became_unpullable", "repaired",
};

const char *ra_change_kind_name(enum ra_change_kind k)
{
    return (unsigned)k < RA_CHANGE__COUNT ? kind_names[k] : "";
}

struct differ {
    struct ra_diff *d;
    struct ra_diff_registry *reg;
};

static struct ra_change *add(struct differ *df, enum ra_change_kind kind,
                             const char *repo, const char *tag)
{
    struct ra_change *c = ra_pool_alloc(&df->d->pool, sizeof(*c));

    c->kind = kind;
    c->repository = repo ? repo : "";
    c->tag = tag ? tag : "";
    c->size = -1;
    ra_vec_push(&df->reg->changes, c);
    df->reg->counts[kind]++;
    return c;
}

/* Keys of a that are not in b, as changes of the given kind (a sorted walk). */
static void link_diff(struct differ *df, const struct ra_map *a, const struct ra_map *b,
                      enum ra_change_kind kind, const char *repo, const char *tag,
                      int old_side)
{
    struct ra_vec links = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_links(&links, a);
    for (i = 0; i < links.len; i++) {
        const struct ra_link *l = links.items[i];
        struct ra_change *c;
        if (b && ra_graph_find_link(b, &l->key))
            continue;
        c = add(df, kind, repo, tag);
        if (old_side) {
            c->has_old = 1;
            c->old_digest = l->key;
        } else {
            c->has_new = 1;
            c->new_digest = l->key;
        }
    }
    ra_vec_release(&links);
}

static const struct ra_repo *find_repo(const struct ra_graph *g, const char *name)
{
    return g ? ra_map_gets(&g->repos, name) : NULL;
}

static int resolves(const struct ra_tag *t)
{
    return t && t->has_current && t->current.valid;
}

static void tag_diff(struct differ *df, const struct ra_repo *o, const struct ra_repo *n)
{
    struct ra_vec tags = RA_VEC_INIT;
    size_t i;

    if (o) {
        ra_graph_sorted_tags(&tags, o);
        for (i = 0; i < tags.len; i++) {
            const struct ra_tag *ot = tags.items[i];
            const struct ra_tag *nt = n ? ra_map_gets(&n->tags, ot->name) : NULL;
            struct ra_change *c;
            if (!resolves(nt) && resolves(ot)) {
                c = add(df, RA_CHANGE_TAG_REMOVED, o->name, ot->name);
                c->has_old = 1;
                c->old_digest = ot->current.target;
            } else if (resolves(nt) && resolves(ot) &&
                       ra_digest_cmp(&nt->current.target, &ot->current.target)) {
                c = add(df, RA_CHANGE_TAG_MOVED, o->name, ot->name);
                c->has_old = c->has_new = 1;
                c->old_digest = ot->current.target;
                c->new_digest = nt->current.target;
            }
            link_diff(df, &ot->history, nt ? &nt->history : NULL,
                      RA_CHANGE_TAG_HISTORY_REMOVED, o->name, ot->name, 1);
        }
    }
    if (n) {
        ra_graph_sorted_tags(&tags, n);
        for (i = 0; i < tags.len; i++) {
            const struct ra_tag *nt = tags.items[i];
            const struct ra_tag *ot = o ? ra_map_gets(&o->tags, nt->name) : NULL;
            if (resolves(nt) && !resolves(ot)) {
                struct ra_change *c = add(df, RA_CHANGE_TAG_ADDED, n->name, nt->name);
                c->has_new = 1;
                c->new_digest = nt->current.target;
            }
        }
    }
    ra_vec_release(&tags);
}

static void repo_diffs(struct differ *df, const struct ra_graph *og,
                       const struct ra_graph *ng)
{
    struct ra_vec repos = RA_VEC_INIT;
    size_t i, pass;

    for (pass = 0; pass < 2; pass++) {
        const struct ra_graph *g = pass ? ng : og, *other = pass ? og : ng;
        if (!g)
            continue;
        ra_graph_sorted_repos(&repos, g);
        for (i = 0; i < repos.len; i++) {
            const struct ra_repo *r = repos.items[i], *x = find_repo(other, r->name);
            if (!pass) {
                tag_diff(df, r, x);
                link_diff(df, &r->revisions, x ? &x->revisions : NULL,
                          RA_CHANGE_REVISION_REMOVED, r->name, NULL, 1);
                link_diff(df, &r->layers, x ? &x->layers : NULL,
                          RA_CHANGE_LAYER_LINK_REMOVED, r->name, NULL, 1);
            } else {
                if (!x)
                    tag_diff(df, NULL, r);
                link_diff(df, &r->revisions, x ? &x->revisions : NULL,
                          RA_CHANGE_REVISION_ADDED, r->name, NULL, 0);
                link_diff(df, &r->layers, x ? &x->layers : NULL,
                          RA_CHANGE_LAYER_LINK_ADDED, r->name, NULL, 0);
            }
        }
    }
    ra_vec_release(&repos);
}

static void blob_diffs(struct differ *df, const struct ra_graph *og,
                       const struct ra_graph *ng)
{
    struct ra_vec blobs = RA_VEC_INIT;
    size_t i, pass;

    for (pass = 0; pass < 2; pass++) {
        const struct ra_graph *g = pass ? ng : og, *other = pass ? og : ng;
        if (!g)
            continue;
        ra_graph_sorted_blobs(&blobs, g);
        for (i = 0; i < blobs.len; i++) {
            const struct ra_blob *b = blobs.items[i];
            const struct ra_blob *x =
                other ? ra_graph_find_blob(other, &b->digest) : NULL;
            struct ra_change *c;
            if (!b->present || (x && x->present))
                continue;
            c = add(df, pass ? RA_CHANGE_BLOB_ADDED : RA_CHANGE_BLOB_DELETED, NULL, NULL);
            c->size = b->size;
            if (pass) {
                c->has_new = 1;
                c->new_digest = b->digest;
            } else {
                c->has_old = 1;
                c->old_digest = b->digest;
            }
        }
    }
    ra_vec_release(&blobs);
}

static const struct ra_tag_result *find_tag(const struct ra_registry_result *r,
                                            const char *repo, const char *tag)
{
    size_t lo = 0, hi = r ? r->ntags : 0;

    while (lo < hi) { /* tags are sorted by repository, then tag */
        size_t mid = lo + (hi - lo) / 2;
        const struct ra_tag_result *t = &r->tags[mid];
        int c = strcmp(t->repository, repo);
        if (!c)
            c = strcmp(t->tag, tag);
        if (!c)
            return t;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void pull_diffs(struct differ *df, const struct ra_registry_result *o,
                       const struct ra_registry_result *n)
{
    size_t i;

    for (i = 0; n && i < n->ntags; i++) {
        const struct ra_tag_result *nt = &n->tags[i];
        const struct ra_tag_result *ot = find_tag(o, nt->repository, nt->tag);
        struct ra_change *c;
        if (!ot || ot->pullable == nt->pullable)
            continue;
        c = add(df, nt->pullable ? RA_CHANGE_REPAIRED : RA_CHANGE_BECAME_UNPULLABLE,
                nt->repository, nt->tag);
        c->has_old = ot->resolves;
        c->old_digest = ot->digest;
        c->has_new = nt->resolves;
        c->new_digest = nt->digest;
        c->reason = nt->reason;
    }
}

static int cmp_change(const void *a, const void *b)
{
    const struct ra_change *x = *(void *const *)a, *y = *(void *const *)b;
    int c;

    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if ((c = strcmp(x->repository, y->repository)) || (c = strcmp(x->tag, y->tag)))
        return c;
    if ((c = ra_digest_cmp(&x->old_digest, &y->old_digest)))
        return c;
    return ra_digest_cmp(&x->new_digest, &y->new_digest);
}

/* Registry roots of both scans, matched by path: index into each, or SIZE_MAX. */
static size_t find_root(const struct ra_scan *s, const char *root)
{
    size_t i;

    for (i = 0; s && i < s->nregs; i++)
        if (!strcmp(s->regs[i]->graph->root, root))
            return i;
    return SIZE_MAX;
}

static void diff_registry(struct ra_diff *d, struct ra_diff_registry *reg)
{
    size_t oi = find_root(d->old_scan, reg->root), ni = find_root(d->new_scan, reg->root);
    const struct ra_registry_result *o = oi != SIZE_MAX ? d->old_scan->regs[oi] : NULL;
    const struct ra_registry_result *n = ni != SIZE_MAX ? d->new_scan->regs[ni] : NULL;
    struct differ df = {d, reg};

    reg->in_old = o != NULL;
    reg->in_new = n != NULL;
    repo_diffs(&df, o ? o->graph : NULL, n ? n->graph : NULL);
    blob_diffs(&df, o ? o->graph : NULL, n ? n->graph : NULL);
    pull_diffs(&df, o, n);
    ra_vec_sort(&reg->changes, cmp_change);
}

static int cmp_reg(const void *a, const void *b)
{
    const struct ra_diff_registry *x = a, *y = b;
    return strcmp(x->root, y->root);
}

void ra_diff_compute(struct ra_diff **out, const struct ra_scan *old_scan,
                     const struct ra_scan *new_scan)
{
    struct ra_diff *d = ra_xcalloc(1, sizeof(*d));
    size_t i, n = 0;

    d->old_scan = old_scan;
    d->new_scan = new_scan;
    d->regs = ra_xcalloc(old_scan->nregs + new_scan->nregs + 1, sizeof(*d->regs));
    for (i = 0; i < old_scan->nregs; i++)
        d->regs[n++].root = old_scan->regs[i]->graph->root;
    for (i = 0; i < new_scan->nregs; i++)
        if (find_root(old_scan, new_scan->regs[i]->graph->root) == SIZE_MAX)
            d->regs[n++].root = new_scan->regs[i]->graph->root;
    d->nregs = n;
    qsort(d->regs, n, sizeof(*d->regs), cmp_reg);
    for (i = 0; i < n; i++)
        diff_registry(d, &d->regs[i]);
    *out = d;
}

void ra_diff_free(struct ra_diff *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->nregs; i++)
        ra_vec_release(&d->regs[i].changes);
    free(d->regs);
    ra_pool_release(&d->pool);
    free(d);
}
