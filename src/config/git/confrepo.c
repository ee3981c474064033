/* SPDX-License-Identifier: MIT */
/* Glue between the libgit2 adapter and the jobs scanner, with a cache of blobs by id:
 * no libgit2 here. */
#include "config/git/confrepo.h"

#include <assert.h>
#include <stdlib.h>

#include "config/git/gitrepo.h"
#include "config/jobs/jobs.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/pool.h"

/* A blob as read: its content, or why it could not be read. */
struct blob {
    char *data; /* NUL-terminated */
    size_t len;
    const char *unreadable;
};

struct ra_confrepo {
    struct ra_gitrepo *repo;
    struct ra_map blobs; /* 40-hex id (in pool) -> struct blob * */
    struct ra_pool pool; /* ids and messages */
    size_t cached;       /* bytes of content in blobs */
    size_t read;         /* blobs read from the repository */
};

int ra_confrepo_new(struct ra_confrepo **out, struct ra_gitrepo *repo)
{
    struct ra_confrepo *cr;

    assert(out && repo);
    cr = ra_xcalloc(1, sizeof(*cr));
    cr->repo = repo;
    *out = cr;
    return 0;
}

static void blob_free(struct blob *b)
{
    if (b) {
        free(b->data);
        free(b);
    }
}

void ra_confrepo_free(struct ra_confrepo *cr)
{
    size_t iter = 0, keylen;
    const void *key;
    void *value;

    if (!cr)
        return;
    while (ra_map_next(&cr->blobs, &iter, &key, &keylen, &value))
        blob_free(value);
    ra_map_release(&cr->blobs);
    ra_pool_release(&cr->pool);
    free(cr);
}

size_t ra_confrepo_blobs_read(const struct ra_confrepo *cr)
{
    return cr->read;
}

/* The blob f, from the cache or read (and kept while the cache has room). *owned is set
 * when the caller must free the result with blob_free. */
static struct blob *get_blob(struct ra_confrepo *cr, const struct ra_gitfile *f,
                             int *owned)
{
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct blob *b = ra_map_get(&cr->blobs, f->blob, RA_GIT_HEXSZ);

    *owned = 0;
    if (b)
        return b;
    b = ra_xcalloc(1, sizeof(*b));
    cr->read++;
    if (ra_gitrepo_read_blob(&buf, NULL, cr->repo, f->blob, RA_JOBS_FILE_MAX, &err) < 0) {
        b->unreadable =
            ra_pool_strdup(&cr->pool, err.msg); /* damaged: the rest is read */
    } else {
        b->len = buf.len;
        b->data = buf.len ? ra_buf_detach(&buf) : ra_xstrdup("");
    }
    ra_buf_release(&buf);
    if (cr->cached + b->len > RA_CONFREPO_CACHE_MAX) {
        *owned = 1;
        return b;
    }
    cr->cached += b->len;
    ra_map_put(&cr->blobs, ra_pool_strdup(&cr->pool, f->blob), RA_GIT_HEXSZ, b);
    return b;
}

int ra_confrepo_scan(struct ra_jobs **out, struct ra_confrepo *cr, const char *commit,
                     struct ra_err *err)
{
    struct ra_gitfiles files = RA_GITFILES_INIT;
    struct ra_jobs_file *in = NULL;
    const char **why = NULL;
    struct ra_vec owned = RA_VEC_INIT;
    struct blob *b;
    size_t i, n = 0, total = 0;
    int error, own;

    assert(out && cr && commit);
    *out = NULL;
    if ((error = ra_gitrepo_files(&files, cr->repo, commit, err)) < 0)
        goto done;
    in = ra_xcalloc(files.len ? files.len : 1, sizeof(*in));
    why = ra_xcalloc(files.len ? files.len : 1, sizeof(*why));
    for (i = 0; i < files.len; i++) {
        const struct ra_gitfile *f = &files.items[i];
        struct ra_jobs_file *jf = &in[n];

        if (f->mode == RA_GITFILE_SYMLINK)
            continue;
        jf->path = f->path;
        jf->len = (size_t)f->size;
        n++;
        if (f->missing) {
            why[n - 1] = f->mode == RA_GITFILE_TREE
                             ? "directory missing from the repository (damaged)"
                             : "missing from the repository (damaged)";
            continue;
        }
        if (f->size > RA_JOBS_FILE_MAX)
            continue; /* only its size is looked at */
        total += (size_t)f->size;
        if (total > RA_CONFREPO_TOTAL_MAX) {
            error = ra_err_set(err, RA_ELIMIT,
                               "commit '%s': more than %zu bytes of files to read",
                               commit, (size_t)RA_CONFREPO_TOTAL_MAX);
            goto done;
        }
        b = get_blob(cr, f, &own);
        if (own)
            ra_vec_push(&owned, b);
        jf->data = b->data;
        jf->len = b->len;
        why[n - 1] = b->unreadable;
    }
    error = ra_jobs_scan_why(out, in, why, n, err);

done:
    for (i = 0; i < owned.len; i++)
        blob_free(owned.items[i]);
    ra_vec_release(&owned);
    free(why);
    free(in);
    ra_gitfiles_release(&files);
    return error;
}

int ra_confrepo_jobs(struct ra_jobs **out, struct ra_gitrepo *repo, const char *commit,
                     struct ra_err *err)
{
    struct ra_confrepo *cr = NULL;
    int error;

    if ((error = ra_confrepo_new(&cr, repo)) < 0)
        return error;
    error = ra_confrepo_scan(out, cr, commit, err);
    ra_confrepo_free(cr);
    return error;
}
