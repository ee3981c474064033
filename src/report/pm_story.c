/* SPDX-License-Identifier: MIT */
#include "report/pm_story.h"

#include "analysis/detection_gap.h"
#include "analysis/investigate.h"
#include "analysis/losses.h"
#include "report/json.h"
#include "util/buf.h"

/* The start of the earliest loss window: what was in effect when things went. */
static ra_time loss_start(const struct ra_investigation *inv)
{
    ra_time t = RA_TIME_NONE;
    size_t i;

    for (i = 0; inv->losses && i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->from.time != RA_TIME_NONE && (t == RA_TIME_NONE || l->from.time < t))
            t = l->from.time;
    }
    return t;
}

static json_t *probe_json(const struct ra_probe_check *c)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:b,s:o,s:o}", "name",
                     ra_json_str(c->name), "defined_in", ra_json_str(c->defined_in), "commit",
                     ra_json_str(c->commit), "schedule", ra_json_str(c->schedule), "timezone",
                     ra_json_str(c->timezone), "command", ra_json_str(c->command), "target",
                     ra_json_str(c->target), "depth", ra_probe_depth_name(c->depth),
                     "in_effect", c->in_effect, "catches",
                     c->catches < 0 ? json_null() : json_boolean(c->catches), "why",
                     ra_json_str(c->why));
}

static void verdict(struct ra_buf *b, const struct ra_detection_gap *g, size_t active)
{
    if (!g->probes.len)
        ra_buf_puts(b, "Nothing in the config probed whether pushed images could still be "
                       "pulled, so the damage was seen only when something pulled.");
    else if (!active)
        ra_buf_printf(b, "No probe job was in effect when the objects went missing, so the "
                         "damage was seen only when something pulled. The config has "
                         "%zu since:", g->probes.len);
    else if (!g->catching)
        ra_buf_printf(b, "The config had %zu probe job(s) in effect; none reaches what broke, "
                         "so the monitoring in place would not have caught this incident:",
                      active);
    else
        ra_buf_printf(b, "%zu of the %zu probe job(s) in effect would have caught this "
                         "incident:", g->catching, active);
}

json_t *ra_pm_detection_gap_json(const struct ra_investigation *inv,
                                  const struct ra_scan *newest)
{
    struct ra_detection_gap g = RA_DETECTION_GAP_INIT;
    struct ra_buf b = RA_BUF_INIT;
    json_t *probes = json_array(), *o;
    size_t i, active = 0;

    ra_detection_gap_compute(&g, inv->schedule, loss_start(inv), newest);
    for (i = 0; i < g.probes.len; i++) {
        const struct ra_probe_check *c = g.probes.items[i];
        active += c->in_effect;
        json_array_append_new(probes, probe_json(c));
    }
    verdict(&b, &g, active);
    o = json_pack("{s:b,s:o,s:I,s:o}", "has_probes", g.probes.len > 0, "probes", probes,
                  "catching", (json_int_t)g.catching, "verdict", ra_json_str(b.ptr));
    ra_buf_release(&b);
    ra_detection_gap_release(&g);
    return o;
}
