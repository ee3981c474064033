/* SPDX-License-Identifier: MIT */
/* The pipelines of one commit of a config repository: config/gitrepo lists the commit's
 * files and reads the CI files among them (bounded), config/pipelines reads those. No
 * libgit2 here. */
#include "config/git/confrepo.h"

#include <assert.h>
#include <stdlib.h>

#include "config/git/gitrepo.h"
#include "config/pipelines/pipelines.h"
#include "util/buf.h"

/* A missing tree that would have held CI files, or a CI file. */
static int wanted(const struct ra_gitfile *f)
{
    if (f->mode == RA_GITFILE_TREE)
        return f->missing &&
               (!strcmp(f->path, ".woodpecker") || !strcmp(f->path, ".github") ||
                !strcmp(f->path, ".github/workflows"));
    return f->mode != RA_GITFILE_SYMLINK && ra_pipelines_is_ci_path(f->path);
}

int ra_confrepo_pipelines(struct ra_pipelines **out, struct ra_gitrepo *repo,
                          const char *commit, struct ra_err *err)
{
    struct ra_gitfiles files = RA_GITFILES_INIT;
    struct ra_jobs_file *in = NULL;
    struct ra_buf *bufs = NULL;
    const char **why = NULL;
    size_t i, n = 0;
    int error;

    assert(out && repo && commit);
    *out = NULL;
    if ((error = ra_gitrepo_files(&files, repo, commit, err)) < 0)
        goto done;
    in = ra_xcalloc(files.len ? files.len : 1, sizeof(*in));
    why = ra_xcalloc(files.len ? files.len : 1, sizeof(*why));
    bufs = ra_xcalloc(files.len ? files.len : 1, sizeof(*bufs));
    for (i = 0; i < files.len; i++) {
        const struct ra_gitfile *f = &files.items[i];
        struct ra_err rerr = RA_ERR_INIT;

        if (!wanted(f))
            continue;
        in[n].path = f->path;
        in[n].len = (size_t)f->size;
        if (f->missing) {
            why[n] = f->mode == RA_GITFILE_TREE
                         ? "directory missing from the repository (damaged)"
                         : "missing from the repository (damaged)";
        } else if (f->size <= RA_JOBS_FILE_MAX) { /* larger: only its size is looked at */
            if (ra_gitrepo_read_blob(&bufs[n], NULL, repo, f->blob, RA_JOBS_FILE_MAX,
                                     &rerr) < 0) {
                why[n] = ra_pool_strdup(&files.pool, rerr.msg); /* the rest is read */
            } else {
                in[n].data = ra_buf_cstr(&bufs[n]);
                in[n].len = bufs[n].len;
            }
        }
        n++;
    }
    error = ra_pipelines_scan_why(out, in, why, n, err);

done:
    for (i = 0; bufs && i < n; i++)
        ra_buf_release(&bufs[i]);
    free(bufs);
    free(why);
    free(in);
    ra_gitfiles_release(&files);
    return error;
}
