/* SPDX-License-Identifier: MIT */
/* Files that are examples, not deployments: under docs/, examples/, test.../, fixtures/,
 * and the code blocks of READMEs. Their jobs and images are listed apart. */
#include "config/jobs/jobs_internal.h"

#include <ctype.h>
#include <strings.h>

static const char *const example_dirs[] = {"docs", "doc", "examples", "example",
                                           "fixtures"};

static int example_dir(const char *seg, size_t n)
{
    size_t i;

    if (n >= 4 && !strncmp(seg, "test", 4))
        return 1; /* test/, tests/, testdata/, testing/ */
    for (i = 0; i < RA_ARRAY_SIZE(example_dirs); i++)
        if (strlen(example_dirs[i]) == n && !strncmp(seg, example_dirs[i], n))
            return 1;
    return 0;
}

int ra_jobs_is_example(const char *path)
{
    const char *p = path, *slash;

    while ((slash = strchr(p, '/'))) {
        if (example_dir(p, (size_t)(slash - p)))
            return 1;
        p = slash + 1;
    }
    return 0;
}

int ra_jobs_may_follow(const struct ra_job *job, const char *path)
{
    return job->example || ra_jobs_is_example(job->path) || !ra_jobs_is_example(path);
}

static int is_readme(const char *base)
{
    return !strncasecmp(base, "readme", 6) && (!base[6] || !strcasecmp(base + 6, ".md") ||
                                               !strcasecmp(base + 6, ".markdown"));
}

enum block_kind { B_NONE, B_CRONTAB, B_YAML };

/* What a fence's info string ("```cron", "~~~yaml") makes its block; a block without one
 * is a crontab when its first line starts like a cron line. A crontab block whose first
 * line has a user field is read as a cron.d file. */
static enum block_kind block_kind(const char *info, size_t n, const char *first)
{
    while (n && isspace((unsigned char)info[n - 1]))
        n--;
    if ((n == 4 && !strncasecmp(info, "cron", 4)) ||
        (n == 7 && !strncasecmp(info, "crontab", 7)))
        return B_CRONTAB;
    if ((n == 4 && !strncasecmp(info, "yaml", 4)) ||
        (n == 3 && !strncasecmp(info, "yml", 3)))
        return B_YAML;
    if (!n && first && (isdigit((unsigned char)*first) || *first == '*' || *first == '@'))
        return B_CRONTAB;
    return B_NONE;
}

/* Mark what the block added as examples, at its lines in the README (the block starts
 * at line first). */
static void mark_new(struct ra_jobs_ctx *ctx, size_t jobs, size_t images, size_t problems,
                     unsigned first)
{
    size_t i;

    for (i = jobs; i < ctx->out->jobs.len; i++) {
        struct ra_job *j = ctx->out->jobs.items[i];
        j->example = 1;
        if (j->command_path == j->path && j->command_line)
            j->command_line += first - 1;
        j->line += first - 1;
    }
    for (i = images; i < ctx->out->images.len; i++) {
        struct ra_registry_image *im = ctx->out->images.items[i];
        im->example = 1;
        im->line += first - 1;
    }
    ctx->out->problems.len = problems; /* an example need not be complete */
}

/* Does the block's first cron line carry a user field, as in /etc/cron.d ("0 2 * * *
 * root /opt/x.sh": a lowercase name, then a path)? */
static int has_user_field(const char *p, const char *end)
{
    int field = 0, want;
    const char *w;

    while (p < end && (isspace((unsigned char)*p) || *p == '#'))
        p++;
    want = p < end && *p == '@' ? 1 : 5;
    while (p < end && *p != '\n' && field < want) {
        while (p < end && !isspace((unsigned char)*p))
            p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        field++;
    }
    if (field < want || p >= end || !islower((unsigned char)*p))
        return 0;
    for (w = p; w < end && (islower((unsigned char)*w) || isdigit((unsigned char)*w) ||
                            *w == '_' || *w == '-');
         w++)
        ;
    return w < end && (*w == ' ' || *w == '\t') && (w = w + strspn(w, " \t")) < end &&
           *w == '/';
}

/* Parse one block, [from, to) of the README, which starts at line first. */
static void parse_block(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                        enum block_kind kind, const char *from, const char *to,
                        unsigned first)
{
    struct ra_jobs_text *b = ra_pool_alloc(&ctx->out->pool, sizeof(*b));
    size_t jobs = ctx->out->jobs.len, images = ctx->out->images.len;
    size_t problems = ctx->out->problems.len;

    *b = *t;
    b->data = ra_jobs_strndup(ctx, from, (size_t)(to - from));
    b->len = strlen(b->data);
    if (kind == B_CRONTAB)
        ra_jobs_parse_crontab(ctx, b, has_user_field(b->data, b->data + b->len));
    else
        ra_jobs_parse_yaml(ctx, b);
    mark_new(ctx, jobs, images, problems, first);
}

void ra_jobs_parse_readme(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    const char *cursor = t->data, *open = NULL, *body = NULL, *info = NULL;
    struct ra_jobs_line line = {NULL, 0, 0};
    size_t info_len = 0, fence = 0;
    unsigned body_line = 0;
    char fc = 0;

    if (!is_readme(t->base))
        return;
    while (ra_jobs_next_line(&cursor, &line)) {
        const char *p = line.p, *end = line.p + line.len;
        size_t n = 0;
        while (p < end && *p == ' ' && p - line.p < 4)
            p++;
        while (p + n < end && (p[n] == '`' || p[n] == '~') && p[n] == *p)
            n++;
        if (!open && n >= 3) {
            open = line.p;
            fc = *p;
            fence = n;
            info = p + n;
            info_len = (size_t)(end - info);
            body = cursor;
            body_line = line.no + 1;
        } else if (open && n >= fence && *p == fc) {
            const char *first = body;
            enum block_kind k;
            while (first < line.p && isspace((unsigned char)*first))
                first++;
            k = block_kind(info, info_len, first < line.p ? first : NULL);
            if (k != B_NONE)
                parse_block(ctx, t, k, body, line.p, body_line);
            open = NULL;
        }
    }
}

/* Move the example jobs and images to their own lists. */
static void split(struct ra_vec *all, struct ra_vec *examples, int (*is_ex)(const void *))
{
    size_t i, k = 0;

    for (i = 0; i < all->len; i++) {
        if (is_ex(all->items[i]))
            ra_vec_push(examples, all->items[i]);
        else
            all->items[k++] = all->items[i];
    }
    all->len = k;
}

static int job_is_example(const void *p)
{
    const struct ra_job *j = p;
    return j->example || ra_jobs_is_example(j->path);
}

static int image_is_example(const void *p)
{
    const struct ra_registry_image *im = p;
    return im->example || ra_jobs_is_example(im->path);
}

void ra_jobs_split_examples(struct ra_jobs_ctx *ctx)
{
    size_t i;

    split(&ctx->out->jobs, &ctx->out->examples, job_is_example);
    split(&ctx->out->images, &ctx->out->example_images, image_is_example);
    for (i = 0; i < ctx->out->examples.len; i++)
        ((struct ra_job *)ctx->out->examples.items[i])->example = 1;
    for (i = 0; i < ctx->out->example_images.len; i++)
        ((struct ra_registry_image *)ctx->out->example_images.items[i])->example = 1;
}
