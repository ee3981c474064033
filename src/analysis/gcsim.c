/* SPDX-License-Identifier: MIT */
/* Distribution's garbage collector, simulated on the graph. */
#include "analysis/gcsim.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/storage_path.h"
#include "util/buf.h"

struct gc {
    const struct ra_graph *g;
    const struct ra_gc_opts *opts;
    struct ra_gc_result *res;
    struct ra_map marked;  /* digest -> 1 */
    struct ra_vec dellist; /* struct ra_gc_manifest_del * before filtering */
    const struct ra_repo *repo;
};

static int is_marked(const struct gc *gc, const struct ra_digest *d)
{
    return ra_map_get(&gc->marked, d->b, sizeof(d->b)) != NULL;
}

/* Returns 1 when d was already marked. */
static int mark(struct gc *gc, const struct ra_digest *d)
{
    struct ra_digest *copy;

    if (is_marked(gc, d))
        return 1;
    copy = ra_pool_alloc(&gc->res->pool, sizeof(*copy));
    *copy = *d;
    ra_map_put(&gc->marked, copy->b, sizeof(copy->b), copy);
    return 0;
}

static void abort_gc(struct gc *gc, const char *fmt, const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];
    struct ra_buf b = RA_BUF_INIT;

    if (gc->res->aborted)
        return;
    ra_buf_printf(&b, fmt, gc->repo->name, ra_digest_format(hex, d));
    gc->res->aborted = ra_pool_strdup(&gc->res->pool, b.ptr);
    ra_buf_release(&b);
}

/* The manifest service's Exists/Stat: a revision link (2.x also takes the legacy
 * _layers link, 3.0 dropped that fallback) and the data. */
static const struct ra_blob *served_manifest(const struct gc *gc,
                                             const struct ra_digest *d)
{
    const struct ra_blob *b;

    if (!ra_graph_find_link(&gc->repo->revisions, d) &&
        (gc->opts->version == RA_GC_V3 || !ra_graph_find_link(&gc->repo->layers, d)))
        return NULL;
    b = ra_graph_find_blob(gc->g, d);
    return b && b->present ? b : NULL;
}

static int is_manifest(const struct ra_blob *b)
{
    return b && b->manifest &&
           (b->manifest->kind == RA_MANIFEST_INDEX ||
            b->manifest->kind == RA_MANIFEST_IMAGE ||
            b->manifest->kind == RA_MANIFEST_SCHEMA1);
}

/* References(): config + layers, fsLayers, or an index's children. */
static size_t references(const struct ra_manifest *m, const struct ra_descriptor **out,
                         size_t i)
{
    if (m->has_config) {
        if (i == 0) {
            *out = &m->config;
            return 1;
        }
        i--;
    }
    if (i < m->nrefs) {
        *out = &m->refs[i];
        return 1;
    }
    return 0;
}

/* 3.x markManifestReferences: mark each reference; recurse into served manifests. */
static void mark_refs(struct gc *gc, const struct ra_blob *b, int depth)
{
    const struct ra_descriptor *ref;
    const struct ra_blob *child;
    size_t i;

    if (!is_manifest(b)) {
        abort_gc(gc, "%s: failed to retrieve manifest for digest %s", &b->digest);
        return;
    }
    for (i = 0; references(b->manifest, &ref, i); i++) {
        if (mark(gc, &ref->digest))
            continue;
        if (gc->opts->version == RA_GC_V3 && depth < 16 &&
            (child = served_manifest(gc, &ref->digest)))
            mark_refs(gc, child, depth + 1);
    }
}

/* The storage driver's path rule: every segment matches [A-Za-z0-9._-]+. */
static int valid_segment(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

enum lookup_fail { LOOKUP_OK = 0, LOOKUP_BAD_LINK, LOOKUP_INVALID_PATH, LOOKUP_NOT_DIR };

static void worse(const char **name, enum lookup_fail *why, const char *n,
                  enum lookup_fail w)
{
    if (w != LOOKUP_OK && (!*name || strcmp(n, *name) < 0)) {
        *name = n;
        *why = w;
    }
}

/* The entry of r's tags folder Lookup fails on, first by name (its name, borrowed from
 * g), and why; NULL when Lookup succeeds. dir gets the tags folder's path. */
static const char *lookup_fail(enum lookup_fail *why, struct ra_buf *dir,
                               const struct ra_graph *g, const struct ra_repo *r)
{
    const struct ra_meta_item *m;
    const char *name = NULL;
    size_t it = 0;
    void *v;

    *why = LOOKUP_OK;
    while (ra_map_next(&r->tags, &it, NULL, NULL, &v)) {
        const struct ra_tag *t = v;
        worse(&name, why, t->name,
              !valid_segment(t->name)               ? LOOKUP_INVALID_PATH
              : t->has_current && !t->current.valid ? LOOKUP_BAD_LINK
                                                    : LOOKUP_OK);
    }
    ra_storage_path(dir, "", RA_STORE_TAGS, r->name, NULL, NULL);
    for (m = ra_graph_meta_in(g, dir->ptr); m; m = m->next_in_dir)
        worse(&name, why, m->name,
              !valid_segment(m->name) ? LOOKUP_INVALID_PATH
              : !m->is_dir            ? LOOKUP_NOT_DIR
                                      : LOOKUP_OK);
    return name;
}

int ra_gc_lookup_error(struct ra_buf *out, const struct ra_graph *g,
                       const struct ra_repo *r)
{
    struct ra_buf dir = RA_BUF_INIT;
    enum lookup_fail why;
    const char *name = lookup_fail(&why, &dir, g, r);

    /* the registry's own words, with its root as it names it */
    if (why == LOOKUP_BAD_LINK) {
        ra_buf_puts(out, "bad current link");
    } else if (why == LOOKUP_INVALID_PATH) {
        ra_storage_path(&dir, "/docker/registry/v2", RA_STORE_TAG_CURRENT, r->name, name,
                        NULL);
        ra_buf_printf(out, "filesystem: invalid path: %s", dir.ptr);
    } else if (why == LOOKUP_NOT_DIR) {
        ra_storage_path(&dir, ".../docker/registry/v2", RA_STORE_TAG_CURRENT, r->name,
                        name, NULL);
        ra_buf_printf(out, "open %s: not a directory", dir.ptr);
    }
    ra_buf_release(&dir);
    return why != LOOKUP_OK;
}

const char *ra_gc_lookup_entry(const struct ra_graph *g, const struct ra_repo *r)
{
    struct ra_buf dir = RA_BUF_INIT;
    enum lookup_fail why;
    const char *name = lookup_fail(&why, &dir, g, r);

    ra_buf_release(&dir);
    return name;
}

/* TagService.Lookup: tags whose current link names d. An entry of the tags folder it
 * cannot read as <entry>/current/link makes Lookup fail, and the GC with it (-1,
 * gc->res->aborted set). */
static int tagged(struct gc *gc, const struct ra_digest *d)
{
    struct ra_buf why = RA_BUF_INIT;
    char hex[RA_DIGEST_STRLEN];
    size_t it = 0;
    void *v;
    int found = 0;

    if (!gc->opts->without_tag_errors && ra_gc_lookup_error(&why, gc->g, gc->repo)) {
        struct ra_buf b = RA_BUF_INIT;
        ra_buf_printf(&b, "%s: failed to retrieve tags for digest %s: %s", gc->repo->name,
                      ra_digest_format(hex, d), why.ptr);
        if (!gc->res->aborted)
            gc->res->aborted = ra_pool_strdup(&gc->res->pool, b.ptr);
        ra_buf_release(&b);
        ra_buf_release(&why);
        return -1;
    }
    while (ra_map_next(&gc->repo->tags, &it, NULL, NULL, &v)) {
        const struct ra_tag *t = v;
        if (t->has_current && !ra_digest_cmp(&t->current.target, d))
            found = 1;
    }
    return found;
}

static void put_on_delete_list(struct gc *gc, const struct ra_digest *d)
{
    struct ra_gc_manifest_del *del = ra_pool_alloc(&gc->res->pool, sizeof(*del));
    struct ra_vec tags = RA_VEC_INIT;
    size_t i;

    del->repository = gc->repo->name;
    del->digest = *d;
    ra_graph_sorted_tags(&tags, gc->repo);
    del->tags = ra_pool_alloc(&gc->res->pool, sizeof(*del->tags) * (tags.len + 1));
    for (i = 0; i < tags.len; i++) {
        const struct ra_tag *t = tags.items[i];
        if (ra_graph_find_link(&t->history, d))
            del->tags[del->ntags++] = t->name;
    }
    ra_vec_push(&gc->dellist, del);
    ra_vec_release(&tags);
}

/* One revision link, as ManifestEnumerator.Enumerate hands it to the mark callback. */
static void mark_revision(struct gc *gc, const struct ra_link *link)
{
    const struct ra_blob *b;

    if (!link->valid) {
        abort_gc(gc, "%s: cannot read revision link %s", &link->key);
        return;
    }
    /* Enumerate follows the link's content and skips digests it cannot stat */
    if (!(b = served_manifest(gc, &link->target)))
        return;
    if (gc->opts->delete_untagged) {
        int t = tagged(gc, &b->digest);
        if (t < 0)
            return;
        if (!t && !gc->repo->has_tags_dir && !gc->repo->tags.count) {
            /* TagService.All finds no tags folder: 3.x skips the manifest, 2.x fails */
            if (gc->opts->version == RA_GC_V2)
                abort_gc(gc,
                         "%s: failed to retrieve tags for %s: repository name not known "
                         "to registry",
                         &b->digest);
            return;
        }
        if (!t) {
            put_on_delete_list(gc, &b->digest);
            return;
        }
    }
    mark(gc, &b->digest);
    mark_refs(gc, b, 0);
}

/* 3.x: _layers links not marked once the repository is done are deleted. */
static void sweep_layer_links(struct gc *gc)
{
    struct ra_vec links = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_links(&links, &gc->repo->layers);
    for (i = 0; i < links.len; i++) {
        const struct ra_link *l = links.items[i];
        struct ra_gc_link_del *del;
        if (is_marked(gc, &l->key))
            continue;
        del = ra_pool_alloc(&gc->res->pool, sizeof(*del));
        del->repository = gc->repo->name;
        del->digest = l->key;
        ra_vec_push(&gc->res->layer_links, del);
    }
    ra_vec_release(&links);
}

static void mark_repo(struct gc *gc)
{
    struct ra_vec links = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_links(&links, &gc->repo->revisions);
    for (i = 0; i < links.len && !gc->res->aborted; i++)
        mark_revision(gc, links.items[i]);
    if (gc->opts->version == RA_GC_V3)
        sweep_layer_links(gc);
    ra_vec_release(&links);
}

static void sweep_blobs(struct gc *gc)
{
    struct ra_vec blobs = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_blobs(&blobs, gc->g);
    for (i = 0; i < blobs.len; i++) {
        struct ra_blob *b = blobs.items[i];
        if (!b->present || is_marked(gc, &b->digest))
            continue;
        ra_vec_push(&gc->res->blobs, b);
        gc->res->bytes += b->size > 0 ? (uint64_t)b->size : 0;
    }
    ra_vec_release(&blobs);
}

void ra_gc_simulate(struct ra_gc_result **out, const struct ra_graph *g,
                    const struct ra_gc_opts *opts)
{
    struct ra_gc_result *res = ra_xcalloc(1, sizeof(*res));
    struct ra_vec repos = RA_VEC_INIT;
    struct gc gc = {0};
    size_t i;

    gc.g = g;
    gc.opts = opts;
    gc.res = res;
    ra_graph_sorted_repos(&repos, g);
    for (i = 0; i < repos.len && !res->aborted; i++) {
        gc.repo = repos.items[i];
        /* the repository enumerator finds repositories by their _manifests folder */
        if (gc.repo->revisions.count || gc.repo->tags.count)
            mark_repo(&gc);
    }
    for (i = 0; i < gc.dellist.len; i++) {
        struct ra_gc_manifest_del *del = gc.dellist.items[i];
        /* 3.x unmarkReferencedManifest: keep listed manifests something references */
        if (opts->version == RA_GC_V3 && is_marked(&gc, &del->digest))
            continue;
        ra_vec_push(&res->manifests, del);
    }
    res->marked = gc.marked.count;
    if (res->aborted) {
        res->manifests.len = 0;
        res->layer_links.len = 0;
    } else {
        sweep_blobs(&gc);
    }
    ra_map_release(&gc.marked);
    ra_vec_release(&gc.dellist);
    ra_vec_release(&repos);
    *out = res;
}

void ra_gc_apply(struct ra_graph *g, const struct ra_gc_result *r)
{
    size_t i, j;

    for (i = 0; i < r->manifests.len; i++) {
        const struct ra_gc_manifest_del *del = r->manifests.items[i];
        struct ra_repo *repo = ra_map_gets(&g->repos, del->repository);
        for (j = 0; repo && j < del->ntags; j++) {
            struct ra_tag *t = ra_map_gets(&repo->tags, del->tags[j]);
            if (t)
                ra_map_del(&t->history, del->digest.b, sizeof(del->digest.b));
        }
        if (repo)
            ra_map_del(&repo->revisions, del->digest.b, sizeof(del->digest.b));
    }
    for (i = 0; i < r->layer_links.len; i++) {
        const struct ra_gc_link_del *del = r->layer_links.items[i];
        struct ra_repo *repo = ra_map_gets(&g->repos, del->repository);
        if (repo)
            ra_map_del(&repo->layers, del->digest.b, sizeof(del->digest.b));
    }
    for (i = 0; i < r->blobs.len; i++) {
        struct ra_blob *b = r->blobs.items[i];
        b->present = 0;
        b->manifest = NULL;
    }
}

void ra_gc_result_free(struct ra_gc_result *r)
{
    if (!r)
        return;
    ra_vec_release(&r->blobs);
    ra_vec_release(&r->manifests);
    ra_vec_release(&r->layer_links);
    ra_pool_release(&r->pool);
    free(r);
}

int ra_gcsim_run(struct ra_gcsim **out, const struct ra_snapshot_spec *spec,
                 const struct ra_snapshot_opts *scan_opts,
                 const struct ra_gc_opts *gc_opts, struct ra_err *err)
{
    struct ra_pull_opts popts = RA_PULL_OPTS_INIT;
    struct ra_gcsim *s = ra_xcalloc(1, sizeof(*s));
    size_t i;
    int error;

    *out = NULL;
    s->opts = *gc_opts;
    if ((error = ra_snapshot_load(&s->snap, spec, scan_opts, err)) < 0) {
        ra_gcsim_free(s);
        return error;
    }
    popts.taken_at = s->snap->taken_at;
    popts.tags_only = 1;
    s->nregs = s->snap->graphs.len;
    s->regs = ra_xcalloc(s->nregs + 1, sizeof(*s->regs));
    for (i = 0; i < s->nregs; i++) {
        struct ra_graph *g = s->snap->graphs.items[i];
        ra_pull_analyze(&s->regs[i].before, g, &popts);
        ra_gc_simulate(&s->regs[i].gc, g, gc_opts);
        ra_gc_apply(g, s->regs[i].gc);
        ra_pull_analyze(&s->regs[i].after, g, &popts);
    }
    *out = s;
    return 0;
}

void ra_gcsim_free(struct ra_gcsim *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->nregs; i++) {
        ra_gc_result_free(s->regs[i].gc);
        ra_registry_result_free(s->regs[i].before);
        ra_registry_result_free(s->regs[i].after);
    }
    free(s->regs);
    ra_snapshot_free(s->snap);
    free(s);
}
