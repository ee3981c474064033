/* SPDX-License-Identifier: MIT */
/* GitLab CI jobs of a .gitlab-ci.yml document: image, services and scripts with what
 * default:, the top level and extends: give them (!reference too), variables:, and the
 * triggers of rules: (if: on $CI_PIPELINE_SOURCE, $CI_COMMIT_TAG, $CI_COMMIT_BRANCH;
 * when: manual and never), only: and workflow: rules. */
#include "config/pipelines/pipelines_internal.h"

#include <string.h>

#define EXTENDS_DEPTH 10

static yaml_node_t *get(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                        const char *key)
{
    return ra_yamldoc_get(ctx->doc, n, key, 0);
}

static const char *str(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                       const char *key)
{
    return ra_yamldoc_scalar(get(ctx, n, key));
}

/* A key of a job, or of the jobs it extends: (the last of several wins). */
static yaml_node_t *job_get(struct ra_pipelines_ctx *ctx, const yaml_node_t *job,
                            const char *key, int depth)
{
    const yaml_node_t *ext;
    yaml_node_t *v;
    struct ra_pipelines_item base[RA_PIPELINES_MAX_ITEMS];
    size_t n;

    if (!job || depth > EXTENDS_DEPTH)
        return NULL;
    if ((v = get(ctx, job, key)))
        return v;
    ext = get(ctx, job, "extends");
    for (n = ra_pipelines_items(ctx, ext, NULL, base, RA_PIPELINES_MAX_ITEMS, NULL);
         n-- > 0;) {
        if ((v = job_get(ctx, get(ctx, ctx->root, base[n].s), key, depth + 1)))
            return v;
    }
    return NULL;
}

/* variables: of the jobs extended first, then the job's own (which win). */
static void job_vars(struct ra_pipelines_ctx *ctx, const yaml_node_t *job, int depth)
{
    struct ra_pipelines_item base[RA_PIPELINES_MAX_ITEMS];
    size_t n, i;

    if (!job || depth > EXTENDS_DEPTH)
        return;
    n = ra_pipelines_items(ctx, get(ctx, job, "extends"), NULL, base,
                           RA_PIPELINES_MAX_ITEMS, NULL);
    for (i = 0; i < n; i++)
        job_vars(ctx, get(ctx, ctx->root, base[i].s), depth + 1);
    ra_pipelines_vars_map(ctx, get(ctx, job, "variables"));
}

static enum ra_trigger_kind gitlab_source(const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum ra_trigger_kind kind;
    } sources[] = {
        {"push", RA_TRIGGER_PUSH},
        {"pushes", RA_TRIGGER_PUSH},
        {"branches", RA_TRIGGER_PUSH},
        {"tags", RA_TRIGGER_TAG},
        {"schedule", RA_TRIGGER_SCHEDULE},
        {"schedules", RA_TRIGGER_SCHEDULE},
        {"web", RA_TRIGGER_MANUAL},
        {"api", RA_TRIGGER_MANUAL},
        {"trigger", RA_TRIGGER_MANUAL},
        {"triggers", RA_TRIGGER_MANUAL},
        {"chat", RA_TRIGGER_MANUAL},
        {"merge_request_event", RA_TRIGGER_PULL_REQUEST},
        {"merge_requests", RA_TRIGGER_PULL_REQUEST},
        {"external_pull_request_event", RA_TRIGGER_PULL_REQUEST},
        {"external_pull_requests", RA_TRIGGER_PULL_REQUEST},
    };
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(sources); i++) {
        if (strlen(sources[i].name) == n && !strncmp(s, sources[i].name, n))
            return sources[i].kind;
    }
    return RA_TRIGGER_OTHER;
}

/* After a variable in an if: expression: the operator and the value compared with
 * ("== \"x\"", "=~ /a|b/"): *op gets '=', '~' or '!' (0 when none), the value into b. */
static void compared(const char *p, char *op, struct ra_buf *b)
{
    char close;

    *op = 0;
    ra_buf_truncate(b, 0);
    while (*p == ' ')
        p++;
    if ((p[0] == '=' || p[0] == '!') && (p[1] == '=' || p[1] == '~'))
        *op = p[0] == '!' ? '!' : p[1];
    else
        return;
    for (p += 2; *p == ' ';)
        p++;
    if (*p == '"' || *p == '\'' || *p == '/') {
        for (close = *p++; *p && *p != close; p++)
            ra_buf_putc(b, *p);
    } else {
        while (*p && !strchr(" )&|", *p))
            ra_buf_putc(b, *p++);
    }
}

/* One rules: entry with if: ("$CI_PIPELINE_SOURCE == \"schedule\"", "=~ /web|api/",
 * "$CI_COMMIT_TAG", "$CI_COMMIT_BRANCH == \"main\"", $CI_COMMIT_REF_NAME): a trigger per
 * pipeline source named, else one for the tag or branch test, else an "other" with the
 * expression. */
static void gl_if(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl, const char *expr,
                  unsigned line)
{
    struct ra_buf v = RA_BUF_INIT, branch = RA_BUF_INIT;
    struct ra_pipeline_trigger *t;
    const char *p, *w;
    int sources = 0, tag = 0;
    size_t n;
    char op;

    for (p = strstr(expr, "CI_COMMIT_"); p; p = strstr(p, "CI_COMMIT_")) {
        p += 10;
        if (strncmp(p, "BRANCH", 6) && strncmp(p, "REF_NAME", 8))
            continue;
        compared(p + strcspn(p, " =!"), &op, &v);
        if ((op == '=' || op == '~') && !branch.len)
            ra_buf_puts(&branch, ra_buf_cstr(&v));
    }
    p = strstr(expr, "CI_COMMIT_TAG");
    if (p) {
        compared(p + 13, &op, &v);
        /* "$CI_COMMIT_TAG", "=~ /^v/", "!= null": on tags; "== null": not */
        tag = !op || op == '~' ||
              (op == '=' && v.len && strcmp(ra_buf_cstr(&v), "null")) ||
              (op == '!' && (!v.len || !strcmp(ra_buf_cstr(&v), "null")));
    }
    for (p = strstr(expr, "CI_PIPELINE_SOURCE"); p; p = strstr(p, "CI_PIPELINE_SOURCE")) {
        p += 18;
        compared(p, &op, &v);
        if (op != '=' && op != '~')
            continue;
        for (w = ra_buf_cstr(&v); *w; w += n + (w[n] != 0)) {
            w += strspn(w, "^($");
            n = strcspn(w, "|)$");
            if (!n)
                continue;
            t = ra_pipelines_add_trigger(ctx, pl, gitlab_source(w, n), NULL, line);
            t->event = ra_pipelines_strndup(ctx, w, n);
            t->branch = t->kind == RA_TRIGGER_PUSH && branch.len
                            ? ra_pipelines_strdup(ctx, branch.ptr)
                            : NULL;
            t->condition = ra_pipelines_strdup(ctx, expr);
            sources++;
        }
    }
    if (!sources) {
        t = ra_pipelines_add_trigger(ctx, pl,
                                     tag          ? RA_TRIGGER_TAG
                                     : branch.len ? RA_TRIGGER_PUSH
                                                  : RA_TRIGGER_OTHER,
                                     NULL, line);
        t->branch = branch.len ? ra_pipelines_strdup(ctx, branch.ptr) : NULL;
        t->condition = ra_pipelines_strdup(ctx, expr);
    }
    ra_buf_release(&v);
    ra_buf_release(&branch);
}

static void gl_rules(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                     const yaml_node_t *rules)
{
    const yaml_node_t *r, *in;
    struct ra_pipeline_trigger *t;
    const char *w;
    size_t i;

    for (i = 0; (r = ra_yamldoc_item(ctx->doc, rules, i)); i++) {
        w = str(ctx, r, "when");
        in = get(ctx, r, "if");
        if (w && !strcmp(w, "never"))
            continue; /* a rule that keeps the job out */
        if (ra_yamldoc_scalar(in))
            gl_if(ctx, pl, ra_yamldoc_scalar(in), ra_yamldoc_line(in));
        else if (!w || strcmp(w, "manual"))
            pl->unfiltered = 1;
        if (w && !strcmp(w, "manual")) {
            t = ra_pipelines_add_trigger(ctx, pl, RA_TRIGGER_MANUAL, "when: manual",
                                         ra_yamldoc_line(r));
            t->condition = ra_yamldoc_scalar(in)
                               ? ra_pipelines_strdup(ctx, ra_yamldoc_scalar(in))
                               : NULL;
        }
    }
}

/* only: keywords (branches, tags, schedules, web, ...) or branch names. */
static void gl_only(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                    const yaml_node_t *only)
{
    struct ra_pipelines_item refs[RA_PIPELINES_MAX_ITEMS];
    struct ra_pipeline_trigger *t;
    enum ra_trigger_kind kind;
    size_t n, i;

    if (only->type == YAML_MAPPING_NODE)
        only = get(ctx, only, "refs");
    n = ra_pipelines_items(ctx, only, NULL, refs, RA_PIPELINES_MAX_ITEMS, NULL);
    for (i = 0; i < n; i++) {
        kind = gitlab_source(refs[i].s, strlen(refs[i].s));
        if (kind == RA_TRIGGER_OTHER && strcmp(refs[i].s, "pipelines")) {
            t = ra_pipelines_add_trigger(ctx, pl, RA_TRIGGER_PUSH, "push", refs[i].line);
            t->branch = refs[i].s;
        } else {
            ra_pipelines_add_trigger(ctx, pl, kind, refs[i].s, refs[i].line);
        }
    }
    if (!n)
        pl->unfiltered = 1;
}

/* image: a string or {name: ...}; services: a list of those. */
static void gl_images(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                      const char *job, const yaml_node_t *n, const char *how)
{
    const yaml_node_t *one;
    size_t i;

    if (n && n->type == YAML_SEQUENCE_NODE) {
        for (i = 0; (one = ra_yamldoc_item(ctx->doc, n, i)); i++)
            gl_images(ctx, pl, job, one, how);
        return;
    }
    if (n && n->type == YAML_MAPPING_NODE)
        n = get(ctx, n, "name");
    if (ra_yamldoc_scalar(n))
        ra_pipelines_add_use(ctx, pl, ra_yamldoc_scalar(n), job, how, ra_yamldoc_line(n));
}

/* The job's key, else default:'s, else the top level's (image, services, scripts). */
static yaml_node_t *inherited(struct ra_pipelines_ctx *ctx, const yaml_node_t *job,
                              const char *key)
{
    yaml_node_t *v = job_get(ctx, job, key, 0);

    if (!v)
        v = get(ctx, get(ctx, ctx->root, "default"), key);
    if (!v)
        v = get(ctx, ctx->root, key);
    return v;
}

static void gl_job(struct ra_pipelines_ctx *ctx, const char *name, const yaml_node_t *k,
                   const yaml_node_t *job)
{
    static const char *const scripts[] = {"before_script", "script", "after_script"};
    const yaml_node_t *rules = job_get(ctx, job, "rules", 0);
    const yaml_node_t *only = job_get(ctx, job, "only", 0), *wf;
    const char *w = ra_yamldoc_scalar(job_get(ctx, job, "when", 0));
    struct ra_pipeline *pl =
        ra_pipelines_add(ctx, RA_CI_GITLAB, name, ra_yamldoc_line(k));
    size_t mark = ctx->vars.len, i;

    job_vars(ctx, job, 0);
    if (!job_get(ctx, job, "trigger", 0)) { /* a trigger job runs nothing itself */
        gl_images(ctx, pl, name, inherited(ctx, job, "image"), "image");
        gl_images(ctx, pl, name, inherited(ctx, job, "services"), "service");
        for (i = 0; i < RA_ARRAY_SIZE(scripts); i++)
            ra_pipelines_commands(ctx, pl, name,
                                  i == 1 ? job_get(ctx, job, scripts[i], 0)
                                         : inherited(ctx, job, scripts[i]),
                                  0);
    }
    wf = get(ctx, get(ctx, ctx->root, "workflow"), "rules");
    if (rules)
        gl_rules(ctx, pl, rules);
    else if (only)
        gl_only(ctx, pl, only);
    else if (wf)
        gl_rules(ctx, pl, wf);
    else
        pl->unfiltered = 1;
    if (w && !strcmp(w, "manual"))
        ra_pipelines_add_trigger(ctx, pl, RA_TRIGGER_MANUAL, "when: manual",
                                 ra_yamldoc_line(job_get(ctx, job, "when", 0)));
    ra_pipelines_vars_pop(ctx, mark);
}

static int gitlab_reserved(const char *k)
{
    static const char *const keys[] = {
        "default",  "include", "stages", "variables",     "workflow",     "image",
        "services", "cache",   "types",  "before_script", "after_script", "spec",
    };
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(keys); i++) {
        if (!strcmp(k, keys[i]))
            return 1;
    }
    return k[0] == '.'; /* hidden: a template for extends: */
}

void ra_pipelines_gitlab(struct ra_pipelines_ctx *ctx)
{
    static const char *const job_keys[] = {"script", "trigger", "extends", "run",
                                           "stage",  "image",   "needs"};
    const yaml_node_t *root = ctx->root, *k, *v;
    yaml_node_pair_t *p;
    const char *name;
    size_t mark = ctx->vars.len, i;

    ra_pipelines_vars_map(ctx, get(ctx, root, "variables"));
    for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        k = yaml_document_get_node(ctx->doc, p->key);
        v = yaml_document_get_node(ctx->doc, p->value);
        if (!(name = ra_yamldoc_scalar(k)) || gitlab_reserved(name) || !v ||
            v->type != YAML_MAPPING_NODE || !ra_pipelines_visit(ctx))
            continue;
        for (i = 0; i < RA_ARRAY_SIZE(job_keys) && !get(ctx, v, job_keys[i]); i++)
            ;
        if (i < RA_ARRAY_SIZE(job_keys))
            gl_job(ctx, name, k, v);
    }
    ra_pipelines_vars_pop(ctx, mark);
}
