/* SPDX-License-Identifier: MIT */
/* Template values: Helm's {{ .Values.x }} from the chart's values.yaml (and .Chart.* from
 * Chart.yaml), Ansible's {{ var }} from the role's defaults/main.yml and vars/main.yml
 * and the nearest group_vars/all. Only what a template needs to show a schedule, a
 * command or an image: paths of mappings, default, quote and a few string filters. */
#include "config/jobs/jobs_internal.h"

#include <ctype.h>
#include <stdlib.h>

#include "config/text/yamldoc.h"
#include "util/map.h"

/* Values of one file or one role, flattened: "gc.schedule" -> "25 3 * * 0". */
struct values {
    struct ra_map map;
    const char *from; /* the file (or the first of them) they come from */
    int helm;         /* a chart's (else a role's) */
};

struct flatten {
    struct ra_jobs_ctx *ctx;
    struct values *v;
    size_t visits;
};

static void flatten_node(struct flatten *f, yaml_document_t *doc, const yaml_node_t *n,
                         struct ra_buf *key, unsigned depth)
{
    const yaml_node_pair_t *p;
    size_t len = key->len;

    if (depth > RA_YAMLDOC_MAX_DEPTH || ++f->visits > RA_YAMLDOC_MAX_VISITS)
        return;
    if (n->type == YAML_SCALAR_NODE) {
        if (len) {
            char *k = ra_jobs_strdup(f->ctx, key->ptr);
            ra_map_put(&f->v->map, k, len, ra_jobs_strdup(f->ctx, ra_yamldoc_scalar(n)));
        }
        return;
    }
    if (n->type != YAML_MAPPING_NODE)
        return;
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *k = ra_yamldoc_scalar(yaml_document_get_node(doc, p->key));
        const yaml_node_t *val = yaml_document_get_node(doc, p->value);
        if (!k || !val)
            continue;
        ra_buf_truncate(key, len);
        if (len)
            ra_buf_putc(key, '.');
        ra_buf_puts(key, k);
        flatten_node(f, doc, val, key, depth + 1);
    }
    ra_buf_truncate(key, len);
}

static void flatten_doc(yaml_document_t *doc, yaml_node_t *root, void *payload)
{
    struct ra_buf key = RA_BUF_INIT;

    flatten_node(payload, doc, root, &key, 0);
    ra_buf_release(&key);
}

/* Add the values of one YAML file; 0 when there is no such file. */
static int load_file(struct ra_jobs_ctx *ctx, struct values *v, const char *path)
{
    const struct ra_jobs_text *t = ra_jobs_find(ctx, path);
    struct flatten f = {ctx, v, 0};
    struct ra_buf msg = RA_BUF_INIT;
    unsigned line;

    if (!t)
        return 0;
    if (!v->from)
        v->from = t->path;
    /* a file that does not parse gives the values before the error */
    (void)ra_yamldoc_load_all(t->data, t->len, flatten_doc, &f, &line, &msg);
    ra_buf_release(&msg);
    return 1;
}

/* The values cached under a key (a chart or role directory), loaded by load() once. */
static struct values *cached(struct ra_jobs_ctx *ctx, const char *key,
                             void (*load)(struct ra_jobs_ctx *, struct values *,
                                          const char *))
{
    struct values *v = ra_map_gets(&ctx->values, key);

    if (!v) {
        v = ra_pool_alloc(&ctx->out->pool, sizeof(*v));
        key = ra_jobs_strdup(ctx, key);
        ra_map_put(&ctx->values, key, strlen(key), v);
        load(ctx, v, key);
    }
    return v;
}

static void load_chart(struct ra_jobs_ctx *ctx, struct values *v, const char *dir)
{
    struct ra_buf b = RA_BUF_INIT;
    struct values chart = {RA_MAP_INIT, NULL, 1};
    size_t it = 0;
    const void *k;
    size_t kl;
    void *val;

    v->helm = 1;
    ra_buf_printf(&b, "%svalues.yaml", dir);
    if (!load_file(ctx, v, b.ptr)) {
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%svalues.yml", dir);
        load_file(ctx, v, b.ptr);
    }
    /* Chart.yaml's fields as Chart.<Field> (.Chart.AppVersion reads appVersion) */
    ra_buf_truncate(&b, 0);
    ra_buf_printf(&b, "%sChart.yaml", dir);
    load_file(ctx, &chart, b.ptr);
    while (ra_map_next(&chart.map, &it, &k, &kl, &val)) {
        ra_buf_truncate(&b, 0);
        ra_buf_puts(&b, "Chart.");
        ra_buf_put(&b, k, kl);
        b.ptr[6] = (char)toupper((unsigned char)b.ptr[6]);
        ra_map_put(&v->map, ra_jobs_strdup(ctx, b.ptr), b.len, val);
    }
    ra_map_release(&chart.map);
    ra_buf_release(&b);
}

/* Role defaults, then the nearest group_vars/all (above the role), then role vars: each
 * overrides the one before, as in Ansible. */
static void load_role(struct ra_jobs_ctx *ctx, struct values *v, const char *dir)
{
    static const char *const defaults[] = {"defaults/main.yml", "defaults/main.yaml"};
    static const char *const vars[] = {"vars/main.yml", "vars/main.yaml"};
    struct ra_buf b = RA_BUF_INIT;
    size_t i, n = strlen(dir);
    int found = 0;

    for (i = 0; i < 2; i++) {
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s%s", dir, defaults[i]);
        load_file(ctx, v, b.ptr);
    }
    if (!ctx->group_vars_listed) { /* once per scan: the candidates */
        for (i = 0; i < ctx->ntexts; i++)
            if (strstr(ctx->texts[i].path, "group_vars/all"))
                ra_vec_push(&ctx->group_vars, &ctx->texts[i]);
        ctx->group_vars_listed = 1;
    }
    /* group_vars/all.yml or group_vars/all/<x>.yml in dir or a directory above it */
    while (!found && n) {
        size_t k;
        while (n && dir[n - 1] == '/')
            n--;
        while (n && dir[n - 1] != '/')
            n--;
        for (k = 0; k < ctx->group_vars.len; k++) {
            const char *p = ((const struct ra_jobs_text *)ctx->group_vars.items[k])->path;
            if (strncmp(p, dir, n) || strncmp(p + n, "group_vars/all", 14) ||
                !(ra_jobs_path_has_suffix(p, ".yml") ||
                  ra_jobs_path_has_suffix(p, ".yaml")))
                continue;
            if (p[n + 14] == '.' || (p[n + 14] == '/' && !strchr(p + n + 15, '/')))
                found |= load_file(ctx, v, p);
        }
    }
    for (i = 0; i < 2; i++) {
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s%s", dir, vars[i]);
        load_file(ctx, v, b.ptr);
    }
    ra_buf_release(&b);
}

/* The chart a file belongs to: the nearest directory above it with a Chart.yaml
 * ("charts/registry/"), into dir; 0 when none. */
static int chart_dir(const struct ra_jobs_ctx *ctx, const char *path, struct ra_buf *dir)
{
    size_t n = strlen(path);

    while (n) {
        while (n && path[n - 1] != '/')
            n--;
        ra_buf_truncate(dir, 0);
        ra_buf_put(dir, path, n);
        ra_buf_puts(dir, "Chart.yaml");
        if (ra_jobs_find(ctx, dir->ptr)) {
            ra_buf_truncate(dir, n);
            return 1;
        }
        if (n)
            n--;
    }
    return 0;
}

/* The role a file belongs to ("roles/registry/"), or its own directory. */
static void role_dir(const char *path, struct ra_buf *dir)
{
    const char *r = strstr(path, "roles/"), *slash, *last = strrchr(path, '/');

    ra_buf_truncate(dir, 0);
    while (r && r != path && r[-1] != '/')
        r = strstr(r + 1, "roles/");
    if (r && (slash = strchr(r + 6, '/'))) {
        ra_buf_put(dir, path, (size_t)(slash + 1 - path));
        return;
    }
    if (last)
        ra_buf_put(dir, path, (size_t)(last + 1 - path));
}

/* ---- expressions ---- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

static const char *trim_end(const char *p, const char *end)
{
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    return end;
}

/* A quoted literal ("x", 'x') at p: its text into out, the end past it; NULL if none. */
static const char *literal(const char *p, const char *end, struct ra_buf *out)
{
    const char *q;

    if (p >= end || (*p != '"' && *p != '\''))
        return NULL;
    q = memchr(p + 1, *p, (size_t)(end - p - 1));
    if (!q)
        return NULL;
    ra_buf_truncate(out, 0);
    ra_buf_put(out, p + 1, (size_t)(q - p - 1));
    return q + 1;
}

/* A value path: ".Values.a.b" (Helm) or "a.b", "a['b']" (Ansible) -> "a.b"; 0 if not. */
static int value_path(const char *p, const char *end, int helm, struct ra_buf *out)
{
    ra_buf_truncate(out, 0);
    if (helm) {
        if (end - p > 8 && !memcmp(p, ".Values.", 8))
            p += 8;
        else if (end - p > 7 && !memcmp(p, ".Chart.", 7))
            p += 1;
        else
            return 0;
    }
    for (; p < end; p++) {
        if (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '-')
            ra_buf_putc(out, *p);
        else
            return 0;
    }
    return out->len > 0 && out->ptr[0] != '.';
}

/* A value longer than this is not used (values that refer to others can multiply). */
#define VALUE_MAX 16384

struct evalx {
    struct ra_jobs_ctx *ctx;
    const struct values *v;
    int whole; /* the expression is the whole string: quote adds nothing */
    unsigned depth;
};

static int resolve_into(struct evalx *e, struct ra_buf *out, const char *s);

/* Quote val as Helm's quote/squote (q) do, or as Ansible's quote (q == 0: a shell word,
 * in single quotes unless it is safe as it is). */
static void quote(struct ra_buf *val, char q)
{
    struct ra_buf b = RA_BUF_INIT;
    size_t i;

    if (!q) {
        for (i = 0; i < val->len; i++)
            if (!isalnum((unsigned char)val->ptr[i]) &&
                !strchr("@%+=:,./-_", val->ptr[i]))
                break;
        if (i == val->len && val->len)
            return;
        q = '\'';
    }
    ra_buf_putc(&b, q);
    ra_buf_put(&b, val->ptr ? val->ptr : "", val->len);
    ra_buf_putc(&b, q);
    ra_buf_truncate(val, 0);
    ra_buf_put(val, b.ptr, b.len);
    ra_buf_release(&b);
}

/* default's argument: a literal, or a value (".Chart.AppVersion", "other_var"). */
static int default_arg(const struct evalx *e, const char *p, const char *end,
                       struct ra_buf *out)
{
    struct ra_buf key = RA_BUF_INIT;
    const char *got = NULL;

    end = trim_end(p, end);
    if (end > p && end[-1] == ')')
        end = trim_end(p, end - 1);
    if (literal(p, end, out))
        return 1;
    if (e->v && value_path(p, end, *p == '.', &key))
        got = ra_map_gets(&e->v->map, key.ptr);
    ra_buf_release(&key);
    if (!got)
        return 0;
    ra_buf_truncate(out, 0);
    ra_buf_puts(out, got);
    return 1;
}

/* One filter applied to val (set: val has a value). */
static void filter(const char *p, const char *end, struct ra_buf *val, int *set,
                   const struct evalx *e)
{
    struct ra_buf lit = RA_BUF_INIT;
    const char *name = p, *args;
    size_t n, i;

    while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    n = (size_t)(p - name);
    args = skip_ws(p, end);
    if (args < end && *args == '(')
        args = skip_ws(args + 1, end);
    if ((n == 7 && !memcmp(name, "default", 7)) || (n == 1 && *name == 'd')) {
        if ((!*set || !val->len) && default_arg(e, args, end, &lit)) {
            ra_buf_truncate(val, 0);
            ra_buf_put(val, lit.ptr, lit.len);
            *set = 1;
        }
    } else if (*set && ((n == 5 && !memcmp(name, "quote", 5)) ||
                        (n == 6 && !memcmp(name, "squote", 6)))) {
        if (!e->whole)
            quote(val, name[0] == 's' ? '\'' : e->v && e->v->helm ? '"' : 0);
    } else if (*set && ((n == 5 && !memcmp(name, "lower", 5)) ||
                        (n == 5 && !memcmp(name, "upper", 5)))) {
        for (i = 0; i < val->len; i++)
            val->ptr[i] = (char)(name[0] == 'l' ? tolower((unsigned char)val->ptr[i])
                                                : toupper((unsigned char)val->ptr[i]));
    } else if (!((n == 4 && !memcmp(name, "trim", 4)) ||
                 (n == 8 && !memcmp(name, "toString", 8)) ||
                 (n == 6 && !memcmp(name, "string", 6)) ||
                 (n == 3 && !memcmp(name, "int", 3)))) {
        *set = 0; /* a filter we do not know: unresolved */
    }
    ra_buf_release(&lit);
}

/* Evaluate the inside of one {{ }} into out; 0 when it cannot be. */
static int eval(struct evalx *e, const char *p, const char *end, struct ra_buf *out)
{
    struct ra_buf key = RA_BUF_INIT, val = RA_BUF_INIT;
    const char *bar, *first_end;
    int set = 0, helm;

    p = skip_ws(p, end);
    end = trim_end(p, end);
    bar = memchr(p, '|', (size_t)(end - p));
    first_end = trim_end(p, bar ? bar : end);
    helm = *p == '.';
    if (!strncmp(p, "default ", 8) && helm == 0) {
        /* Helm's function form: default "x" .Values.y */
        const char *q = literal(skip_ws(p + 8, first_end), first_end, &val);
        if (q && value_path(skip_ws(q, first_end), first_end, 1, &key)) {
            const char *got = e->v ? ra_map_gets(&e->v->map, key.ptr) : NULL;
            if (got && *got) {
                ra_buf_truncate(&val, 0);
                ra_buf_puts(&val, got);
            }
            set = 1;
        }
    } else if (literal(p, first_end, &val)) {
        set = 1;
    } else if (value_path(p, first_end, helm, &key) && e->v) {
        const char *got = ra_map_gets(&e->v->map, key.ptr);
        if (got && e->depth < 4) {
            struct evalx inner = *e;
            inner.depth++;
            inner.whole = 0;
            set = resolve_into(&inner, &val, got) == 0 && val.len <= VALUE_MAX;
        }
    }
    while (bar) {
        const char *next = memchr(bar + 1, '|', (size_t)(end - bar - 1));
        const char *f = skip_ws(bar + 1, next ? next : end);
        filter(f, trim_end(f, next ? next : end), &val, &set, e);
        bar = next;
    }
    if (set)
        ra_buf_put(out, val.ptr ? val.ptr : "", val.len);
    ra_buf_release(&key);
    ra_buf_release(&val);
    return set;
}

/* s with every {{ }} that can be evaluated replaced; 0 when all were, 1 when some were
 * left as written. */
static int resolve_into(struct evalx *e, struct ra_buf *out, const char *s)
{
    const char *p = s, *open, *close;
    int left = 0;

    while ((open = strstr(p, "{{")) && (close = strstr(open + 2, "}}"))) {
        if (out->len > VALUE_MAX)
            return 1; /* the rest is not read */
        const char *in = open + 2, *in_end = close;
        size_t mark;
        if (*in == '-')
            in++;
        if (in_end > in && in_end[-1] == '-')
            in_end--;
        ra_buf_put(out, p, (size_t)(open - p));
        mark = out->len;
        e->whole = open == s && !close[2] && e->depth == 0;
        if (!eval(e, in, in_end, out)) {
            ra_buf_truncate(out, mark);
            ra_buf_put(out, open, (size_t)(close + 2 - open));
            left = 1;
        }
        p = close + 2;
    }
    ra_buf_puts(out, p);
    return left;
}

/* The values for a file: its chart's when it is in one and s is Helm's, else its role's.
 */
static const struct values *values_for(struct ra_jobs_ctx *ctx, const char *path,
                                       const char *s)
{
    struct ra_buf dir = RA_BUF_INIT;
    const struct values *v;
    const char *open = strstr(s, "{{");
    const char *in = open ? open + 2 : s;

    while (*in == '-' || *in == ' ')
        in++;
    if ((*in == '.' || !strncmp(in, "default ", 8)) && chart_dir(ctx, path, &dir))
        v = cached(ctx, dir.ptr, load_chart);
    else {
        role_dir(path, &dir);
        v = cached(ctx, dir.len ? dir.ptr : "./", load_role);
    }
    ra_buf_release(&dir);
    return v;
}

const char *ra_jobs_resolve(struct ra_jobs_ctx *ctx, const char *path, const char *s)
{
    struct ra_buf out = RA_BUF_INIT;
    struct evalx e = {ctx, NULL, 0, 0};
    const char *r = NULL;

    if (!s || !strstr(s, "{{") || !strstr(s, "}}"))
        return NULL;
    e.v = values_for(ctx, path, s);
    resolve_into(&e, &out, s);
    if (strcmp(ra_buf_cstr(&out), s))
        r = ra_jobs_strdup(ctx, out.ptr);
    ra_buf_release(&out);
    return r;
}

void ra_jobs_resolve_job(struct ra_jobs_ctx *ctx, struct ra_job *j)
{
    const char *r;

    if ((r = ra_jobs_resolve(ctx, j->path, j->schedule))) {
        j->schedule_raw = j->schedule;
        j->schedule = r;
    }
    if ((r = ra_jobs_resolve(ctx, j->command_path ? j->command_path : j->path,
                             j->command))) {
        j->command_raw = j->command;
        j->command = r;
    }
    if ((r = ra_jobs_resolve(ctx, j->path, j->timezone)))
        j->timezone = *r ? r : NULL; /* an empty value: no zone of its own */
    if ((r = ra_jobs_resolve(ctx, j->path, j->user)))
        j->user = r;
    if (j->warning && strstr(j->warning, "{{ }} expressions are not resolved") &&
        (j->schedule_raw || j->command_raw) &&
        !strstr(j->schedule ? j->schedule : "", "{{") &&
        !strstr(j->command ? j->command : "", "{{"))
        j->warning = NULL; /* every expression now has its value */
}

void ra_jobs_values_release(struct ra_jobs_ctx *ctx)
{
    size_t it = 0;
    void *v;

    while (ra_map_next(&ctx->values, &it, NULL, NULL, &v))
        ra_map_release(&((struct values *)v)->map);
    ra_map_release(&ctx->values);
    ra_vec_release(&ctx->group_vars);
}

/* ---- crontab templates ---- */

/* How many words a token of a cron line as written gives once its values are in. */
static int words(struct ra_jobs_ctx *ctx, const char *path, const char *p, const char *q)
{
    char *tok = ra_jobs_strndup(ctx, p, (size_t)(q - p));
    const char *r = ra_jobs_resolve(ctx, path, tok), *w;
    int n = 0;

    for (w = r ? r : tok; *w;) {
        while (*w && isspace((unsigned char)*w))
            w++;
        if (*w)
            n++;
        while (*w && !isspace((unsigned char)*w))
            w++;
    }
    return n;
}

/* The fields of a cron line as written, a "{{ }}" counting for the words of its value:
 * schedule [p, *sched_end), command from *cmd. 0 when the line has too few fields. */
static int raw_fields(struct ra_jobs_ctx *ctx, const char *path, const char *p,
                      const char *end, int nsched, int has_user, const char **sched_end,
                      const char **cmd)
{
    int n = 0, want = nsched + (has_user ? 1 : 0);
    const char *q = p, *start;

    while (q < end) {
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q >= end)
            break;
        if (n >= want) {
            *cmd = q;
            return *sched_end != NULL;
        }
        for (start = q; q < end && !isspace((unsigned char)*q);) {
            const char *close;
            if (q + 1 < end && q[0] == '{' && q[1] == '{' &&
                (close = strstr(q + 2, "}}")) && close < end)
                q = close + 2;
            else
                q++;
        }
        n += words(ctx, path, start, q);
        if (n >= nsched && !*sched_end)
            *sched_end = q;
    }
    return 0;
}

/* What a job of a resolved crontab line was as written (orig, the line). */
static void raw_cron(struct ra_jobs_ctx *ctx, struct ra_job *j, const char *orig,
                     const char *end, int has_user)
{
    const char *sched_end = NULL, *cmd = NULL;
    char *s, *c;

    while (orig < end && (isspace((unsigned char)*orig) || *orig == '#'))
        orig++;
    if (!raw_fields(ctx, j->path, orig, end, j->schedule && *j->schedule == '@' ? 1 : 5,
                    has_user, &sched_end, &cmd))
        return;
    s = ra_jobs_strndup(ctx, orig, (size_t)(sched_end - orig));
    c = ra_jobs_strndup(ctx, cmd, (size_t)(trim_end(cmd, end) - cmd));
    if (j->schedule && strcmp(s, j->schedule))
        j->schedule_raw = s;
    if (j->command && strcmp(c, j->command))
        j->command_raw = c;
}

void ra_jobs_parse_crontab_values(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                                  int has_user)
{
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf text = RA_BUF_INIT, one = RA_BUF_INIT;
    struct ra_jobs_text resolved = *t;
    const char *cursor = t->data, *r;
    size_t first = ctx->out->jobs.len, i;

    if (!strstr(t->data, "{{")) {
        ra_jobs_parse_crontab(ctx, t, has_user);
        return;
    }
    /* line by line, so that lines keep their numbers */
    while (ra_jobs_next_line(&cursor, &line)) {
        ra_buf_truncate(&one, 0);
        ra_buf_put(&one, line.p, line.len);
        r = ra_jobs_resolve(ctx, t->path, ra_buf_cstr(&one));
        ra_buf_puts(&text, r && !strchr(r, '\n') ? r : one.ptr);
        ra_buf_putc(&text, '\n');
    }
    resolved.data = ra_jobs_strndup(ctx, text.ptr, text.len);
    resolved.len = text.len;
    ra_jobs_parse_crontab(ctx, &resolved, has_user);
    for (i = first; i < ctx->out->jobs.len; i++) {
        struct ra_job *j = ctx->out->jobs.items[i];
        const char *p = t->data;
        unsigned no = 1;
        while (no < j->line && (p = strchr(p, '\n')))
            p++, no++;
        if (p)
            raw_cron(ctx, j, p, p + strcspn(p, "\n"), j->def == RA_JOBDEF_CROND);
    }
    ra_buf_release(&text);
    ra_buf_release(&one);
}
