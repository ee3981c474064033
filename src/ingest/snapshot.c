/* SPDX-License-Identifier: MIT */
/* Read one snapshot into graphs, one per registry root. */
#include "ingest/snapshot.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/layout.h"
#include "ingest/source.h"
#include "ingest/walk.h"
#include "model/docs.h"
#include "model/graph.h"
#include "model/manifest.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/sha256.h"

#define LINK_MAX_BYTES 1024 /* a link holds "sha256:<64 hex>"; more is junk */
#define CHUNK (256 * 1024)

struct loader {
    struct ra_snapshot *snap;
    const struct ra_snapshot_opts *opts;
    struct ra_map roots; /* root string -> struct ra_graph */
    struct ra_sha256 *hash;
    struct ra_buf content;
    unsigned char *chunk;
    struct ra_err *err;
    struct ra_map meta_seen; /* metadata item path -> 1 */
    struct ra_pool pool;     /* its keys */
    const struct ra_snapshot
        *prev;            /* what the walk proves unchanged comes from, or NULL */
    struct ra_docs *docs; /* opts->docs unless RA_NO_REUSE=1 */
};

#define YEAR_2000 946684800
#define DAY 86400

int ra_snapshot_mtimes_trusted(const struct ra_snapshot *s, const char **why)
{
    const char *reason = NULL;

    if (s->newest_mtime == RA_TIME_NONE)
        reason = "the snapshot carries no member times";
    else if (s->entries > 1 && s->newest_mtime == s->oldest_mtime)
        reason = "every member has the same mtime (copied without keeping times)";
    else if (s->oldest_mtime < YEAR_2000)
        reason = "member mtimes before 2000 (zeroed or reset times)";
    else if (s->taken_source != RA_TAKEN_MTIME && s->taken_at != RA_TIME_NONE &&
             s->newest_mtime > s->taken_at + DAY)
        reason = "member mtimes after the snapshot was taken";
    if (why)
        *why = reason;
    return reason == NULL;
}

const char *ra_taken_source_name(enum ra_taken_source s)
{
    switch (s) {
    case RA_TAKEN_EXPLICIT:
        return "explicit";
    case RA_TAKEN_NAME:
        return "name";
    case RA_TAKEN_MTIME:
        return "newest-mtime";
    case RA_TAKEN_BACKUP_JOB:
        return "backup-job";
    default:
        return "unknown";
    }
}

static struct ra_graph *graph_for(struct loader *ld, const struct ra_slice *root)
{
    struct ra_graph *g = ra_map_get(&ld->roots, root->ptr, root->len);

    if (!g) {
        ra_graph_new(&g, root->ptr, root->len);
        ra_map_put(&ld->roots, g->root, root->len, g);
    }
    return g;
}

/* Read the whole (small) content of the current member into ld->content, up to max
 * bytes. Returns 1 if it fit, 0 if it was longer, negative on a read error. */
static int read_small(struct loader *ld, struct ra_source *src, size_t max)
{
    size_t n;
    int error;

    ra_buf_truncate(&ld->content, 0);
    for (;;) {
        ra_buf_grow(&ld->content, CHUNK);
        if ((error = ra_source_read(src, ld->content.ptr + ld->content.len, CHUNK, &n,
                                    ld->err)) < 0)
            return error;
        if (!n)
            break;
        ld->content.len += n;
        ld->content.ptr[ld->content.len] = '\0';
        if (ld->content.len > max)
            return 0;
    }
    return 1;
}

static int read_link(struct loader *ld, struct ra_source *src, struct ra_link *link,
                     const struct ra_entry *e)
{
    int fit = read_small(ld, src, LINK_MAX_BYTES);

    if (fit < 0)
        return fit;
    link->mtime = e->mtime;
    link->valid =
        fit && !ra_digest_parse(&link->target, ld->content.ptr, ld->content.len);
    return 0;
}

/* A JSON blob's content: parsed into the run's shared documents when its bytes hashed
 * to its digest, else into the graph. */
static void parse_json_blob(struct loader *ld, struct ra_graph *g, struct ra_blob *b,
                            const struct ra_buf *c)
{
    struct ra_err perr = RA_ERR_INIT;
    struct ra_manifest *m = NULL;

    b->is_json = 1;
    if (ld->docs && b->hash == RA_HASH_OK)
        ra_docs_parse(&b->manifest, &b->parse_error, ld->docs, &b->digest, c->ptr,
                      c->len);
    else if (ra_manifest_parse(&m, &g->pool, c->ptr, c->len, &perr) < 0)
        b->parse_error = ra_pool_strdup(&g->pool, perr.msg);
    else
        b->manifest = m;
}

static void hash_result(struct ra_blob *b, struct ra_sha256 *h)
{
    struct ra_digest actual;

    ra_sha256_final(h, actual.b);
    if (ra_digest_cmp(&actual, &b->digest)) {
        b->hash = RA_HASH_MISMATCH;
        b->actual = actual;
    } else {
        b->hash = RA_HASH_OK;
    }
}

/* Stream a blob: JSON candidates (<= 4 MiB, starting with '{') are kept and parsed;
 * everything else is hashed chunk by chunk with --verify, else skipped unread. */
static int read_blob(struct loader *ld, struct ra_source *src, struct ra_graph *g,
                     struct ra_blob *b, const struct ra_entry *e)
{
    int64_t total = 0;
    size_t n;
    int error, json = 0;

    b->present = 1;
    b->size = e->size;
    b->mtime = e->mtime;
    b->hash = RA_HASH_UNKNOWN;
    b->manifest = NULL;
    b->parse_error = NULL;
    b->is_json = 0;
    if (e->size > RA_MANIFEST_MAX && !ld->opts->verify)
        return 0;

    ra_buf_truncate(&ld->content, 0);
    ra_sha256_reset(ld->hash);
    for (;;) {
        if ((error = ra_source_read(src, ld->chunk, CHUNK, &n, ld->err)) < 0) {
            b->truncated = 1;
            b->present = 0;
            return error;
        }
        if (!n)
            break;
        if (!total)
            json =
                e->size <= RA_MANIFEST_MAX && ra_manifest_looks_like_json(ld->chunk, n);
        if (!json && !ld->opts->verify)
            return 0; /* not a manifest and no hashing asked for: skip the rest */
        total += (int64_t)n;
        ra_sha256_update(ld->hash, ld->chunk, n);
        if (json && total <= RA_MANIFEST_MAX)
            ra_buf_put(&ld->content, ld->chunk, n);
        else
            json = 0;
    }
    b->size = total;
    hash_result(b, ld->hash);
    if (json)
        parse_json_blob(ld, g, b, &ld->content);
    return 0;
}

static int read_upload_started(struct loader *ld, struct ra_source *src,
                               struct ra_upload *u)
{
    int fit = read_small(ld, src, LINK_MAX_BYTES);
    ra_time t;

    if (fit < 0)
        return fit;
    if (fit) {
        /* trim trailing whitespace */
        while (ld->content.len &&
               (unsigned char)ld->content.ptr[ld->content.len - 1] <= ' ')
            ra_buf_truncate(&ld->content, ld->content.len - 1);
        if (!ra_time_parse(&t, ld->content.ptr))
            u->started_at = t;
    }
    return 0;
}

static void note_mtime(struct ra_snapshot *s, ra_time t)
{
    if (t == RA_TIME_NONE)
        return;
    if (s->newest_mtime == RA_TIME_NONE || t > s->newest_mtime)
        s->newest_mtime = t;
    if (s->oldest_mtime == RA_TIME_NONE || t < s->oldest_mtime)
        s->oldest_mtime = t;
}

/* The link record a link-kind path names, created if needed; NULL for other kinds. */
static struct ra_link *link_for(struct ra_graph *g, const struct ra_path *p)
{
    struct ra_repo *r;
    struct ra_tag *t;

    switch (p->kind) {
    case RA_PATH_LAYER_LINK:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        return ra_graph_link(g, &r->layers, &p->digest);
    case RA_PATH_REVISION_LINK:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        return ra_graph_link(g, &r->revisions, &p->digest);
    case RA_PATH_TAG_CURRENT:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        t = ra_graph_tag(g, r, p->tag.ptr, p->tag.len);
        if (!t->has_current) {
            t->has_current = 1;
            t->current.valid = 0;
        }
        return &t->current;
    case RA_PATH_TAG_INDEX:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        t = ra_graph_tag(g, r, p->tag.ptr, p->tag.len);
        return ra_graph_link(g, &t->history, &p->digest);
    default:
        return NULL;
    }
}

/* The link record a link-kind path names, if it exists; NULL otherwise. */
static struct ra_link *find_link_for(struct ra_graph *g, const struct ra_path *p)
{
    struct ra_repo *r = ra_map_get(&g->repos, p->repo.ptr, p->repo.len);
    struct ra_tag *t =
        r && p->tag.len ? ra_map_get(&r->tags, p->tag.ptr, p->tag.len) : NULL;

    if (!r)
        return NULL;
    switch (p->kind) {
    case RA_PATH_LAYER_LINK:
        return ra_graph_find_link(&r->layers, &p->digest);
    case RA_PATH_REVISION_LINK:
        return ra_graph_find_link(&r->revisions, &p->digest);
    case RA_PATH_TAG_CURRENT:
        return t && t->has_current ? &t->current : NULL;
    case RA_PATH_TAG_INDEX:
        return t ? ra_graph_find_link(&t->history, &p->digest) : NULL;
    default:
        return NULL;
    }
}

static int is_link_kind(enum ra_path_kind k)
{
    return k == RA_PATH_LAYER_LINK || k == RA_PATH_REVISION_LINK ||
           k == RA_PATH_TAG_CURRENT || k == RA_PATH_TAG_INDEX;
}

/* An archive hardlink has the content of an earlier member, which may be of another
 * kind (a deduplicated volume links identical link files) or in another registry root.
 * A hardlink to a member the archive does not hold is an odd member, as extraction
 * would fail on it. */
static void copy_hardlink(struct loader *ld, struct ra_graph *g, const struct ra_path *p,
                          const struct ra_entry *e)
{
    struct ra_path tp;
    struct ra_graph *tg;
    struct ra_link *srcl = NULL, *dst;
    struct ra_blob *b, *tb = NULL;

    ra_layout_parse(&tp, e->link_target, strlen(e->link_target));
    tg =
        tp.kind == RA_PATH_NONE ? NULL : ra_map_get(&ld->roots, tp.root.ptr, tp.root.len);
    if (tg && tp.kind == RA_PATH_BLOB_DATA)
        tb = ra_graph_find_blob(tg, &tp.digest);
    else if (tg && is_link_kind(tp.kind))
        srcl = find_link_for(tg, &tp);

    if (p->kind == RA_PATH_BLOB_DATA) {
        b = ra_graph_blob(g, &p->digest);
        if (!tb || !tb->present) {
            ra_graph_note_odd(g, e->path, e->path_len, "hardlink to a missing member");
            return;
        }
        if (tb != b) {
            struct ra_digest keep = b->digest;
            *b = *tb;
            b->digest = keep;
            if (tb->hash !=
                RA_HASH_UNKNOWN) { /* same bytes under another name: re-judge */
                b->actual = tb->hash == RA_HASH_MISMATCH ? tb->actual : tb->digest;
                b->hash =
                    ra_digest_cmp(&b->actual, &b->digest) ? RA_HASH_MISMATCH : RA_HASH_OK;
            }
        }
        b->mtime = e->mtime;
        return;
    }
    if (!is_link_kind(p->kind))
        return;
    if (!srcl) {
        /* extraction would create the folders and fail on the link itself */
        ra_graph_note_odd(g, e->path, e->path_len, "hardlink to a missing member");
        if (p->tag.len)
            ra_graph_tag(g, ra_graph_repo(g, p->repo.ptr, p->repo.len), p->tag.ptr,
                         p->tag.len);
        else
            ra_graph_repo(g, p->repo.ptr, p->repo.len);
        return;
    }
    dst = link_for(g, p);
    if (dst != srcl) {
        dst->valid = srcl->valid;
        dst->target = srcl->target;
    }
    dst->mtime = e->mtime;
}

static int cmp_root(const void *key, const void *item)
{
    const struct ra_slice *root = key;
    const struct ra_graph *g = *(void *const *)item;
    int c = strncmp(root->ptr, g->root, root->len);

    return c ? c : -(g->root[root->len] != '\0');
}

/* Does prev's blob point at a document of the run's shared ones (parsed from bytes
 * that hashed to its digest)? Then a blob taken over from it can point there too. */
static int shared_doc(const struct loader *ld, const struct ra_blob *pb)
{
    return ld->docs && pb->is_json &&
           ra_docs_holds(ld->docs, &pb->digest, pb->manifest, pb->parse_error);
}

/* A link or blob file the walk proved unchanged since prev (ra_entry.same): take what
 * reading it gave then (docs/snapshots.md). A tag's current/link, uploads and, with
 * verify, blobs are always read. 1 when taken, 0 to read it. */
static int reuse_file(struct loader *ld, struct ra_graph *g, const struct ra_path *p,
                      const struct ra_entry *e)
{
    void *const *found;
    struct ra_graph *pg;
    struct ra_blob *pb, *b;
    struct ra_link *pl, *l;

    if (!e->same || !ld->prev || p->kind == RA_PATH_TAG_CURRENT ||
        !(found = bsearch(&p->root, ld->prev->graphs.items, ld->prev->graphs.len,
                          sizeof(void *), cmp_root)))
        return 0;
    pg = *found;
    if (p->kind == RA_PATH_BLOB_DATA) {
        if (ld->opts->verify || ld->prev->walk_verify ||
            !(pb = ra_graph_find_blob(pg, &p->digest)) || !pb->present)
            return 0;
        b = ra_graph_blob(g, &p->digest);
        *b = *pb;
        b->mtime = e->mtime;
        b->member = 0;
        if (!shared_doc(ld, pb)) { /* else *b = *pb points at the shared document */
            b->manifest = pb->manifest ? ra_manifest_copy(&g->pool, pb->manifest) : NULL;
            b->parse_error =
                pb->parse_error ? ra_pool_strdup(&g->pool, pb->parse_error) : NULL;
        }
    } else {
        if (!is_link_kind(p->kind) || !(pl = find_link_for(pg, p)))
            return 0;
        l = link_for(g, p);
        l->valid = pl->valid;
        l->target = pl->target;
        l->mtime = e->mtime;
    }
    ld->snap->reused++;
    return 1;
}

static int on_file(struct loader *ld, struct ra_source *src, struct ra_graph *g,
                   const struct ra_path *p, const struct ra_entry *e)
{
    struct ra_repo *r;
    struct ra_upload *u;
    struct ra_link *link;

    if (reuse_file(ld, g, p, e))
        return 0;
    switch (p->kind) {
    case RA_PATH_BLOB_DATA:
        return read_blob(ld, src, g, ra_graph_blob(g, &p->digest), e);
    case RA_PATH_LAYER_LINK:
    case RA_PATH_REVISION_LINK:
    case RA_PATH_TAG_CURRENT:
    case RA_PATH_TAG_INDEX:
        link = link_for(g, p);
        return read_link(ld, src, link, e);
    case RA_PATH_TAG_DIR:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        ra_graph_tag(g, r, p->tag.ptr, p->tag.len);
        return 0;
    case RA_PATH_UPLOAD_DATA:
    case RA_PATH_UPLOAD_STARTED:
    case RA_PATH_UPLOAD_OTHER:
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        u = ra_graph_upload(g, r, p->upload.ptr, p->upload.len);
        if (e->mtime != RA_TIME_NONE && (u->mtime == RA_TIME_NONE || e->mtime > u->mtime))
            u->mtime = e->mtime;
        if (p->kind == RA_PATH_UPLOAD_DATA)
            u->size = e->size;
        if (p->kind == RA_PATH_UPLOAD_STARTED)
            return read_upload_started(ld, src, u);
        return 0;
    case RA_PATH_REPO_OTHER:
        ra_graph_repo(g, p->repo.ptr, p->repo.len);
        return 0;
    default:
        return 0;
    }
}

/* Folders whose mtime dates the last entry added or deleted in them. */
static void note_dir_time(struct ra_graph *g, const struct ra_path *p,
                          const struct ra_entry *e)
{
    static const char revs[] = "/_manifests/revisions/sha256";
    const char *rel = e->path + p->root.len + (p->root.len ? 1 : 0);
    size_t len = e->path_len - (size_t)(rel - e->path), n = sizeof(revs) - 1;

    if (e->mtime == RA_TIME_NONE || rel > e->path + e->path_len)
        return;
    if ((len == 15 && !memcmp(rel, "blobs/sha256/", 13)) ||
        (p->repo.len && len > n && !memcmp(rel + len - n, revs, n) &&
         rel + len - n == p->repo.ptr + p->repo.len))
        ra_graph_note_dir(g, rel, len, e->mtime);
}

static void on_dir(struct ra_graph *g, const struct ra_path *p)
{
    struct ra_repo *r;

    if (p->kind == RA_PATH_TAGS_ROOT) {
        ra_graph_repo(g, p->repo.ptr, p->repo.len)->has_tags_dir = 1;
    } else if (p->kind == RA_PATH_TAG_DIR) {
        r = ra_graph_repo(g, p->repo.ptr, p->repo.len);
        ra_graph_tag(g, r, p->tag.ptr, p->tag.len);
    } else if (p->repo.len) {
        ra_graph_repo(g, p->repo.ptr, p->repo.len);
    }
}

static void on_odd(struct ra_graph *g, const struct ra_path *p, const struct ra_entry *e)
{
    const char *what =
        e->type == RA_ENTRY_SYMLINK ? "symlink not followed" : "not a regular file";
    struct ra_link *link;

    if (p->kind == RA_PATH_ROOT_OTHER || p->kind == RA_PATH_REPO_OTHER)
        return;
    ra_graph_note_odd(g, e->path, e->path_len, what);
    if (p->kind == RA_PATH_BLOB_DATA) {
        struct ra_blob *b = ra_graph_blob(g, &p->digest);
        b->present = 0;
        b->not_regular = 1;
    } else if ((link = link_for(g, p))) {
        link->valid = 0;
        link->mtime = e->mtime;
    }
}

/* Where the blob or link object a member path names records its member; NULL for
 * other paths, or when the object does not exist yet. */
static uint64_t *member_of(struct ra_graph *g, const struct ra_path *p)
{
    struct ra_blob *b;
    struct ra_link *l;

    if (p->kind == RA_PATH_BLOB_DATA)
        return (b = ra_graph_find_blob(g, &p->digest)) ? &b->member : NULL;
    return is_link_kind(p->kind) && (l = find_link_for(g, p)) ? &l->member : NULL;
}

static int on_member(struct loader *ld, struct ra_source *src, struct ra_graph *g,
                     const struct ra_path *p, const struct ra_entry *e)
{
    switch (e->type) {
    case RA_ENTRY_FILE:
        return on_file(ld, src, g, p, e);
    case RA_ENTRY_DIR:
        on_dir(g, p);
        note_dir_time(g, p, e);
        return 0;
    case RA_ENTRY_HARDLINK:
        copy_hardlink(ld, g, p, e);
        return 0;
    default:
        on_odd(g, p, e);
        return 0;
    }
}

static void unread(struct loader *ld, const struct ra_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void unread(struct loader *ld, const struct ra_entry *e, const char *fmt, ...)
{
    struct ra_unread *u = ra_xcalloc(1, sizeof(*u));
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    u->path = ra_xstrndup(e->path, e->path_len);
    u->why = ra_buf_detach(&b);
    ra_vec_push(&ld->snap->unread, u);
}

/* A folder the registry reads through, where a symbolic link is: the storage root,
 * blobs/, repositories/, a repository or one of its _layers, _manifests, _uploads
 * folders. The registry's filesystem driver follows it; this reader does not, so what
 * is behind it is not read. */
static const char *folder_position(const struct ra_path *p, const struct ra_entry *e)
{
    static const char *const root_dirs[] = {"", "blobs", "blobs/sha256", "repositories"};
    static const char *const repo_dirs[] = {"",
                                            "_layers",
                                            "_layers/sha256",
                                            "_manifests",
                                            "_manifests/revisions",
                                            "_manifests/revisions/sha256",
                                            "_uploads"};
    const char *rest;
    size_t i;

    if (p->kind == RA_PATH_NONE) { /* docker/registry above a root */
        if (e->path_len >= 15 && !strcmp(e->path + e->path_len - 15, "docker/registry") &&
            (e->path_len == 15 || e->path[e->path_len - 16] == '/'))
            return "the folder above a storage root";
        return NULL;
    }
    if (p->kind == RA_PATH_TAGS_ROOT || p->kind == RA_PATH_TAG_DIR)
        return p->kind == RA_PATH_TAG_DIR ? "a tag folder" : "a repository's tags folder";
    if (p->kind == RA_PATH_ROOT_OTHER) {
        rest = e->path + p->root.len + (e->path_len > p->root.len);
        for (i = 0; i < RA_ARRAY_SIZE(root_dirs); i++)
            if (!strcmp(rest, root_dirs[i]))
                return i ? "a folder of the storage root" : "the storage root";
    }
    if (p->kind == RA_PATH_REPO_OTHER && p->repo.len) {
        rest = p->repo.ptr + p->repo.len + (*(p->repo.ptr + p->repo.len) == '/');
        for (i = 0; i < RA_ARRAY_SIZE(repo_dirs); i++)
            if (!strcmp(rest, repo_dirs[i]))
                return i ? "a folder of a repository" : "a repository folder";
    }
    return NULL;
}

/* Count a metadata item once, however many members it holds. */
static void count_meta(struct loader *ld, const struct ra_path *p)
{
    struct ra_snapshot_meta *m = &ld->snap->meta;
    char **ex = &m->example[p->meta];
    char *key;

    if (ra_map_get(&ld->meta_seen, p->item.ptr, p->item.len))
        return;
    key = ra_pool_strndup(&ld->pool, p->item.ptr, p->item.len);
    ra_map_put(&ld->meta_seen, key, p->item.len, key);
    m->items[p->meta]++;
    m->total++;
    if (!*ex || strcmp(key, *ex) < 0) {
        free(*ex);
        *ex = ra_xstrdup(key);
    }
}

/* Blob data in a recycle bin: hashed whole, as a recovery source must be. */
static int read_recycled(struct loader *ld, struct ra_source *src,
                         const struct ra_path *p, const struct ra_entry *e)
{
    struct ra_recycled_blob *r = ra_xcalloc(1, sizeof(*r));
    struct ra_digest actual;
    int64_t total = 0;
    size_t n;
    int error;

    r->path = ra_xstrndup(e->path, e->path_len);
    r->digest = p->digest;
    r->size = e->size;
    r->mtime = e->mtime;
    ra_vec_push(&ld->snap->recycled, r);
    ra_sha256_reset(ld->hash);
    for (;;) {
        if ((error = ra_source_read(src, ld->chunk, CHUNK, &n, ld->err)) < 0)
            return error;
        if (!n)
            break;
        total += (int64_t)n;
        ra_sha256_update(ld->hash, ld->chunk, n);
    }
    ra_sha256_final(ld->hash, actual.b);
    r->verified = total == e->size && !ra_digest_cmp(&actual, &r->digest);
    return 0;
}

/* NAS or desktop metadata: counted, kept apart from the registry's data, and (in a
 * directory tree) not walked into, except a recycle bin, which may keep blobs. */
static int on_meta(struct loader *ld, struct ra_source *src, const struct ra_path *p,
                   const struct ra_entry *e)
{
    int inside = e->path_len > p->item.len;
    size_t skip = p->root.len + (p->root.len ? 1 : 0);

    count_meta(ld, p);
    if (p->meta_in_root)
        ra_graph_note_meta(graph_for(ld, &p->root), p->item.ptr + skip,
                           p->item.len - skip, p->meta, inside || e->type == RA_ENTRY_DIR,
                           e->mtime);
    if (p->kind == RA_PATH_RECYCLED_BLOB && e->type == RA_ENTRY_FILE)
        return read_recycled(ld, src, p, e);
    if (e->type == RA_ENTRY_DIR && !inside && p->meta != RA_META_RECYCLE)
        return RA_SOURCE_SKIP;
    return 0;
}

/* A folder inside a registry root that the caller's filter leaves out. */
static int skip_dir(const struct loader *ld, const struct ra_path *p,
                    const struct ra_entry *e)
{
    size_t off;

    if (p->kind == RA_PATH_NONE || (p->kind == RA_PATH_META && !p->meta_in_root))
        return 0;
    off = p->root.len ? p->root.len + 1 : 0;
    if (e->path_len <= off)
        return 0; /* the root itself */
    return !ld->opts->dir_filter(e->path + off, e->path_len - off,
                                 ld->opts->filter_payload);
}

static int on_entry(const struct ra_entry *e, struct ra_source *src, void *payload)
{
    struct loader *ld = payload;
    struct ra_graph *g;
    struct ra_path p;
    uint64_t *member;
    const char *what;
    int error;

    ra_layout_parse(&p, e->path, e->path_len);
    if (e->type == RA_ENTRY_DIR && ld->opts->dir_filter && skip_dir(ld, &p, e))
        return RA_SOURCE_SKIP;
    if (p.kind == RA_PATH_META || p.kind == RA_PATH_RECYCLED_BLOB)
        return on_meta(ld, src, &p, e);
    note_mtime(ld->snap, e->mtime);
    if (e->type == RA_ENTRY_UNREADABLE) { /* wherever it is: it may hide a root */
        unread(ld, e, "%s", e->link_target);
        return 0;
    }
    if (e->type == RA_ENTRY_SYMLINK && (what = folder_position(&p, e)))
        unread(ld, e,
               "%s is a symbolic link to '%s', not followed: nothing behind it was "
               "read (give its target as the snapshot)",
               what, e->link_target);
    if (p.kind == RA_PATH_NONE)
        return 0;
    g = graph_for(ld, &p.root);
    if (p.tag.len) /* anything under _manifests/tags/<tag> implies the folder */
        ra_graph_repo(g, p.repo.ptr, p.repo.len)->has_tags_dir = 1;
    /* a second member for the same blob or link (an archive appended to): the later
     * one replaces the earlier, as extraction would, and the graph notes both */
    if (e->type != RA_ENTRY_DIR && (member = member_of(g, &p)) && *member)
        ra_graph_note_dup(g, e->path, e->path_len, *member - 1, e->index);
    error = on_member(ld, src, g, &p, e);
    if (e->type != RA_ENTRY_DIR && (member = member_of(g, &p)))
        *member = e->index + 1;
    return error;
}

/* The member reading stopped in (or right after) may hold only part of its data. */
static void mark_cut_short(struct loader *ld, const char *member)
{
    struct ra_graph *g;
    struct ra_blob *b;
    struct ra_path p;

    ra_layout_parse(&p, member, strlen(member));
    if (p.kind != RA_PATH_BLOB_DATA ||
        !(g = ra_map_get(&ld->roots, p.root.ptr, p.root.len)) ||
        !(b = ra_graph_find_blob(g, &p.digest)))
        return;
    b->present = 0;
    b->truncated = 1;
}

static int cmp_graph(const void *a, const void *b)
{
    const struct ra_graph *x = *(void *const *)a, *y = *(void *const *)b;
    return strcmp(x->root, y->root);
}

static struct ra_snapshot *snapshot_new(const struct ra_snapshot_spec *spec)
{
    struct ra_snapshot *s = ra_xcalloc(1, sizeof(*s));

    s->name = ra_xstrdup(spec->name);
    s->source = ra_xstrdup(spec->path);
    s->taken_at = spec->taken_at;
    s->taken_source = spec->taken_source;
    s->newest_mtime = s->oldest_mtime = RA_TIME_NONE;
    s->complete = 1;
    return s;
}

static int cmp_recycled(const void *a, const void *b)
{
    const struct ra_recycled_blob *x = *(void *const *)a, *y = *(void *const *)b;
    int c = ra_digest_cmp(&x->digest, &y->digest);

    return c ? c : strcmp(x->path, y->path);
}

static void collect_graphs(struct ra_snapshot *s, struct ra_map *roots)
{
    size_t it = 0;
    void *g;

    ra_vec_sort(&s->recycled, cmp_recycled);
    while (ra_map_next(roots, &it, NULL, NULL, &g))
        ra_vec_push(&s->graphs, g);
    ra_vec_sort(&s->graphs, cmp_graph);
    if (s->taken_at == RA_TIME_NONE && s->newest_mtime != RA_TIME_NONE) {
        s->taken_at = s->newest_mtime;
        s->taken_source = RA_TAKEN_MTIME;
    }
}

/* RA_NO_REUSE=1 (for comparisons): every snapshot read in full, no walk recorded, no
 * document shared. */
static int reuse_off(void)
{
    const char *off = getenv("RA_NO_REUSE");
    return off && *off && strcmp(off, "0");
}

/* The previous snapshot, when what its walk saw can be trusted: read whole, from a
 * tree that did not change while it was read. */
static const struct ra_snapshot *usable_prev(const struct ra_snapshot_opts *opts)
{
    const struct ra_snapshot *prev = opts->prev;

    if (!prev || !prev->walk || !prev->complete || prev->vanished || prev->changed_dirs)
        return NULL;
    return prev;
}

int ra_snapshot_load(struct ra_snapshot **out, const struct ra_snapshot_spec *spec,
                     const struct ra_snapshot_opts *opts, struct ra_err *err)
{
    struct loader ld = {0};
    struct ra_source_opts sopts = RA_SOURCE_OPTS_INIT;
    struct ra_source_stats st = {0};
    struct ra_snapshot *s = snapshot_new(spec);
    int error;

    *out = NULL;
    ld.snap = s;
    ld.opts = opts;
    ld.err = err;
    ld.chunk = ra_xmalloc(CHUNK);
    if ((error = ra_sha256_new(&ld.hash, err)) < 0)
        goto done;
    sopts.progress_cb = opts->progress_cb;
    sopts.progress_payload = opts->progress_payload;
    sopts.read_all = opts->verify;
    ld.docs = reuse_off() ? NULL : opts->docs;
    if (!opts->dir_filter && !reuse_off() && !ra_source_is_stdin(spec->path) &&
        ra_source_is_dir(spec->path)) {
        ra_walk_new(&s->walk);
        s->walk_verify = opts->verify;
        sopts.record = s->walk;
    }
    if ((ld.prev = usable_prev(opts)))
        sopts.prev = ld.prev->walk;

    error = ra_source_walk(spec->path, &sopts, on_entry, &ld, &st, err);
    s->entries = st.entries;
    s->bytes_in = st.bytes_in;
    s->vanished = st.vanished;
    s->changed_dirs = st.changed_dirs;
    if (error == RA_EIO || error == RA_ELIMIT) {
        mark_cut_short(&ld, st.stop_member);
        s->complete = 0;
        s->read_error = ra_xstrdup(err->msg);
        s->stop_member = st.stop_member[0] ? ra_xstrdup(st.stop_member) : NULL;
        s->stop_offset = st.stop_offset;
        ra_snapshot_drop_walk(s); /* never a prev */
        ra_err_clear(err);
        error = 0;
    }
    if (error < 0)
        goto done;
    collect_graphs(s, &ld.roots);
    ra_map_release(&ld.roots); /* graphs now owned by s */
    *out = s;
    s = NULL;

done:
    if (s) {
        size_t it = 0;
        void *g;
        while (ra_map_next(&ld.roots, &it, NULL, NULL, &g))
            ra_graph_free(g);
        ra_map_release(&ld.roots);
        ra_snapshot_free(s);
    }
    ra_sha256_free(ld.hash);
    ra_map_release(&ld.meta_seen);
    ra_pool_release(&ld.pool);
    ra_buf_release(&ld.content);
    free(ld.chunk);
    return error;
}

void ra_snapshot_drop_walk(struct ra_snapshot *s)
{
    ra_walk_free(s->walk);
    s->walk = NULL;
}

void ra_snapshot_free(struct ra_snapshot *s)
{
    size_t i;

    if (!s)
        return;
    ra_walk_free(s->walk);
    for (i = 0; i < s->graphs.len; i++)
        ra_graph_free(s->graphs.items[i]);
    ra_vec_release(&s->graphs);
    for (i = 0; i < s->recycled.len; i++) {
        struct ra_recycled_blob *r = s->recycled.items[i];
        free(r->path);
        free(r);
    }
    ra_vec_release(&s->recycled);
    for (i = 0; i < RA_META__COUNT; i++)
        free(s->meta.example[i]);
    free(s->name);
    free(s->source);
    free(s->read_error);
    free(s->stop_member);
    for (i = 0; i < s->unread.len; i++) {
        struct ra_unread *u = s->unread.items[i];
        free(u->path);
        free(u->why);
        free(u);
    }
    ra_vec_release(&s->unread);
    free(s);
}
