/* SPDX-License-Identifier: MIT */
/* HCL files, read by a small reader of blocks and attributes (not an HCL evaluator):
 * Nomad job files' periodic blocks, and Terraform's AWS EventBridge rules and
 * schedules (aws_cloudwatch_event_rule with its aws_cloudwatch_event_target,
 * aws_scheduler_schedule). Expressions are kept as written. */
#include "config/jobs/jobs_internal.h"
#include "config/text/imageref.h"

#include <ctype.h>
#include <stdio.h>

#define HCL_MAX_DEPTH 32

struct hcl_val { /* a list item */
    const char *s;
    struct hcl_val *next;
};

struct hcl_node {
    const char *name;
    const char *label;  /* first label of a block, or NULL */
    const char *label2; /* second label (resource "type" "name"), or NULL */
    int block;
    const char *value; /* an attribute: a string's text, or the expression as written */
    struct hcl_val *list; /* an attribute whose value is a list: its items */
    unsigned line;
    struct hcl_node *child, *next;
};

struct hcl {
    struct ra_jobs_ctx *ctx;
    const char *p, *end;
    unsigned line;
};

static void skip_blank(struct hcl *h, int newlines)
{
    while (h->p < h->end) {
        char c = *h->p;
        if (c == '\n' && newlines) {
            h->line++;
            h->p++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            h->p++;
        } else if (c == '#' || (c == '/' && h->p + 1 < h->end && h->p[1] == '/')) {
            while (h->p < h->end && *h->p != '\n')
                h->p++;
        } else if (c == '/' && h->p + 1 < h->end && h->p[1] == '*') {
            for (h->p += 2; h->p + 1 < h->end && !(h->p[0] == '*' && h->p[1] == '/');
                 h->p++)
                h->line += *h->p == '\n';
            h->p = h->p + 2 < h->end ? h->p + 2 : h->end;
        } else {
            return;
        }
    }
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* A quoted string at h->p (on '"'): its text, escapes undone, ${...} kept. */
static const char *hcl_string(struct hcl *h)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *r;
    int depth = 0;

    for (h->p++; h->p < h->end && (*h->p != '"' || depth); h->p++) {
        if (*h->p == '\n')
            h->line++;
        if (*h->p == '\\' && h->p + 1 < h->end && !depth) {
            h->p++;
            ra_buf_putc(&b, *h->p == 'n' ? '\n' : *h->p == 't' ? '\t' : *h->p);
            continue;
        }
        if (*h->p == '$' && h->p + 1 < h->end && h->p[1] == '{')
            depth++;
        else if (*h->p == '}' && depth)
            depth--;
        ra_buf_putc(&b, *h->p);
    }
    if (h->p < h->end)
        h->p++;
    r = ra_jobs_strndup(h->ctx, b.ptr ? b.ptr : "", b.len);
    ra_buf_release(&b);
    return r;
}

/* <<EOF ... EOF (or <<-EOF): the lines between. */
static const char *hcl_heredoc(struct hcl *h)
{
    const char *m, *start, *line_end, *s;
    size_t mlen;

    h->p += 2;
    if (h->p < h->end && *h->p == '-')
        h->p++;
    for (m = h->p; h->p < h->end && ident_char(*h->p); h->p++)
        ;
    mlen = (size_t)(h->p - m);
    while (h->p < h->end && *h->p != '\n')
        h->p++;
    start = h->p < h->end ? ++h->p : h->p;
    h->line++;
    while (h->p < h->end) {
        line_end = memchr(h->p, '\n', (size_t)(h->end - h->p));
        if (!line_end)
            line_end = h->end;
        for (s = h->p; s < line_end && (*s == ' ' || *s == '\t'); s++)
            ;
        if ((size_t)(line_end - s) >= mlen && !strncmp(s, m, mlen) &&
            (s + mlen == line_end || s[mlen] == '\r')) {
            const char *text_end = h->p;
            h->p = line_end;
            return ra_jobs_strndup(h->ctx, start, (size_t)(text_end - start));
        }
        h->p = line_end < h->end ? line_end + 1 : line_end;
        h->line++;
    }
    return ra_jobs_strndup(h->ctx, start, (size_t)(h->end - start));
}

/* An expression as written, to the end of the line outside brackets and strings. */
static const char *hcl_raw(struct hcl *h)
{
    const char *start = h->p;
    int depth = 0;

    while (h->p < h->end) {
        char c = *h->p;
        if (c == '"') {
            (void)hcl_string(h);
            continue;
        }
        if (c == '\n' && depth <= 0)
            break;
        if (c == '\n')
            h->line++;
        if (strchr("([{", c))
            depth++;
        else if (strchr(")]}", c)) {
            if (--depth < 0)
                break;
        } else if (c == ',' && depth <= 0)
            break;
        h->p++;
    }
    return ra_jobs_strndup(h->ctx, start, (size_t)(h->p - start));
}

static const char *hcl_value(struct hcl *h, struct hcl_val **list);

/* [a, "b", ...] */
static void hcl_list(struct hcl *h, struct hcl_val **list)
{
    struct hcl_val **tail = list, *v;
    const char *before;

    for (h->p++;;) {
        skip_blank(h, 1);
        if (h->p >= h->end || *h->p == ']')
            break;
        if (*h->p == ',') {
            h->p++;
            continue;
        }
        before = h->p;
        v = ra_pool_alloc(&h->ctx->out->pool, sizeof(*v));
        v->s = hcl_value(h, NULL);
        if (h->p == before)
            break; /* "[a }": not a list as read here */
        v->next = NULL;
        *tail = v;
        tail = &v->next;
    }
    if (h->p < h->end)
        h->p++;
}

static const char *hcl_value(struct hcl *h, struct hcl_val **list)
{
    const char *start = h->p;

    skip_blank(h, 0);
    if (h->p < h->end && *h->p == '"')
        return hcl_string(h);
    if (h->end - h->p >= 2 && h->p[0] == '<' && h->p[1] == '<')
        return hcl_heredoc(h);
    if (list && h->p < h->end && *h->p == '[') {
        start = h->p;
        hcl_list(h, list);
        return ra_jobs_strndup(h->ctx, start, (size_t)(h->p - start));
    }
    return hcl_raw(h);
}

static struct hcl_node *hcl_body(struct hcl *h, int depth);

/* A block's labels and body, or an attribute, after its name. */
static struct hcl_node *hcl_item(struct hcl *h, const char *name, unsigned line,
                                 int depth)
{
    struct hcl_node *n = ra_pool_alloc(&h->ctx->out->pool, sizeof(*n));

    memset(n, 0, sizeof(*n));
    n->name = name;
    n->line = line;
    skip_blank(h, 0);
    if (h->p < h->end && *h->p == '=' && (h->p + 1 >= h->end || h->p[1] != '=')) {
        h->p++;
        n->value = hcl_value(h, &n->list);
        return n;
    }
    while (h->p < h->end && (*h->p == '"' || ident_char(*h->p))) {
        const char *l, *s = h->p;
        if (*h->p == '"')
            l = hcl_string(h);
        else {
            while (h->p < h->end && ident_char(*h->p))
                h->p++;
            l = ra_jobs_strndup(h->ctx, s, (size_t)(h->p - s));
        }
        if (!n->label)
            n->label = l;
        else if (!n->label2)
            n->label2 = l;
        skip_blank(h, 0);
    }
    if (h->p >= h->end || *h->p != '{')
        return NULL; /* not HCL as read here: the caller skips the line */
    h->p++;
    n->block = 1;
    if (depth < HCL_MAX_DEPTH)
        n->child = hcl_body(h, depth + 1);
    skip_blank(h, 1);
    if (h->p < h->end && *h->p == '}')
        h->p++;
    return n;
}

/* Items up to the closing '}' (not consumed) or the end. */
static struct hcl_node *hcl_body(struct hcl *h, int depth)
{
    struct hcl_node *first = NULL, **tail = &first, *n;
    const char *s;
    unsigned line;

    for (;;) {
        skip_blank(h, 1);
        if (h->p >= h->end || *h->p == '}')
            return first;
        s = h->p;
        line = h->line;
        while (h->p < h->end && ident_char(*h->p))
            h->p++;
        n = h->p > s
                ? hcl_item(h, ra_jobs_strndup(h->ctx, s, (size_t)(h->p - s)), line, depth)
                : NULL;
        if (n) {
            *tail = n;
            tail = &n->next;
            continue;
        }
        while (h->p < h->end && *h->p != '\n') /* not understood: skip the line */
            h->p++;
    }
}

/* ---- lookups ---- */

static const struct hcl_node *get(const struct hcl_node *block, const char *name)
{
    const struct hcl_node *n;

    for (n = block ? block->child : NULL; n; n = n->next)
        if (!strcmp(n->name, name))
            return n;
    return NULL;
}

static const char *attr(const struct hcl_node *block, const char *name)
{
    const struct hcl_node *n = get(block, name);

    return n && !n->block ? n->value : NULL;
}

static int is_false(const char *s)
{
    return s && !strcmp(s, "false");
}

/* Items of a list attribute joined with sep (NULL: as shell words, after a blank when
 * out is not empty), else the attribute itself. */
static void join_list(struct ra_buf *out, const struct hcl_node *n, const char *sep)
{
    const struct hcl_val *v;

    if (!n || n->block)
        return;
    if (!n->list && n->value) {
        if (!sep && out->len && out->ptr[out->len - 1] != ' ')
            ra_buf_putc(out, ' ');
        ra_buf_puts(out, n->value);
        return;
    }
    for (v = n->list; v; v = v->next) {
        if (!sep)
            ra_jobs_put_arg(out, v->s);
        else
            ra_buf_printf(out, "%s%s", v != n->list ? sep : "", v->s);
    }
}

/* ---- Nomad ---- */

/* Every task's driver config command and args, in file order; images noted. */
static void nomad_commands(struct ra_buf *out, struct hcl *h, const struct hcl_node *b,
                           const char *path, unsigned *line, int depth)
{
    const struct hcl_node *n, *cfg, *c, *a;
    const char *image;

    for (n = b ? b->child : NULL; n && depth < HCL_MAX_DEPTH; n = n->next) {
        if (!n->block)
            continue;
        if (strcmp(n->name, "task")) {
            nomad_commands(out, h, n, path, line, depth + 1);
            continue;
        }
        cfg = get(n, "config");
        c = get(cfg, "command");
        a = get(cfg, "args");
        image = attr(cfg, "image");
        if (image)
            ra_jobs_add_image(h->ctx, image, strlen(image), path,
                              get(cfg, "image")->line);
        if (!c && !(a && image && ra_imageref_is_registry(image)))
            continue; /* the registry image's entrypoint is the registry */
        if (out->len)
            ra_buf_puts(out, "; ");
        if (!*line)
            *line = c ? c->line : a->line;
        if (c)
            join_list(out, c, NULL);
        else
            ra_buf_puts(out, "registry");
        if (a)
            join_list(out, a, NULL);
    }
}

static void nomad_job(struct hcl *h, const struct ra_jobs_text *t,
                      const struct hcl_node *job)
{
    const struct hcl_node *per = get(job, "periodic"), *cron;
    struct ra_buf sched = RA_BUF_INIT, cmd = RA_BUF_INIT;
    unsigned line = 0;
    struct ra_job *j;
    const char *tz;

    if (!per || !per->block)
        return;
    if (!(cron = get(per, "crons")) && !(cron = get(per, "cron"))) {
        ra_jobs_add_problem(h->ctx, t->path, per->line + 1, RA_EFORMAT,
                            "'%s:%u': periodic block without cron", t->path,
                            per->line + 1);
        return;
    }
    join_list(&sched, cron, "; ");
    j = ra_jobs_add_job(h->ctx, RA_JOBDEF_NOMAD, t->path, cron->line + 1);
    j->name = job->label;
    j->schedule = ra_jobs_strdup(h->ctx, ra_buf_cstr(&sched));
    j->syntax = RA_SCHED_NOMAD;
    tz = attr(per, "time_zone");
    j->timezone = tz; /* none: Nomad's UTC (schedule.c) */
    j->disabled = is_false(attr(per, "enabled"));
    j->prohibit_overlap =
        attr(per, "prohibit_overlap") && !strcmp(attr(per, "prohibit_overlap"), "true");
    if (j->prohibit_overlap)
        j->warning =
            "prohibit_overlap: a launch is skipped while the previous run still runs";
    nomad_commands(&cmd, h, job, t->path, &line, 0);
    if (cmd.len) {
        j->command = ra_jobs_strdup(h->ctx, cmd.ptr);
        j->command_line = line + 1;
    }
    ra_buf_release(&sched);
    ra_buf_release(&cmd);
}

/* ---- Terraform: EventBridge ---- */

void ra_jobs_command_in(struct ra_buf *out, const char *s)
{
    const char *p = s ? strstr(s, "command") : NULL, *q;

    if (!p || !(p = strchr(p, '[')))
        return;
    for (p++; *p && *p != ']'; p++) {
        if (*p != '"' && !(p[0] == '\\' && p[1] == '"'))
            continue;
        p += *p == '\\' ? 2 : 1;
        for (q = p; *q && *q != '"' && *q != '\\'; q++)
            ;
        ra_buf_printf(out, "%s%.*s", out->len ? " " : "", (int)(q - p), p);
        p = *q == '\\' ? q + 1 : q;
        if (!*p)
            break;
    }
}

void ra_jobs_aws_syntax(struct ra_job *j)
{
    if (!strncmp(j->schedule, "cron(", 5)) {
        j->syntax = RA_SCHED_EVENTBRIDGE;
    } else {
        j->syntax = RA_SCHED_MONOTONIC; /* rate(...), at(...) */
        if (!strncmp(j->schedule, "at(", 3))
            j->warning = "a one-time schedule (at): no recurring firings";
    }
}

/* The targets of rule `label` among the file's resources: their input's command. */
static void rule_targets(struct ra_buf *cmd, unsigned *line, const struct hcl_node *top,
                         const char *label)
{
    const struct hcl_node *n;
    struct ra_buf ref = RA_BUF_INIT;
    const char *rule;

    ra_buf_printf(&ref, "aws_cloudwatch_event_rule.%s.", label);
    for (n = top; n; n = n->next) {
        if (!n->block || strcmp(n->name, "resource") || !n->label ||
            strcmp(n->label, "aws_cloudwatch_event_target"))
            continue;
        rule = attr(n, "rule");
        if (!rule || strncmp(rule, ref.ptr, ref.len))
            continue;
        ra_jobs_command_in(cmd, attr(n, "input"));
        if (!*line && cmd->len)
            *line = get(n, "input")->line + 1;
    }
    ra_buf_release(&ref);
}

static void eventbridge(struct hcl *h, const struct ra_jobs_text *t,
                        const struct hcl_node *top, const struct hcl_node *r)
{
    const struct hcl_node *se = get(r, "schedule_expression"), *target;
    struct ra_buf cmd = RA_BUF_INIT;
    const char *state = attr(r, "state"), *name = attr(r, "name");
    unsigned line = 0;
    struct ra_job *j;

    if (!se || se->block || !se->value)
        return; /* an event pattern rule, not a schedule */
    j = ra_jobs_add_job(h->ctx, RA_JOBDEF_EVENTBRIDGE, t->path, se->line + 1);
    j->name = name && !strchr(name, '$') ? name : r->label2;
    j->schedule = se->value;
    ra_jobs_aws_syntax(j);
    j->timezone = attr(r, "schedule_expression_timezone"); /* none: UTC (schedule.c) */
    j->disabled =
        is_false(attr(r, "is_enabled")) || (state && !strcmp(state, "DISABLED"));
    if (!strcmp(r->label, "aws_scheduler_schedule")) {
        target = get(r, "target");
        ra_jobs_command_in(&cmd, attr(target, "input"));
        if (cmd.len)
            line = get(target, "input")->line + 1;
    } else {
        rule_targets(&cmd, &line, top, r->label2 ? r->label2 : "");
    }
    if (cmd.len) {
        j->command = ra_jobs_strdup(h->ctx, cmd.ptr);
        j->command_line = line;
    }
    ra_buf_release(&cmd);
}

void ra_jobs_parse_hcl(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    struct hcl h = {ctx, t->data, t->data + t->len, 0};
    const struct hcl_node *top = hcl_body(&h, 0), *n;

    for (n = top; n; n = n->next) {
        if (!n->block)
            continue;
        if (!strcmp(n->name, "job") && n->label)
            nomad_job(&h, t, n);
        else if (!strcmp(n->name, "resource") && n->label && n->label2 &&
                 (!strcmp(n->label, "aws_cloudwatch_event_rule") ||
                  !strcmp(n->label, "aws_scheduler_schedule")))
            eventbridge(&h, t, top, n);
    }
}
