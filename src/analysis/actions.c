/* SPDX-License-Identifier: MIT */
#include "analysis/actions.h"

#include "analysis/detection_gap.h"
#include "analysis/forecast.h"
#include "analysis/investigate.h"
#include "analysis/postmortem.h"

#define DAY 86400

const char *ra_action_kind_name(enum ra_action_kind k)
{
    static const char *const names[RA_ACT__COUNT] = {
        "bring_back",      "stop_gc_untagged", "pin_image", "gc_readonly",    "prune_api",
        "restrict_delete", "verify_restores",  "probe",     "act_on_forecast"};
    return (unsigned)k < RA_ACT__COUNT ? names[k] : "";
}

/* Does the next scheduled garbage-collect break a tag that pulls now? */
static int forecast_breaks(const struct ra_investigation *inv)
{
    size_t i, k;

    for (i = 0; i < inv->predictions.len; i++) {
        const struct ra_prediction *p = inv->predictions.items[i];
        for (k = 0; k < p->after->ntags; k++)
            if (!p->after->tags[k].pullable && p->before->tags[k].pullable)
                return 1;
    }
    return 0;
}

/* Would a probe of the config (in effect then or added since) have seen it fail? */
static int probe_catches(const struct ra_postmortem *pm,
                         const struct ra_investigation *inv)
{
    struct ra_detection_gap g = RA_DETECTION_GAP_INIT;
    size_t i;
    int yes = 0;

    ra_detection_gap_compute(&g, inv->schedule, pm->loss_from, pm->newest);
    for (i = 0; i < g.probes.len && !yes; i++)
        yes = ((const struct ra_probe_check *)g.probes.items[i])->catches == 1;
    ra_detection_gap_release(&g);
    return yes;
}

/* Seen within a day of the start: a failure, a 404 or an alert logged by then. */
static int seen_within_a_day(const struct ra_postmortem *pm)
{
    const struct ra_pm_event *first = &pm->detected;
    int64_t s;

    if (pm->first_alert.event &&
        (!first->event || pm->first_alert.event->time < first->event->time))
        first = &pm->first_alert;
    if (!first->event)
        return 0;
    s = ra_postmortem_span(pm->start, first->event->time);
    return s >= 0 && s <= DAY;
}

static void add(struct ra_action *out, size_t *n, enum ra_action_kind k, int priority,
                const struct ra_commit_info *done_by)
{
    out[(*n)++] = (struct ra_action){k, priority, done_by};
}

size_t ra_actions_decide(struct ra_action *out, const struct ra_postmortem *pm,
                         const struct ra_investigation *inv)
{
    struct ra_action all[RA_ACT__COUNT];
    const struct ra_schedule *s = inv->schedule;
    ra_time since = pm->loss_from;
    int config = s && since != RA_TIME_NONE;
    size_t n = 0, i, out_n = 0;
    int p;

    if (pm->state == RA_PM_ONGOING)
        add(all, &n, RA_ACT_BRING_BACK, 0, NULL);
    if (pm->v2_children == 1)
        add(all, &n, RA_ACT_STOP_GC_UNTAGGED, 0,
            config ? ra_forecast_untagged_dropped_by(s, since) : NULL);
    if (ra_postmortem_matched(pm, RA_FP_GC_V2_INDEX_CHILDREN) || pm->floating_gc)
        add(all, &n, RA_ACT_PIN_IMAGE, 1,
            config ? ra_forecast_image_pinned_by(s, since) : NULL);
    if (ra_postmortem_matched(pm, RA_FP_GC_RACE) ||
        ra_postmortem_matched(pm, RA_FP_GC_SWEEP) ||
        ra_postmortem_matched(pm, RA_FP_GC_LOG))
        add(all, &n, RA_ACT_GC_READONLY, ra_postmortem_matched(pm, RA_FP_GC_RACE) ? 0 : 1,
            NULL);
    if (ra_postmortem_matched(pm, RA_FP_TAG_PRUNE) ||
        ra_postmortem_matched(pm, RA_FP_TAG_PRUNE_THEN_GC))
        add(all, &n, RA_ACT_PRUNE_API, 0, NULL);
    if (ra_postmortem_matched(pm, RA_FP_API_DELETE))
        add(all, &n, RA_ACT_RESTRICT_DELETE, 0, NULL);
    if (ra_postmortem_matched(pm, RA_FP_LOST_FILES))
        add(all, &n, RA_ACT_VERIFY_RESTORES, 2, NULL);
    add(all, &n, RA_ACT_PROBE,
        pm->state != RA_PM_NO_INCIDENT && !seen_within_a_day(pm) &&
                !probe_catches(pm, inv)
            ? 0
            : 1,
        s ? ra_detection_gap_caught_since(s, pm->newest) : NULL);
    if (forecast_breaks(inv))
        add(all, &n, RA_ACT_ACT_ON_FORECAST, 0, NULL);
    for (p = 0; p <= 2; p++)
        for (i = 0; i < n; i++)
            if (all[i].priority == p)
                out[out_n++] = all[i];
    return out_n;
}
