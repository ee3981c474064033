/* SPDX-License-Identifier: MIT */
/* Scheduled CI pipelines as jobs (GitHub Actions on.schedule, GitLab jobs that run in
 * scheduled pipelines, Woodpecker workflows and steps of the cron event), and AWS
 * EventBridge rules and schedules of CloudFormation templates: one YAML document at a
 * time, after jobs_yaml.c has walked it. */
#include "config/jobs/jobs_internal.h"

#include <stdio.h>

#include "config/text/yamldoc.h"

struct cidoc {
    struct ra_jobs_ctx *ctx;
    const struct ra_jobs_text *t;
    yaml_document_t *doc;
};

static yaml_node_t *get(const struct cidoc *c, const yaml_node_t *map, const char *key)
{
    return ra_yamldoc_get(c->doc, map, key, 0);
}

static const char *str(const struct cidoc *c, const yaml_node_t *map, const char *key)
{
    return ra_yamldoc_scalar(get(c, map, key));
}

static yaml_node_t *item(const struct cidoc *c, const yaml_node_t *seq, size_t i)
{
    return ra_yamldoc_item(c->doc, seq, i);
}

#define CI_MAX_DEPTH 8 /* lists of lists of commands: GitLab's !reference nests them */

/* A scalar, or the items of a sequence, appended to out one per line. */
static void lines_of_depth(struct ra_buf *out, const struct cidoc *c,
                           const yaml_node_t *n, int depth)
{
    const char *s;
    size_t i;

    if ((s = ra_yamldoc_scalar(n))) {
        size_t len = strlen(s);
        while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
            len--; /* a block scalar's last newline */
        ra_buf_printf(out, "%s%.*s", out->len ? "\n" : "", (int)len, s);
        return;
    }
    for (i = 0;
         depth < CI_MAX_DEPTH && n && n->type == YAML_SEQUENCE_NODE && item(c, n, i); i++)
        lines_of_depth(out, c, item(c, n, i), depth + 1);
}

static void lines_of(struct ra_buf *out, const struct cidoc *c, const yaml_node_t *n)
{
    lines_of_depth(out, c, n, 0);
}

/* Does the scalar n, or an item of the sequence n, say w? */
static int holds(const struct cidoc *c, const yaml_node_t *n, const char *w)
{
    const char *s = ra_yamldoc_scalar(n);
    size_t i;

    if (s)
        return !strcmp(s, w);
    for (i = 0; n && n->type == YAML_SEQUENCE_NODE && item(c, n, i); i++)
        if ((s = ra_yamldoc_scalar(item(c, n, i))) && !strcmp(s, w))
            return 1;
    return 0;
}

static struct ra_job *add(const struct cidoc *c, enum ra_job_def def, const char *name,
                          unsigned line, const struct ra_buf *cmd, unsigned cmd_line)
{
    struct ra_job *j = ra_jobs_add_job(c->ctx, def, c->t->path, line);

    j->name = name ? ra_jobs_strdup(c->ctx, name) : NULL;
    if (cmd->len) {
        j->command = ra_jobs_strdup(c->ctx, cmd->ptr);
        j->command_line = cmd_line ? cmd_line : line;
    }
    return j;
}

/* The file's name without directory and extension: "gc" for .github/workflows/gc.yml. */
static const char *stem(const struct cidoc *c)
{
    const char *dot = strrchr(c->t->base, '.');

    return ra_jobs_strndup(c->ctx, c->t->base,
                           dot && dot != c->t->base ? (size_t)(dot - c->t->base)
                                                    : strlen(c->t->base));
}

/* ---- GitHub Actions ---- */

static void github(const struct cidoc *c, yaml_node_t *root)
{
    yaml_node_t *on = get(c, root, "on"), *sched = get(c, on, "schedule"), *jobs, *e;
    struct ra_buf crons = RA_BUF_INIT, cmd = RA_BUF_INIT;
    yaml_node_pair_t *p;
    unsigned line = 0, cmd_line = 0;
    const char *cron;
    struct ra_job *j;
    size_t i, k;

    for (i = 0; (e = item(c, sched, i)); i++) {
        if (!(cron = str(c, e, "cron")))
            continue;
        ra_buf_printf(&crons, "%s%s", crons.len ? "; " : "", cron);
        if (!line)
            line = ra_yamldoc_line(get(c, e, "cron"));
    }
    if (!crons.len)
        goto done;
    jobs = get(c, root, "jobs");
    for (p = jobs && jobs->type == YAML_MAPPING_NODE ? jobs->data.mapping.pairs.start
                                                     : NULL;
         p && p < jobs->data.mapping.pairs.top; p++) {
        yaml_node_t *steps = get(c, yaml_document_get_node(c->doc, p->value), "steps");
        for (k = 0; (e = item(c, steps, k)); k++) {
            yaml_node_t *run = get(c, e, "run");
            if (!ra_yamldoc_scalar(run))
                continue;
            if (!cmd_line)
                cmd_line = ra_yamldoc_content_line(run);
            lines_of(&cmd, c, run);
        }
    }
    j = add(c, RA_JOBDEF_GITHUB, str(c, root, "name") ? str(c, root, "name") : stem(c),
            line, &cmd, cmd_line);
    j->schedule = ra_jobs_strdup(c->ctx, crons.ptr);
    j->syntax = RA_SCHED_CRON;
    /* no zone of its own: GitHub runs schedules in UTC (schedule.c) */
done:
    ra_buf_release(&crons);
    ra_buf_release(&cmd);
}

/* ---- GitLab CI ---- */

/* Does a rules: list run the job in scheduled pipelines? */
static int gitlab_rules_schedule(const struct cidoc *c, const yaml_node_t *rules)
{
    const yaml_node_t *r;
    const char *cond, *when;
    size_t i;

    for (i = 0; (r = item(c, rules, i)); i++) {
        cond = str(c, r, "if");
        when = str(c, r, "when");
        if (cond && strstr(cond, "CI_PIPELINE_SOURCE") && strstr(cond, "schedule") &&
            !strstr(cond, "!=") && !strstr(cond, "!~") &&
            !(when && !strcmp(when, "never")))
            return 1;
    }
    return 0;
}

static int gitlab_scheduled(const struct cidoc *c, const yaml_node_t *job)
{
    const yaml_node_t *only = get(c, job, "only");

    if (gitlab_rules_schedule(c, get(c, job, "rules")))
        return 1;
    return holds(c, only, "schedules") || holds(c, get(c, only, "refs"), "schedules");
}

static void gitlab(const struct cidoc *c, yaml_node_t *root)
{
    static const char *const reserved[] = {
        "stages",   "variables", "default",       "include",      "workflow", "image",
        "services", "cache",     "before_script", "after_script", NULL};
    struct ra_buf cmd = RA_BUF_INIT;
    yaml_node_pair_t *p;
    size_t i;

    for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *name = ra_yamldoc_scalar(k);
        struct ra_job *j;
        if (!name || name[0] == '.' || !get(c, v, "script"))
            continue;
        for (i = 0; reserved[i] && strcmp(reserved[i], name); i++)
            ;
        if (reserved[i] || !gitlab_scheduled(c, v))
            continue;
        ra_buf_truncate(&cmd, 0);
        lines_of(&cmd, c, get(c, v, "before_script"));
        lines_of(&cmd, c, get(c, v, "script"));
        j = add(c, RA_JOBDEF_GITLAB, name, ra_yamldoc_line(k), &cmd,
                ra_yamldoc_line(get(c, v, "script")));
        j->syntax = RA_SCHED_EXTERNAL;
        j->warning = "runs in the pipelines GitLab schedules (CI/CD > Schedules): the "
                     "times are set in GitLab, not in the repository";
    }
    ra_buf_release(&cmd);
}

/* ---- Woodpecker ---- */

/* A when: (a mapping or a list of them) with event cron: the cron name filter (or ""),
 * or NULL when it does not run on the cron event. */
static const char *woodpecker_cron(const struct cidoc *c, const yaml_node_t *when)
{
    const yaml_node_t *w;
    const char *name;
    size_t i;

    if (when && when->type == YAML_MAPPING_NODE) {
        if (get(c, when, "event") ? !holds(c, get(c, when, "event"), "cron")
                                  : !get(c, when, "cron"))
            return NULL; /* "cron:" alone means the cron event */
        name = str(c, when, "cron");
        if (!name && get(c, when, "cron") && item(c, get(c, when, "cron"), 0))
            name = ra_yamldoc_scalar(item(c, get(c, when, "cron"), 0));
        return name ? name : "";
    }
    for (i = 0; (w = item(c, when, i)); i++)
        if (w->type == YAML_MAPPING_NODE && (name = woodpecker_cron(c, w)))
            return name;
    return NULL;
}

static void woodpecker(const struct cidoc *c, yaml_node_t *root)
{
    yaml_node_t *steps = get(c, root, "steps"), *s, *v;
    const char *all = woodpecker_cron(c, get(c, root, "when")), *one, *name = NULL;
    struct ra_buf cmd = RA_BUF_INIT, why = RA_BUF_INIT;
    unsigned line = 0, cmd_line = 0;
    struct ra_job *j;
    size_t i, n;

    if (!steps)
        steps = get(c, root, "pipeline"); /* before Woodpecker 1.0 */
    n = !steps ? 0
        : steps->type == YAML_MAPPING_NODE
            ? (size_t)(steps->data.mapping.pairs.top - steps->data.mapping.pairs.start)
        : steps->type == YAML_SEQUENCE_NODE
            ? (size_t)(steps->data.sequence.items.top - steps->data.sequence.items.start)
            : 0;
    for (i = 0; i < n; i++) {
        s = steps->type == YAML_MAPPING_NODE
                ? yaml_document_get_node(c->doc, steps->data.mapping.pairs.start[i].value)
                : item(c, steps, i);
        one = all ? all : woodpecker_cron(c, get(c, s, "when"));
        if (!one || !(v = get(c, s, "commands")))
            continue;
        if (!name || !*name)
            name = one;
        if (!line)
            line = ra_yamldoc_line(all ? get(c, root, "when") : get(c, s, "when"));
        if (!cmd_line)
            cmd_line = ra_yamldoc_line(v);
        lines_of(&cmd, c, v);
    }
    if (line) {
        j = add(c, RA_JOBDEF_WOODPECKER, name && *name ? name : stem(c), line, &cmd,
                cmd_line);
        j->syntax = RA_SCHED_EXTERNAL;
        ra_buf_printf(&why,
                      "runs on Woodpecker's cron event%s%s%s: the times are set in "
                      "the repository's Woodpecker settings, not in the repository",
                      name && *name ? " (cron '" : "", name && *name ? name : "",
                      name && *name ? "')" : "");
        j->warning = ra_jobs_strdup(c->ctx, why.ptr);
    }
    ra_buf_release(&cmd);
    ra_buf_release(&why);
}

/* ---- CloudFormation: EventBridge ---- */

static void cfn_resource(const struct cidoc *c, const char *logical, yaml_node_t *r)
{
    const char *type = str(c, r, "Type"), *state;
    yaml_node_t *props = get(c, r, "Properties"), *se, *targets, *tg;
    struct ra_buf cmd = RA_BUF_INIT;
    unsigned cmd_line = 0;
    struct ra_job *j;
    size_t i;

    if (!type ||
        (strcmp(type, "AWS::Events::Rule") && strcmp(type, "AWS::Scheduler::Schedule")))
        return;
    if (!ra_yamldoc_scalar(se = get(c, props, "ScheduleExpression")))
        return;
    targets = get(c, props, "Targets");
    for (i = 0; (tg = item(c, targets, i)); i++)
        ra_jobs_command_in(&cmd, str(c, tg, "Input"));
    ra_jobs_command_in(&cmd, str(c, get(c, props, "Target"), "Input"));
    if (cmd.len)
        cmd_line = ra_yamldoc_line(props);
    j = add(c, RA_JOBDEF_EVENTBRIDGE,
            str(c, props, "Name") ? str(c, props, "Name") : logical, ra_yamldoc_line(se),
            &cmd, cmd_line);
    j->schedule = ra_jobs_strdup(c->ctx, ra_yamldoc_scalar(se));
    ra_jobs_aws_syntax(j);
    if (str(c, props, "ScheduleExpressionTimezone")) /* else UTC (schedule.c) */
        j->timezone = ra_jobs_strdup(c->ctx, str(c, props, "ScheduleExpressionTimezone"));
    state = str(c, props, "State");
    j->disabled = state && !strcmp(state, "DISABLED");
    ra_buf_release(&cmd);
}

static void cloudformation(const struct cidoc *c, yaml_node_t *resources)
{
    yaml_node_pair_t *p;

    for (p = resources->data.mapping.pairs.start; p < resources->data.mapping.pairs.top;
         p++)
        cfn_resource(c, ra_yamldoc_scalar(yaml_document_get_node(c->doc, p->key)),
                     yaml_document_get_node(c->doc, p->value));
}

static int in_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return !strncmp(path, dir, n) || (strstr(path, dir) && strstr(path, dir)[-1] == '/');
}

void ra_jobs_yaml_document(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                           struct yaml_document_s *doc, struct yaml_node_s *root)
{
    struct cidoc c = {ctx, t, doc};
    yaml_node_t *res;

    if (!root || root->type != YAML_MAPPING_NODE)
        return;
    if (in_dir(t->path, ".github/workflows/"))
        github(&c, root);
    else if (!strcmp(t->base, ".gitlab-ci.yml") || !strcmp(t->base, ".gitlab-ci.yaml") ||
             in_dir(t->path, ".gitlab/ci/"))
        gitlab(&c, root);
    else if (!strncmp(t->base, ".woodpecker.", 12) || in_dir(t->path, ".woodpecker/"))
        woodpecker(&c, root);
    if ((res = get(&c, root, "Resources")) && res->type == YAML_MAPPING_NODE)
        cloudformation(&c, res);
}
