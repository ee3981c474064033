/* SPDX-License-Identifier: MIT */
/* Scheduled jobs in a set of files: recognising files by name, handing each to its
 * parser, classifying the jobs, giving them names and stable ids, sorting the result. */
#include "config/jobs/jobs.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/jobs/jobs_internal.h"
#include "config/text/imageref.h"
#include "config/text/span.h"
#include "util/map.h"

enum file_kind {
    F_NONE = 0,
    F_CRONTAB,
    F_CROND,
    F_RUNPARTS,
    F_TIMER,
    F_YAML,
    F_TERRAFORM,
    F_HCL,
};

static const char *const def_names[] = {
    "crontab",        "cron.d",    "run-parts",  "ansible", "systemd",
    "kubernetes",     "terraform", "ofelia",     "nomad",   "eventbridge",
    "github-actions", "gitlab-ci", "woodpecker",
};

const char *ra_job_def_name(enum ra_job_def def)
{
    return (size_t)def < RA_ARRAY_SIZE(def_names) ? def_names[def] : "unknown";
}

const char *ra_job_class_name(enum ra_job_class cls)
{
    switch (cls) {
    case RA_JOB_GARBAGE_COLLECT:
        return "garbage-collect";
    case RA_JOB_TAG_PRUNE:
        return "tag-prune";
    case RA_JOB_BACKUP:
        return "backup";
    case RA_JOB_PROBE:
        return "probe";
    default:
        return "other";
    }
}

int ra_jobs_next_line(const char **cursor, struct ra_jobs_line *line)
{
    const char *p = *cursor, *nl;

    if (!*p)
        return 0;
    nl = strchr(p, '\n');
    line->p = p;
    line->len = nl ? (size_t)(nl - p) : strlen(p);
    if (line->len && p[line->len - 1] == '\r')
        line->len--;
    line->no++;
    *cursor = nl ? nl + 1 : p + strlen(p);
    return 1;
}

char *ra_jobs_strndup(struct ra_jobs_ctx *ctx, const char *s, size_t n)
{
    return ra_pool_strndup(&ctx->out->pool, s, n);
}

char *ra_jobs_strdup(struct ra_jobs_ctx *ctx, const char *s)
{
    return ra_pool_strdup(&ctx->out->pool, s);
}

struct ra_job *ra_jobs_add_job(struct ra_jobs_ctx *ctx, enum ra_job_def def,
                               const char *path, unsigned line)
{
    struct ra_job *j = ra_pool_alloc(&ctx->out->pool, sizeof(*j));

    j->def = def;
    j->path = path;
    j->line = line;
    j->command_path = path;
    j->command_line = line;
    ra_vec_push(&ctx->out->jobs, j);
    return j;
}

void ra_jobs_add_problem(struct ra_jobs_ctx *ctx, const char *path, unsigned line,
                         int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_problem_addv(&ctx->out->problems, &ctx->out->pool, path, line, code, fmt, ap);
    va_end(ap);
}

/* Before spec.timeZone (Kubernetes 1.27), "CRON_TZ=Europe/London 0 3 * * *" or "TZ=..."
 * in the schedule itself was the way (robfig/cron reads it). */
void ra_jobs_schedule_zone(struct ra_jobs_ctx *ctx, struct ra_job *j)
{
    const char *s = j->schedule, *v, *sp;

    if (!strncmp(s, "CRON_TZ=", 8))
        v = s + 8;
    else if (!strncmp(s, "TZ=", 3))
        v = s + 3;
    else
        return;
    if (!(sp = strpbrk(v, " \t")))
        return;
    j->timezone = ra_jobs_strndup(ctx, v, (size_t)(sp - v));
    while (*sp == ' ' || *sp == '\t')
        sp++;
    j->schedule = sp;
}

/* ---- image references ---- */

void ra_jobs_add_image(struct ra_jobs_ctx *ctx, const char *ref, size_t len,
                       const char *path, unsigned line)
{
    struct ra_registry_image *img;
    const char *v, *raw, *resolved;
    size_t vlen, i;
    char *copy;

    ra_span_trim(&ref, &len);
    ra_span_unquote(&ref, &len);
    if (!len || (memchr(ref, ' ', len) && !strstr(ref, "{{")))
        return; /* words, not a reference; Jinja's "{{ v }}" has blanks */
    copy = ra_jobs_strndup(ctx, ref, len);
    raw = copy;
    if ((resolved = ra_jobs_resolve(ctx, path, copy)))
        copy = (char *)resolved; /* judged by its value, not by "{{ }}" */
    if (!ra_imageref_is_registry(copy))
        return;
    for (i = 0; i < ctx->out->images.len; i++) {
        img = ctx->out->images.items[i];
        if (img->line == line && !strcmp(img->path, path) && !strcmp(img->image, copy))
            return;
    }
    img = ra_pool_alloc(&ctx->out->pool, sizeof(*img));
    img->image = copy;
    img->image_raw = resolved ? raw : NULL;
    ra_imageref_version(&v, &vlen, &img->floating, copy);
    img->version = ra_jobs_strndup(ctx, v, vlen);
    img->path = path;
    img->line = line;
    ra_vec_push(&ctx->out->images, img);
}

/* ---- recognising files ---- */

/* path without a ".j2" template suffix, into out */
static void strip_template(struct ra_buf *out, const char *path)
{
    size_t n = strlen(path);

    ra_buf_truncate(out, 0);
    if (n > 3 && !strcmp(path + n - 3, ".j2"))
        n -= 3;
    ra_buf_put(out, path, n);
}

int ra_jobs_path_has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);

    if (n > 3 && !strcmp(path + n - 3, ".j2"))
        n -= 3;
    return n >= k && !memcmp(path + n - k, suffix, k);
}

/* Is there a directory segment named dir in path (not the last segment)? */
static int in_dir(const char *path, const char *dir, int directly)
{
    size_t k = strlen(dir);
    const char *p = path, *last = strrchr(path, '/');

    if (!last)
        return 0;
    for (;;) {
        if (!strncmp(p, dir, k) && p[k] == '/')
            return directly ? p + k == last : 1;
        p = strchr(p, '/');
        if (!p || p >= last)
            return 0;
        p++;
    }
}

static const char *const periods[] = {"hourly", "daily", "weekly", "monthly"};

static enum file_kind kind_of(const char *path, const char **period)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *name, *base;
    enum file_kind k = F_NONE;
    char dir[16];
    size_t i;

    strip_template(&b, path);
    name = ra_buf_cstr(&b);
    base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    *period = NULL;
    for (i = 0; i < RA_ARRAY_SIZE(periods); i++) {
        snprintf(dir, sizeof(dir), "cron.%s", periods[i]);
        if (in_dir(name, dir, 1))
            *period = periods[i];
    }
    if (!strcmp(name, "etc/crontab") || ra_jobs_path_has_suffix(name, "/etc/crontab") ||
        in_dir(name, "cron.d", 0))
        k = F_CROND;
    else if (!strcmp(base, "crontab") || ra_jobs_path_has_suffix(base, ".cron") ||
             ra_jobs_path_has_suffix(base, ".crontab") || in_dir(name, "crontabs", 0))
        k = F_CRONTAB;
    else if (*period)
        k = F_RUNPARTS;
    else if (ra_jobs_path_has_suffix(name, ".timer"))
        k = F_TIMER;
    else if (ra_jobs_path_has_suffix(path, ".yml") ||
             ra_jobs_path_has_suffix(path, ".yaml"))
        k = F_YAML; /* templates too (.yaml.j2): their markup is neutralised */
    else if (ra_jobs_path_has_suffix(name, ".tf"))
        k = F_TERRAFORM;
    else if (ra_jobs_path_has_suffix(name, ".nomad") ||
             ra_jobs_path_has_suffix(name, ".hcl"))
        k = F_HCL; /* Nomad job files */
    ra_buf_release(&b);
    return k;
}

/* ---- the scan ---- */

/* An input file and why it could not be read (or NULL). */
static int cmp_input(const void *a, const void *b)
{
    return strcmp(((const struct ra_jobs_input *)a)->f.path,
                  ((const struct ra_jobs_input *)b)->f.path);
}

int ra_jobs_inputs(struct ra_jobs_input **out, const struct ra_jobs_file *files,
                   const char *const *why, size_t nfiles, struct ra_err *err)
{
    struct ra_jobs_input *sorted = ra_xcalloc(nfiles ? nfiles : 1, sizeof(*sorted));
    size_t i;

    for (i = 0; i < nfiles; i++) {
        sorted[i].f = files[i];
        sorted[i].why = why ? why[i] : NULL;
    }
    qsort(sorted, nfiles, sizeof(*sorted), cmp_input);
    for (i = 1; i < nfiles; i++) {
        if (!strcmp(sorted[i - 1].f.path, sorted[i].f.path)) {
            int error = ra_err_set(err, RA_EUSAGE, "'%s': given twice", sorted[i].f.path);

            free(sorted);
            *out = NULL;
            return error;
        }
    }
    *out = sorted;
    return 0;
}

int ra_jobs_input_unread(const struct ra_jobs_input *in, const char *path,
                         struct ra_buf *msg)
{
    ra_buf_truncate(msg, 0);
    if (in->why) {
        ra_buf_printf(msg, "'%s': %s", path, in->why);
        return RA_EIO;
    }
    if (in->f.len > RA_JOBS_FILE_MAX) {
        ra_buf_printf(msg, "'%s': %zu bytes, more than the limit of %d: not read", path,
                      in->f.len, RA_JOBS_FILE_MAX);
        return RA_ELIMIT;
    }
    if (memchr(in->f.data, '\0', in->f.len < 8000 ? in->f.len : 8000)) {
        ra_buf_printf(msg, "'%s': binary file, not read", path);
        return RA_EFORMAT;
    }
    return 0;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(((const struct ra_jobs_text *)a)->path,
                  ((const struct ra_jobs_text *)b)->path);
}

const struct ra_jobs_text *ra_jobs_find(const struct ra_jobs_ctx *ctx, const char *path)
{
    struct ra_jobs_text key;

    memset(&key, 0, sizeof(key));
    key.path = path;
    return ctx->ntexts ? bsearch(&key, ctx->texts, ctx->ntexts, sizeof(key), cmp_text)
                       : NULL;
}

static int cmp_job(const void *a, const void *b)
{
    const struct ra_job *x = *(const struct ra_job *const *)a;
    const struct ra_job *y = *(const struct ra_job *const *)b;

    return ra_problem_cmp_place(x->path, x->line, x->id, y->path, y->line, y->id);
}

static int cmp_image(const void *a, const void *b)
{
    const struct ra_registry_image *x = *(const struct ra_registry_image *const *)a;
    const struct ra_registry_image *y = *(const struct ra_registry_image *const *)b;

    return ra_problem_cmp_place(x->path, x->line, x->image, y->path, y->line, y->image);
}

/* Copy the readable text files into ctx (sorted), recording problems for the files
 * that would have been parsed. */
static void load_texts(struct ra_jobs_ctx *ctx, const struct ra_jobs_input *sorted,
                       size_t n)
{
    struct ra_buf msg = RA_BUF_INIT;
    const char *period;
    size_t i;
    int code;

    ctx->texts = ra_xcalloc(n ? n : 1, sizeof(*ctx->texts));
    for (i = 0; i < n; i++) {
        const struct ra_jobs_file *f = &sorted[i].f;
        const char *path = ra_jobs_strdup(ctx, f->path);
        struct ra_jobs_text *t;

        if ((code = ra_jobs_input_unread(&sorted[i], path, &msg))) {
            /* a file that cannot be read is a problem; one too large or binary only
             * when its name says it would have been parsed */
            if (code == RA_EIO || kind_of(path, &period) != F_NONE)
                ra_jobs_add_problem(ctx, path, 0, code, "%s", ra_buf_cstr(&msg));
            continue;
        }
        t = &ctx->texts[ctx->ntexts++];
        t->path = path;
        t->base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        t->data = ra_jobs_strndup(ctx, f->data, f->len);
        t->len = strlen(t->data); /* a NUL past the probe ends the text there */
    }
    ra_buf_release(&msg);
}

void ra_jobs_add_deploy(struct ra_jobs_ctx *ctx, const char *from, const char *src,
                        const char *dest)
{
    struct ra_jobs_deploy *d = ra_pool_alloc(&ctx->out->pool, sizeof(*d));

    d->from = from;
    d->src = ra_jobs_strdup(ctx, src);
    d->dest = ra_jobs_strdup(ctx, dest);
    ra_vec_push(&ctx->deploys, d);
}

void ra_jobs_add_content(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *from,
                         const char *content, size_t len, unsigned first_line,
                         const char *dest)
{
    struct ra_jobs_deploy *d = ra_pool_alloc(&ctx->out->pool, sizeof(*d));
    struct ra_jobs_text *t = ra_pool_alloc(&ctx->out->pool, sizeof(*t));

    t->path = from->path;
    t->base = from->base;
    t->deployed = ra_jobs_strdup(ctx, dest);
    t->data = ra_jobs_strndup(ctx, content, len);
    t->len = strlen(t->data);
    d->from = from->path;
    d->src = "";
    d->dest = t->deployed;
    d->text = t;
    d->first_line = first_line;
    ra_vec_push(&ctx->deploys, d);
}

static void parse_text(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                       enum file_kind kind, const char *period);

/* Parse the content: of copy tasks as what their dest makes them; lines are moved to
 * where the content is in the YAML file. */
static void parse_contents(struct ra_jobs_ctx *ctx)
{
    size_t i, k, jobs, problems;
    const char *period;
    enum file_kind kind;

    for (i = 0; i < ctx->deploys.len; i++) {
        const struct ra_jobs_deploy *d = ctx->deploys.items[i];
        if (!d->text || strstr(d->dest, "{{"))
            continue;
        kind = kind_of(d->dest, &period);
        if (kind == F_NONE || kind == F_YAML)
            continue;
        jobs = ctx->out->jobs.len;
        problems = ctx->out->problems.len;
        parse_text(ctx, d->text, kind, period);
        for (k = jobs; k < ctx->out->jobs.len; k++) {
            struct ra_job *j = ctx->out->jobs.items[k];
            j->deployed = d->dest;
            j->line += d->first_line - 1;
            if (j->command_path == j->path)
                j->command_line += d->first_line - 1;
        }
        for (k = problems; k < ctx->out->problems.len; k++) {
            struct ra_problem *p = ctx->out->problems.items[k];
            if (p->line)
                p->line += d->first_line - 1;
        }
    }
}

/* The text a task's src names: in its role's templates/ or files/, next to the YAML
 * file (or in templates/, files/ there), else the only one anywhere with that name
 * under a templates/ or files/ directory. */
static const struct ra_jobs_text *deploy_source(struct ra_jobs_ctx *ctx,
                                                const struct ra_jobs_deploy *d)
{
    static const char *const subdirs[] = {"templates/", "files/", ""};
    const struct ra_jobs_text *t = NULL, *only = NULL;
    struct ra_buf b = RA_BUF_INIT;
    const char *tasks = strstr(d->from, "tasks/"), *slash = strrchr(d->from, '/');
    size_t i, k, n = 0;

    for (k = 0; !t && k < 2; k++) {
        const char *dir_end = k == 0 ? tasks : slash ? slash + 1 : d->from;
        if (!dir_end)
            continue;
        for (i = 0; !t && i < RA_ARRAY_SIZE(subdirs); i++) {
            ra_buf_truncate(&b, 0);
            ra_buf_put(&b, d->from, (size_t)(dir_end - d->from));
            ra_buf_printf(&b, "%s%s", subdirs[i], d->src);
            t = ra_jobs_find(ctx, ra_buf_cstr(&b));
        }
    }
    for (i = 0; !t && !strchr(d->src, '/') && i < ctx->ntexts; i++) {
        const struct ra_jobs_text *c = &ctx->texts[i];
        if (!strcmp(c->base, d->src) &&
            (strstr(c->path, "templates/") || strstr(c->path, "files/")))
            only = n++ ? NULL : c;
    }
    ra_buf_release(&b);
    return t ? t : n == 1 ? only : NULL;
}

static void resolve_deploys(struct ra_jobs_ctx *ctx)
{
    const struct ra_jobs_text *t;
    size_t i;

    for (i = 0; i < ctx->deploys.len; i++) {
        const struct ra_jobs_deploy *d = ctx->deploys.items[i];
        if (d->text || strstr(d->src, "{{") || strstr(d->dest, "{{") ||
            !(t = deploy_source(ctx, d)))
            continue;
        if (!ctx->texts[t - ctx->texts].deployed)
            ctx->texts[t - ctx->texts].deployed = d->dest; /* the first task wins */
    }
}

const char *ra_jobs_text_name(const struct ra_jobs_text *t)
{
    const char *slash;

    if (!t->deployed)
        return t->base;
    slash = strrchr(t->deployed, '/');
    return slash ? slash + 1 : t->deployed;
}

static void parse_text(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                       enum file_kind kind, const char *period)
{
    switch (kind) {
    case F_CRONTAB:
        ra_jobs_parse_crontab_values(ctx, t, 0);
        break;
    case F_CROND:
        ra_jobs_parse_crontab_values(ctx, t, 1);
        break;
    case F_RUNPARTS:
        ra_jobs_parse_runparts(ctx, t, period);
        break;
    case F_TIMER:
        ra_jobs_parse_timer(ctx, t);
        break;
    case F_YAML:
        ra_jobs_parse_yaml(ctx, t);
        break;
    case F_TERRAFORM:
        ra_jobs_parse_terraform(ctx, t);
        ra_jobs_parse_hcl(ctx, t); /* EventBridge rules and schedules */
        break;
    case F_HCL:
        ra_jobs_parse_hcl(ctx, t);
        break;
    default:
        break;
    }
}

/* YAML first, for the template and copy tasks that say where other files go; then
 * every other file, as what its name says or what it becomes where a task installs it. */
static void parse_all(struct ra_jobs_ctx *ctx)
{
    const char *period, *dest;
    enum file_kind kind;
    size_t i, k, before;

    for (i = 0; i < ctx->ntexts; i++) {
        if (kind_of(ctx->texts[i].path, &period) == F_YAML)
            ra_jobs_parse_yaml(ctx, &ctx->texts[i]);
    }
    resolve_deploys(ctx);
    parse_contents(ctx);
    for (i = 0; i < ctx->ntexts; i++) {
        const struct ra_jobs_text *t = &ctx->texts[i];

        dest = t->deployed;
        kind = kind_of(dest ? dest : t->path, &period);
        before = ctx->out->jobs.len;
        if (kind != F_YAML)
            parse_text(ctx, t, kind, period);
        for (k = before; dest && k < ctx->out->jobs.len; k++)
            ((struct ra_job *)ctx->out->jobs.items[k])->deployed = dest;
        if (ra_jobs_is_shell(t))
            ra_jobs_shell_images(ctx, t);
        ra_jobs_parse_readme(ctx, t);
    }
}

/* The first RA_JOBS_TEXT_MAX bytes of text, not cutting a UTF-8 sequence; text itself
 * when it is not longer. */
static const char *capped(struct ra_jobs_ctx *ctx, struct ra_job *j, const char *what,
                          const char *text)
{
    size_t n = RA_JOBS_TEXT_MAX;

    if (!text || strlen(text) <= RA_JOBS_TEXT_MAX)
        return text;
    while (n && ((unsigned char)text[n] & 0xc0) == 0x80)
        n--;
    ra_jobs_add_problem(ctx, j->path, j->line, RA_ELIMIT,
                        "%s:%u: %s of %zu bytes: only the first %d are read", j->path,
                        j->line, what, strlen(text), RA_JOBS_TEXT_MAX);
    return ra_jobs_strndup(ctx, text, n);
}

/* A 400 KB crontab line costs its length in every version, firing and report line of
 * the job, and in the classifier: commands and schedules are cut, with a problem. */
static void cap_texts(struct ra_jobs_ctx *ctx, struct ra_job *j)
{
    j->command = capped(ctx, j, "command", j->command);
    j->schedule = capped(ctx, j, "schedule", j->schedule);
    j->command_raw = capped(ctx, j, "command as written", j->command_raw);
    j->schedule_raw = capped(ctx, j, "schedule as written", j->schedule_raw);
}

/* A scheduled CI pipeline is a job when it collects garbage, prunes, backs up or
 * probes; one that lints or deploys on a timer is only a pipeline. */
static void drop_plain_pipelines(struct ra_jobs_ctx *ctx)
{
    struct ra_vec *jobs = &ctx->out->jobs;
    size_t i, k = 0;

    for (i = 0; i < jobs->len; i++) {
        struct ra_job *j = jobs->items[i];
        if (j->cls == RA_JOB_OTHER &&
            (j->def == RA_JOBDEF_GITHUB || j->def == RA_JOBDEF_GITLAB ||
             j->def == RA_JOBDEF_WOODPECKER)) {
            ra_vec_release(&j->evidence);
            ra_vec_release(&j->scripts);
            continue;
        }
        jobs->items[k++] = j;
    }
    jobs->len = k;
}

/* Names for unnamed jobs, "#2"... for repeats within one file, then ids. */
static void name_jobs(struct ra_jobs_ctx *ctx)
{
    struct ra_vec *jobs = &ctx->out->jobs;
    struct ra_map seen = RA_MAP_INIT; /* "def:path:name" -> times seen */
    struct ra_buf b = RA_BUF_INIT;
    void **slot;
    char *key;
    size_t i;
    int created;

    for (i = 0; i < jobs->len; i++) {
        struct ra_job *j = jobs->items[i];
        if (j->name && *j->name)
            continue;
        ra_jobs_command_name(&b, j->command ? j->command : "");
        if (!b.len)
            ra_buf_printf(&b, "line %u", j->line);
        j->name = ra_jobs_strdup(ctx, ra_buf_cstr(&b));
    }
    for (i = 0; i < jobs->len; i++) {
        struct ra_job *j = jobs->items[i];
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s:%s:%s", ra_job_def_name(j->def), j->path, j->name);
        key = ra_jobs_strdup(ctx, ra_buf_cstr(&b));
        slot = ra_map_slot(&seen, key, b.len, &created);
        *slot = (void *)((uintptr_t)*slot + 1);
        if ((uintptr_t)*slot > 1)
            ra_buf_printf(&b, "#%zu", (size_t)(uintptr_t)*slot);
        j->id = (uintptr_t)*slot > 1 ? ra_jobs_strdup(ctx, ra_buf_cstr(&b)) : key;
    }
    ra_map_release(&seen);
    ra_buf_release(&b);
}

int ra_jobs_scan(struct ra_jobs **out, const struct ra_jobs_file *files, size_t nfiles,
                 struct ra_err *err)
{
    return ra_jobs_scan_why(out, files, NULL, nfiles, err);
}

int ra_jobs_scan_why(struct ra_jobs **out, const struct ra_jobs_file *files,
                     const char *const *why, size_t nfiles, struct ra_err *err)
{
    struct ra_jobs_ctx ctx;
    struct ra_jobs_input *sorted = NULL;
    size_t i;
    int error = 0;

    assert(out && (files || !nfiles));
    *out = NULL;
    memset(&ctx, 0, sizeof(ctx));
    ctx.out = ra_xcalloc(1, sizeof(*ctx.out));
    if ((error = ra_jobs_inputs(&sorted, files, why, nfiles, err)) < 0)
        goto done;
    load_texts(&ctx, sorted, nfiles);
    parse_all(&ctx);
    ra_jobs_runparts_times(&ctx);
    for (i = 0; i < ctx.out->jobs.len; i++)
        ra_jobs_resolve_job(&ctx, ctx.out->jobs.items[i]);
    for (i = 0; i < ctx.out->jobs.len; i++) {
        cap_texts(&ctx, ctx.out->jobs.items[i]); /* as resolved, and as written */
        ra_jobs_classify(&ctx, ctx.out->jobs.items[i]);
    }
    drop_plain_pipelines(&ctx);
    name_jobs(&ctx);
    ra_jobs_split_examples(&ctx);
    ra_vec_sort(&ctx.out->jobs, cmp_job);
    ra_vec_sort(&ctx.out->images, cmp_image);
    ra_vec_sort(&ctx.out->examples, cmp_job);
    ra_vec_sort(&ctx.out->example_images, cmp_image);
    ra_vec_sort(&ctx.out->problems, ra_problem_cmp);
    *out = ctx.out;
    ctx.out = NULL;

done:
    ra_jobs_free(ctx.out);
    ra_vec_release(&ctx.deploys);
    ra_jobs_values_release(&ctx);
    free(ctx.texts);
    free(sorted);
    return error;
}

void ra_jobs_free(struct ra_jobs *jobs)
{
    size_t i;

    if (!jobs)
        return;
    for (i = 0; i < jobs->jobs.len + jobs->examples.len; i++) {
        struct ra_job *j = i < jobs->jobs.len ? jobs->jobs.items[i]
                                              : jobs->examples.items[i - jobs->jobs.len];
        ra_vec_release(&j->evidence);
        ra_vec_release(&j->scripts);
    }
    ra_vec_release(&jobs->examples);
    ra_vec_release(&jobs->example_images);
    ra_vec_release(&jobs->jobs);
    ra_vec_release(&jobs->images);
    ra_vec_release(&jobs->problems);
    ra_pool_release(&jobs->pool);
    free(jobs);
}
