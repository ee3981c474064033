/* SPDX-License-Identifier: MIT */
/* The post-mortem's model. */
#include "report/report_model.h"

#include <stdlib.h>

#include "report/json.h"
#include "report/mermaid.h"
#include "report/md.h"
#include "report/pm_story.h"

#include "analysis/focus.h"
#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "config/jobs.h"
#include "config/schedule.h"
#include "ingest/layout.h"
#include "ingest/source.h"
#include "model/graph.h"
#include "util/buf.h"
#include "util/shell.h"
#include "util/text.h"

struct model {
    const struct ra_investigation *inv;
    const struct ra_report_opts *opts;
    const struct ra_scan *newest;
    struct ra_buf tmp;
};

static const char *root_name(const char *root)
{
    return root[0] ? root : ".";
}

/* Cap a list for rendering: the first cap items, and how many were left out. */
static void capped(json_t *parent, const char *key, json_t *all, size_t cap)
{
    size_t n = json_array_size(all), i;
    json_t *rows = json_array();
    char omitted[64];

    for (i = 0; i < n && i < cap; i++)
        json_array_append(rows, json_array_get(all, i));
    json_object_set_new(parent, key, rows);
    snprintf(omitted, sizeof(omitted), "%s_omitted", key);
    json_object_set_new(parent, omitted, json_integer((json_int_t)(n > cap ? n - cap : 0)));
    snprintf(omitted, sizeof(omitted), "%s_more", key); /* Mustache: 0 is truthy */
    json_object_set_new(parent, omitted, json_boolean(n > cap));
    json_decref(all);
}

/* A command or path as a code span (for a table cell), or null. */
static json_t *command_code(struct ra_buf *tmp, const char *command)
{
    struct ra_buf utf8 = RA_BUF_INIT;
    json_t *j;

    if (!command)
        return json_null();
    ra_buf_truncate(tmp, 0);
    ra_md_code_cell(tmp, ra_text_safe(&utf8, command, RA_TEXT_UTF8));
    j = ra_json_str(tmp->ptr);
    ra_buf_release(&utf8);
    return j;
}

/* ---- inputs ---- */

static json_t *config_json(const struct ra_schedule *s)
{
    char head[13];

    if (!s)
        return json_null();
    memcpy(head, s->head, 12);
    head[12] = '\0';
    return json_pack("{s:o,s:s,s:s,s:b,s:I,s:I}", "repo", ra_json_str(s->path), "commit", head,
                     "commit_full", s->head, "shallow", s->shallow, "commits",
                     (json_int_t)s->commits.len, "jobs", (json_int_t)s->jobs.len);
}

static json_t *inputs_json(struct model *m)
{
    const struct ra_investigation *inv = m->inv;
    json_t *snaps = json_array(), *logs = json_array();
    size_t i;

    for (i = 0; i < inv->nscans; i++) {
        const struct ra_snapshot *s = inv->scans[i]->snap;
        const char *why = NULL;
        int trusted = ra_snapshot_mtimes_trusted(s, &why);
        json_array_append_new(
            snaps, json_pack("{s:o,s:o,s:o,s:s,s:b,s:I,s:I,s:b,s:o}", "name", ra_json_str(s->name),
                             "source", ra_json_str(s->source), "taken_at", ra_json_time(s->taken_at),
                             "taken_at_source", ra_taken_source_name(s->taken_source),
                             "complete", s->complete, "entries", (json_int_t)s->entries,
                             "registries", (json_int_t)inv->scans[i]->nregs,
                             "mtimes_trusted", trusted, "mtimes_note", ra_json_str(why)));
    }
    for (i = 0; i < inv->nlogs; i++) {
        const struct ra_log *l = inv->logs[i];
        json_array_append_new(logs, json_pack("{s:o,s:s,s:I,s:I}", "path", ra_json_str(l->path),
                                              "format", ra_log_format_name(l->format), "lines",
                                              (json_int_t)l->lines, "events",
                                              (json_int_t)l->events.len));
    }
    return json_pack("{s:o,s:o,s:b,s:b,s:o}", "snapshots", snaps, "logs", logs, "has_logs",
                     inv->nlogs > 0, "has_config", inv->schedule != NULL, "config",
                     config_json(inv->schedule));
}

/* ---- impact ---- */

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

static json_t *broken_tag_json(struct model *m, const struct ra_registry_result *r,
                               const struct ra_tag_result *t)
{
    json_t *plats = json_array();
    size_t i;

    for (i = 0; i < t->nplatforms; i++) {
        const struct ra_platform_result *p = &t->platforms[i];
        json_array_append_new(plats, json_pack("{s:o,s:o,s:b,s:o}", "platform",
                                               ra_json_str(p->platform), "digest", ra_json_digest_or_null(&p->digest),
                                               "pullable", p->pullable, "reason",
                                               p->pullable ? json_null()
                                                           : json_string(ra_code_name(p->reason))));
    }
    platforms_text(&m->tmp, t);
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "root",
                     ra_json_str(root_name(r->graph->root)), "repository", ra_json_str(t->repository), "tag",
                     ra_json_str(t->tag), "digest", t->resolves ? ra_json_digest_or_null(&t->digest) : json_null(),
                     "digest_short", t->resolves ? ra_json_digest_short(&t->digest) : json_null(),
                     "media_type", ra_json_str(t->media_type), "reason", ra_code_name(t->reason),
                     "platforms", plats, "platforms_text", ra_json_str(m->tmp.ptr));
}

static json_t *broken_tags(struct model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->ntags; j++)
            if (!r->tags[j].pullable)
                json_array_append_new(a, broken_tag_json(m, r, &r->tags[j]));
    }
    return a;
}

static const struct ra_log_event *first_failed_pipeline(const struct ra_investigation *inv,
                                                        ra_time from, const char **path)
{
    const struct ra_log_event *best = NULL;
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    for (i = 0; i < inv->nlogs; i++) {
        v.len = 0;
        if (ra_log_failed_pipelines(&v, inv->logs[i], from, RA_TIME_NONE) &&
            (!best || ((struct ra_log_event *)v.items[0])->time < best->time)) {
            best = v.items[0];
            *path = inv->logs[i]->path;
        }
    }
    ra_vec_release(&v);
    return best;
}

/* The earliest start of any loss window. */
static ra_time first_loss(const struct ra_investigation *inv, ra_time *to)
{
    ra_time from = RA_TIME_NONE;
    size_t i;

    *to = RA_TIME_NONE;
    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->from.time != RA_TIME_NONE && (from == RA_TIME_NONE || l->from.time < from))
            from = l->from.time;
        if (l->to.time != RA_TIME_NONE && (*to == RA_TIME_NONE || l->to.time < *to))
            *to = l->to.time;
    }
    return from;
}

static json_t *log_event_json(const struct ra_log_event *e, const char *path, const char *msg)
{
    struct ra_buf ev = RA_BUF_INIT;
    json_t *o;

    ra_buf_printf(&ev, "%s:%llu", path, (unsigned long long)e->line);
    o = json_pack("{s:o,s:o,s:o}", "time", ra_json_time(e->time), "evidence", ra_json_str(ev.ptr), "message",
                  ra_json_str(msg));
    ra_buf_release(&ev);
    return o;
}

/* The last failure the logs tell of: the latest 404 for a lost digest and the latest
 * failed pipeline after the loss began. */
static json_t *last_failure_json(const struct ra_investigation *inv, ra_time from)
{
    const struct ra_log_event *best = NULL;
    const char *path = NULL;
    struct ra_vec v = RA_VEC_INIT;
    struct ra_map lost = RA_MAP_INIT;
    struct ra_buf msg = RA_BUF_INIT;
    size_t i, k;
    json_t *o;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->object != RA_OBJ_TAG)
            ra_map_put(&lost, l->digest.b, sizeof(l->digest.b), (void *)l);
    }
    for (k = 0; k < inv->nlogs; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            int hit = (e->kind == RA_LOG_HTTP_REQUEST && e->status == 404 && e->has_digest &&
                       ra_map_get(&lost, e->digest.b, sizeof(e->digest.b))) ||
                      (ra_log_pipeline_failed(e) && (from == RA_TIME_NONE || e->time >= from));
            if (hit && e->time != RA_TIME_NONE && (!best || e->time >= best->time)) {
                best = e;
                path = log->path;
            }
        }
    }
    if (best && best->kind == RA_LOG_PIPELINE)
        ra_buf_printf(&msg, "pipeline #%lld %s (%s)", (long long)best->pipeline->number,
                      best->pipeline->status, best->pipeline->event);
    else if (best)
        ra_buf_printf(&msg, "%s %s answered %d", best->method, best->uri, best->status);
    o = best ? log_event_json(best, path, msg.ptr) : json_null();
    ra_map_release(&lost);
    ra_vec_release(&v);
    ra_buf_release(&msg);
    return o;
}

static json_t *first_404_json(const struct ra_investigation *inv)
{
    const struct ra_log_event *best = NULL;
    const char *path = NULL;
    size_t i, k;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        for (k = 0; k < inv->nlogs && l->object != RA_OBJ_TAG; k++) {
            const struct ra_log_event *e = ra_log_first_status(inv->logs[k], &l->digest, NULL,
                                                               404);
            if (e && e->time != RA_TIME_NONE && (!best || e->time < best->time)) {
                best = e;
                path = inv->logs[k]->path;
            }
        }
    }
    return best ? log_event_json(best, path, best->uri) : json_null();
}

/* Who runs and who builds an image, from the config repo's CI pipelines. */
static void pipeline_rows(json_t *out, const struct ra_schedule *s, const char *ref, int pushers)
{
    struct ra_vec v = RA_VEC_INIT;
    struct ra_buf where = RA_BUF_INIT, who = RA_BUF_INIT;
    size_t i;

    if (!s || !s->pipelines)
        return;
    if (pushers)
        ra_pipelines_pushers(&v, s->pipelines, ref);
    else
        ra_pipelines_users(&v, s->pipelines, ref);
    for (i = 0; i < v.len; i++) {
        const struct ra_pipeline_image *im = v.items[i];
        ra_buf_truncate(&where, 0);
        ra_buf_truncate(&who, 0);
        ra_buf_printf(&where, "%s:%u @ %.12s", im->path, im->line, s->head);
        ra_buf_printf(&who, "pipeline %s, step %s", im->pipeline->name, im->step ? im->step : "?");
        if (im->pipeline->platform)
            ra_buf_printf(&who, " (runs on %s)", im->pipeline->platform);
        json_array_append_new(out, json_pack("{s:o,s:o,s:o,s:o,s:o}", "image", ra_json_str(ref), "user",
                                             ra_json_str(who.ptr), "pipeline", ra_json_str(im->pipeline->name),
                                             "file", ra_json_str(im->pipeline->path), "defined_in",
                                             ra_json_str(where.ptr)));
    }
    ra_vec_release(&v);
    ra_buf_release(&where);
    ra_buf_release(&who);
}

static json_t *users_json(struct model *m)
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
            pipeline_rows(a, m->inv->schedule, ref.ptr, 0);
        }
    }
    ra_buf_release(&ref);
    return a;
}

static json_t *impact_json(struct model *m)
{
    const char *path = NULL;
    ra_time to, from = first_loss(m->inv, &to);
    const struct ra_log_event *fp = first_failed_pipeline(m->inv, from, &path);
    json_t *broken = broken_tags(m), *o;
    size_t n = json_array_size(broken);

    ra_buf_truncate(&m->tmp, 0);
    if (fp)
        ra_buf_printf(&m->tmp, "pipeline #%lld %s (%s)", (long long)fp->pipeline->number,
                      fp->pipeline->status, fp->pipeline->event);
    o = json_pack("{s:I,s:b,s:o,s:o,s:o}", "broken_count", (json_int_t)n, "has_broken", n > 0,
                  "first_404", first_404_json(m->inv), "first_failed_pipeline",
                  fp ? log_event_json(fp, path, m->tmp.ptr) : json_null(), "last_failure",
                  last_failure_json(m->inv, from));
    capped(o, "broken", json_incref(broken), m->opts->table_cap);
    json_object_set_new(o, "broken_all", broken);
    {
        json_t *users = users_json(m);
        json_object_set_new(o, "has_users", json_boolean(json_array_size(users) > 0));
        json_object_set_new(o, "users", users);
    }
    return o;
}

/* ---- detection ---- */

static json_t *detection_json(struct model *m, json_t *impact)
{
    const struct ra_losses *ls = m->inv->losses;
    const struct ra_loss *first = NULL;
    const struct ra_scan *shows = NULL;
    size_t i, first_missing = SIZE_MAX;

    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (l->to.time != RA_TIME_NONE && (!first || l->to.time < first->to.time))
            first = l;
        if (l->first_missing < first_missing)
            first_missing = l->first_missing;
    }
    if (first_missing != SIZE_MAX)
        shows = ls->scans[first_missing];
    if (!first && !shows)
        return json_null();
    return json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:O,s:O}", "first_snapshot",
        shows ? ra_json_str(shows->snap->name) : json_null(), "first_snapshot_taken_at",
        shows ? ra_json_time(shows->snap->taken_at) : json_null(), "earliest_missing",
        first ? ra_json_time(first->to.time) : json_null(), "earliest_missing_kind",
        first ? json_string(ra_bound_kind_name(first->to.kind)) : json_null(),
        "earliest_missing_evidence", first ? ra_json_str(first->to.evidence) : json_null(),
        "first_404", json_object_get(impact, "first_404"), "first_failed_pipeline",
        json_object_get(impact, "first_failed_pipeline"));
}

/* ---- root cause ---- */

struct agg {
    const struct ra_firing *firing;
    enum ra_confidence best;
    const char *reason;
    size_t losses;
};

static int cmp_agg(const void *a, const void *b)
{
    const struct agg *x = a, *y = b;

    if (x->best != y->best)
        return x->best < y->best ? -1 : 1;
    if (x->losses != y->losses)
        return x->losses > y->losses ? -1 : 1;
    if (x->firing->time != y->firing->time) /* unknown times (unlogged DELETEs) last */
        return y->firing->time == RA_TIME_NONE ||
                       (x->firing->time != RA_TIME_NONE && x->firing->time < y->firing->time)
                   ? -1
                   : 1;
    return strcmp(x->firing->job_id, y->firing->job_id);
}

static const char *class_name(unsigned classes);

static const char *firing_kind(const struct ra_firing *f)
{
    return f->api_delete ? "api-delete" : class_name(f->classes);
}

static const char *class_name(unsigned classes)
{
    return ra_job_class_name(classes & RA_JOB_GARBAGE_COLLECT ? RA_JOB_GARBAGE_COLLECT
                             : classes & RA_JOB_TAG_PRUNE     ? RA_JOB_TAG_PRUNE
                             : classes & RA_JOB_BACKUP        ? RA_JOB_BACKUP
                             : classes & RA_JOB_PROBE         ? RA_JOB_PROBE
                                                              : RA_JOB_OTHER);
}

/* Suspects across losses, one per firing, best first. */
static json_t *suspects_json(struct model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    struct agg *aggs = NULL;
    size_t n = 0, i, j, k;
    json_t *a = json_array();

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        for (j = 0; j < cause->suspects.len; j++) {
            const struct ra_suspect *s = cause->suspects.items[j];
            for (k = 0; k < n && aggs[k].firing != s->firing; k++)
                ;
            if (k == n) {
                aggs = ra_xrealloc(aggs, (n + 1) * sizeof(*aggs));
                aggs[n].firing = s->firing;
                aggs[n].best = s->confidence;
                aggs[n].reason = s->reason;
                aggs[n].losses = 0;
                n++;
            }
            aggs[k].losses++;
            if (s->confidence < aggs[k].best) {
                aggs[k].best = s->confidence;
                aggs[k].reason = s->reason;
            }
        }
    }
    if (n)
        qsort(aggs, n, sizeof(*aggs), cmp_agg);
    for (i = 0; i < n; i++) {
        const struct ra_firing *f = aggs[i].firing;
        json_array_append_new(
            a, json_pack("{s:I,s:o,s:o,s:s,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:o}", "rank",
                         (json_int_t)(i + 1), "job", ra_json_str(f->job_id), "name", ra_json_str(f->job_name),
                         "kind", firing_kind(f), "defined_in", ra_json_str(f->defined_in),
                         "commit", ra_json_str(f->commit), "fired_at", ra_json_time(f->time), "confidence",
                         ra_confidence_name(aggs[i].best), "reason", ra_json_str(aggs[i].reason),
                         "losses", (json_int_t)aggs[i].losses, "delete_untagged",
                         f->delete_untagged, "request",
                         f->request ? ra_json_log_request(f->request_log, f->request)
                                    : json_null()));
    }
    free(aggs);
    return a;
}

static const char *const fp_titles[RA_FP__COUNT] = {
    "Distribution 2.x garbage-collect with --delete-untagged removed the untagged "
    "children of a tagged index",
    "a simulated garbage-collect of the previous snapshot deletes exactly these objects",
    "a tag folder was removed (a script's rm -rf, or a DELETE through the registry API)",
    "a pruned tag's manifest and blobs were garbage-collected afterwards",
    "blobs of a manifest pushed minutes before a garbage-collect run went missing",
    "objects went missing in a pattern no garbage collector produces",
    "a garbage-collect log lists the lost objects",
    "a DELETE through the registry API removed them (a logged request, or the trace it "
    "leaves: a tag's folder and its manifest's revision link gone together)",
};

/* A fingerprint's title; the index-children pattern where no run with -m could make
 * it (every such loss has m_abort) does not name that run as its maker. */
static const char *fp_title(const struct ra_correlation *c, enum ra_fingerprint fp)
{
    if (fp == RA_FP_GC_V2_INDEX_CHILDREN && ra_correlation_v2_children(c) == 2)
        return "the pattern of Distribution 2.x garbage-collect with --delete-untagged "
               "on the untagged children of a tagged index, where that run aborts and "
               "could not have made it";
    return fp_titles[fp];
}

static json_t *fingerprints_json(struct model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    size_t counts[RA_FP__COUNT] = {0}, i, j;
    const char *detail[RA_FP__COUNT] = {0};
    json_t *a = json_array();

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        int seen[RA_FP__COUNT] = {0};
        for (j = 0; j < cause->matches.len; j++) {
            const struct ra_match *mt = cause->matches.items[j];
            if (seen[mt->fp]++)
                continue;
            counts[mt->fp]++;
            if (!detail[mt->fp])
                detail[mt->fp] = mt->detail;
        }
    }
    for (i = 0; i < RA_FP__COUNT; i++)
        if (counts[i])
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:I,s:o}", "name", ra_fingerprint_name((enum ra_fingerprint)i),
                             "title", fp_title(c, (enum ra_fingerprint)i), "losses",
                             (json_int_t)counts[i], "example", ra_json_str(detail[i])));
    return a;
}

/* Is a DELETE through the registry API among the suspects? */
static int api_delete_suspects(json_t *sus)
{
    size_t i;
    json_t *v;

    json_array_foreach(sus, i, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "kind")), "api-delete"))
            return 1;
    }
    return 0;
}

static json_t *root_cause_json(struct model *m)
{
    json_t *sus = suspects_json(m), *fps = fingerprints_json(m), *o;
    size_t ns = json_array_size(sus);

    o = json_pack("{s:b,s:b,s:o,s:o}", "has_suspects", ns > 0, "has_fingerprints",
                  json_array_size(fps) > 0, "fingerprints", fps, "top",
                  ns ? json_incref(json_array_get(sus, 0)) : json_null());
    json_object_set_new(o, "has_api_deletes", json_boolean(api_delete_suspects(sus)));
    capped(o, "suspects", json_incref(sus), 10);
    json_object_set_new(o, "suspects_all", sus);
    return o;
}

/* ---- losses ---- */

static json_t *bound_json(const struct ra_bound *b)
{
    return json_pack("{s:o,s:s,s:o}", "time", ra_json_time(b->time), "kind", ra_bound_kind_name(b->kind),
                     "evidence", ra_json_str(b->evidence));
}

static json_t *losses_json(struct model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        const struct ra_loss *l = cause->loss;
        json_t *tags = json_array(), *fps = json_array(), *o;
        for (j = 0; j < l->tags.len; j++)
            json_array_append_new(tags, ra_json_str(l->tags.items[j]));
        for (j = 0; j < cause->matches.len; j++) {
            const struct ra_match *mt = cause->matches.items[j];
            json_array_append_new(fps, json_pack("{s:s,s:o}", "name", ra_fingerprint_name(mt->fp),
                                                 "detail", ra_json_str(mt->detail)));
        }
        o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "object",
                      ra_object_kind_name(l->object), "root", ra_json_str(root_name(l->root)),
                      "repository", l->repository[0] ? ra_json_str(l->repository) : json_null(),
                      "digest", ra_json_digest_or_null(&l->digest), "digest_short",
                      ra_digest_is_zero(&l->digest) ? json_null() : ra_json_digest_short(&l->digest), "tag",
                      ra_json_str(l->tag_name), "breaks", tags, "from", bound_json(&l->from), "to",
                      bound_json(&l->to), "fingerprints", fps);
        json_object_set_new(o, "suspects", json_integer((json_int_t)cause->suspects.len));
        json_object_set_new(o, "to_note", ra_json_str(l->to_note));
        json_array_append_new(a, o);
    }
    return a;
}

/* ---- timeline ---- */

#define FOCUS_MARGIN (7 * 86400)

/* The incident's period: a week either side of the loss windows; without losses, the
 * snapshots' span. Events outside it (old commits, routine runs) stay in the JSON. */
static void focus(const struct ra_investigation *inv, ra_time *from, ra_time *to)
{
    size_t i;

    *from = *to = RA_TIME_NONE;
    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        ra_time a = l->from.time != RA_TIME_NONE ? l->from.time : l->to.time, b = l->to.time;
        if (a != RA_TIME_NONE && (*from == RA_TIME_NONE || a < *from))
            *from = a;
        if (b != RA_TIME_NONE && (*to == RA_TIME_NONE || b > *to))
            *to = b;
    }
    if (*from != RA_TIME_NONE) {
        *from -= FOCUS_MARGIN;
        *to += FOCUS_MARGIN;
        return;
    }
    for (i = 0; i < inv->nscans; i++) {
        ra_time t = inv->scans[i]->snap->taken_at;
        if (t == RA_TIME_NONE)
            continue;
        if (*from == RA_TIME_NONE || t < *from)
            *from = t - FOCUS_MARGIN;
        if (*to == RA_TIME_NONE || t > *to)
            *to = t;
    }
}

static int in_focus(const struct ra_event *e, ra_time from, ra_time to)
{
    ra_time end = e->until != RA_TIME_NONE ? e->until : e->time;

    return from == RA_TIME_NONE || (e->time != RA_TIME_NONE && end >= from && e->time <= to);
}

/* Is t the time of a suspect firing rated medium or high? */
static int suspect_time(const struct ra_investigation *inv, ra_time t)
{
    size_t i, j;

    for (i = 0; i < inv->corr->causes.len; i++) {
        const struct ra_cause *c = inv->corr->causes.items[i];
        for (j = 0; j < c->suspects.len; j++) {
            const struct ra_suspect *s = c->suspects.items[j];
            if (s->firing->time == t && s->confidence != RA_CONF_LOW)
                return 1;
        }
    }
    return 0;
}

/* What the diagram keeps: the story, not the routine (folded rows, runs of jobs that
 * are no suspect). */
static int diagram_worthy(const struct ra_investigation *inv, const struct ra_event *e)
{
    int folded = e->until != RA_TIME_NONE && e->count != 1;

    switch (e->kind) {
    case RA_EV_SNAPSHOT:
    case RA_EV_LOSS:
    case RA_EV_COMMIT:
        return 1;
    case RA_EV_TAG_PUSHED: /* only pushes that concern the lost objects */
        return ra_focus_push_related(e, inv->losses, NULL);
    case RA_EV_LOG:
        return !folded;
    case RA_EV_FIRING:
        return !folded && suspect_time(inv, e->time);
    default:
        return 0;
    }
}

/* For tables: a storage path from its registry root on, 64-hex digests cut to 12. */
static void shorten(struct ra_buf *out, const char *s)
{
    static const char root[] = "docker/registry/v2/";
    const char *r = strstr(s, root);
    size_t run = 0;

    ra_buf_truncate(out, 0);
    if (r)
        s = r + sizeof(root) - 1;
    for (; *s; s++) {
        int hex = (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f');
        run = hex ? run + 1 : 0;
        if (run <= 12)
            ra_buf_putc(out, *s);
        else if (run == 13)
            ra_buf_puts(out, "…");
    }
}

static json_t *event_row(const struct ra_event *e, struct ra_buf *txt)
{
    struct ra_buf sh = RA_BUF_INIT;
    json_t *row;

    ra_buf_truncate(txt, 0);
    ra_text_safe(txt, e->message, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
    if (e->count > 1 && e->kind != RA_EV_FIRING) /* a job's runs say their count */
        ra_buf_printf(txt, " (x%zu)", e->count);
    row = json_pack("{s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:I}", "time", ra_json_time(e->time), "until",
                    ra_json_time(e->until), "precision", ra_event_precision(e), "kind",
                    ra_event_kind_name(e->kind), "source", ra_json_str(e->source), "event",
                    ra_json_str(txt->ptr), "evidence", e->evidence[0] ? ra_json_str(e->evidence) : json_null(),
                    "count", (json_int_t)e->count);
    shorten(&sh, txt->ptr);
    json_object_set_new(row, "event_short", ra_json_str(sh.ptr));
    shorten(&sh, e->evidence);
    json_object_set_new(row, "evidence_short", e->evidence[0] ? ra_json_str(sh.ptr) : json_null());
    ra_buf_release(&sh);
    return row;
}

#define DIAGRAM_MAX 40

static json_t *timeline_json(struct model *m)
{
    const struct ra_timeline *t = m->inv->timeline;
    json_t *all = json_array(), *rows = json_array(), *o;
    struct ra_buf mer = RA_BUF_INIT, txt = RA_BUF_INIT;
    struct ra_mermaid_event *dia;
    json_t *labels = json_array();
    ra_time from, to;
    size_t i, worthy = 0, skip, seen = 0, earlier = 0, later = 0, ndia = 0;
    struct ra_pm_fold *fold;

    focus(m->inv, &from, &to);
    fold = ra_pm_fold_new(m->inv, m->newest);
    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row = event_row(e, &txt);
        json_array_append(all, row);
        if (in_focus(e, from, to)) {
            if (!ra_pm_fold_event(fold, rows, e))
                json_array_append(rows, row);
            worthy += diagram_worthy(m->inv, e);
        } else if (e->time != RA_TIME_NONE && from != RA_TIME_NONE && e->time < from) {
            earlier++;
        } else {
            later++;
        }
        json_decref(row);
    }
    ra_pm_fold_free(fold);
    /* the diagram shows the last DIAGRAM_MAX worthy events of the period */
    skip = worthy > DIAGRAM_MAX ? worthy - DIAGRAM_MAX : 0;
    dia = ra_xcalloc(worthy ? worthy : 1, sizeof(*dia));
    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row;
        if (!in_focus(e, from, to) || !diagram_worthy(m->inv, e) || seen++ < skip)
            continue;
        row = event_row(e, &txt);
        json_array_append(labels, json_object_get(row, "event_short"));
        dia[ndia].time = e->time;
        dia[ndia].until = e->until;
        dia[ndia].text = json_string_value(json_object_get(row, "event_short"));
        ndia++;
        json_decref(row);
    }
    ra_mermaid_timeline(&mer, "What happened (UTC)", dia, ndia);
    free(dia);
    json_decref(labels);
    o = json_pack("{s:o,s:o,s:o,s:I,s:I}", "mermaid", ra_json_str(mer.ptr), "from", ra_json_time(from), "to",
                  ra_json_time(to), "earlier", (json_int_t)earlier, "later", (json_int_t)later);
    json_object_set_new(o, "has_earlier", json_boolean(earlier > 0));
    capped(o, "rows", rows, m->opts->table_cap * 2);
    json_object_set_new(o, "all", all);
    ra_buf_release(&mer);
    ra_buf_release(&txt);
    return o;
}

/* ---- recovery ---- */

/* Every value in a command goes through ra_shell_quote (util/shell.h); a value that
 * cannot be pasted as it is (not UTF-8, control bytes) or a name the registry would
 * have refused never appears in one: the step says what to do by hand instead. */

static int loss_breaks(const struct ra_loss *l, const char *repo, const char *tag)
{
    size_t i, n = strlen(repo);

    for (i = 0; i < l->tags.len; i++) {
        const char *t = l->tags.items[i];
        if (!strncmp(t, repo, n) && t[n] == ':' && !strcmp(t + n + 1, tag))
            return 1;
    }
    return 0;
}

static json_t *step(const char *kind, const char *title, const char *commands)
{
    struct ra_buf b = RA_BUF_INIT, fence = RA_BUF_INIT;
    json_t *o;

    if (commands) { /* the template closes the code block on its own line */
        ra_buf_puts(&b, commands);
        while (b.len && b.ptr[b.len - 1] == '\n')
            ra_buf_truncate(&b, b.len - 1);
        ra_md_fence(&fence, b.ptr);
    }
    o = json_pack("{s:s,s:o,s:o,s:o}", "kind", kind, "title", ra_json_str(title), "commands",
                  commands ? ra_json_str(b.ptr) : json_null(), "fence",
                  commands ? ra_json_str(fence.ptr) : json_null());
    ra_buf_release(&b);
    ra_buf_release(&fence);
    return o;
}

/* `"$ROOT"/<rel>` with rel quoted. */
static void root_path(struct ra_buf *cmd, const char *rel)
{
    ra_buf_puts(cmd, "\"$ROOT\"/");
    ra_shell_quote(cmd, rel);
}

static void relink_cmds(struct ra_buf *cmd, const struct ra_loss *l)
{
    char hex[RA_DIGEST_STRLEN];
    struct ra_buf dir = RA_BUF_INIT;

    ra_digest_format(hex, &l->digest);
    ra_buf_printf(&dir, "repositories/%s/_manifests/revisions/sha256/%s", l->repository,
                  hex + 7);
    ra_buf_puts(cmd, "mkdir -p ");
    root_path(cmd, dir.ptr);
    ra_buf_puts(cmd, "\nprintf '%s' ");
    ra_shell_quote(cmd, hex);
    ra_buf_puts(cmd, " > ");
    ra_buf_puts(&dir, "/link");
    root_path(cmd, dir.ptr);
    ra_buf_putc(cmd, '\n');
    ra_buf_release(&dir);
}

/* Where blob data l lives in the snapshot: a path for cp (directory) or the member
 * name (archive). */
static void snapshot_path(struct ra_buf *out, const struct ra_loss *l, const char *source,
                          int dir, const char *rel)
{
    if (dir)
        ra_buf_printf(out, "%s%s/", source[0] == '-' ? "./" : "", source);
    ra_buf_printf(out, "%s%s%s", l->root, l->root[0] ? "/" : "", rel);
}

static void restore_cmds(struct ra_buf *cmd, const struct ra_loss *l, const struct ra_scan *from)
{
    char hex[RA_DIGEST_STRLEN], rel[160];
    const struct ra_snapshot *s = from->snap;
    struct ra_buf path = RA_BUF_INIT, arg = RA_BUF_INIT;
    int dir = ra_source_is_dir(s->source);

    ra_digest_format(hex, &l->digest);
    snprintf(rel, sizeof(rel), "blobs/sha256/%.2s/%s/data", hex + 7, hex + 7);
    snapshot_path(&path, l, s->source, dir, rel);
    ra_buf_printf(cmd, "mkdir -p \"$ROOT\"/blobs/sha256/%.2s/%s\n", hex + 7, hex + 7);
    if (dir) {
        ra_buf_puts(cmd, "cp -p ");
        ra_shell_quote(cmd, path.ptr);
        ra_buf_putc(cmd, ' ');
    } else {
        /* the member as named, or with the "./" that `tar -C DIR .` puts in front */
        ra_buf_printf(&arg, "%s%s", s->source[0] == '-' ? "./" : "", s->source);
        ra_buf_puts(cmd, "{ tar -xOf ");
        ra_shell_quote(cmd, arg.ptr);
        ra_buf_putc(cmd, ' ');
        ra_shell_quote(cmd, path.ptr);
        ra_buf_puts(cmd, " 2>/dev/null || tar -xOf ");
        ra_shell_quote(cmd, arg.ptr);
        ra_buf_puts(cmd, " ./");
        ra_shell_quote(cmd, path.ptr);
        ra_buf_puts(cmd, "; } > ");
    }
    ra_buf_printf(cmd, "\"$ROOT\"/%s\n", rel);
    ra_buf_printf(cmd, "echo '%s  '\"$ROOT\"/%s | sha256sum -c -\n", hex + 7, rel);
    ra_buf_release(&path);
    ra_buf_release(&arg);
}

/* Can the restore of l from scan `from` be printed as a command? */
static int restore_pasteable(const struct ra_loss *l, const struct ra_scan *from)
{
    return ra_shell_pasteable(from->snap->source) && ra_shell_pasteable(l->root);
}

static void lost_item(struct ra_buf *out, size_t *n, const struct ra_loss *l, const char *why)
{
    char hex[RA_DIGEST_STRLEN];

    ra_buf_printf(out, "%s%s %s%s", (*n)++ ? ", " : "", ra_object_kind_name(l->object),
                  l->object == RA_OBJ_TAG ? l->tag_name : ra_digest_short(hex, &l->digest),
                  why);
}

static const struct ra_recycled_blob *recycled_copy(const struct ra_investigation *inv,
                                                    const struct ra_digest *d,
                                                    const struct ra_snapshot **snap);

/* A lost blob no snapshot holds but a NAS recycle bin does: the copy is its source when
 * it matches the digest (into recycled, counted in nrecycled), else the lost item says
 * why not. Returns 0 when no recycle bin holds it. */
static int recycled_source(struct ra_buf *recycled, size_t *nrecycled,
                           struct ra_buf *lost, size_t *nlost, struct model *m,
                           const struct ra_loss *l)
{
    const struct ra_snapshot *s = NULL;
    const struct ra_recycled_blob *r;
    struct ra_buf why = RA_BUF_INIT;
    char hex[RA_DIGEST_STRLEN];

    if (l->object != RA_OBJ_BLOB || !(r = recycled_copy(m->inv, &l->digest, &s)))
        return 0;
    ra_digest_short(hex, &l->digest);
    if (r->verified) {
        ra_buf_printf(recycled, "%sblob %s from %s in snapshot %s",
                      *nrecycled ? ", " : "", hex, r->path, s->name);
        (*nrecycled)++;
        return 1;
    }
    ra_buf_printf(&why, " (the copy in a NAS recycle bin, %s in snapshot %s, does not "
                        "match its digest)", r->path, s->name);
    lost_item(lost, nlost, l, why.ptr);
    ra_buf_release(&why);
    return 1;
}

struct recovery {
    struct ra_buf relink, restore, lost, manual, recycled;
    size_t nrelink, nrestore, nlost, nmanual, nrecycled;
};

static void recovery_collect(struct recovery *rc, struct model *m,
                             const struct ra_tag_result *t, const char *root)
{
    const struct ra_losses *ls = m->inv->losses;
    size_t i;

    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (strcmp(l->root, root) || !loss_breaks(l, t->repository, t->tag))
            continue;
        if (l->object == RA_OBJ_MANIFEST_LINK && l->child_blob_present) {
            if (!ra_layout_repository_valid(l->repository)) {
                lost_item(&rc->manual, &rc->nmanual, l, " (repository name outside the grammar)");
                continue;
            }
            relink_cmds(&rc->relink, l);
            rc->nrelink++;
        } else if (l->object == RA_OBJ_BLOB && l->last_present != SIZE_MAX) {
            if (!restore_pasteable(l, ls->scans[l->last_present])) {
                lost_item(&rc->manual, &rc->nmanual, l,
                          " (its snapshot path has bytes a shell cannot be given as shown)");
                continue;
            }
            restore_cmds(&rc->restore, l, ls->scans[l->last_present]);
            rc->nrestore++;
        } else if (!recycled_source(&rc->recycled, &rc->nrecycled, &rc->lost, &rc->nlost,
                                    m, l)) {
            lost_item(&rc->lost, &rc->nlost, l, "");
        }
    }
}

static void recovery_release(struct recovery *rc)
{
    ra_buf_release(&rc->relink);
    ra_buf_release(&rc->restore);
    ra_buf_release(&rc->lost);
    ra_buf_release(&rc->manual);
    ra_buf_release(&rc->recycled);
}

static void rebuild_step(json_t *steps, struct model *m, const struct ra_tag_result *t,
                         const struct recovery *rc)
{
    json_t *pushers = json_array();
    struct ra_buf ref = RA_BUF_INIT;

    ra_buf_printf(&ref, "%s:%s", t->repository, t->tag);
    pipeline_rows(pushers, m->inv->schedule, ref.ptr, 1);
    ra_buf_truncate(&m->tmp, 0);
    if (rc->nlost)
        ra_buf_printf(&m->tmp, "No snapshot holds %s: rebuild %s and push it again",
                      rc->lost.ptr, ref.ptr);
    else
        ra_buf_printf(&m->tmp, "Or rebuild %s and push it again (new digests; "
                               "whoever pins the old index digest keeps failing)",
                      ref.ptr);
    if (json_array_size(pushers)) {
        json_t *p0 = json_array_get(pushers, 0);
        ra_buf_printf(&m->tmp, " with pipeline %s (%s)",
                      json_string_value(json_object_get(p0, "pipeline")),
                      json_string_value(json_object_get(p0, "defined_in")));
    } else {
        ra_buf_puts(&m->tmp, " with the pipeline that builds it");
    }
    json_array_append_new(steps, step("rebuild", m->tmp.ptr, NULL));
    json_decref(pushers);
    ra_buf_release(&ref);
}

static void verify_step(json_t *steps, struct model *m, const struct ra_tag_result *t)
{
    struct ra_buf ref = RA_BUF_INIT;

    ra_buf_printf(&ref, "docker://REGISTRY/%s:%s", t->repository, t->tag);
    ra_buf_truncate(&m->tmp, 0);
    ra_buf_puts(&m->tmp, "skopeo copy --all ");
    ra_shell_quote(&m->tmp, ref.ptr);
    ra_buf_puts(&m->tmp, " dir:/tmp/regautopsy-check\n");
    json_array_append_new(steps, step("verify", "Check that the tag pulls again", m->tmp.ptr));
    ra_buf_release(&ref);
}

static json_t *recovery_for(struct model *m, const struct ra_tag_result *t, const char *root)
{
    struct recovery rc = {RA_BUF_INIT, RA_BUF_INIT, RA_BUF_INIT, RA_BUF_INIT, RA_BUF_INIT,
                          0,           0,           0,           0,           0};
    json_t *steps = json_array(), *o;
    int named = ra_layout_repository_valid(t->repository) && ra_layout_tag_valid(t->tag);

    if (!named) {
        json_array_append_new(
            steps, step("manual", "The repository or tag name is outside Distribution's "
                                  "grammar (finding name_invalid), so the registry never "
                                  "wrote it and no command is printed for it: inspect this "
                                  "entry by hand",
                        NULL));
        goto done;
    }
    recovery_collect(&rc, m, t, root);
    if (rc.nrelink) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "Re-create %zu revision link%s whose manifest data is still in "
                               "storage", rc.nrelink, rc.nrelink > 1 ? "s" : "");
        json_array_append_new(steps, step("relink", m->tmp.ptr, rc.relink.ptr));
    }
    if (rc.nrestore) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "Restore %zu blob%s from the last snapshot that has them",
                      rc.nrestore, rc.nrestore > 1 ? "s" : "");
        json_array_append_new(steps, step("restore", m->tmp.ptr, rc.restore.ptr));
    }
    if (rc.nmanual) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "Restore by hand, with paths checked one by one: %s",
                      rc.manual.ptr);
        json_array_append_new(steps, step("manual", m->tmp.ptr, NULL));
    }
    if (rc.nrecycled) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp,
                      "Restore %s: no snapshot's registry holds %s, but %s in a NAS "
                      "recycle bin match%s the digest; copy %s into the live "
                      "storage's blobs/sha256/<hh>/<hex>/data, then check its digest",
                      rc.recycled.ptr, rc.nrecycled > 1 ? "them" : "it",
                      rc.nrecycled > 1 ? "these copies" : "this copy",
                      rc.nrecycled > 1 ? "" : "es", rc.nrecycled > 1 ? "each" : "it");
        json_array_append_new(steps, step("recycled", m->tmp.ptr, NULL));
    }
    rebuild_step(steps, m, t, &rc);
    verify_step(steps, m, t);
done:
    o = json_pack("{s:o,s:o,s:o,s:o}", "repository", ra_json_str(t->repository), "tag",
                  ra_json_str(t->tag), "root", ra_json_str(root_name(root)), "steps", steps);
    recovery_release(&rc);
    return o;
}

/* Does path have a ".." segment (an archive member's prefix may)? */
static int has_dotdot(const char *path)
{
    const char *p = path;

    for (; (p = strstr(p, "..")); p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return 1;
    return 0;
}

/* The ROOT= line: the live registry's v2 folder, from the snapshot's prefix when it has
 * one (a snapshot that is the storage root itself has none). */
static void root_hint(struct ra_buf *hint, const char *root)
{
    struct ra_buf abs = RA_BUF_INIT;

    if (root[0] && ra_shell_pasteable(root) && !has_dotdot(root)) {
        ra_buf_printf(&abs, "/%s", root);
        ra_buf_puts(hint, "ROOT=");
        ra_shell_quote(hint, abs.ptr);
        ra_buf_puts(hint, "  # the live registry's storage: adjust");
    } else {
        ra_buf_puts(hint, "ROOT=/var/lib/registry/docker/registry/v2  # the live registry's "
                          "<rootdirectory>/docker/registry/v2: adjust");
    }
    ra_buf_release(&abs);
}

/* The newest verified copy of d in a snapshot's recycle bin, else the newest. */
static const struct ra_recycled_blob *recycled_copy(const struct ra_investigation *inv,
                                                    const struct ra_digest *d,
                                                    const struct ra_snapshot **snap)
{
    const struct ra_recycled_blob *best = NULL;
    size_t i, j;

    for (i = inv->nscans; i-- > 0;) {
        const struct ra_snapshot *s = inv->scans[i]->snap;
        for (j = 0; j < s->recycled.len; j++) {
            const struct ra_recycled_blob *r = s->recycled.items[j];
            if (ra_digest_cmp(&r->digest, d) || (best && (best->verified || !r->verified)))
                continue;
            best = r;
            *snap = s;
        }
    }
    return best;
}

/* Lost blobs a NAS recycle bin still holds: recovery sources, named with their path. */
static json_t *recycled_json(struct model *m)
{
    const struct ra_losses *ls = m->inv->losses;
    json_t *a = json_array(), *o;
    size_t i, j;

    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        const struct ra_snapshot *s = NULL;
        const struct ra_recycled_blob *r;
        struct ra_buf breaks = RA_BUF_INIT;
        if (l->object != RA_OBJ_BLOB || !(r = recycled_copy(m->inv, &l->digest, &s)))
            continue;
        for (j = 0; j < l->tags.len; j++)
            ra_buf_printf(&breaks, "%s%s", j ? ", " : "", (const char *)l->tags.items[j]);
        o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "digest", ra_json_digest_or_null(&l->digest),
                      "breaks", ra_json_str(ra_buf_cstr(&breaks)), "snapshot",
                      ra_json_str(s->name), "source", ra_json_str(s->source), "path",
                      ra_json_str(r->path), "verified", r->verified);
        json_object_set_new(o, "path_code", command_code(&breaks, r->path));
        json_array_append_new(a, o);
        ra_buf_release(&breaks);
    }
    return a;
}

static json_t *recovery_json(struct model *m)
{
    json_t *tags = json_array(), *o;
    struct ra_buf hint = RA_BUF_INIT, fence = RA_BUF_INIT;
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->ntags; j++)
            if (!r->tags[j].pullable)
                json_array_append_new(tags, recovery_for(m, &r->tags[j], r->graph->root));
        if (!hint.len && r->unpullable)
            root_hint(&hint, r->graph->root);
    }
    ra_md_fence(&fence, hint.len ? hint.ptr : "");
    o = json_pack("{s:o,s:o,s:o,s:b}", "root_hint", ra_json_str(hint.len ? hint.ptr : NULL),
                  "root_hint_fence", ra_json_str(fence.ptr), "tags", tags, "has_tags",
                  json_array_size(tags) > 0);
    json_object_set_new(o, "recycled", recycled_json(m));
    json_object_set_new(o, "has_recycled",
                        json_boolean(json_array_size(json_object_get(o, "recycled")) > 0));
    ra_buf_release(&hint);
    ra_buf_release(&fence);
    return o;
}

/* ---- prevention ---- */

static int any_match(const struct ra_correlation *c, enum ra_fingerprint fp)
{
    size_t i, j;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        for (j = 0; j < cause->matches.len; j++)
            if (((const struct ra_match *)cause->matches.items[j])->fp == fp)
                return 1;
    }
    return 0;
}

static void item(json_t *a, const char *title, const char *why)
{
    json_array_append_new(a, json_pack("{s:s,s:s,s:[]}", "title", title, "why", why, "refs"));
}

/* Upstream issues and pull requests of distribution/distribution that an item rests
 * on, as links: "issue 3004" -> https://github.com/distribution/distribution/issues/3004. */
#define RA_UPSTREAM "https://github.com/distribution/distribution/"

static void upstream(json_t *a, const char *kind, int number)
{
    json_t *refs = json_object_get(json_array_get(a, json_array_size(a) - 1), "refs");
    struct ra_buf b = RA_BUF_INIT;
    size_t n = json_array_size(refs);
    json_t *r;

    ra_buf_printf(&b, "%s %d", kind[0] == 'p' ? "PR" : "issue", number);
    r = json_pack("{s:s,s:b}", "text", b.ptr, "first", n == 0);
    ra_buf_truncate(&b, 0);
    ra_buf_printf(&b, RA_UPSTREAM "%s/%d", kind, number);
    json_object_set_new(r, "url", json_string(b.ptr));
    json_array_append_new(refs, r);
    ra_buf_release(&b);
}

static int floating_gc(const struct ra_investigation *inv)
{
    size_t i;

    for (i = 0; i < inv->nfirings; i++)
        if ((inv->firings[i].classes & RA_JOB_GARBAGE_COLLECT) &&
            (inv->firings[i].version_floating || !inv->firings[i].registry_version))
            return 1;
    return 0;
}

static json_t *prevention_json(struct model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    json_t *a = json_array();

    if (ra_correlation_v2_children(c) == 1)
        item(a, "Stop running garbage-collect with --delete-untagged on Distribution 2.x, "
                "or move to Distribution 3.x",
             "2.x treats the untagged children of a tagged index as garbage; 3.0 keeps "
             "them. Until then run it without -m.");
    if (any_match(c, RA_FP_GC_V2_INDEX_CHILDREN)) {
        upstream(a, "issues", 3004);
        upstream(a, "issues", 3178);
        upstream(a, "pull", 4285);
    }
    if (any_match(c, RA_FP_GC_V2_INDEX_CHILDREN) || floating_gc(m->inv))
        item(a, "Pin the registry image to an exact version (registry:2.8.3 or a digest)",
             "With a floating tag such as registry:2 nobody can say which garbage collector "
             "ran; an upgrade changes GC behaviour silently.");
    if (any_match(c, RA_FP_GC_RACE) || any_match(c, RA_FP_GC_SWEEP) ||
        any_match(c, RA_FP_GC_LOG))
        item(a, "Run garbage-collect in read-only mode, with pushes stopped",
             "GC is not safe while pushes run: blobs uploaded after its mark phase are swept "
             "(storage.maintenance.readonly.enabled: true during the run).");
    if (any_match(c, RA_FP_TAG_PRUNE) || any_match(c, RA_FP_TAG_PRUNE_THEN_GC))
        item(a, "Prune tags through the registry API, never by removing folders, and keep "
                "the tags that pipelines use",
             "rm -rf of tag folders leaves the registry's tag history inconsistent and hands "
             "the manifests to the next garbage-collect.");
    if (any_match(c, RA_FP_API_DELETE))
        item(a, "Restrict DELETE on the registry and keep its access log",
             "A manifest DELETE removes the folder of every tag that points at it. Allow it "
             "only to the accounts that must prune (or set storage.delete.enabled: false), "
             "and keep the registry's log (log.level: info, the access log) where a "
             "post-mortem can read who sent each DELETE and when.");
    if (any_match(c, RA_FP_LOST_FILES))
        item(a, "Verify restores and copies: regautopsy scan --verify after every restore",
             "Objects went missing in a way no garbage collector explains.");
    item(a, "Probe fetchability after every push and on a schedule",
         "skopeo copy --all docker://REGISTRY/IMAGE dir:/tmp/probe pulls every platform; "
         "nothing checked that pushed images stayed pullable.");
    if (m->inv->predictions.len)
        item(a, "Act on the gc-sim prediction below before the next scheduled garbage-collect",
             "regautopsy gc-sim on the newest snapshot says what that run will delete.");
    return a;
}

/* ---- prediction ---- */

static json_t *prediction_json(struct model *m)
{
    const struct ra_investigation *inv = m->inv;
    const struct ra_prediction *p0;
    json_t *breaks, *o;
    size_t i, k, bytes = 0, blobs = 0;
    const char *aborted = NULL;

    if (!inv->predictions.len)
        return json_null();
    p0 = inv->predictions.items[0];
    breaks = json_array();
    for (i = 0; i < inv->predictions.len; i++) {
        const struct ra_prediction *p = inv->predictions.items[i];
        blobs += p->result->blobs.len;
        bytes += p->result->bytes;
        if (!aborted)
            aborted = p->result->aborted;
        for (k = 0; k < p->after->ntags; k++) {
            const struct ra_tag_result *t = &p->after->tags[k];
            if (t->pullable || !p->before->tags[k].pullable)
                continue;
            json_array_append_new(breaks, json_pack("{s:o,s:o,s:o,s:s}", "root",
                                                    ra_json_str(root_name(p->root)), "repository",
                                                    ra_json_str(t->repository), "tag", ra_json_str(t->tag),
                                                    "reason", ra_code_name(t->reason)));
        }
    }
    o = json_pack("{s:o,s:o,s:o,s:s,s:b,s:I,s:I,s:b,s:o}", "job", ra_json_str(p0->firing->job_id),
                  "name", ra_json_str(p0->firing->job_name), "fires_at", ra_json_time(p0->firing->time),
                  "distribution", p0->gc.version == RA_GC_V3 ? "3" : "2.8", "delete_untagged",
                  p0->gc.delete_untagged, "blobs", (json_int_t)blobs, "bytes", (json_int_t)bytes,
                  "has_breaks", json_array_size(breaks) > 0, "breaks", breaks);
    json_object_set_new(o, "aborted", ra_json_str(aborted));
    json_object_set_new(o, "head_config", json_boolean(p0->head_config));
    return o;
}

/* ---- appendix ---- */

static json_t *findings_json(struct model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->findings.items.len; j++) {
            const struct ra_finding *f = r->findings.items.items[j];
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "severity",
                             ra_severity_name(f->severity), "code", ra_code_name(f->code),
                             "repository", f->repository[0] ? ra_json_str(f->repository) : json_null(),
                             "tag", f->tag[0] ? ra_json_str(f->tag) : json_null(), "digest",
                             f->has_digest ? ra_json_digest_or_null(&f->digest) : json_null(), "path",
                             f->path[0] ? ra_json_str(f->path) : json_null(), "message",
                             ra_json_str(f->message)));
        }
    }
    for (i = 0; m->newest && i < m->newest->findings.items.len; i++) {
        const struct ra_finding *f = m->newest->findings.items.items[i];
        json_array_append_new(a, json_pack("{s:s,s:s,s:n,s:n,s:n,s:o,s:o}", "severity",
                                           ra_severity_name(f->severity), "code",
                                           ra_code_name(f->code), "repository", "tag", "digest",
                                           "path", ra_json_str(f->path), "message", ra_json_str(f->message)));
    }
    return a;
}

static json_t *inventory_json(struct model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; i < m->inv->nscans; i++) {
        const struct ra_scan *s = m->inv->scans[i];
        for (j = 0; j < s->nregs; j++) {
            const struct ra_registry_result *r = s->regs[j];
            const struct ra_graph_counts *c = &r->counts;
            json_array_append_new(
                a, json_pack("{s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I}", "snapshot",
                             ra_json_str(s->snap->name), "taken_at", ra_json_time(s->snap->taken_at), "root",
                             ra_json_str(root_name(r->graph->root)), "repositories",
                             (json_int_t)c->repositories, "tags", (json_int_t)c->tags,
                             "manifests", (json_int_t)c->manifests, "blobs",
                             (json_int_t)c->blobs, "bytes", (json_int_t)c->bytes,
                             "unpullable", (json_int_t)r->unpullable));
        }
    }
    return a;
}

static json_t *jobs_json(const struct ra_schedule *s)
{
    json_t *a = json_array(), *o;
    struct ra_buf b = RA_BUF_INIT;
    size_t i, k;

    for (i = 0; s && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        const struct ra_job_version *last = j->versions.len ? j->versions.items[j->versions.len - 1]
                                                            : NULL;
        const struct ra_job *job = last ? last->job : NULL;
        json_t *versions = json_array();
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            char id[13];
            memcpy(id, v->commit->id, 12);
            id[12] = '\0';
            json_array_append_new(versions, json_pack("{s:s,s:o,s:o,s:o}", "commit", id, "time",
                                                      ra_json_time(v->commit->time), "author",
                                                      ra_json_str(v->commit->author), "change",
                                                      ra_json_str(v->change)));
        }
        if (j->last) /* its line at the newest commit that has it (HEAD when in effect) */
            job = j->last;
        if (!job) {
            json_decref(versions);
            continue;
        }
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s:%u @ %.12s", job->path, job->line, j->last_commit->id);
        o = json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:o}", "id", ra_json_str(j->id),
                         "name", ra_json_str(job->name), "kind", ra_job_class_name(job->cls),
                         "schedule", ra_json_str(job->schedule), "timezone", ra_json_str(job->timezone),
                         "defined_in", ra_json_str(b.ptr), "command", ra_json_str(job->command),
                         "delete_untagged", job->gc.delete_untagged, "disabled",
                         job->disabled || job->absent, "in_effect", last && last->job != NULL,
                         "versions", versions);
        json_object_set_new(o, "command_code", command_code(&b, job->command));
        ra_pm_job_status(o, j);
        json_array_append_new(a, o);
    }
    ra_buf_release(&b);
    return a;
}

static json_t *appendix_json(struct model *m)
{
    json_t *o = json_object(), *f = findings_json(m), *jobs = jobs_json(m->inv->schedule);

    json_object_set_new(o, "has_jobs", json_boolean(json_array_size(jobs) > 0));
    json_object_set_new(o, "jobs", jobs);

    json_object_set_new(o, "findings_total", json_integer((json_int_t)json_array_size(f)));
    capped(o, "findings", json_incref(f), m->opts->table_cap);
    json_object_set_new(o, "findings_all", f);
    json_object_set_new(o, "inventory", inventory_json(m));
    return o;
}

/* ---- summary ---- */

static const char *member(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The top suspect is a DELETE through the registry API: cite the log line, or say that
 * nothing tells it apart from a script. Returns 0 for another kind. */
static int api_delete_summary(struct ra_buf *out, json_t *top)
{
    json_t *req = json_object_get(top, "request");

    if (strcmp(member(top, "kind"), "api-delete"))
        return 0;
    if (!req || json_is_null(req)) {
        ra_buf_printf(out, "The storage shows the trace of a DELETE through the registry API "
                           "(a tag's folder and its manifest's revision link gone together, "
                           "or a _layers link gone while its blob stays, and no "
                           "garbage-collect explains it); a script that removed the same "
                           "files leaves the same trace, and without the registry's log the "
                           "two cannot be told apart (confidence %s).",
                      member(top, "confidence"));
        return 1;
    }
    ra_buf_printf(out, "The most likely cause is a DELETE through the registry API: %s "
                       "records %s answered %lld at %s (from %s, user %s) (confidence %s).",
                  member(top, "defined_in"), member(top, "name"),
                  (long long)json_integer_value(json_object_get(req, "status")),
                  member(top, "fired_at"),
                  json_is_string(json_object_get(req, "remote_addr"))
                      ? member(req, "remote_addr") : "an address not logged",
                  json_is_string(json_object_get(req, "user")) ? member(req, "user")
                                                               : "not logged",
                  member(top, "confidence"));
    return 1;
}

static void summary_text(struct model *m, struct ra_buf *out, json_t *impact, json_t *cause)
{
    const struct ra_investigation *inv = m->inv;
    json_t *broken = json_object_get(impact, "broken_all"), *top = json_object_get(cause, "top");
    size_t nb = json_array_size(broken), i, nl = inv->losses->items.len;
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    ra_time to, from = first_loss(inv, &to);

    if (!nb && !nl) {
        ra_buf_printf(out, "Every tag in the %zu snapshot%s examined can be pulled, and nothing a "
                           "tag needs went missing between them.",
                      inv->nscans, inv->nscans == 1 ? "" : "s");
        return;
    }
    if (nb) {
        ra_buf_printf(out, "%zu tag%s cannot be pulled: ", nb, nb == 1 ? "" : "s");
        for (i = 0; i < nb && i < 5; i++) {
            json_t *t = json_array_get(broken, i);
            ra_buf_printf(out, "%s%s:%s (%s)", i ? ", " : "",
                          json_string_value(json_object_get(t, "repository")),
                          json_string_value(json_object_get(t, "tag")),
                          json_string_value(json_object_get(t, "platforms_text")));
        }
        ra_buf_puts(out, nb > 5 ? " and more. " : ". ");
    }
    if (nl) {
        ra_buf_printf(out, "%zu object%s that %s need%s went missing", nl, nl == 1 ? "" : "s",
                      nb == 1 ? "it" : "they", nb == 1 ? "s" : "");
        if (from != RA_TIME_NONE && to != RA_TIME_NONE)
            ra_buf_printf(out, " between %s and %s", ra_time_format(t1, from),
                          ra_time_format(t2, to));
        else if (to != RA_TIME_NONE)
            ra_buf_printf(out, " before %s", ra_time_format(t2, to));
        ra_buf_puts(out, ". ");
    }
    if (ra_correlation_v2_children(inv->corr) == 1)
        ra_buf_puts(out, "The losses have the fingerprint of Distribution 2.x garbage-collect "
                         "with --delete-untagged, which deletes the untagged children of a "
                         "tagged index: the tag still resolves, but its platforms' manifests "
                         "and blobs are gone, so every pull fails. ");
    else if (ra_correlation_v2_children(inv->corr) == 2)
        ra_buf_puts(out,
                    "The losses look like the work of Distribution 2.x garbage-collect "
                    "with --delete-untagged on the untagged children of a tagged index, "
                    "but that run aborts on an entry of a tags folder it cannot read "
                    "(NAS metadata such as @eaDir) that the snapshots on both sides of "
                    "them hold, so it could not have run: "
                    "something else removed the children's revision links (a DELETE "
                    "through the registry API, or a hand), and a garbage-collect "
                    "without --delete-untagged sweeps their blobs. ");
    else if (ra_correlation_lost_files_alone(inv->corr))
        ra_buf_puts(out, "No garbage collector explains the pattern: files were lost (a "
                         "partial restore, a copy, a disk or hands). ");
    if (top && !json_is_null(top) && api_delete_summary(out, top))
        ;
    else if (top && !json_is_null(top)) {
        const char *commit = json_string_value(json_object_get(top, "commit"));
        ra_buf_printf(out, "The most likely cause is %s (%s%s%s), which ran at %s (confidence %s).",
                      json_string_value(json_object_get(top, "name")),
                      json_string_value(json_object_get(top, "defined_in")),
                      commit ? " @ " : "", commit ? commit : "",
                      json_string_value(json_object_get(top, "fired_at")),
                      json_string_value(json_object_get(top, "confidence")));
    } else if (nl && inv->schedule)
        ra_buf_puts(out, "No scheduled job in the config repository ran inside the loss "
                         "window.");
    else if (nl)
        ra_buf_puts(out, "No scheduled job in the evidence ran inside the loss window; give "
                         "the config repo (--config) to name suspects.");
    if (top && !json_is_null(top) && strcmp(member(top, "kind"), "api-delete") &&
        ra_correlation_unlogged_delete(inv->corr))
        ra_buf_puts(out, " A DELETE through the registry API leaves the same trace in "
                         "storage as a script that removes tag folders and revision links; "
                         "without the registry's log the two cannot be told apart.");
}

static void default_title(struct model *m, struct ra_buf *out, json_t *impact)
{
    json_t *broken = json_object_get(impact, "broken_all"), *t;
    size_t n = json_array_size(broken);

    if (!n) {
        ra_buf_puts(out, "Registry post-mortem");
        return;
    }
    t = json_array_get(broken, 0);
    ra_buf_printf(out, "%s:%s cannot be pulled", json_string_value(json_object_get(t, "repository")),
                  json_string_value(json_object_get(t, "tag")));
    if (n > 1)
        ra_buf_printf(out, " (and %zu more tag%s)", n - 1, n > 2 ? "s" : "");
    (void)m;
}

static json_t *period_json(const struct ra_investigation *inv)
{
    ra_time from, to;

    focus(inv, &from, &to);
    return json_pack("{s:o,s:o}", "from", ra_json_time(from), "to", ra_json_time(to));
}

int ra_report_build(struct json_t **out, const struct ra_investigation *inv,
                    const struct ra_report_opts *opts, struct ra_err *err)
{
    struct model m = {inv, opts, inv->nscans ? inv->scans[inv->nscans - 1] : NULL, RA_BUF_INIT};
    json_t *doc = json_object(), *impact, *cause, *notes = json_array();
    struct ra_buf text = RA_BUF_INIT;
    size_t i;

    (void)err;
    impact = impact_json(&m);
    cause = root_cause_json(&m);
    json_object_set_new(doc, "schema", json_string("regautopsy.report/1"));
    json_object_set_new(doc, "status", json_string("draft"));
    ra_buf_printf(&text, "regautopsy %s", opts->version);
    json_object_set_new(doc, "generated_by", ra_json_str(text.ptr));
    json_object_set_new(doc, "generated_at", ra_json_time(opts->now));
    ra_buf_truncate(&text, 0);
    if (opts->title)
        ra_buf_puts(&text, opts->title);
    else
        default_title(&m, &text, impact);
    json_object_set_new(doc, "title", ra_json_str(text.ptr));
    json_object_set_new(doc, "period", period_json(inv));
    json_object_set_new(doc, "inputs", inputs_json(&m));
    ra_buf_truncate(&text, 0);
    summary_text(&m, &text, impact, cause);
    json_object_set_new(doc, "summary",
                        json_pack("{s:o,s:I,s:I}", "text", ra_json_str(text.ptr), "broken_tags",
                                  (json_int_t)json_array_size(json_object_get(impact, "broken_all")),
                                  "lost_objects", (json_int_t)inv->losses->items.len));
    json_object_set_new(doc, "impact", impact);
    json_object_set_new(doc, "root_cause", cause);
    json_object_set_new(doc, "detection", detection_json(&m, impact));
    json_object_set_new(doc, "detection_gap", ra_pm_detection_gap_json(inv, m.newest));
    {
        json_t *ls = losses_json(&m), *lo = json_object();
        capped(lo, "rows", json_incref(ls), opts->table_cap);
        json_object_set_new(doc, "loss_table", lo);
        json_object_set_new(doc, "losses", ls);
    }
    json_object_set_new(doc, "timeline", timeline_json(&m));
    json_object_set_new(doc, "recovery", recovery_json(&m));
    json_object_set_new(doc, "prevention", json_pack("{s:o}", "items", prevention_json(&m)));
    ra_pm_mark_done(json_object_get(json_object_get(doc, "prevention"), "items"), inv,
                    json_object_get(doc, "detection_gap"));
    json_object_set_new(doc, "config_changes", ra_pm_config_changes_json(inv));
    json_object_set_new(doc, "prediction", prediction_json(&m));
    json_object_set_new(doc, "appendix", appendix_json(&m));
    for (i = 0; i < inv->notes.len; i++)
        json_array_append_new(notes, ra_json_str(inv->notes.items[i]));
    json_object_set_new(doc, "notes", notes);
    json_object_set_new(doc, "has_notes", json_boolean(inv->notes.len > 0));
    ra_buf_release(&text);
    ra_buf_release(&m.tmp);
    *out = doc;
    return 0;
}
