/* SPDX-License-Identifier: MIT */
/* Glue between the libgit2 adapter and the jobs scanner: no libgit2 here. */
#include "config/confrepo.h"

#include <assert.h>
#include <stdlib.h>

#include "config/gitrepo.h"
#include "config/jobs.h"
#include "util/buf.h"
#include "util/pool.h"

int ra_confrepo_jobs(struct ra_jobs **out, struct ra_gitrepo *repo, const char *commit,
                     struct ra_err *err)
{
    struct ra_gitfiles files = RA_GITFILES_INIT;
    struct ra_pool msgs = RA_POOL_INIT;
    struct ra_jobs_file *in = NULL;
    struct ra_buf *bufs = NULL;
    struct ra_err ferr = RA_ERR_INIT;
    size_t i, n = 0, total = 0;
    int error;

    assert(out && repo && commit);
    *out = NULL;
    if ((error = ra_gitrepo_files(&files, repo, commit, err)) < 0)
        goto done;
    in = ra_xcalloc(files.len ? files.len : 1, sizeof(*in));
    bufs = ra_xcalloc(files.len ? files.len : 1, sizeof(*bufs));
    for (i = 0; i < files.len; i++) {
        const struct ra_gitfile *f = &files.items[i];
        struct ra_jobs_file *jf = &in[n];

        if (f->mode == RA_GITFILE_SYMLINK)
            continue;
        jf->path = f->path;
        jf->len = (size_t)f->size;
        n++;
        if (f->missing) {
            jf->unreadable = f->mode == RA_GITFILE_TREE
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
        if (ra_gitrepo_read_blob(&bufs[i], NULL, repo, f->blob, RA_JOBS_FILE_MAX, &ferr) <
            0) {
            jf->unreadable =
                ra_pool_strdup(&msgs, ferr.msg); /* damaged: the rest is read */
            continue;
        }
        jf->data = bufs[i].ptr ? bufs[i].ptr : "";
        jf->len = bufs[i].len;
    }
    error = ra_jobs_scan(out, in, n, err);

done:
    for (i = 0; bufs && i < files.len; i++)
        ra_buf_release(&bufs[i]);
    free(bufs);
    free(in);
    ra_pool_release(&msgs);
    ra_gitfiles_release(&files);
    return error;
}
