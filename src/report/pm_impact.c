/* SPDX-License-Identifier: MIT */
/* The post-mortem model: impact. */
#include "report/pm_internal.h"

#include "util/text.h"
#include <string.h>

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "report/json.h"

static void platforms_text(struct ra_buf *out, const struct ra_tag_result *t)
{
    size_t i;
    int any = 0;

    ra_buf_truncate(out, 0);
    for (i = 0; i < t->nplatforms; i++) {
        if (t->platforms[i].pullable)
            continue;
        ra_buf_printf(out, "%s%s", any ? ", " : "", t->platforms[i].platform);
        any = 1;
    }
    if (!any)
        ra_buf_puts(out, t->resolves ? "all" : "(tag does not resolve)");
}

/* Why a client fails, in words: the first thing it cannot fetch. */
static const char *reason_words(enum ra_finding_code c)
{
    switch (c) {
    case RA_F_TAG_TARGET_MISSING:
        return "the manifest the tag names is gone";
    case RA_F_MANIFEST_LINK_MISSING:
        return "the manifest's revision link is gone";
    case RA_F_MANIFEST_BLOB_MISSING:
        return "the manifest's data is gone";
    case RA_F_INDEX_CHILD_MISSING:
        return "the tag's index resolves, but its platforms' manifests are gone";
    case RA_F_BLOB_MISSING:
        return "a config or layer blob is gone";
    case RA_F_LAYER_LINK_MISSING:
        return "a config or layer is not linked in the repository";
    case RA_F_DIGEST_MISMATCH:
    case RA_F_SIZE_MISMATCH:
        return "a blob's content does not match its digest or size";
    case RA_F_MANIFEST_UNPARSEABLE:
        return "a manifest cannot be parsed";
    default:
        return ra_finding_code_name(c);
    }
}

static json_t *broken_tag_json(struct ra_pm_model *m, const struct ra_registry_result *r,
                               const struct ra_tag_result *t)
{
    json_t *plats = json_array();
    size_t i;

    for (i = 0; i < t->nplatforms; i++) {
        const struct ra_platform_result *p = &t->platforms[i];
        json_array_append_new(
            plats, json_pack("{s:o,s:o,s:b,s:o}", "platform", ra_json_str(p->platform),
                             "digest", ra_json_digest_or_null(&p->digest), "pullable",
                             p->pullable, "reason",
                             p->pullable ? json_null()
                                         : json_string(ra_finding_code_name(p->reason))));
    }
    platforms_text(&m->tmp, t);
    return json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "root",
        ra_json_str(ra_pm_root_name(r->graph->root)), "repository",
        ra_json_str(t->repository), "tag", ra_json_str(t->tag), "digest",
        t->resolves ? ra_json_digest_or_null(&t->digest) : json_null(), "digest_short",
        t->resolves ? ra_json_digest_short(&t->digest) : json_null(), "media_type",
        ra_json_str(t->media_type), "reason", ra_finding_code_name(t->reason),
        "platforms", plats, "platforms_text", ra_json_str(m->tmp.ptr));
}

/* As broken_tag_json, with the reason in words beside its code. */
static json_t *broken_tag(struct ra_pm_model *m, const struct ra_registry_result *r,
                          const struct ra_tag_result *t)
{
    json_t *o = broken_tag_json(m, r, t);
    size_t i, fail = 0;

    for (i = 0; i < t->nplatforms; i++)
        fail += !t->platforms[i].pullable;
    json_object_set_new(o, "reason_words", json_string(reason_words(t->reason)));
    json_object_set_new(o, "all_platforms",
                        json_boolean(t->nplatforms > 0 && fail == t->nplatforms));
    return o;
}

static json_t *broken_tags(struct ra_pm_model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->ntags; j++)
            if (!r->tags[j].pullable)
                json_array_append_new(a, broken_tag(m, r, &r->tags[j]));
    }
    return a;
}

static json_t *users_json(struct ra_pm_model *m)
{
    json_t *a = json_array();
    struct ra_buf ref = RA_BUF_INIT;
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->ntags; j++) {
            if (r->tags[j].pullable)
                continue;
            ra_buf_truncate(&ref, 0);
            ra_buf_printf(&ref, "%s:%s", r->tags[j].repository, r->tags[j].tag);
            ra_pm_pipeline_rows(a, m->inv->schedule, ref.ptr, 0);
        }
    }
    ra_buf_release(&ref);
    return a;
}

static json_t *last_failure_json(struct ra_pm_model *m)
{
    const struct ra_pm_event *e = &m->pm->last_failure;

    ra_buf_truncate(&m->tmp, 0);
    if (e->event && e->event->kind == RA_LOG_PIPELINE)
        ra_pm_pipeline_text(&m->tmp, e);
    else if (e->event)
        ra_buf_printf(&m->tmp, "%s %s answered %d", e->event->method, e->event->uri,
                      e->event->status);
    return ra_pm_log_event(e, m->tmp.ptr);
}

/* From the first moment a tag was unpullable (or the earliest bound) to its repair, or
 * to the newest snapshot while it lasts. */
static json_t *duration_json(const struct ra_postmortem *pm)
{
    json_t *o;

    if (pm->state == RA_PM_NO_INCIDENT || pm->start == RA_TIME_NONE)
        return json_null();
    o = json_pack("{s:o,s:s,s:o,s:s,s:b}", "start", ra_json_time(pm->start), "start_kind",
                  pm->start_exact    ? "exact"
                  : pm->start_firing ? "suspect"
                                     : "earliest bound",
                  "end", ra_json_time(pm->end), "end_kind",
                  pm->state == RA_PM_REPAIRED ? "repaired" : "ongoing", "ongoing",
                  pm->state == RA_PM_ONGOING);
    json_object_set_new(o, "span", ra_pm_span(pm->start, pm->end));
    /* latent until the first failure, then the outage users saw */
    json_object_set_new(o, "outage_from", ra_json_time(pm->outage_from));
    json_object_set_new(o, "latent",
                        ra_postmortem_latent(pm) < 0
                            ? json_null()
                            : ra_pm_span(pm->start, pm->outage_from));
    json_object_set_new(o, "outage",
                        ra_postmortem_outage(pm) < 0
                            ? json_null()
                            : ra_pm_span(pm->outage_from, pm->end));
    json_object_set_new(o, "end_is_log",
                        json_boolean(pm->state == RA_PM_ONGOING &&
                                     pm->last_failure.event &&
                                     pm->last_failure.event->time == pm->end));
    json_object_set_new(o, "start_job",
                        pm->start_firing ? ra_json_str(pm->start_firing->job_name)
                                         : json_null());
    return o;
}

/* The failed runs by number and event ("#313 (cron), #314 (cron)"), where they failed
 * ("lint, deploy": the workflows of the failed steps, or the steps of a flat list), and
 * the lost objects requests for which were answered 404 ("sha256:73af0327d640"). */
static void failures_json(json_t *o, struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    struct ra_buf runs = RA_BUF_INIT, steps = RA_BUF_INIT, step = RA_BUF_INIT;
    json_t *a = json_array();
    char hex[RA_DIGEST_STRLEN];
    size_t i, k;

    for (i = 0; i < pm->failed_pipelines; i++) {
        const struct ra_pm_event *e = &pm->failed_runs[i];
        const struct ra_log_pipeline *p = e->event->pipeline;
        ra_buf_puts(&runs, i ? ", " : "");
        ra_pm_run_text(&runs, p);
        for (k = 0; k < p->nsteps; k++) {
            if (!strcmp(p->steps[k].state, "success") ||
                !strcmp(p->steps[k].state, "skipped"))
                continue;
            ra_buf_truncate(&step, 0); /* the workflow, else the step itself */
            ra_buf_puts(&step, p->steps[k].workflow[0] ? p->steps[k].workflow
                                                       : p->steps[k].name);
            if (!steps.len || !ra_pm_listed(steps.ptr, step.ptr))
                ra_buf_printf(&steps, "%s%s", steps.len ? ", " : "", step.ptr);
        }
        ra_pm_pipeline_text(&m->tmp, e);
        json_array_append_new(a, ra_pm_log_event(e, m->tmp.ptr));
    }
    json_object_set_new(o, "failed_runs", a);
    json_object_set_new(o, "failed_runs_text", ra_json_str(runs.len ? runs.ptr : NULL));
    json_object_set_new(o, "failed_in_text", ra_json_str(steps.len ? steps.ptr : NULL));
    if (steps.len && strrchr(steps.ptr, ',')) { /* "lint, deploy" -> "lint and deploy" */
        char *last = strrchr(steps.ptr, ',');
        ra_buf_truncate(&step, 0);
        ra_buf_printf(&step, "%.*s and%s", (int)(last - steps.ptr), steps.ptr, last + 1);
        ra_buf_truncate(&steps, 0);
        ra_buf_puts(&steps, step.ptr);
    }
    json_object_set_new(o, "failed_in_words", ra_json_str(steps.len ? steps.ptr : NULL));
    ra_buf_truncate(&runs, 0);
    for (i = 0; i < pm->nfailed_objects; i++)
        ra_buf_printf(&runs, "%s%s", i ? ", " : "",
                      ra_digest_short(hex, &pm->failed_objects[i]->digest));
    json_object_set_new(o, "failed_objects",
                        json_integer((json_int_t)pm->nfailed_objects));
    json_object_set_new(
        o, "failed_objects_word",
        json_string(ra_text_plural(pm->nfailed_objects, "object", "objects")));
    json_object_set_new(o, "failed_objects_text",
                        ra_json_str(runs.len ? runs.ptr : NULL));
    ra_buf_release(&runs);
    ra_buf_release(&steps);
    ra_buf_release(&step);
}

/* The requests answered 404 by client: address, user agent, how many, when, and how
 * many fell while a failed pipeline run was running (the evidence says no more about
 * who the client was). */
static json_t *clients_json(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *a = json_array();
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    size_t i;

    for (i = 0; i < pm->nclients; i++) {
        const struct ra_pm_client *c = &pm->clients[i];
        json_t *o;
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "%.*s", (int)c->addr_len, c->addr);
        o = json_pack("{s:o,s:o,s:I,s:I,s:o,s:o}", "addr",
                      ra_json_str(c->addr_len ? m->tmp.ptr : NULL), "agent",
                      ra_json_str(c->agent[0] ? c->agent : NULL), "requests",
                      (json_int_t)c->requests, "in_runs", (json_int_t)c->in_runs, "first",
                      ra_json_time(c->first), "last", ra_json_time(c->last));
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "%.*s (%s): %zu %s", (int)c->addr_len,
                      c->addr_len ? c->addr : "no address logged",
                      c->agent[0] ? c->agent : "no user agent logged", c->requests,
                      ra_text_plural(c->requests, "request", "requests"));
        if (c->first != RA_TIME_NONE && c->first != c->last)
            ra_buf_printf(&m->tmp, " from %s to %s", ra_time_format(t1, c->first),
                          ra_time_format(t2, c->last));
        else if (c->first != RA_TIME_NONE)
            ra_buf_printf(&m->tmp, " at %s", ra_time_format(t1, c->first));
        if (pm->failed_pipelines && c->in_runs == c->requests)
            ra_buf_puts(&m->tmp, c->requests > 1
                                     ? ", all while a failed pipeline run was running"
                                     : ", while a failed pipeline run was running");
        else if (pm->failed_pipelines && !c->in_runs)
            ra_buf_puts(&m->tmp, c->requests > 1
                                     ? ", none while a failed pipeline run was running"
                                     : ", while no failed pipeline run was running");
        else if (pm->failed_pipelines)
            ra_buf_printf(&m->tmp,
                          ", %zu of them while a failed pipeline run was running",
                          c->in_runs);
        ra_buf_putc(&m->tmp, i + 1 < pm->nclients ? ';' : '.');
        json_object_set_new(o, "text", json_string(m->tmp.ptr));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *ra_pm_impact(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *broken = broken_tags(m), *users = users_json(m), *o;
    size_t n = json_array_size(broken);

    ra_pm_pipeline_text(&m->tmp, &pm->first_failed_pipeline);
    o = json_pack("{s:I,s:b,s:o,s:o}", "broken_count", (json_int_t)n, "has_broken", n > 0,
                  "first_404",
                  ra_pm_log_event(&pm->first_404,
                                  pm->first_404.event ? pm->first_404.event->uri : NULL),
                  "first_failed_pipeline",
                  ra_pm_log_event(&pm->first_failed_pipeline, m->tmp.ptr));
    json_object_set_new(o, "last_failure", last_failure_json(m));
    json_object_set_new(o, "duration", duration_json(pm));
    json_object_set_new(o, "failed_pipelines",
                        json_integer((json_int_t)pm->failed_pipelines));
    json_object_set_new(o, "failed_pulls", json_integer((json_int_t)pm->failed_pulls));
    json_object_set_new(o, "failed_pipelines_word",
                        json_string(ra_text_plural(pm->failed_pipelines, "run", "runs")));
    json_object_set_new(
        o, "failed_pulls_word",
        json_string(ra_text_plural(pm->failed_pulls, "request", "requests")));
    json_object_set_new(o, "broken_word", json_string(ra_text_plural(n, "tag", "tags")));
    json_object_set_new(o, "has_failures",
                        json_boolean(pm->failed_pipelines || pm->failed_pulls));
    failures_json(o, m);
    json_object_set_new(o, "clients", clients_json(m));
    json_object_set_new(o, "has_clients", json_boolean(pm->nclients > 0));
    json_object_set_new(o, "newest_before_repair",
                        json_boolean(pm->state == RA_PM_REPAIRED && !pm->repaired_in));
    ra_pm_capped(o, "broken", json_incref(broken), m->opts->table_cap);
    json_object_set_new(o, "broken_all", broken);
    json_object_set_new(o, "has_users", json_boolean(json_array_size(users) > 0));
    json_object_set_new(o, "users", users);
    return o;
}
