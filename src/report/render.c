/* SPDX-License-Identifier: MIT */
/* Rendering the post-mortem. */
#include "report/render.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/builtin.h"
#include "report/tmpl.h"

/* A template file named on the command line, bounded like a partial. */
static int read_template(struct ra_buf *out, const char *path, struct ra_err *err)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin; /* "-": standard input */
    size_t n;
    int error = 0;

    if (!f)
        return ra_err_set(err, RA_ENOTFOUND, "template '%s': cannot open", path);
    for (;;) {
        ra_buf_grow(out, 65536);
        n = fread(out->ptr + out->len, 1, 65536, f);
        out->len += n;
        out->ptr[out->len] = '\0';
        if (out->len > RA_TMPL_MAX_FILE) {
            error = ra_err_set(err, RA_ELIMIT, "template '%s': larger than %d bytes",
                               path, RA_TMPL_MAX_FILE);
            break;
        }
        if (n < 65536) {
            if (ferror(f))
                error = ra_err_set(err, RA_EIO, "template '%s': read error", path);
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    return error;
}

static int builtin_loader(struct ra_buf *out, const char *name, void *payload,
                          struct ra_err *err);

int ra_report_render(struct ra_buf *out, struct json_t *model, const char *template,
                     struct ra_err *err)
{
    struct ra_buf src = RA_BUF_INIT, dir = RA_BUF_INIT, path = RA_BUF_INIT;
    const char *slash, *name;
    struct stat st;
    int error;

    if (!strcmp(template, "-")) { /* from standard input, partials built in */
        if ((error = read_template(&src, template, err)) < 0)
            goto done;
        error = ra_tmpl_render(out, "stdin", src.ptr, src.len, model, builtin_loader,
                               NULL, err);
        goto done;
    }
    if (stat(template, &st)) {
        error = ra_err_set(err, RA_ENOTFOUND, "template '%s': no such file or directory",
                           template);
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        ra_buf_puts(&dir, template);
        ra_buf_printf(&path, "%s/%s", template, RA_REPORT_TEMPLATE);
        name = RA_REPORT_TEMPLATE;
    } else {
        slash = strrchr(template, '/');
        ra_buf_put(&dir, slash ? template : ".", slash ? (size_t)(slash - template) : 1);
        ra_buf_puts(&path, template);
        name = slash ? slash + 1 : template;
    }
    /* partials come from the template's own directory, as <name>.mustache */
    if ((error = read_template(&src, path.ptr, err)) < 0)
        goto done;
    error = ra_tmpl_render(out, name, src.ptr, src.len, model, ra_tmpl_dir_loader,
                           (void *)dir.ptr, err);
done:
    ra_buf_release(&src);
    ra_buf_release(&dir);
    ra_buf_release(&path);
    return error;
}

static const struct ra_builtin_template *builtin_find(const char *name)
{
    const struct ra_builtin_template *t;

    for (t = ra_builtin_templates; t->name; t++)
        if (!strcmp(t->name, name))
            return t;
    return NULL;
}

/* Partials from the compiled-in templates. */
static int builtin_loader(struct ra_buf *out, const char *name, void *payload,
                          struct ra_err *err)
{
    const struct ra_builtin_template *t = builtin_find(name);

    (void)payload;
    if (!t)
        return ra_err_set(err, RA_ENOTFOUND, "partial '%s': not built in", name);
    ra_buf_put(out, t->src, t->len);
    return 0;
}

int ra_report_render_builtin(struct ra_buf *out, struct json_t *model, struct ra_err *err)
{
    const struct ra_builtin_template *t = builtin_find("postmortem.md");

    if (!t)
        return ra_err_set(err, RA_ENOTFOUND, "template '%s': not built in",
                          RA_REPORT_TEMPLATE);
    return ra_tmpl_render(out, RA_REPORT_TEMPLATE, t->src, t->len, model, builtin_loader,
                          NULL, err);
}
