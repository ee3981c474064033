/* SPDX-License-Identifier: MIT */
/* The post-mortem's model: the analysis decides (analysis/postmortem.h), each section's
 * file (pm_<section>.c) maps its part to the document. */
#include "report/report_model.h"

#include "report/json.h"
#include "report/pm_internal.h"
#include "report/pm_story.h"

#include "analysis/investigate.h"
#include "analysis/postmortem.h"

static json_t *period_json(const struct ra_postmortem *pm)
{
    return json_pack("{s:o,s:o}", "from", ra_json_time(pm->focus_from), "to",
                     ra_json_time(pm->focus_to));
}

/* The incident's date (UTC): the day it began, else the day of the newest snapshot. */
static json_t *incident_date(const struct ra_postmortem *pm)
{
    char when[RA_TIME_STRLEN];
    ra_time t = pm->start != RA_TIME_NONE ? pm->start
                : pm->newest              ? pm->newest->snap->taken_at
                                          : RA_TIME_NONE;

    if (t == RA_TIME_NONE)
        return json_null();
    ra_time_format(when, t);
    when[10] = '\0';
    return json_string(when);
}

static json_t *loss_table(struct ra_pm_model *m, json_t *losses)
{
    json_t *o = json_object();

    ra_pm_capped(o, "rows", json_incref(losses), m->opts->table_cap);
    return o;
}

/* An item the config's head already fulfils is done. */
static void sections(json_t *doc, struct ra_pm_model *m)
{
    const struct ra_investigation *inv = m->inv;
    json_t *impact = ra_pm_impact(m), *cause = ra_pm_root_cause(m), *notes = json_array(),
           *losses;
    struct ra_buf text = RA_BUF_INIT;
    size_t i;

    ra_buf_printf(&text, "regautopsy %s", m->opts->version);
    json_object_set_new(doc, "generated_by", ra_json_str(text.ptr));
    json_object_set_new(doc, "generated_at", ra_json_time(m->opts->now));
    ra_buf_truncate(&text, 0);
    if (m->opts->title)
        ra_buf_puts(&text, m->opts->title);
    else
        ra_pm_default_title(&text, impact);
    json_object_set_new(doc, "title", ra_json_str(text.ptr));
    json_object_set_new(doc, "period", period_json(m->pm));
    json_object_set_new(doc, "date", incident_date(m->pm));
    json_object_set_new(doc, "authors", json_string(RA_PM_AUTHOR_PLACEHOLDER));
    json_object_set_new(doc, "inputs", ra_pm_inputs(m));
    ra_buf_truncate(&text, 0);
    ra_pm_summary_text(m, &text, impact, cause);
    json_object_set_new(
        doc, "summary",
        json_pack("{s:o,s:I,s:I}", "text", ra_json_str(text.ptr), "broken_tags",
                  (json_int_t)json_array_size(json_object_get(impact, "broken_all")),
                  "lost_objects", (json_int_t)inv->losses->items.len));
    json_object_set_new(doc, "impact", impact);
    json_object_set_new(doc, "root_cause", cause);
    json_object_set_new(doc, "detection", ra_pm_detection(m, impact));
    json_object_set_new(doc, "detection_gap", ra_pm_detection_gap_json(inv, m->newest));
    losses = ra_pm_losses(m);
    json_object_set_new(doc, "loss_table", loss_table(m, losses));
    json_object_set_new(doc, "losses", losses);
    json_object_set_new(doc, "timeline", ra_pm_timeline(m));
    json_object_set_new(doc, "resolution", ra_pm_resolution(m));
    json_object_set_new(doc, "recovery", ra_pm_recovery(m));
    json_object_set_new(doc, "lessons", ra_pm_lessons(m));
    json_object_set_new(doc, "prevention",
                        json_pack("{s:o}", "items", ra_pm_prevention(m)));
    ra_pm_probe_note(json_object_get(json_object_get(doc, "prevention"), "items"), inv,
                     json_object_get(doc, "detection_gap"));
    json_object_set_new(doc, "config_changes", ra_pm_config_changes_json(inv));
    json_object_set_new(doc, "prediction", ra_pm_prediction(m));
    json_object_set_new(doc, "appendix", ra_pm_appendix(m));
    for (i = 0; i < inv->notes.len; i++)
        json_array_append_new(notes, ra_json_str(inv->notes.items[i]));
    json_object_set_new(doc, "notes", notes);
    json_object_set_new(doc, "has_notes", json_boolean(inv->notes.len > 0));
    ra_buf_release(&text);
}

int ra_report_build(struct json_t **out, const struct ra_investigation *inv,
                    const struct ra_report_opts *opts, struct ra_err *err)
{
    struct ra_pm_model m = {inv, opts, NULL, NULL, RA_BUF_INIT};
    struct ra_postmortem *pm = NULL;
    json_t *doc;
    int rc;

    if ((rc = ra_postmortem_new(&pm, inv, err)) < 0)
        return rc;
    m.pm = pm;
    m.newest = pm->newest;
    doc = json_object();
    json_object_set_new(doc, "schema", json_string("regautopsy.report/1"));
    json_object_set_new(doc, "status", json_string("draft"));
    sections(doc, &m);
    ra_buf_release(&m.tmp);
    ra_postmortem_free(pm);
    *out = doc;
    return 0;
}
