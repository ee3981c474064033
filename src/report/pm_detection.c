/* SPDX-License-Identifier: MIT */
/* The post-mortem model: detection. */
#include "report/pm_internal.h"

#include "analysis/losses.h"
#include "analysis/postmortem.h"
#include "report/json.h"
#include "util/text.h"

/* A log event in words: a pipeline run, an alert, a request and its answer. */
static void event_text(struct ra_buf *out, const struct ra_pm_event *e)
{
    const struct ra_log_event *ev = e->event;

    ra_buf_truncate(out, 0);
    if (ev->kind == RA_LOG_PIPELINE)
        ra_pm_pipeline_text(out, e);
    else if (ev->kind == RA_LOG_ALERT)
        ra_buf_printf(out, "alert %s%s%s%s", ev->message,
                      ev->level && ev->level[0] ? " (" : "", ev->level ? ev->level : "",
                      ev->level && ev->level[0] ? ")" : "");
    else {
        struct ra_buf uri = RA_BUF_INIT;
        ra_pm_short_digests(&uri, ev->uri);
        ra_buf_printf(out, "%s %s answered %d", ev->method, uri.ptr, ev->status);
        ra_buf_release(&uri);
    }
}

/* {time, evidence, message, span}: e and the span from the incident's start to it, or
 * null without e (or when it came before the start). */
static json_t *since_start(struct ra_pm_model *m, const struct ra_pm_event *e)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *o;

    if (!e->event || ra_postmortem_span(pm->start, ra_log_event_end(e->event)) < 0)
        return json_null();
    event_text(&m->tmp, e);
    o = ra_pm_log_event(e, m->tmp.ptr);
    json_object_set_new(o, "span", ra_pm_span(pm->start, ra_log_event_end(e->event)));
    return o;
}

/* "2 alerts": the alerts from the loss on that concern neither the registry nor a lost
 * repository, or null when there is none. */
static json_t *other_alerts(struct ra_pm_model *m)
{
    size_t n = m->pm->other_alerts;

    if (!n)
        return json_null();
    ra_buf_truncate(&m->tmp, 0);
    ra_buf_printf(&m->tmp, "%zu %s", n, ra_text_plural(n, "alert", "alerts"));
    return json_string(m->tmp.ptr);
}

/* o[key].same: its span reads as time_to_detect's, so the report need not repeat it. */
static void same_span(json_t *o, const char *key)
{
    json_t *k = json_object_get(o, key), *t = json_object_get(o, "time_to_detect");
    const char *a, *b;

    if (!json_is_object(k))
        return;
    a = json_string_value(json_object_get(json_object_get(k, "span"), "text"));
    b = json_string_value(json_object_get(json_object_get(t, "span"), "text"));
    json_object_set_new(k, "same", json_boolean(a && b && !strcmp(a, b)));
}

/* Where the earliest "known missing" time comes from, in words. */
static const char *missing_words(enum ra_bound_kind k)
{
    switch (k) {
    case RA_BOUND_SNAPSHOT:
        return "the first snapshot without it";
    case RA_BOUND_LOG:
        return "the first request for it answered 404";
    case RA_BOUND_FOLDER_MTIME:
        return "the time the folder it was deleted from last changed";
    default:
        return "the evidence";
    }
}

json_t *ra_pm_detection(struct ra_pm_model *m, json_t *impact)
{
    const struct ra_loss *first = m->pm->first_bounded;
    const struct ra_scan *shows = m->pm->first_missing;
    json_t *o;

    if (!first && !shows)
        return json_null();
    o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:O,s:O}", "first_snapshot",
        shows ? ra_json_str(shows->snap->name) : json_null(), "first_snapshot_taken_at",
        shows ? ra_json_time(shows->snap->taken_at) : json_null(), "earliest_missing",
        first ? ra_json_time(first->to.time) : json_null(), "earliest_missing_kind",
        first ? json_string(ra_bound_kind_name(first->to.kind)) : json_null(),
        "earliest_missing_evidence",
        first ? ra_json_str(first->to.evidence) : json_null(), "first_404",
        json_object_get(impact, "first_404"), "first_failed_pipeline",
        json_object_get(impact, "first_failed_pipeline"));
    /* time to detect: to the first sign, and to each kind of sign */
    json_object_set_new(o, "time_to_detect", since_start(m, &m->pm->detected));
    json_object_set_new(o, "to_first_failed_pipeline",
                        since_start(m, &m->pm->first_failed_pipeline));
    json_object_set_new(o, "to_first_404", since_start(m, &m->pm->first_404));
    json_object_set_new(o, "to_first_alert", since_start(m, &m->pm->first_alert));
    same_span(o, "to_first_failed_pipeline");
    same_span(o, "to_first_404");
    same_span(o, "to_first_alert");
    json_object_set_new(o, "earliest_missing_words",
                        first ? json_string(missing_words(first->to.kind)) : json_null());
    json_object_set_new(o, "has_alert", json_boolean(m->pm->first_alert.event != NULL));
    json_object_set_new(o, "other_alerts", other_alerts(m));
    json_object_set_new(o, "time_to_first_snapshot",
                        shows ? ra_pm_span(m->pm->start, shows->snap->taken_at)
                              : json_null());
    return o;
}
