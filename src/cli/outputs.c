/* SPDX-License-Identifier: MIT */
/* Outputs never overwrite evidence: an output file is compared with every input by
 * device and inode, refused anywhere inside a snapshot directory, and refused over an
 * existing file inside another input directory (the config repo, a template
 * directory). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/snapshot.h"

/* Directory levels walked up from an output before giving up (a loop, a huge depth). */
#define MAX_ANCESTORS 4096

struct input {
    const char *path; /* borrowed from argv or owned by cli_inputs.owned */
    dev_t dev;
    ino_t ino;
    int dir;      /* a directory */
    int snapshot; /* a snapshot directory: nothing may be written anywhere inside */
};

void cli_inputs_init(struct cli_inputs *in)
{
    memset(in, 0, sizeof(*in));
}

static void add(struct cli_inputs *in, const char *path, int snapshot)
{
    struct input *x;
    struct stat st;

    if (!path)
        return;
    /* "-" is standard input: a file redirected there is evidence too */
    if (!strcmp(path, "-") ? fstat(STDIN_FILENO, &st) < 0 || !S_ISREG(st.st_mode)
                           : stat(path, &st) < 0)
        return; /* what does not exist cannot be overwritten; the command reports it */
    x = ra_xcalloc(1, sizeof(*x));
    x->path = path;
    x->dev = st.st_dev;
    x->ino = st.st_ino;
    x->dir = S_ISDIR(st.st_mode);
    x->snapshot = snapshot;
    ra_vec_push(&in->items, x);
}

void cli_inputs_add(struct cli_inputs *in, const char *path)
{
    add(in, path, 0);
}

void cli_inputs_add_snapshots(struct cli_inputs *in, char **args, int n)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t i;
    int k;

    for (k = 0; k < n; k++) {
        add(in, args[k], 1);
        ra_snapshot_expand(&specs, args[k], &err); /* errors are the scan's to report */
    }
    for (i = 0; i < specs.len; i++) {
        struct ra_snapshot_spec *s = specs.items[i];
        char *p = ra_xstrdup(s->path);
        ra_vec_push(&in->owned, p);
        add(in, p, 1);
        ra_snapshot_spec_free(s);
    }
    ra_vec_release(&specs);
}

void cli_inputs_add_evidence(struct cli_inputs *in, const struct cli_evidence *ev)
{
    size_t i;

    cli_inputs_add(in, ev->inv.config);
    for (i = 0; i < ev->logs.len; i++)
        cli_inputs_add(in, ev->logs.items[i]);
    for (i = 0; i < ev->jobs_files.len; i++)
        cli_inputs_add(in, ev->jobs_files.items[i]);
}

static const struct input *same_file(const struct cli_inputs *in, const struct stat *st)
{
    size_t i;

    for (i = 0; i < in->items.len; i++) {
        const struct input *x = in->items.items[i];
        if (x->dev == st->st_dev && x->ino == st->st_ino)
            return x;
    }
    return NULL;
}

/* The input directory that holds the folder open at fd, walking up through "..";
 * only snapshot directories unless `existing` (the output exists). Closes fd. */
static const struct input *holding_dir(const struct cli_inputs *in, int fd, int existing)
{
    const struct input *hit = NULL;
    struct stat st, up;
    int i, parent;

    for (i = 0; fd >= 0 && i < MAX_ANCESTORS && !hit; i++) {
        if (fstat(fd, &st) < 0)
            break;
        hit = same_file(in, &st);
        if (hit && !hit->snapshot && !existing)
            hit = NULL;
        parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(fd);
        fd = parent;
        if (fd < 0 || fstat(fd, &up) < 0 ||
            (up.st_dev == st.st_dev && up.st_ino == st.st_ino))
            break; /* the root */
    }
    if (fd >= 0)
        close(fd);
    return hit && hit->dir ? hit : NULL;
}

/* The folder an output lands in: its resolved parent when it exists, else the
 * parent named in the path (resolved by the kernel as "..", physically). */
static int parent_fd(const char *path)
{
    char real[PATH_MAX], dir[PATH_MAX];
    const char *p = path, *slash;
    size_t n;

    if (realpath(path, real))
        p = real;
    slash = strrchr(p, '/');
    if (!slash)
        return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    n = slash == p ? 1 : (size_t)(slash - p);
    if (n >= sizeof(dir))
        return -1;
    memcpy(dir, p, n);
    dir[n] = '\0';
    return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cli_inputs_check_output(const struct cli_inputs *in, const char *path,
                            const char *what)
{
    const struct input *x;
    struct stat st;
    int exists;

    if (!path)
        return 0;
    if (!strcmp(path, "-")) { /* stdout redirected onto an input file */
        if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
            (x = same_file(in, &st)))
            goto same;
        return 0;
    }
    exists = stat(path, &st) == 0;
    if (exists && (x = same_file(in, &st)))
        goto same;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && stat(path, &st) < 0 &&
        errno == ENOENT) {
        cli_error("%s '%s': a symbolic link to nothing; refusing to create its target",
                  what, path);
        return -1;
    }
    if ((x = holding_dir(in, parent_fd(path), exists))) {
        cli_error("%s '%s' %s the input directory '%s'; evidence is never written to",
                  what, path, x->snapshot ? "is inside" : "would replace a file in",
                  x->path);
        return -1;
    }
    return 0;
same:
    cli_error("%s '%s' is the input '%s'; evidence is never overwritten", what,
              strcmp(path, "-") ? path : "(stdout)", x->path);
    return -1;
}

static int is_stdin(const char *arg)
{
    return arg && arg[0] == '-' && (!arg[1] || arg[1] == '@');
}

/* Standard input can be read once: at most one input may be "-". */
static int check_stdin(char **snapshots, int n, const struct cli_evidence *ev,
                       const char *const *inputs, size_t nin)
{
    size_t i, k = 0;
    int j;

    for (j = 0; j < n; j++)
        k += is_stdin(snapshots[j]);
    for (i = 0; ev && i < ev->logs.len; i++)
        k += is_stdin(ev->logs.items[i]);
    for (i = 0; ev && i < ev->jobs_files.len; i++)
        k += is_stdin(ev->jobs_files.items[i]);
    for (i = 0; i < nin; i++)
        k += inputs[i] && !strcmp(inputs[i], "-");
    if (k < 2)
        return 0;
    cli_error("'-' (standard input) names %zu inputs; it can be read for one only", k);
    return -1;
}

int cli_check_outputs(char **snapshots, int n, const struct cli_evidence *ev,
                      const char *const *inputs, size_t nin, const char *const *outputs,
                      size_t nout)
{
    struct cli_inputs in;
    size_t i;
    int rc = 0;

    if (check_stdin(snapshots, n, ev, inputs, nin) < 0)
        return -1;
    cli_inputs_init(&in);
    cli_inputs_add_snapshots(&in, snapshots, n);
    if (ev)
        cli_inputs_add_evidence(&in, ev);
    for (i = 0; i < nin; i++)
        cli_inputs_add(&in, inputs[i]);
    for (i = 0; i < nout && !rc; i++)
        rc = cli_inputs_check_output(&in, outputs[i], "output");
    cli_inputs_release(&in);
    return rc;
}

void cli_inputs_release(struct cli_inputs *in)
{
    size_t i;

    for (i = 0; i < in->items.len; i++)
        free(in->items.items[i]);
    for (i = 0; i < in->owned.len; i++)
        free(in->owned.items[i]);
    ra_vec_release(&in->items);
    ra_vec_release(&in->owned);
}
