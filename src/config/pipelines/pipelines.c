/* SPDX-License-Identifier: MIT */
/* CI pipelines in a set of files: recognising CI files by path, reading every YAML
 * document with the walker of its CI system, image references (with the pipeline's
 * variables, in config/text/imageref's normal form), ids, sorting and the pushers/users
 * queries. */
#include "config/pipelines/pipelines.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "config/pipelines/pipelines_internal.h"
#include "config/text/imageref.h"
#include "config/text/span.h"

#define EXPAND_DEPTH 4 /* variables whose values hold variables */

static const char *const system_names[] = {"woodpecker", "github", "gitlab", "drone"};

static const char *const trigger_names[] = {
    "push", "tag", "pull_request", "cron", "schedule", "manual", "deployment", "other",
};

const char *ra_ci_system_name(enum ra_ci_system system)
{
    return (size_t)system < RA_ARRAY_SIZE(system_names) ? system_names[system]
                                                        : "unknown";
}

const char *ra_trigger_kind_name(enum ra_trigger_kind kind)
{
    return (size_t)kind < RA_ARRAY_SIZE(trigger_names) ? trigger_names[kind] : "other";
}

/* ---- queries ---- */

static void query(struct ra_vec *out, const struct ra_pipelines *p, const char *ref,
                  int pushes)
{
    struct ra_imageref q, c;
    size_t i, k;

    assert(out && p && ref);
    ra_imageref_parse(&q, ref); /* as given: "docker.io/x" names Docker Hub's host */
    for (i = 0; i < p->pipelines.len; i++) {
        const struct ra_pipeline *pl = p->pipelines.items[i];
        const struct ra_vec *v = pushes ? &pl->pushes : &pl->uses;
        for (k = 0; k < v->len; k++) {
            const struct ra_pipeline_image *img = v->items[k];
            ra_imageref_parse(&c, img->ref);
            if (ra_imageref_answers(&q, &c))
                ra_vec_push(out, (void *)img);
        }
    }
}

void ra_pipelines_pushers(struct ra_vec *out, const struct ra_pipelines *p,
                          const char *ref)
{
    query(out, p, ref, 1);
}

void ra_pipelines_users(struct ra_vec *out, const struct ra_pipelines *p, const char *ref)
{
    query(out, p, ref, 0);
}

/* ---- the pipeline's variables ---- */

void ra_pipelines_vars_set(struct ra_pipelines_ctx *ctx, const char *name, size_t len,
                           const char *value)
{
    struct ra_pipelines_var *v = ra_pool_alloc(&ctx->out->pool, sizeof(*v));

    v->name = ra_pipelines_strndup(ctx, name, len);
    v->value = ra_pipelines_strdup(ctx, value);
    ra_vec_push(&ctx->vars, v);
}

void ra_pipelines_vars_map(struct ra_pipelines_ctx *ctx, const yaml_node_t *map)
{
    yaml_node_pair_t *p;
    const char *k, *v;

    if (!map || map->type != YAML_MAPPING_NODE)
        return;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *vn = yaml_document_get_node(ctx->doc, p->value);
        k = ra_yamldoc_scalar(yaml_document_get_node(ctx->doc, p->key));
        v = ra_yamldoc_scalar(vn);
        if (!v) /* GitLab: {value: ..., description: ...} */
            v = ra_yamldoc_str(ctx->doc, vn, "value", 0);
        if (k && v)
            ra_pipelines_vars_set(ctx, k, strlen(k), v);
    }
}

void ra_pipelines_vars_pop(struct ra_pipelines_ctx *ctx, size_t mark)
{
    if (mark < ctx->vars.len)
        ctx->vars.len = mark;
}

static const char *var_get(const struct ra_pipelines_ctx *ctx, const char *name,
                           size_t len)
{
    size_t i;

    for (i = ctx->vars.len; i-- > 0;) {
        const struct ra_pipelines_var *v = ctx->vars.items[i];
        if (strlen(v->name) == len && !memcmp(v->name, name, len))
            return v->value;
    }
    return NULL;
}

static void expand(const struct ra_pipelines_ctx *ctx, struct ra_buf *out, const char *s,
                   int depth);

void ra_pipelines_expand(const struct ra_pipelines_ctx *ctx, struct ra_buf *out,
                         const char *s)
{
    ra_buf_truncate(out, 0);
    expand(ctx, out, s, 0);
}

/* One reference at s ("$X", "${X}", "${X:-default}", "${{ env.X }}"): appended to out,
 * its value when known, else as written. Returns the length read, 0 when s is not
 * one. */
static size_t expand_one(const struct ra_pipelines_ctx *ctx, struct ra_buf *out,
                         const char *s, int depth)
{
    const char *name, *close, *dflt = NULL, *value;
    size_t n, used;

    if (!strncmp(s, "${{", 3)) {
        if (!(close = strstr(s, "}}")))
            return 0;
        for (name = s + 3; *name == ' '; name++)
            ;
        if (!strncmp(name, "env.", 4))
            name += 4;
        else if (!strncmp(name, "vars.", 5))
            name += 5;
        else
            return 0;
        for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_'; n++)
            ;
        used = (size_t)(close + 2 - s);
    } else if (s[1] == '{') {
        if (!(close = strchr(s, '}')))
            return 0;
        name = s + 2;
        for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_'; n++)
            ;
        if (name[n] == ':' && name[n + 1] == '-')
            dflt = name + n + 2;
        else if (name[n] == '-')
            dflt = name + n + 1;
        used = (size_t)(close + 1 - s);
    } else {
        name = s + 1;
        for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_'; n++)
            ;
        used = n + 1;
    }
    if (!n)
        return 0;
    if ((value = var_get(ctx, name, n))) {
        expand(ctx, out, value, depth + 1);
    } else if (dflt) {
        ra_buf_put(out, dflt, (size_t)(s + used - 1 - dflt));
    } else {
        ra_buf_put(out, s, used);
    }
    return used;
}

static void expand(const struct ra_pipelines_ctx *ctx, struct ra_buf *out, const char *s,
                   int depth)
{
    size_t used;

    if (depth > EXPAND_DEPTH) {
        ra_buf_puts(out, s);
        return;
    }
    while (*s) {
        if (s[0] == '$' && s[1] == '$') { /* "$$": a '$' the CI does not expand */
            ra_buf_puts(out, "$$");
            s += 2;
            continue;
        }
        if (*s == '$' && (used = expand_one(ctx, out, s, depth))) {
            s += used;
            continue;
        }
        ra_buf_putc(out, *s++);
    }
}

/* ---- building the result ---- */

char *ra_pipelines_strdup(struct ra_pipelines_ctx *ctx, const char *s)
{
    return ra_pool_strdup(&ctx->out->pool, s);
}

char *ra_pipelines_strndup(struct ra_pipelines_ctx *ctx, const char *s, size_t n)
{
    return ra_pool_strndup(&ctx->out->pool, s, n);
}

struct ra_pipeline *ra_pipelines_add(struct ra_pipelines_ctx *ctx,
                                     enum ra_ci_system system, const char *name,
                                     unsigned line)
{
    struct ra_pipeline *pl = ra_pool_alloc(&ctx->out->pool, sizeof(*pl));

    pl->system = system;
    pl->name = ra_pipelines_strdup(ctx, name && *name ? name : ctx->base);
    pl->path = ctx->path;
    pl->line = line;
    ra_vec_push(&ctx->out->pipelines, pl);
    return pl;
}

struct ra_pipeline_trigger *ra_pipelines_add_trigger(struct ra_pipelines_ctx *ctx,
                                                     struct ra_pipeline *pl,
                                                     enum ra_trigger_kind kind,
                                                     const char *event, unsigned line)
{
    struct ra_pipeline_trigger *t = ra_pool_alloc(&ctx->out->pool, sizeof(*t));

    t->kind = kind;
    t->event = event ? ra_pipelines_strdup(ctx, event) : NULL;
    t->path = ctx->path;
    t->line = line;
    ra_vec_push(&pl->triggers, t);
    return t;
}

static struct ra_pipeline_image *
add_image(struct ra_pipelines_ctx *ctx, struct ra_vec *to, const struct ra_pipeline *pl,
          const char *image, const char *step, const char *how, unsigned line)
{
    struct ra_buf b = RA_BUF_INIT, norm = RA_BUF_INIT;
    struct ra_pipeline_image *img = NULL;
    char *copy, *key;
    size_t n;

    n = strlen(image);
    ra_span_trim(&image, &n);
    ra_span_unquote(&image, &n);
    if (n > 9 && !strncmp(image, "docker://", 9))
        image += 9, n -= 9;
    copy = ra_pipelines_strndup(ctx, image, n);
    if (!*copy || (strchr(copy, ' ') && !strstr(copy, "{{") && !strstr(copy, "$(")))
        goto done; /* nothing, or words rather than a reference */
    ra_buf_printf(&b, "%c %s:%u %u %s %s %s", to == &pl->pushes ? 'p' : 'u', pl->name,
                  pl->line, line, how, step ? step : "", copy);
    if (ra_map_get(&ctx->seen, b.ptr, b.len))
        goto done; /* an alias used again */
    key = ra_pipelines_strndup(ctx, b.ptr, b.len);
    ra_map_put(&ctx->seen, key, b.len, key);
    ra_buf_truncate(&b, 0);
    img = ra_pool_alloc(&ctx->out->pool, sizeof(*img));
    img->pipeline = pl;
    img->image = copy;
    expand(ctx, &b, img->image, 0);
    ra_imageref_normalize(&norm, ra_buf_cstr(&b) +
                                     (strncmp(ra_buf_cstr(&b), "docker://", 9) ? 0 : 9));
    img->ref = ra_pipelines_strdup(ctx, ra_buf_cstr(&norm));
    img->step = step ? ra_pipelines_strdup(ctx, step) : NULL;
    img->how = how;
    img->path = ctx->path;
    img->line = line;
    ra_vec_push(to, img);

done:
    ra_buf_release(&b);
    ra_buf_release(&norm);
    return img;
}

struct ra_pipeline_image *ra_pipelines_add_use(struct ra_pipelines_ctx *ctx,
                                               struct ra_pipeline *pl, const char *image,
                                               const char *step, const char *how,
                                               unsigned line)
{
    return add_image(ctx, &pl->uses, pl, image, step, how, line);
}

struct ra_pipeline_image *ra_pipelines_add_push(struct ra_pipelines_ctx *ctx,
                                                struct ra_pipeline *pl, const char *image,
                                                const char *step, const char *how,
                                                unsigned line)
{
    return add_image(ctx, &pl->pushes, pl, image, step, how, line);
}

void ra_pipelines_add_problem(struct ra_pipelines_ctx *ctx, unsigned line, int code,
                              const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_problem_addv(&ctx->out->problems, &ctx->out->pool, ctx->path, line, code, fmt, ap);
    va_end(ap);
}

/* ---- recognising CI files ---- */

static int has_yaml_ext(const char *name)
{
    size_t n = strlen(name);

    return (n > 4 && !strcmp(name + n - 4, ".yml")) ||
           (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

/* A file directly in dir ("dir/x.yml"), not in a subdirectory of it. */
static int directly_in(const char *path, const char *dir)
{
    size_t k = strlen(dir);

    return !strncmp(path, dir, k) && path[k] && !strchr(path + k, '/') &&
           has_yaml_ext(path + k);
}

static int system_of(const char *path, enum ra_ci_system *sys)
{
    if (directly_in(path, ".woodpecker/") || !strcmp(path, ".woodpecker.yml") ||
        !strcmp(path, ".woodpecker.yaml"))
        *sys = RA_CI_WOODPECKER;
    else if (directly_in(path, ".github/workflows/"))
        *sys = RA_CI_GITHUB;
    else if (!strcmp(path, ".gitlab-ci.yml") || !strcmp(path, ".gitlab-ci.yaml"))
        *sys = RA_CI_GITLAB;
    else if (!strcmp(path, ".drone.yml") || !strcmp(path, ".drone.yaml"))
        *sys = RA_CI_DRONE;
    else
        return 0;
    return 1;
}

int ra_pipelines_is_ci_path(const char *path)
{
    enum ra_ci_system sys;

    assert(path);
    return system_of(path, &sys);
}

/* A directory that holds CI files: when it is missing from a damaged repository, its
 * pipelines are unknown. */
static int ci_dir(const char *path)
{
    return !strcmp(path, ".woodpecker") || !strcmp(path, ".github") ||
           !strcmp(path, ".github/workflows");
}

/* ---- the scan ---- */

struct file_walk {
    struct ra_pipelines_ctx *ctx;
    enum ra_ci_system sys;
};

static void on_document(yaml_document_t *doc, yaml_node_t *root, void *payload)
{
    struct file_walk *fw = payload;
    struct ra_pipelines_ctx *ctx = fw->ctx;
    size_t mark = ctx->vars.len;

    ctx->doc = doc;
    ctx->root = root;
    ctx->ndoc++;
    ctx->visits = 0;
    ctx->capped = 0;
    if (root->type == YAML_MAPPING_NODE) {
        switch (fw->sys) {
        case RA_CI_WOODPECKER:
            ra_pipelines_woodpecker(ctx);
            break;
        case RA_CI_GITHUB:
            ra_pipelines_github(ctx);
            break;
        case RA_CI_GITLAB:
            ra_pipelines_gitlab(ctx);
            break;
        case RA_CI_DRONE:
            ra_pipelines_drone(ctx);
            break;
        }
    }
    ra_pipelines_vars_pop(ctx, mark);
    ctx->doc = NULL;
    ctx->root = NULL;
}

/* The file's name without directories and extension: ".woodpecker/infra-ci.yml" ->
 * "infra-ci", ".woodpecker.yml" -> "woodpecker". */
static const char *base_name(struct ra_pipelines_ctx *ctx, const char *path)
{
    const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path, *dot;

    if (*b == '.')
        b++;
    dot = strrchr(b, '.');
    return ra_pipelines_strndup(ctx, b, dot ? (size_t)(dot - b) : strlen(b));
}

static void read_file(struct ra_pipelines_ctx *ctx, const struct ra_jobs_input *in,
                      enum ra_ci_system sys)
{
    const struct ra_jobs_file *f = &in->f;
    struct file_walk fw = {ctx, sys};
    struct ra_buf msg = RA_BUF_INIT;
    unsigned line = 0;
    char *text = NULL;
    int code;

    ctx->path = ra_pipelines_strdup(ctx, f->path);
    ctx->base = base_name(ctx, f->path);
    ctx->ndoc = 0;
    if ((code = ra_jobs_input_unread(in, ctx->path, &msg))) {
        ra_pipelines_add_problem(ctx, 0, code, "%s", ra_buf_cstr(&msg));
        goto done;
    }
    text = ra_xstrndup(f->data ? f->data : "", f->len);
    if (ra_yamldoc_load_all(text, strlen(text), on_document, &fw, &line, &msg) < 0)
        ra_pipelines_add_problem(ctx, line, RA_EFORMAT, "'%s:%u': YAML: %s", ctx->path,
                                 line, ra_buf_cstr(&msg));

done:
    ra_map_release(&ctx->seen);
    free(text);
    ra_buf_release(&msg);
}

static int cmp_pipeline(const void *a, const void *b)
{
    const struct ra_pipeline *x = *(const struct ra_pipeline *const *)a;
    const struct ra_pipeline *y = *(const struct ra_pipeline *const *)b;

    return ra_problem_cmp_place(x->path, x->line, x->id, y->path, y->line, y->id);
}

/* Ids "<system>:<path>:<name>", "#2", "#3" for repeats (in file order). */
static void name_pipelines(struct ra_pipelines_ctx *ctx)
{
    struct ra_buf b = RA_BUF_INIT;
    size_t i, k, seen;

    for (i = 0; i < ctx->out->pipelines.len; i++) {
        struct ra_pipeline *pl = ctx->out->pipelines.items[i];
        for (k = 0, seen = 1; k < i; k++) {
            const struct ra_pipeline *o = ctx->out->pipelines.items[k];
            seen += o->system == pl->system && !strcmp(o->path, pl->path) &&
                    !strcmp(o->name, pl->name);
        }
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s:%s:%s", ra_ci_system_name(pl->system), pl->path, pl->name);
        if (seen > 1)
            ra_buf_printf(&b, "#%zu", seen);
        pl->id = ra_pipelines_strdup(ctx, ra_buf_cstr(&b));
    }
    ra_buf_release(&b);
}

int ra_pipelines_scan(struct ra_pipelines **out, const struct ra_jobs_file *files,
                      size_t nfiles, struct ra_err *err)
{
    return ra_pipelines_scan_why(out, files, NULL, nfiles, err);
}

int ra_pipelines_scan_why(struct ra_pipelines **out, const struct ra_jobs_file *files,
                          const char *const *why, size_t nfiles, struct ra_err *err)
{
    struct ra_pipelines_ctx ctx;
    struct ra_jobs_input *sorted = NULL;
    enum ra_ci_system sys;
    size_t i;
    int error = 0;

    assert(out && (files || !nfiles));
    *out = NULL;
    memset(&ctx, 0, sizeof(ctx));
    ctx.out = ra_xcalloc(1, sizeof(*ctx.out));
    if ((error = ra_jobs_inputs(&sorted, files, why, nfiles, err)) < 0)
        goto done;
    for (i = 0; i < nfiles; i++) {
        if (system_of(sorted[i].f.path, &sys)) {
            read_file(&ctx, &sorted[i], sys);
        } else if (sorted[i].why && ci_dir(sorted[i].f.path)) {
            ctx.path = ra_pipelines_strdup(&ctx, sorted[i].f.path);
            ra_pipelines_add_problem(&ctx, 0, RA_EIO, "'%s': %s", ctx.path,
                                     sorted[i].why);
        }
    }
    name_pipelines(&ctx);
    ra_vec_sort(&ctx.out->pipelines, cmp_pipeline);
    ra_vec_sort(&ctx.out->problems, ra_problem_cmp);
    *out = ctx.out;
    ctx.out = NULL;

done:
    ra_pipelines_free(ctx.out);
    ra_vec_release(&ctx.vars);
    free(sorted);
    return error;
}

void ra_pipelines_free(struct ra_pipelines *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->pipelines.len; i++) {
        struct ra_pipeline *pl = p->pipelines.items[i];
        ra_vec_release(&pl->triggers);
        ra_vec_release(&pl->pushes);
        ra_vec_release(&pl->uses);
    }
    ra_vec_release(&p->pipelines);
    ra_vec_release(&p->problems);
    ra_pool_release(&p->pool);
    free(p);
}
