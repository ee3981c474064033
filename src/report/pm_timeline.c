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
    json_object_set_new(row, "role", json_string("key"));
    json_array_append_new(rows, row);
    ra_buf_release(&ev);
}

/* The damaging job's next run inside the period, the same version (the recurrence), a
 * row of its own: the timeline's runs stop at the newest evidence, this one may lie
 * past it. */
static void recurrence_row(struct ra_pm_model *m, json_t *rows)
{
    const struct ra_recurrence *r = &m->pm->recurrence;
    struct ra_buf ev = RA_BUF_INIT;
    json_t *row;

    if (!r->next)
        return;
    ra_buf_truncate(&m->tmp, 0);
    ra_buf_printf(&m->tmp, "%s ran again, unchanged (%s)", r->next->job_name,
                  r->next->delete_untagged ? "garbage-collect --delete-untagged"
                                           : "the same version");
    if (!r->covered)
        ra_buf_puts(&m->tmp, ": after the evidence ends, so what it did is not shown");
    ra_buf_printf(&ev, "%s @ %.12s", r->next->defined_in,
                  r->next->commit ? r->next->commit : "?");
    row = json_pack("{s:o,s:n,s:s,s:s,s:s,s:o,s:o,s:I}", "time",
                    ra_json_time(r->next->time), "until", "precision", "exact", "kind",
                    "recurrence", "source", "config", "event", ra_json_str(m->tmp.ptr),
                    "evidence", ra_json_str(ev.ptr), "count", (json_int_t)1);
    json_object_set_new(row, "event_short", ra_json_str(m->tmp.ptr));
    json_object_set_new(row, "evidence_short", ra_json_str(ev.ptr));
    json_object_set_new(row, "role", json_string("row"));
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

static const char *const role_names[] = {"key", "row", "routine", "repeat"};

/* The routine rows in words, "; " between them: "cleanup-tags.sh ran daily at 02:00,
 * 10 times; blob uploads (x25) on 3 days". */
static json_t *routine_text(json_t *folded)
{
    struct ra_buf b = RA_BUF_INIT;
    json_t *r, *o;
    size_t i;

    size_t nalerts = 0;

    json_array_foreach(folded, i, r)
    {
        if (strcmp(str(r, "role"), "routine"))
            continue;
        if (!strcmp(str(r, "kind"), "log") && !strncmp(str(r, "event"), "alert ", 6)) {
            nalerts++; /* ra_postmortem_alert_unrelated: counted at the end */
            continue;
        }
        ra_buf_printf(&b, "%s%s", b.len ? "; " : "", str(r, "event"));
    }
    if (nalerts)
        ra_buf_printf(&b,
                      "%s%zu alert%s that concern%s neither the registry nor a lost "
                      "repository",
                      b.len ? "; " : "", nalerts, nalerts > 1 ? "s" : "",
                      nalerts > 1 ? "" : "s");
    o = ra_json_str(b.len ? b.ptr : NULL);
    ra_buf_release(&b);
    return o;
}

/* The diagram: the key events (the last RA_PM_DIAGRAM_MAX of them), then the repair. */
static json_t *diagram(struct ra_pm_model *m, const unsigned char *key, size_t nkey)
{
    const struct ra_timeline *t = m->inv->timeline;
    struct ra_buf mer = RA_BUF_INIT, txt = RA_BUF_INIT;
    struct ra_mermaid_event *dia = ra_xcalloc(nkey + 2, sizeof(*dia));
    json_t *labels = json_array(), *o; /* keeps the diagram's texts alive */
    size_t i, seen = 0, n = 0,
              skip = nkey > RA_PM_DIAGRAM_MAX ? nkey - RA_PM_DIAGRAM_MAX : 0;

    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row;
        if (!key[i] || seen++ < skip)
            continue;
        row = event_row(e, &txt);
        json_array_append(labels, json_object_get(row, "event_short"));
        dia[n++] = (struct ra_mermaid_event){
            e->time, e->until, json_string_value(json_object_get(row, "event_short"))};
        json_decref(row);
    }
    if (m->pm->rebuilt.event && m->pm->rebuilt_ref) { /* the repair ends the story */
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "pipeline #%lld rebuilt %s",
                      (long long)m->pm->rebuilt.event->pipeline->number,
                      m->pm->rebuilt_ref);
        json_array_append_new(labels, ra_json_str(m->tmp.ptr));
        dia[n++] = (struct ra_mermaid_event){
            m->pm->repaired_at, RA_TIME_NONE,
            json_string_value(json_array_get(labels, json_array_size(labels) - 1))};
    }
    ra_mermaid_timeline(&mer, "What happened (UTC)", dia, n);
    while (mer.len && mer.ptr[mer.len - 1] == '\n') /* the template ends the line */
        ra_buf_truncate(&mer, mer.len - 1);
    o = ra_json_str(mer.ptr);
    free(dia);
    json_decref(labels);
    ra_buf_release(&mer);
    ra_buf_release(&txt);
    return o;
}

/* A garbage-collect log's day-dated line joins the row of the run that wrote it:
 * "registry garbage-collect ran (...); its log, gc.log:24: 13 blobs marked, ...". */
static void gc_log_into_run(struct ra_pm_model *m, json_t *rows, const struct ra_event *e)
{
    const struct ra_firing *f = ra_postmortem_gc_run_of(m->inv, e);
    const char *said = e->message + strlen("garbage-collect");
    json_t *t, *r;
    size_t i;

    if (!f)
        return;
    said += strspn(said, ": ");
    t = ra_json_time(f->time);
    json_array_foreach(rows, i, r)
    {
        if (strcmp(str(r, "kind"), "firing") ||
            strcmp(str(r, "time"), json_string_value(t)))
            continue;
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "%s; its log, %s: ", str(r, "event"), e->evidence);
        ra_text_safe(&m->tmp, said, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        json_object_set_new(r, "event", ra_json_str(m->tmp.ptr));
        json_object_set_new(r, "event_short", ra_json_str(m->tmp.ptr));
        break;
    }
    json_decref(t);
}

static void set_role(json_t *row, enum ra_pm_role r)
{
    json_object_set_new(row, "role", json_string(role_names[r]));
}

json_t *ra_pm_timeline(struct ra_pm_model *m)
{
    const struct ra_timeline *t = m->inv->timeline;
    json_t *all = json_array(), *rows = json_array(), *folded = json_array(), *o;
    struct ra_buf txt = RA_BUF_INIT;
    ra_time from = m->pm->focus_from, to = m->pm->focus_to;
    size_t i, nkey = 0, earlier = 0, later = 0, nsnap = 0, ndiff = 0;
    unsigned char *key = ra_xcalloc(t->events.len + 1, 1);
    struct ra_pm_fold *fold = ra_pm_fold_new(m->inv, m->newest);

    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *row = event_row(e, &txt);
        enum ra_pm_role r;
        json_array_append(all, row);
        if (ra_postmortem_in_focus(m->pm, e->time, e->until)) {
            r = ra_postmortem_role(m->pm, m->inv, e);
            set_role(row, r);
            if (r == RA_PM_ROLE_KEY || r == RA_PM_ROLE_ROW)
                json_array_append(rows, row);
            else if (r == RA_PM_ROLE_REPEAT || !ra_pm_fold_event(fold, folded, e))
                json_array_append(folded, row);
            key[i] = r == RA_PM_ROLE_KEY;
            nkey += key[i];
            nsnap += r == RA_PM_ROLE_REPEAT && e->kind == RA_EV_SNAPSHOT;
            ndiff += r == RA_PM_ROLE_REPEAT && e->kind == RA_EV_VANISHED;
        } else if (e->time != RA_TIME_NONE && from != RA_TIME_NONE && e->time < from) {
            earlier++;
        } else {
            later++;
        }
        json_decref(row);
    }
    ra_pm_fold_free(fold);
    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        if (ra_postmortem_in_focus(m->pm, e->time, e->until))
            gc_log_into_run(m, rows, e);
    }
    fold_days(folded);
    fold_push(rows);
    repair_row(m, rows);
    recurrence_row(m, rows);
    rows = sorted(rows);
    folded = sorted(folded);
    json_array_foreach(folded, i, o)
    {
        if (!json_object_get(o, "role")) /* the row unrelated pushes fold into */
            set_role(o, RA_PM_ROLE_ROUTINE);
    }
    o = json_pack("{s:o,s:o,s:o,s:I,s:I}", "mermaid", diagram(m, key, nkey), "from",
                  ra_json_time(from), "to", ra_json_time(to), "earlier",
                  (json_int_t)earlier, "later", (json_int_t)later);
    json_object_set_new(o, "has_earlier", json_boolean(earlier > 0));
    json_object_set_new(o, "earlier_word",
                        json_string(ra_text_plural(earlier, "event", "events")));
    json_object_set_new(o, "earlier_verb",
                        json_string(ra_text_plural(earlier, "is", "are")));
    json_object_set_new(o, "evidence_until", ra_json_time(m->inv->firings_until));
    json_object_set_new(o, "routine_text", routine_text(folded));
    json_object_set_new(o, "snapshots_folded", json_boolean(nsnap > 0));
    json_object_set_new(o, "diff_folded", json_boolean(ndiff > 0));
    json_object_set_new(o, "folded_count",
                        json_integer((json_int_t)json_array_size(folded)));
    json_object_set_new(
        o, "folded_word",
        json_string(ra_text_plural(json_array_size(folded), "row", "rows")));
    json_object_set_new(o, "has_folded", json_boolean(json_array_size(folded) > 0));
    json_object_set_new(o, "folded", folded);
    ra_pm_capped(o, "rows", rows, m->opts->table_cap);
    json_object_set_new(o, "all", all);
    free(key);
    ra_buf_release(&txt);
    return o;
}
