/* SPDX-License-Identifier: MIT */
/* The post-mortem model: detection. */
#include "report/pm_internal.h"

#include "analysis/postmortem.h"
#include "report/json.h"

json_t *ra_pm_detection(struct ra_pm_model *m, json_t *impact)
{
    const struct ra_loss *first = m->pm->first_bounded;
    const struct ra_scan *shows = m->pm->first_missing;

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
