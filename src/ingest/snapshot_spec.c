/* SPDX-License-Identifier: MIT */
/* Snapshot arguments: a path, an optional @time, a #snapshot folder of many. */
#include "ingest/snapshot.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/source.h"
#include "util/buf.h"

static const char *base_name(const char *path)
{
    size_t len = strlen(path);
    const char *p;

    while (len > 1 && path[len - 1] == '/')
        len--;
    for (p = path + len; p > path && p[-1] != '/'; p--)
        ;
    return p;
}

static struct ra_snapshot_spec *spec_new(const char *path, const char *name)
{
    struct ra_snapshot_spec *s = ra_xcalloc(1, sizeof(*s));
    size_t n = strlen(name);

    s->path = ra_xstrdup(path);
    while (n > 1 && name[n - 1] == '/')
        n--;
    s->name = ra_xstrndup(name, n);
    s->taken_at = RA_TIME_NONE;
    s->taken_source = RA_TAKEN_UNKNOWN;
    if (!ra_time_from_name(&s->taken_at, s->name))
        s->taken_source = RA_TAKEN_NAME;
    return s;
}

void ra_snapshot_spec_free(struct ra_snapshot_spec *spec)
{
    if (!spec)
        return;
    free(spec->path);
    free(spec->name);
    free(spec);
}

static int is_synology_name(const char *name)
{
    ra_time t;
    return !strncmp(name, "GMT", 3) && !ra_time_from_name(&t, name);
}

static int cmp_spec(const void *a, const void *b)
{
    const struct ra_snapshot_spec *x = *(void *const *)a, *y = *(void *const *)b;

    if (x->taken_at != y->taken_at)
        return x->taken_at < y->taken_at ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* A folder of Synology snapshot folders: one spec per "GMT+00_…" sub-folder. */
static int expand_synology(struct ra_vec *out, const char *dir, int *found)
{
    struct ra_vec found_specs = RA_VEC_INIT;
    struct ra_buf path = RA_BUF_INIT;
    struct dirent *de;
    DIR *d = opendir(dir);
    size_t i;

    *found = 0;
    if (!d)
        return 0;
    while ((de = readdir(d))) {
        struct stat st;
        if (!is_synology_name(de->d_name))
            continue;
        ra_buf_truncate(&path, 0);
        ra_buf_printf(&path, "%s/%s", dir, de->d_name);
        if (lstat(path.ptr, &st) || !S_ISDIR(st.st_mode))
            continue;
        ra_vec_push(&found_specs, spec_new(path.ptr, de->d_name));
    }
    closedir(d);
    ra_vec_sort(&found_specs, cmp_spec);
    for (i = 0; i < found_specs.len; i++)
        ra_vec_push(out, found_specs.items[i]);
    *found = found_specs.len > 0;
    ra_vec_release(&found_specs);
    ra_buf_release(&path);
    return 0;
}

int ra_snapshot_expand(struct ra_vec *out, const char *arg, struct ra_err *err)
{
    const char *at = strrchr(arg, '@');
    ra_time explicit_at = RA_TIME_NONE;
    char *path = NULL;
    struct stat st;
    int found = 0, error = 0;

    if (at && !ra_time_parse(&explicit_at, at + 1))
        path = ra_xstrndup(arg, (size_t)(at - arg));
    else
        path = ra_xstrdup(arg);

    if (ra_source_is_stdin(path)) {
        st.st_mode = S_IFREG; /* an archive streamed on standard input */
    } else if (stat(path, &st)) {
        error = ra_err_set(err, RA_ENOTFOUND, "'%s': no such file or directory", path);
        goto done;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* a FIFO would block the reader until someone writes to it */
        error = ra_err_set(err, RA_EUSAGE, "'%s': not a regular file or a directory (%s)",
                           path, ra_file_kind(st.st_mode));
        goto done;
    }
    if (S_ISDIR(st.st_mode) && explicit_at == RA_TIME_NONE) {
        expand_synology(out, path, &found);
        if (found)
            goto done;
    }
    {
        struct ra_snapshot_spec *s =
            spec_new(path, ra_source_is_stdin(path) ? "stdin" : base_name(path));
        if (explicit_at != RA_TIME_NONE) {
            s->taken_at = explicit_at;
            s->taken_source = RA_TAKEN_EXPLICIT;
        }
        ra_vec_push(out, s);
    }
done:
    free(path);
    return error;
}
