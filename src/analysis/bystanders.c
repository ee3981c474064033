/* SPDX-License-Identifier: MIT */
/* Objects gone in a loss window that break no tag. */
#include "analysis/bystanders.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/losses.h"
#include "analysis/scan.h"
#include "model/graph.h"
#include "model/manifest.h"
#include "util/map.h"

struct pair {
    const struct ra_graph *old, *new_;
    const struct ra_losses *ls;
    const char *root;
    struct ra_map blobs; /* digest (the old graph's bytes) -> 1: counted */
    struct ra_vec links; /* const struct ra_link * of the old graph: counted */
};

static int is_lost(const struct pair *p, enum ra_object_kind k, const char *repo,
                   const struct ra_digest *d)
{
    size_t i;

    for (i = 0; i < p->ls->items.len; i++) {
        const struct ra_loss *l = p->ls->items.items[i];
        if (l->object == k && !strcmp(l->root, p->root) &&
            !ra_digest_cmp(&l->digest, d) &&
            (k == RA_OBJ_BLOB || !strcmp(l->repository, repo)))
            return 1;
    }
    return 0;
}

static int blob_gone(const struct pair *p, const struct ra_digest *d)
{
    const struct ra_blob *ob = ra_graph_find_blob(p->old, d),
                         *nb = ra_graph_find_blob(p->new_, d);

    return ob && ob->present && !(nb && nb->present);
}

static int link_gone(const struct pair *p, const struct ra_repo *r,
                     const struct ra_digest *d)
{
    const struct ra_repo *nr = ra_map_gets(&p->new_->repos, r->name);

    return ra_graph_find_link(&r->revisions, d) &&
           !(nr && ra_graph_find_link(&nr->revisions, d));
}

static const struct ra_manifest *manifest_of(const struct ra_graph *g,
                                             const struct ra_digest *d)
{
    const struct ra_blob *b = ra_graph_find_blob(g, d);

    return b && b->present && b->manifest &&
                   (b->manifest->kind == RA_MANIFEST_INDEX ||
                    b->manifest->kind == RA_MANIFEST_IMAGE ||
                    b->manifest->kind == RA_MANIFEST_SCHEMA1)
               ? b->manifest
               : NULL;
}

/* Is d a tag's current manifest in r, or a child of one? */
static int tagged(const struct ra_graph *g, const struct ra_repo *r,
                  const struct ra_digest *d)
{
    size_t it = 0, i;
    void *v;

    while (ra_map_next(&r->tags, &it, NULL, NULL, &v)) {
        const struct ra_tag *t = v;
        const struct ra_manifest *m;
        if (!t->has_current || !t->current.valid)
            continue;
        if (!ra_digest_cmp(&t->current.target, d))
            return 1;
        if ((m = manifest_of(g, &t->current.target)) && m->kind == RA_MANIFEST_INDEX)
            for (i = 0; i < m->nrefs; i++)
                if (!ra_digest_cmp(&m->refs[i].digest, d))
                    return 1;
    }
    return 0;
}

/* Is d the child of an untagged index in r (then that index is the root)? */
static int child_of_untagged(const struct ra_graph *g, const struct ra_repo *r,
                             const struct ra_digest *d)
{
    size_t it = 0, i;
    void *v;

    while (ra_map_next(&r->revisions, &it, NULL, NULL, &v)) {
        const struct ra_link *k = v;
        const struct ra_manifest *m = manifest_of(g, &k->key);
        if (!m || m->kind != RA_MANIFEST_INDEX || tagged(g, r, &k->key))
            continue;
        for (i = 0; i < m->nrefs; i++)
            if (!ra_digest_cmp(&m->refs[i].digest, d))
                return 1;
    }
    return 0;
}

/* Count blob d and, when it is a manifest of r, its revision link; 1 if anything. */
static int count(struct ra_bystanders *out, struct pair *p, const struct ra_repo *r,
                 const struct ra_digest *d, int manifest)
{
    const struct ra_blob *b = ra_graph_find_blob(p->old, d);
    const struct ra_link *k = ra_graph_find_link(&r->revisions, d);
    size_t i;
    int any = 0;

    if (b && blob_gone(p, d) && !is_lost(p, RA_OBJ_BLOB, "", d) &&
        !ra_map_get(&p->blobs, b->digest.b, sizeof(b->digest.b))) {
        ra_map_put(&p->blobs, b->digest.b, sizeof(b->digest.b), (void *)1);
        out->blobs++;
        out->manifests += manifest_of(p->old, d) != NULL;
        any = 1;
    }
    if (!manifest || !k || !link_gone(p, r, d) ||
        is_lost(p, RA_OBJ_MANIFEST_LINK, r->name, d))
        return any;
    for (i = 0; i < p->links.len && p->links.items[i] != k; i++)
        ;
    if (i == p->links.len) {
        ra_vec_push(&p->links, (void *)k);
        out->links++;
        any = 1;
    }
    return any;
}

/* An image manifest and its config and layers. */
static int count_image(struct ra_bystanders *out, struct pair *p, const struct ra_repo *r,
                       const struct ra_digest *d)
{
    const struct ra_manifest *m = manifest_of(p->old, d);
    size_t i;
    int any = count(out, p, r, d, 1);

    if (m && m->has_config)
        any |= count(out, p, r, &m->config.digest, 0);
    for (i = 0; m && m->kind != RA_MANIFEST_INDEX && i < m->nrefs; i++)
        any |= count(out, p, r, &m->refs[i].digest, 0);
    return any;
}

static void add_root(struct ra_bystanders *out, const struct ra_repo *r,
                     const struct ra_link *k, int is_index)
{
    struct ra_bystander_root *b = ra_xcalloc(1, sizeof(*b));

    b->repository = r->name;
    b->digest = k->key;
    b->is_index = is_index;
    b->pushed = k->mtime;
    ra_vec_push(&out->roots, b);
}

static void repo_roots(struct ra_bystanders *out, struct pair *p, const struct ra_repo *r)
{
    size_t it = 0, i;
    void *v;

    while (ra_map_next(&r->revisions, &it, NULL, NULL, &v)) {
        const struct ra_link *k = v;
        const struct ra_manifest *m = manifest_of(p->old, &k->key);
        int any;
        if (!m || tagged(p->old, r, &k->key) || child_of_untagged(p->old, r, &k->key))
            continue;
        any = count_image(out, p, r, &k->key);
        for (i = 0; m->kind == RA_MANIFEST_INDEX && i < m->nrefs; i++)
            any |= count_image(out, p, r, &m->refs[i].digest);
        if (any)
            add_root(out, r, k, m->kind == RA_MANIFEST_INDEX);
    }
}

/* Everything gone and not a loss, to tell what no untagged manifest explains. */
static size_t all_gone(struct pair *p)
{
    size_t it = 0, n = 0;
    void *v;

    while (ra_map_next(&p->old->blobs, &it, NULL, NULL, &v)) {
        const struct ra_blob *b = v;
        n += blob_gone(p, &b->digest) && !is_lost(p, RA_OBJ_BLOB, "", &b->digest);
    }
    it = 0;
    while (ra_map_next(&p->old->repos, &it, NULL, NULL, &v)) {
        const struct ra_repo *r = v;
        size_t jt = 0;
        void *lv;
        while (ra_map_next(&r->revisions, &jt, NULL, NULL, &lv)) {
            const struct ra_link *k = lv;
            n += link_gone(p, r, &k->key) &&
                 !is_lost(p, RA_OBJ_MANIFEST_LINK, r->name, &k->key);
        }
    }
    return n;
}

static int cmp_root(const void *a, const void *b)
{
    const struct ra_bystander_root *x = *(const struct ra_bystander_root *const *)a,
                                   *y = *(const struct ra_bystander_root *const *)b;
    int c = strcmp(x->repository, y->repository);

    return c ? c : ra_digest_cmp(&x->digest, &y->digest);
}

void ra_bystanders_find(struct ra_bystanders *out, const struct ra_losses *ls,
                        const struct ra_loss *l)
{
    const struct ra_registry_result *ro, *rn;
    struct pair p = {NULL, NULL, ls, l->root, RA_MAP_INIT, RA_VEC_INIT};
    size_t it = 0;
    void *v;

    memset(out, 0, sizeof(*out));
    if (l->last_present == SIZE_MAX || l->first_missing >= ls->nscans ||
        ls->scans[l->last_present]->thinned || ls->scans[l->first_missing]->thinned ||
        !(ro = ra_scan_registry(ls->scans[l->last_present], l->root)) ||
        !(rn = ra_scan_registry(ls->scans[l->first_missing], l->root)) || !ro->graph ||
        !rn->graph)
        return;
    p.old = ro->graph;
    p.new_ = rn->graph;
    out->root = l->root;
    out->before = ls->scans[l->last_present]->snap->name;
    out->after = ls->scans[l->first_missing]->snap->name;
    out->from = ls->scans[l->last_present]->snap->taken_at;
    out->to = ls->scans[l->first_missing]->snap->taken_at;
    while (ra_map_next(&p.old->repos, &it, NULL, NULL, &v))
        repo_roots(out, &p, v);
    out->unexplained = all_gone(&p) - out->blobs - out->links;
    if (out->roots.len > 1)
        qsort(out->roots.items, out->roots.len, sizeof(void *), cmp_root);
    ra_map_release(&p.blobs);
    ra_vec_release(&p.links);
}

void ra_bystanders_release(struct ra_bystanders *b)
{
    size_t i;

    for (i = 0; i < b->roots.len; i++)
        free(b->roots.items[i]);
    ra_vec_release(&b->roots);
    memset(b, 0, sizeof(*b));
}
