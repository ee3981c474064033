/* SPDX-License-Identifier: MIT */
/* The libgit2 adapter: the only file that includes <git2.h>. libgit2 errors are turned
 * into ra_err here, once, from git_error_last(). libgit2 counts its own initialisations:
 * every repository holds one, taken in ra_gitrepo_open and given back in ra_gitrepo_free.
 */
#include "config/git/gitrepo.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "util/buf.h"
#include "util/map.h"

struct ra_gitrepo {
    git_repository *repo;
    int shallow;
    int bare;
};

/* The one translation of a libgit2 failure: "<what>: <libgit2 message>". */
static int git_fail(struct ra_err *err, int code, const char *what)
{
    const git_error *e = git_error_last();

    return ra_err_set(err, code, "%s: %s", what,
                      e && e->message ? e->message : "libgit2 error");
}

/* The first bytes of a file, NUL-terminated ("" when it cannot be read). */
static void file_head(const char *path, char *head, size_t size)
{
    FILE *f = fopen(path, "rb");

    head[0] = '\0';
    if (f) {
        head[fread(head, 1, size - 1, f)] = '\0';
        fclose(f);
    }
}

/* A ".git" file pointing at the repository of a linked work tree or submodule. */
static int is_gitlink(const char *path)
{
    char head[9];

    file_head(path, head, sizeof(head));
    return !strcmp(head, "gitdir: ");
}

/* --config names a file: a git bundle (what `git bundle create` writes, as evidence is
 * often shipped) is worth a hint, anything else is just not a repository. */
static int not_a_folder(const char *path, struct ra_err *err)
{
    char head[16];

    file_head(path, head, sizeof(head));
    if (!strcmp(head, "# v2 git bundle") || !strcmp(head, "# v3 git bundle"))
        return ra_err_set(err, RA_ENOTFOUND,
                          "'%s': a git bundle, which is read as a clone: git clone '%s' "
                          "DIR, then give DIR",
                          path, path);
    return ra_err_set(err, RA_ENOTFOUND, "'%s': a file, not a git repository", path);
}

int ra_gitrepo_open(struct ra_gitrepo **out, const char *path, struct ra_err *err)
{
    struct ra_gitrepo *r = NULL;
    struct stat st;
    int rc, error = 0;

    assert(out && path);
    *out = NULL;
    if (stat(path, &st) < 0)
        return ra_err_set(err, RA_ENOTFOUND, "'%s': %s", path, strerror(errno));

    if (!S_ISDIR(st.st_mode) && !is_gitlink(path))
        return not_a_folder(path, err);

    git_libgit2_init(); /* balanced by ra_gitrepo_free(r) */
    /* Evidence is often a copy owned by someone else. The ownership check guards against
     * running programs a repository's config names (fsmonitor, hooks); this adapter only
     * reads objects, and libgit2 1.5 reports the refusal as "config value
     * 'safe.directory' was not found", which would read as "not a git repository". */
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    r = ra_xcalloc(1, sizeof(*r));
    /* No search upwards: a folder inside some other repository (an unpacked copy of
     * the configs under a home directory kept in git, say) must not quietly stand for
     * that repository's history. */
    rc = git_repository_open_ext(&r->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
    if (rc == GIT_ENOTFOUND) {
        git_buf top = {0};
        if (!git_repository_discover(&top, path, 0, NULL) && top.ptr) {
            size_t n = strlen(top.ptr);
            if (n > 6 && !strcmp(top.ptr + n - 6, "/.git/"))
                n -= 6; /* the work tree, not its .git folder */
            error = ra_err_set(err, RA_ENOTFOUND,
                               "'%s': not the top of a git repository (it is inside the "
                               "one at '%.*s'; give that)",
                               path, (int)n, top.ptr);
        } else
            error = ra_err_set(err, RA_ENOTFOUND, "'%s': not a git repository", path);
        git_buf_dispose(&top);
        goto done;
    }
    if (rc < 0) {
        error = git_fail(err, RA_ERROR, path);
        goto done;
    }
    r->shallow = git_repository_is_shallow(r->repo) == 1;
    r->bare = git_repository_is_bare(r->repo) == 1;
    *out = r;
    r = NULL;

done:
    ra_gitrepo_free(r);
    return error;
}

void ra_gitrepo_free(struct ra_gitrepo *repo)
{
    if (!repo)
        return;
    git_repository_free(repo->repo);
    free(repo);
    git_libgit2_shutdown();
}

int ra_gitrepo_is_shallow(const struct ra_gitrepo *repo)
{
    return repo->shallow;
}

int ra_gitrepo_is_bare(const struct ra_gitrepo *repo)
{
    return repo->bare;
}

static int parse_oid(git_oid *out, const char *hex, const char *what, struct ra_err *err)
{
    size_t i;

    for (i = 0; hex[i]; i++) {
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            break;
    }
    if (i != RA_GIT_HEXSZ || hex[i] || git_oid_fromstr(out, hex) < 0)
        return ra_err_set(err, RA_EFORMAT, "%s '%.64s': not a 40-hex object id", what,
                          hex);
    return 0;
}

static int lookup_commit(git_commit **out, struct ra_gitrepo *repo, const git_oid *id,
                         const char *hex, struct ra_err *err)
{
    char what[64];
    int rc;

    rc = git_commit_lookup(out, repo->repo, id);
    if (rc == GIT_ENOTFOUND)
        return ra_err_set(err, RA_ENOTFOUND, "commit '%s': not found", hex);
    if (rc < 0) {
        snprintf(what, sizeof(what), "commit '%s'", hex);
        return git_fail(err, RA_ERROR, what);
    }
    return 0;
}

static int resolve_oid(git_oid *out, struct ra_gitrepo *repo, const char *rev,
                       struct ra_err *err)
{
    git_object *obj = NULL, *peeled = NULL;
    char what[300];
    int rc, error = 0;

    if (!rev)
        rev = "HEAD";
    snprintf(what, sizeof(what), "revision '%.200s'", rev);
    rc = git_revparse_single(&obj, repo->repo, rev);
    if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH || rc == GIT_EAMBIGUOUS ||
        rc == GIT_EINVALIDSPEC) {
        error = ra_err_set(err, RA_ENOTFOUND, "%s: not found", what);
        goto done;
    }
    if (rc < 0) {
        error = git_fail(err, RA_ERROR, what);
        goto done;
    }
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
        error = ra_err_set(err, RA_EFORMAT, "%s: not a commit", what);
        goto done;
    }
    git_oid_cpy(out, git_object_id(peeled));

done:
    git_object_free(peeled);
    git_object_free(obj);
    return error;
}

int ra_gitrepo_resolve(char out[RA_GIT_HEXSZ + 1], struct ra_gitrepo *repo,
                       const char *rev, struct ra_err *err)
{
    git_oid id;
    int error;

    assert(out && repo);
    out[0] = '\0';
    if ((error = resolve_oid(&id, repo, rev, err)) < 0)
        return error;
    git_oid_tostr(out, RA_GIT_HEXSZ + 1, &id);
    return 0;
}

void ra_gitfiles_release(struct ra_gitfiles *files)
{
    if (!files)
        return;
    free(files->items);
    ra_pool_release(&files->pool);
    files->items = NULL;
    files->len = 0;
}

#define GITREPO_MAX_DEPTH 256

struct list_ctx {
    struct ra_gitrepo *repo;
    struct ra_gitfiles *files;
    size_t cap;
    git_odb *odb;
    struct ra_buf path;
    struct ra_err *err;
};

static struct ra_gitfile *add_file(struct list_ctx *ctx, const git_tree_entry *e)
{
    git_filemode_t mode = git_tree_entry_filemode(e);
    struct ra_gitfile *f;

    if (ctx->files->len == ctx->cap) {
        ctx->cap = ctx->cap ? 2 * ctx->cap : 64;
        ctx->files->items =
            ra_xrealloc(ctx->files->items, ctx->cap * sizeof(*ctx->files->items));
    }
    f = &ctx->files->items[ctx->files->len++];
    memset(f, 0, sizeof(*f));
    f->path = ra_pool_strdup(&ctx->files->pool, ra_buf_cstr(&ctx->path));
    git_oid_tostr(f->blob, sizeof(f->blob), git_tree_entry_id(e));
    f->mode = mode == GIT_FILEMODE_LINK              ? RA_GITFILE_SYMLINK
              : mode == GIT_FILEMODE_BLOB_EXECUTABLE ? RA_GITFILE_EXECUTABLE
              : mode == GIT_FILEMODE_TREE            ? RA_GITFILE_TREE
                                                     : RA_GITFILE_REGULAR;
    return f;
}

/* List tree into ctx->files; ctx->path holds the tree's path and a '/' (or nothing for
 * the root). Objects that cannot be read are listed as missing, and the walk goes on. */
static int list_tree(struct list_ctx *ctx, git_tree *tree, int depth)
{
    size_t i, n = git_tree_entrycount(tree), prefix = ctx->path.len, len;
    const git_tree_entry *e;
    git_tree *sub = NULL;
    git_object_t type;
    int error = 0;

    for (i = 0; i < n && !error; i++) {
        e = git_tree_entry_byindex(tree, i);
        ra_buf_truncate(&ctx->path, prefix);
        ra_buf_puts(&ctx->path, git_tree_entry_name(e));
        if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
            if (depth >= GITREPO_MAX_DEPTH) {
                error =
                    ra_err_set(ctx->err, RA_ELIMIT, "'%s': trees nested deeper than %d",
                               ra_buf_cstr(&ctx->path), GITREPO_MAX_DEPTH);
            } else if (git_tree_lookup(&sub, ctx->repo->repo, git_tree_entry_id(e)) < 0) {
                add_file(ctx, e)->missing = 1;
            } else {
                ra_buf_putc(&ctx->path, '/');
                error = list_tree(ctx, sub, depth + 1);
                git_tree_free(sub);
                sub = NULL;
            }
        } else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
            if (git_odb_read_header(&len, &type, ctx->odb, git_tree_entry_id(e)) < 0)
                add_file(ctx, e)->missing = 1;
            else
                add_file(ctx, e)->size = len;
        } /* else a gitlink (submodule): skipped */
    }
    return error;
}

static int cmp_gitfile(const void *a, const void *b)
{
    return strcmp(((const struct ra_gitfile *)a)->path,
                  ((const struct ra_gitfile *)b)->path);
}

int ra_gitrepo_files(struct ra_gitfiles *files, struct ra_gitrepo *repo,
                     const char *commit, struct ra_err *err)
{
    struct list_ctx ctx = {repo, files, 0, NULL, RA_BUF_INIT, err};
    git_commit *c = NULL;
    git_tree *tree = NULL;
    git_oid id;
    int error;

    assert(files && repo && commit);
    ra_gitfiles_release(files);
    if ((error = parse_oid(&id, commit, "commit", err)) < 0 ||
        (error = lookup_commit(&c, repo, &id, commit, err)) < 0)
        goto done;
    if (git_commit_tree(&tree, c) < 0 || git_repository_odb(&ctx.odb, repo->repo) < 0) {
        error = git_fail(err, RA_ERROR, commit);
        goto done;
    }
    if ((error = list_tree(&ctx, tree, 0)) < 0)
        goto done;
    if (files->len)
        qsort(files->items, files->len, sizeof(*files->items), cmp_gitfile);

done:
    if (error < 0)
        ra_gitfiles_release(files);
    ra_buf_release(&ctx.path);
    git_odb_free(ctx.odb);
    git_tree_free(tree);
    git_commit_free(c);
    return error;
}

int ra_gitrepo_read_blob(struct ra_buf *out, int *binary, struct ra_gitrepo *repo,
                         const char *blob, size_t max, struct ra_err *err)
{
    git_blob *b = NULL;
    git_oid id;
    const char *data;
    size_t size;
    int rc, error;

    assert(out && repo && blob);
    ra_buf_truncate(out, 0);
    if (binary)
        *binary = 0;
    if (!max)
        max = RA_GIT_BLOB_MAX;
    if ((error = parse_oid(&id, blob, "blob", err)) < 0)
        goto done;
    rc = git_blob_lookup(&b, repo->repo, &id);
    if (rc == GIT_ENOTFOUND) {
        error = ra_err_set(err, RA_ENOTFOUND, "blob '%s': not found", blob);
        goto done;
    }
    if (rc < 0) {
        error = git_fail(err, RA_ERROR, blob);
        goto done;
    }
    size = (size_t)git_blob_rawsize(b);
    if (size > max) {
        error =
            ra_err_set(err, RA_ELIMIT, "blob '%s': %zu bytes, more than the limit of %zu",
                       blob, size, max);
        goto done;
    }
    data = git_blob_rawcontent(b);
    if (binary)
        *binary = memchr(data, '\0',
                         size < RA_GIT_BINARY_PROBE ? size : RA_GIT_BINARY_PROBE) != NULL;
    ra_buf_put(out, data, size);

done:
    git_blob_free(b);
    return error;
}

/* ---- history ---- */

/* The ids of the asked-for paths in one commit; present[i] is 0 when path i is absent. */
struct pathids {
    git_oid *ids;
    unsigned char *present;
};

struct hist {
    struct ra_gitrepo *repo;
    const char *const *paths;
    size_t npaths;
    git_oid *order; /* commits, newest first */
    size_t n, cap;
    struct ra_map index;    /* oid bytes -> position + 1 */
    struct pathids **cache; /* by position, computed on demand */
    struct ra_err *err;
};

static void hist_push(struct hist *h, const git_oid *id)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->order = ra_xrealloc(h->order, h->cap * sizeof(*h->order));
    }
    git_oid_cpy(&h->order[h->n++], id);
}

static int order_by_revwalk(struct hist *h, const git_oid *start)
{
    git_revwalk *walk = NULL;
    git_oid id;
    int rc, error = 0;

    if (git_revwalk_new(&walk, h->repo->repo) < 0 ||
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
        git_revwalk_push(walk, start) < 0) {
        error = git_fail(h->err, RA_ERROR, "history");
        goto done;
    }
    while ((rc = git_revwalk_next(&id, walk)) == 0)
        hist_push(h, &id);
    if (rc != GIT_ITEROVER)
        error = git_fail(h->err, RA_ERROR, "history");

done:
    git_revwalk_free(walk);
    return error;
}

/* A shallow clone, or a damaged repository: libgit2 1.5's revwalk stops with "object not
 * found" at the first missing commit, so walk it here, dropping the missing parents.
 * Same order: a commit comes after all its children, and among the commits that are
 * ready the newest (committer time) comes first. */
struct snode {
    git_oid id;
    int64_t time;
    size_t pending; /* children not yet emitted */
    size_t nparents;
    git_oid *parent_ids;    /* as recorded */
    struct snode **parents; /* those in the database, once expanded */
};

static int snode_newer(const struct snode *a, const struct snode *b)
{
    return a->time > b->time || (a->time == b->time && git_oid_cmp(&a->id, &b->id) < 0);
}

static void heap_push(struct snode **heap, size_t *len, struct snode *n)
{
    size_t i = (*len)++, up;

    heap[i] = n;
    while (i && snode_newer(heap[i], heap[up = (i - 1) / 2])) {
        heap[i] = heap[up];
        heap[up] = n;
        i = up;
    }
}

static struct snode *heap_pop(struct snode **heap, size_t *len)
{
    struct snode *top = heap[0], *t;
    size_t i = 0, l, best;

    heap[0] = heap[--*len];
    for (;;) {
        l = 2 * i + 1;
        best = i;
        if (l < *len && snode_newer(heap[l], heap[best]))
            best = l;
        if (l + 1 < *len && snode_newer(heap[l + 1], heap[best]))
            best = l + 1;
        if (best == i)
            break;
        t = heap[i];
        heap[i] = heap[best];
        heap[best] = t;
        i = best;
    }
    return top;
}

/* The node for id, created (and its commit read) on first sight; NULL when the commit is
 * not in the object database. */
static int snode_get(struct snode **out, struct ra_pool *pool, struct ra_map *seen,
                     struct ra_vec *todo, struct hist *h, const git_oid *id)
{
    struct snode *n;
    git_commit *c = NULL;
    unsigned i, np;
    int rc;

    *out = ra_map_get(seen, id->id, GIT_OID_RAWSZ);
    if (*out)
        return 0;
    rc = git_commit_lookup(&c, h->repo->repo, id);
    if (rc == GIT_ENOTFOUND)
        return 0;
    if (rc < 0)
        return git_fail(h->err, RA_ERROR, "history");
    n = ra_pool_alloc(pool, sizeof(*n));
    git_oid_cpy(&n->id, id);
    n->time = git_commit_time(c);
    np = git_commit_parentcount(c);
    n->parents = ra_pool_alloc(pool, (np ? np : 1) * sizeof(*n->parents));
    n->parent_ids = ra_pool_alloc(pool, (np ? np : 1) * sizeof(*n->parent_ids));
    for (i = 0; i < np; i++)
        git_oid_cpy(&n->parent_ids[i], git_commit_parent_id(c, i));
    n->nparents = np;
    git_commit_free(c);
    ra_map_put(seen, n->id.id, GIT_OID_RAWSZ, n);
    ra_vec_push(todo, n);
    *out = n;
    return 0;
}

static int order_tolerant(struct hist *h, const git_oid *start)
{
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_map seen = RA_MAP_INIT;
    struct ra_vec todo = RA_VEC_INIT, all = RA_VEC_INIT;
    struct snode **heap = NULL, *n, *p, *first = NULL;
    size_t i, k, len = 0;
    int error;

    if ((error = snode_get(&first, &pool, &seen, &todo, h, start)) < 0 || !first)
        goto done;
    while (todo.len) {
        n = todo.items[--todo.len];
        ra_vec_push(&all, n);
        for (i = k = 0; i < n->nparents; i++) {
            if ((error = snode_get(&p, &pool, &seen, &todo, h, &n->parent_ids[i])) < 0)
                goto done;
            if (p) {
                p->pending++;
                n->parents[k++] = p;
            }
        }
        n->nparents = k; /* missing parents (the shallow boundary) dropped */
    }
    heap = ra_xmalloc(all.len * sizeof(*heap));
    heap_push(heap, &len, first);
    while (len) {
        n = heap_pop(heap, &len);
        hist_push(h, &n->id);
        for (i = 0; i < n->nparents; i++) {
            if (--n->parents[i]->pending == 0)
                heap_push(heap, &len, n->parents[i]);
        }
    }

done:
    free(heap);
    ra_vec_release(&all);
    ra_vec_release(&todo);
    ra_map_release(&seen);
    ra_pool_release(&pool);
    return error;
}

static void pathids_free(struct pathids *p)
{
    if (!p)
        return;
    free(p->ids);
    free(p->present);
    free(p);
}

/* The path ids of the commit id (all absent when it is not in the database). */
static int pathids_of(struct pathids **out, struct hist *h, const git_oid *id)
{
    struct pathids *p = ra_xcalloc(1, sizeof(*p));
    git_commit *c = NULL;
    git_tree *tree = NULL;
    git_tree_entry *e;
    size_t i;
    int rc, error = 0;

    p->ids = ra_xcalloc(h->npaths ? h->npaths : 1, sizeof(*p->ids));
    p->present = ra_xcalloc(h->npaths ? h->npaths : 1, 1);
    rc = git_commit_lookup(&c, h->repo->repo, id);
    if (rc == GIT_ENOTFOUND)
        goto done;
    if (rc < 0 || git_commit_tree(&tree, c) < 0) {
        error = git_fail(h->err, RA_ERROR, "history");
        goto done;
    }
    for (i = 0; i < h->npaths; i++) {
        rc = git_tree_entry_bypath(&e, tree, h->paths[i]);
        if (rc == GIT_ENOTFOUND)
            continue;
        if (rc < 0) {
            error = git_fail(h->err, RA_ERROR, h->paths[i]);
            goto done;
        }
        git_oid_cpy(&p->ids[i], git_tree_entry_id(e));
        p->present[i] = 1;
        git_tree_entry_free(e);
    }

done:
    git_tree_free(tree);
    git_commit_free(c);
    if (error < 0) {
        pathids_free(p);
        p = NULL;
    }
    *out = p;
    return error;
}

/* Path ids of a commit, from the cache when it is in the walk. The result is owned by
 * the cache when *owned is 0, by the caller otherwise. */
static int pathids_get(struct pathids **out, int *owned, struct hist *h,
                       const git_oid *id)
{
    void *pos = ra_map_get(&h->index, id->id, GIT_OID_RAWSZ);
    size_t i;
    int error;

    *owned = !pos;
    if (!pos)
        return pathids_of(out, h, id);
    i = (size_t)(uintptr_t)pos - 1;
    if (!h->cache[i] && (error = pathids_of(&h->cache[i], h, id)) < 0)
        return error;
    *out = h->cache[i];
    return 0;
}

static int same_id(const struct pathids *a, const struct pathids *b, size_t i)
{
    if (a->present[i] != b->present[i])
        return 0;
    return !a->present[i] || git_oid_equal(&a->ids[i], &b->ids[i]);
}

static void one_line_summary(struct ra_buf *out, const char *msg)
{
    const char *p;

    ra_buf_truncate(out, 0);
    for (p = msg ? msg : ""; *p == '\n' || *p == ' '; p++)
        ;
    for (; *p && !(p[0] == '\n' && p[1] == '\n'); p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            if (out->len && out->ptr[out->len - 1] != ' ')
                ra_buf_putc(out, ' ');
        } else {
            ra_buf_putc(out, *p);
        }
    }
    while (out->len && out->ptr[out->len - 1] == ' ')
        ra_buf_truncate(out, out->len - 1);
}

struct change_bufs {
    size_t *index;
    char (*before)[RA_GIT_HEXSZ + 1];
    char (*after)[RA_GIT_HEXSZ + 1];
    struct ra_buf summary;
};

/* Mark in b->index[i] the paths whose id in self differs from that in every parent of
 * c; *first gets the first parent's ids (owned by the caller when *first_owned). */
static int compare_parents(struct hist *h, git_commit *c, const struct pathids *self,
                           struct change_bufs *b, struct pathids **first,
                           int *first_owned)
{
    unsigned np = git_commit_parentcount(c), k;
    struct pathids *par = NULL;
    int owned, error;
    size_t i;

    for (i = 0; i < h->npaths; i++)
        b->index[i] = np || self->present[i]; /* a root commit adds what it has */
    for (k = 0; k < np; k++) {
        if ((error = pathids_get(&par, &owned, h, git_commit_parent_id(c, k))) < 0)
            return error;
        for (i = 0; i < h->npaths; i++) {
            if (same_id(self, par, i))
                b->index[i] = 0;
        }
        if (k == 0) {
            *first = par;
            *first_owned = owned;
        } else if (owned) {
            pathids_free(par);
        }
    }
    return 0;
}

/* Compact b to the changed paths, with their ids before and after; returns how many. */
static size_t collect_changes(struct hist *h, const struct pathids *self,
                              const struct pathids *first, struct change_bufs *b)
{
    size_t i, n = 0;

    for (i = 0; i < h->npaths; i++) {
        if (!b->index[i])
            continue;
        b->index[n] = i;
        b->before[n][0] = b->after[n][0] = '\0';
        if (first && first->present[i])
            git_oid_tostr(b->before[n], RA_GIT_HEXSZ + 1, &first->ids[i]);
        if (self->present[i])
            git_oid_tostr(b->after[n], RA_GIT_HEXSZ + 1, &self->ids[i]);
        n++;
    }
    return n;
}

static int report(const git_commit *c, size_t n, struct change_bufs *b,
                  ra_gitchange_cb cb, void *payload)
{
    const git_signature *author = git_commit_author(c);
    struct ra_gitchange ch;

    memset(&ch, 0, sizeof(ch));
    git_oid_tostr(ch.commit, sizeof(ch.commit), git_commit_id(c));
    ch.time = git_commit_time(c);
    ch.author_time = author ? author->when.time : ch.time;
    ch.author_name = author && author->name ? author->name : "";
    ch.author_email = author && author->email ? author->email : "";
    one_line_summary(&b->summary, git_commit_message(c));
    ch.summary = ra_buf_cstr(&b->summary);
    ch.nparents = git_commit_parentcount(c);
    ch.npaths = n;
    ch.path_index = b->index;
    ch.before = (const char(*)[RA_GIT_HEXSZ + 1]) b->before;
    ch.after = (const char(*)[RA_GIT_HEXSZ + 1]) b->after;
    return cb(&ch, payload);
}

/* Visit commit number pos: find which paths it changed, and report them. */
static int visit(struct hist *h, size_t pos, struct change_bufs *b, ra_gitchange_cb cb,
                 void *payload)
{
    struct pathids *self = NULL, *first = NULL;
    git_commit *c = NULL;
    int owned, first_owned = 0, error;
    size_t n;

    if ((error = pathids_get(&self, &owned, h, &h->order[pos])) < 0)
        goto done;
    if (git_commit_lookup(&c, h->repo->repo, &h->order[pos]) < 0) {
        error = git_fail(h->err, RA_ERROR, "history");
        goto done;
    }
    if ((error = compare_parents(h, c, self, b, &first, &first_owned)) < 0)
        goto done;
    if ((n = collect_changes(h, self, first, b)) > 0)
        error = report(c, n, b, cb, payload);

done:
    if (first_owned)
        pathids_free(first);
    pathids_free(h->cache[pos]); /* every child came before: nobody needs it again */
    h->cache[pos] = NULL;
    git_commit_free(c);
    return error;
}

int ra_gitrepo_history(struct ra_gitrepo *repo, const char *rev, const char *const *paths,
                       size_t npaths, ra_gitchange_cb cb, void *payload,
                       struct ra_err *err)
{
    struct hist h;
    struct change_bufs b = {NULL, NULL, NULL, RA_BUF_INIT};
    git_oid start;
    size_t i;
    int error;

    assert(repo && cb && (paths || !npaths));
    memset(&h, 0, sizeof(h));
    h.repo = repo;
    h.paths = paths;
    h.npaths = npaths;
    h.err = err;
    if ((error = resolve_oid(&start, repo, rev, err)) < 0)
        goto done;
    if (repo->shallow || order_by_revwalk(&h, &start) < 0) {
        h.n = 0; /* a missing commit stopped the revwalk part-way */
        ra_err_clear(err);
        if ((error = order_tolerant(&h, &start)) < 0)
            goto done;
    }
    for (i = 0; i < h.n; i++)
        ra_map_put(&h.index, h.order[i].id, GIT_OID_RAWSZ, (void *)(uintptr_t)(i + 1));
    h.cache = ra_xcalloc(h.n ? h.n : 1, sizeof(*h.cache));
    b.index = ra_xcalloc(npaths ? npaths : 1, sizeof(*b.index));
    b.before = ra_xcalloc(npaths ? npaths : 1, sizeof(*b.before));
    b.after = ra_xcalloc(npaths ? npaths : 1, sizeof(*b.after));
    for (i = 0; i < h.n && npaths; i++) {
        if ((error = visit(&h, i, &b, cb, payload)) < 0)
            goto done;
    }

done:
    for (i = 0; h.cache && i < h.n; i++)
        pathids_free(h.cache[i]);
    free(h.cache);
    ra_map_release(&h.index);
    free(h.order);
    free(b.index);
    free(b.before);
    free(b.after);
    ra_buf_release(&b.summary);
    return error;
}
