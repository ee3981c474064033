/* SPDX-License-Identifier: MIT */
/* The in-memory image graph of one registry root. */
#include "model/graph.h"

#include <stdlib.h>

#include "model/storage_path.h"
#include "util/buf.h"

void ra_graph_new(struct ra_graph **out, const char *root, size_t root_len)
{
    struct ra_graph *g = ra_xcalloc(1, sizeof(*g));

    g->root = ra_pool_strndup(&g->pool, root, root_len);
    *out = g;
}

static void release_repo(struct ra_repo *r)
{
    size_t it = 0;
    void *t;

    while (ra_map_next(&r->tags, &it, NULL, NULL, &t))
        ra_map_release(&((struct ra_tag *)t)->history);
    ra_map_release(&r->layers);
    ra_map_release(&r->revisions);
    ra_map_release(&r->tags);
    ra_map_release(&r->uploads);
}

void ra_graph_free(struct ra_graph *g)
{
    size_t it = 0;
    void *r;

    if (!g)
        return;
    while (ra_map_next(&g->repos, &it, NULL, NULL, &r))
        release_repo(r);
    ra_map_release(&g->repos);
    ra_map_release(&g->blobs);
    ra_vec_release(&g->odd);
    ra_vec_release(&g->dups);
    ra_map_release(&g->dirs);
    ra_map_release(&g->meta);
    ra_map_release(&g->meta_in);
    ra_pool_release(&g->pool);
    free(g);
}

struct ra_blob *ra_graph_find_blob(const struct ra_graph *g, const struct ra_digest *d)
{
    return ra_map_get(&g->blobs, d->b, sizeof(d->b));
}

struct ra_blob *ra_graph_blob(struct ra_graph *g, const struct ra_digest *d)
{
    struct ra_blob *b = ra_graph_find_blob(g, d);

    if (b)
        return b;
    b = ra_pool_alloc(&g->pool, sizeof(*b));
    b->digest = *d;
    b->size = -1;
    b->mtime = RA_TIME_NONE;
    ra_map_put(&g->blobs, b->digest.b, sizeof(b->digest.b), b);
    return b;
}

struct ra_repo *ra_graph_repo(struct ra_graph *g, const char *name, size_t len)
{
    struct ra_repo *r = ra_map_get(&g->repos, name, len);

    if (r)
        return r;
    r = ra_pool_alloc(&g->pool, sizeof(*r));
    r->name = ra_pool_strndup(&g->pool, name, len);
    ra_map_put(&g->repos, r->name, len, r);
    return r;
}

struct ra_tag *ra_graph_tag(struct ra_graph *g, struct ra_repo *r, const char *name,
                            size_t len)
{
    struct ra_tag *t = ra_map_get(&r->tags, name, len);

    if (t)
        return t;
    t = ra_pool_alloc(&g->pool, sizeof(*t));
    t->name = ra_pool_strndup(&g->pool, name, len);
    t->current.mtime = RA_TIME_NONE;
    ra_map_put(&r->tags, t->name, len, t);
    return t;
}

struct ra_upload *ra_graph_upload(struct ra_graph *g, struct ra_repo *r, const char *uuid,
                                  size_t len)
{
    struct ra_upload *u = ra_map_get(&r->uploads, uuid, len);

    if (u)
        return u;
    u = ra_pool_alloc(&g->pool, sizeof(*u));
    u->uuid = ra_pool_strndup(&g->pool, uuid, len);
    u->started_at = RA_TIME_NONE;
    u->mtime = RA_TIME_NONE;
    u->size = -1;
    ra_map_put(&r->uploads, u->uuid, len, u);
    return u;
}

void ra_graph_note_odd(struct ra_graph *g, const char *path, size_t len, const char *what)
{
    struct ra_odd_member *o = ra_pool_alloc(&g->pool, sizeof(*o));

    o->path = ra_pool_strndup(&g->pool, path, len);
    o->what = what;
    ra_vec_push(&g->odd, o);
}

void ra_graph_note_dup(struct ra_graph *g, const char *path, size_t len, uint64_t earlier,
                       uint64_t later)
{
    struct ra_dup_member *d = ra_pool_alloc(&g->pool, sizeof(*d));

    d->path = ra_pool_strndup(&g->pool, path, len);
    d->earlier = earlier;
    d->later = later;
    ra_vec_push(&g->dups, d);
}

void ra_graph_note_dir(struct ra_graph *g, const char *rel, size_t len, ra_time mtime)
{
    ra_time *t = ra_map_get(&g->dirs, rel, len);

    if (!t) {
        t = ra_pool_alloc(&g->pool, sizeof(*t));
        ra_map_put(&g->dirs, ra_pool_strndup(&g->pool, rel, len), len, t);
    }
    *t = mtime;
}

const char *ra_meta_kind_name(enum ra_meta_kind k)
{
    static const char *const names[RA_META__COUNT] = {
        "@eaDir", "#recycle", "#snapshot", "@tmp", ".DS_Store", "AppleDouble ._*"};
    return (unsigned)k < RA_META__COUNT ? names[k] : "";
}

struct ra_meta_item *ra_graph_note_meta(struct ra_graph *g, const char *rel, size_t len,
                                        enum ra_meta_kind kind, int inside, ra_time mtime)
{
    struct ra_meta_item *m = ra_map_get(&g->meta, rel, len), *head;
    size_t dir = len;

    if (!m) {
        m = ra_pool_alloc(&g->pool, sizeof(*m));
        m->path = ra_pool_strndup(&g->pool, rel, len);
        while (dir && rel[dir - 1] != '/')
            dir--;
        m->name = m->path + dir;
        m->kind = kind;
        m->mtime = RA_TIME_NONE;
        ra_map_put(&g->meta, m->path, len, m);
        dir = dir ? dir - 1 : 0;
        head = ra_map_get(&g->meta_in, rel, dir);
        m->next_in_dir = head;
        ra_map_put(&g->meta_in, m->path, dir, m);
    }
    if (inside)
        m->is_dir = 1;
    if (mtime != RA_TIME_NONE && (m->mtime == RA_TIME_NONE || mtime > m->mtime))
        m->mtime = mtime;
    return m;
}

const struct ra_meta_item *ra_graph_meta_in(const struct ra_graph *g, const char *rel)
{
    return ra_map_gets(&g->meta_in, rel);
}

ra_time ra_graph_dir_mtime(const struct ra_graph *g, const char *rel)
{
    const ra_time *t = ra_map_gets(&g->dirs, rel);
    return t ? *t : RA_TIME_NONE;
}

struct ra_link *ra_graph_find_link(const struct ra_map *map, const struct ra_digest *d)
{
    return ra_map_get(map, d->b, sizeof(d->b));
}

struct ra_link *ra_graph_link(struct ra_graph *g, struct ra_map *map,
                              const struct ra_digest *d)
{
    struct ra_link *l = ra_graph_find_link(map, d);

    if (l)
        return l;
    l = ra_pool_alloc(&g->pool, sizeof(*l));
    l->key = *d;
    l->mtime = RA_TIME_NONE;
    ra_map_put(map, l->key.b, sizeof(l->key.b), l);
    return l;
}

static void map_values(struct ra_vec *out, const struct ra_map *m)
{
    size_t it = 0;
    void *v;

    out->len = 0;
    while (ra_map_next(m, &it, NULL, NULL, &v))
        ra_vec_push(out, v);
}

static int cmp_repo(const void *a, const void *b)
{
    const struct ra_repo *x = *(void *const *)a, *y = *(void *const *)b;
    return strcmp(x->name, y->name);
}

static int cmp_tag(const void *a, const void *b)
{
    const struct ra_tag *x = *(void *const *)a, *y = *(void *const *)b;
    return strcmp(x->name, y->name);
}

static int cmp_upload(const void *a, const void *b)
{
    const struct ra_upload *x = *(void *const *)a, *y = *(void *const *)b;
    return strcmp(x->uuid, y->uuid);
}

static int cmp_link(const void *a, const void *b)
{
    const struct ra_link *x = *(void *const *)a, *y = *(void *const *)b;
    return ra_digest_cmp(&x->key, &y->key);
}

static int cmp_blob(const void *a, const void *b)
{
    const struct ra_blob *x = *(void *const *)a, *y = *(void *const *)b;
    return ra_digest_cmp(&x->digest, &y->digest);
}

void ra_graph_sorted_repos(struct ra_vec *out, const struct ra_graph *g)
{
    map_values(out, &g->repos);
    ra_vec_sort(out, cmp_repo);
}

void ra_graph_sorted_tags(struct ra_vec *out, const struct ra_repo *r)
{
    map_values(out, &r->tags);
    ra_vec_sort(out, cmp_tag);
}

void ra_graph_sorted_uploads(struct ra_vec *out, const struct ra_repo *r)
{
    map_values(out, &r->uploads);
    ra_vec_sort(out, cmp_upload);
}

void ra_graph_sorted_links(struct ra_vec *out, const struct ra_map *map)
{
    map_values(out, map);
    ra_vec_sort(out, cmp_link);
}

void ra_graph_sorted_blobs(struct ra_vec *out, const struct ra_graph *g)
{
    map_values(out, &g->blobs);
    ra_vec_sort(out, cmp_blob);
}

void ra_graph_count(struct ra_graph_counts *out, const struct ra_graph *g)
{
    struct ra_map manifests = RA_MAP_INIT;
    size_t it = 0, jt;
    void *v, *l;

    memset(out, 0, sizeof(*out));
    while (ra_map_next(&g->blobs, &it, NULL, NULL, &v)) {
        const struct ra_blob *b = v;
        if (b->present) {
            out->blobs++;
            out->bytes += b->size > 0 ? (uint64_t)b->size : 0;
        }
    }
    it = 0;
    while (ra_map_next(&g->repos, &it, NULL, NULL, &v)) {
        const struct ra_repo *r = v;
        out->repositories++;
        out->tags += r->tags.count;
        out->layer_links += r->layers.count;
        out->uploads += r->uploads.count;
        jt = 0;
        while (ra_map_next(&r->revisions, &jt, NULL, NULL, &l)) {
            const struct ra_link *link = l;
            ra_map_put(&manifests, link->key.b, sizeof(link->key.b), (void *)link);
        }
    }
    out->manifests = manifests.count;
    ra_map_release(&manifests);
}

void ra_graph_blob_path(struct ra_buf *out, const struct ra_graph *g,
                        const struct ra_digest *d)
{
    ra_storage_path(out, g->root, RA_STORE_BLOB_DATA, NULL, NULL, d);
}

void ra_graph_link_path(struct ra_buf *out, const struct ra_graph *g,
                        enum ra_link_kind kind, const char *repo, const char *tag,
                        const struct ra_digest *d)
{
    static const enum ra_storage_kind kinds[] = {
        [RA_LINK_LAYER] = RA_STORE_LAYER_LINK,
        [RA_LINK_REVISION] = RA_STORE_REVISION_LINK,
        [RA_LINK_TAG_CURRENT] = RA_STORE_TAG_CURRENT,
        [RA_LINK_TAG_INDEX] = RA_STORE_TAG_INDEX,
    };

    ra_storage_path(out, g->root, kinds[kind], repo, tag, d);
}
