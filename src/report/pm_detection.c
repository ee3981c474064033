/* SPDX-License-Identifier: MIT */
/* The post-mortem model: detection. */
#include "report/pm_internal.h"

#include "analysis/postmortem.h"
#include "report/json.h"

/* Time to detect: from the incident's start to the first failure the logs show. */
static json_t *ttd_json(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *o, *span;

    if (!pm->detected.event ||
        ra_postmortem_span(pm->start, pm->detected.event->time) < 0)
        return json_null();
    span = ra_pm_span(pm->start, pm->detected.event->time);
    ra_buf_truncate(&m->tmp, 0);
    if (pm->detected.event->kind == RA_LOG_PIPELINE)
        ra_pm_pipeline_text(&m->tmp, &pm->detected);
    else
        ra_buf_printf(&m->tmp, "%s %s answered %d", pm->detected.event->method,
                      pm->detected.event->uri, pm->detected.event->status);
    o = ra_pm_log_event(&pm->detected, m->tmp.ptr);
    json_object_set_new(o, "span", span);
    return o;
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
    json_object_set_new(o, "time_to_detect", ttd_json(m));
    json_object_set_new(o, "time_to_first_snapshot",
                        shows ? ra_pm_span(m->pm->start, shows->snap->taken_at)
                              : json_null());
    return o;
}
