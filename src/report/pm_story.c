/* SPDX-License-Identifier: MIT */
#include "report/pm_story.h"

#include "analysis/detection_gap.h"
#include "analysis/focus.h"
#include "analysis/forecast.h"
#include "analysis/investigate.h"
#include "analysis/losses.h"
#include "report/json.h"
#include "report/pm_internal.h"
#include "util/buf.h"

#include "util/text.h"
#include <stdlib.h>
#include <string.h>

/* The start of the earliest loss window: what was in effect when things went. */
static ra_time loss_start(const struct ra_investigation *inv)
{
    ra_time t = RA_TIME_NONE;
    size_t i;

    for (i = 0; inv->losses && i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->from.time != RA_TIME_NONE && (t == RA_TIME_NONE || l->from.time < t))
            t = l->from.time;
    }
    return t;
}

static json_t *probe_json(const struct ra_probe_check *c)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:b,s:o,s:o}", "name",
                     ra_json_str(c->name), "defined_in", ra_json_str(c->defined_in),
                     "commit", ra_json_str(c->commit), "schedule",
                     ra_json_str(c->schedule), "timezone", ra_json_str(c->timezone),
                     "command", ra_json_str(c->command), "target", ra_json_str(c->target),
                     "depth", ra_probe_depth_name(c->depth), "in_effect", c->in_effect,
                     "catches", c->catches < 0 ? json_null() : json_boolean(c->catches),
                     "why", ra_json_str(c->why));
}

static void verdict(struct ra_buf *b, const struct ra_detection_gap *g, size_t active)
{
    if (!g->probes.len)
        ra_buf_puts(b,
                    "Nothing in the config probed whether pushed images could still be "
                    "pulled, so the damage was seen only when something pulled.");
    else if (!active)
        ra_buf_printf(b,
                      "No probe job was in effect when the objects went missing, so the "
                      "damage was seen only when something pulled. %zu probe %s "
                      "added since:",
                      g->probes.len,
                      ra_text_plural(g->probes.len, "job was", "jobs were"));
    else if (!g->catching)
        ra_buf_printf(b,
                      "The config had %zu probe %s in effect; none reaches what broke, "
                      "so the monitoring in place would not have caught this incident:",
                      active, ra_text_plural(active, "job", "jobs"));
    else
        ra_buf_printf(b,
                      "%zu of the %zu probe %s in effect would have caught this "
                      "incident:",
                      g->catching, active, ra_text_plural(active, "job", "jobs"));
}

json_t *ra_pm_detection_gap_json(const struct ra_investigation *inv,
                                 const struct ra_scan *newest)
{
    struct ra_detection_gap g = RA_DETECTION_GAP_INIT;
    struct ra_buf b = RA_BUF_INIT;
    json_t *probes = json_array(), *o;
    size_t i, active = 0;

    ra_detection_gap_compute(&g, inv->schedule, loss_start(inv), newest);
    for (i = 0; i < g.probes.len; i++) {
        const struct ra_probe_check *c = g.probes.items[i];
        active += c->in_effect;
        json_array_append_new(probes, probe_json(c));
    }
    verdict(&b, &g, active);
    o = json_pack("{s:b,s:o,s:I,s:o}", "has_probes", g.probes.len > 0, "probes", probes,
                  "catching", (json_int_t)g.catching, "verdict", ra_json_str(b.ptr));
    ra_buf_release(&b);
    ra_detection_gap_release(&g);
    return o;
}

json_t *ra_pm_commit_text(const struct ra_commit_info *c)
{
    struct ra_buf b = RA_BUF_INIT;
    char when[RA_TIME_STRLEN];
    json_t *o;

    ra_time_format(when, c->time);
    when[10] = '\0';
    ra_buf_printf(&b, "%.12s (%s", c->id, when);
    if (c->summary)
        ra_buf_printf(&b, ", \"%s\"", c->summary);
    ra_buf_putc(&b, ')');
    o = ra_json_str(b.ptr);
    ra_buf_release(&b);
    return o;
}

json_t *ra_pm_config_changes_json(const struct ra_investigation *inv)
{
    struct ra_vec v = RA_VEC_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    ra_time since = loss_start(inv);
    json_t *a = json_array(), *o;
    size_t i;

    if (since != RA_TIME_NONE)
        ra_forecast_changes(&v, &pool, inv->schedule, since);
    for (i = 0; i < v.len; i++) {
        const struct ra_config_change *c = v.items[i];
        json_array_append_new(a, json_pack("{s:o,s:o,s:o}", "what", ra_json_str(c->what),
                                           "change", ra_json_str(c->change), "commit",
                                           ra_pm_commit_text(c->commit)));
    }
    o = json_pack("{s:b,s:o,s:o,s:b}", "has_changes", v.len > 0, "since",
                  ra_json_time(since), "changes", a, "has_config", inv->schedule != NULL);
    ra_vec_release(&v);
    ra_pool_release(&pool);
    return o;
}

/* A probe that sees the damage, in the head: the item is done; a shallower one added
 * since: say why it is not enough. */
static void probe_item(json_t *items, json_t *gap)
{
    const char *prefix = "Probe fetchability";
    json_t *p, *it;
    size_t i, k;

    json_array_foreach(json_object_get(gap, "probes"), i, p)
    {
        if (json_is_true(json_object_get(p, "catches")))
            return; /* one in place sees it: no note */
    }
    json_array_foreach(json_object_get(gap, "probes"), i, p)
    {
        struct ra_buf b = RA_BUF_INIT;
        ra_buf_printf(&b, " The probe %s (%s @ %s) does not do this: %s.",
                      json_string_value(json_object_get(p, "name")),
                      json_string_value(json_object_get(p, "defined_in")),
                      json_string_value(json_object_get(p, "commit")),
                      json_string_value(json_object_get(p, "why")));
        json_array_foreach(items, k, it)
        {
            const char *title = json_string_value(json_object_get(it, "title"));
            const char *why = json_string_value(json_object_get(it, "why"));
            struct ra_buf w = RA_BUF_INIT;
            if (!title || strncmp(title, prefix, strlen(prefix)))
                continue;
            ra_buf_printf(&w, "%s%s", why ? why : "", b.ptr);
            json_object_set_new(it, "why", ra_json_str(w.ptr));
            ra_buf_release(&w);
        }
        ra_buf_release(&b);
    }
}

void ra_pm_probe_note(json_t *items, const struct ra_investigation *inv, json_t *gap)
{
    if (loss_start(inv) == RA_TIME_NONE || !inv->schedule)
        return;
    probe_item(items, gap);
}

void ra_pm_job_status(json_t *row, const struct ra_sched_job *j)
{
    const struct ra_job_version *def = ra_forecast_defining(j),
                                *by = ra_forecast_retired_by(j);
    struct ra_buf b = RA_BUF_INIT;
    json_t *c;

    if (def) {
        ra_buf_printf(&b, "%s:%u @ %.12s", def->job->path, def->job->line,
                      def->commit->id);
        json_object_set_new(row, "defined_in", ra_json_str(b.ptr));
        ra_buf_truncate(&b, 0);
    }
    if (!by) {
        ra_buf_puts(&b, "in effect");
    } else {
        c = ra_pm_commit_text(by->commit);
        ra_buf_printf(&b, "%s in %s", by->job ? "disabled" : "removed",
                      json_string_value(c));
        json_decref(c);
    }
    json_object_set_new(row, "status", ra_json_str(b.ptr));
    ra_buf_release(&b);
}

/* One push: what one client wrote at one instant into one repository (the tag's link,
 * its manifests and blobs), named by its tag, or by its repository when only its
 * manifests are left (the tag was removed since). */
struct ra_pm_push {
    ra_time time;
    char *repo, *name;
};

struct ra_pm_fold {
    const struct ra_investigation *inv;
    const struct ra_scan *newest;
    json_t *row; /* the one row (borrowed from rows) */
    struct ra_pm_push *pushes;
    size_t count, cap;
};

struct ra_pm_fold *ra_pm_fold_new(const struct ra_investigation *inv,
                                  const struct ra_scan *newest)
{
    struct ra_pm_fold *f = calloc(1, sizeof(*f));

    if (!f)
        abort();
    f->inv = inv;
    f->newest = newest;
    return f;
}

/* "base/debian:12 pushed as ..." -> "base/debian"; "manifest X pushed to R" -> "R" */
static void push_repo(struct ra_buf *out, const char *msg)
{
    const char *to = strstr(msg, " pushed to ");

    ra_buf_truncate(out, 0);
    if (to)
        ra_buf_puts(out, to + 11);
    else
        ra_buf_put(out, msg, strcspn(msg, ": "));
}

/* The push e is part of: the one at its time into its repository, else a new one. */
static struct ra_pm_push *push_of(struct ra_pm_fold *f, const struct ra_event *e,
                                  const char *repo)
{
    size_t i;

    for (i = f->count; i-- > 0 && f->pushes[i].time == e->time;)
        if (!strcmp(f->pushes[i].repo, repo))
            return &f->pushes[i];
    if (f->count == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 8;
        f->pushes = ra_xrealloc(f->pushes, f->cap * sizeof(*f->pushes));
    }
    f->pushes[f->count] = (struct ra_pm_push){e->time, ra_xstrdup(repo), NULL};
    return &f->pushes[f->count++];
}

/* "4 pushes unrelated to the lost objects: infra-ci (manifests only: its tag is gone),
 * base/debian:bookworm" */
static void fold_text(struct ra_buf *txt, const struct ra_pm_fold *f)
{
    size_t i;

    ra_buf_printf(txt, "%zu push%s unrelated to the lost objects: ", f->count,
                  f->count > 1 ? "es" : "");
    for (i = 0; i < f->count; i++) {
        const struct ra_pm_push *p = &f->pushes[i];
        ra_buf_printf(txt, "%s%s", i ? ", " : "", p->name ? p->name : p->repo);
        if (!p->name)
            ra_buf_puts(txt, " (manifests only: their tag is gone)");
    }
}

int ra_pm_fold_event(struct ra_pm_fold *f, json_t *rows, const struct ra_event *e)
{
    struct ra_buf repo = RA_BUF_INIT, txt = RA_BUF_INIT;
    struct ra_pm_push *p;
    const char *as;

    if (e->time == RA_TIME_NONE || ra_focus_push_related(e, f->inv->losses, f->newest))
        return 0;
    if (!f->row) {
        f->row =
            json_pack("{s:o,s:n,s:s,s:s,s:o,s:n,s:n}", "time", ra_json_time(e->time),
                      "until", "precision", "window", "kind", "pushes_folded", "source",
                      ra_json_str(e->source), "evidence", "evidence_short");
        json_array_append_new(rows, f->row);
    }
    if (f->count && e->time != f->pushes[0].time)
        json_object_set_new(f->row, "until", ra_json_time(e->time));
    push_repo(&repo, e->message);
    p = push_of(f, e, repo.ptr);
    if (e->kind == RA_EV_TAG_PUSHED && (as = strstr(e->message, " pushed as "))) {
        ra_buf_truncate(&txt, 0);
        if (p->name)
            ra_buf_printf(&txt, "%s, ", p->name);
        ra_buf_put(&txt, e->message, (size_t)(as - e->message));
        free(p->name);
        p->name = ra_xstrdup(txt.ptr);
    }
    ra_buf_truncate(&txt, 0);
    fold_text(&txt, f);
    json_object_set_new(f->row, "event", ra_json_str(txt.ptr));
    json_object_set_new(f->row, "event_short", ra_json_str(txt.ptr));
    json_object_set_new(f->row, "count", json_integer((json_int_t)f->count));
    ra_buf_release(&repo);
    ra_buf_release(&txt);
    return 1;
}

void ra_pm_fold_free(struct ra_pm_fold *f)
{
    size_t i;

    if (!f)
        return;
    for (i = 0; i < f->count; i++) {
        free(f->pushes[i].repo);
        free(f->pushes[i].name);
    }
    free(f->pushes);
    free(f);
}
