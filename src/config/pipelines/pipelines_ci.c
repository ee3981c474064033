/* SPDX-License-Identifier: MIT */
/* One YAML document of a CI file: Woodpecker workflows (steps as a list or a mapping, the
 * old "pipeline:" key), Drone pipelines and GitHub workflows: their triggers, the images
 * they run and the pushes of their build plugins and actions; and what the CI systems
 * share (lists of strings, commands). GitLab is in pipelines_gitlab.c, shell commands in
 * pipelines_shell.c. */
#include "config/pipelines/pipelines_internal.h"
#include "config/text/imageref.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

static yaml_node_t *get(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                        const char *key)
{
    return ra_yamldoc_get(ctx->doc, n, key, 0);
}

/* Plugin settings: "dry-run", "dry_run" and "DRY_RUN" are one. */
static yaml_node_t *lget(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                         const char *key)
{
    return ra_yamldoc_get(ctx->doc, n, key, RA_YAMLDOC_LOOSE);
}

static const char *str(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                       const char *key)
{
    return ra_yamldoc_scalar(get(ctx, n, key));
}

int ra_pipelines_visit(struct ra_pipelines_ctx *ctx)
{
    if (++ctx->visits <= RA_YAMLDOC_MAX_VISITS)
        return 1;
    if (!ctx->capped)
        ra_pipelines_add_problem(
            ctx, ra_yamldoc_line(ctx->root), RA_ELIMIT,
            "'%s:%u': more than %d YAML nodes (aliases): the rest of "
            "the document is not read",
            ctx->path, ra_yamldoc_line(ctx->root), RA_YAMLDOC_MAX_VISITS);
    ctx->capped = 1;
    return 0;
}

/* ---- lists of strings ---- */

/* Split one scalar at any of seps (none when NULL), trimmed, empty pieces dropped; each
 * piece with its line (a block scalar's lines count). */
static size_t split_scalar(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                           const char *seps, struct ra_pipelines_item *out, size_t have,
                           size_t max)
{
    const char *s = ra_yamldoc_scalar(n), *p, *end, *e;
    unsigned line;

    if (!s)
        return have;
    line = ra_yamldoc_content_line(n);
    while (*s && have < max) {
        end = s + (seps ? strcspn(s, seps) : strlen(s));
        for (p = s; p < end && isspace((unsigned char)*p); p++)
            line += *p == '\n';
        for (e = end; e > p && isspace((unsigned char)e[-1]); e--)
            ;
        if (e > p) {
            out[have].s = ra_pipelines_strndup(ctx, p, (size_t)(e - p));
            out[have++].line = line;
        }
        for (; p < end; p++)
            line += *p == '\n';
        if (!*end)
            break;
        line += *end == '\n';
        s = end + 1;
    }
    return have;
}

/* The strings of a scalar (split at seps), of a list of scalars, or of an
 * include:/exclude: mapping's include list. *excluded is set for an exclude-only
 * mapping. */
size_t ra_pipelines_items(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                          const char *seps, struct ra_pipelines_item *out, size_t max,
                          int *excluded)
{
    yaml_node_item_t *it;
    size_t have = 0;

    if (excluded)
        *excluded = 0;
    if (n && n->type == YAML_MAPPING_NODE) {
        if (excluded && !get(ctx, n, "include") && get(ctx, n, "exclude"))
            *excluded = 1;
        n = get(ctx, n, "include");
    }
    if (!n)
        return 0;
    if (n->type == YAML_SCALAR_NODE)
        return split_scalar(ctx, n, seps, out, 0, max);
    if (n->type != YAML_SEQUENCE_NODE)
        return 0;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
        have = split_scalar(ctx, yaml_document_get_node(ctx->doc, *it), seps, out, have,
                            max);
    return have;
}

/* The strings joined with sep, or NULL when there are none. */
static const char *joined(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                          const char *seps, const char *sep)
{
    struct ra_pipelines_item it[RA_PIPELINES_MAX_ITEMS];
    struct ra_buf b = RA_BUF_INIT;
    size_t i, k = ra_pipelines_items(ctx, n, seps, it, RA_PIPELINES_MAX_ITEMS, NULL);
    const char *s = NULL;

    for (i = 0; i < k; i++)
        ra_buf_printf(&b, "%s%s", i ? sep : "", it[i].s);
    if (k)
        s = ra_pipelines_strdup(ctx, ra_buf_cstr(&b));
    ra_buf_release(&b);
    return s;
}

/* Platforms as given ("linux/amd64,linux/arm64"), variables substituted, or NULL. */
static const char *platforms_of(struct ra_pipelines_ctx *ctx, const yaml_node_t *n)
{
    const char *s = joined(ctx, n, ",\n", ",");
    struct ra_buf b = RA_BUF_INIT;

    if (s) {
        ra_pipelines_expand(ctx, &b, s);
        s = ra_pipelines_strdup(ctx, ra_buf_cstr(&b));
    }
    ra_buf_release(&b);
    return s;
}

/* ---- events ---- */

static const struct {
    const char *name;
    enum ra_trigger_kind kind;
} event_kinds[] = {
    {"push", RA_TRIGGER_PUSH},
    {"pull_request", RA_TRIGGER_PULL_REQUEST},
    {"pull_request_target", RA_TRIGGER_PULL_REQUEST},
    {"pull_request_closed", RA_TRIGGER_PULL_REQUEST},
    {"pull_request_metadata", RA_TRIGGER_PULL_REQUEST},
    {"tag", RA_TRIGGER_TAG},
    {"release", RA_TRIGGER_TAG},
    {"cron", RA_TRIGGER_CRON},
    {"schedule", RA_TRIGGER_CRON},
    {"manual", RA_TRIGGER_MANUAL},
    {"custom", RA_TRIGGER_MANUAL},
    {"workflow_dispatch", RA_TRIGGER_MANUAL},
    {"repository_dispatch", RA_TRIGGER_MANUAL},
    {"deployment", RA_TRIGGER_DEPLOYMENT},
    {"deployment_status", RA_TRIGGER_DEPLOYMENT},
    {"deploy", RA_TRIGGER_DEPLOYMENT},
    {"promote", RA_TRIGGER_DEPLOYMENT},
    {"rollback", RA_TRIGGER_DEPLOYMENT},
};

static enum ra_trigger_kind event_kind(const char *name)
{
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(event_kinds); i++) {
        if (!strcasecmp(name, event_kinds[i].name))
            return event_kinds[i].kind;
    }
    return RA_TRIGGER_OTHER;
}

/* A Woodpecker when: condition or a Drone trigger: (event, branch, cron, ref, path,
 * evaluate; each a string, a list or an include:/exclude: mapping). */
static void condition(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                      const yaml_node_t *c)
{
    struct ra_pipelines_item ev[RA_PIPELINES_MAX_ITEMS], crons[RA_PIPELINES_MAX_ITEMS];
    struct ra_buf cond = RA_BUF_INIT;
    struct ra_pipeline_trigger *t;
    const char *branch, *s;
    size_t nev, ncron, i, k;
    int excluded;

    if (!c || c->type != YAML_MAPPING_NODE)
        return;
    nev = ra_pipelines_items(ctx, get(ctx, c, "event"), ",", ev, RA_PIPELINES_MAX_ITEMS,
                             &excluded);
    ncron = ra_pipelines_items(ctx, get(ctx, c, "cron"), ",", crons,
                               RA_PIPELINES_MAX_ITEMS, NULL);
    branch = joined(ctx, get(ctx, c, "branch"), ",", ", ");
    if (!branch)
        branch = joined(ctx, get(ctx, c, "branches"), ",", ", ");
    if ((s = joined(ctx, get(ctx, c, "ref"), ",", ", ")))
        ra_buf_printf(&cond, "ref: %s", s);
    if ((s = joined(ctx, get(ctx, c, "path"), ",", ", ")))
        ra_buf_printf(&cond, "%spath: %s", cond.len ? "; " : "", s);
    if ((s = str(ctx, c, "evaluate")))
        ra_buf_printf(&cond, "%s%s", cond.len ? "; " : "", s);
    if (!nev && ncron) { /* cron: alone means the cron event */
        ev[0].s = "cron";
        ev[0].line = crons[0].line;
        nev = 1;
    }
    if (!nev)
        pl->unfiltered = 1; /* every event (or every event but the excluded ones) */
    for (i = 0; i < nev; i++) {
        enum ra_trigger_kind kind = event_kind(ev[i].s);
        for (k = 0; k < (kind == RA_TRIGGER_CRON && ncron ? ncron : 1); k++) {
            t = ra_pipelines_add_trigger(ctx, pl, kind, ev[i].s, ev[i].line);
            t->branch = branch;
            t->cron_name = kind == RA_TRIGGER_CRON && ncron ? crons[k].s : NULL;
            t->condition = cond.len ? ra_pipelines_strdup(ctx, ra_buf_cstr(&cond)) : NULL;
        }
    }
    ra_buf_release(&cond);
}

/* Woodpecker when: a condition or a list of them (any one may start the workflow). */
static void when(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                 const yaml_node_t *w)
{
    yaml_node_item_t *it;

    if (!w) {
        pl->unfiltered = 1;
    } else if (w->type == YAML_SEQUENCE_NODE) {
        for (it = w->data.sequence.items.start; it < w->data.sequence.items.top; it++)
            condition(ctx, pl, yaml_document_get_node(ctx->doc, *it));
    } else {
        condition(ctx, pl, w);
    }
}

/* ---- commands ---- */

/* Shell text in a string, a list (nested lists too, GitLab flattens them), a GitLab
 * !reference [.job, script], or a list item YAML read as a mapping ("- echo a: b"). */
void ra_pipelines_commands(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                           const char *step, const yaml_node_t *n, int depth)
{
    struct ra_buf b = RA_BUF_INIT;
    yaml_node_item_t *it;
    const yaml_node_t *ref;
    const char *k, *v;
    size_t i;

    if (!n || depth > RA_YAMLDOC_MAX_DEPTH || !ra_pipelines_visit(ctx))
        return;
    if (n->type == YAML_SCALAR_NODE) {
        ra_pipelines_shell(ctx, pl, step, ra_yamldoc_scalar(n),
                           ra_yamldoc_content_line(n));
    } else if (n->type == YAML_SEQUENCE_NODE && n->tag &&
               !strcmp((const char *)n->tag, "!reference")) {
        for (i = 0, ref = ctx->root;
             ref && (k = ra_yamldoc_scalar(ra_yamldoc_item(ctx->doc, n, i))); i++)
            ref = get(ctx, ref, k);
        if (ref && ref != n)
            ra_pipelines_commands(ctx, pl, step, ref, depth + 1);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            ra_pipelines_commands(ctx, pl, step, yaml_document_get_node(ctx->doc, *it),
                                  depth + 1);
    } else if (n->type == YAML_MAPPING_NODE &&
               n->data.mapping.pairs.top - n->data.mapping.pairs.start == 1) {
        k = ra_yamldoc_scalar(
            yaml_document_get_node(ctx->doc, n->data.mapping.pairs.start->key));
        v = ra_yamldoc_scalar(
            yaml_document_get_node(ctx->doc, n->data.mapping.pairs.start->value));
        if (k && v) {
            ra_buf_printf(&b, "%s: %s", k, v);
            ra_pipelines_shell(ctx, pl, step, ra_buf_cstr(&b), ra_yamldoc_line(n));
        }
    }
    ra_buf_release(&b);
}

/* ---- build plugins (Woodpecker, Drone) ---- */

/* Does the image name a plugin that builds and pushes images? */
static int build_plugin(const char *image)
{
    static const char *const words[] = {"docker", "kaniko", "buildx", "buildah",
                                        "podman", "ecr",    "gcr",    "acr"};
    char name[256];
    size_t i;

    snprintf(name, sizeof(name), "%s", image);
    for (i = 0; name[i]; i++)
        name[i] = (char)tolower((unsigned char)name[i]);
    if (strchr(name, ':') && strchr(name, ':') > strrchr(name, '/'))
        *strrchr(name, ':') = '\0';
    for (i = 0; i < RA_ARRAY_SIZE(words); i++) {
        if (strstr(name, words[i]))
            return 1;
    }
    return 0;
}

/* The registry setting as a host: "https://r.example/v1/" -> "r.example"; NULL for
 * Docker Hub (the plugins' default) and nothing. */
static const char *registry_host(struct ra_pipelines_ctx *ctx, const char *s)
{
    const char *p = s, *end;

    if (!s)
        return NULL;
    if (strstr(p, "://"))
        p = strstr(p, "://") + 3;
    end = p + strcspn(p, "/");
    if (end == p || (end - p == 9 && !strncasecmp(p, "docker.io", 9)) ||
        (end - p == 15 && !strncasecmp(p, "index.docker.io", 15)))
        return NULL;
    return ra_pipelines_strndup(ctx, p, (size_t)(end - p));
}

/* settings of a docker, buildx or kaniko plugin (or the step itself, the spelling
 * before settings:): every repo times every tag. */
static void plugin_pushes(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                          const char *step, const char *image, const yaml_node_t *set)
{
    struct ra_pipelines_item repos[RA_PIPELINES_MAX_ITEMS], tags[RA_PIPELINES_MAX_ITEMS];
    struct ra_pipeline_image *img;
    struct ra_buf b = RA_BUF_INIT;
    const yaml_node_t *repo = lget(ctx, set, "repo"), *tn;
    const char *registry, *platforms, *note = NULL;
    size_t nrepo, ntag, i, k;

    if (!repo)
        repo = lget(ctx, set, "repository");
    tn = lget(ctx, set, "tags");
    if (!tn)
        tn = lget(ctx, set, "tag");
    if (!repo || (!build_plugin(image) && !tn && !lget(ctx, set, "dockerfile")))
        return;
    if (ra_yamldoc_truthy(ra_yamldoc_scalar(lget(ctx, set, "dry_run"))) ||
        ra_yamldoc_truthy(ra_yamldoc_scalar(lget(ctx, set, "no_push"))) ||
        ra_yamldoc_truthy(ra_yamldoc_scalar(lget(ctx, set, "skip_push"))))
        return; /* builds, pushes nothing */
    registry = registry_host(ctx, ra_yamldoc_scalar(lget(ctx, set, "registry")));
    platforms = platforms_of(ctx, lget(ctx, set, "platforms"));
    if (!platforms)
        platforms = platforms_of(ctx, lget(ctx, set, "platform"));
    nrepo = ra_pipelines_items(ctx, repo, ",", repos, RA_PIPELINES_MAX_ITEMS, NULL);
    ntag = ra_pipelines_items(ctx, tn, ",\n", tags, RA_PIPELINES_MAX_ITEMS, NULL);
    if (!ntag && (ra_yamldoc_truthy(ra_yamldoc_scalar(lget(ctx, set, "auto_tag"))) ||
                  lget(ctx, set, "tags_file")))
        note = "tags decided at run time (auto_tag, tags_file)";
    for (i = 0; i < nrepo; i++) {
        for (k = 0; k < (ntag ? ntag : 1); k++) {
            ra_buf_truncate(&b, 0);
            if (registry && !ra_imageref_has_host(repos[i].s))
                ra_buf_printf(&b, "%s/", registry);
            ra_buf_puts(&b, repos[i].s);
            if (ntag)
                ra_buf_printf(&b, ":%s", tags[k].s);
            img = ra_pipelines_add_push(ctx, pl, ra_buf_cstr(&b), step, "plugin",
                                        ntag ? tags[k].line : repos[i].line);
            if (img) {
                img->platforms = platforms;
                img->note = note;
            }
        }
    }
    ra_buf_release(&b);
}

/* A Woodpecker or Drone step (or service: how says). */
static void step(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl, const char *name,
                 const yaml_node_t *s, const char *how)
{
    const yaml_node_t *in = get(ctx, s, "image"), *set = get(ctx, s, "settings");
    const char *image = ra_yamldoc_scalar(in);
    size_t mark = ctx->vars.len;

    if (!s || s->type != YAML_MAPPING_NODE || !ra_pipelines_visit(ctx))
        return; /* (get() gave NULL for anything but a mapping) */
    ra_pipelines_vars_map(ctx, get(ctx, s, "environment"));
    if (image)
        ra_pipelines_add_use(ctx, pl, image, name, how, ra_yamldoc_line(in));
    if (set && set->type == YAML_MAPPING_NODE)
        plugin_pushes(ctx, pl, name, image ? image : "", set);
    else if (image && build_plugin(image))
        plugin_pushes(ctx, pl, name, image, s);
    ra_pipelines_commands(ctx, pl, name, get(ctx, s, "commands"), 0);
    ra_pipelines_vars_pop(ctx, mark);
}

/* steps as a list of mappings with name:, or as a mapping from names to steps. */
static void steps(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                  const yaml_node_t *n, const char *how)
{
    char unnamed[32];
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    const yaml_node_t *s;
    const char *name;

    if (!n)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            s = yaml_document_get_node(ctx->doc, *it);
            name = str(ctx, s, "name");
            if (!name) {
                snprintf(unnamed, sizeof(unnamed), "step %zu",
                         (size_t)(it - n->data.sequence.items.start) + 1);
                name = unnamed;
            }
            step(ctx, pl, name, s, how);
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            name = ra_yamldoc_scalar(yaml_document_get_node(ctx->doc, p->key));
            if (name && strcmp(name, "<<"))
                step(ctx, pl, name, yaml_document_get_node(ctx->doc, p->value), how);
        }
    }
}

/* ---- Woodpecker ---- */

void ra_pipelines_woodpecker(struct ra_pipelines_ctx *ctx)
{
    const yaml_node_t *root = ctx->root, *st = get(ctx, root, "steps");
    struct ra_pipeline *pl;
    const char *platform;

    if (!st)
        st = get(ctx, root, "pipeline"); /* before Woodpecker 1.0 */
    if (!st && !get(ctx, root, "services"))
        return;
    pl = ra_pipelines_add(ctx, RA_CI_WOODPECKER, ctx->base, ra_yamldoc_line(root));
    platform = str(ctx, get(ctx, root, "labels"), "platform");
    if (!platform)
        platform = str(ctx, root, "platform");
    pl->platform = platform ? ra_pipelines_strdup(ctx, platform) : NULL;
    when(ctx, pl, get(ctx, root, "when"));
    steps(ctx, pl, get(ctx, root, "clone"), "image");
    steps(ctx, pl, st, "image");
    steps(ctx, pl, get(ctx, root, "services"), "service");
}

/* ---- Drone ---- */

void ra_pipelines_drone(struct ra_pipelines_ctx *ctx)
{
    const yaml_node_t *root = ctx->root, *st = get(ctx, root, "steps"), *pf;
    const char *kind = str(ctx, root, "kind"), *name, *os, *arch;
    struct ra_buf b = RA_BUF_INIT;
    struct ra_pipeline *pl;

    if (!st)
        st = get(ctx, root, "pipeline"); /* Drone 0.8 */
    if ((kind && strcmp(kind, "pipeline")) || (!kind && !st))
        return; /* secret, signature, template documents */
    name = str(ctx, root, "name");
    pl = ra_pipelines_add(ctx, RA_CI_DRONE, name ? name : "default",
                          ra_yamldoc_line(root));
    pf = get(ctx, root, "platform");
    os = str(ctx, pf, "os");
    arch = str(ctx, pf, "arch");
    if (os || arch) {
        ra_buf_printf(&b, "%s%s%s", os ? os : "", os && arch ? "/" : "",
                      arch ? arch : "");
        pl->platform = ra_pipelines_strdup(ctx, ra_buf_cstr(&b));
    }
    if (get(ctx, root, "trigger"))
        condition(ctx, pl, get(ctx, root, "trigger"));
    else
        pl->unfiltered = 1;
    ra_pipelines_vars_map(ctx, get(ctx, root, "environment"));
    steps(ctx, pl, get(ctx, root, "clone"), "image");
    steps(ctx, pl, st, "image");
    steps(ctx, pl, get(ctx, root, "services"), "service");
    ra_buf_release(&b);
}

/* ---- GitHub Actions ---- */

static void gh_push_event(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                          const char *event, const yaml_node_t *k, const yaml_node_t *v)
{
    const char *branches = joined(ctx, get(ctx, v, "branches"), NULL, ", ");
    const char *tags = joined(ctx, get(ctx, v, "tags"), NULL, ", ");
    const char *paths = joined(ctx, get(ctx, v, "paths"), NULL, ", ");
    enum ra_trigger_kind kind = event_kind(event);
    struct ra_pipeline_trigger *t;
    struct ra_buf b = RA_BUF_INIT;

    if (paths)
        ra_buf_printf(&b, "paths: %s", paths);
    if (kind != RA_TRIGGER_PUSH || branches || !tags) { /* tags: alone: tags only */
        t = ra_pipelines_add_trigger(ctx, pl, kind, event, ra_yamldoc_line(k));
        t->branch = branches;
        t->condition = b.len ? ra_pipelines_strdup(ctx, ra_buf_cstr(&b)) : NULL;
    }
    if (kind == RA_TRIGGER_PUSH && tags) {
        t = ra_pipelines_add_trigger(ctx, pl, RA_TRIGGER_TAG, event, ra_yamldoc_line(k));
        t->branch = tags;
        t->condition = b.len ? ra_pipelines_strdup(ctx, ra_buf_cstr(&b)) : NULL;
    }
    ra_buf_release(&b);
}

/* on: an event, a list of events, or a mapping from events to their filters. */
static void gh_on(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                  const yaml_node_t *on)
{
    struct ra_pipelines_item ev[RA_PIPELINES_MAX_ITEMS];
    struct ra_pipeline_trigger *t;
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    const yaml_node_t *k, *v, *c;
    const char *name;
    size_t i, n;

    if (!on) {
        pl->unfiltered = 1;
        return;
    }
    if (on->type != YAML_MAPPING_NODE) {
        n = ra_pipelines_items(ctx, on, ",", ev, RA_PIPELINES_MAX_ITEMS, NULL);
        for (i = 0; i < n; i++)
            ra_pipelines_add_trigger(ctx, pl, event_kind(ev[i].s), ev[i].s, ev[i].line);
        return;
    }
    for (p = on->data.mapping.pairs.start; p < on->data.mapping.pairs.top; p++) {
        k = yaml_document_get_node(ctx->doc, p->key);
        v = yaml_document_get_node(ctx->doc, p->value);
        if (!(name = ra_yamldoc_scalar(k)))
            continue;
        if (strcmp(name, "schedule")) {
            gh_push_event(ctx, pl, name, k, v);
            continue;
        }
        for (it = v && v->type == YAML_SEQUENCE_NODE ? v->data.sequence.items.start
                                                     : NULL;
             it && it < v->data.sequence.items.top; it++) {
            c = get(ctx, yaml_document_get_node(ctx->doc, *it), "cron");
            if (!ra_yamldoc_scalar(c))
                continue;
            t = ra_pipelines_add_trigger(ctx, pl, RA_TRIGGER_CRON, name,
                                         ra_yamldoc_line(c));
            t->cron = ra_pipelines_strdup(ctx, ra_yamldoc_scalar(c));
        }
    }
}

/* docker/build-push-action (and redhat-actions/push-to-registry): with.push (a boolean,
 * or an expression decided at run time), with.tags (a list, or one per line or comma). */
static void gh_build_push(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                          const char *label, const char *uses, const yaml_node_t *with)
{
    int redhat = !strncmp(uses, "redhat-actions/push-to-registry", 31);
    const char *push = str(ctx, with, "push"), *outputs = str(ctx, with, "outputs");
    const char *platforms, *note = NULL, *image = str(ctx, with, "image"), *reg;
    struct ra_pipelines_item tags[RA_PIPELINES_MAX_ITEMS];
    struct ra_pipeline_image *img;
    struct ra_buf b = RA_BUF_INIT;
    size_t n, i;

    if (!redhat && !ra_yamldoc_truthy(push) && !(push && strstr(push, "${{")) &&
        !(outputs && (strstr(outputs, "type=registry") || strstr(outputs, "push=true"))))
        return;
    if (push && strstr(push, "${{")) {
        ra_buf_printf(&b, "push: %s", push);
        note = ra_pipelines_strdup(ctx, ra_buf_cstr(&b));
    }
    platforms = platforms_of(ctx, get(ctx, with, "platforms"));
    reg = str(ctx, with, "registry");
    n = ra_pipelines_items(ctx, get(ctx, with, "tags"), redhat ? " \n" : ",\n", tags,
                           RA_PIPELINES_MAX_ITEMS, NULL);
    if (redhat && !n && image) { /* its tags default to latest */
        tags[0].s = "latest";
        tags[0].line = ra_yamldoc_line(get(ctx, with, "image"));
        n = 1;
    }
    for (i = 0; i < n; i++) {
        ra_buf_truncate(&b, 0);
        if (redhat && image)
            ra_buf_printf(&b, "%s%s%s:%s", reg ? reg : "", reg ? "/" : "", image,
                          tags[i].s);
        else
            ra_buf_puts(&b, tags[i].s);
        img = ra_pipelines_add_push(ctx, pl, ra_buf_cstr(&b), label,
                                    redhat ? "push-to-registry" : "build-push-action",
                                    tags[i].line);
        if (img) {
            img->platforms = platforms;
            img->note = note;
        }
    }
    ra_buf_release(&b);
}

static void gh_step(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl, const char *job,
                    const yaml_node_t *s, size_t index)
{
    const yaml_node_t *un = get(ctx, s, "uses");
    const char *uses = ra_yamldoc_scalar(un), *name = str(ctx, s, "name");
    struct ra_buf label = RA_BUF_INIT;
    size_t mark = ctx->vars.len;

    if (!name)
        name = str(ctx, s, "id");
    if (name)
        ra_buf_printf(&label, "%s/%s", job, name);
    else
        ra_buf_printf(&label, "%s/step %zu", job, index + 1);
    ra_pipelines_vars_map(ctx, get(ctx, s, "env"));
    if (uses && !strncmp(uses, "docker://", 9))
        ra_pipelines_add_use(ctx, pl, uses, ra_buf_cstr(&label), "uses",
                             ra_yamldoc_line(un));
    else if (uses && (!strncmp(uses, "docker/build-push-action", 24) ||
                      !strncmp(uses, "redhat-actions/push-to-registry", 31)))
        gh_build_push(ctx, pl, ra_buf_cstr(&label), uses, get(ctx, s, "with"));
    ra_pipelines_commands(ctx, pl, ra_buf_cstr(&label), get(ctx, s, "run"), 0);
    ra_pipelines_vars_pop(ctx, mark);
    ra_buf_release(&label);
}

/* container: and services: take an image string or a mapping with image:. */
static void gh_image(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                     const char *label, const yaml_node_t *n, const char *how)
{
    if (n && n->type == YAML_MAPPING_NODE)
        n = get(ctx, n, "image");
    if (ra_yamldoc_scalar(n))
        ra_pipelines_add_use(ctx, pl, ra_yamldoc_scalar(n), label, how,
                             ra_yamldoc_line(n));
}

static void gh_job(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl, const char *id,
                   const yaml_node_t *job)
{
    struct ra_buf label = RA_BUF_INIT;
    const yaml_node_t *svc = get(ctx, job, "services"), *st = get(ctx, job, "steps");
    size_t mark = ctx->vars.len, i;
    yaml_node_pair_t *p;
    const char *name;

    if (!job || job->type != YAML_MAPPING_NODE || !ra_pipelines_visit(ctx))
        return;
    ra_pipelines_vars_map(ctx, get(ctx, job, "env"));
    gh_image(ctx, pl, id, get(ctx, job, "container"), "container");
    for (p = svc && svc->type == YAML_MAPPING_NODE ? svc->data.mapping.pairs.start : NULL;
         p && p < svc->data.mapping.pairs.top; p++) {
        if (!(name = ra_yamldoc_scalar(yaml_document_get_node(ctx->doc, p->key))))
            continue;
        ra_buf_truncate(&label, 0);
        ra_buf_printf(&label, "%s/%s", id, name);
        gh_image(ctx, pl, ra_buf_cstr(&label), yaml_document_get_node(ctx->doc, p->value),
                 "service");
    }
    for (i = 0; ra_yamldoc_item(ctx->doc, st, i); i++)
        gh_step(ctx, pl, id, ra_yamldoc_item(ctx->doc, st, i), i);
    ra_pipelines_vars_pop(ctx, mark);
    ra_buf_release(&label);
}

void ra_pipelines_github(struct ra_pipelines_ctx *ctx)
{
    const yaml_node_t *root = ctx->root, *jobs = get(ctx, root, "jobs"), *on;
    struct ra_pipeline *pl;
    yaml_node_pair_t *p;
    const char *id;

    if (!jobs && !get(ctx, root, "on"))
        return;
    pl = ra_pipelines_add(ctx, RA_CI_GITHUB, str(ctx, root, "name"),
                          ra_yamldoc_line(root));
    on = get(ctx, root, "on");
    if (!on)
        on = get(ctx, root, "true"); /* "on" read as YAML 1.1's true and written back */
    gh_on(ctx, pl, on);
    ra_pipelines_vars_map(ctx, get(ctx, root, "env"));
    for (p = jobs && jobs->type == YAML_MAPPING_NODE ? jobs->data.mapping.pairs.start
                                                     : NULL;
         p && p < jobs->data.mapping.pairs.top; p++) {
        if ((id = ra_yamldoc_scalar(yaml_document_get_node(ctx->doc, p->key))))
            gh_job(ctx, pl, id, yaml_document_get_node(ctx->doc, p->value));
    }
}
