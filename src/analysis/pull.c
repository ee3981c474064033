/* SPDX-License-Identifier: MIT */
/* Pullability of every tag and platform, and the findings that explain it. */
#include "analysis/pull.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest/layout.h"
#include "model/storage_path.h"
#include "util/buf.h"

#define MAX_INDEX_DEPTH 8

struct walk {
    struct ra_registry_result *res;
    const struct ra_graph *g;
    const struct ra_pull_opts *opts;
    const struct ra_repo *repo;
    const char *tag;      /* NULL outside the tag walk */
    const char *plat;     /* the platform walked, NULL while not known */
    struct ra_vec plats;  /* struct ra_platform_result * for the current tag */
    struct ra_map needed; /* digests some current tag needs */
    struct ra_map walked; /* manifests walked for the current tag: each once */
    struct ra_digest chain[MAX_INDEX_DEPTH + 1]; /* the indexes above the walk */
    struct ra_buf path;
};

static enum ra_severity sev_on_path(const struct walk *w)
{
    return w->tag ? RA_SEV_CRITICAL : RA_SEV_ERROR;
}

static void need(struct walk *w, const struct ra_digest *d)
{
    if (w->tag && !ra_map_get(&w->needed, d->b, sizeof(d->b)))
        ra_map_put(&w->needed, ra_pool_strndup(&w->res->pool, (const char *)d->b, 32), 32,
                   (void *)1);
}

static const char *short_of(char buf[RA_DIGEST_STRLEN], const struct ra_digest *d)
{
    return ra_digest_format(buf, d);
}

/* " of sha256:0123456789ab" naming the parent in messages, or "". */
static const char *of_parent(char buf[RA_DIGEST_STRLEN + 4],
                             const struct ra_digest *parent)
{
    char s[RA_DIGEST_STRLEN];

    buf[0] = '\0';
    if (parent)
        snprintf(buf, RA_DIGEST_STRLEN + 4, " of %s", ra_digest_short(s, parent));
    return buf;
}

/* The typed reference of an object the tag walk needs and lacks. */
static struct ra_object_ref missing_ref(const struct walk *w, enum ra_object_kind kind,
                                        const struct ra_digest *d)
{
    struct ra_object_ref ref = {kind, w->repo->name, w->tag, w->plat, {{0}}};

    if (d)
        ref.digest = *d;
    return ref;
}

/* First failing code wins. */
static void first(enum ra_finding_code *acc, enum ra_finding_code c)
{
    if (*acc == RA_F_NONE)
        *acc = c;
}

/* Blob data present and intact? Emits findings; returns the first failure. */
static enum ra_finding_code check_data(struct walk *w, const struct ra_blob *b,
                                       const struct ra_digest *d,
                                       const struct ra_digest *parent, int64_t want_size,
                                       enum ra_finding_code missing_code,
                                       const char *what)
{
    char hex[RA_DIGEST_STRLEN], act[RA_DIGEST_STRLEN], of[RA_DIGEST_STRLEN + 4];
    struct ra_object_ref ref = missing_ref(w, RA_OBJ_BLOB, d);

    of_parent(of, parent);
    ra_graph_blob_path(&w->path, w->g, d);
    if (!b || !b->present) {
        ra_findings_add_missing(
            &w->res->findings, missing_code, &ref, parent, w->path.ptr,
            "%s %s%s: blob data missing%s", what, short_of(hex, d), of,
            b && b->not_regular ? " (member is not a regular file)"
            : b && b->truncated ? " (the snapshot broke off inside it)"
                                : "");
        return missing_code;
    }
    if (b->hash == RA_HASH_MISMATCH) {
        ra_findings_add(&w->res->findings, RA_F_DIGEST_MISMATCH, sev_on_path(w),
                        w->repo->name, w->tag, d, parent, w->path.ptr,
                        "%s %s%s: content hashes to %s", what, short_of(hex, d), of,
                        ra_digest_format(act, &b->actual));
        return RA_F_DIGEST_MISMATCH;
    }
    if (want_size >= 0 && b->size >= 0 && want_size != b->size) {
        ra_findings_add(&w->res->findings, RA_F_SIZE_MISMATCH, sev_on_path(w),
                        w->repo->name, w->tag, d, parent, w->path.ptr,
                        "%s %s%s: descriptor says %lld bytes, data has %lld", what,
                        short_of(hex, d), of, (long long)want_size, (long long)b->size);
        return RA_F_SIZE_MISMATCH;
    }
    return RA_F_NONE;
}

/* A link must exist and name the digest its path names. */
static enum ra_finding_code check_link(struct walk *w, const struct ra_link *link,
                                       enum ra_link_kind kind, const struct ra_digest *d,
                                       const struct ra_digest *parent,
                                       enum ra_finding_code missing_code,
                                       const char *what)
{
    char hex[RA_DIGEST_STRLEN], of[RA_DIGEST_STRLEN + 4];
    struct ra_object_ref ref = missing_ref(
        w, kind == RA_LINK_LAYER ? RA_OBJ_LAYER_LINK : RA_OBJ_MANIFEST_LINK, d);

    of_parent(of, parent);
    ra_graph_link_path(&w->path, w->g, kind, w->repo->name, NULL, d);
    if (!link) {
        ra_findings_add_missing(
            &w->res->findings, missing_code, &ref, parent, w->path.ptr,
            "%s %s%s: no %s link in '%s'", what, short_of(hex, d), of,
            kind == RA_LINK_LAYER ? "_layers" : "revision", w->repo->name);
        return missing_code;
    }
    if (!link->valid || ra_digest_cmp(&link->target, d)) {
        ra_findings_add(&w->res->findings, RA_F_LINK_INVALID, sev_on_path(w),
                        w->repo->name, w->tag, d, parent, w->path.ptr,
                        "%s %s%s: link file %s", what, short_of(hex, d), of,
                        link->valid ? "names another digest" : "does not hold a digest");
        return RA_F_LINK_INVALID;
    }
    return RA_F_NONE;
}

/* A config or layer blob, served through the repository's _layers link. */
static enum ra_finding_code check_blob(struct walk *w, const struct ra_descriptor *desc,
                                       const struct ra_digest *parent, const char *what)
{
    enum ra_finding_code acc = RA_F_NONE;
    const struct ra_link *link;

    if (desc->has_urls)
        return RA_F_NONE; /* foreign layer: clients fetch it from its urls */
    need(w, &desc->digest);
    link = ra_graph_find_link(&w->repo->layers, &desc->digest);
    first(&acc, check_link(w, link, RA_LINK_LAYER, &desc->digest, parent,
                           RA_F_LAYER_LINK_MISSING, what));
    first(&acc, check_data(w, ra_graph_find_blob(w->g, &desc->digest), &desc->digest,
                           parent, desc->size, RA_F_BLOB_MISSING, what));
    return acc;
}

static enum ra_finding_code check_image(struct walk *w, const struct ra_blob *mb,
                                        const char **plat)
{
    const struct ra_manifest *m = mb->manifest;
    const struct ra_blob *cb;
    enum ra_finding_code acc = RA_F_NONE;
    size_t i;

    if (m->has_config) {
        first(&acc, check_blob(w, &m->config, &mb->digest, "config"));
        cb = ra_graph_find_blob(w->g, &m->config.digest);
        if (cb && cb->manifest && cb->manifest->platform && !*plat)
            w->plat = *plat = cb->manifest->platform;
    }
    for (i = 0; i < m->nrefs; i++)
        first(&acc, check_blob(w, &m->refs[i], &mb->digest, "layer"));
    return acc;
}

static void add_platform(struct walk *w, const char *plat, const struct ra_digest *d,
                         enum ra_finding_code reason)
{
    struct ra_platform_result *p = ra_pool_alloc(&w->res->pool, sizeof(*p));

    p->platform = plat ? plat : "unknown";
    p->digest = *d;
    p->pullable = reason == RA_F_NONE;
    p->reason = reason;
    ra_vec_push(&w->plats, p);
}

static void walk_manifest(struct walk *w, const struct ra_descriptor *desc,
                          const struct ra_digest *parent, enum ra_finding_code inherited,
                          int depth);

/* Is d one of the indexes above this point of the walk? */
static int in_chain(const struct walk *w, const struct ra_digest *d, int depth)
{
    int i;

    for (i = 0; i < depth && i <= MAX_INDEX_DEPTH; i++)
        if (!ra_digest_cmp(&w->chain[i], d))
            return 1;
    return 0;
}

/* Fetch a manifest as the registry would serve it: link, then data, then parse. */
static enum ra_finding_code fetch_manifest(struct walk *w, const struct ra_digest *d,
                                           const struct ra_digest *parent, int64_t size,
                                           const struct ra_blob **out)
{
    enum ra_finding_code missing_link =
        parent ? RA_F_INDEX_CHILD_MISSING : RA_F_MANIFEST_LINK_MISSING;
    enum ra_finding_code missing_data =
        parent ? RA_F_INDEX_CHILD_MISSING : RA_F_MANIFEST_BLOB_MISSING;
    const char *what = parent ? "child manifest" : "manifest";
    const struct ra_link *link = ra_graph_find_link(&w->repo->revisions, d);
    const struct ra_blob *b = ra_graph_find_blob(w->g, d);
    enum ra_link_kind kind = RA_LINK_REVISION;
    enum ra_finding_code acc = RA_F_NONE;
    char hex[RA_DIGEST_STRLEN];

    need(w, d);
    /* legacy rule (2.1.0+): a _layers link also serves a manifest */
    if (!link && (link = ra_graph_find_link(&w->repo->layers, d)))
        kind = RA_LINK_LAYER;
    first(&acc, check_link(w, link, kind, d, parent, missing_link, what));
    first(&acc, check_data(w, b, d, parent, size, missing_data, what));
    *out = b && b->present && b->manifest ? b : NULL;
    if (b && b->present &&
        (!b->manifest || b->manifest->kind == RA_MANIFEST_NONE ||
         b->manifest->kind == RA_MANIFEST_CONFIG)) {
        ra_graph_blob_path(&w->path, w->g, d);
        ra_findings_add(&w->res->findings, RA_F_MANIFEST_UNPARSEABLE, sev_on_path(w),
                        w->repo->name, w->tag, d, parent, w->path.ptr, "%s %s: %s", what,
                        short_of(hex, d),
                        b->parse_error ? b->parse_error
                        : b->manifest  ? "JSON, but not a manifest"
                                       : "not JSON");
        first(&acc, RA_F_MANIFEST_UNPARSEABLE);
        *out = NULL;
    }
    return acc;
}

static void walk_index(struct walk *w, const struct ra_blob *ib,
                       enum ra_finding_code inherited, int depth)
{
    const struct ra_manifest *m = ib->manifest;
    size_t i;

    for (i = 0; i < m->nrefs; i++)
        walk_manifest(w, &m->refs[i], &ib->digest, inherited, depth + 1);
}

/* Walk one manifest (tagged, or an index child) and record its platforms. `inherited`
 * is a failure above it that already makes every platform below unpullable. */
static void walk_manifest(struct walk *w, const struct ra_descriptor *desc,
                          const struct ra_digest *parent, enum ra_finding_code inherited,
                          int depth)
{
    const struct ra_blob *b = NULL;
    const char *plat = desc->platform;
    enum ra_finding_code acc = inherited;

    if (in_chain(w, &desc->digest, depth)) {
        char hex[RA_DIGEST_STRLEN];
        ra_graph_blob_path(&w->path, w->g, &desc->digest);
        ra_findings_add(&w->res->findings, RA_F_MANIFEST_UNPARSEABLE, sev_on_path(w),
                        w->repo->name, w->tag, &desc->digest, parent, w->path.ptr,
                        "index %s lists itself, directly or through another index",
                        short_of(hex, &desc->digest));
        first(&acc, RA_F_MANIFEST_UNPARSEABLE);
        add_platform(w, plat, &desc->digest, acc);
        return;
    }
    /* A manifest listed again (by the same or another index of this tag) is walked
     * once: nested indexes that repeat children would otherwise cost k^depth. */
    if (ra_map_get(&w->walked, desc->digest.b, sizeof(desc->digest.b)))
        return;
    ra_map_put(&w->walked, desc->digest.b, sizeof(desc->digest.b), (void *)desc);
    w->plat = plat;
    first(&acc, fetch_manifest(w, &desc->digest, parent, desc->size, &b));
    if (!b) {
        add_platform(w, plat, &desc->digest, acc);
        return;
    }
    switch (b->manifest->kind) {
    case RA_MANIFEST_INDEX:
        if (depth >= MAX_INDEX_DEPTH) {
            char hex[RA_DIGEST_STRLEN];
            ra_graph_blob_path(&w->path, w->g, &desc->digest);
            ra_findings_add(&w->res->findings, RA_F_MANIFEST_UNPARSEABLE, sev_on_path(w),
                            w->repo->name, w->tag, &desc->digest, parent, w->path.ptr,
                            "index %s: nested more than %d indexes deep",
                            short_of(hex, &desc->digest), MAX_INDEX_DEPTH);
            first(&acc, RA_F_MANIFEST_UNPARSEABLE);
            add_platform(w, plat, &desc->digest, acc);
            return;
        }
        w->chain[depth] = b->digest;
        walk_index(w, b, acc, depth);
        return;
    case RA_MANIFEST_IMAGE:
    case RA_MANIFEST_SCHEMA1:
        first(&acc, check_image(w, b, &plat));
        add_platform(w, plat, &desc->digest, acc);
        return;
    default:
        add_platform(w, plat, &desc->digest, acc);
        return;
    }
}

static void walk_tag(struct walk *w, const struct ra_tag *t, struct ra_tag_result *tr)
{
    struct ra_descriptor top = {0};
    const struct ra_blob *b;
    size_t i;

    tr->repository = w->repo->name;
    tr->tag = t->name;
    w->tag = t->name;
    w->plats.len = 0;
    ra_map_release(&w->walked);
    w->plat = NULL;
    if (!t->has_current || !t->current.valid) {
        struct ra_object_ref ref = missing_ref(w, RA_OBJ_TAG, NULL);
        ra_graph_link_path(&w->path, w->g, RA_LINK_TAG_CURRENT, w->repo->name, t->name,
                           NULL);
        ra_findings_add_missing(&w->res->findings, RA_F_TAG_TARGET_MISSING, &ref, NULL,
                                w->path.ptr, "tag '%s:%s': %s", w->repo->name, t->name,
                                t->has_current ? "current link does not hold a digest"
                                               : "no current link");
        tr->reason = RA_F_TAG_TARGET_MISSING;
        return;
    }
    tr->resolves = 1;
    tr->digest = t->current.target;
    b = ra_graph_find_blob(w->g, &tr->digest);
    if (b && b->manifest) {
        tr->media_type = b->manifest->media_type;
        tr->is_index = b->manifest->kind == RA_MANIFEST_INDEX;
    }
    top.digest = tr->digest;
    top.size = -1;
    walk_manifest(w, &top, NULL, RA_F_NONE, 0);

    tr->pullable = 1;
    tr->nplatforms = w->plats.len;
    tr->platforms =
        ra_pool_alloc(&w->res->pool, sizeof(*tr->platforms) * (w->plats.len + 1));
    for (i = 0; i < w->plats.len; i++) {
        tr->platforms[i] = *(struct ra_platform_result *)w->plats.items[i];
        if (!tr->platforms[i].pullable && tr->pullable) {
            tr->pullable = 0;
            tr->reason = tr->platforms[i].reason;
        }
    }
}

/* A repository or tag name the registry would have refused: a finding, and the report
 * prints no command with it. */
static void check_name(struct walk *w, const char *tag)
{
    const char *what = tag ? "tag" : "repository";

    if (tag ? ra_layout_tag_valid(tag) : ra_layout_repository_valid(w->repo->name))
        return;
    ra_storage_path(&w->path, w->g->root, tag ? RA_STORE_TAG : RA_STORE_REPOSITORY,
                    w->repo->name, tag, NULL);
    ra_findings_add(&w->res->findings, RA_F_NAME_INVALID, RA_SEV_WARNING, w->repo->name,
                    tag, NULL, NULL, w->path.ptr,
                    "%s name '%s' is outside Distribution's grammar: the registry never "
                    "wrote it; recover it by hand",
                    what, tag ? tag : w->repo->name);
}

static void walk_tags(struct walk *w, const struct ra_vec *repos)
{
    struct ra_vec tags = RA_VEC_INIT;
    size_t i, j, n = 0;

    for (i = 0; i < repos->len; i++)
        n += ((struct ra_repo *)repos->items[i])->tags.count;
    w->res->tags = ra_pool_alloc(&w->res->pool, sizeof(*w->res->tags) * (n + 1));
    for (i = 0; i < repos->len; i++) {
        w->repo = repos->items[i];
        ra_graph_sorted_tags(&tags, w->repo);
        check_name(w, NULL);
        for (j = 0; j < tags.len; j++) {
            struct ra_tag_result *tr = &w->res->tags[w->res->ntags++];
            check_name(w, ((const struct ra_tag *)tags.items[j])->name);
            walk_tag(w, tags.items[j], tr);
            if (!tr->pullable)
                w->res->unpullable++;
        }
    }
    w->tag = NULL;
    ra_vec_release(&tags);
}

static int is_needed(const struct walk *w, const struct ra_digest *d)
{
    return ra_map_get(&w->needed, d->b, sizeof(d->b)) != NULL;
}

/* Links that no tag walk reached, and what is wrong with them. */
static void check_repo_links(struct walk *w)
{
    struct ra_vec links = RA_VEC_INIT;
    char hex[RA_DIGEST_STRLEN];
    size_t i;

    ra_graph_sorted_links(&links, &w->repo->layers);
    for (i = 0; i < links.len; i++) {
        const struct ra_link *l = links.items[i];
        const struct ra_blob *b = ra_graph_find_blob(w->g, &l->key);
        /* Every bad _layers link is listed, also when a tag needs it (a critical finding
         * with the tag says so too): dangling ones record what a GC swept. */
        ra_graph_link_path(&w->path, w->g, RA_LINK_LAYER, w->repo->name, NULL, &l->key);
        if (!l->valid)
            ra_findings_add(&w->res->findings, RA_F_LINK_INVALID, RA_SEV_WARNING,
                            w->repo->name, NULL, &l->key, NULL, w->path.ptr,
                            "_layers link %s does not hold a digest",
                            short_of(hex, &l->key));
        else if (!b || !b->present)
            ra_findings_add(&w->res->findings, RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING,
                            w->repo->name, NULL, &l->key, NULL, w->path.ptr,
                            "_layers link to %s, whose blob data is gone",
                            short_of(hex, &l->key));
    }
    ra_graph_sorted_links(&links, &w->repo->revisions);
    for (i = 0; i < links.len; i++) {
        const struct ra_link *l = links.items[i];
        const struct ra_blob *b = ra_graph_find_blob(w->g, &l->key);
        if (is_needed(w, &l->key))
            continue;
        ra_graph_link_path(&w->path, w->g, RA_LINK_REVISION, w->repo->name, NULL,
                           &l->key);
        if (!l->valid)
            ra_findings_add(&w->res->findings, RA_F_LINK_INVALID, RA_SEV_WARNING,
                            w->repo->name, NULL, &l->key, NULL, w->path.ptr,
                            "revision link %s does not hold a digest",
                            short_of(hex, &l->key));
        else if (!b || !b->present)
            ra_findings_add(&w->res->findings, RA_F_MANIFEST_BLOB_MISSING, RA_SEV_WARNING,
                            w->repo->name, NULL, &l->key, NULL, w->path.ptr,
                            "untagged manifest %s: blob data missing",
                            short_of(hex, &l->key));
        else if (!b->manifest || b->manifest->kind == RA_MANIFEST_NONE ||
                 b->manifest->kind == RA_MANIFEST_CONFIG)
            ra_findings_add(&w->res->findings, RA_F_MANIFEST_UNPARSEABLE, RA_SEV_ERROR,
                            w->repo->name, NULL, &l->key, NULL, w->path.ptr,
                            "untagged manifest %s: %s", short_of(hex, &l->key),
                            b->parse_error ? b->parse_error : "not a manifest");
    }
    ra_vec_release(&links);
}

static void check_uploads(struct walk *w)
{
    struct ra_vec ups = RA_VEC_INIT;
    char when[RA_TIME_STRLEN];
    size_t i;

    if (w->opts->taken_at == RA_TIME_NONE)
        return;
    ra_graph_sorted_uploads(&ups, w->repo);
    for (i = 0; i < ups.len; i++) {
        const struct ra_upload *u = ups.items[i];
        ra_time t = u->started_at != RA_TIME_NONE ? u->started_at : u->mtime;
        if (t == RA_TIME_NONE || t >= w->opts->taken_at ||
            (uint64_t)w->opts->taken_at - (uint64_t)t <=
                (uint64_t)w->opts->upload_purge_age)
            continue;
        ra_storage_path(&w->path, w->g->root, RA_STORE_UPLOAD, w->repo->name, u->uuid,
                        NULL);
        ra_findings_add(&w->res->findings, RA_F_UPLOAD_STALE, RA_SEV_WARNING,
                        w->repo->name, NULL, NULL, NULL, w->path.ptr,
                        "upload %s started %s and never finished; the registry purges "
                        "uploads older than %lldh",
                        u->uuid, ra_time_format(when, t),
                        (long long)(w->opts->upload_purge_age / 3600));
    }
    ra_vec_release(&ups);
}

static void mark(struct ra_map *m, struct ra_pool *pool, const struct ra_digest *d)
{
    if (!ra_map_get(m, d->b, sizeof(d->b)))
        ra_map_put(m, ra_pool_strndup(pool, (const char *)d->b, 32), 32, (void *)1);
}

/* Every digest something points to: links (keys and targets) and manifest references. */
static void referenced_set(struct ra_map *out, struct ra_pool *pool,
                           const struct ra_graph *g)
{
    size_t it = 0, jt, kt, i;
    void *v, *l, *t;

    while (ra_map_next(&g->repos, &it, NULL, NULL, &v)) {
        const struct ra_repo *r = v;
        const struct ra_map *maps[] = {&r->layers, &r->revisions};
        for (i = 0; i < 2; i++) {
            jt = 0;
            while (ra_map_next(maps[i], &jt, NULL, NULL, &l)) {
                mark(out, pool, &((struct ra_link *)l)->key);
                if (((struct ra_link *)l)->valid)
                    mark(out, pool, &((struct ra_link *)l)->target);
            }
        }
        jt = 0;
        while (ra_map_next(&r->tags, &jt, NULL, NULL, &t)) {
            const struct ra_tag *tag = t;
            if (tag->has_current && tag->current.valid)
                mark(out, pool, &tag->current.target);
            kt = 0;
            while (ra_map_next(&tag->history, &kt, NULL, NULL, &l))
                mark(out, pool, &((struct ra_link *)l)->key);
        }
    }
    it = 0;
    while (ra_map_next(&g->blobs, &it, NULL, NULL, &v)) {
        const struct ra_manifest *m = ((struct ra_blob *)v)->manifest;
        if (!m || m->kind == RA_MANIFEST_NONE || m->kind == RA_MANIFEST_CONFIG)
            continue;
        if (m->has_config)
            mark(out, pool, &m->config.digest);
        for (i = 0; i < m->nrefs; i++)
            mark(out, pool, &m->refs[i].digest);
    }
}

static void check_blobs(struct walk *w)
{
    struct ra_map refs = RA_MAP_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_vec blobs = RA_VEC_INIT;
    char hex[RA_DIGEST_STRLEN], act[RA_DIGEST_STRLEN];
    size_t i;

    referenced_set(&refs, &pool, w->g);
    ra_graph_sorted_blobs(&blobs, w->g);
    for (i = 0; i < blobs.len; i++) {
        const struct ra_blob *b = blobs.items[i];
        if (!b->present)
            continue;
        ra_graph_blob_path(&w->path, w->g, &b->digest);
        if (b->hash == RA_HASH_MISMATCH && !is_needed(w, &b->digest))
            ra_findings_add(&w->res->findings, RA_F_DIGEST_MISMATCH, RA_SEV_ERROR, NULL,
                            NULL, &b->digest, NULL, w->path.ptr,
                            "blob %s: content hashes to %s", short_of(hex, &b->digest),
                            ra_digest_format(act, &b->actual));
        if (!ra_map_get(&refs, b->digest.b, sizeof(b->digest.b)))
            ra_findings_add(
                &w->res->findings, RA_F_BLOB_UNREFERENCED, RA_SEV_INFO, NULL, NULL,
                &b->digest, NULL, w->path.ptr,
                "blob %s (%lld bytes): nothing links to it; the next GC deletes it",
                short_of(hex, &b->digest), (long long)b->size);
    }
    ra_vec_release(&blobs);
    ra_map_release(&refs);
    ra_pool_release(&pool);
}

static void check_odd(struct walk *w)
{
    size_t i;

    for (i = 0; i < w->g->odd.len; i++) {
        const struct ra_odd_member *o = w->g->odd.items[i];
        ra_findings_add(&w->res->findings, RA_F_MEMBER_NOT_REGULAR, RA_SEV_WARNING, NULL,
                        NULL, NULL, NULL, o->path, "member '%s': %s", o->path, o->what);
    }
}

static int cmp_dup(const void *a, const void *b)
{
    const struct ra_dup_member *x = *(void *const *)a, *y = *(void *const *)b;
    int c = strcmp(x->path, y->path);

    return c ? c : (x->later > y->later) - (x->later < y->later);
}

/* One finding per path that several members had: every copy's position, and which
 * one was read (the last, as extraction leaves it). Positions count from 1. */
static void check_dups(struct walk *w)
{
    struct ra_vec dups = RA_VEC_INIT;
    struct ra_buf where = RA_BUF_INIT;
    size_t i, j, n;

    for (i = 0; i < w->g->dups.len; i++)
        ra_vec_push(&dups, w->g->dups.items[i]);
    ra_vec_sort(&dups, cmp_dup);
    for (i = 0; i < dups.len; i = j) {
        const struct ra_dup_member *d = dups.items[i], *last = d;
        ra_buf_truncate(&where, 0);
        ra_buf_printf(&where, "#%llu", (unsigned long long)d->earlier + 1);
        for (j = i, n = 1;
             j < dups.len &&
             !strcmp(((struct ra_dup_member *)dups.items[j])->path, d->path);
             j++, n++) {
            last = dups.items[j];
            ra_buf_printf(&where, ", #%llu", (unsigned long long)last->later + 1);
        }
        ra_findings_add(
            &w->res->findings, RA_F_MEMBER_DUPLICATE, RA_SEV_WARNING, NULL, NULL, NULL,
            NULL, d->path,
            "member '%s' is in the archive %zu times (members %s, counting from "
            "1): the last, #%llu, was read, as extraction would leave it; the "
            "others were ignored",
            d->path, n, where.ptr, (unsigned long long)last->later + 1);
    }
    ra_buf_release(&where);
    ra_vec_release(&dups);
}

void ra_pull_analyze(struct ra_registry_result **out, const struct ra_graph *g,
                     const struct ra_pull_opts *opts)
{
    struct ra_registry_result *res = ra_xcalloc(1, sizeof(*res));
    struct ra_vec repos = RA_VEC_INIT;
    struct walk w = {0};
    size_t i;

    assert(out && g && opts);
    res->graph = g;
    ra_graph_count(&res->counts, g);
    w.res = res;
    w.g = g;
    w.opts = opts;
    ra_graph_sorted_repos(&repos, g);
    walk_tags(&w, &repos);
    if (!opts->tags_only) {
        for (i = 0; i < repos.len; i++) {
            w.repo = repos.items[i];
            check_repo_links(&w);
            check_uploads(&w);
        }
        check_blobs(&w);
        check_odd(&w);
        check_dups(&w);
    }
    ra_findings_sort(&res->findings);

    ra_vec_release(&repos);
    ra_vec_release(&w.plats);
    ra_map_release(&w.needed);
    ra_map_release(&w.walked);
    ra_buf_release(&w.path);
    *out = res;
}

void ra_registry_result_free(struct ra_registry_result *r)
{
    if (!r)
        return;
    ra_findings_release(&r->findings);
    ra_pool_release(&r->pool);
    free(r);
}
