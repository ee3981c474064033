/* SPDX-License-Identifier: MIT */
/* The post-mortem model: timeline. */
#include "report/pm_internal.h"

#include <stdlib.h>

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
        return !folded;
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

static json_t *event_row(const struct ra_event *e, struct ra_buf *txt)
{
    struct ra_buf sh = RA_BUF_INIT;
    json_t *row;

    ra_buf_truncate(txt, 0);
    ra_text_safe(txt, e->message, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
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
    shorten(&sh, e->evidence);
    json_object_set_new(row, "evidence_short",
                        e->evidence[0] ? ra_json_str(sh.ptr) : json_null());
    ra_buf_release(&sh);
    return row;
}

#define DIAGRAM_MAX 40

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
    /* the diagram shows the last DIAGRAM_MAX worthy events of the period */
    skip = worthy > DIAGRAM_MAX ? worthy - DIAGRAM_MAX : 0;
    dia = ra_xcalloc(worthy ? worthy : 1, sizeof(*dia));
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
    ra_mermaid_timeline(&mer, "What happened (UTC)", dia, ndia);
    free(dia);
    json_decref(labels);
    o = json_pack("{s:o,s:o,s:o,s:I,s:I}", "mermaid", ra_json_str(mer.ptr), "from",
                  ra_json_time(from), "to", ra_json_time(to), "earlier",
                  (json_int_t)earlier, "later", (json_int_t)later);
    json_object_set_new(o, "has_earlier", json_boolean(earlier > 0));
    ra_pm_capped(o, "rows", rows, m->opts->table_cap * 2);
    json_object_set_new(o, "all", all);
    ra_buf_release(&mer);
    ra_buf_release(&txt);
    return o;
}
