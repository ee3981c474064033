/* SPDX-License-Identifier: MIT */
/* The post-mortem model: inputs. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "config/sched/schedule.h"
#include "report/json.h"

static json_t *config_json(const struct ra_schedule *s)
{
    char head[13];

    if (!s)
        return json_null();
    memcpy(head, s->head, 12);
    head[12] = '\0';
    return json_pack("{s:o,s:s,s:s,s:b,s:I,s:I}", "repo", ra_json_str(s->path), "commit",
                     head, "commit_full", s->head, "shallow", s->shallow, "commits",
                     (json_int_t)s->commits.len, "jobs", (json_int_t)s->jobs.len);
}

json_t *ra_pm_inputs(struct ra_pm_model *m)
{
    const struct ra_investigation *inv = m->inv;
    json_t *snaps = json_array(), *logs = json_array();
    size_t i;

    for (i = 0; i < inv->nscans; i++) {
        const struct ra_snapshot *s = inv->scans[i]->snap;
        const char *why = NULL;
        int trusted = ra_snapshot_mtimes_trusted(s, &why);
        json_array_append_new(
            snaps, json_pack("{s:o,s:o,s:o,s:s,s:b,s:I,s:I,s:b,s:o}", "name",
                             ra_json_str(s->name), "source", ra_json_str(s->source),
                             "taken_at", ra_json_time(s->taken_at), "taken_at_source",
                             ra_taken_source_name(s->taken_source), "complete",
                             s->complete, "entries", (json_int_t)s->entries, "registries",
                             (json_int_t)inv->scans[i]->nregs, "mtimes_trusted", trusted,
                             "mtimes_note", ra_json_str(why)));
    }
    for (i = 0; i < inv->nlogs; i++) {
        const struct ra_log *l = inv->logs[i];
        json_array_append_new(
            logs, json_pack("{s:o,s:s,s:I,s:I}", "path", ra_json_str(l->path), "format",
                            ra_log_format_name(l->format), "lines", (json_int_t)l->lines,
                            "events", (json_int_t)l->events.len));
    }
    return json_pack("{s:o,s:o,s:b,s:b,s:o}", "snapshots", snaps, "logs", logs,
                     "has_logs", inv->nlogs > 0, "has_config", inv->schedule != NULL,
                     "config", config_json(inv->schedule));
}
