/* SPDX-License-Identifier: MIT */
/* The post-mortem model: timeline. */
#include "report/pm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "report/json.h"
#include "report/md.h"
#include "report/mermaid.h"
#include "report/pm_story.h"

#include "analysis/focus.h"
#include "util/text.h"

/* What the diagram keeps: the story, not the routine (folded rows, runs of jobs that
 * are no suspect). */
static int diagram_worthy(const struct ra_pm_model *m, const struct ra_event *e)
{
    int folded = e->until != RA_TIME_NONE && e->count != 1;

    switch (e->kind) {
    case RA_EV_SNAPSHOT:
    case RA_EV_LOSS:
    case RA_EV_COMMIT:
        return 1;
    case RA_EV_TAG_PUSHED: /* only pushes that concern the lost objects */
        return ra_focus_push_related(e, m->inv->losses, NULL);
    case RA_EV_LOG:
        return !folded && !e->routine;
    case RA_EV_FIRING:
        return !folded && ra_postmortem_suspect_at(m->pm, e->time);
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

/* "snapshot X taken (name)" says in words where its time comes from. */
static void snapshot_words(struct ra_buf *txt)
{
    static const char *const from[][2] = {
        {" (name)", " (time from its name)"},
        {" (newest-mtime)", " (time from its newest file)"},
        {" (backup-job)", " (time from the backup job that made it)"},
        {" (explicit)", " (time given with @)"},
    };
    size_t i, n;

    for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
        n = strlen(from[i][0]);
        if (txt->len >= n && !strcmp(txt->ptr + txt->len - n, from[i][0])) {
            ra_buf_truncate(txt, txt->len - n);
            ra_buf_puts(txt, from[i][1]);
            return;
        }
    }
}

static json_t *event_row(const struct ra_event *e, struct ra_buf *txt)
{
    struct ra_buf sh = RA_BUF_INIT;
    json_t *row;

    ra_buf_truncate(txt, 0);
    ra_text_safe(txt, e->message, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
    if (e->kind == RA_EV_SNAPSHOT)
        snapshot_words(txt);
    if (e->count > 1 && e->kind != RA_EV_FIRING) /* a job's runs say their count */
        ra_buf_printf(txt, " (x%zu)", e->count);
    row = json_pack("{s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:I}", "time", ra_json_time(e->time),
                    "until", ra_json_time(e->until), "precision", ra_event_precision(e),
                    "kind", ra_event_kind_name(e->kind), "source", ra_json_str(e->source),
                    "event", ra_json_str(txt->ptr), "evidence",
                    e->evidence[0] ? ra_json_str(e->evidence) : json_null(), "count",
                    (json_int_t)e->count);
    shorten(&sh, txt->ptr);
    json_object_set_new(row, "event_short", ra_json_str(sh.ptr));
    if (e->routine)
        json_object_set_new(row, "routine", json_true());
    shorten(&sh, e->evidence);
    json_object_set_new(row, "evidence_short",
                        e->evidence[0] ? ra_json_str(sh.ptr) : json_null());
    ra_buf_release(&sh);
    return row;
}

#define DIAGRAM_MAX 40

/* o[key] as a string, "" when absent or null. */
static const char *str(json_t *o, const char *key)
{
    return ra_pm_member(o, key);
}

/* o's event without its " (xN)" count: the base text a fold keys on. */
static void base_text(struct ra_buf *out, json_t *o)
{
    const char *ev = str(o, "event"), *x = strstr(ev, " (x");

    ra_buf_truncate(out, 0);
    ra_buf_put(out, ev, x ? (size_t)(x - ev) : strlen(ev));
}

/* Is r one of the per-day rows that fold over the whole period: storage activity the
 * analysis folded per day (blob uploads, layer links), or a day's routine log lines
 * (requests answered 404, pipelines that did not fail)? */
static int day_row(json_t *r)
{
    const char *k = str(r, "kind");

    if (json_is_null(json_object_get(r, "until")))
        return 0;
    return !strcmp(k, "blob_uploaded") || !strcmp(k, "layer_linked") ||
           json_is_true(json_object_get(r, "routine"));
}

/* Per-day rows of one kind and text fold into one row for the period, "(x25) on 3
 * days", from the first day to the last; evidence is the first day's. */
static void fold_days(json_t *rows)
{
    struct ra_buf txt = RA_BUF_INIT, base = RA_BUF_INIT;
    size_t i, j, days;
    json_int_t n;

    for (i = 0; i < json_array_size(rows); i++) {
        json_t *first = json_array_get(rows, i);
        if (!day_row(first))
            continue;
        base_text(&base, first);
        n = json_integer_value(json_object_get(first, "count"));
        days = 1;
        for (j = i + 1; j < json_array_size(rows);) {
            json_t *r = json_array_get(rows, j);
            if (!day_row(r) || strcmp(str(r, "kind"), str(first, "kind")) ||
                strcmp(str(r, "source"), str(first, "source"))) {
                j++;
                continue;
            }
            base_text(&txt, r);
            if (strcmp(txt.ptr, base.ptr)) {
                j++;
                continue;
            }
            n += json_integer_value(json_object_get(r, "count"));
            days++;
            json_object_set(first, "until", json_object_get(r, "until"));
            json_array_remove(rows, j);
        }
        if (days < 2)
            continue;
        ra_buf_truncate(&txt, 0);
        ra_buf_printf(&txt, "%s (x%lld) on %zu days", base.ptr, (long long)n, days);
        json_object_set_new(first, "event", ra_json_str(txt.ptr));
        json_object_set_new(first, "event_short", ra_json_str(txt.ptr));
        json_object_set_new(first, "count", json_integer(n));
    }
    ra_buf_release(&txt);
    ra_buf_release(&base);
}

/* "manifest sha256:73af0327d640 pushed to infra-ci" -> "sha256:73af0327d640" */
static void manifest_digest(struct ra_buf *out, const char *msg)
{
    const char *d = msg + strlen("manifest ");

    ra_buf_put(out, d, strcspn(d, " "));
}

/* A push seen at one instant (a tag pushed, the tag moved to it, its manifests pushed):
 * one row, the tag's, naming the other manifests. */
static void fold_push(json_t *rows)
{
    struct ra_buf txt = RA_BUF_INIT, more = RA_BUF_INIT;
    size_t i, j, nmore;

    for (i = 0; i < json_array_size(rows); i++) {
        json_t *tag = json_array_get(rows, i);
        if (strcmp(str(tag, "kind"), "tag_pushed"))
            continue;
        ra_buf_truncate(&more, 0);
        nmore = 0;
        for (j = 0; j < json_array_size(rows);) {
            json_t *r = json_array_get(rows, j);
            const char *k = str(r, "kind");
            if (j == i || strcmp(str(r, "time"), str(tag, "time")) ||
                strcmp(str(r, "source"), str(tag, "source")) ||
                (strcmp(k, "tag_current") && strcmp(k, "manifest_pushed"))) {
                j++;
                continue;
            }
            if (!strcmp(k, "manifest_pushed")) {
                ra_buf_truncate(&txt, 0);
                manifest_digest(&txt, str(r, "event"));
                if (!strstr(str(tag, "event"), txt.ptr)) {
                    ra_buf_printf(&more, "%s%s", nmore ? ", " : "", txt.ptr);
                    nmore++;
                }
            }
            json_array_remove(rows, j);
            if (j < i)
                i--;
        }
        if (!nmore)
            continue;
        ra_buf_truncate(&txt, 0);
        ra_buf_printf(&txt, "%s, with manifest%s %s", str(tag, "event"),
                      nmore > 1 ? "s" : "", more.ptr);
        json_object_set_new(tag, "event", ra_json_str(txt.ptr));
        json_object_set_new(tag, "event_short", ra_json_str(txt.ptr));
    }
    ra_buf_release(&txt);
    ra_buf_release(&more);
}

/* The rebuild that repaired the incident, a row of its own (the log folds successful
 * pipelines per day). */
static void repair_row(struct ra_pm_model *m, json_t *rows)
{
    const struct ra_pm_event *e = &m->pm->rebuilt;
    struct ra_buf ev = RA_BUF_INIT;
    json_t *row;

    if (!e->event || !m->pm->rebuilt_ref)
        return;
    ra_pm_pipeline_name(&m->tmp, e);
    ra_buf_printf(&m->tmp, " finished: it rebuilt and pushed %s (the repair)",
                  m->pm->rebuilt_ref);
    ra_buf_printf(&ev, "%s:%llu", e->log, (unsigned long long)e->event->line);
    row = json_pack("{s:o,s:n,s:s,s:s,s:o,s:o,s:o,s:I}", "time",
                    ra_json_time(m->pm->repaired_at), "until", "precision", "exact",
                    "kind", "repair", "source", ra_json_str(e->log), "event",
                    ra_json_str(m->tmp.ptr), "evidence", ra_json_str(ev.ptr), "count",
                    (json_int_t)1);
    json_object_set_new(row, "event_short", ra_json_str(m->tmp.ptr));
    json_object_set_new(row, "evidence_short", ra_json_str(ev.ptr));
    json_array_append_new(rows, row);
    ra_buf_release(&ev);
}

struct sorted_row {
    json_t *row;
    size_t at;
};

static int cmp_row(const void *a, const void *b)
{
    const struct sorted_row *x = a, *y = b;
    int c = strcmp(str(x->row, "time"), str(y->row, "time"));

    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Rows in time order (UTC times sort as text), equal times as they came. */
static json_t *sorted(json_t *rows)
{
    size_t n = json_array_size(rows), i;
    struct sorted_row *v = ra_xcalloc(n + 1, sizeof(*v));
    json_t *out = json_array();

    for (i = 0; i < n; i++)
        v[i] = (struct sorted_row){json_array_get(rows, i), i};
    qsort(v, n, sizeof(*v), cmp_row);
    for (i = 0; i < n; i++)
        json_array_append(out, v[i].row);
    free(v);
    json_decref(rows);
    return out;
}

json_t *ra_pm_timeline(struct ra_pm_model *m)
{
    const struct ra_timeline *t = m->inv->timeline;
    json_t *all = json_array(), *rows = json_array(), *o;
    struct ra_buf mer = RA_BUF_INIT, txt = RA_BUF_INIT;
    struct ra_mermaid_event *dia;
    json_t *labels = json_array(); /* keeps the diagram's texts alive */
    ra_time from = m->pm->focus_from, to = m->pm->focus_to;
    size_t i, worthy = 0, skip, seen = 0, earlier = 0, later = 0, ndia = 0;
    struct ra_pm_fold *fold = ra_pm_fold_new(m->inv, m->newest);

    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row = event_row(e, &txt);
        json_array_append(all, row);
        if (ra_postmortem_in_focus(m->pm, e->time, e->until)) {
            if (!ra_pm_fold_event(fold, rows, e))
                json_array_append(rows, row);
            worthy += diagram_worthy(m, e);
        } else if (e->time != RA_TIME_NONE && from != RA_TIME_NONE && e->time < from) {
            earlier++;
        } else {
            later++;
        }
        json_decref(row);
    }
    ra_pm_fold_free(fold);
    fold_days(rows);
    fold_push(rows);
    repair_row(m, rows);
    rows = sorted(rows);
    /* the diagram shows the last DIAGRAM_MAX worthy events of the period */
    skip = worthy > DIAGRAM_MAX ? worthy - DIAGRAM_MAX : 0;
    dia = ra_xcalloc(worthy + 1, sizeof(*dia));
    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row;
        if (!ra_postmortem_in_focus(m->pm, e->time, e->until) || !diagram_worthy(m, e) ||
            seen++ < skip)
            continue;
        row = event_row(e, &txt);
        json_array_append(labels, json_object_get(row, "event_short"));
        dia[ndia].time = e->time;
        dia[ndia].until = e->until;
        dia[ndia].text = json_string_value(json_object_get(row, "event_short"));
        ndia++;
        json_decref(row);
    }
    if (m->pm->rebuilt.event && m->pm->rebuilt_ref) { /* the repair ends the story */
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "pipeline #%lld rebuilt %s",
                      (long long)m->pm->rebuilt.event->pipeline->number,
                      m->pm->rebuilt_ref);
        json_array_append_new(labels, ra_json_str(m->tmp.ptr));
        dia[ndia].time = m->pm->repaired_at;
        dia[ndia].until = RA_TIME_NONE;
        dia[ndia].text =
            json_string_value(json_array_get(labels, json_array_size(labels) - 1));
        ndia++;
    }
    ra_mermaid_timeline(&mer, "What happened (UTC)", dia, ndia);
    free(dia);
    json_decref(labels);
    o = json_pack("{s:o,s:o,s:o,s:I,s:I}", "mermaid", ra_json_str(mer.ptr), "from",
                  ra_json_time(from), "to", ra_json_time(to), "earlier",
                  (json_int_t)earlier, "later", (json_int_t)later);
    json_object_set_new(o, "has_earlier", json_boolean(earlier > 0));
    json_object_set_new(o, "earlier_word",
                        json_string(ra_text_plural(earlier, "event", "events")));
    json_object_set_new(o, "earlier_verb",
                        json_string(ra_text_plural(earlier, "is", "are")));
    ra_pm_capped(o, "rows", rows, m->opts->table_cap);
    json_object_set_new(o, "all", all);
    ra_buf_release(&mer);
    ra_buf_release(&txt);
    return o;
}
