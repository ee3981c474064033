/* SPDX-License-Identifier: MIT */
/* The post-mortem model: resolution and time to repair. */
#include "report/pm_internal.h"

#include <string.h>

#include "analysis/postmortem.h"
#include "config/sched/schedule.h"
#include "report/json.h"

/* The evidence of the repair: a rebuild that pushed the image again, a log line where a
 * lost object was served again before the snapshot that shows it, else the snapshot. */
static json_t *repair_json(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    const struct ra_log_event *e = pm->first_success.event;
    json_t *o;

    ra_buf_truncate(&m->tmp, 0);
    if (!pm->repaired_in) {
        ra_pm_pipeline_name(&m->tmp, &pm->rebuilt);
        ra_buf_printf(&m->tmp, " rebuilt and pushed %s", pm->rebuilt_ref);
        o = ra_pm_log_event(&pm->rebuilt, m->tmp.ptr);
        json_object_set_new(o, "time",
                            ra_json_time(pm->repaired_at)); /* when it finished */
        json_object_set_new(o, "kind", json_string("rebuild"));
        return o;
    }
    if (e && e->time < pm->repaired_in->snap->taken_at) {
        ra_buf_printf(&m->tmp, "%s %s answered %d", e->method, e->uri, e->status);
        o = ra_pm_log_event(&pm->first_success, m->tmp.ptr);
        json_object_set_new(o, "kind", json_string("log"));
        return o;
    }
    ra_buf_printf(&m->tmp, "every tag the losses broke pulls in snapshot %s",
                  pm->repaired_in->snap->name);
    return json_pack("{s:o,s:o,s:o,s:s}", "time",
                     ra_json_time(pm->repaired_in->snap->taken_at), "evidence",
                     ra_json_str(pm->repaired_in->snap->name), "message",
                     ra_json_str(m->tmp.ptr), "kind", "snapshot");
}

/* A config commit: {commit (12 hex), date, message, change}. */
static json_t *commit_json(const struct ra_job_version *v)
{
    char id[13], day[RA_TIME_STRLEN];

    memcpy(id, v->commit->id, 12);
    id[12] = '\0';
    ra_time_format(day, v->commit->time);
    day[10] = '\0';
    return json_pack("{s:s,s:s,s:o,s:o}", "commit", id, "date", day, "message",
                     ra_json_str(v->commit->summary), "change",
                     ra_json_str(v->change ? v->change : "removed"));
}

/* The damaging job ran again, unchanged, inside the period: when, what the evidence
 * can show of it, and when the config took the damage out; null when it did not. */
static json_t *recurrence_json(struct ra_pm_model *m)
{
    const struct ra_recurrence *r = &m->pm->recurrence;
    json_t *o;

    if (!r->next)
        return json_null();
    o = json_pack("{s:o,s:o,s:I,s:b,s:b}", "job", ra_json_str(r->next->job_name),
                  "next_at", ra_json_time(r->next->time), "runs", (json_int_t)r->runs,
                  "more", r->runs > 1, "covered", r->covered);
    json_object_set_new(
        o, "newest_taken_at",
        ra_json_time(m->pm->newest ? m->pm->newest->snap->taken_at : RA_TIME_NONE));
    json_object_set_new(o, "logs_until",
                        r->evidence_until_log ? ra_json_time(r->evidence_until)
                                              : json_null());
    json_object_set_new(o, "logs_until_log", ra_json_str(r->evidence_until_log));
    json_object_set_new(o, "fixed", r->fixed ? commit_json(r->fixed) : json_null());
    return o;
}

json_t *ra_pm_resolution(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *o;

    if (pm->state == RA_PM_NO_INCIDENT)
        return json_null();
    o = json_pack("{s:s,s:b}", "state",
                  pm->state == RA_PM_REPAIRED ? "repaired" : "ongoing", "repaired",
                  pm->state == RA_PM_REPAIRED);
    json_object_set_new(o, "repair",
                        pm->state == RA_PM_REPAIRED ? repair_json(m) : json_null());
    json_object_set_new(o, "time_to_repair",
                        pm->state == RA_PM_REPAIRED ? ra_pm_span(pm->start, pm->end)
                                                    : json_null());
    json_object_set_new(o, "outage",
                        pm->state == RA_PM_REPAIRED && ra_postmortem_outage(pm) >= 0
                            ? ra_pm_span(pm->outage_from, pm->end)
                            : json_null());
    json_object_set_new(o, "rebuilt",
                        json_boolean(pm->state == RA_PM_REPAIRED && !pm->repaired_in));
    json_object_set_new(o, "recurrence", recurrence_json(m));
    json_object_set_new(o, "newest_snapshot",
                        pm->newest ? ra_json_str(pm->newest->snap->name) : json_null());
    json_object_set_new(
        o, "newest_taken_at",
        ra_json_time(pm->newest ? pm->newest->snap->taken_at : RA_TIME_NONE));
    return o;
}
