/* SPDX-License-Identifier: MIT */
/* YAML files, read with libyaml's document API, every document of a stream: Ansible cron
 * tasks (cron:, ansible.builtin.cron:, community.general.cron:) wherever they sit in a
 * playbook, role or task list; Kubernetes CronJobs (also inside a List); image: values.
 */
#include "config/jobs/jobs_internal.h"

#include <stdio.h>
#include <strings.h>

#include "config/text/imageref.h"
#include "config/text/yamldoc.h"

/* An Ansible "env: true" task setting CRON_TZ or TZ for one crontab. */
struct ansible_tz {
    const char *user;
    const char *cron_file;
    const char *tz;
    int cron_tz; /* CRON_TZ rather than TZ */
};

struct ywalk {
    struct ra_jobs_ctx *ctx;
    const struct ra_jobs_text *t;
    yaml_document_t *doc;
    size_t visits;
    struct ra_vec tzs; /* struct ansible_tz *, from the pool */
};

/* Jobs read a mapping's own keys ("<<" merges are not followed). */
static yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
    return ra_yamldoc_get(doc, map, key, RA_YAMLDOC_OWN);
}

/* map[k1][k2]...: a path of keys, NULL-terminated. */
static yaml_node_t *map_path(yaml_document_t *doc, yaml_node_t *n,
                             const char *const *keys)
{
    for (; n && *keys; keys++)
        n = map_get(doc, n, *keys);
    return n;
}

static const char *map_str(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
    return ra_yamldoc_str(doc, map, key, RA_YAMLDOC_OWN);
}

/* ---- Ansible ---- */

/* The old inline form "name=x minute=0 job='...'": the value of key, into out. */
static int inline_arg(struct ra_buf *out, const char *s, const char *key)
{
    size_t k = strlen(key);
    const char *p = s;
    char q;

    ra_buf_truncate(out, 0);
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!strncmp(p, key, k) && p[k] == '=') {
            p += k + 1;
            if (*p == '"' || *p == '\'') {
                for (q = *p++; *p && *p != q; p++)
                    ra_buf_putc(out, *p);
            } else {
                while (*p && *p != ' ' && *p != '\t')
                    ra_buf_putc(out, *p++);
            }
            return 1;
        }
        /* skip this word, quotes included */
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"' || *p == '\'') {
                q = *p++;
                while (*p && *p != q)
                    p++;
                if (*p)
                    p++;
            } else {
                p++;
            }
        }
    }
    return 0;
}

/* One parameter of a cron task, from a mapping or the inline form. */
static const char *cron_arg(struct ywalk *w, const yaml_node_t *args, const char *key,
                            unsigned *line)
{
    struct ra_buf b = RA_BUF_INIT;
    const yaml_node_t *v;
    const char *s = NULL;

    if (args->type == YAML_MAPPING_NODE) {
        v = map_get(w->doc, args, key);
        if (v && line)
            *line = ra_yamldoc_line(v);
        s = ra_yamldoc_scalar(v);
        s = s ? ra_jobs_strdup(w->ctx, s) : NULL;
    } else if (ra_yamldoc_scalar(args) && inline_arg(&b, ra_yamldoc_scalar(args), key)) {
        s = ra_jobs_strdup(w->ctx, ra_buf_cstr(&b));
    }
    ra_buf_release(&b);
    return s;
}

static void ansible_env(struct ywalk *w, const yaml_node_t *args)
{
    const char *name = cron_arg(w, args, "name", NULL), *v;
    struct ansible_tz *tz;

    if (!name || (strcmp(name, "CRON_TZ") && strcmp(name, "TZ")))
        return;
    v = cron_arg(w, args, "value", NULL);
    if (!v)
        v = cron_arg(w, args, "job", NULL);
    tz = ra_pool_alloc(&w->ctx->out->pool, sizeof(*tz));
    tz->user = cron_arg(w, args, "user", NULL);
    tz->cron_file = cron_arg(w, args, "cron_file", NULL);
    tz->tz = v && *v ? v : NULL;
    tz->cron_tz = !strcmp(name, "CRON_TZ");
    ra_vec_push(&w->tzs, tz);
}

static void ansible_cron(struct ywalk *w, const yaml_node_t *task, const yaml_node_t *key,
                         const yaml_node_t *args)
{
    static const char *const fields[] = {"minute", "hour", "day", "month", "weekday"};
    struct ra_buf sched = RA_BUF_INIT;
    const char *s, *special;
    struct ra_job *j;
    unsigned job_line = 0;
    size_t i;

    if (ra_yamldoc_truthy(cron_arg(w, args, "env", NULL))) {
        ansible_env(w, args); /* an environment line, not a job */
        return;
    }
    j = ra_jobs_add_job(w->ctx, RA_JOBDEF_ANSIBLE, w->t->path, ra_yamldoc_line(key));
    special = cron_arg(w, args, "special_time", NULL);
    if (special) {
        ra_buf_printf(&sched, "@%s", special);
    } else {
        for (i = 0; i < RA_ARRAY_SIZE(fields); i++) {
            s = cron_arg(w, args, fields[i], NULL);
            ra_buf_printf(&sched, "%s%s", i ? " " : "", s && *s ? s : "*");
        }
    }
    j->schedule = ra_jobs_strdup(w->ctx, ra_buf_cstr(&sched));
    j->syntax = RA_SCHED_CRON;
    j->command = cron_arg(w, args, "job", &job_line);
    if (job_line)
        j->command_line = job_line;
    j->name = cron_arg(w, args, "name", NULL);
    if (!j->name && (s = map_str(w->doc, task, "name")))
        j->name = ra_jobs_strdup(w->ctx, s);
    j->user = cron_arg(w, args, "user", NULL);
    j->cron_file = cron_arg(w, args, "cron_file", NULL);
    j->disabled = ra_yamldoc_truthy(cron_arg(w, args, "disabled", NULL));
    s = cron_arg(w, args, "state", NULL);
    j->absent = s && !strcmp(s, "absent");
    ra_buf_release(&sched);
}

/* ---- Kubernetes ---- */

static void join_strings(struct ra_buf *out, yaml_document_t *doc, const yaml_node_t *n,
                         const char *sep)
{
    yaml_node_item_t *it;
    const char *s;

    if (!n || n->type != YAML_SEQUENCE_NODE)
        return;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        if ((s = ra_yamldoc_scalar(yaml_document_get_node(doc, *it)))) {
            if (out->len)
                ra_buf_puts(out, sep);
            ra_buf_puts(out, s);
        }
    }
}

/* Is s one template expression, "{{ .Values.gc.flags }}", and nothing else? */
static int one_expression(const char *s)
{
    size_t n = strlen(s);

    return n >= 4 && !strncmp(s, "{{", 2) && !strcmp(s + n - 2, "}}") &&
           !strstr(s + 2, "{{") && strstr(s, "}}") == s + n - 2;
}

/* An argv item as a shell word: quoted when it holds blanks on one line ("sh", "-c",
 * "regctl tag delete x" reads as sh -c '...'); a multi-line script stays lines. An item
 * that is one template expression is not: its blanks are the template's, and its value
 * (resolved later) is the word. */
void ra_jobs_put_arg(struct ra_buf *out, const char *s)
{
    int quote = strpbrk(s, " \t") && !strpbrk(s, "\n'") && !one_expression(s);

    if (out->len)
        ra_buf_putc(out, ' ');
    ra_buf_printf(out, quote ? "'%s'" : "%s", s);
}

static void append_strings(struct ra_buf *out, yaml_document_t *doc, const yaml_node_t *n)
{
    yaml_node_item_t *it;
    const char *s;

    if (n && n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            if ((s = ra_yamldoc_scalar(yaml_document_get_node(doc, *it))))
                ra_jobs_put_arg(out, s);
        }
    } else if ((s = ra_yamldoc_scalar(n))) {
        if (out->len)
            ra_buf_putc(out, ' ');
        ra_buf_puts(out, s);
    }
}

/* One container's command and args, appended to out. A registry image run with args
 * and no command runs the image's entrypoint, the registry binary. */
static void container_command(struct ra_buf *out, struct ywalk *w, const yaml_node_t *c,
                              unsigned *line)
{
    const yaml_node_t *cmd = map_get(w->doc, c, "command");
    const yaml_node_t *args = map_get(w->doc, c, "args"), *first = NULL;
    const char *image = map_str(w->doc, c, "image"), *a;

    if (cmd) {
        append_strings(out, w->doc, cmd);
        if (!*line)
            *line = ra_yamldoc_line(cmd);
    } else if (args && image && ra_imageref_is_registry(image)) {
        if (args->type == YAML_SEQUENCE_NODE &&
            args->data.sequence.items.top > args->data.sequence.items.start)
            first = yaml_document_get_node(w->doc, *args->data.sequence.items.start);
        a = first ? ra_yamldoc_scalar(first) : NULL;
        if (!a || (a[0] != '/' && strcmp(a, "registry")))
            ra_buf_puts(out, "registry");
    }
    if (args && !*line)
        *line = ra_yamldoc_line(args);
    append_strings(out, w->doc, args);
}

/* Every container (and Argo script) under n, each command "; "-separated in out. */
static void collect_commands(struct ra_buf *out, struct ywalk *w, const yaml_node_t *n,
                             unsigned *line, int depth)
{
    struct ra_buf one = RA_BUF_INIT;
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    const yaml_node_t *v;
    const char *k;

    if (!n || depth > RA_YAMLDOC_MAX_DEPTH || ++w->visits > RA_YAMLDOC_MAX_VISITS)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            collect_commands(out, w, yaml_document_get_node(w->doc, *it), line,
                             depth + 1);
        return;
    }
    if (n->type != YAML_MAPPING_NODE)
        return;
    if (map_get(w->doc, n, "image") &&
        (map_get(w->doc, n, "command") || map_get(w->doc, n, "args") ||
         map_get(w->doc, n, "source"))) {
        container_command(&one, w, n, line);
        if ((k = map_str(w->doc, n, "source"))) { /* an Argo script template */
            if (one.len)
                ra_buf_putc(&one, '\n');
            ra_buf_puts(&one, k);
        }
        if (one.len && out->len)
            ra_buf_puts(out, "; ");
        ra_buf_put(out, one.ptr, one.len);
        ra_buf_release(&one);
        return;
    }
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        v = yaml_document_get_node(w->doc, p->value);
        collect_commands(out, w, v, line, depth + 1);
    }
}

/* Kubernetes CronJob (spec.schedule, spec.timeZone) and Argo CronWorkflow (spec.schedule
 * or spec.schedules, spec.timezone); both have spec.suspend. */
static void cron_workload(struct ywalk *w, yaml_node_t *cj, int argo)
{
    static const char *const name_path[] = {"metadata", "name", NULL};
    struct ra_buf cmd = RA_BUF_INIT, sched = RA_BUF_INIT;
    yaml_node_t *spec = map_get(w->doc, cj, "spec"), *sn, *body;
    unsigned line = 0;
    struct ra_job *j;
    const char *s;

    sn = map_get(w->doc, spec, "schedule");
    if (!ra_yamldoc_scalar(sn) && argo && (sn = map_get(w->doc, spec, "schedules")))
        join_strings(&sched, w->doc, sn, "; "); /* several: "; "-separated */
    else if (ra_yamldoc_scalar(sn))
        ra_buf_puts(&sched, ra_yamldoc_scalar(sn));
    if (!sched.len) {
        ra_jobs_add_problem(w->ctx, w->t->path, ra_yamldoc_line(cj), RA_EFORMAT,
                            "'%s:%u': %s without spec.schedule", w->t->path,
                            ra_yamldoc_line(cj), argo ? "CronWorkflow" : "CronJob");
        goto done;
    }
    j = ra_jobs_add_job(w->ctx, RA_JOBDEF_KUBERNETES, w->t->path, ra_yamldoc_line(sn));
    j->schedule = ra_jobs_strdup(w->ctx, ra_buf_cstr(&sched));
    j->syntax = RA_SCHED_CRON;
    if ((s = ra_yamldoc_scalar(map_path(w->doc, cj, name_path))))
        j->name = ra_jobs_strdup(w->ctx, s);
    if ((s = map_str(w->doc, spec, argo ? "timezone" : "timeZone")))
        j->timezone = ra_jobs_strdup(w->ctx, s);
    else
        ra_jobs_schedule_zone(w->ctx, j);
    j->disabled = ra_yamldoc_truthy(map_str(w->doc, spec, "suspend"));
    body = map_get(w->doc, spec, argo ? "workflowSpec" : "jobTemplate");
    collect_commands(&cmd, w, body, &line, 0);
    if (cmd.len) {
        j->command = ra_jobs_strdup(w->ctx, ra_buf_cstr(&cmd));
        j->command_line = line ? line : j->line;
    }

done:
    ra_buf_release(&cmd);
    ra_buf_release(&sched);
}

/* ---- ofelia (a scheduler for Docker, configured with container labels) ---- */

struct ofelia_label {
    const char *key; /* "job-exec.gc.schedule", after "ofelia." */
    const char *value;
    unsigned line;
};

/* The labels of a compose service, as a mapping or as a list of "key=value". */
static size_t ofelia_collect(struct ywalk *w, const yaml_node_t *labels,
                             struct ofelia_label *out, size_t max)
{
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    const yaml_node_t *k, *v;
    const char *ks, *vs, *eq;
    size_t n = 0;

    if (labels->type == YAML_MAPPING_NODE) {
        for (p = labels->data.mapping.pairs.start; p < labels->data.mapping.pairs.top;
             p++) {
            k = yaml_document_get_node(w->doc, p->key);
            v = yaml_document_get_node(w->doc, p->value);
            if (n < max && (ks = ra_yamldoc_scalar(k)) && (vs = ra_yamldoc_scalar(v)) &&
                !strncmp(ks, "ofelia.job-", 11)) {
                out[n].key = ra_jobs_strdup(w->ctx, ks + 7);
                out[n].value = ra_jobs_strdup(w->ctx, vs);
                out[n++].line = ra_yamldoc_line(k);
            }
        }
    } else if (labels->type == YAML_SEQUENCE_NODE) {
        for (it = labels->data.sequence.items.start; it < labels->data.sequence.items.top;
             it++) {
            v = yaml_document_get_node(w->doc, *it);
            if (n < max && (vs = ra_yamldoc_scalar(v)) &&
                !strncmp(vs, "ofelia.job-", 11) && (eq = strchr(vs, '='))) {
                out[n].key = ra_jobs_strndup(w->ctx, vs + 7, (size_t)(eq - vs - 7));
                out[n].value = ra_jobs_strdup(w->ctx, eq + 1);
                out[n++].line = ra_yamldoc_line(v);
            }
        }
    }
    return n;
}

/* The value of "<job>.<param>" among the labels (job is "job-exec.gc"), or NULL. */
static const struct ofelia_label *ofelia_get(const struct ofelia_label *l, size_t n,
                                             const char *job, size_t job_len,
                                             const char *param)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!strncmp(l[i].key, job, job_len) && l[i].key[job_len] == '.' &&
            !strcmp(l[i].key + job_len + 1, param))
            return &l[i];
    }
    return NULL;
}

static void ofelia_labels(struct ywalk *w, const yaml_node_t *labels)
{
    struct ofelia_label l[64];
    const struct ofelia_label *cmd, *image, *user;
    struct ra_buf b = RA_BUF_INIT;
    const char *dot;
    size_t n = ofelia_collect(w, labels, l, RA_ARRAY_SIZE(l)), i, job_len;
    struct ra_job *j;

    for (i = 0; i < n; i++) {
        dot = strrchr(l[i].key, '.');
        if (!dot || strcmp(dot, ".schedule") || !strchr(l[i].key, '.') ||
            strchr(l[i].key, '.') == dot)
            continue; /* one job per "<type>.<name>.schedule" */
        job_len = (size_t)(dot - l[i].key);
        j = ra_jobs_add_job(w->ctx, RA_JOBDEF_OFELIA, w->t->path, l[i].line);
        j->name = ra_jobs_strndup(w->ctx, strchr(l[i].key, '.') + 1,
                                  (size_t)(dot - strchr(l[i].key, '.') - 1));
        j->schedule = l[i].value;
        ra_jobs_schedule_zone(w->ctx, j); /* robfig: "CRON_TZ=Asia/Tokyo 0 6 * * ?" */
        /* robfig/cron with its seconds optional: 5 or 6 fields, '?', descriptors */
        j->syntax = !strncmp(j->schedule, "@every", 6) ? RA_SCHED_MONOTONIC
                                                       : RA_SCHED_CRON_SECONDS;
        cmd = ofelia_get(l, n, l[i].key, job_len, "command");
        image = ofelia_get(l, n, l[i].key, job_len, "image");
        user = ofelia_get(l, n, l[i].key, job_len, "user");
        ra_buf_truncate(&b, 0);
        if (image) /* job-run: a new container of that image */
            ra_buf_printf(&b, "docker run --rm %s%s", image->value, cmd ? " " : "");
        if (cmd)
            ra_buf_puts(&b, cmd->value);
        if (b.len) {
            j->command = ra_jobs_strdup(w->ctx, b.ptr);
            j->command_line = cmd ? cmd->line : image->line;
        }
        j->user = user ? user->value : NULL;
    }
    ra_buf_release(&b);
}

/* ---- the walk ---- */

static int is_cron_module(const char *k)
{
    return !strcmp(k, "cron") || !strcmp(k, "ansible.builtin.cron") ||
           !strcmp(k, "ansible.legacy.cron") || !strcmp(k, "community.general.cron");
}

/* Is this cron: value an Ansible task's arguments (not some other "cron" setting)? */
static int cron_task_args(struct ywalk *w, const yaml_node_t *v)
{
    static const char *const keys[] = {"job",   "special_time", "minute",   "hour",
                                       "state", "env",          "cron_file"};
    size_t i;

    if (ra_yamldoc_scalar(v))
        return strstr(ra_yamldoc_scalar(v), "job=") ||
               strstr(ra_yamldoc_scalar(v), "name=");
    for (i = 0; i < RA_ARRAY_SIZE(keys); i++) {
        if (map_get(w->doc, v, keys[i]))
            return 1;
    }
    return 0;
}

static int is_deploy_module(const char *k)
{
    static const char *const mods[] = {
        "template", "ansible.builtin.template", "ansible.legacy.template",
        "copy",     "ansible.builtin.copy",     "ansible.legacy.copy",
        NULL,
    };
    size_t i;

    for (i = 0; mods[i]; i++) {
        if (!strcmp(k, mods[i]))
            return 1;
    }
    return 0;
}

/* template/copy with src and dest: where a file of the repository is installed. */
static void ansible_deploy(struct ywalk *w, const yaml_node_t *args)
{
    const yaml_node_t *content = NULL;
    const char *src, *dest;
    unsigned first;

    if (args->type != YAML_MAPPING_NODE && !ra_yamldoc_scalar(args))
        return;
    src = cron_arg(w, args, "src", NULL);
    dest = cron_arg(w, args, "dest", NULL);
    if (args->type == YAML_MAPPING_NODE)
        content = map_get(w->doc, args, "content");
    if (!dest || !*dest)
        return;
    if (src && *src) {
        ra_jobs_add_deploy(w->ctx, w->t->path, src, dest);
    } else if (ra_yamldoc_scalar(content)) {
        /* a block scalar ("content: |") starts on the line after its indicator */
        first = ra_yamldoc_line(content) +
                (content->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                 content->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
        ra_jobs_add_content(w->ctx, w->t, ra_yamldoc_scalar(content),
                            content->data.scalar.length, first, dest);
    }
}

static void image_value(struct ywalk *w, const yaml_node_t *v)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *repo, *tag;

    if (ra_yamldoc_scalar(v)) {
        ra_jobs_add_image(w->ctx, ra_yamldoc_scalar(v), v->data.scalar.length, w->t->path,
                          ra_yamldoc_line(v));
    } else if ((repo = map_str(w->doc, v, "repository"))) {
        /* Helm values: image: {repository: registry, tag: 2.8.3} */
        tag = map_str(w->doc, v, "tag");
        ra_buf_printf(&b, "%s%s%s", repo, tag && *tag ? ":" : "", tag ? tag : "");
        ra_jobs_add_image(w->ctx, b.ptr, b.len, w->t->path, ra_yamldoc_line(v));
    }
    ra_buf_release(&b);
}

static void walk(struct ywalk *w, yaml_node_t *n, int depth)
{
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    yaml_node_t *k, *v;
    const char *ks, *kind;

    if (!n || depth > RA_YAMLDOC_MAX_DEPTH || ++w->visits > RA_YAMLDOC_MAX_VISITS)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            walk(w, yaml_document_get_node(w->doc, *it), depth + 1);
        return;
    }
    if (n->type != YAML_MAPPING_NODE)
        return;
    kind = map_str(w->doc, n, "kind");
    if (kind && map_get(w->doc, n, "spec") &&
        (!strcmp(kind, "CronJob") || !strcmp(kind, "CronWorkflow")))
        cron_workload(w, n, !strcmp(kind, "CronWorkflow"));
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        k = yaml_document_get_node(w->doc, p->key);
        v = yaml_document_get_node(w->doc, p->value);
        if (!(ks = ra_yamldoc_scalar(k)) || !v)
            continue;
        if (is_cron_module(ks) && cron_task_args(w, v))
            ansible_cron(w, n, k, v);
        else if (is_deploy_module(ks))
            ansible_deploy(w, v);
        else if (!strcmp(ks, "image"))
            image_value(w, v);
        else if (!strcmp(ks, "labels") &&
                 (map_get(w->doc, n, "image") || map_get(w->doc, n, "build")))
            ofelia_labels(w, v);
        walk(w, v, depth + 1);
    }
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Ansible puts environment lines at the top of the crontab (insertafter/insertbefore
 * aside): CRON_TZ applies to every job of the same user and cron_file. */
static void apply_tzs(struct ywalk *w, size_t first_job)
{
    const struct ansible_tz *tz, *best;
    struct ra_job *j;
    size_t i, k;

    for (i = first_job; i < w->ctx->out->jobs.len; i++) {
        j = w->ctx->out->jobs.items[i];
        best = NULL;
        for (k = 0; k < w->tzs.len; k++) {
            tz = w->tzs.items[k];
            if (same_str(tz->user, j->user) && same_str(tz->cron_file, j->cron_file) &&
                (!best || (tz->cron_tz && !best->cron_tz)))
                best = tz;
        }
        /* a TZ= line is the commands' environment; only cronie's CRON_TZ= moves the
         * schedule */
        if (j->def == RA_JOBDEF_ANSIBLE && best && best->tz && best->cron_tz)
            j->timezone = best->tz;
        else if (j->def == RA_JOBDEF_ANSIBLE && best && best->tz && !j->warning) {
            struct ra_buf b = RA_BUF_INIT;
            ra_buf_printf(&b,
                          "TZ=%s sets the command's environment, not the schedule: cron "
                          "reads the times in the host's zone",
                          best->tz);
            j->warning = ra_jobs_strdup(w->ctx, b.ptr);
            ra_buf_release(&b);
        }
    }
}

/* ---- templates ---- */

/* The first needle in [p, p + n), or NULL. */
static const char *find_str(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;

    for (i = 0; i + k <= n; i++) {
        if (!memcmp(p + i, needle, k))
            return p + i;
    }
    return NULL;
}

/* Is [p, end) one template action and nothing else: "{{ if x }}", "{%- end -%}"? */
static int template_only(const char *p, const char *end)
{
    const char *close;

    if (end - p < 4 || p[0] != '{' || !strchr("{%#", p[1]))
        return 0;
    close = p[1] == '{' ? "}}" : p[1] == '%' ? "%}" : "#}";
    return end[-2] == close[0] && end[-1] == close[1] &&
           find_str(p + 2, (size_t)(end - p - 2), close) == end - 2;
}

/* Helm and Jinja templates as YAML: lines that hold only a template action become blank
 * (line numbers hold), and a value that starts with "{{" or "{%" (a flow mapping to
 * YAML) is single-quoted, its text kept. */
static void detemplate(struct ra_buf *out, const char *text)
{
    struct ra_jobs_line line = {NULL, 0, 0};
    const char *cursor = text, *p, *end, *v, *q;

    ra_buf_truncate(out, 0);
    while (ra_jobs_next_line(&cursor, &line)) {
        end = line.p + line.len;
        for (p = line.p; p < end && (*p == ' ' || *p == '\t'); p++)
            ;
        if (template_only(p, end)) {
            ra_buf_putc(out, '\n');
            continue;
        }
        for (v = p; end - v >= 2 && v[0] == '-' && v[1] == ' ';)
            for (v += 2; v < end && *v == ' '; v++)
                ;
        if (v < end && !(v[0] == '{' && v + 1 < end && (v[1] == '{' || v[1] == '%'))) {
            q = find_str(v, (size_t)(end - v), ": ");
            if (q)
                for (v = q + 2; v < end && *v == ' '; v++)
                    ;
        }
        if (end - v >= 2 && v[0] == '{' && (v[1] == '{' || v[1] == '%')) {
            ra_buf_put(out, line.p, (size_t)(v - line.p));
            ra_buf_putc(out, '\'');
            for (q = v; q < end; q++) {
                if (*q == '\'')
                    ra_buf_putc(out, '\'');
                ra_buf_putc(out, *q);
            }
            ra_buf_puts(out, "'\n");
        } else {
            ra_buf_put(out, line.p, line.len);
            ra_buf_putc(out, '\n');
        }
    }
}

static void on_document(yaml_document_t *doc, yaml_node_t *root, void *payload)
{
    struct ywalk *w = payload;

    w->doc = doc;
    w->visits = 0;
    walk(w, root, 0);
    ra_jobs_yaml_document(w->ctx, w->t, doc, root);
}

/* Try text as YAML; when it does not parse and holds template markup, try it again
 * with the markup neutralised, and say so on the jobs found. */
void ra_jobs_parse_yaml(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    struct ywalk w = {ctx, t, NULL, 0, RA_VEC_INIT};
    size_t first_job = ctx->out->jobs.len, first_image = ctx->out->images.len, i;
    size_t first_deploy = ctx->deploys.len;
    struct ra_buf plain = RA_BUF_INIT, msg = RA_BUF_INIT, msg2 = RA_BUF_INIT;
    unsigned line = 0, line2 = 0;
    int rc, rc2;

    rc = ra_yamldoc_load_all(t->data, t->len, on_document, &w, &line, &msg);
    if (rc == RA_ERROR) {
        ra_jobs_add_problem(ctx, t->path, 0, RA_ERROR, "'%s': YAML parser: out of memory",
                            t->path);
        goto done;
    }
    if (rc < 0 && (strstr(t->data, "{{") || strstr(t->data, "{%"))) {
        detemplate(&plain, t->data);
        ctx->out->jobs.len = first_job; /* read the whole file again */
        ctx->out->images.len = first_image;
        ctx->deploys.len = first_deploy;
        w.tzs.len = 0;
        rc2 = ra_yamldoc_load_all(plain.ptr, plain.len, on_document, &w, &line2, &msg2);
        if (rc2 < 0) {
            ctx->out->jobs.len = first_job;
            ctx->out->images.len = first_image;
            ctx->deploys.len = first_deploy;
            w.tzs.len = 0;
        }
        rc = rc2;
        for (i = first_job; i < ctx->out->jobs.len; i++)
            ((struct ra_job *)ctx->out->jobs.items[i])->warning =
                "from a template: its {{ }} expressions are not resolved";
    }
    if (rc < 0) /* the error in the file as written */
        ra_jobs_add_problem(ctx, t->path, line, RA_EFORMAT, "'%s:%u': YAML: %s", t->path,
                            line, ra_buf_cstr(&msg));
    apply_tzs(&w, first_job);

done:
    ra_vec_release(&w.tzs);
    ra_buf_release(&plain);
    ra_buf_release(&msg);
    ra_buf_release(&msg2);
}
