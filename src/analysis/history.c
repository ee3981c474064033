/* SPDX-License-Identifier: MIT */
/* Per-snapshot presence of every object, as intervals. */
#include "analysis/history.h"

#include <stdlib.h>

#include "model/graph.h"

/* The fixed-size key an object is found by: names are interned to numbers. */
struct bkey {
    uint8_t kind;
    uint8_t pad[3];
    uint32_t root;
    uint32_t repo;
    uint8_t id[32]; /* a digest, or a tag's number in its first 4 bytes */
};

/* Snapshots [start, end) had the object; later intervals, when it left and came back,
 * in more (pairs). */
struct obj {
    struct bkey key;
    uint32_t start, end;
    uint32_t nmore, capmore;
    uint32_t *more;
};

struct ra_history {
    struct ra_pool pool;
    struct ra_map names; /* string -> number + 1 */
    struct ra_map objs;  /* struct bkey -> struct obj */
    struct ra_vec strs;  /* interned strings by number - 1 */
    uint32_t nnames;
    size_t count; /* snapshots added */
};

void ra_history_new(struct ra_history **out)
{
    *out = ra_xcalloc(1, sizeof(**out));
}

void ra_history_free(struct ra_history *h)
{
    size_t it = 0;
    void *v;

    if (!h)
        return;
    while (ra_map_next(&h->objs, &it, NULL, NULL, &v))
        free(((struct obj *)v)->more);
    ra_vec_release(&h->strs);
    ra_map_release(&h->names);
    ra_map_release(&h->objs);
    ra_pool_release(&h->pool);
    free(h);
}

size_t ra_history_count(const struct ra_history *h)
{
    return h->count;
}

static uint32_t name_id(struct ra_history *h, const char *s)
{
    size_t n = strlen(s);
    void *v = ra_map_get(&h->names, s, n);
    char *copy;

    if (v)
        return (uint32_t)(uintptr_t)v;
    copy = ra_pool_strndup(&h->pool, s, n); /* the map borrows its key */
    ra_vec_push(&h->strs, copy);
    ra_map_put(&h->names, copy, n, (void *)(uintptr_t)(++h->nnames));
    return h->nnames;
}

const char *ra_history_intern(struct ra_history *h, const char *s)
{
    uint32_t id = name_id(h, s); /* may grow strs */

    return h->strs.items[id - 1];
}

/* The key of k; 0 when a name in it was never seen (then no snapshot had it). */
static int find_key(struct bkey *out, const struct ra_history *h,
                    const struct ra_hist_key *k)
{
    const char *names[3] = {k->root, k->repo, k->tag};
    uint32_t ids[3] = {0, 0, 0};
    size_t i;
    void *v;

    memset(out, 0, sizeof(*out));
    out->kind = (uint8_t)k->kind;
    for (i = 0; i < 3; i++) {
        if (!names[i] || (i == 1 && k->kind == RA_HIST_BLOB) ||
            (i == 2 && k->kind != RA_HIST_TAG && k->kind != RA_HIST_TAG_LISTED &&
             k->kind != RA_HIST_TAG_PULLS))
            continue;
        if (!(v = ra_map_gets(&h->names, names[i])))
            return 0;
        ids[i] = (uint32_t)(uintptr_t)v;
    }
    out->root = ids[0];
    out->repo = ids[1];
    if (ids[2])
        memcpy(out->id, &ids[2], sizeof(ids[2]));
    else if (k->digest && k->kind != RA_HIST_REPO)
        memcpy(out->id, k->digest->b, 32);
    return 1;
}

static void mark(struct ra_history *h, enum ra_hist_kind kind, uint32_t root,
                 uint32_t repo, const struct ra_digest *d, uint32_t tag)
{
    struct bkey key;
    struct obj *o;
    uint32_t k = (uint32_t)h->count, *last;

    memset(&key, 0, sizeof(key));
    key.kind = (uint8_t)kind;
    key.root = root;
    key.repo = repo;
    if (d)
        memcpy(key.id, d->b, 32);
    else
        memcpy(key.id, &tag, sizeof(tag));
    if (!(o = ra_map_get(&h->objs, &key, sizeof(key)))) {
        o = ra_pool_alloc(&h->pool, sizeof(*o));
        o->key = key; /* the map borrows the object's own copy */
        o->start = k;
        o->end = k + 1;
        ra_map_put(&h->objs, &o->key, sizeof(o->key), o);
        return;
    }
    last = o->nmore ? &o->more[2 * (o->nmore - 1)] : &o->start;
    if (last[1] >= k) { /* had it in the snapshot before (or already marked) */
        last[1] = k + 1;
        return;
    }
    if (o->nmore == o->capmore) {
        o->capmore = o->capmore ? 2 * o->capmore : 2;
        o->more = ra_xrealloc(o->more, 2 * o->capmore * sizeof(*o->more));
    }
    o->more[2 * o->nmore] = k;
    o->more[2 * o->nmore + 1] = k + 1;
    o->nmore++;
}

static void add_repo(struct ra_history *h, uint32_t root, const struct ra_repo *r)
{
    uint32_t repo = name_id(h, r->name);
    size_t it = 0;
    void *v;

    mark(h, RA_HIST_REPO, root, repo, NULL, 0);
    while (ra_map_next(&r->revisions, &it, NULL, NULL, &v))
        mark(h, RA_HIST_REVISION, root, repo, &((const struct ra_link *)v)->key, 0);
    it = 0;
    while (ra_map_next(&r->layers, &it, NULL, NULL, &v))
        mark(h, RA_HIST_LAYER, root, repo, &((const struct ra_link *)v)->key, 0);
    it = 0;
    while (ra_map_next(&r->tags, &it, NULL, NULL, &v)) {
        const struct ra_tag *t = v;
        if (t->has_current && t->current.valid)
            mark(h, RA_HIST_TAG, root, repo, NULL, name_id(h, t->name));
    }
}

void ra_history_add(struct ra_history *h, const struct ra_scan *s)
{
    size_t i, j, it;
    void *v;

    for (i = 0; i < s->nregs; i++) {
        const struct ra_registry_result *rr = s->regs[i];
        const struct ra_graph *g = rr->graph;
        uint32_t root = name_id(h, g->root);
        it = 0;
        while (ra_map_next(&g->blobs, &it, NULL, NULL, &v))
            if (((const struct ra_blob *)v)->present)
                mark(h, RA_HIST_BLOB, root, 0, &((const struct ra_blob *)v)->digest, 0);
        it = 0;
        while (ra_map_next(&g->repos, &it, NULL, NULL, &v))
            add_repo(h, root, v);
        for (j = 0; j < rr->ntags; j++) {
            const struct ra_tag_result *t = &rr->tags[j];
            uint32_t repo = name_id(h, t->repository), tag = name_id(h, t->tag);
            mark(h, RA_HIST_TAG_LISTED, root, repo, NULL, tag);
            if (t->pullable)
                mark(h, RA_HIST_TAG_PULLS, root, repo, NULL, tag);
        }
    }
    h->count++;
}

static const struct obj *find(const struct ra_history *h, const struct ra_hist_key *k)
{
    struct bkey key;

    if (!find_key(&key, h, k))
        return NULL;
    return ra_map_get(&h->objs, &key, sizeof(key));
}

int ra_history_has(const struct ra_history *h, const struct ra_hist_key *key, size_t k)
{
    const struct obj *o = find(h, key);
    uint32_t i;

    if (!o)
        return 0;
    if (k >= o->start && k < o->end)
        return 1;
    for (i = 0; i < o->nmore; i++)
        if (k >= o->more[2 * i] && k < o->more[2 * i + 1])
            return 1;
    return 0;
}

size_t ra_history_last_before(const struct ra_history *h, const struct ra_hist_key *key,
                              size_t k)
{
    const struct obj *o = find(h, key);
    size_t best = SIZE_MAX;
    uint32_t i;

    if (!o)
        return SIZE_MAX;
    for (i = 0; i <= o->nmore; i++) {
        size_t s = i ? o->more[2 * (i - 1)] : o->start,
               e = i ? o->more[2 * i - 1] : o->end;
        if (s < k)
            best = (e < k ? e : k) - 1;
    }
    return best;
}

void ra_history_size(const struct ra_history *h, size_t *objects, size_t *changes)
{
    size_t it = 0, n = 0;
    void *v;

    while (ra_map_next(&h->objs, &it, NULL, NULL, &v))
        n += ((const struct obj *)v)->nmore;
    *objects = h->objs.count;
    *changes = n;
}
