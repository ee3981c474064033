/* SPDX-License-Identifier: MIT */
/* The post-mortem model: lessons learned, each a fact the analysis found
 * (enum ra_pm_lesson), worded here. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "report/json.h"

enum group { WELL, WRONG, LUCKY };

static const struct {
    enum ra_pm_lesson lesson;
    enum group group;
    const char *text;
} lessons[] = {
    {RA_PM_L_LOG_DATES, WELL,
     "The registry's log shows which lost objects were asked for, when, and from which "
     "client: when the damage was met, not when it was done (the storage and the "
     "schedule date that)."},
    {RA_PM_L_GC_LOG, WELL,
     "The garbage-collect log lists the lost objects as eligible for deletion, "
     "which the snapshots confirm."},
    {RA_PM_L_ALERTED, WELL, NULL}, /* worded by alerted() */
    {RA_PM_L_TRIGGER_KNOWN, WELL,
     "The config repository's history names the commit that brought in the job version "
     "that did the damage."},
    {RA_PM_L_INDEX_RESOLVED, WRONG,
     "The tag kept resolving to its index, so a probe that fetches only the index (a "
     "HEAD or GET of the tag) stays green while every pull fails."},
    {RA_PM_L_NO_ALERT, WRONG, NULL}, /* worded by no_alert() */
    {RA_PM_L_GC_UNTAGGED, WRONG,
     "Garbage-collect ran with --delete-untagged on Distribution 2.x, which deletes the "
     "untagged children of a tagged index."},
    {RA_PM_L_FLOATING_GC, WRONG, NULL}, /* worded by floating() */
    {RA_PM_L_UNRECOVERABLE, WRONG,
     "Some lost objects are in no snapshot: those images must be rebuilt."},
    {RA_PM_L_ALL_IN_SNAPSHOT, LUCKY,
     "Every lost object of the broken tags is still in an earlier snapshot or in "
     "storage, so the old digests, which whoever pins them needs, can be brought back."},
    {RA_PM_L_DATA_KEPT, LUCKY,
     "Some manifests' data stayed in storage; only their revision links went."},
    {RA_PM_L_RECYCLED, LUCKY, "A NAS recycle bin kept deleted blobs."},
};

/* "The registry image floats (registry:2), so ...": the image the config ran at the
 * start, else the tag of the run taken as the start when it floats, else neither. */
static json_t *floating(struct ra_pm_model *m)
{
    const struct ra_firing *f = m->pm->start_firing;
    const struct ra_image_version *iv =
        f && m->inv->schedule ? ra_schedule_image_at(m->inv->schedule, f->time) : NULL;

    ra_buf_truncate(&m->tmp, 0);
    if (iv && iv->image && iv->image->floating)
        ra_buf_printf(&m->tmp, "The registry image floats (%s), so", iv->image->image);
    else if (f && f->version_floating && f->registry_version)
        ra_buf_printf(&m->tmp, "The registry image floats (tag %s), so",
                      f->registry_version);
    else
        ra_buf_puts(&m->tmp, "The registry image floats or is not known, so");
    ra_buf_puts(&m->tmp, " nobody could say which garbage collector ran.");
    return ra_json_str(m->tmp.ptr);
}

/* "Alert X fired <span> after the incident began, before any failure was logged." */
static json_t *alerted(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    struct ra_buf span = RA_BUF_INIT, text = RA_BUF_INIT;
    json_t *j;

    ra_pm_span_text(&span, ra_postmortem_span(pm->start, pm->first_alert.event->time));
    ra_buf_printf(&text, "Alert %s fired", pm->first_alert.event->message);
    if (span.len)
        ra_buf_printf(&text, " %s after the incident began", span.ptr);
    ra_buf_puts(&text, ", before any failure was logged.");
    j = ra_json_str(text.ptr);
    ra_buf_release(&span);
    ra_buf_release(&text);
    return j;
}

/* "Nothing alerted: the first sign was <the failure>, <span> after the start." (or
 * "No alert came before the first sign" when one came later) */
static json_t *no_alert(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    const struct ra_log_event *e = pm->detected.event;
    struct ra_buf span = RA_BUF_INIT, text = RA_BUF_INIT;
    json_t *j;

    ra_pm_span_text(&span, ra_postmortem_span(pm->start, e->time));
    ra_pm_pipeline_text(&m->tmp, &pm->detected);
    ra_buf_puts(&text, pm->first_alert.event ? "No alert came before the first sign, "
                                             : "Nothing alerted: the first sign was ");
    if (e->kind == RA_LOG_PIPELINE)
        ra_buf_puts(&text, m->tmp.ptr);
    else
        ra_buf_printf(&text, "a pull answered %d", e->status);
    if (span.len)
        ra_buf_printf(&text, ", %s after the incident began", span.ptr);
    ra_buf_putc(&text, '.');
    j = ra_json_str(text.ptr);
    ra_buf_release(&span);
    ra_buf_release(&text);
    return j;
}

json_t *ra_pm_lessons(struct ra_pm_model *m)
{
    json_t *g[3] = {json_array(), json_array(), json_array()}, *o;
    size_t i;

    for (i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++)
        if (ra_postmortem_lesson(m->pm, lessons[i].lesson))
            json_array_append_new(g[lessons[i].group],
                                  lessons[i].text ? json_string(lessons[i].text)
                                  : lessons[i].lesson == RA_PM_L_ALERTED ? alerted(m)
                                  : lessons[i].lesson == RA_PM_L_FLOATING_GC
                                      ? floating(m)
                                      : no_alert(m));
    o = json_pack("{s:b,s:b,s:b}", "has_went_well", json_array_size(g[WELL]) > 0,
                  "has_went_wrong", json_array_size(g[WRONG]) > 0, "has_lucky",
                  json_array_size(g[LUCKY]) > 0);
    json_object_set_new(o, "any",
                        json_boolean(json_array_size(g[WELL]) ||
                                     json_array_size(g[WRONG]) ||
                                     json_array_size(g[LUCKY])));
    json_object_set_new(o, "went_well", g[WELL]);
    json_object_set_new(o, "went_wrong", g[WRONG]);
    json_object_set_new(o, "lucky", g[LUCKY]);
    return o;
}
